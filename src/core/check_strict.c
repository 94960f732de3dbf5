// SPDX-License-Identifier: GPL-2.0-only
/*
 * The series' own behaviour: the source's canonical string must equal the
 * string the target would print for itself in the source's format.  Only
 * the verdict is string equality; the reason is still classified in the
 * common order so the errno means the same as under the other checkers.
 */
#include <migver/check.h>

#include "compare.h"

/*
 * Why @dst has no string in the gvt format.  Reached only when the facts
 * migver_classify() compares are equal, which for a printable source rules
 * all of these out; kept so a hand-made source cannot yield "compatible".
 */
static enum migver_reason unrepresentable(const struct migver_info *dst)
{
	if (strcmp(dst->device_api, "vfio-pci"))
		return MIGVER_REASON_HARDWARE;
	if (dst->aggregator != 1)
		return MIGVER_REASON_TYPE;
	return MIGVER_REASON_SOFTWARE;
}

static enum migver_reason check_strict(const struct migver_info *src,
				       const struct migver_info *dst)
{
	enum migver_reason r;
	int printable;

	if (!dst->n_accept)
		return MIGVER_REASON_UNSUPPORTED;
	/* A source that has no string of its own is malformed. */
	if (migver_emit_check(src, src->format))
		return MIGVER_REASON_FORMAT;
	/*
	 * migver_emit_same(), with each side validated once: this is the
	 * whole cost of a check once the strings are parsed.
	 */
	printable = migver_emit_check(dst, src->format);
	if (!printable && migver_printed_same(src, dst, src->format))
		return MIGVER_COMPATIBLE;

	r = migver_classify(src, dst);
	if (r != MIGVER_COMPATIBLE)
		return r;
	/*
	 * Hardware, type and software version agree, yet the strings differ:
	 * either @dst cannot be printed in the source's format, or (structured
	 * only) the accepted lists differ.  The latter is a software refusal:
	 * the accepted list is about software versions.
	 */
	if (printable == -ERANGE)
		return unrepresentable(dst);
	return MIGVER_REASON_SOFTWARE;
}

const struct migver_checker migver_checker_strict = {
	.name = "strict",
	.summary =
		"canonical source string equals the target's own (2020 series)",
	.check = check_strict,
};
