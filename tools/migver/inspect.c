// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver inspect`: decode a saved device migration stream (our format,
 * include/migver/stream.h) with the same incremental parser the driver
 * resumes with, read in pieces, and with --check ask this host's kernel
 * whether TARGET would accept its version record, without a restore.  The
 * stream is a file of its own, or a VFIO device's state inside a QEMU
 * migration image (qemu_image.c finds its pieces).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <migver/stream.h>

#include "migver.h"

#define CHUNK 65536

/* One device's stream, decoded as its pieces arrive. */
struct decoded {
	const char *file;
	const char *id; /* QEMU image: the device's section idstr; else NULL */
	struct migver_stream_parser p;
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

/* "FILE" or "FILE: device ID" in the error lines: WHERE_FMT, WHERE(d) */
#define WHERE_FMT "%s%s%s"
#define WHERE(d) (d)->file, (d)->id ? ": device " : "", (d)->id ? (d)->id : ""

static void decoded_init(struct decoded *d, const char *file, const char *id)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
	d->id = id;
	migver_stream_parser_init(&d->p, ~0ULL);
}

/* The next @len bytes of the stream: 0, or -1 after one error line. */
static int feed(struct decoded *d, const u8 *buf, size_t len)
{
	size_t off = 0;
	int e;

	if (d->header_len < MIGVER_STREAM_HDR_SIZE) {
		size_t n = MIGVER_STREAM_HDR_SIZE - d->header_len;

		n = n < len ? n : len;
		memcpy(d->header + d->header_len, buf, n);
		d->header_len += n;
	}
	while (off < len) {
		struct migver_stream_ev ev;
		size_t used = 0;

		e = migver_stream_feed(&d->p, buf + off, len - off, &used, &ev);
		off += used;
		if (e) {
			err(WHERE_FMT ": not a valid migver stream: byte %llu: %s (%s)",
			    WHERE(d),
			    (unsigned long long)d->p.consumed,
			    d->p.why ? d->p.why : "refused", stream_errno_name(e));
			return -1;
		}
		if (ev.kind == MIGVER_STREAM_VERSION) {
			d->have_version = true;
			d->version_len = d->p.version_len;
			memcpy(d->version, d->p.version, d->p.version_len + 1);
		} else if (ev.kind == MIGVER_STREAM_DATA) {
			if (ev.type == MIGVER_REC_PAGE)
				d->page_bytes += ev.len;
			else if (ev.type == MIGVER_REC_CONFIG)
				d->config_bytes += ev.len;
			else
				d->regs_bytes += ev.len;
		}
	}
	return 0;
}

/* After the last piece: 0 if the stream ended with its END record. */
static int finish(struct decoded *d)
{
	d->bytes = d->p.consumed;
	if (migver_stream_complete(&d->p))
		return 0;
	err(WHERE_FMT ": truncated migver stream: ends after %llu bytes, before its END record",
	    WHERE(d), (unsigned long long)d->p.consumed);
	return -1;
}

/* A raw stream from @fd, @first (@nfirst bytes) already read from it. */
static int decode_raw(const char *file, int fd, const u8 *first, size_t nfirst,
		      struct decoded *d)
{
	u8 *buf = malloc(CHUNK);
	int ret = -1;
	ssize_t r;

	if (!buf) {
		err("out of memory");
		return -1;
	}
	decoded_init(d, file, NULL);
	if (nfirst && feed(d, first, nfirst))
		goto out;
	while ((r = read(fd, buf, CHUNK)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err("%s: %s", file, strerror(errno));
			goto out;
		}
		if (feed(d, buf, (size_t)r))
			goto out;
	}
	ret = finish(d);
out:
	free(buf);
	return ret;
}

/* A QEMU migration image, mapped whole: each VFIO device's stream */
struct image {
	struct qemu_vfio_dev devs[QEMU_IMAGE_MAX_DEVICES];
	struct decoded *d; /* one per device */
	int ndev;
};

static int image_chunk(void *ctx, unsigned int dev, const u8 *data, size_t len)
{
	struct image *im = ctx;

	return feed(&im->d[dev], data, len);
}

static int decode_image(const char *file, int fd, struct image *im)
{
	struct decoded *all;
	struct stat st;
	u8 *map;
	int i, ret = -1;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		err("%s: a QEMU migration image is read from a regular file, not a pipe", file);
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		err("%s: %s", file, strerror(errno));
		return -1;
	}
	all = calloc(QEMU_IMAGE_MAX_DEVICES, sizeof(*all));
	if (!all) {
		err("out of memory");
		goto out;
	}
	/* the ids are known only after the scan; the decoders need them first */
	for (i = 0; i < QEMU_IMAGE_MAX_DEVICES; i++)
		decoded_init(&all[i], file, im->devs[i].id);
	im->d = all;
	im->ndev = qemu_image_scan(file, map, (size_t)st.st_size, im->devs,
				   image_chunk, im);
	if (im->ndev < 0)
		goto out;
	for (i = 0; i < im->ndev; i++)
		if (finish(&all[i]))
			goto out;
	ret = 0;
out:
	munmap(map, (size_t)st.st_size);
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

/* The version record as a SOURCE side, parsed; 0 or -1 (out of memory). */
static int version_side(const struct decoded *d, struct side *src)
{
	memset(src, 0, sizeof(*src));
	src->origin = strdup(d->file);
	src->buf = malloc(d->version_len + 1);
	if (!src->origin || !src->buf) {
		side_free(src);
		err("out of memory");
		return -1;
	}
	memcpy(src->buf, d->version, d->version_len + 1);
	src->len = d->version_len;
	side_parse(src);
	return 0;
}

static json_t *device_json(const struct decoded *d, const struct side *src)
{
	json_t *o = json_pack("{s:o, s:o}", "stream", stream_json(d),
			      "version", side_json(src));

	if (d->id)
		json_object_set_new(o, "device", json_string(d->id));
	return o;
}

static void print_device(const struct decoded *d, const struct side *src)
{
	size_t vlen = d->version_len;

	if (vlen && d->version[vlen - 1] == '\n')
		vlen--;
	if (d->id)
		printf("device %s: ", d->id);
	printf("migver stream %u.%u, %llu bytes, complete (END record, count and CRC-32C valid)\n",
	       migver_get_le16(d->header + 8), migver_get_le16(d->header + 10),
	       (unsigned long long)d->bytes);
	printf("  pages: %llu, config: %llu bytes, registers: %llu bytes\n",
	       (unsigned long long)(d->page_bytes / MIGVER_STREAM_PAGE_SIZE),
	       (unsigned long long)d->config_bytes,
	       (unsigned long long)d->regs_bytes);
	printf("  version record: %.*s\n", (int)vlen, d->version);
	if (src->parse_err)
		printf("  malformed: %s\n", src->why ? src->why : "?");
	else
		printf("  %s %04x:%04x %s x%u, software %u.%u.%u\n",
		       src->info.device_api, src->info.vendor, src->info.device,
		       src->info.type, src->info.aggregator, src->info.sw.major,
		       src->info.sw.minor, src->info.sw.patch);
}

/* --check: the one device's version record against TARGET */
static int inspect_check(const struct opts *o, const struct decoded *d)
{
	struct side src;
	json_t *extra;
	int ret;

	if (version_side(d, &src))
		return EXIT_ERROR;
	extra = json_pack("{s:o}", "stream", stream_json(d));
	if (d->id)
		json_object_set_new(extra, "device", json_string(d->id));
	ret = check_against(o, &src, o->check, "inspect", extra);
	json_decref(extra);
	side_free(&src);
	return ret;
}

/* The devices of @im to report: all, or the one --device names. */
static int image_pick(const struct opts *o, const char *file,
		      const struct image *im, int *first, int *last)
{
	int i;

	*first = 0;
	*last = im->ndev - 1;
	if (o->device) {
		for (i = 0; i < im->ndev && strcmp(im->devs[i].id, o->device); i++)
			;
		if (i == im->ndev) {
			err("%s: no VFIO device %s in the image (it holds %s%s)", file,
			    o->device, im->devs[0].id, im->ndev > 1 ? ", ..." : "");
			return -1;
		}
		*first = *last = i;
	} else if (o->check && im->ndev > 1) {
		err("%s: %d VFIO devices in the image (%s, %s%s): name one with --device ID",
		    file, im->ndev, im->devs[0].id, im->devs[1].id,
		    im->ndev > 2 ? ", ..." : "");
		return -1;
	}
	return 0;
}

static int report_image(const struct opts *o, const char *file,
			const struct image *im)
{
	json_t *devices = NULL;
	int first, last, i, ret = 0;

	if (image_pick(o, file, im, &first, &last))
		return EXIT_ERROR;
	if (o->check)
		return inspect_check(o, &im->d[first]);
	if (o->json)
		devices = json_array();
	else
		printf("QEMU migration image, %d VFIO device%s\n", im->ndev,
		       im->ndev > 1 ? "s" : "");
	for (i = first; i <= last; i++) {
		struct side src;

		if (version_side(&im->d[i], &src)) {
			json_decref(devices);
			return EXIT_ERROR;
		}
		if (devices)
			json_array_append_new(devices, device_json(&im->d[i], &src));
		else
			print_device(&im->d[i], &src);
		side_free(&src);
	}
	if (devices)
		return json_print(json_pack("{s:s, s:s, s:s, s:o}", "schema",
					    MIGVER_SCHEMA, "command", "inspect",
					    "image", "qemu", "devices", devices));
	return fflush(stdout) ? EXIT_ERROR : ret;
}

static int report_raw(const struct opts *o, const struct decoded *d)
{
	struct side src;
	int ret = 0;

	if (o->check)
		return inspect_check(o, d);
	if (version_side(d, &src))
		return EXIT_ERROR;
	if (o->json) {
		json_t *doc = device_json(d, &src);

		json_object_set_new(doc, "schema", json_string(MIGVER_SCHEMA));
		json_object_set_new(doc, "command", json_string("inspect"));
		ret = json_print(doc);
	} else {
		print_device(d, &src);
		if (fflush(stdout))
			ret = EXIT_ERROR;
	}
	side_free(&src);
	return ret;
}

int cmd_inspect(const struct opts *o, const char *file)
{
	u8 first[8];
	size_t nfirst = 0;
	struct decoded *d = NULL;
	struct image *im = NULL;
	int fd, ret = EXIT_ERROR;
	ssize_t r;

	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		err("%s: %s", file, strerror(errno));
		return EXIT_ERROR;
	}
	/* enough for either magic: ours, or QEMU's "QEVM" and its format */
	while (nfirst < sizeof(first)) {
		r = read(fd, first + nfirst, sizeof(first) - nfirst);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err("%s: %s", file, strerror(errno));
			goto out;
		}
		if (!r)
			break;
		nfirst += (size_t)r;
	}
	if (qemu_image_magic(first, nfirst)) {
		im = calloc(1, sizeof(*im));
		if (!im)
			err("out of memory");
		else if (!decode_image(file, fd, im))
			ret = report_image(o, file, im);
	} else if (o->device) {
		err("%s: --device is for a QEMU migration image; this is not one", file);
	} else {
		d = malloc(sizeof(*d));
		if (!d)
			err("out of memory");
		else if (!decode_raw(file, fd, first, nfirst, d))
			ret = report_raw(o, d);
	}
out:
	if (fd > 0)
		close(fd);
	if (im)
		free(im->d);
	free(im);
	free(d);
	return ret;
}
