/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The migration stream: what a source vGPU's VFIO migration data fd reads
 * and a target's accepts (README.md, "Live migration", has the format with
 * its rules).  Pure code like the rest of the core: no allocation, no
 * locking, builds in the kernel and in userspace.
 *
 *   stream  = header record* END
 *   header  = "MIGVERST" le16 major le16 minor le32 flags     16 bytes
 *   record  = le16 type le16 flags le32 length payload[length]
 *
 * Records, in this order: VERSION (first, exactly once: the source
 * device's migration_version string exactly as its attribute reads), PAGE*
 * (le64 offset, 4096 bytes), CONFIG (256 bytes, once), REGS (256 bytes,
 * once), END (le32 records before it, le32 crc32c of every byte before its
 * payload).  A record whose type this side does not know is skipped when
 * its MANDATORY flag is clear and refused when set.
 *
 * The parser is incremental: it takes the stream in pieces of any size and
 * stops at every event (the version record complete, a piece of record
 * data, the end), so the driver can check the version before reading on.
 */
#ifndef MIGVER_STREAM_H
#define MIGVER_STREAM_H

#include "port.h"
#include "version.h"

#define MIGVER_STREAM_MAGIC "MIGVERST" /* 8 bytes, no NUL in the stream */
#define MIGVER_STREAM_MAGIC_LEN 8
#define MIGVER_STREAM_MAJOR 1
#define MIGVER_STREAM_MINOR 0
#define MIGVER_STREAM_HDR_SIZE 16
#define MIGVER_REC_HDR_SIZE 8

/* Record flags (le16 after the type): only this one is defined. */
#define MIGVER_REC_MANDATORY 0x0001

enum migver_rec_type {
	MIGVER_REC_VERSION = 1,
	MIGVER_REC_CONFIG = 2,
	MIGVER_REC_REGS = 3,
	MIGVER_REC_PAGE = 4,
	MIGVER_REC_END = 5,
};

#define MIGVER_STREAM_PAGE_SIZE 4096
#define MIGVER_STREAM_CONFIG_SIZE 256
#define MIGVER_STREAM_REGS_SIZE 256
/* A migration_version string with its newline, as the attribute reads. */
#define MIGVER_STREAM_VERSION_MAX (MIGVER_MAX_LEN + 1)
/* An unknown record may be at most this long (it is skipped, not kept). */
#define MIGVER_STREAM_RECORD_MAX 0x100000 /* 1 MiB */

#define MIGVER_STREAM_PAGE_PAYLOAD (8 + MIGVER_STREAM_PAGE_SIZE)
#define MIGVER_STREAM_PAGE_REC \
	(MIGVER_REC_HDR_SIZE + MIGVER_STREAM_PAGE_PAYLOAD)
/* A PAGE record up to its data: record header and offset. */
#define MIGVER_STREAM_PAGE_START (MIGVER_REC_HDR_SIZE + 8)
#define MIGVER_STREAM_END_PAYLOAD 8
#define MIGVER_STREAM_END_REC (MIGVER_REC_HDR_SIZE + MIGVER_STREAM_END_PAYLOAD)
/* Header and version record at their longest: what a refusal may consume. */
#define MIGVER_STREAM_PREFIX_MAX                        \
	(MIGVER_STREAM_HDR_SIZE + MIGVER_REC_HDR_SIZE + \
	 MIGVER_STREAM_VERSION_MAX)

/* CRC-32C (Castagnoli), as iSCSI and ext4: start with 0, chain the result. */
u32 migver_crc32c(u32 crc, const void *buf, size_t len);

/* ---- emitter --------------------------------------------------------- */

struct migver_stream_emitter {
	u32 crc; /* of every byte emitted so far */
	u32 records; /* records emitted, END excluded */
};

void migver_stream_emit_init(struct migver_stream_emitter *e);
/* Each returns the bytes written to @out, which must have room for them. */
size_t migver_stream_emit_header(struct migver_stream_emitter *e, u8 *out);
/*
 * Header and payload of one record: MIGVER_REC_HDR_SIZE + @len bytes.
 * @payload may already be in place at @out + MIGVER_REC_HDR_SIZE.
 */
size_t migver_stream_emit_record(struct migver_stream_emitter *e, u8 *out,
				 u16 type, u16 flags, const void *payload,
				 u32 len);
/* A PAGE record: MIGVER_STREAM_PAGE_REC bytes. */
size_t migver_stream_emit_page(struct migver_stream_emitter *e, u8 *out,
			       u64 offset, const void *page);
/*
 * The same PAGE record in two steps, for a caller that sends the page
 * from where it lies: its first MIGVER_STREAM_PAGE_START bytes into @out,
 * then exactly MIGVER_STREAM_PAGE_SIZE bytes of data, in pieces of any
 * size, each passed to migver_stream_emit_data() as it is sent.  Same
 * bytes, count and checksum as migver_stream_emit_page().
 */
size_t migver_stream_emit_page_start(struct migver_stream_emitter *e,
				     u8 *out, u64 offset);
void migver_stream_emit_data(struct migver_stream_emitter *e,
			     const void *data, size_t len);
/* The END record: MIGVER_STREAM_END_REC bytes; nothing may follow. */
size_t migver_stream_emit_end(struct migver_stream_emitter *e, u8 *out);

/* ---- parser ---------------------------------------------------------- */

enum migver_stream_event {
	MIGVER_STREAM_NONE, /* all input taken, nothing to report yet */
	MIGVER_STREAM_VERSION, /* the version record is complete */
	MIGVER_STREAM_DATA, /* a piece of CONFIG, REGS or PAGE data */
	MIGVER_STREAM_END, /* END validated: the stream is complete */
};

struct migver_stream_ev {
	enum migver_stream_event kind;
	/* MIGVER_STREAM_DATA only: */
	u16 type; /* MIGVER_REC_CONFIG, _REGS or _PAGE */
	u64 offset; /* PAGE: graphics-memory offset; else offset in record */
	const u8 *data; /* points into the caller's buffer */
	size_t len; /* never crosses a page or record */
};

struct migver_stream_parser {
	/* set by migver_stream_parser_init(), read-only after */
	u64 page_limit; /* PAGE offsets must be below this (else -EFBIG) */
	/* progress */
	u8 state;
	u8 seen; /* bits: which once-only records were seen */
	u16 rec_type;
	u16 rec_flags;
	int error; /* sticky negative errno once refused */
	const char *why; /* static detail of the refusal */
	u32 rec_len;
	u32 rec_pos; /* payload bytes of the current record taken */
	u32 records; /* complete records before END */
	u32 crc;
	u32 hold_len;
	u64 page_offset;
	u64 consumed; /* stream bytes taken in total */
	u8 hold[MIGVER_STREAM_HDR_SIZE]; /* a header being assembled */
	u32 version_len;
	char version[MIGVER_STREAM_VERSION_MAX + 1];
};

void migver_stream_parser_init(struct migver_stream_parser *p, u64 page_limit);

/**
 * migver_stream_feed() - take stream bytes up to the next event
 * @buf, @len: the next bytes of the stream (@len may be 0)
 * @used: receives how many bytes of @buf were taken (also on error)
 * @ev: receives the event
 *
 * Call again with the rest of @buf after each event.  After
 * MIGVER_STREAM_VERSION, p->version holds the string (p->version_len
 * bytes, not NUL-terminated in the stream, NUL-terminated here).
 *
 * Return: 0, or a negative errno, after which every call returns it again:
 * -EINVAL malformed (bad magic, framing, length, order, duplicate, bytes
 * after END, count or checksum mismatch), -EPROTONOSUPPORT a stream major
 * version, stream flag or mandatory record this side does not know,
 * -EFBIG a page beyond @page_limit.  p->why says which.
 */
int migver_stream_feed(struct migver_stream_parser *p, const u8 *buf,
		       size_t len, size_t *used, struct migver_stream_ev *ev);

/* True once END has been validated. */
bool migver_stream_complete(const struct migver_stream_parser *p);

/* Little-endian field access, for the core and its tests. */
static inline u16 migver_get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 migver_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 migver_get_le64(const u8 *p)
{
	return (u64)migver_get_le32(p) | (u64)migver_get_le32(p + 4) << 32;
}

static inline void migver_put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void migver_put_le32(u8 *p, u32 v)
{
	migver_put_le16(p, (u16)v);
	migver_put_le16(p + 2, (u16)(v >> 16));
}

static inline void migver_put_le64(u8 *p, u64 v)
{
	migver_put_le32(p, (u32)v);
	migver_put_le32(p + 4, (u32)(v >> 32));
}

#endif /* MIGVER_STREAM_H */
