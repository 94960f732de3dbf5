// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the migver tool's QEMU image reader
 * (tools/migver/qemu_image.c, qemu_image_scan()): a `migrate file:` image
 * as `migver inspect` reads it, arbitrary bytes in.  Every property is
 * checked with abort() (fuzz_check.h).
 *
 *   1. Scanned: accepted or refused, never a crash, leak or undefined
 *      behaviour (ASan, UBSan), never more devices than its limit.
 *   2. Every data block handed out lies inside the input, belongs to a
 *      device slot below the limit, and the blocks do not overlap and come
 *      in file order.
 *   3. Every device found has a printable idstr ending in "vfio".
 *   4. The blocks, fed to the stream parser the driver resumes with (one
 *      parser per device), never break it.
 */
#include <string.h>

#include <migver/stream.h>

#include "../../tools/migver/migver.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct ctx {
	const u8 *base;
	size_t size;
	size_t next; /* where the next block may start */
	struct migver_stream_parser p[QEMU_IMAGE_MAX_DEVICES];
	bool broken[QEMU_IMAGE_MAX_DEVICES];
};

static int chunk(void *opaque, unsigned int dev, const u8 *data, size_t len)
{
	struct ctx *c = opaque;
	size_t off = 0;

	CHECK(dev < QEMU_IMAGE_MAX_DEVICES);
	CHECK(data >= c->base && len <= c->size &&
	      (size_t)(data - c->base) <= c->size - len);
	CHECK((size_t)(data - c->base) >= c->next);
	c->next = (size_t)(data - c->base) + len;
	while (!c->broken[dev] && off < len) {
		struct migver_stream_ev ev;
		size_t used = 0;

		if (migver_stream_feed(&c->p[dev], data + off, len - off, &used,
				       &ev))
			c->broken[dev] = true;
		CHECK(used <= len - off);
		off += used;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct ctx c;
	struct qemu_vfio_dev devs[QEMU_IMAGE_MAX_DEVICES];
	int i, n;
	size_t j, len;

	migver_quiet = true;
	memset(&c, 0, sizeof(c));
	c.base = data;
	c.size = size;
	for (i = 0; i < QEMU_IMAGE_MAX_DEVICES; i++)
		migver_stream_parser_init(&c.p[i], 1 << 20);
	n = qemu_image_scan("fuzz", data, size, devs, chunk, &c);
	CHECK(n >= -1 && n <= QEMU_IMAGE_MAX_DEVICES);
	for (i = 0; i < n; i++) {
		len = strlen(devs[i].id);
		CHECK(len >= 4 && !memcmp(devs[i].id + len - 4, "vfio", 4));
		for (j = 0; j < len; j++)
			CHECK(devs[i].id[j] >= 0x20 && devs[i].id[j] < 0x7f);
	}
	return 0;
}
