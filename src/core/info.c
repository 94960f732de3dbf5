// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole-fact helpers: validation against the grammar's limits, equality,
 * and the names of the formats.
 *
 * A struct migver_info may come from the parser or be filled in by hand
 * (the driver's own facts, tests), so validation trusts nothing: strings
 * must be terminated inside their arrays and every count must be in range.
 */
#include <migver/version.h>

#include "charclass.h"
#include "compare.h"

/*
 * 1 to @max bytes of class @first then @rest, NUL-terminated inside the
 * array of @max + 1.  One pass: a NUL has no class, so it ends the scan.
 */
static __always_inline bool name_valid(const char *s, size_t max, u8 first,
				       u8 rest)
{
	size_t i;

	if (!(class_of(s[0]) & first))
		return false;
	for (i = 1; i < max; i++)
		if (!(class_of(s[i]) & rest))
			return !s[i];
	return !s[max];
}

static bool device_api_valid(const char *s)
{
	return name_valid(s, MIGVER_DEVICE_API_MAX, C_LOWER, C_API);
}

static bool type_valid(const char *s)
{
	return name_valid(s, MIGVER_TYPE_MAX, C_TYPE, C_TYPE);
}

int migver_info_validate(const struct migver_info *info)
{
	size_t i;

	if ((unsigned int)info->format >= MIGVER_FMT_COUNT)
		return -EINVAL;
	if (!device_api_valid(info->device_api) || !type_valid(info->type))
		return -EINVAL;
	if (info->aggregator < 1 || info->aggregator > MIGVER_AGGREGATOR_MAX)
		return -EINVAL;
	if (info->n_accept > MIGVER_MAX_RANGES)
		return -EINVAL;
	for (i = 0; i < info->n_accept; i++) {
		const struct migver_range *r = &info->accept[i];

		/* hi of an open range is ignored, whatever it holds. */
		if (!r->open_hi && migver_order(&r->lo) > migver_order(&r->hi))
			return -EINVAL;
	}
	return 0;
}

static bool range_equal(const struct migver_range *a,
			const struct migver_range *b)
{
	if (a->open_hi != b->open_hi ||
	    migver_order(&a->lo) != migver_order(&b->lo))
		return false;
	return a->open_hi || migver_order(&a->hi) == migver_order(&b->hi);
}

/*
 * Compares the facts, not where they came from: @format is ignored, so a gvt
 * string and the structured string stating the same facts are equal.
 */
bool migver_info_equal(const struct migver_info *a, const struct migver_info *b)
{
	size_t i, n;

	if (!migver_str_eq(a->device_api, b->device_api,
			   sizeof(a->device_api)) ||
	    !migver_str_eq(a->type, b->type, sizeof(a->type)))
		return false;
	if (a->vendor != b->vendor || a->device != b->device ||
	    a->aggregator != b->aggregator ||
	    migver_order(&a->sw) != migver_order(&b->sw))
		return false;
	if (a->n_accept != b->n_accept)
		return false;
	/* Never read past the array, even for an invalid count. */
	n = a->n_accept < MIGVER_MAX_RANGES ? a->n_accept : MIGVER_MAX_RANGES;
	for (i = 0; i < n; i++)
		if (!range_equal(&a->accept[i], &b->accept[i]))
			return false;
	return true;
}

static const char *const format_names[MIGVER_FMT_COUNT] = {
	[MIGVER_FMT_GVT] = "gvt",
	[MIGVER_FMT_STRUCTURED] = "structured",
};

const char *migver_format_name(enum migver_format fmt)
{
	if ((unsigned int)fmt >= MIGVER_FMT_COUNT)
		return "unknown";
	return format_names[fmt];
}

int migver_format_from_name(const char *name, enum migver_format *fmt)
{
	size_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < MIGVER_FMT_COUNT; i++) {
		if (sysfs_streq(name, format_names[i])) {
			*fmt = (enum migver_format)i;
			return 0;
		}
	}
	return -EINVAL;
}
