// SPDX-License-Identifier: GPL-2.0-only
/*
 * migver: can this vGPU go there, and if not, why?  Command dispatch,
 * options, exit status and the JSON printer.  The verdicts are the core's
 * (src/core), the same code the kernel module runs.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migver.h"

#ifndef MIGVER_TOOL_VERSION
#define MIGVER_TOOL_VERSION "unknown"
#endif

static const char usage_text[] =
	"Usage: migver [--sysfs-root DIR] COMMAND [ARGS] [--json]\n"
	"\n"
	"Can this vGPU go there, and if not, why?  The verdicts come from the\n"
	"same version-string core and checker table as the mdev_migver module.\n"
	"\n"
	"Commands:\n"
	"  list                       parents, types and devices on this host, their\n"
	"                             migration_version strings, parsed facts and the\n"
	"                             active checker\n"
	"  check SOURCE TARGET        ask the kernel: write SOURCE's string into\n"
	"                             TARGET's migration_version\n"
	"  explain SOURCE TARGET-STRING --checker NAME [--accept RANGES]\n"
	"                             the same verdict offline, without a kernel\n"
	"  matrix --sources FILE --targets FILE [--source-types] [--checker NAME]\n"
	"                             which source devices can go to which target\n"
	"                             types, from inventories of `migver list --json`\n"
	"  inspect STREAM-FILE [--check TARGET] [--device ID]\n"
	"                             decode a saved migration stream (raw, or a\n"
	"                             device's inside a QEMU migration image): its\n"
	"                             header and version record; check it against\n"
	"                             TARGET\n"
	"  mdevctl-callout -- ARGS    the mdevctl callout's verdict before\n"
	"                             `mdevctl start` (see migver(8))\n"
	"\n"
	"SOURCE: a migration_version string, a file holding one, '-' (standard\n"
	"input), or a sysfs type or device directory.  TARGET: a sysfs type or\n"
	"device directory, PARENT/TYPE (e.g. migver0/migver-GVTg_V5_8) or a\n"
	"device's uuid.\n"
	"\n"
	"Options:\n"
	"  --json             one JSON document on stdout (schema " MIGVER_SCHEMA ")\n"
	"  --sysfs-root DIR   read /sys under DIR (tests, inventories of images)\n"
	"  --checker NAME     semver, gvt or strict\n"
	"  -h, --help         this text\n"
	"  -V, --version      the version, which is the module's\n"
	"\n"
	"Exit status: 0 compatible (or success), 1 usage, I/O or bad input,\n"
	"10 format, 11 unsupported, 12 hardware, 13 type, 14 software.\n"
	"See migver(8).\n";

enum {
	OPT_JSON = 256,
	OPT_ROOT,
	OPT_CHECKER,
	OPT_ACCEPT,
	OPT_CHECK,
	OPT_DEVICE,
	OPT_SOURCES,
	OPT_TARGETS,
	OPT_SOURCE_TYPES,
};

static const struct option longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "sysfs-root", required_argument, NULL, OPT_ROOT },
	{ "checker", required_argument, NULL, OPT_CHECKER },
	{ "accept", required_argument, NULL, OPT_ACCEPT },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "targets", required_argument, NULL, OPT_TARGETS },
	{ "source-types", no_argument, NULL, OPT_SOURCE_TYPES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("migver: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (migver --help)\n", stderr);
	return EXIT_ERROR;
}

/* Which options each command takes, beyond --json and --sysfs-root. */
static int options_allowed(const char *cmd, const struct opts *o)
{
	bool explain = !strcmp(cmd, "explain");
	bool matrix = !strcmp(cmd, "matrix");
	bool callout = !strcmp(cmd, "mdevctl-callout");

	if (o->checker && !explain && !matrix && !callout)
		return usage_error("--checker is for explain and matrix, not %s", cmd);
	if (o->accept && !explain)
		return usage_error("--accept is for explain, not %s", cmd);
	if (o->check && strcmp(cmd, "inspect"))
		return usage_error("--check is for inspect, not %s", cmd);
	if (o->device && strcmp(cmd, "inspect"))
		return usage_error("--device is for inspect, not %s", cmd);
	if ((o->sources || o->targets || o->types_as_sources) && !matrix)
		return usage_error("--sources, --targets and --source-types are for matrix, not %s",
				   cmd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .root = "" };
	int c, nargs;
	const char *cmd;
	char **args;

	/* options may follow the command (GNU getopt permutes) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_ROOT:
			o.root = optarg;
			break;
		case OPT_CHECKER:
			o.checker = optarg;
			break;
		case OPT_ACCEPT:
			o.accept = optarg;
			break;
		case OPT_CHECK:
			o.check = optarg;
			break;
		case OPT_DEVICE:
			o.device = optarg;
			break;
		case OPT_SOURCES:
			o.sources = optarg;
			break;
		case OPT_TARGETS:
			o.targets = optarg;
			break;
		case OPT_SOURCE_TYPES:
			o.types_as_sources = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return fflush(stdout) ? EXIT_ERROR : 0;
		case 'V':
			printf("migver %s\n", MIGVER_TOOL_VERSION);
			return fflush(stdout) ? EXIT_ERROR : 0;
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (*o.root) {
		static char root[PATH_MAX];

		if (!realpath(o.root, root) || !is_dir(root)) {
			err("--sysfs-root %s: not a directory", o.root);
			return EXIT_ERROR;
		}
		o.root = root;
	}
	sysfs_root = o.root;
	if (optind >= argc)
		return usage_error("%s", "a command is needed: list, check, explain, matrix or inspect");
	cmd = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	if (options_allowed(cmd, &o))
		return EXIT_ERROR;

	if (!strcmp(cmd, "list")) {
		if (nargs)
			return usage_error("list takes no arguments, got '%s'", args[0]);
		return cmd_list(&o);
	}
	if (!strcmp(cmd, "check")) {
		if (nargs != 2)
			return usage_error("%s", "check needs SOURCE and TARGET");
		return cmd_check(&o, args[0], args[1]);
	}
	if (!strcmp(cmd, "explain")) {
		if (nargs != 2)
			return usage_error("%s", "explain needs SOURCE and TARGET-STRING");
		if (!o.checker)
			return usage_error("%s", "explain needs --checker NAME");
		return cmd_explain(&o, args[0], args[1]);
	}
	if (!strcmp(cmd, "matrix")) {
		if (nargs)
			return usage_error("matrix takes no arguments, got '%s'", args[0]);
		if (!o.sources || !o.targets)
			return usage_error("%s", "matrix needs --sources FILE and --targets FILE");
		return cmd_matrix(&o);
	}
	if (!strcmp(cmd, "inspect")) {
		if (nargs != 1)
			return usage_error("%s", "inspect needs one STREAM-FILE");
		return cmd_inspect(&o, args[0]);
	}
	if (!strcmp(cmd, "mdevctl-callout"))
		return cmd_mdevctl_callout(&o, nargs, args);
	return usage_error("unknown command '%s'", cmd);
}
