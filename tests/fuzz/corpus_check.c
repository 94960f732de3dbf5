// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seed corpus self-check: each seed's SOURCE part (up to the first 0xff)
 * must parse unless the file name contains "-bad-"; "prim-" seeds feed the
 * primitives only and are skipped.  Keeps the corpus honest about what it
 * claims to cover, and prints what the parser said about each seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <migver/version.h>

int main(int argc, char **argv)
{
	static char buf[4096];
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		const char *name = strrchr(argv[i], '/');
		struct migver_info info;
		const char *why = NULL;
		char *sep;
		size_t n;
		FILE *f;
		int ret, ok, want_ok;

		name = name ? name + 1 : argv[i];
		if (!strncmp(name, "prim-", 5))
			continue;
		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		sep = memchr(buf, 0xff, n);
		if (sep)
			n = (size_t)(sep - buf);
		ret = migver_parse(buf, n, &info, &why);
		ok = !ret;
		want_ok = !strstr(name, "-bad-");
		printf("%-5s %-22s %s\n", ok == want_ok ? "ok" : "WRONG", name,
		       ret ? why : "parsed");
		if (ok != want_ok)
			bad++;
	}
	return bad ? 1 : 0;
}
