// SPDX-License-Identifier: GPL-2.0-only
/*
 * Facts to text: the canonical form of both formats.
 *
 * Output is assembled from short pieces, each printed into a small local
 * buffer and then copied only if it fits whole, so a short @buf yields a
 * clean -ENOSPC (and an empty string) instead of a silently truncated
 * version string that the other side might misread.
 */
#include <migver/version.h>

#include "compare.h"

struct emit_out {
	char *buf;
	size_t size; /* > 0 */
	size_t len;
	bool full;
};

static void out_str(struct emit_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->full || n >= o->size - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_semver(struct emit_out *o, const struct migver_semver *v)
{
	char tmp[24];

	scnprintf(tmp, sizeof(tmp), "%u.%u.%u", v->major, v->minor, v->patch);
	out_str(o, tmp);
}

static int out_finish(struct emit_out *o)
{
	if (o->full) {
		o->buf[0] = '\0';
		return -ENOSPC;
	}
	return (int)o->len;
}

/* Only the accepted list: a caller may print it without the other facts. */
static bool ranges_valid(const struct migver_info *info)
{
	size_t i;

	if (info->n_accept > MIGVER_MAX_RANGES)
		return false;
	for (i = 0; i < info->n_accept; i++) {
		const struct migver_range *r = &info->accept[i];

		if (!r->open_hi && migver_semver_cmp(&r->lo, &r->hi) > 0)
			return false;
	}
	return true;
}

static void out_ranges(struct emit_out *o, const struct migver_info *info)
{
	size_t i;

	if (!info->n_accept) {
		out_str(o, "none");
		return;
	}
	for (i = 0; i < info->n_accept; i++) {
		const struct migver_range *r = &info->accept[i];

		if (i)
			out_str(o, ",");
		out_semver(o, &r->lo);
		if (r->open_hi) {
			out_str(o, "-");
		} else if (migver_semver_cmp(&r->lo, &r->hi)) {
			out_str(o, "-");
			out_semver(o, &r->hi);
		}
	}
}

int migver_emit_ranges(const struct migver_info *info, char *buf, size_t size)
{
	struct emit_out o = { .buf = buf, .size = size };

	if (size)
		buf[0] = '\0';
	if (!ranges_valid(info))
		return -EINVAL;
	if (!size)
		return -ENOSPC;
	out_ranges(&o, info);
	return out_finish(&o);
}

static void out_structured(struct emit_out *o, const struct migver_info *info)
{
	char tmp[32];

	out_str(o, "device_api=");
	out_str(o, info->device_api);
	scnprintf(tmp, sizeof(tmp), ";pci_id=%04x:%04x", info->vendor,
		  info->device);
	out_str(o, tmp);
	out_str(o, ";type=");
	out_str(o, info->type);
	scnprintf(tmp, sizeof(tmp), ";aggregator=%u", info->aggregator);
	out_str(o, tmp);
	out_str(o, ";software_version=");
	out_semver(o, &info->sw);
	out_str(o, ";accepted_source_versions=");
	out_ranges(o, info);
}

/* What the gvt format cannot carry; the accepted list is simply dropped. */
static bool gvt_representable(const struct migver_info *info)
{
	return info->sw.major <= 0xff && info->sw.minor <= 0xff &&
	       info->aggregator == 1 && !strcmp(info->device_api, "vfio-pci");
}

static void out_gvt(struct emit_out *o, const struct migver_info *info)
{
	char tmp[24];

	scnprintf(tmp, sizeof(tmp), "%04x-%04x-", info->vendor, info->device);
	out_str(o, tmp);
	out_str(o, info->type);
	/* MMmmpppp, see version.h */
	scnprintf(tmp, sizeof(tmp), "-%02x%02x%04x", info->sw.major,
		  info->sw.minor, info->sw.patch);
	out_str(o, tmp);
}

int migver_emit_check(const struct migver_info *info, enum migver_format fmt)
{
	if (migver_info_validate(info))
		return -EINVAL;
	switch (fmt) {
	case MIGVER_FMT_GVT:
		return gvt_representable(info) ? 0 : -ERANGE;
	case MIGVER_FMT_STRUCTURED:
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The facts each printer above prints, compared as they are printed; see
 * migver_printed_same() in compare.h.  The fuzzer checks this against
 * comparing the printed strings.
 */
bool migver_emit_same(const struct migver_info *a, const struct migver_info *b,
		      enum migver_format fmt)
{
	if (migver_emit_check(a, fmt) || migver_emit_check(b, fmt))
		return false;
	return migver_printed_same(a, b, fmt);
}

int migver_emit(const struct migver_info *info, enum migver_format fmt,
		char *buf, size_t size)
{
	struct emit_out o = { .buf = buf, .size = size };
	int ret;

	if (size)
		buf[0] = '\0';
	ret = migver_emit_check(info, fmt);
	if (ret)
		return ret;
	if (!size)
		return -ENOSPC;
	if (fmt == MIGVER_FMT_GVT)
		out_gvt(&o, info);
	else
		out_structured(&o, info);
	return out_finish(&o);
}
