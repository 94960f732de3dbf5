// SPDX-License-Identifier: GPL-2.0-only
/*
 * The default checker: same hardware and type, and the source's software
 * version inside one of the target's accepted ranges.  Unlike the gvt rule,
 * a target can take a migration from an older (or newer) driver it declares
 * compatible, which is what operators of mixed-version fleets ask for.
 */
#include <migver/check.h>

static enum migver_reason check_semver(const struct migver_info *src,
				       const struct migver_info *dst)
{
	if (!dst->n_accept)
		return MIGVER_REASON_UNSUPPORTED;
	if (strncmp(src->device_api, dst->device_api,
		    sizeof(src->device_api)) ||
	    src->vendor != dst->vendor || src->device != dst->device)
		return MIGVER_REASON_HARDWARE;
	if (strncmp(src->type, dst->type, sizeof(src->type)) ||
	    src->aggregator != dst->aggregator)
		return MIGVER_REASON_TYPE;
	if (!migver_accepts(dst, &src->sw))
		return MIGVER_REASON_SOFTWARE;
	return MIGVER_COMPATIBLE;
}

const struct migver_checker migver_checker_semver = {
	.name = "semver",
	.summary =
		"same device API, PCI ID, type, aggregator; source version in range",
	.check = check_semver,
};
