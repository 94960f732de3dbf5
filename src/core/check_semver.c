// SPDX-License-Identifier: GPL-2.0-only
/*
 * The default checker: same hardware and type, and the source's software
 * version inside one of the target's accepted ranges.  Unlike the gvt rule,
 * a target can take a migration from an older (or newer) driver it declares
 * compatible, which is what operators of mixed-version fleets ask for.
 */
#include <migver/check.h>

#include "compare.h"

static enum migver_reason check_semver(const struct migver_info *src,
				       const struct migver_info *dst)
{
	enum migver_reason reason;

	if (!dst->n_accept)
		return MIGVER_REASON_UNSUPPORTED;
	/* Hardware and type as every checker; the version by range. */
	reason = migver_classify_inline(src, dst);
	if (reason == MIGVER_REASON_HARDWARE || reason == MIGVER_REASON_TYPE)
		return reason;
	return migver_accepts_inline(dst, &src->sw) ? MIGVER_COMPATIBLE :
						      MIGVER_REASON_SOFTWARE;
}

const struct migver_checker migver_checker_semver = {
	.name = "semver",
	.summary =
		"same device API, PCI ID, type, aggregator; source version in range",
	.check = check_semver,
};
