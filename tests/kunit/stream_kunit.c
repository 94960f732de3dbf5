// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the migration stream of include/migver/stream.h: CRC-32C check
 * values, the emitter's bytes, and the incremental parser over streams
 * built from a table of records, each fed whole, in pieces of 1, 7 and
 * 4096 bytes: the verdict, the reason, the version event's position and
 * the data handed back must not depend on the piece size.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <migver/stream.h>

#include "helpers.h"

/* KUNIT_EXPECT_MEMEQ came after 6.1, which the KUnit lane builds. */
static void expect_memeq(struct kunit *test, const u8 *a, const u8 *b, size_t n)
{
	KUNIT_EXPECT_EQ_MSG(test, memcmp(a, b, n), 0, "%*ph", (int)n, a);
}

/* ---- migver_crc32c(): RFC 3720 (iSCSI) B.4 and the catalogue's check */

struct crc_case {
	const char *name;
	u8 fill; /* 32 bytes of this, or 0..31 when @ramp */
	bool ramp;
	const char *str; /* instead, if not NULL */
	u32 want;
};

static const struct crc_case crc_cases[] = {
	{ "check-123456789", 0, false, "123456789", 0xe3069283 },
	{ "empty", 0, false, "", 0 },
	{ "zeros-32", 0x00, false, NULL, 0x8a9136aa },
	{ "ones-32", 0xff, false, NULL, 0x62a8ab43 },
	{ "ramp-32", 0, true, NULL, 0x46dd794e },
};

KUNIT_ARRAY_PARAM_DESC(crc, crc_cases, name);

static void migver_stream_crc32c(struct kunit *test)
{
	const struct crc_case *c = test->param_value;
	u8 buf[32];
	size_t i, len = sizeof(buf);
	u32 crc;

	if (c->str) {
		len = strlen(c->str);
		memcpy(buf, c->str, len);
	} else {
		for (i = 0; i < len; i++)
			buf[i] = c->ramp ? (u8)i : c->fill;
	}
	KUNIT_EXPECT_EQ(test, migver_crc32c(0, buf, len), c->want);
	/* chained in two pieces: the same */
	crc = migver_crc32c(0, buf, len / 2);
	KUNIT_EXPECT_EQ(test, migver_crc32c(crc, buf + len / 2, len - len / 2),
			c->want);
}

/*
 * Eight bytes at a time against one bit at a time: every start in a
 * word (alignment) and every length 0-80 (the 8-byte loop and its tail).
 */
static u32 crc32c_bitwise(u32 crc, const u8 *p, size_t len)
{
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82f63b78 : 0);
	}
	return ~crc;
}

static void migver_stream_crc32c_slices(struct kunit *test)
{
	u8 buf[96];
	size_t i, start, len;
	u32 seed;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 167 + 13);
	for (start = 0; start < 8; start++) {
		for (len = 0; len <= 80; len++) {
			seed = (u32)(start * 0x9e3779b9u + len);
			KUNIT_EXPECT_EQ_MSG(test,
					    migver_crc32c(seed, buf + start, len),
					    crc32c_bitwise(seed, buf + start, len),
					    "start %zu length %zu", start, len);
		}
	}
}

/* ---- the emitter's bytes */

/* A PAGE record in two steps is the record migver_stream_emit_page() makes. */
static void migver_stream_emit_page_parts(struct kunit *test)
{
	static const size_t pieces[] = { 1, 7, 4096 };
	struct migver_stream_emitter a, b;
	u8 *page, *whole, *parts;
	size_t i, n, pos;

	page = kunit_kzalloc(test, MIGVER_STREAM_PAGE_SIZE, GFP_KERNEL);
	whole = kunit_kzalloc(test, MIGVER_STREAM_PAGE_REC, GFP_KERNEL);
	parts = kunit_kzalloc(test, MIGVER_STREAM_PAGE_REC, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, whole);
	KUNIT_ASSERT_NOT_NULL(test, parts);
	for (i = 0; i < MIGVER_STREAM_PAGE_SIZE; i++)
		page[i] = (u8)(i ^ (i >> 8));
	for (i = 0; i < ARRAY_SIZE(pieces); i++) {
		migver_stream_emit_init(&a);
		migver_stream_emit_init(&b);
		KUNIT_ASSERT_EQ(test,
				migver_stream_emit_page(&a, whole, 0x3000, page),
				(size_t)MIGVER_STREAM_PAGE_REC);
		n = migver_stream_emit_page_start(&b, parts, 0x3000);
		KUNIT_ASSERT_EQ(test, n, (size_t)MIGVER_STREAM_PAGE_START);
		for (pos = 0; pos < MIGVER_STREAM_PAGE_SIZE; pos += n) {
			n = min_t(size_t, pieces[i],
				  MIGVER_STREAM_PAGE_SIZE - pos);
			memcpy(parts + MIGVER_STREAM_PAGE_START + pos,
			       page + pos, n);
			migver_stream_emit_data(&b, page + pos, n);
		}
		expect_memeq(test, parts, whole, MIGVER_STREAM_PAGE_REC);
		KUNIT_EXPECT_EQ(test, b.crc, a.crc);
		KUNIT_EXPECT_EQ(test, b.records, a.records);
		KUNIT_EXPECT_EQ(test, a.crc,
				migver_crc32c(0, whole, MIGVER_STREAM_PAGE_REC));
	}
}

static void migver_stream_emit_layout(struct kunit *test)
{
	static const u8 hdr[] = { 'M', 'I', 'G', 'V', 'E', 'R', 'S', 'T',
				  1,   0,   0,	 0,   0,   0,	0,   0 };
	static const u8 rec[] = { 1, 0, 1, 0, 3, 0, 0, 0, 'a', 'b', '\n' };
	struct migver_stream_emitter e;
	u8 buf[64];
	size_t n;
	u32 crc;

	migver_stream_emit_init(&e);
	KUNIT_ASSERT_EQ(test, migver_stream_emit_header(&e, buf), sizeof(hdr));
	expect_memeq(test, buf, hdr, sizeof(hdr));
	n = migver_stream_emit_record(&e, buf + 16, MIGVER_REC_VERSION,
				      MIGVER_REC_MANDATORY, "ab\n", 3);
	KUNIT_ASSERT_EQ(test, n, sizeof(rec));
	expect_memeq(test, buf + 16, rec, sizeof(rec));
	n = migver_stream_emit_end(&e, buf + 16 + sizeof(rec));
	KUNIT_ASSERT_EQ(test, n, (size_t)MIGVER_STREAM_END_REC);
	/* END: type 5, MANDATORY, length 8, count 1, crc of all before */
	KUNIT_EXPECT_EQ(test, migver_get_le16(buf + 27), 5);
	KUNIT_EXPECT_EQ(test, migver_get_le16(buf + 29), 1);
	KUNIT_EXPECT_EQ(test, migver_get_le32(buf + 31), 8);
	KUNIT_EXPECT_EQ(test, migver_get_le32(buf + 35), 1);
	crc = migver_crc32c(0, buf, 35);
	KUNIT_EXPECT_EQ(test, migver_get_le32(buf + 39), crc);
	KUNIT_EXPECT_EQ(test, e.records, 1);
}

/* ---- the parser, over streams built from a table */

enum item_kind {
	I_NONE,
	I_HDR, /* a: major, b: flags, c: minor */
	I_VERSION, /* a: length of the string (0: the canonical one) */
	I_PAGE, /* a: offset; fill byte from the offset */
	I_CONFIG, /* a: length (0: 256), b: flags (0: MANDATORY) */
	I_REGS, /* a: length (0: 256) */
	I_UNKNOWN, /* a: type, b: flags, c: length */
	I_END, /* a: added to the count, b: xored into the crc */
	I_BYTES, /* c: this many 0x5a bytes, outside any record */
	I_FLIP, /* xor 0x01 into the byte at a (stream offset) */
};

struct item {
	enum item_kind kind;
	u64 a;
	u32 b;
	u32 c;
};

#define H(maj, fl)             \
	{                      \
		I_HDR, maj, fl \
	}
#define VR                   \
	{                    \
		I_VERSION, 0 \
	}
#define PG(off)             \
	{                   \
		I_PAGE, off \
	}
#define CF                  \
	{                   \
		I_CONFIG, 0 \
	}
#define RG                \
	{                 \
		I_REGS, 0 \
	}
#define EN                  \
	{                   \
		I_END, 0, 0 \
	}
#define LIMIT (16 * 4096)

struct stream_case {
	const char *name;
	struct item items[10];
	int ret; /* 0: the stream is fine */
	bool incomplete; /* fine so far, but no END yet */
	const char *why;
};

static const struct stream_case stream_cases[] = {
	{ "minimal", { H(1, 0), VR, CF, RG, EN } },
	{ "pages",
	  { H(1, 0), VR, PG(0), PG(8192), PG(LIMIT - 4096), CF, RG, EN } },
	{ "page-twice", { H(1, 0), VR, PG(4096), PG(4096), CF, RG, EN } },
	{ "unknown-optional",
	  { H(1, 0),
	    VR,
	    { I_UNKNOWN, 99, 0, 5 },
	    PG(0),
	    { I_UNKNOWN, 0x7fff, 0, 0 },
	    CF,
	    RG,
	    EN } },
	{ "unknown-optional-before-end",
	  { H(1, 0), VR, CF, RG, { I_UNKNOWN, 6, 0, 9 }, EN } },
	{ "newer-minor", { { I_HDR, 1, 0, 9 }, VR, CF, RG, EN } },
	{ "version-max", { H(1, 0), { I_VERSION, 512 }, CF, RG, EN } },
	{ "truncated-header", { { I_BYTES, 0, 0, 0 } }, 0, true },
	{ "truncated-after-version", { H(1, 0), VR }, 0, true },
	{ "truncated-before-end", { H(1, 0), VR, PG(0), CF, RG }, 0, true },
	{ "bad-magic",
	  { H(1, 0), VR, CF, RG, EN, { I_FLIP, 0 } },
	  -EINVAL,
	  false,
	  "not a migver stream (magic)" },
	{ "major-2",
	  { H(2, 0), { I_VERSION, 0 }, CF, RG, EN },
	  -EPROTONOSUPPORT,
	  false,
	  "unknown stream major version" },
	{ "major-0",
	  { H(0, 0), { I_VERSION, 0 }, CF, RG, EN },
	  -EPROTONOSUPPORT,
	  false,
	  "unknown stream major version" },
	{ "stream-flags",
	  { H(1, 4), { I_VERSION, 0 }, CF, RG, EN },
	  -EPROTONOSUPPORT,
	  false,
	  "unknown stream flags" },
	{ "first-not-version",
	  { H(1, 0), CF, RG, EN },
	  -EINVAL,
	  false,
	  "first record is not VERSION" },
	{ "unknown-before-version",
	  { H(1, 0), { I_UNKNOWN, 99, 0, 1 }, { I_VERSION, 0 }, CF, RG, EN },
	  -EINVAL,
	  false,
	  "first record is not VERSION" },
	{ "version-empty",
	  { H(1, 0), { I_VERSION, 0x10000 }, CF, RG, EN },
	  -EINVAL,
	  false,
	  "VERSION record length" },
	{ "version-513",
	  { H(1, 0), { I_VERSION, 513 }, CF, RG, EN },
	  -EINVAL,
	  false,
	  "VERSION record length" },
	{ "version-twice",
	  { H(1, 0), VR, { I_VERSION, 0 }, CF, RG, EN },
	  -EINVAL,
	  false,
	  "second VERSION record" },
	{ "unknown-mandatory",
	  { H(1, 0), VR, { I_UNKNOWN, 99, 1, 4 }, CF, RG, EN },
	  -EPROTONOSUPPORT,
	  false,
	  "unknown mandatory record" },
	{ "unknown-too-long",
	  { H(1, 0), VR, { I_UNKNOWN, 99, 0, (1 << 20) + 1 } },
	  -EINVAL,
	  false,
	  "unknown record too long" },
	{ "record-flag-unknown",
	  { H(1, 0), VR, { I_UNKNOWN, 99, 2, 0 }, CF, RG, EN },
	  -EINVAL,
	  false,
	  "unknown record flags" },
	{ "config-not-mandatory",
	  { H(1, 0), VR, { I_CONFIG, 0, 0x8000 }, RG, EN },
	  -EINVAL,
	  false,
	  "known record without MANDATORY flag" },
	{ "config-short",
	  { H(1, 0), VR, { I_CONFIG, 255 }, RG, EN },
	  -EINVAL,
	  false,
	  "record length wrong for its type" },
	{ "config-twice",
	  { H(1, 0), VR, CF, CF, RG, EN },
	  -EINVAL,
	  false,
	  "second CONFIG record" },
	{ "regs-before-config",
	  { H(1, 0), VR, RG, CF, EN },
	  -EINVAL,
	  false,
	  "REGS record before CONFIG" },
	{ "regs-twice",
	  { H(1, 0), VR, CF, RG, RG, EN },
	  -EINVAL,
	  false,
	  "second REGS record" },
	{ "page-after-config",
	  { H(1, 0), VR, CF, PG(0), RG, EN },
	  -EINVAL,
	  false,
	  "PAGE record after CONFIG" },
	{ "page-unaligned",
	  { H(1, 0), VR, PG(100), CF, RG, EN },
	  -EINVAL,
	  false,
	  "PAGE offset not aligned" },
	{ "page-beyond",
	  { H(1, 0), VR, PG(LIMIT), CF, RG, EN },
	  -EFBIG,
	  false,
	  "PAGE beyond this device's graphics memory" },
	{ "page-far-beyond",
	  { H(1, 0), VR, PG(0xfffffffffffff000ULL), CF, RG, EN },
	  -EFBIG,
	  false,
	  "PAGE beyond this device's graphics memory" },
	{ "end-early",
	  { H(1, 0), VR, PG(0), EN },
	  -EINVAL,
	  false,
	  "END before CONFIG and REGS" },
	{ "end-count",
	  { H(1, 0), VR, CF, RG, { I_END, 1, 0 } },
	  -EINVAL,
	  false,
	  "END record count mismatch" },
	{ "end-crc",
	  { H(1, 0), VR, CF, RG, { I_END, 0, 0x100 } },
	  -EINVAL,
	  false,
	  "checksum mismatch" },
	{ "corrupt-page",
	  { H(1, 0), VR, PG(0), CF, RG, EN, { I_FLIP, 16 + 8 + 200 } },
	  -EINVAL,
	  false,
	  "checksum mismatch" },
	{ "trailing-byte",
	  { H(1, 0), VR, CF, RG, EN, { I_BYTES, 0, 0, 1 } },
	  -EINVAL,
	  false,
	  "bytes after the END record" },
	{ "stream-twice",
	  { H(1, 0), VR, CF, RG, EN, H(1, 0), VR, CF, RG, EN },
	  -EINVAL,
	  false,
	  "bytes after the END record" },
};

KUNIT_ARRAY_PARAM_DESC(stream, stream_cases, name);

#define STREAM_BUF (64 * 1024 + 4 * 4096)

struct built {
	u8 *buf;
	size_t len;
	size_t version_end; /* offset just after the first VERSION record */
	char version[MIGVER_STREAM_VERSION_MAX + 1];
	size_t version_len;
};

static void fill_version(char *s, size_t len)
{
	static const char canon[] = ST_CANON "\n";
	size_t i;

	if (!len || len == sizeof(canon) - 1) {
		memcpy(s, canon, sizeof(canon));
		return;
	}
	for (i = 0; i < len; i++)
		s[i] = 'a' + i % 26;
	s[len] = '\0';
}

static void build(struct kunit *test, const struct stream_case *c,
		  struct built *b)
{
	struct migver_stream_emitter e;
	u8 *page = kunit_kzalloc(test, 4096, GFP_KERNEL);
	char *v = kunit_kzalloc(test, 1024, GFP_KERNEL);
	const struct item *it;
	size_t n = 0, vlen;
	u16 type, flags;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, v);
	b->buf = kunit_kzalloc(test, STREAM_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->buf);
	b->version_end = 0;
	migver_stream_emit_init(&e);
	for (it = c->items; it < c->items + ARRAY_SIZE(c->items); it++) {
		u8 *out = b->buf + n;

		switch (it->kind) {
		case I_NONE:
			break;
		case I_HDR:
			n += migver_stream_emit_header(&e, out);
			migver_put_le16(out + 8, (u16)it->a);
			migver_put_le16(out + 10, (u16)it->c);
			migver_put_le32(out + 12, it->b);
			e.crc = migver_crc32c(0, b->buf, n);
			break;
		case I_VERSION:
			vlen = it->a == 0x10000 ? 0 : it->a;
			fill_version(v, vlen);
			if (it->a != 0x10000)
				vlen = strlen(v);
			n += migver_stream_emit_record(&e, out,
						       MIGVER_REC_VERSION,
						       MIGVER_REC_MANDATORY, v,
						       (u32)vlen);
			if (!b->version_end) {
				b->version_end = n;
				memcpy(b->version, v, vlen);
				b->version[vlen] = '\0';
				b->version_len = vlen;
			}
			break;
		case I_PAGE:
			memset(page, (u8)(it->a >> 12) + 1, 4096);
			n += migver_stream_emit_page(&e, out, it->a, page);
			break;
		case I_CONFIG:
		case I_REGS:
			memset(page, it->kind == I_CONFIG ? 0xc0 : 0xe0, 256);
			len = it->a ? (u32)it->a : 256;
			type = it->kind == I_CONFIG ? MIGVER_REC_CONFIG :
						      MIGVER_REC_REGS;
			flags = it->b ? it->b & 0x7fff : MIGVER_REC_MANDATORY;
			n += migver_stream_emit_record(&e, out, type, flags,
						       page, len);
			break;
		case I_UNKNOWN:
			/* a long one is only announced: its payload never comes */
			len = it->c > 4096 ? 0 : it->c;
			memset(page, 0x77, 4096);
			n += migver_stream_emit_record(&e, out, (u16)it->a,
						       (u16)it->b, page, len);
			if (len != it->c)
				migver_put_le32(out + 4, it->c);
			break;
		case I_END:
			e.records += (u32)it->a;
			e.crc ^= it->b;
			n += migver_stream_emit_end(&e, out);
			break;
		case I_BYTES:
			memset(out, 0x5a, it->c ? it->c : 5);
			n += it->c ? it->c : 5;
			break;
		case I_FLIP:
			b->buf[it->a] ^= 0x01;
			break;
		}
		KUNIT_ASSERT_LE(test, n, (size_t)STREAM_BUF);
	}
	b->len = n;
}

struct fed {
	int ret;
	bool complete;
	int versions;
	size_t version_at; /* stream bytes taken when VERSION came */
	u8 config[256], regs[256];
	u32 page_sum; /* sum of page data bytes, by offset */
	size_t data;
};

static void feed(struct kunit *test, const struct built *b, size_t piece,
		 struct fed *f)
{
	struct migver_stream_parser *p;
	size_t pos = 0;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(f, 0, sizeof(*f));
	migver_stream_parser_init(p, LIMIT);
	while (pos < b->len && !f->ret) {
		size_t len = min(piece, b->len - pos), used;
		const u8 *in = b->buf + pos;

		pos += len;
		while (len && !f->ret) {
			struct migver_stream_ev ev;

			f->ret = migver_stream_feed(p, in, len, &used, &ev);
			KUNIT_ASSERT_LE(test, used, len);
			in += used;
			len -= used;
			if (f->ret)
				break;
			if (ev.kind == MIGVER_STREAM_VERSION) {
				f->versions++;
				f->version_at = (size_t)p->consumed;
				KUNIT_EXPECT_EQ(test, p->version_len,
						(u32)b->version_len);
				KUNIT_EXPECT_STREQ(test, p->version,
						   b->version);
			} else if (ev.kind == MIGVER_STREAM_DATA) {
				size_t i;

				f->data += ev.len;
				KUNIT_ASSERT_GT(test, ev.len, (size_t)0);
				for (i = 0; i < ev.len; i++) {
					u64 o = ev.offset + i;

					if (ev.type == MIGVER_REC_CONFIG)
						f->config[o] = ev.data[i];
					else if (ev.type == MIGVER_REC_REGS)
						f->regs[o] = ev.data[i];
					else
						f->page_sum += ev.data[i] +
							       (u32)(o >> 12);
				}
			} else if (ev.kind == MIGVER_STREAM_NONE) {
				KUNIT_EXPECT_EQ(test, len, (size_t)0);
			}
		}
	}
	f->complete = migver_stream_complete(p);
	if (f->ret) {
		struct migver_stream_ev ev;

		KUNIT_EXPECT_NOT_NULL(test, p->why);
		/* sticky: the next call, even empty, says the same */
		KUNIT_EXPECT_EQ(test,
				migver_stream_feed(p, b->buf, 0, &pos, &ev),
				f->ret);
	}
}

static void migver_stream_parse(struct kunit *test)
{
	const struct stream_case *c = test->param_value;
	static const size_t pieces[] = { 1, 7, 4096, STREAM_BUF };
	struct fed *f, *whole;
	struct built *b;
	size_t i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	whole = kunit_kzalloc(test, sizeof(*whole), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, whole);
	KUNIT_ASSERT_NOT_NULL(test, b);
	build(test, c, b);
	feed(test, b, STREAM_BUF, whole);
	KUNIT_EXPECT_EQ_MSG(test, whole->ret, c->ret, "why: %s",
			    whole->ret ? "(refused)" : "(accepted)");
	KUNIT_EXPECT_EQ(test, whole->complete, !c->ret && !c->incomplete);
	if (!c->ret && !c->incomplete && b->version_end) {
		KUNIT_EXPECT_EQ(test, whole->versions, 1);
		KUNIT_EXPECT_EQ(test, whole->version_at, b->version_end);
	}
	for (i = 0; i < ARRAY_SIZE(pieces); i++) {
		feed(test, b, pieces[i], f);
		KUNIT_EXPECT_EQ_MSG(test, f->ret, whole->ret, "piece %zu",
				    pieces[i]);
		KUNIT_EXPECT_EQ(test, f->complete, whole->complete);
		KUNIT_EXPECT_EQ(test, f->versions, whole->versions);
		KUNIT_EXPECT_EQ(test, f->version_at, whole->version_at);
		KUNIT_EXPECT_EQ(test, f->data, whole->data);
		KUNIT_EXPECT_EQ(test, f->page_sum, whole->page_sum);
		expect_memeq(test, f->config, whole->config, 256);
		expect_memeq(test, f->regs, whole->regs, 256);
	}
	if (!whole->ret && whole->complete) {
		KUNIT_EXPECT_EQ(test, whole->config[0], 0xc0);
		KUNIT_EXPECT_EQ(test, whole->regs[255], 0xe0);
	}
}

/* The reason string of each refusal, checked once per case. */
static void migver_stream_reason(struct kunit *test)
{
	const struct stream_case *c = test->param_value;
	struct migver_stream_parser *p;
	struct migver_stream_ev ev;
	struct built *b;
	size_t pos = 0, used;
	int ret = 0;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);
	build(test, c, b);
	migver_stream_parser_init(p, LIMIT);
	while (!ret && pos < b->len) {
		ret = migver_stream_feed(p, b->buf + pos, b->len - pos, &used,
					 &ev);
		pos += used;
	}
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->why)
		KUNIT_EXPECT_STREQ(test, p->why ? p->why : "(none)", c->why);
	else
		KUNIT_EXPECT_NULL(test, p->why);
}

static struct kunit_case migver_stream_test_cases[] = {
	KUNIT_CASE_PARAM(migver_stream_crc32c, crc_gen_params),
	KUNIT_CASE(migver_stream_crc32c_slices),
	KUNIT_CASE(migver_stream_emit_layout),
	KUNIT_CASE(migver_stream_emit_page_parts),
	KUNIT_CASE_PARAM(migver_stream_parse, stream_gen_params),
	KUNIT_CASE_PARAM(migver_stream_reason, stream_gen_params),
	{}
};

static struct kunit_suite migver_stream_test_suite = {
	.name = "migver_stream",
	.test_cases = migver_stream_test_cases,
};

kunit_test_suite(migver_stream_test_suite);
