// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference parser for differential fuzzing: src/core/parse.c as it
 * was before the single-pass rewrite (commit 024fa11), verbatim but for
 * the names of its three entry points (migver_parse_ref(),
 * migver_parse_semver_ref(), migver_parse_ranges_ref()).  It walks each
 * byte three or four times, which is why it was replaced, and is kept
 * here only: the fuzzer asserts that the core's parser gives the same
 * result, the same reason string and the same facts on every input.
 * Never change its behaviour; it defines what "the same" means.
 *
 * Text to facts: the strict parser for both formats.
 *
 * The input comes from userspace through sysfs, is not NUL-terminated and
 * may be anything.  Every scanner therefore works on (pointer, length) with
 * explicit bounds, accepts exactly the README grammar and nothing more
 * (no sscanf: it skips blanks, accepts signs and 0x, and silently stops
 * early), and reports failure with a static string saying what was wrong.
 */
#include <migver/version.h>

#include "parse_ref.h"

/* Bytes allowed anywhere in a string, apart from one final newline. */
static bool is_visible(char c)
{
	return c >= 0x21 && c <= 0x7e;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_type_char(char c)
{
	return is_digit(c) || is_lower(c) || (c >= 'A' && c <= 'Z') || c == '_';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly @n hex digits (n <= 8); fixed width, so no overflow is possible. */
static bool scan_hex(const char *s, size_t n, u32 *out)
{
	u32 v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = hex_value(s[i]);

		if (d < 0)
			return false;
		v = v << 4 | (u32)d;
	}
	*out = v;
	return true;
}

/* Offset of the first @c in s[0..len), or len if there is none. */
static size_t find_char(const char *s, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len && s[i] != c; i++)
		;
	return i;
}

/*
 * number = "0" / %x31-39 0*4DIGIT, value <= @max.  Five digits at most, so
 * the accumulator cannot overflow before the range check.
 */
static int scan_number(const char *s, size_t len, u32 max, u32 *out,
		       const char **why)
{
	u32 v = 0;
	size_t i;

	if (!len) {
		*why = "expected a decimal number";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i])) {
			*why = "expected a decimal number";
			return -EINVAL;
		}
	}
	if (len > 1 && s[0] == '0') {
		*why = "leading zero in a number";
		return -EINVAL;
	}
	if (len > 5) {
		*why = "number out of range";
		return -EINVAL;
	}
	for (i = 0; i < len; i++)
		v = v * 10 + (u32)(s[i] - '0');
	if (v > max) {
		*why = "number out of range";
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* semver = number "." number "." number, each 0..65535 */
static int scan_semver(const char *s, size_t len, struct migver_semver *v,
		       const char **why)
{
	u32 part[3];
	size_t i, n;
	int ret;

	for (i = 0; i < 3; i++) {
		n = find_char(s, len, '.');
		/* MAJOR and MINOR end at a '.', PATCH at the end */
		if (i < 2 ? n == len : n != len) {
			*why = "version: expected MAJOR.MINOR.PATCH";
			return -EINVAL;
		}
		ret = scan_number(s, n, 0xffff, &part[i], why);
		if (ret)
			return ret;
		if (i < 2) {
			s += n + 1;
			len -= n + 1;
		}
	}
	v->major = (u16)part[0];
	v->minor = (u16)part[1];
	v->patch = (u16)part[2];
	return 0;
}

int migver_parse_semver_ref(const char *buf, size_t len,
			    struct migver_semver *v)
{
	const char *why;
	int ret;

	memset(v, 0, sizeof(*v));
	ret = scan_semver(buf, len, v, &why);
	if (ret)
		memset(v, 0, sizeof(*v));
	return ret;
}

/* range = semver [ "-" [ semver ] ]: "V", "V-W" (V <= W) or "V-" */
static int scan_range(const char *s, size_t len, struct migver_range *r,
		      const char **why)
{
	size_t dash = find_char(s, len, '-');
	int ret;

	if (!len) {
		*why = "accepted_source_versions: empty range";
		return -EINVAL;
	}
	ret = scan_semver(s, dash, &r->lo, why);
	if (ret)
		return ret;
	if (dash == len) {
		r->hi = r->lo;
		return 0;
	}
	if (dash + 1 == len) {
		/*
		 * hi is ignored for open ranges; fill in the top version
		 * anyway so the result is the same however it is used.
		 */
		r->open_hi = true;
		r->hi.major = 0xffff;
		r->hi.minor = 0xffff;
		r->hi.patch = 0xffff;
		return 0;
	}
	ret = scan_semver(s + dash + 1, len - dash - 1, &r->hi, why);
	if (ret)
		return ret;
	if (migver_semver_cmp(&r->lo, &r->hi) > 0) {
		*why = "accepted_source_versions: reversed range";
		return -EINVAL;
	}
	return 0;
}

/* accepted = "none" / range *7( "," range ) */
static int scan_ranges(const char *s, size_t len, struct migver_info *info,
		       const char **why)
{
	size_t n;
	int ret;

	info->n_accept = 0;
	memset(info->accept, 0, sizeof(info->accept));
	if (len == 4 && !memcmp(s, "none", 4))
		return 0;
	for (;;) {
		if (info->n_accept == MIGVER_MAX_RANGES) {
			*why = "accepted_source_versions: more than 8 ranges";
			goto err;
		}
		n = find_char(s, len, ',');
		ret = scan_range(s, n, &info->accept[info->n_accept], why);
		if (ret)
			goto err;
		info->n_accept++;
		if (n == len)
			return 0;
		/* Skip the comma; a trailing one leaves an empty range. */
		s += n + 1;
		len -= n + 1;
	}
err:
	info->n_accept = 0;
	memset(info->accept, 0, sizeof(info->accept));
	return -EINVAL;
}

int migver_parse_ranges_ref(const char *buf, size_t len,
			    struct migver_info *info)
{
	const char *why;

	return scan_ranges(buf, len, info, &why);
}

/* type-name = 1*31( ALPHA / DIGIT / "_" ), shared by both formats */
static bool scan_type(const char *s, size_t len, char *type)
{
	size_t i;

	if (!len || len > MIGVER_TYPE_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!is_type_char(s[i]))
			return false;
	memcpy(type, s, len);
	type[len] = '\0';
	return true;
}

/* The facts a gvt string implies but cannot carry. */
static void gvt_implied(struct migver_info *info)
{
	memcpy(info->device_api, "vfio-pci", sizeof("vfio-pci"));
	info->aggregator = 1;
	info->n_accept = 1;
	info->accept[0].lo = info->sw;
	info->accept[0].hi = info->sw;
	info->accept[0].open_hi = false;
}

/* gvt = hex4 "-" hex4 "-" type-name "-" 8HEXDIG */
static int parse_gvt(const char *s, size_t len, struct migver_info *info,
		     const char **why)
{
	size_t tlen;
	u32 v;

	if (len < 10 || !scan_hex(s, 4, &v) || s[4] != '-') {
		*why = "gvt: vendor: expected 4 hex digits and '-'";
		return -EINVAL;
	}
	info->vendor = (u16)v;
	if (!scan_hex(s + 5, 4, &v) || s[9] != '-') {
		*why = "gvt: device: expected 4 hex digits and '-'";
		return -EINVAL;
	}
	info->device = (u16)v;
	s += 10;
	len -= 10;

	tlen = find_char(s, len, '-');
	if (tlen == len) {
		*why = "gvt: expected 4 fields separated by '-'";
		return -EINVAL;
	}
	if (!scan_type(s, tlen, info->type)) {
		*why = "gvt: type: expected 1-31 of A-Z a-z 0-9 _";
		return -EINVAL;
	}
	s += tlen + 1;
	len -= tlen + 1;

	if (len != 8 || !scan_hex(s, 8, &v)) {
		*why = "gvt: software version: expected 8 hex digits";
		return -EINVAL;
	}
	/* MMmmpppp, see version.h */
	info->sw.major = (u16)(v >> 24);
	info->sw.minor = (u16)((v >> 16) & 0xff);
	info->sw.patch = (u16)(v & 0xffff);
	gvt_implied(info);
	return 0;
}

/* device-api = %x61-7A 0*14( %x61-7A / DIGIT / "-" ) */
static int field_device_api(const char *s, size_t len, struct migver_info *info,
			    const char **why)
{
	size_t i;

	if (len > MIGVER_DEVICE_API_MAX) {
		*why = "device_api: longer than 15 characters";
		return -EINVAL;
	}
	if (!is_lower(s[0])) {
		*why = "device_api: must start with a-z";
		return -EINVAL;
	}
	for (i = 1; i < len; i++) {
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-') {
			*why = "device_api: expected a-z 0-9 -";
			return -EINVAL;
		}
	}
	memcpy(info->device_api, s, len);
	info->device_api[len] = '\0';
	return 0;
}

/* pci-id = hex4 ":" hex4 */
static int field_pci_id(const char *s, size_t len, struct migver_info *info,
			const char **why)
{
	u32 vendor, device;

	if (len != 9 || !scan_hex(s, 4, &vendor) || s[4] != ':' ||
	    !scan_hex(s + 5, 4, &device)) {
		*why = "pci_id: expected 4 hex digits ':' 4 hex digits";
		return -EINVAL;
	}
	info->vendor = (u16)vendor;
	info->device = (u16)device;
	return 0;
}

static int field_type(const char *s, size_t len, struct migver_info *info,
		      const char **why)
{
	if (!scan_type(s, len, info->type)) {
		*why = "type: expected 1-31 of A-Z a-z 0-9 _";
		return -EINVAL;
	}
	return 0;
}

static int field_aggregator(const char *s, size_t len, struct migver_info *info,
			    const char **why)
{
	u32 v;

	if (scan_number(s, len, MIGVER_AGGREGATOR_MAX, &v, why) || !v) {
		*why = "aggregator: expected a decimal number 1-64";
		return -EINVAL;
	}
	info->aggregator = v;
	return 0;
}

static int field_sw(const char *s, size_t len, struct migver_info *info,
		    const char **why)
{
	return scan_semver(s, len, &info->sw, why);
}

static int field_accepted(const char *s, size_t len, struct migver_info *info,
			  const char **why)
{
	return scan_ranges(s, len, info, why);
}

struct field_desc {
	const char *key;
	size_t klen; /* strlen(key), not recomputed for every field */
	const char *missing; /* why, when the field is absent */
	int (*parse)(const char *s, size_t len, struct migver_info *info,
		     const char **why);
};

/* The six required fields; their order here is the canonical order. */
static const struct field_desc fields[] = {
	{ "device_api", 10, "missing field device_api", field_device_api },
	{ "pci_id", 6, "missing field pci_id", field_pci_id },
	{ "type", 4, "missing field type", field_type },
	{ "aggregator", 10, "missing field aggregator", field_aggregator },
	{ "software_version", 16, "missing field software_version", field_sw },
	{ "accepted_source_versions", 24,
	  "missing field accepted_source_versions", field_accepted },
};

/* key = %x61-7A 0*30( %x61-7A / DIGIT / "_" ) */
static int check_key(const char *s, size_t len, const char **why)
{
	size_t i;

	if (!len) {
		*why = "empty key";
		return -EINVAL;
	}
	if (len > MIGVER_KEY_MAX) {
		*why = "key longer than 31 characters";
		return -EINVAL;
	}
	if (!is_lower(s[0])) {
		*why = "key must start with a-z";
		return -EINVAL;
	}
	for (i = 1; i < len; i++) {
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_') {
			*why = "key: expected a-z 0-9 _";
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Was @key already used by a field in s[0..end)?  Quadratic, but a 511-byte
 * string holds at most 128 fields, and this needs no memory: the only way
 * to catch a repeated unknown key without allocating.
 */
static bool key_seen(const char *s, size_t end, const char *key, size_t klen)
{
	size_t pos = 0, n;

	while (pos < end) {
		n = find_char(s + pos, end - pos, ';');
		if (find_char(s + pos, n, '=') == klen &&
		    !memcmp(s + pos, key, klen))
			return true;
		pos += n + 1;
	}
	return false;
}

/* structured = field *( ";" field ) */
static int parse_structured(const char *s, size_t len, struct migver_info *info,
			    const char **why)
{
	unsigned int seen = 0;
	size_t pos = 0, flen, klen, i;
	const char *f, *val;
	int ret;

	for (;;) {
		f = s + pos;
		flen = find_char(f, len - pos, ';');
		if (!flen) {
			*why = "empty field";
			return -EINVAL;
		}
		klen = find_char(f, flen, '=');
		if (klen == flen) {
			*why = "field without '='";
			return -EINVAL;
		}
		ret = check_key(f, klen, why);
		if (ret)
			return ret;
		if (klen + 1 == flen) {
			*why = "empty value";
			return -EINVAL;
		}
		val = f + klen + 1;
		if (find_char(val, flen - klen - 1, '=') != flen - klen - 1) {
			*why = "'=' inside a value";
			return -EINVAL;
		}
		for (i = 0; i < ARRAY_SIZE(fields); i++)
			if (fields[i].klen == klen &&
			    !memcmp(fields[i].key, f, klen))
				break;
		/*
		 * A known key was seen before exactly when its bit is set (a
		 * field that failed to parse ended the parse); only an unknown
		 * key needs the scan of the fields before it.
		 */
		if (i < ARRAY_SIZE(fields) ? seen & (1U << i) :
					     key_seen(s, pos, f, klen)) {
			*why = "duplicate field";
			return -EINVAL;
		}
		if (i < ARRAY_SIZE(fields)) {
			ret = fields[i].parse(val, flen - klen - 1, info, why);
			if (ret)
				return ret;
			seen |= 1U << i;
		}
		/* Unknown well-formed fields are ignored: see README. */
		pos += flen;
		if (pos == len)
			break;
		pos++; /* the ';' */
		if (pos == len) {
			*why = "empty field";
			return -EINVAL;
		}
	}

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (!(seen & (1U << i))) {
			*why = fields[i].missing;
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_any(const char *buf, size_t len, struct migver_info *info,
		     const char **why)
{
	bool structured = false;
	size_t i;

	if (!buf || !len) {
		*why = "empty string";
		return -EINVAL;
	}
	/* One trailing newline is what echo adds; it is not part of it. */
	if (buf[len - 1] == '\n')
		len--;
	if (!len) {
		*why = "empty string";
		return -EINVAL;
	}
	if (len > MIGVER_MAX_LEN) {
		*why = "longer than 511 bytes";
		return -EINVAL;
	}
	/*
	 * One pass: the common case (a visible byte) costs one range check,
	 * and it notes the '=' that tells the formats apart on the way.  The
	 * reasons for a bad byte are the same as if each were tested in turn.
	 */
	for (i = 0; i < len; i++) {
		if (is_visible(buf[i])) {
			structured |= buf[i] == '=';
			continue;
		}
		if (!buf[i]) {
			*why = "NUL byte";
			return -EINVAL;
		}
		if (buf[i] == '\n') {
			*why = "newline inside the string";
			return -EINVAL;
		}
		*why = "byte outside printable ASCII 0x21-0x7e";
		return -EINVAL;
	}

	if (structured) {
		info->format = MIGVER_FMT_STRUCTURED;
		return parse_structured(buf, len, info, why);
	}
	info->format = MIGVER_FMT_GVT;
	return parse_gvt(buf, len, info, why);
}

int migver_parse_ref(const char *buf, size_t len, struct migver_info *info,
		     const char **why)
{
	const char *reason = NULL;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = parse_any(buf, len, info, &reason);
	if (ret) {
		/* No half-filled result: a failed parse leaves all zeroes. */
		memset(info, 0, sizeof(*info));
		ret = -EINVAL;
	}
	if (why)
		*why = reason;
	return ret;
}
