// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every command shares: the one-line error, the JSON printer and the
 * exit status of a verdict.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "migver.h"

bool migver_quiet; /* the fuzzers set it: no error lines */

void err(const char *fmt, ...)
{
	va_list ap;

	if (migver_quiet)
		return;
	fputs("migver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The whole document is formatted before a byte reaches stdout, so a
 * failure never leaves half a document behind.
 */
int json_print(json_t *doc)
{
	char *s;
	int ret = 0;

	if (!doc) {
		err("out of memory");
		return EXIT_ERROR;
	}
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!s) {
		err("cannot format JSON output");
		return EXIT_ERROR;
	}
	if (puts(s) == EOF || fflush(stdout)) {
		err("writing standard output failed");
		ret = EXIT_ERROR;
	}
	free(s);
	return ret;
}

int verdict_exit(enum migver_reason reason)
{
	return reason == MIGVER_COMPATIBLE ? 0 : EXIT_VERDICT_BASE + (int)reason;
}

