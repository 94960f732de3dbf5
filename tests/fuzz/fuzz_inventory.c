// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the migver tool's inventory reader
 * (tools/migver/matrix.c, inv_parse()): the JSON of `migver list --json`
 * as `migver matrix` reads it, arbitrary bytes in.  Every property is
 * checked with abort() (fuzz_check.h).
 *
 *   1. Read for its devices and for its types: accepted or refused, never
 *      a crash, leak or undefined behaviour (ASan, UBSan).
 *   2. Every entry read has an id and a string; a string the core parsed
 *      has facts that obey the grammar (migver_info_validate()).
 *   3. Every checker of the table gives every pair a reason of the
 *      table, and format exactly when the source did not parse.
 */
#include "../../tools/migver/migver.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void one(const unsigned char *data, size_t size, bool types)
{
	const struct migver_checker *c;
	struct inv v;
	size_t i, j, k;

	if (inv_parse(&v, (const char *)data, size, "fuzz", types)) {
		inv_free(&v);
		return;
	}
	for (i = 0; i < v.n; i++) {
		CHECK(v.e[i].id && v.e[i].string);
		if (!v.e[i].parse_err)
			CHECK(!migver_info_validate(&v.e[i].info));
	}
	for (k = 0; (c = migver_checker_at(k)); k++) {
		for (i = 0; i < v.n && i < 16; i++) {
			for (j = 0; j < v.n && j < 16; j++) {
				enum migver_reason r = MIGVER_REASON_FORMAT;

				if (v.e[j].parse_err)
					continue; /* matrix refuses such targets */
				if (!v.e[i].parse_err)
					r = c->check(&v.e[i].info, &v.e[j].info);
				CHECK((unsigned int)r < MIGVER_REASON_COUNT);
				CHECK((r == MIGVER_REASON_FORMAT) ==
				      (v.e[i].parse_err != 0));
			}
		}
	}
	inv_free(&v);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	migver_quiet = true;
	one(data, size, false);
	one(data, size, true);
	return 0;
}
