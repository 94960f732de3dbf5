// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ordering of software versions and membership in accepted ranges.  Parsing
 * lives in parse.c, printing in emit.c: this file only compares facts.
 */
#include <migver/version.h>

/* One number that orders as the version does. */
static __always_inline u64 key(const struct migver_semver *v)
{
	return (u64)v->major << 32 | (u64)v->minor << 16 | v->patch;
}

int migver_semver_cmp(const struct migver_semver *a,
		      const struct migver_semver *b)
{
	u64 x = key(a), y = key(b);

	return x < y ? -1 : x > y;
}

static __always_inline bool contains(const struct migver_range *r, u64 v)
{
	return v >= key(&r->lo) && (r->open_hi || v <= key(&r->hi));
}

/*
 * An open range ("V-") has no upper bound: its hi is ignored here, as in
 * migver_info_equal() and the emitter, so callers need not fill it in.
 */
bool migver_range_contains(const struct migver_range *r,
			   const struct migver_semver *v)
{
	return contains(r, key(v));
}

bool migver_accepts(const struct migver_info *info,
		    const struct migver_semver *v)
{
	u64 k = key(v);
	size_t i;

	/* Never trust n_accept beyond the array, even from a bad caller. */
	for (i = 0; i < info->n_accept && i < MIGVER_MAX_RANGES; i++)
		if (contains(&info->accept[i], k))
			return true;
	return false;
}
