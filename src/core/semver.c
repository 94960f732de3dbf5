// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ordering of software versions and membership in accepted ranges.  Parsing
 * lives in parse.c, printing in emit.c: this file only compares facts.
 */
#include <migver/version.h>

#include "compare.h"

int migver_semver_cmp(const struct migver_semver *a,
		      const struct migver_semver *b)
{
	u64 x = migver_order(a), y = migver_order(b);

	return x < y ? -1 : x > y;
}

/*
 * An open range ("V-") has no upper bound: its hi is ignored here, as in
 * migver_info_equal() and the emitter, so callers need not fill it in.
 */
bool migver_range_contains(const struct migver_range *r,
			   const struct migver_semver *v)
{
	return migver_contains(r, migver_order(v));
}

bool migver_accepts(const struct migver_info *info,
		    const struct migver_semver *v)
{
	return migver_accepts_inline(info, v);
}
