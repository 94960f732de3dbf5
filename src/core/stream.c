// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration stream's emitter and incremental parser (format in
 * include/migver/stream.h and README.md, "Live migration").
 *
 * The parser never looks back: each byte is taken once, in whatever pieces
 * the caller has, and the only bytes it keeps are a header being assembled
 * and the version string.  Record data is handed back as pointers into the
 * caller's buffer.  The checksum covers every byte before END's payload.
 */
#include <migver/stream.h>

enum {
	ST_HDR, /* stream header: 16 bytes into hold */
	ST_RHDR, /* record header: 8 bytes into hold */
	ST_VERSION, /* version string into p->version */
	ST_PAGE_OFF, /* PAGE's le64 offset into hold */
	ST_DATA, /* CONFIG, REGS or PAGE data, handed back */
	ST_SKIP, /* an unknown optional record */
	ST_END, /* END's payload into hold */
	ST_DONE, /* nothing may follow */
	ST_ERROR,
};

static const char why_beyond[] = "PAGE beyond this device's graphics memory";

/* p->seen */
#define SEEN_VERSION 0x01
#define SEEN_CONFIG 0x02
#define SEEN_REGS 0x04

/* ---- emitter ------------------------------------------------------------ */

void migver_stream_emit_init(struct migver_stream_emitter *e)
{
	e->crc = 0;
	e->records = 0;
}

size_t migver_stream_emit_header(struct migver_stream_emitter *e, u8 *out)
{
	memcpy(out, MIGVER_STREAM_MAGIC, MIGVER_STREAM_MAGIC_LEN);
	migver_put_le16(out + 8, MIGVER_STREAM_MAJOR);
	migver_put_le16(out + 10, MIGVER_STREAM_MINOR);
	migver_put_le32(out + 12, 0);
	e->crc = migver_crc32c(e->crc, out, MIGVER_STREAM_HDR_SIZE);
	return MIGVER_STREAM_HDR_SIZE;
}

static void put_rec_header(struct migver_stream_emitter *e, u8 *out, u16 type,
			   u16 flags, u32 len)
{
	migver_put_le16(out, type);
	migver_put_le16(out + 2, flags);
	migver_put_le32(out + 4, len);
	e->crc = migver_crc32c(e->crc, out, MIGVER_REC_HDR_SIZE);
}

size_t migver_stream_emit_record(struct migver_stream_emitter *e, u8 *out,
				 u16 type, u16 flags, const void *payload,
				 u32 len)
{
	put_rec_header(e, out, type, flags, len);
	/* the payload may already be in place */
	if (len && payload != out + MIGVER_REC_HDR_SIZE)
		memcpy(out + MIGVER_REC_HDR_SIZE, payload, len);
	e->crc = migver_crc32c(e->crc, out + MIGVER_REC_HDR_SIZE, len);
	e->records++;
	return MIGVER_REC_HDR_SIZE + (size_t)len;
}

size_t migver_stream_emit_page_start(struct migver_stream_emitter *e,
				     u8 *out, u64 offset)
{
	put_rec_header(e, out, MIGVER_REC_PAGE, MIGVER_REC_MANDATORY,
		       MIGVER_STREAM_PAGE_PAYLOAD);
	migver_put_le64(out + MIGVER_REC_HDR_SIZE, offset);
	e->crc = migver_crc32c(e->crc, out + MIGVER_REC_HDR_SIZE, 8);
	e->records++;
	return MIGVER_STREAM_PAGE_START;
}

void migver_stream_emit_data(struct migver_stream_emitter *e,
			     const void *data, size_t len)
{
	e->crc = migver_crc32c(e->crc, data, len);
}

size_t migver_stream_emit_page(struct migver_stream_emitter *e, u8 *out,
			       u64 offset, const void *page)
{
	size_t n = migver_stream_emit_page_start(e, out, offset);

	memcpy(out + n, page, MIGVER_STREAM_PAGE_SIZE);
	migver_stream_emit_data(e, out + n, MIGVER_STREAM_PAGE_SIZE);
	return MIGVER_STREAM_PAGE_REC;
}

size_t migver_stream_emit_end(struct migver_stream_emitter *e, u8 *out)
{
	put_rec_header(e, out, MIGVER_REC_END, MIGVER_REC_MANDATORY,
		       MIGVER_STREAM_END_PAYLOAD);
	migver_put_le32(out + MIGVER_REC_HDR_SIZE, e->records);
	migver_put_le32(out + MIGVER_REC_HDR_SIZE + 4, e->crc);
	return MIGVER_STREAM_END_REC;
}

/* ---- parser ------------------------------------------------------------- */

void migver_stream_parser_init(struct migver_stream_parser *p, u64 page_limit)
{
	memset(p, 0, sizeof(*p));
	p->page_limit = page_limit;
	p->state = ST_HDR;
}

bool migver_stream_complete(const struct migver_stream_parser *p)
{
	return p->state == ST_DONE;
}

static int refuse(struct migver_stream_parser *p, int err, const char *why)
{
	p->state = ST_ERROR;
	p->error = err;
	p->why = why;
	return err;
}

static int check_header(struct migver_stream_parser *p)
{
	const u8 *h = p->hold;

	if (memcmp(h, MIGVER_STREAM_MAGIC, MIGVER_STREAM_MAGIC_LEN))
		return refuse(p, -EINVAL, "not a migver stream (magic)");
	if (migver_get_le16(h + 8) != MIGVER_STREAM_MAJOR)
		return refuse(p, -EPROTONOSUPPORT,
			      "unknown stream major version");
	if (migver_get_le32(h + 12))
		return refuse(p, -EPROTONOSUPPORT, "unknown stream flags");
	p->state = ST_RHDR;
	return 0;
}

/* A known record must carry exactly the MANDATORY flag and its length. */
static int check_known(struct migver_stream_parser *p, u32 want_len)
{
	if (p->rec_flags != MIGVER_REC_MANDATORY)
		return refuse(p, -EINVAL,
			      "known record without MANDATORY flag");
	if (want_len && p->rec_len != want_len)
		return refuse(p, -EINVAL, "record length wrong for its type");
	return 0;
}

/* A record header is complete: decide what its payload is. */
static int check_record(struct migver_stream_parser *p)
{
	const u8 *h = p->hold;
	int ret;

	p->rec_type = migver_get_le16(h);
	p->rec_flags = migver_get_le16(h + 2);
	p->rec_len = migver_get_le32(h + 4);
	p->rec_pos = 0;

	if (p->rec_flags & ~MIGVER_REC_MANDATORY)
		return refuse(p, -EINVAL, "unknown record flags");
	if (!(p->seen & SEEN_VERSION) && p->rec_type != MIGVER_REC_VERSION)
		return refuse(p, -EINVAL, "first record is not VERSION");

	switch (p->rec_type) {
	case MIGVER_REC_VERSION:
		if (p->seen & SEEN_VERSION)
			return refuse(p, -EINVAL, "second VERSION record");
		ret = check_known(p, 0);
		if (ret)
			return ret;
		if (!p->rec_len || p->rec_len > MIGVER_STREAM_VERSION_MAX)
			return refuse(p, -EINVAL, "VERSION record length");
		p->state = ST_VERSION;
		break;
	case MIGVER_REC_PAGE:
		if (p->seen & SEEN_CONFIG)
			return refuse(p, -EINVAL, "PAGE record after CONFIG");
		ret = check_known(p, MIGVER_STREAM_PAGE_PAYLOAD);
		if (ret)
			return ret;
		p->state = ST_PAGE_OFF;
		break;
	case MIGVER_REC_CONFIG:
		if (p->seen & SEEN_CONFIG)
			return refuse(p, -EINVAL, "second CONFIG record");
		ret = check_known(p, MIGVER_STREAM_CONFIG_SIZE);
		if (ret)
			return ret;
		p->seen |= SEEN_CONFIG;
		p->state = ST_DATA;
		break;
	case MIGVER_REC_REGS:
		if (!(p->seen & SEEN_CONFIG))
			return refuse(p, -EINVAL, "REGS record before CONFIG");
		if (p->seen & SEEN_REGS)
			return refuse(p, -EINVAL, "second REGS record");
		ret = check_known(p, MIGVER_STREAM_REGS_SIZE);
		if (ret)
			return ret;
		p->seen |= SEEN_REGS;
		p->state = ST_DATA;
		break;
	case MIGVER_REC_END:
		if (!(p->seen & SEEN_REGS))
			return refuse(p, -EINVAL, "END before CONFIG and REGS");
		ret = check_known(p, MIGVER_STREAM_END_PAYLOAD);
		if (ret)
			return ret;
		p->state = ST_END;
		break;
	default:
		if (p->rec_flags & MIGVER_REC_MANDATORY)
			return refuse(p, -EPROTONOSUPPORT,
				      "unknown mandatory record");
		if (p->rec_len > MIGVER_STREAM_RECORD_MAX)
			return refuse(p, -EINVAL, "unknown record too long");
		p->state = ST_SKIP;
		break;
	}
	return 0;
}

/* Ends a record whose payload is complete (END excepted). */
static void record_done(struct migver_stream_parser *p)
{
	p->records++;
	p->hold_len = 0;
	p->state = ST_RHDR;
}

/* Moves up to @want - hold_len bytes into hold; returns how many. */
static size_t collect(struct migver_stream_parser *p, const u8 *buf, size_t len,
		      u32 want)
{
	size_t n = want - p->hold_len;

	if (n > len)
		n = len;
	memcpy(p->hold + p->hold_len, buf, n);
	p->hold_len += (u32)n;
	return n;
}

static int check_end(struct migver_stream_parser *p)
{
	if (migver_get_le32(p->hold) != p->records)
		return refuse(p, -EINVAL, "END record count mismatch");
	if (migver_get_le32(p->hold + 4) != p->crc)
		return refuse(p, -EINVAL, "checksum mismatch");
	p->state = ST_DONE;
	return 0;
}

int migver_stream_feed(struct migver_stream_parser *p, const u8 *buf,
		       size_t len, size_t *used, struct migver_stream_ev *ev)
{
	size_t pos = 0, n;
	int ret = 0;

	ev->kind = MIGVER_STREAM_NONE;
	while (!ret && pos < len && ev->kind == MIGVER_STREAM_NONE) {
		const u8 *in = buf + pos;
		size_t avail = len - pos;
		u32 left;

		switch (p->state) {
		case ST_HDR:
			n = collect(p, in, avail, MIGVER_STREAM_HDR_SIZE);
			if (p->hold_len == MIGVER_STREAM_HDR_SIZE) {
				ret = check_header(p);
				p->hold_len = 0;
			}
			break;
		case ST_RHDR:
			n = collect(p, in, avail, MIGVER_REC_HDR_SIZE);
			if (p->hold_len == MIGVER_REC_HDR_SIZE) {
				p->hold_len = 0;
				ret = check_record(p);
				/* an empty unknown record ends here */
				if (!ret && p->state == ST_SKIP && !p->rec_len)
					record_done(p);
			}
			break;
		case ST_VERSION:
			left = p->rec_len - p->rec_pos;
			n = avail < left ? avail : left;
			memcpy(p->version + p->rec_pos, in, n);
			p->rec_pos += (u32)n;
			if (p->rec_pos == p->rec_len) {
				p->version[p->rec_len] = '\0';
				p->version_len = p->rec_len;
				p->seen |= SEEN_VERSION;
				record_done(p);
				ev->kind = MIGVER_STREAM_VERSION;
			}
			break;
		case ST_PAGE_OFF:
			n = collect(p, in, avail, 8);
			if (p->hold_len < 8)
				break;
			p->page_offset = migver_get_le64(p->hold);
			p->hold_len = 0;
			p->rec_pos = 8;
			if (p->page_offset & (MIGVER_STREAM_PAGE_SIZE - 1))
				ret = refuse(p, -EINVAL,
					     "PAGE offset not aligned");
			else if (p->page_offset >= p->page_limit)
				ret = refuse(p, -EFBIG, why_beyond);
			else
				p->state = ST_DATA;
			break;
		case ST_DATA:
			left = p->rec_len - p->rec_pos;
			n = avail < left ? avail : left;
			ev->kind = MIGVER_STREAM_DATA;
			ev->type = p->rec_type;
			ev->data = in;
			ev->len = n;
			if (p->rec_type == MIGVER_REC_PAGE)
				ev->offset = p->page_offset + p->rec_pos - 8;
			else
				ev->offset = p->rec_pos;
			p->rec_pos += (u32)n;
			if (p->rec_pos == p->rec_len)
				record_done(p);
			break;
		case ST_SKIP:
			left = p->rec_len - p->rec_pos;
			n = avail < left ? avail : left;
			p->rec_pos += (u32)n;
			if (p->rec_pos == p->rec_len)
				record_done(p);
			break;
		case ST_END:
			n = collect(p, in, avail, MIGVER_STREAM_END_PAYLOAD);
			if (p->hold_len == MIGVER_STREAM_END_PAYLOAD) {
				ret = check_end(p);
				if (!ret)
					ev->kind = MIGVER_STREAM_END;
			}
			/* END's payload is not part of the checksum */
			pos += n;
			continue;
		case ST_DONE:
			n = 0;
			ret = refuse(p, -EINVAL, "bytes after the END record");
			break;
		default:
			n = 0;
			ret = p->error;
			break;
		}
		p->crc = migver_crc32c(p->crc, in, n);
		pos += n;
	}
	if (!ret && p->state == ST_ERROR)
		ret = p->error;
	if (ret)
		ev->kind = MIGVER_STREAM_NONE;
	p->consumed += pos;
	*used = pos;
	return ret;
}
