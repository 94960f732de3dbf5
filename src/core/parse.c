// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text to facts: the strict parser for both formats, in one pass.
 *
 * The input comes from userspace through sysfs, is not NUL-terminated and
 * may be anything.  The parser accepts exactly the README grammar and
 * nothing more (no sscanf: it skips blanks, accepts signs and 0x, and
 * silently stops early) and reports failure with a static string saying
 * what was wrong.
 *
 * One scan: each byte is classified once, by one table load or eight at a
 * time with word arithmetic, and consumed by the field it belongs to as it
 * is met; known keys are recognised by comparing whole words against the
 * key the canonical order expects next.  Facts are written into the result
 * as they are read; nothing is zeroed on success but the tails of the two
 * strings (so that they compare a word at a time).
 *
 * The reasons are those of the earlier multi-pass parser (kept as
 * tests/fuzz/parse_ref.c, the fuzzer checks every input against it), which
 * looked at the whole string in this order: length, any bad byte (the
 * first one decides), the format ('=' anywhere), then field by field: the
 * field's shape, its key, an empty value, a '=' inside the value, a
 * duplicate, the value's own grammar; missing fields last.  So an error
 * found in a field is final only once the rest of that field holds no '='
 * and the rest of the string no bad byte: value_fail() and tail() read on
 * to make sure, which on a failing parse may read a field's bytes again.
 */
#include <migver/version.h>

#include "charclass.h"
#include "compare.h"

/* The longer reasons, named to keep the code below readable. */
#define WHY_PCI_ID "pci_id: expected 4 hex digits ':' 4 hex digits"
#define WHY_AGGREGATOR "aggregator: expected a decimal number 1-64"
#define WHY_RANGES_MAX "accepted_source_versions: more than 8 ranges"
#define WHY_RANGE_EMPTY "accepted_source_versions: empty range"
#define WHY_RANGE_REVERSED "accepted_source_versions: reversed range"
#define WHY_GVT_VENDOR "gvt: vendor: expected 4 hex digits and '-'"
#define WHY_GVT_DEVICE "gvt: device: expected 4 hex digits and '-'"
#define WHY_GVT_TYPE "gvt: type: expected 1-31 of A-Z a-z 0-9 _"
#define WHY_GVT_SW "gvt: software version: expected 8 hex digits"

static __always_inline u32 load4(const char *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __always_inline u64 load8(const char *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __always_inline void store8(char *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Eight bytes at a time, for the common case of a value made only of
 * allowed bytes; any other block is left to the byte loops.  For bytes
 * below 0x80, adding 0x80 - lo sets a byte's top bit iff it is >= lo and
 * adding 0x7f - hi iff it is > hi, without carries between bytes.
 */
#define BYTE_ONES 0x0101010101010101ULL
#define BYTE_HIGHS (0x80 * BYTE_ONES)

static __always_inline u64 bytes_in(u64 x, u8 lo, u8 hi)
{
	return (x + (0x80 - lo) * BYTE_ONES) & ~(x + (0x7f - hi) * BYTE_ONES) &
	       BYTE_HIGHS;
}

/* All 8 bytes of @x in A-Z a-z 0-9 _ (type-name)? */
static __always_inline bool all_type(u64 x)
{
	u64 lo7 = x & ~BYTE_HIGHS;

	return !(x & BYTE_HIGHS) &&
	       (bytes_in(lo7 | 0x20 * BYTE_ONES, 'a', 'z') |
		bytes_in(lo7, '0', '9') | bytes_in(lo7, '_', '_')) ==
		       BYTE_HIGHS;
}

/* All 8 bytes of @x in a-z 0-9 - (device-api)? */
static __always_inline bool all_api(u64 x)
{
	u64 lo7 = x & ~BYTE_HIGHS;

	return !(x & BYTE_HIGHS) &&
	       (bytes_in(lo7, 'a', 'z') | bytes_in(lo7, '0', '9') |
		bytes_in(lo7, '-', '-')) == BYTE_HIGHS;
}

/* Exactly 4 hex digits, either case, from one load: their value, else -1. */
static __always_inline u32 hex4(const char *s)
{
	u64 x = load4(s), lo7, alpha, nib;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap32((u32)x);
#endif
	/* now s[0] is the low byte */
	lo7 = x & 0x7f7f7f7f;
	alpha = bytes_in(lo7 | 0x20202020, 'a', 'f');
	if ((x & 0x80808080) ||
	    ((bytes_in(lo7, '0', '9') | alpha) & 0x80808080) != 0x80808080)
		return -1U;
	/* '0'-'9' end in 0-9, 'A'-'F' and 'a'-'f' in 1-6: one digit a byte */
	nib = (x & 0x0f0f0f0f) + (alpha >> 7) * 9;
	/* two digits a byte in bytes 0 and 2, then those two bytes */
	nib = (nib << 4 | nib >> 8) & 0x00ff00ff;
	return (u32)((nib & 0xff) << 8 | nib >> 16);
}

/*
 * Two groups of exactly 4 hex digits, at @a and @b, in one go: the first
 * group's value << 16 | the second's, or -1 for anything else.
 */
static __always_inline u64 hex4x2(const char *a, const char *b)
{
	u64 x, lo7, alpha, nib;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap32(load4(a)) | (u64)__builtin_bswap32(load4(b))
						  << 32;
#else
	x = load4(a) | (u64)load4(b) << 32;
#endif
	/* now a[0] is the low byte, b[3] the high one */
	lo7 = x & ~BYTE_HIGHS;
	alpha = bytes_in(lo7 | 0x20 * BYTE_ONES, 'a', 'f');
	if ((x & BYTE_HIGHS) || (bytes_in(lo7, '0', '9') | alpha) != BYTE_HIGHS)
		return -1ULL;
	nib = (x & 0x0f * BYTE_ONES) + (alpha >> 7) * 9;
	/* two digits a byte in bytes 0, 2, 4, 6; then four in 0-1 and 4-5 */
	nib = (nib << 4 | nib >> 8) & 0x00ff00ff00ff00ffULL;
	nib = (nib << 8 | nib >> 16) & 0x0000ffff0000ffffULL;
	return (nib & 0xffff) << 16 | nib >> 32;
}

/* p[0..n) == k[0..n) for 4 <= n <= 32, a few word compares. */
static __always_inline bool same(const char *p, const char *k, size_t n)
{
	size_t i;

	if (n < 8)
		return load4(p) == load4(k) &&
		       load4(p + n - 4) == load4(k + n - 4);
	for (i = 0; i + 8 < n; i += 8)
		if (load8(p + i) != load8(k + i))
			return false;
	return load8(p + n - 8) == load8(k + n - 8);
}

/* ---- error resolution ----------------------------------------------------- */

static noinline const char *bad_byte(char c)
{
	if (!c)
		return "NUL byte";
	if (c == '\n')
		return "newline inside the string";
	return "byte outside printable ASCII 0x21-0x7e";
}

/* After an error at @p: only a bad byte in the rest can change @why. */
static noinline const char *tail(const char *p, const char *end,
				 const char *why)
{
	for (; p < end; p++)
		if (!(class_of(*p) & C_VIS))
			return bad_byte(*p);
	return why;
}

/*
 * A value is wrong for @why, seen at @p (every byte of it before @p is
 * visible and not '='): a '=' in the rest of the value wins, then any bad
 * byte in the rest of the string.
 */
static noinline const char *value_fail(const char *p, const char *end,
				       const char *why)
{
	for (; p < end && *p != ';'; p++) {
		if (!(class_of(*p) & C_VIS))
			return bad_byte(*p);
		if (*p == '=')
			return tail(p + 1, end, "'=' inside a value");
	}
	return tail(p, end, why);
}

/* The value parsers' way out: NULL, with the reason in *@why. */
static __always_inline const char *failed(const char **why, const char *reason)
{
	*why = reason;
	return NULL;
}

/* failed() with value_fail()'s reason */
static noinline const char *fail_value(const char **why, const char *p,
				       const char *end, const char *reason)
{
	return failed(why, value_fail(p, end, reason));
}

/* A value is wrong: if it is empty, that is the reason. */
static __always_inline bool empty_value(const char *v, const char *end,
					const char **why)
{
	if (v < end && *v != ';')
		return false;
	*why = tail(v, end, "empty value");
	return true;
}

/* ---- values ---------------------------------------------------------------
 *
 * Each reads a value at @v and returns the ';' or the end of the string
 * that ends it, or NULL with the reason in *@why.  An empty value is
 * noticed only once something is wrong.
 */

/* device-api = %x61-7A 0*14( %x61-7A / DIGIT / "-" ) */
static __always_inline const char *val_device_api(const char *v,
						  const char *end,
						  struct migver_info *info,
						  const char **why)
{
	const char *p = v, *lim, *reason;
	char *d = info->device_api;

	lim = end - v > MIGVER_DEVICE_API_MAX ? v + MIGVER_DEVICE_API_MAX : end;
	/* zero-padded, so that whole words of it can be compared */
	store8(d + 8, 0);
	if (lim - p >= 8 && all_api(load8(p))) {
		store8(d, load8(p));
		p += 8;
		d += 8;
	} else {
		store8(d, 0);
	}
	while (p < lim && (class_of(*p) & C_API))
		*d++ = *p++;
	/* the padding ends the string */
	if (p > v && (p == end || *p == ';') && (class_of(*v) & C_LOWER))
		return p;
	if (empty_value(v, end, why))
		return NULL;
	/* Too long, a bad first byte or another: in this order. */
	for (; p < end && *p != ';'; p++)
		if (!(class_of(*p) & C_VIS) || *p == '=')
			return fail_value(why, p, end, NULL);
	if (p - v > MIGVER_DEVICE_API_MAX)
		reason = "device_api: longer than 15 characters";
	else if (!(class_of(*v) & C_LOWER))
		reason = "device_api: must start with a-z";
	else
		reason = "device_api: expected a-z 0-9 -";
	return failed(why, tail(p, end, reason));
}

/* pci-id = hex4 ":" hex4 */
static __always_inline const char *val_pci_id(const char *v, const char *end,
					      struct migver_info *info,
					      const char **why)
{
	u64 id = -1ULL;

	if (end - v >= 9 && v[4] == ':' && (end - v == 9 || v[9] == ';'))
		id = hex4x2(v, v + 5);
	if (id > 0xffffffff) {
		if (empty_value(v, end, why))
			return NULL;
		return fail_value(why, v, end, WHY_PCI_ID);
	}
	info->vendor = (u16)(id >> 16);
	info->device = (u16)id;
	return v + 9;
}

/*
 * type-name = 1*31( ALPHA / DIGIT / "_" ), shared by both formats: copied
 * into @type (zero-padded) up to the first other byte or the 32nd; returns
 * where it stopped.
 */
static __always_inline const char *copy_type(const char *p, const char *end,
					     char *type)
{
	const char *lim;
	char *t = type;

	lim = end - p > MIGVER_TYPE_MAX ? p + MIGVER_TYPE_MAX : end;
	while (lim - p >= 8 && all_type(load8(p))) {
		store8(t, load8(p));
		p += 8;
		t += 8;
	}
	/* zero-padded, so that whole words of it can be compared */
	if (t == type)
		store8(type, 0);
	if (t <= type + 8)
		store8(type + 8, 0);
	if (t <= type + 16)
		store8(type + 16, 0);
	store8(type + 24, 0);
	while (p < lim && (class_of(*p) & C_TYPE))
		*t++ = *p++;
	return p;
}

static __always_inline const char *val_type(const char *v, const char *end,
					    struct migver_info *info,
					    const char **why)
{
	const char *p = copy_type(v, end, info->type);

	if (p > v && (p == end || *p == ';'))
		return p;
	if (empty_value(v, end, why))
		return NULL;
	return fail_value(why, p, end, "type: expected 1-31 of A-Z a-z 0-9 _");
}

/* aggregator = number, 1..64 */
static __always_inline const char *val_aggregator(const char *v,
						  const char *end,
						  struct migver_info *info,
						  const char **why)
{
	const char *p = v;
	u32 n = 0, digit;

	while (p < end && p - v < 3 && (digit = (u8)*p - '0') <= 9) {
		n = n * 10 + digit;
		p++;
	}
	if ((p < end && *p != ';') || !n || n > MIGVER_AGGREGATOR_MAX ||
	    (p - v > 1 && *v == '0')) {
		if (empty_value(v, end, why))
			return NULL;
		return fail_value(why, p, end, WHY_AGGREGATOR);
	}
	info->aggregator = n;
	return p;
}

/* What ends a version besides '.', ';' and the end of the string. */
#define STOP_COMMA 1 /* the high end of a range */
#define STOP_DASH 2 /* the low end of a range */

/* Does @c end a version's PATCH? */
static __always_inline bool is_stop(char c, unsigned int stop)
{
	return c == ';' || (c == ',' && (stop & STOP_COMMA)) ||
	       (c == '-' && (stop & STOP_DASH));
}

/*
 * Why part @i of a version, starting at @d, is wrong: what the multi-pass
 * parser checked on the version's own bytes, in its order.  First whether
 * the '.' that ends the part is there (MAJOR and MINOR) or not (PATCH),
 * then the number.  Only called for a part that is wrong.
 */
static noinline const char *part_fail(const char *d, const char *end,
				      unsigned int stop, int i)
{
	const char *p;
	bool other = false;
	char c;

	for (p = d; p < end; p++) {
		c = *p;
		if (class_of(c) & C_DIGIT)
			continue;
		if (c == '.' || is_stop(c, stop))
			break;
		if (!(class_of(c) & C_VIS) || c == '=')
			return value_fail(p, end, NULL);
		other = true;
	}
	c = p < end ? *p : ';';
	if (i < 2 ? c != '.' : c == '.')
		return value_fail(p, end,
				  "version: expected MAJOR.MINOR.PATCH");
	if (p == d || other)
		return value_fail(p, end, "expected a decimal number");
	if (p - d > 1 && *d == '0')
		return value_fail(p, end, "leading zero in a number");
	return value_fail(p, end, "number out of range");
}

/*
 * number = "0" / %x31-39 0*4DIGIT, 0..65535, at @p: returns the byte after
 * it with its value in *@x, or NULL.  A leading 0 is a number of its own:
 * whatever follows it ("01") is the caller's to refuse.
 */
static __always_inline const char *scan_number(const char *p, const char *end,
					       u32 *x)
{
	const char *d = p;
	u32 n, digit;

	if (p == end)
		return NULL;
	n = (u8)*p - '0';
	if (n > 9)
		return NULL;
	p++;
	/* a leading 0 is the whole number; else up to 4 more digits */
	if (n) {
		while (p < end && (digit = (u8)*p - '0') <= 9) {
			n = n * 10 + digit; /* may wrap: the length says */
			p++;
		}
		if (p - d > 5 || n > 0xffff)
			return NULL;
	}
	*x = n;
	return p;
}

/*
 * semver = number "." number "." number, each 0..65535; it ends at ';',
 * the end of the string or a byte of @stop.  Returns that byte, or NULL
 * with the reason in *@why.
 */
static __always_inline const char *scan_semver(const char *p, const char *end,
					       unsigned int stop,
					       struct migver_semver *v,
					       const char **why)
{
	const char *d;
	u32 x, y, z;

	/* most versions: three single digits */
	if (end - p >= 5 && p[1] == '.' && p[3] == '.' &&
	    (end - p == 5 || is_stop(p[5], stop))) {
		x = (u8)p[0] - '0';
		y = (u8)p[2] - '0';
		z = (u8)p[4] - '0';
		if (x <= 9 && y <= 9 && z <= 9) {
			p += 5;
			goto out;
		}
	}
	d = p;
	p = scan_number(p, end, &x);
	if (!p || p == end || *p != '.')
		return failed(why, part_fail(d, end, stop, 0));
	d = ++p;
	p = scan_number(p, end, &y);
	if (!p || p == end || *p != '.')
		return failed(why, part_fail(d, end, stop, 1));
	d = ++p;
	p = scan_number(p, end, &z);
	if (!p || (p < end && !is_stop(*p, stop)))
		return failed(why, part_fail(d, end, stop, 2));
out:
	v->major = (u16)x;
	v->minor = (u16)y;
	v->patch = (u16)z;
	return p;
}

static __always_inline const char *val_sw(const char *v, const char *end,
					  struct migver_info *info,
					  const char **why)
{
	const char *p = scan_semver(v, end, 0, &info->sw, why);

	if (!p && empty_value(v, end, why))
		return NULL;
	return p;
}

/*
 * accepted = "none" / range *7( "," range )
 * range    = semver [ "-" [ semver ] ]: "V", "V-W" (V <= W) or "V-"
 */
static __always_inline const char *val_accepted(const char *p, const char *end,
						struct migver_info *info,
						const char **why)
{
	struct migver_range *r = info->accept;

	if (end - p >= 4 && load4(p) == load4("none") &&
	    (end - p == 4 || p[4] == ';')) {
		info->n_accept = 0;
		return p + 4;
	}
	for (;;) {
		if (r == info->accept + MIGVER_MAX_RANGES)
			return fail_value(why, p, end, WHY_RANGES_MAX);
		if (p == end || *p == ';' || *p == ',') {
			if (r == info->accept && empty_value(p, end, why))
				return NULL;
			return fail_value(why, p, end, WHY_RANGE_EMPTY);
		}
		p = scan_semver(p, end, STOP_COMMA | STOP_DASH, &r->lo, why);
		if (!p)
			return NULL;
		r->open_hi = false;
		if (p == end || *p != '-') {
			r->hi = r->lo;
		} else if (++p == end || *p == ';' || *p == ',') {
			/*
			 * hi is ignored for open ranges; fill in the top
			 * version anyway so the result is the same however it
			 * is used.
			 */
			r->open_hi = true;
			r->hi.major = 0xffff;
			r->hi.minor = 0xffff;
			r->hi.patch = 0xffff;
		} else {
			p = scan_semver(p, end, STOP_COMMA, &r->hi, why);
			if (!p)
				return NULL;
			if (migver_order(&r->lo) > migver_order(&r->hi))
				return fail_value(why, p, end,
						  WHY_RANGE_REVERSED);
		}
		r++;
		if (p == end || *p == ';')
			break;
		p++; /* the ',' */
	}
	info->n_accept = (u8)(r - info->accept);
	return p;
}

/* ---- the primitives on their own ------------------------------------------ */

int migver_parse_semver(const char *buf, size_t len, struct migver_semver *v)
{
	const char *why, *p = scan_semver(buf, buf + len, 0, v, &why);

	if (p == buf + len)
		return 0;
	memset(v, 0, sizeof(*v));
	return -EINVAL;
}

int migver_parse_ranges(const char *buf, size_t len, struct migver_info *info)
{
	const char *why, *p = NULL;

	memset(info->accept, 0, sizeof(info->accept));
	if (len)
		p = val_accepted(buf, buf + len, info, &why);
	if (p == buf + len)
		return 0;
	info->n_accept = 0;
	memset(info->accept, 0, sizeof(info->accept));
	return -EINVAL;
}

/* ---- structured ----------------------------------------------------------- */

enum { F_API, F_PCI, F_TYPE, F_AGG, F_SW, F_ACC, F_COUNT };

#define F_ALL ((1U << F_COUNT) - 1)

struct field_desc {
	const char *key; /* followed by its '=' */
	size_t klen; /* without the '=' */
	const char *missing; /* why, when the field is absent */
};

/* The six required fields; their order here is the canonical order. */
static const struct field_desc fields[F_COUNT] = {
	[F_API] = { "device_api=", 10, "missing field device_api" },
	[F_PCI] = { "pci_id=", 6, "missing field pci_id" },
	[F_TYPE] = { "type=", 4, "missing field type" },
	[F_AGG] = { "aggregator=", 10, "missing field aggregator" },
	[F_SW] = { "software_version=", 16, "missing field software_version" },
	[F_ACC] = { "accepted_source_versions=", 24,
		    "missing field accepted_source_versions" },
};

/*
 * Known key @i and its '=' at @p?  Spelt out, so that the compiler can
 * compare against constant words.
 */
static __always_inline bool at_key(const char *p, const char *end,
				   unsigned int i)
{
	size_t room = (size_t)(end - p);

	switch (i) {
	case F_API:
		return room >= 11 && same(p, "device_api=", 11);
	case F_PCI:
		return room >= 7 && same(p, "pci_id=", 7);
	case F_TYPE:
		return room >= 5 && same(p, "type=", 5);
	case F_AGG:
		return room >= 11 && same(p, "aggregator=", 11);
	case F_SW:
		return room >= 17 && same(p, "software_version=", 17);
	case F_ACC:
		return room >= 25 && same(p, "accepted_source_versions=", 25);
	default:
		return false;
	}
}

/* The value of known field @i at @v, as the val_*() above. */
static __always_inline const char *val_field(unsigned int i, const char *v,
					     const char *end,
					     struct migver_info *info,
					     const char **why)
{
	switch (i) {
	case F_API:
		return val_device_api(v, end, info, why);
	case F_PCI:
		return val_pci_id(v, end, info, why);
	case F_TYPE:
		return val_type(v, end, info, why);
	case F_AGG:
		return val_aggregator(v, end, info, why);
	case F_SW:
		return val_sw(v, end, info, why);
	default:
		return val_accepted(v, end, info, why);
	}
}

/*
 * A field whose key holds a byte other than a-z 0-9 _ at @p: the field's
 * '=' decides between a bad key and no '=' at all.
 */
static noinline const char *key_fail(const char *f, const char *p,
				     const char *end)
{
	for (; p < end && *p != ';'; p++) {
		if (!(class_of(*p) & C_VIS))
			return bad_byte(*p);
		if (*p != '=')
			continue;
		if (p - f > MIGVER_KEY_MAX)
			return tail(p + 1, end,
				    "key longer than 31 characters");
		if (!(class_of(*f) & C_LOWER))
			return tail(p + 1, end, "key must start with a-z");
		return tail(p + 1, end, "key: expected a-z 0-9 _");
	}
	return tail(p, end, "field without '='");
}

/* Most fields a string can have: each is at least "k=v;". */
#define MAX_FIELDS ((MIGVER_MAX_LEN + 1) / 4)

/*
 * structured = field *( ";" field ), from field @f on, the fields in
 * @seen having been read already.  @eq is the '=' of field @f if the
 * caller has found it, else NULL.
 */
static const char *parse_fields(const char *s, const char *f, const char *eq,
				const char *end, unsigned int seen,
				struct migver_info *info)
{
	/* unknown keys so far, as offset << 5 | length, to find a repeat */
	u16 unknown[MAX_FIELDS];
	unsigned int n_unknown = 0, i;
	const char *k = eq, *p, *why;
	size_t klen, j;

	for (;;) {
		if (!k) {
			for (k = f; k < end && (class_of(*k) & C_KEY); k++)
				;
			if (k == end || *k == ';')
				return tail(k, end,
					    k == f ? "empty field" :
						     "field without '='");
			if (*k != '=')
				return (class_of(*k) & C_VIS) ?
					       key_fail(f, k, end) :
					       bad_byte(*k);
		}
		klen = (size_t)(k - f);
		if (!klen)
			return tail(k + 1, end, "empty key");
		if (klen > MIGVER_KEY_MAX)
			return tail(k + 1, end,
				    "key longer than 31 characters");
		if (!(class_of(*f) & C_LOWER))
			return tail(k + 1, end, "key must start with a-z");
		for (i = 0; i < F_COUNT; i++)
			if (fields[i].klen == klen &&
			    same(f, fields[i].key, klen))
				break;

		p = k + 1;
		k = NULL;
		if (p == end || *p == ';')
			return tail(p, end, "empty value");
		if (i < F_COUNT && (seen & (1U << i)))
			return value_fail(p, end, "duplicate field");
		if (i < F_COUNT) {
			p = val_field(i, p, end, info, &why);
			if (!p)
				return why;
			seen |= 1U << i;
		} else {
			/* unknown: checked, then ignored (README) */
			for (j = 0; j < n_unknown; j++)
				if ((unknown[j] & 31) == klen &&
				    !memcmp(s + (unknown[j] >> 5), f, klen))
					return value_fail(p, end,
							  "duplicate field");
			if (n_unknown < MAX_FIELDS) /* always */
				unknown[n_unknown++] =
					(u16)((size_t)(f - s) << 5 | klen);
			for (; p < end && *p != ';'; p++)
				if (!(class_of(*p) & C_VIS) || *p == '=')
					return value_fail(p, end, NULL);
		}
		/* p is at the field's ';' or the end */
		if (p == end)
			break;
		f = p + 1;
		if (f == end)
			return "empty field";
	}

	if (seen != F_ALL)
		for (i = 0; i < F_COUNT; i++)
			if (!(seen & (1U << i)))
				return fields[i].missing;
	return NULL;
}

/*
 * The canonical order straight through, as long as the string follows it;
 * from the first field that does not, parse_fields() takes over.
 */
static const char *parse_structured(const char *s, const char *end,
				    struct migver_info *info)
{
	const char *f = s, *p, *why = "malformed"; /* always set on error */
	unsigned int i;

	/* unrolled, so that each key and value parser is known at build time */
#pragma GCC unroll 6
	for (i = 0; i < F_COUNT; i++) {
		if (!at_key(f, end, i))
			return parse_fields(s, f, NULL, end, (1U << i) - 1,
					    info);
		p = val_field(i, f + fields[i].klen + 1, end, info, &why);
		if (!p)
			return why;
		if (p == end)
			return i == F_ACC ? NULL : fields[i + 1].missing;
		f = p + 1;
		if (f == end)
			return "empty field";
	}
	/* more fields after the six */
	return parse_fields(s, f, NULL, end, F_ALL, info);
}

/* ---- gvt ------------------------------------------------------------------ */

/*
 * A gvt string is wrong for @why at @from (every byte before it belongs
 * to the gvt grammar): a bad byte in the rest wins, then a '=' (the string
 * is structured after all, its first field then has no valid key); for a
 * type error (@type), whether a '-' ends the type decides between the
 * type and the number of fields.
 */
static noinline const char *gvt_fail(const char *s, const char *from,
				     const char *end, const char *why,
				     bool type)
{
	const char *p, *eq = NULL, *semi = NULL;
	bool dash = false;

	for (p = from; p < end; p++) {
		if (!(class_of(*p) & C_VIS))
			return bad_byte(*p);
		if (*p == '=' && !eq)
			eq = p;
		else if (*p == ';' && !semi)
			semi = p;
		else if (*p == '-')
			dash = true;
	}
	if (eq) {
		if (semi && semi < eq)
			return semi == s ? "empty field" : "field without '='";
		if (eq - s > MIGVER_KEY_MAX)
			return "key longer than 31 characters";
		if (!(class_of(*s) & C_LOWER))
			return "key must start with a-z";
		return "key: expected a-z 0-9 _";
	}
	if (type && !dash)
		return "gvt: expected 4 fields separated by '-'";
	return why;
}

/*
 * gvt = hex4 "-" hex4 "-" type-name "-" 8HEXDIG, the vendor (@vendor,
 * from parse_any()) read already.
 */
static const char *parse_gvt(const char *s, const char *end, u32 vendor,
			     struct migver_info *info)
{
	const char *p;
	u32 device;
	u64 sw;

	if (end - s < 10 || vendor > 0xffff || s[4] != '-')
		return gvt_fail(s, s, end, WHY_GVT_VENDOR, false);
	info->vendor = (u16)vendor;
	device = hex4(s + 5);
	if (device > 0xffff || s[9] != '-')
		return gvt_fail(s, s + 5, end, WHY_GVT_DEVICE, false);
	info->device = (u16)device;

	p = copy_type(s + 10, end, info->type);
	if (p == end || *p != '-' || p == s + 10)
		return gvt_fail(s, p, end, WHY_GVT_TYPE, true);
	p++;

	sw = end - p == 8 ? hex4x2(p, p + 4) : -1ULL;
	if (sw > 0xffffffff)
		return gvt_fail(s, p, end, WHY_GVT_SW, false);
	/* MMmmpppp, see version.h */
	info->sw.major = (u16)(sw >> 24);
	info->sw.minor = (u16)(sw >> 16 & 0xff);
	info->sw.patch = (u16)(sw & 0xffff);

	/* The facts a gvt string implies but cannot carry. */
	store8(info->device_api, load8("vfio-pci"));
	store8(info->device_api + 8, 0);
	info->aggregator = 1;
	info->n_accept = 1;
	info->accept[0].lo = info->sw;
	info->accept[0].hi = info->sw;
	info->accept[0].open_hi = false;
	return NULL;
}

/* ---- either --------------------------------------------------------------- */

static const char *parse_any(const char *buf, size_t len,
			     struct migver_info *info)
{
	const char *end, *k;
	u32 vendor;

	if (!buf || !len)
		return "empty string";
	/* One trailing newline is what echo adds; it is not part of it. */
	if (buf[len - 1] == '\n')
		len--;
	if (!len)
		return "empty string";
	if (len > MIGVER_MAX_LEN)
		return "longer than 511 bytes";
	end = buf + len;

	/*
	 * Structured iff there is a '=': its first field's key runs up to
	 * it.  Anything else is gvt or, if a '=' comes later, a structured
	 * string with a bad first key, which the gvt parser finds out.
	 */
	info->format = MIGVER_FMT_STRUCTURED;
	if (at_key(buf, end, F_API))
		return parse_structured(buf, end, info);
	/* 4 hex digits and a '-': no first key there, so not a good one */
	vendor = len >= 10 ? hex4(buf) : -1U;
	if (vendor > 0xffff || buf[4] != '-') {
		for (k = buf; k < end && (class_of(*k) & C_KEY); k++)
			;
		if (k < end && *k == '=')
			return parse_fields(buf, buf, k, end, 0, info);
	}
	info->format = MIGVER_FMT_GVT;
	return parse_gvt(buf, end, vendor, info);
}

int migver_parse(const char *buf, size_t len, struct migver_info *info,
		 const char **why)
{
	const char *reason = parse_any(buf, len, info);

	/* No half-filled result: a failed parse leaves all zeroes. */
	if (reason)
		memset(info, 0, sizeof(*info));
	if (why)
		*why = reason;
	return reason ? -EINVAL : 0;
}
