// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ordering of software versions and membership in accepted ranges.  Parsing
 * lives in parse.c, printing in emit.c: this file only compares facts.
 */
#include <migver/version.h>

int migver_semver_cmp(const struct migver_semver *a,
		      const struct migver_semver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

/*
 * An open range ("V-") has no upper bound: its hi is ignored here, as in
 * migver_info_equal() and the emitter, so callers need not fill it in.
 */
bool migver_range_contains(const struct migver_range *r,
			   const struct migver_semver *v)
{
	if (migver_semver_cmp(v, &r->lo) < 0)
		return false;
	return r->open_hi || migver_semver_cmp(v, &r->hi) <= 0;
}

bool migver_accepts(const struct migver_info *info,
		    const struct migver_semver *v)
{
	size_t i;

	/* Never trust n_accept beyond the array, even from a bad caller. */
	for (i = 0; i < info->n_accept && i < MIGVER_MAX_RANGES; i++)
		if (migver_range_contains(&info->accept[i], v))
			return true;
	return false;
}
