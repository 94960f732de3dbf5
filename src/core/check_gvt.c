// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rule of the 2020 GVT example: the series compared whole strings, so
 * a target accepted only a source running its own software version.
 *
 * Hardware and type are compared as by every checker, with
 * migver_classify(): device API and aggregator too, which the series'
 * format could not carry but a structured source can (a vfio-ccw source or
 * one of four aggregated instances is not a GVTg_V5_8 vGPU, whatever its
 * PCI ID and type name say).  The software rule is the series': equal
 * versions, classify's own last test.  The classification order is ours
 * (hardware, type, software), not the series' log order, so the errno
 * means the same under every checker.
 */
#include <migver/check.h>

#include "compare.h"

static enum migver_reason check_gvt(const struct migver_info *src,
				    const struct migver_info *dst)
{
	if (!dst->n_accept)
		return MIGVER_REASON_UNSUPPORTED;
	return migver_classify_inline(src, dst);
}

const struct migver_checker migver_checker_gvt = {
	.name = "gvt",
	.summary = "2020 GVT example: hardware, type and version all equal",
	.check = check_gvt,
};
