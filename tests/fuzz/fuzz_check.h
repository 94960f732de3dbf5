/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CHECK(cond): a property of a fuzz target.  A failure names the condition
 * and line, then aborts, which libFuzzer reports as a crash and saves as a
 * reproducer.
 */
#ifndef MIGVER_FUZZ_CHECK_H
#define MIGVER_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "property failed: %s (line %d)\n", \
				#cond, __LINE__);                          \
			abort();                                           \
		}                                                          \
	} while (0)

#endif /* MIGVER_FUZZ_CHECK_H */
