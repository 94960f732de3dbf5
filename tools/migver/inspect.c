// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver inspect`: decode a saved device migration stream (our format,
 * include/migver/stream.h) with the same incremental parser the driver
 * resumes with, read in pieces, and with --check ask this host's kernel
 * whether TARGET would accept its version record, without a restore.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <migver/stream.h>

#include "migver.h"

#define CHUNK 65536

struct decoded {
	u8 header[MIGVER_STREAM_HDR_SIZE];
	size_t header_len;
	u64 bytes, page_bytes, config_bytes, regs_bytes;
	bool have_version;
	char version[MIGVER_STREAM_VERSION_MAX + 1];
	size_t version_len;
};

static const char *stream_errno_name(int e)
{
	switch (e) {
	case -EINVAL:
		return "EINVAL";
	case -EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case -EFBIG:
		return "EFBIG";
	default:
		return "?";
	}
}

/* 0 when the stream is complete and valid; else an error was printed. */
static int decode(const char *file, struct decoded *d)
{
	struct migver_stream_parser *p = malloc(sizeof(*p));
	u8 *buf = malloc(CHUNK);
	int fd = -1, ret = -1, e;
	ssize_t r;

	memset(d, 0, sizeof(*d));
	if (!p || !buf) {
		err("out of memory");
		goto out;
	}
	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		err("%s: %s", file, strerror(errno));
		goto out;
	}
	migver_stream_parser_init(p, ~0ULL);
	while ((r = read(fd, buf, CHUNK)) != 0) {
		size_t off = 0;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			err("%s: %s", file, strerror(errno));
			goto out;
		}
		if (d->header_len < MIGVER_STREAM_HDR_SIZE) {
			size_t n = MIGVER_STREAM_HDR_SIZE - d->header_len;

			n = n < (size_t)r ? n : (size_t)r;
			memcpy(d->header + d->header_len, buf, n);
			d->header_len += n;
		}
		while (off < (size_t)r) {
			struct migver_stream_ev ev;
			size_t used = 0;

			e = migver_stream_feed(p, buf + off, (size_t)r - off, &used, &ev);
			off += used;
			if (e) {
				err("%s: not a valid migver stream: byte %llu: %s (%s)",
				    file, (unsigned long long)p->consumed,
				    p->why ? p->why : "refused", stream_errno_name(e));
				goto out;
			}
			if (ev.kind == MIGVER_STREAM_VERSION) {
				d->have_version = true;
				d->version_len = p->version_len;
				memcpy(d->version, p->version, p->version_len + 1);
			} else if (ev.kind == MIGVER_STREAM_DATA) {
				if (ev.type == MIGVER_REC_PAGE)
					d->page_bytes += ev.len;
				else if (ev.type == MIGVER_REC_CONFIG)
					d->config_bytes += ev.len;
				else
					d->regs_bytes += ev.len;
			}
		}
	}
	d->bytes = p->consumed;
	if (!migver_stream_complete(p)) {
		err("%s: truncated migver stream: ends after %llu bytes, before its END record",
		    file, (unsigned long long)p->consumed);
		goto out;
	}
	ret = 0;
out:
	if (fd > 0)
		close(fd);
	free(buf);
	free(p);
	return ret;
}

static json_t *stream_json(const struct decoded *d)
{
	return json_pack("{s:I, s:i, s:i, s:I, s:I, s:I, s:b}",
			 "bytes", (json_int_t)d->bytes,
			 "major", migver_get_le16(d->header + 8),
			 "minor", migver_get_le16(d->header + 10),
			 "pages", (json_int_t)(d->page_bytes / MIGVER_STREAM_PAGE_SIZE),
			 "config_bytes", (json_int_t)d->config_bytes,
			 "regs_bytes", (json_int_t)d->regs_bytes,
			 "complete", 1);
}

int cmd_inspect(const struct opts *o, const char *file)
{
	struct decoded d;
	struct side src;
	json_t *stream;
	int ret;

	if (decode(file, &d))
		return EXIT_ERROR;
	memset(&src, 0, sizeof(src));
	src.origin = strdup(file);
	src.buf = malloc(d.version_len + 1);
	if (!src.origin || !src.buf) {
		side_free(&src);
		err("out of memory");
		return EXIT_ERROR;
	}
	memcpy(src.buf, d.version, d.version_len + 1);
	src.len = d.version_len;
	side_parse(&src);
	stream = stream_json(&d);

	if (o->check) {
		json_t *extra = json_pack("{s:o}", "stream", stream);

		ret = check_against(o, &src, o->check, "inspect", extra);
		json_decref(extra);
		side_free(&src);
		return ret;
	}
	ret = 0;
	if (o->json) {
		json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "schema", MIGVER_SCHEMA,
					"command", "inspect", "stream", stream,
					"version", side_json(&src));

		ret = json_print(doc);
	} else {
		printf("migver stream %u.%u, %llu bytes, complete (END record, count and CRC-32C valid)\n",
		       migver_get_le16(d.header + 8), migver_get_le16(d.header + 10),
		       (unsigned long long)d.bytes);
		printf("  pages: %llu, config: %llu bytes, registers: %llu bytes\n",
		       (unsigned long long)(d.page_bytes / MIGVER_STREAM_PAGE_SIZE),
		       (unsigned long long)d.config_bytes,
		       (unsigned long long)d.regs_bytes);
		printf("  version record: %.*s\n", (int)(d.version_len && d.version[d.version_len - 1] == '\n' ? d.version_len - 1 : d.version_len), d.version);
		if (src.parse_err)
			printf("  malformed: %s\n", src.why ? src.why : "?");
		else
			printf("  %s %04x:%04x %s x%u, software %u.%u.%u\n",
			       src.info.device_api, src.info.vendor, src.info.device,
			       src.info.type, src.info.aggregator, src.info.sw.major,
			       src.info.sw.minor, src.info.sw.patch);
		json_decref(stream);
		if (fflush(stdout))
			ret = EXIT_ERROR;
	}
	side_free(&src);
	return ret;
}
