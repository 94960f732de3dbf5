// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO device state inside a QEMU migration image (`migrate file:`,
 * `virsh save`), for `migver inspect`.
 *
 * The image is QEMU's migration stream (migration/savevm.c): "QEVM", be32
 * format 3, then sections.  A VFIO device's state is one live section,
 * opened by
 *   0x01 (QEMU_VM_SECTION_START), be32 section id, u8 length, idstr
 *   ("<device path>/vfio"), be32 instance id, be32 version id,
 *   be64 VFIO_MIG_FLAG_DEV_SETUP_STATE
 * and continued by sections
 *   0x02 (..._PART) or 0x03 (..._END), be32 section id,
 *   { be64 VFIO_MIG_FLAG_DEV_DATA_STATE, be64 size, size bytes }...,
 *   be64 VFIO_MIG_FLAG_END_OF_STATE or _DEV_INIT_DATA_SENT
 * (hw/vfio/migration.c: vfio_save_setup, vfio_save_block,
 * vfio_save_iterate, vfio_save_complete_precopy; the flags have been the
 * same since QEMU 8.0's migration v2).  The bytes of all of a device's
 * data blocks, in order, are what its kernel driver wrote: our stream.
 *
 * RAM and the other devices' sections are not parsed (their encoding
 * changes between QEMU versions); the device sections are found by their
 * markers, which a section header must precede with a section id that a
 * VFIO section start declared.  Our stream's own record count and CRC-32C
 * then tell whether what was found is whole.  Multifd device state
 * transfer and mapped-ram images keep the data elsewhere and are reported
 * as holding no VFIO device data.
 */
#include <stdio.h>
#include <string.h>

#include "migver.h"

#define QEMU_VM_FILE_MAGIC 0x5145564dU /* "QEVM" */
#define QEMU_VM_FILE_VERSION 3
#define QEMU_VM_SECTION_START 0x01
#define QEMU_VM_SECTION_PART 0x02
#define QEMU_VM_SECTION_END 0x03

#define VFIO_MIG_FLAG_END_OF_STATE 0xffffffffef100001ULL
#define VFIO_MIG_FLAG_DEV_SETUP_STATE 0xffffffffef100003ULL
#define VFIO_MIG_FLAG_DEV_DATA_STATE 0xffffffffef100004ULL
#define VFIO_MIG_FLAG_DEV_INIT_DATA_SENT 0xffffffffef100005ULL

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64_at(const u8 *p)
{
	return (u64)be32_at(p) << 32 | be32_at(p + 4);
}

/* The 8 bytes of a flag as QEMU writes it (qemu_put_be64). */
static void be64_put(u8 *p, u64 v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
}

bool qemu_image_magic(const u8 *b, size_t n)
{
	return n >= 4 && be32_at(b) == QEMU_VM_FILE_MAGIC;
}

/*
 * The VFIO section start whose DEV_SETUP_STATE flag is at @m, if the bytes
 * before it are one: the idstr's length is not known going backwards, so
 * each possible one is tried.  Fills @d; false if none fits.
 */
static bool vfio_section_start(const u8 *b, size_t m, struct qemu_vfio_dev *d)
{
	size_t len, i;

	for (len = 4; len <= 255; len++) {
		const u8 *id;

		/* 0x01, be32 section id, u8 len, idstr, be32 instance, be32 version */
		if (m < 1 + 4 + 1 + len + 8)
			return false;
		id = b + m - 8 - len;
		if (id[-1] != len || id[-6] != QEMU_VM_SECTION_START ||
		    memcmp(id + len - 4, "vfio", 4))
			continue;
		for (i = 0; i < len && id[i] >= 0x20 && id[i] < 0x7f; i++)
			;
		if (i < len)
			continue;
		memcpy(d->id, id, len);
		d->id[len] = '\0';
		d->section = be32_at(id - 5);
		return true;
	}
	return false;
}

static int find_devices(const char *file, const u8 *b, size_t n,
			struct qemu_vfio_dev *devs)
{
	u8 flag[8];
	const u8 *at = b;
	int ndev = 0;

	be64_put(flag, VFIO_MIG_FLAG_DEV_SETUP_STATE);
	while ((at = memmem(at, n - (size_t)(at - b), flag, sizeof(flag)))) {
		struct qemu_vfio_dev d;

		if (vfio_section_start(b, (size_t)(at - b), &d)) {
			if (ndev == QEMU_IMAGE_MAX_DEVICES) {
				err("%s: more than %d VFIO devices in the QEMU migration image",
				    file, QEMU_IMAGE_MAX_DEVICES);
				return -1;
			}
			devs[ndev++] = d;
		}
		at += sizeof(flag);
	}
	return ndev;
}

static int device_of(const struct qemu_vfio_dev *devs, int ndev, u32 section)
{
	int i;

	for (i = 0; i < ndev; i++)
		if (devs[i].section == section)
			return i;
	return -1;
}

int qemu_image_scan(const char *file, const u8 *b, size_t n,
		    struct qemu_vfio_dev *devs, qemu_chunk_fn fn, void *ctx)
{
	u8 flag[8];
	size_t pos = 8;
	int ndev;

	if (n < 8 || !qemu_image_magic(b, n)) {
		err("%s: not a QEMU migration image (magic)", file);
		return -1;
	}
	if (be32_at(b + 4) != QEMU_VM_FILE_VERSION) {
		err("%s: QEMU migration image of format %u (only %d is known)",
		    file, be32_at(b + 4), QEMU_VM_FILE_VERSION);
		return -1;
	}
	ndev = find_devices(file, b, n, devs);
	if (ndev <= 0) {
		if (!ndev)
			err("%s: a QEMU migration image without VFIO device state", file);
		return -1;
	}

	be64_put(flag, VFIO_MIG_FLAG_DEV_DATA_STATE);
	for (;;) {
		const u8 *at = memmem(b + pos, n - pos, flag, sizeof(flag));
		size_t m;
		u64 end;
		int dev;

		if (!at)
			break;
		m = (size_t)(at - b);
		pos = m + sizeof(flag);
		/* only a run of blocks right after a VFIO section's header */
		if (m < 5 || (b[m - 5] != QEMU_VM_SECTION_PART &&
			      b[m - 5] != QEMU_VM_SECTION_END))
			continue;
		dev = device_of(devs, ndev, be32_at(b + m - 4));
		if (dev < 0)
			continue;
		while (m + 16 <= n && be64_at(b + m) == VFIO_MIG_FLAG_DEV_DATA_STATE) {
			u64 size = be64_at(b + m + 8);

			if (size > n - m - 16) {
				err("%s: device %s: a data block of %llu bytes at offset %zu runs past the end of the image",
				    file, devs[dev].id, (unsigned long long)size, m);
				return -1;
			}
			if (fn(ctx, (unsigned int)dev, b + m + 16, (size_t)size))
				return -1;
			m += 16 + (size_t)size;
		}
		end = m + 8 <= n ? be64_at(b + m) : 0;
		if (end != VFIO_MIG_FLAG_END_OF_STATE &&
		    end != VFIO_MIG_FLAG_DEV_INIT_DATA_SENT) {
			err("%s: device %s: no end-of-state flag after its data at offset %zu",
			    file, devs[dev].id, m);
			return -1;
		}
		pos = m + 8;
	}
	return ndev;
}
