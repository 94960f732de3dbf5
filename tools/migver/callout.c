// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver mdevctl-callout -- ARGS`: the body of the mdevctl callout script
 * (tools/migver/mdevctl-callout), which vetoes `mdevctl start` of a device
 * whose configured migration_version attribute its type cannot take.
 *
 * mdevctl's callout contract, from its source (mdevctl 1.2.0, Debian 12,
 * and 1.4.0, Debian 13; src/callouts.rs unless named):
 *  - where: every file of /etc/mdevctl.d/scripts.d/callouts (1.2.0: the
 *    only directory, Environment::callout_dir) and, from 1.3,
 *    /usr/lib/mdevctl/scripts.d/callouts first (Environment::callout_dirs
 *    in src/environment.rs; both under $MDEVCTL_ENV_ROOT from 1.3.0);
 *  - arguments (Callout::invoke_script): -t TYPE -e EVENT -a ACTION
 *    -s STATE -u UUID -p PARENT; events pre post notify get (and live,
 *    1.4), actions start stop define undefine modify attributes (and
 *    capabilities, 1.4);
 *  - stdin for pre and post: the device's config, MDev::to_json(false) in
 *    src/mdev.rs: {"mdev_type": T, "start": "auto"|"manual",
 *    "attrs": [{"NAME": "VALUE"}, ...]};
 *  - exit status 2 is "not my device": mdevctl tries the next script, and
 *    the first one that exits otherwise is the device's script
 *    (Callout::invoke_first_matching_script); for a pre event any other
 *    nonzero status vetoes the action (Callout::invoke; `--force` overrides
 *    it from 1.3) and mdevctl prints the script's stderr after its file
 *    name (Callout::print_err);
 *  - `mdevctl start` and autostart (start-parent-mdevs, src/main.rs) both
 *    run event pre, action start; the attributes are written into the new
 *    device after it is created (MDev::start).
 *
 * So: pre-start of a device whose type has a migration_version attribute
 * and whose config sets one is ours; everything else exits 2, which also
 * leaves the device to any other script for its type.  Each configured
 * string is checked against the type the device will be created with
 * (the type-level attribute, usable before the device exists).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migver.h"

#define EXIT_NOT_MINE 2

/* The configured migration_version strings of the config on stdin. */
static int configured_strings(json_t **out)
{
	json_t *doc, *attrs, *a, *v, *strings;
	json_error_t jerr;
	size_t i, len;
	char *text;
	const char *k;

	*out = NULL;
	text = read_file("-", SOURCE_MAX * 16, &len);
	if (!text) {
		err("mdevctl-callout: reading the device's config on standard input: %s",
		    strerror(errno));
		return EXIT_ERROR;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!doc) {
		err("mdevctl-callout: the device's config on standard input is not valid JSON: line %d: %s",
		    jerr.line, jerr.text);
		return EXIT_ERROR;
	}
	attrs = json_object_get(doc, "attrs");
	if (!json_is_object(doc) || (attrs && !json_is_array(attrs))) {
		err("mdevctl-callout: the device's config on standard input is not an mdevctl config (an object whose attrs is a list)");
		json_decref(doc);
		return EXIT_ERROR;
	}
	strings = json_array();
	json_array_foreach(attrs, i, a) {
		if (!json_is_object(a)) {
			err("mdevctl-callout: attrs[%zu] of the device's config is not an object",
			    i);
			goto fail;
		}
		json_object_foreach(a, k, v) {
			if (strcmp(k, "migration_version"))
				continue;
			if (!json_is_string(v)) {
				err("mdevctl-callout: attrs[%zu].migration_version of the device's config is not a string",
				    i);
				goto fail;
			}
			json_array_append(strings, v);
		}
	}
	json_decref(doc);
	*out = strings;
	return 0;
fail:
	json_decref(strings);
	json_decref(doc);
	return EXIT_ERROR;
}

/* One stderr line, which mdevctl shows the user: why the start is refused. */
static void print_veto(const char *uuid, const char *parent, const char *type,
		       enum migver_reason reason, const struct side *src,
		       json_t *diffs, const char *who)
{
	size_t i;
	json_t *d;

	fprintf(stderr, "refusing to start %s: %s/%s cannot take its migration_version: %s (%s, decided by %s)",
		uuid, parent, type, migver_reason_name(reason),
		reason_errno_name(reason), who);
	if (reason == MIGVER_REASON_FORMAT)
		fprintf(stderr, ": the string is malformed: %s",
			src->why ? src->why : "malformed");
	json_array_foreach(diffs, i, d)
		fprintf(stderr, "%s %s source %s target %s", i ? ";" : ":",
			json_string_value(json_object_get(d, "field")),
			json_string_value(json_object_get(d, "source")),
			json_string_value(json_object_get(d, "target")));
	fputc('\n', stderr);
}

int cmd_mdevctl_callout(const struct opts *o, int argc, char **argv)
{
	const char *type = NULL, *event = NULL, *action = NULL;
	const char *uuid = "the device", *parent = NULL;
	const struct migver_checker *checker = NULL;
	char *tdir = NULL, *attr = NULL;
	json_t *strings = NULL, *v;
	int i, ret = EXIT_NOT_MINE;
	size_t n;

	/* pairs; an option of a newer mdevctl is skipped */
	for (i = 0; i + 1 < argc; i += 2) {
		const char **slot = !strcmp(argv[i], "-t") ? &type :
				    !strcmp(argv[i], "-e") ? &event :
				    !strcmp(argv[i], "-a") ? &action :
				    !strcmp(argv[i], "-u") ? &uuid :
				    !strcmp(argv[i], "-p") ? &parent : NULL;
		if (slot)
			*slot = argv[i + 1];
	}
	if (!event || !action || strcmp(event, "pre") || strcmp(action, "start"))
		return EXIT_NOT_MINE;
	if (!type || !parent || strchr(type, '/') || strchr(parent, '/')) {
		err("mdevctl-callout: pre-start needs -t TYPE and -p PARENT (as mdevctl passes them)");
		return EXIT_ERROR;
	}
	if (o->checker && !(checker = find_checker(o->checker)))
		return EXIT_ERROR;
	/* ours: a type with the attribute */
	tdir = root_path("/sys/class/mdev_bus/%s/mdev_supported_types/%s", parent,
			 type);
	if (!tdir || asprintf(&attr, "%s/migration_version", tdir) < 0) {
		attr = NULL;
		err("out of memory");
		ret = EXIT_ERROR;
		goto out;
	}
	if (access(attr, F_OK))
		goto out;
	ret = configured_strings(&strings);
	if (ret)
		goto out;
	ret = EXIT_NOT_MINE;
	json_array_foreach(strings, n, v) {
		struct side src = { 0 };
		enum migver_reason reason;
		json_t *diffs;

		src.origin = strdup("mdevctl config");
		src.buf = strdup(json_string_value(v));
		src.len = json_string_length(v);
		if (!src.origin || !src.buf) {
			side_free(&src);
			err("out of memory");
			ret = EXIT_ERROR;
			goto out;
		}
		side_parse(&src);
		ret = verdict_for(tdir, &src, checker, &reason, &diffs);
		if (!ret && reason != MIGVER_COMPATIBLE) {
			print_veto(uuid, parent, type, reason, &src, diffs,
				   checker ? "the core, offline" : "the kernel");
			ret = verdict_exit(reason);
		}
		json_decref(diffs);
		side_free(&src);
		if (ret)
			goto out;
	}
out:
	json_decref(strings);
	free(tdir);
	free(attr);
	return ret;
}
