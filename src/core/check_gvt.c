// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rule of the 2020 GVT example: vendor, device, type and software
 * version all equal.  The series compared whole strings, so device_api and
 * aggregator (which its format cannot carry) play no part here; the
 * classification order is ours (hardware, type, software), not the series'
 * log order, so the errno means the same under every checker.
 */
#include <migver/check.h>

static enum migver_reason check_gvt(const struct migver_info *src,
				    const struct migver_info *dst)
{
	if (!dst->n_accept)
		return MIGVER_REASON_UNSUPPORTED;
	if (src->vendor != dst->vendor || src->device != dst->device)
		return MIGVER_REASON_HARDWARE;
	if (strncmp(src->type, dst->type, sizeof(src->type)))
		return MIGVER_REASON_TYPE;
	if (migver_semver_cmp(&src->sw, &dst->sw))
		return MIGVER_REASON_SOFTWARE;
	return MIGVER_COMPATIBLE;
}

const struct migver_checker migver_checker_gvt = {
	.name = "gvt",
	.summary = "2020 GVT example: vendor, device, type, version all equal",
	.check = check_gvt,
};
