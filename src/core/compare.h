/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to src/core: the comparisons every check makes, inline, so that
 * the checkers run them without a call each (a check through
 * migration_version is mostly calls and compares once the string is
 * parsed).  The exported migver_classify(), migver_accepts() and
 * migver_semver_cmp() are these same functions.
 */
#ifndef MIGVER_CORE_COMPARE_H
#define MIGVER_CORE_COMPARE_H

#include <migver/check.h>

/*
 * !strncmp(a, b, size) for two char arrays of @size, a word at a time: a
 * pair of equal words holding a NUL ends it, the first unequal pair is
 * compared byte by byte as strncmp() would (bytes after the NUL play no
 * part, whatever they hold; the parser zero-pads, so they rarely differ).
 */
static __always_inline bool migver_str_eq(const char *a, const char *b,
					  size_t size)
{
	size_t i = 0;
	u64 x, y;

	for (; i + 8 <= size; i += 8) {
		memcpy(&x, a + i, sizeof(x));
		memcpy(&y, b + i, sizeof(y));
		if (x != y)
			break;
		/* a zero byte in x */
		if ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL)
			return true;
	}
	for (; i < size; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

/* One number that orders as the version does. */
static __always_inline u64 migver_order(const struct migver_semver *v)
{
	return (u64)v->major << 32 | (u64)v->minor << 16 | v->patch;
}

/* migver_classify() */
static __always_inline enum migver_reason
migver_classify_inline(const struct migver_info *src,
		       const struct migver_info *dst)
{
	if (!migver_str_eq(src->device_api, dst->device_api,
			   sizeof(src->device_api)) ||
	    src->vendor != dst->vendor || src->device != dst->device)
		return MIGVER_REASON_HARDWARE;
	if (!migver_str_eq(src->type, dst->type, sizeof(src->type)) ||
	    src->aggregator != dst->aggregator)
		return MIGVER_REASON_TYPE;
	if (migver_order(&src->sw) != migver_order(&dst->sw))
		return MIGVER_REASON_SOFTWARE;
	return MIGVER_COMPATIBLE;
}

/* migver_range_contains(), with @v as migver_order() */
static __always_inline bool migver_contains(const struct migver_range *r, u64 v)
{
	return v >= migver_order(&r->lo) &&
	       (r->open_hi || v <= migver_order(&r->hi));
}

/* migver_accepts() */
static __always_inline bool
migver_accepts_inline(const struct migver_info *info,
		      const struct migver_semver *v)
{
	u64 k = migver_order(v);
	size_t i;

	/* Never trust n_accept beyond the array, even from a bad caller. */
	for (i = 0; i < info->n_accept && i < MIGVER_MAX_RANGES; i++)
		if (migver_contains(&info->accept[i], k))
			return true;
	return false;
}

/*
 * migver_emit_same() of two infos already known to print in @fmt: the
 * structured form shows every fact (migver_info_equal() compares exactly
 * those), gvt shows vendor, device, type and software version.
 */
static __always_inline bool migver_printed_same(const struct migver_info *a,
						const struct migver_info *b,
						enum migver_format fmt)
{
	if (fmt == MIGVER_FMT_STRUCTURED)
		return migver_info_equal(a, b);
	return a->vendor == b->vendor && a->device == b->device &&
	       migver_str_eq(a->type, b->type, sizeof(a->type)) &&
	       migver_order(&a->sw) == migver_order(&b->sw);
}

#endif /* MIGVER_CORE_COMPARE_H */
