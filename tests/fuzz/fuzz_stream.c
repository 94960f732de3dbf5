// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the migration stream (src/core/stream.c), as the
 * driver's resume path uses it: arbitrary bytes written in arbitrary
 * pieces.  Every property is checked with abort().
 *
 * Input: two bytes seeding the piece sizes (1 byte to 64 KiB, as write()
 * calls may come), one byte choosing the page limit, then the stream.
 *
 *   1. Fed in those pieces, the parser takes no byte it was not given,
 *      hands back only data inside the piece it was given, at offsets
 *      inside their record (CONFIG/REGS below 256, PAGE below the page
 *      limit and never across a page), at most one VERSION event, of at
 *      most 512 bytes, and stays refused once refused.
 *   2. The verdict, the reason, where the VERSION event came and a digest
 *      of every data byte with its offset are the same as when the whole
 *      stream is fed in one piece: the piece size never changes anything.
 *   3. Round trip: the input also serves as device contents (pages,
 *      config, registers, a version string) for the emitter; that stream,
 *      fed in the same random pieces, must be complete and give back
 *      exactly those contents.
 */
#include <stdlib.h>
#include <migver/stream.h>
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define MAX_PAGES 2

struct outcome {
	int ret;
	const char *why;
	bool complete;
	int versions;
	u64 version_at;
	u64 consumed;
	u64 digest;
	size_t data;
	u8 config[256], regs[256];
	u8 pages[MAX_PAGES][MIGVER_STREAM_PAGE_SIZE];
	bool page_seen[MAX_PAGES];
	char version[MIGVER_STREAM_VERSION_MAX + 1];
};

static u32 rng_state;

/* Page @i of the round trip: the input repeated, starting at byte @i. */
static void fill_page(u8 *page, const u8 *data, size_t size, size_t i)
{
	size_t n = 0, chunk;

	if (!size) {
		memset(page, (int)i, MIGVER_STREAM_PAGE_SIZE);
		return;
	}
	i %= size;
	while (n < MIGVER_STREAM_PAGE_SIZE) {
		chunk = size - i;
		if (chunk > MIGVER_STREAM_PAGE_SIZE - n)
			chunk = MIGVER_STREAM_PAGE_SIZE - n;
		memcpy(page + n, data + i, chunk);
		n += chunk;
		i = 0;
	}
}

static u32 next_piece(void)
{
	rng_state = rng_state * 1103515245 + 12345;
	/* mostly small pieces, sometimes up to 64 KiB */
	if (rng_state & 0x80000000)
		return 1 + (rng_state >> 8) % 64;
	return 1 + (rng_state >> 8) % 65536;
}

static void run(const u8 *buf, size_t len, u64 limit, bool random_pieces,
		struct outcome *o)
{
	struct migver_stream_parser p;
	size_t pos = 0;

	/* pages are only compared where page_seen says they were written */
	memset(o, 0, offsetof(struct outcome, pages));
	memset(o->page_seen, 0, sizeof(o->page_seen));
	migver_stream_parser_init(&p, limit);
	while (pos < len && !o->ret) {
		size_t piece = random_pieces ? next_piece() : len;
		const u8 *in = buf + pos;

		if (piece > len - pos)
			piece = len - pos;
		pos += piece;
		while (piece) {
			struct migver_stream_ev ev;
			size_t used = (size_t)-1;

			o->ret = migver_stream_feed(&p, in, piece, &used, &ev);
			CHECK(used <= piece);
			if (o->ret) {
				CHECK(ev.kind == MIGVER_STREAM_NONE);
				CHECK(o->ret == -EINVAL ||
				      o->ret == -EPROTONOSUPPORT ||
				      o->ret == -EFBIG);
				CHECK(p.why);
				break;
			}
			switch (ev.kind) {
			case MIGVER_STREAM_NONE:
				CHECK(used == piece);
				break;
			case MIGVER_STREAM_VERSION:
				CHECK(++o->versions == 1);
				CHECK(p.version_len >= 1 &&
				      p.version_len <=
					      MIGVER_STREAM_VERSION_MAX);
				CHECK(p.version[p.version_len] == '\0');
				o->version_at = p.consumed;
				memcpy(o->version, p.version,
				       p.version_len + 1);
				break;
			case MIGVER_STREAM_DATA:
				CHECK(o->versions == 1);
				CHECK(ev.len > 0 && ev.len <= used);
				CHECK(ev.data >= in &&
				      ev.data + ev.len <= in + used);
				if (ev.type == MIGVER_REC_PAGE) {
					u64 pg = ev.offset /
						 MIGVER_STREAM_PAGE_SIZE;
					u64 in_pg = ev.offset %
						    MIGVER_STREAM_PAGE_SIZE;

					CHECK(ev.offset + ev.len <= limit);
					CHECK(in_pg + ev.len <=
					      MIGVER_STREAM_PAGE_SIZE);
					if (pg < MAX_PAGES) {
						memcpy(o->pages[pg] + in_pg,
						       ev.data, ev.len);
						o->page_seen[pg] = true;
					}
				} else {
					CHECK(ev.type == MIGVER_REC_CONFIG ||
					      ev.type == MIGVER_REC_REGS);
					CHECK(ev.offset + ev.len <= 256);
					memcpy((ev.type == MIGVER_REC_CONFIG ?
							o->config :
							o->regs) +
						       ev.offset,
					       ev.data, ev.len);
				}
				for (size_t i = 0; i < ev.len; i++)
					o->digest = o->digest * 31 +
						    ev.data[i] +
						    ((ev.offset + i) << 8) +
						    ev.type;
				o->data += ev.len;
				break;
			case MIGVER_STREAM_END:
				CHECK(migver_stream_complete(&p));
				break;
			}
			in += used;
			piece -= used;
		}
	}
	o->complete = migver_stream_complete(&p);
	o->consumed = p.consumed;
	o->why = p.why;
	if (o->ret) {
		struct migver_stream_ev ev;
		size_t used;

		CHECK(!o->complete);
		CHECK(migver_stream_feed(&p, buf, len, &used, &ev) == o->ret);
		CHECK(used == 0);
	} else {
		CHECK(o->consumed == len);
	}
}

/* 3: the input as device contents, through the emitter and back. */
static void round_trip(const u8 *data, size_t size, u32 seed)
{
	static u8 stream[MIGVER_STREAM_PREFIX_MAX +
			 MAX_PAGES * MIGVER_STREAM_PAGE_REC + 2 * 264 + 64];
	static u8 page[MIGVER_STREAM_PAGE_SIZE];
	static struct outcome o;
	struct migver_stream_emitter e;
	size_t n = 0, vlen, i;
	u8 cfg[256], regs[256];
	char version[MIGVER_STREAM_VERSION_MAX];
	unsigned int mask = size ? data[0] : 0;

	vlen = 1 + size % MIGVER_STREAM_VERSION_MAX;
	for (i = 0; i < vlen; i++)
		version[i] = size ? (char)data[i % size] : 'v';
	for (i = 0; i < 256; i++) {
		cfg[i] = size ? data[(i * 7) % size] : 0;
		regs[i] = size ? data[(i * 13) % size] ^ 0xff : 1;
	}
	migver_stream_emit_init(&e);
	n += migver_stream_emit_header(&e, stream);
	n += migver_stream_emit_record(&e, stream + n, MIGVER_REC_VERSION,
				       MIGVER_REC_MANDATORY, version,
				       (u32)vlen);
	for (i = 0; i < MAX_PAGES; i++) {
		if (!(mask & (1u << i)))
			continue;
		fill_page(page, data, size, i);
		n += migver_stream_emit_page(
			&e, stream + n, (u64)i * MIGVER_STREAM_PAGE_SIZE, page);
	}
	n += migver_stream_emit_record(&e, stream + n, MIGVER_REC_CONFIG,
				       MIGVER_REC_MANDATORY, cfg, 256);
	n += migver_stream_emit_record(&e, stream + n, MIGVER_REC_REGS,
				       MIGVER_REC_MANDATORY, regs, 256);
	n += migver_stream_emit_end(&e, stream + n);
	CHECK(n <= sizeof(stream));

	rng_state = seed;
	run(stream, n, MAX_PAGES * MIGVER_STREAM_PAGE_SIZE, true, &o);
	CHECK(o.ret == 0);
	CHECK(o.complete);
	CHECK(o.versions == 1);
	CHECK(o.version_at ==
	      MIGVER_STREAM_HDR_SIZE + MIGVER_REC_HDR_SIZE + vlen);
	CHECK(!memcmp(o.version, version, vlen));
	CHECK(!memcmp(o.config, cfg, 256));
	CHECK(!memcmp(o.regs, regs, 256));
	for (i = 0; i < MAX_PAGES; i++) {
		CHECK(o.page_seen[i] == !!(mask & (1u << i)));
		if (!o.page_seen[i])
			continue;
		fill_page(page, data, size, i);
		CHECK(!memcmp(o.pages[i], page, sizeof(page)));
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct outcome pieces, whole;
	u64 limit;
	u32 seed;

	if (size < 3)
		return 0;
	seed = (u32)data[0] | (u32)data[1] << 8;
	/* 0 pages (any PAGE refused) up to MAX_PAGES + 7 */
	limit = (u64)(data[2] % (MAX_PAGES + 8)) * MIGVER_STREAM_PAGE_SIZE;
	data += 3;
	size -= 3;

	rng_state = seed;
	run(data, size, limit, true, &pieces);
	run(data, size, limit, false, &whole);
	CHECK(pieces.ret == whole.ret);
	CHECK(pieces.why == whole.why);
	CHECK(pieces.complete == whole.complete);
	CHECK(pieces.versions == whole.versions);
	CHECK(pieces.version_at == whole.version_at);
	CHECK(pieces.consumed == whole.consumed);
	CHECK(pieces.digest == whole.digest);
	CHECK(pieces.data == whole.data);

	round_trip(data, size, seed);
	return 0;
}
