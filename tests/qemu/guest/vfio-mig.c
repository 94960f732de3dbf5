// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-mig: VFIO migration (v2) of mdev_migver vGPUs, driven the way a VMM
 * drives it: VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, the data fd, and
 * VFIO_MIG_GET_PRECOPY_INFO.  Source and target are mdevs on two parents
 * (two simulated hosts in one kernel).  The stream format is walked here
 * with its own small implementation (README.md, "Live migration"), not
 * the driver's core, so a stream the driver accepts is one the
 * documentation describes.
 *
 *   vfio-mig flags UUID
 *       "flags stop-copy p2p [pre-copy] reset" (what the device offers)
 *   vfio-mig migrate [-p ROUNDS] [-c CHUNK] [-s SEED] [-a] SRC DST
 *       patterns into SRC's graphics memory, registers and config space;
 *       with -p, PRE_COPY and ROUNDS rounds of dirtying more while reading
 *       to ENOMSG (checking VFIO_MIG_GET_PRECOPY_INFO each time); then
 *       STOP_COPY to EOF; SRC back to RUNNING; DST RESUMING with writes of
 *       CHUNK bytes (default: random, 1 byte to 64 KiB), then RUNNING; DST
 *       must equal SRC byte for byte.  -a writes every page.
 *   vfio-mig resume-bad MODE SRC DST [REUSE_SRC]
 *       a STOP_COPY stream of SRC, altered by MODE (none truncate flip
 *       reorder dup-config twice oversize unknown-mandatory
 *       unknown-optional major bad-version), written into DST one byte
 *       per write (VFIO_MIG_CHUNK=N: N bytes, 0: random 1 byte to 64 KiB);
 *       whether DST changed; then VFIO_DEVICE_RESET, DST saves its own
 *       state, and with REUSE_SRC takes a migration from it.
 *   vfio-mig lifecycle reset|close STATE DEV SRC
 *       DEV in STATE with a transfer half done, then the reset or a close
 *       and reopen: RUNNING again, the old data fd refused, and a
 *       migration SRC -> DEV works.
 *   vfio-mig parallel SRC1 DST1 SRC2 DST2
 *       two migrations at once, in two processes.
 *   vfio-mig bench ROUNDS WSET_PAGES SRC DST BAD
 *       (make bench) SRC and DST of a type with 4 MiB of graphics memory,
 *       every page written; BAD a target that refuses SRC.  Prints
 *       "RESULT bench ..." with: STOP_COPY bytes and time without
 *       PRE_COPY and after ROUNDS pre-copy rounds in which WSET_PAGES pages
 *       are rewritten (and once more before STOP_COPY); the best of
 *       ROUNDS save+restore times of the whole stream against copying the
 *       same bytes through a pipe to another process, alternating which
 *       goes first; the bytes BAD took, one per write, before refusing.
 *   vfio-mig fault N SRC DST
 *       (debug lane) one STOP_COPY migration SRC -> DST with
 *       /proc/thread-self/fail-nth = N, printed as fault-op prints
 *       ("<OK|errno> injected=<0|1>"); then, unarmed: DST must be
 *       unchanged after a failure (equal to SRC after a success), both
 *       devices must reset to RUNNING, and a migration SRC -> DST must
 *       work.  What is wrong, or "clean", goes to /tmp/mig-fault.state.
 *
 * Each command prints "ok ..." lines as it goes and ends with one line
 * "RESULT ..." that the scenario (migration.sh) judges; exit 0 unless the
 * program itself could not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

/* 6.2 uAPI, absent from the 6.1 headers the harness compiles with */
#define MIG_PRE_COPY_FLAG (1 << 2)
#define ST_ERROR 0
#define ST_STOP 1
#define ST_RUNNING 2
#define ST_STOP_COPY 3
#define ST_RESUMING 4
#define ST_RUNNING_P2P 5
#define ST_PRE_COPY 6
#define ST_PRE_COPY_P2P 7
#define FEATURE_MIG_DATA_SIZE 9
struct precopy_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t initial_bytes;
	uint64_t dirty_bytes;
};
#define MIG_GET_PRECOPY_INFO _IO(VFIO_TYPE, VFIO_BASE + 21)

/* the stream (README.md, "Live migration") */
#define HDR 16
#define RHDR 8
#define PAGE 4096
#define PAGE_REC (RHDR + 8 + PAGE)
#define REC_VERSION 1
#define REC_CONFIG 2
#define REC_REGS 3
#define REC_PAGE 4
#define REC_END 5
#define MANDATORY 1

#define BAR0_SCRATCH 0x10
#define BAR0_SCRATCH_END 0x50

struct dev {
	const char *uuid;
	int container, group, fd;
	uint64_t cfg_off, bar0_off, gm_off, gm_size;
};

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static int verbose = 1;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	printf("ok ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static char failed[512];

/* Remember the first failure; returns -1 for `return fail(...)`. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	size_t n;

	if (failed[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(failed, sizeof(failed), fmt, ap);
	va_end(ap);
	n = strlen(failed);
	if (e)
		snprintf(failed + n, sizeof(failed) - n, ": %s", strerror(e));
	return -1;
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV: return "ENODEV";
	case EMEDIUMTYPE: return "EMEDIUMTYPE";
	case ERANGE: return "ERANGE";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EFBIG: return "EFBIG";
	case ENOMSG: return "ENOMSG";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBADF: return "EBADF";
	case EIO: return "EIO";
	case ENOSPC: return "ENOSPC";
	case EAGAIN: return "EAGAIN";
	default: {
		static char other[24];

		snprintf(other, sizeof(other), "errno%d", e);
		return other;
	}
	}
}

/* Append @n bytes of @p (NULL: @n bytes left for the caller to fill). */
static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			perror("realloc");
			exit(2);
		}
	}
	if (p)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* ---- crc32c and little-endian fields ---------------------------------- */

static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c;
	int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			c = i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* ---- VFIO --------------------------------------------------------------- */

static int dev_open(struct dev *d, const char *uuid)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info r = { .argsz = sizeof(r) };
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	d->uuid = uuid;
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return fail("readlink %s", path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	d->container = open("/dev/vfio/vfio", O_RDWR);
	d->group = open(path, O_RDWR);
	if (d->container < 0 || d->group < 0)
		return fail("open %s", path);
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status) ||
	    ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		return fail("group/container setup");
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (d->fd < 0)
		return fail("VFIO_GROUP_GET_DEVICE_FD %s", uuid);
	r.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &r))
		return fail("region info");
	d->cfg_off = r.offset;
	r.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &r))
		return fail("region info");
	d->bar0_off = r.offset;
	r.index = VFIO_PCI_BAR2_REGION_INDEX;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &r))
		return fail("region info");
	d->gm_off = r.offset;
	d->gm_size = r.size;
	errno = 0;
	if (!d->gm_size || d->gm_size % PAGE)
		return fail("BAR2 size %llu", (unsigned long long)d->gm_size);
	return 0;
}

static void dev_close(struct dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->fd = d->group = d->container = -1;
}

static int mig_flags(struct dev *d, uint64_t *flags)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_migration m;
	} s = { .f = { .argsz = sizeof(s),
		       .flags = VFIO_DEVICE_FEATURE_GET |
				VFIO_DEVICE_FEATURE_MIGRATION } };

	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, &s))
		return -errno;
	*flags = s.m.flags;
	return 0;
}

/* Returns 0 and the data fd (-1 if none), or -errno. */
static int set_state(struct dev *d, uint32_t state, int *data_fd)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state m;
	} s = { .f = { .argsz = sizeof(s),
		       .flags = VFIO_DEVICE_FEATURE_SET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE },
		.m = { .device_state = state, .data_fd = -1 } };

	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, &s))
		return -errno;
	if (data_fd)
		*data_fd = s.m.data_fd;
	else if (s.m.data_fd >= 0)
		close(s.m.data_fd);
	return 0;
}

static int get_state(struct dev *d)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state m;
	} s = { .f = { .argsz = sizeof(s),
		       .flags = VFIO_DEVICE_FEATURE_GET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE } };

	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, &s))
		return -errno;
	return s.m.device_state;
}

static int precopy_info(int fd, struct precopy_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->argsz = sizeof(*pi);
	return ioctl(fd, MIG_GET_PRECOPY_INFO, pi) ? -errno : 0;
}

static int rw(struct dev *d, uint64_t off, void *p, size_t n, int write)
{
	ssize_t r = write ? pwrite(d->fd, p, n, off) : pread(d->fd, p, n, off);

	if (r != (ssize_t)n) {
		if (r >= 0)
			errno = EIO;
		return fail("%s at 0x%llx", write ? "pwrite" : "pread",
			    (unsigned long long)off);
	}
	return 0;
}

/* ---- device contents ---------------------------------------------------- */

/* What a comparison looks at: all of BAR2, scratch, writable config. */
struct image {
	uint8_t *gm;
	uint64_t gm_size;
	uint8_t scratch[BAR0_SCRATCH_END - BAR0_SCRATCH];
	uint8_t cmd, intline;
	uint32_t bar0, bar2;
	unsigned long pages; /* pages with a non-zero byte */
};

static int snapshot(struct dev *d, struct image *im)
{
	uint64_t o;

	im->gm_size = d->gm_size;
	im->gm = realloc(im->gm, d->gm_size);
	if (!im->gm)
		exit(2);
	for (o = 0; o < d->gm_size; o += 65536) {
		size_t n = d->gm_size - o < 65536 ? d->gm_size - o : 65536;

		if (rw(d, d->gm_off + o, im->gm + o, n, 0))
			return -1;
	}
	im->pages = 0;
	for (o = 0; o < d->gm_size; o += PAGE) {
		uint64_t i;

		for (i = 0; i < PAGE && !im->gm[o + i]; i++)
			;
		im->pages += i < PAGE;
	}
	if (rw(d, d->bar0_off + BAR0_SCRATCH, im->scratch,
	       sizeof(im->scratch), 0) ||
	    rw(d, d->cfg_off + 4, &im->cmd, 1, 0) ||
	    rw(d, d->cfg_off + 0x3c, &im->intline, 1, 0) ||
	    rw(d, d->cfg_off + 0x10, &im->bar0, 4, 0) ||
	    rw(d, d->cfg_off + 0x18, &im->bar2, 4, 0))
		return -1;
	return 0;
}

static int same(const struct image *a, const struct image *b, const char *what)
{
	uint64_t o;

	errno = 0;
	if (a->gm_size != b->gm_size)
		return fail("%s: graphics memory sizes differ", what);
	for (o = 0; o < a->gm_size; o++)
		if (a->gm[o] != b->gm[o])
			return fail("%s: graphics memory differs at 0x%llx (0x%02x, 0x%02x)",
				    what, (unsigned long long)o, a->gm[o],
				    b->gm[o]);
	if (memcmp(a->scratch, b->scratch, sizeof(a->scratch)))
		return fail("%s: scratch registers differ", what);
	if (a->cmd != b->cmd || a->intline != b->intline ||
	    a->bar0 != b->bar0 || a->bar2 != b->bar2)
		return fail("%s: config space differs (cmd %x/%x line %x/%x bar0 %x/%x bar2 %x/%x)",
			    what, a->cmd, b->cmd, a->intline, b->intline,
			    a->bar0, b->bar0, a->bar2, b->bar2);
	return 0;
}

static uint32_t rng;

static uint32_t rnd(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 1;
}

/* Write a pattern: some pages (all with @all), registers, config. */
static int fill(struct dev *d, unsigned int seed, int all)
{
	uint8_t page[PAGE], scratch[BAR0_SCRATCH_END - BAR0_SCRATCH];
	uint64_t npages = d->gm_size / PAGE, i;
	uint32_t v;
	uint8_t b;

	for (i = 0; i < npages; i++) {
		unsigned int j;

		if (!all && (i * 7 + seed) % 5 && i != 0 && i != npages - 1)
			continue;
		for (j = 0; j < PAGE; j++)
			page[j] = (uint8_t)(i * 131 + j * 7 + seed) | 1;
		if (rw(d, d->gm_off + i * PAGE, page, PAGE, 1))
			return -1;
	}
	/* an odd-sized write inside a page, and across two pages */
	memset(page, (uint8_t)(0x80 | seed), 77);
	if (npages > 2 && rw(d, d->gm_off + PAGE + 100, page, 77, 1))
		return -1;
	if (npages > 2 && rw(d, d->gm_off + 2 * PAGE - 30, page, 60, 1))
		return -1;
	for (i = 0; i < sizeof(scratch); i++)
		scratch[i] = (uint8_t)(seed * 3 + i);
	if (rw(d, d->bar0_off + BAR0_SCRATCH, scratch, sizeof(scratch), 1))
		return -1;
	b = 0x07;
	if (rw(d, d->cfg_off + 4, &b, 1, 1))
		return -1;
	b = (uint8_t)(seed | 0x10);
	if (rw(d, d->cfg_off + 0x3c, &b, 1, 1))
		return -1;
	v = 0xfeb00000 + (seed & 0xf) * 0x1000;
	if (rw(d, d->cfg_off + 0x10, &v, 4, 1))
		return -1;
	v = 0xc0000000;
	return rw(d, d->cfg_off + 0x18, &v, 4, 1);
}

/* Dirty @n pages starting at page @first (wrapping), new contents. */
static int dirty(struct dev *d, uint64_t first, unsigned int n,
		 unsigned int seed)
{
	uint64_t npages = d->gm_size / PAGE;
	uint8_t page[PAGE];
	unsigned int k;

	for (k = 0; k < n; k++) {
		uint64_t i = (first + k) % npages;

		memset(page, (uint8_t)(seed + k) | 0x40, PAGE);
		if (rw(d, d->gm_off + i * PAGE, page, PAGE, 1))
			return -1;
	}
	return 0;
}

/* ---- saving and resuming ------------------------------------------------ */

/* Read until EOF (0) or ENOMSG; returns bytes read, -1 on other errors. */
static ssize_t drain(int fd, struct buf *b, int *enomsg)
{
	ssize_t total = 0, n;

	*enomsg = 0;
	for (;;) {
		/* read straight into the buffer, as a VMM would: 1 MiB free */
		buf_add(b, NULL, 1 << 20);
		b->len -= 1 << 20;
		n = read(fd, b->p + b->len, 1 << 20);
		if (n < 0 && errno == ENOMSG) {
			*enomsg = 1;
			return total;
		}
		if (n < 0)
			return fail("read data fd");
		if (!n)
			return total;
		b->len += n;
		total += n;
	}
}

/* Whole STOP_COPY save of @d into @b (RUNNING -> STOP_COPY -> RUNNING). */
static int save_stop_copy(struct dev *d, struct buf *b)
{
	int fd, ret, enomsg;

	ret = set_state(d, ST_STOP_COPY, &fd);
	if (ret) {
		errno = -ret;
		return fail("RUNNING -> STOP_COPY");
	}
	if (drain(fd, b, &enomsg) < 0)
		return -1;
	close(fd);
	ret = set_state(d, ST_RUNNING, NULL);
	if (ret) {
		errno = -ret;
		return fail("STOP_COPY -> RUNNING");
	}
	return 0;
}

struct resumed {
	int err; /* errno of the first refused write, 0 if none */
	size_t consumed; /* bytes of successful writes before it */
	int later; /* errno of a write after the refusal */
	int stop; /* errno of RESUMING -> RUNNING (0: it worked) */
};

/* RESUMING, write @s in @chunk pieces (0: random), then RUNNING. */
static int resume(struct dev *d, const uint8_t *s, size_t len, size_t chunk,
		  struct resumed *r)
{
	size_t pos = 0;
	int fd = -1, ret;

	memset(r, 0, sizeof(*r));
	ret = set_state(d, ST_RESUMING, &fd);
	if (ret) {
		r->err = -ret;
		errno = -ret;
		return fail("RUNNING -> RESUMING");
	}
	while (pos < len) {
		size_t n = chunk ? chunk : 1 + rnd() % 65536;
		ssize_t w;

		if (n > len - pos)
			n = len - pos;
		w = write(fd, s + pos, n);
		if (w < 0) {
			r->err = errno;
			break;
		}
		pos += w;
	}
	r->consumed = pos;
	if (r->err) {
		uint8_t z = 0;

		r->later = write(fd, &z, 1) < 0 ? errno : 0;
	}
	ret = set_state(d, ST_RUNNING, NULL);
	r->stop = ret < 0 ? -ret : 0;
	close(fd);
	return 0;
}

/* ---- the stream's records, to alter a stream --------------------------- */

struct rec {
	size_t off, len; /* len with the record header */
	uint16_t type;
};

static int walk(const struct buf *s, struct rec *r, int max)
{
	size_t pos = HDR;
	int n = 0;

	while (pos + RHDR <= s->len && n < max) {
		r[n].off = pos;
		r[n].type = s->p[pos] | s->p[pos + 1] << 8;
		r[n].len = RHDR + le32(s->p + pos + 4);
		pos += r[n].len;
		if (r[n++].type == REC_END)
			break;
	}
	errno = 0;
	if (pos != s->len || !n || r[n - 1].type != REC_END)
		return fail("stream does not walk as documented");
	return n;
}

/* Header, then each piece, then a correct END. */
static void finish_stream(struct buf *out, uint32_t records)
{
	uint8_t end[RHDR + 8];

	put16(end, REC_END);
	put16(end + 2, MANDATORY);
	put32(end + 4, 8);
	buf_add(out, end, RHDR);
	put32(end + RHDR, records);
	put32(end + RHDR + 4, crc32c(0, out->p, out->len));
	buf_add(out, end + RHDR, 8);
}

static void add_rec(struct buf *out, uint16_t type, uint16_t flags,
		    const void *payload, uint32_t len)
{
	uint8_t h[RHDR];

	put16(h, type);
	put16(h + 2, flags);
	put32(h + 4, len);
	buf_add(out, h, RHDR);
	buf_add(out, payload, len);
}

/*
 * @in altered by @mode into @out.  Returns the errno the target must
 * refuse it with (0: accepted) and where ("write" or "stop").
 */
static int alter(const char *mode, const struct buf *in, struct buf *out,
		 uint64_t gm_size, const char **at)
{
	struct rec r[4096];
	int n = walk(in, r, 4096), i, records = 0, cfg = -1;
	uint8_t page[8 + PAGE];

	*at = "write";
	if (n < 0)
		return -1;
	out->len = 0;
	if (!strcmp(mode, "none")) {
		buf_add(out, in->p, in->len);
		return 0;
	}
	if (!strcmp(mode, "truncate")) {
		/* everything but the END record */
		buf_add(out, in->p, r[n - 1].off);
		*at = "stop";
		return EINVAL;
	}
	if (!strcmp(mode, "twice")) {
		buf_add(out, in->p, in->len);
		buf_add(out, in->p, in->len);
		return EINVAL;
	}
	if (!strcmp(mode, "flip")) {
		/* one bit of the last page's data (or of config space) */
		buf_add(out, in->p, in->len);
		out->p[r[n - 3].off - 100] ^= 0x01;
		return EINVAL;
	}
	buf_add(out, in->p, HDR);
	if (!strcmp(mode, "major"))
		put16(out->p + 8, 2);
	for (i = 0; i < n - 1; i++)
		if (r[i].type == REC_CONFIG)
			cfg = i;
	for (i = 0; i < n - 1; i++) {
		const uint8_t *p = in->p + r[i].off;

		if (!strcmp(mode, "reorder") && i == cfg) {
			/* REGS before CONFIG */
			buf_add(out, in->p + r[i + 1].off, r[i + 1].len);
			buf_add(out, p, r[i].len);
			records += 2;
			i++;
			continue;
		}
		if (!strcmp(mode, "bad-version") && r[i].type == REC_VERSION) {
			add_rec(out, REC_VERSION, MANDATORY, "8086-591d-GVTg", 14);
			records++;
			continue;
		}
		if (i == cfg && !strcmp(mode, "oversize")) {
			memset(page, 0x5a, sizeof(page));
			put64(page, gm_size);
			add_rec(out, REC_PAGE, MANDATORY, page, sizeof(page));
			records++;
		}
		if (i == cfg && !strcmp(mode, "unknown-mandatory")) {
			add_rec(out, 0x77, MANDATORY, "new", 3);
			records++;
		}
		if (i == cfg && !strcmp(mode, "unknown-optional")) {
			add_rec(out, 0x77, 0, "ignore me", 9);
			records++;
		}
		buf_add(out, p, r[i].len);
		records++;
		if (i == cfg && !strcmp(mode, "dup-config")) {
			buf_add(out, p, r[i].len);
			records++;
		}
	}
	finish_stream(out, records);
	if (!strcmp(mode, "reorder") || !strcmp(mode, "dup-config") ||
	    !strcmp(mode, "bad-version"))
		return EINVAL;
	if (!strcmp(mode, "oversize"))
		return EFBIG;
	if (!strcmp(mode, "unknown-mandatory") || !strcmp(mode, "major"))
		return EPROTONOSUPPORT;
	if (!strcmp(mode, "unknown-optional"))
		return 0;
	errno = 0;
	return fail("unknown mode %s", mode);
}

/* ---- commands ----------------------------------------------------------- */

static int cmd_flags(const char *uuid)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct dev d;
	uint64_t f = 0;
	int ret;

	if (dev_open(&d, uuid))
		return -1;
	ret = mig_flags(&d, &f);
	if (ret) {
		errno = -ret;
		return fail("VFIO_DEVICE_FEATURE_MIGRATION");
	}
	if (ioctl(d.fd, VFIO_DEVICE_GET_INFO, &info))
		return fail("VFIO_DEVICE_GET_INFO");
	printf("RESULT flags%s%s%s%s bar2=%llu\n",
	       f & VFIO_MIGRATION_STOP_COPY ? " stop-copy" : "",
	       f & VFIO_MIGRATION_P2P ? " p2p" : "",
	       f & MIG_PRE_COPY_FLAG ? " pre-copy" : "",
	       info.flags & VFIO_DEVICE_FLAGS_RESET ? " reset" : "",
	       (unsigned long long)d.gm_size);
	dev_close(&d);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct mig_opts {
	int rounds; /* -1: no PRE_COPY */
	size_t chunk;
	unsigned int seed;
	int all;
};

/* The whole protocol between two open devices. */
static int migrate(struct dev *s, struct dev *t, const struct mig_opts *o)
{
	struct buf st = { 0 };
	struct image want = { 0 }, got = { 0 };
	struct precopy_info pi;
	size_t pre = 0, initial = 0;
	double t0, t_stop = 0, t_resume;
	struct resumed r;
	int fd, ret, enomsg, k;
	ssize_t n;

	rng = o->seed * 2654435761u + 1;
	if (fill(s, o->seed, o->all) || fill(t, o->seed + 50, 0))
		return -1;
	t0 = now();
	if (o->rounds >= 0) {
		ret = set_state(s, ST_PRE_COPY, &fd);
		if (ret) {
			errno = -ret;
			return fail("RUNNING -> PRE_COPY");
		}
		if ((ret = precopy_info(fd, &pi))) {
			errno = -ret;
			return fail("PRECOPY_INFO");
		}
		initial = pi.initial_bytes;
		errno = 0;
		if (!initial || initial > 1024)
			return fail("initial_bytes %llu", (unsigned long long)initial);
		say("pre-copy: initial %llu dirty %llu",
		    (unsigned long long)pi.initial_bytes,
		    (unsigned long long)pi.dirty_bytes);
		for (k = 0; k <= o->rounds; k++) {
			uint64_t want_dirty;

			if ((ret = precopy_info(fd, &pi))) {
				errno = -ret;
				return fail("PRECOPY_INFO round %d", k);
			}
			want_dirty = pi.dirty_bytes;
			n = drain(fd, &st, &enomsg);
			if (n < 0)
				return -1;
			errno = 0;
			if (!enomsg)
				return fail("round %d ended without ENOMSG", k);
			if ((uint64_t)n != pi.initial_bytes + want_dirty)
				return fail("round %d: read %zd, PRECOPY_INFO said %llu+%llu",
					    k, n, (unsigned long long)pi.initial_bytes,
					    (unsigned long long)want_dirty);
			if ((ret = precopy_info(fd, &pi)) || pi.initial_bytes ||
			    pi.dirty_bytes)
				return fail("after round %d: PRECOPY_INFO %d %llu %llu",
					    k, ret, (unsigned long long)pi.initial_bytes,
					    (unsigned long long)pi.dirty_bytes);
			say("pre-copy round %d: %zd bytes", k, n);
			/* the guest goes on writing: 2 sent pages, 1 new */
			if (dirty(s, k * 3, 3, o->seed + k))
				return -1;
		}
		pre = st.len;
		t_stop = now();
		ret = set_state(s, ST_STOP_COPY, NULL);
		if (ret) {
			errno = -ret;
			return fail("PRE_COPY -> STOP_COPY");
		}
		errno = 0;
		if (precopy_info(fd, &pi) != -EINVAL)
			return fail("PRECOPY_INFO in STOP_COPY is not EINVAL");
	} else {
		t_stop = now();
		ret = set_state(s, ST_STOP_COPY, &fd);
		if (ret) {
			errno = -ret;
			return fail("RUNNING -> STOP_COPY");
		}
	}
	n = drain(fd, &st, &enomsg);
	if (n < 0)
		return -1;
	errno = 0;
	if (enomsg)
		return fail("ENOMSG in STOP_COPY");
	t_stop = now() - t_stop;
	if (snapshot(s, &want))
		return -1;
	ret = set_state(s, ST_RUNNING, NULL);
	close(fd);
	if (ret) {
		errno = -ret;
		return fail("STOP_COPY -> RUNNING");
	}
	say("saved %zu bytes (%zu in PRE_COPY, %zu in STOP_COPY)", st.len, pre,
	    st.len - pre);
	t_resume = now();
	if (resume(t, st.p, st.len, o->chunk, &r))
		return -1;
	t_resume = now() - t_resume;
	errno = 0;
	if (r.err || r.stop)
		return fail("target refused: write %s after %zu bytes, RESUMING -> RUNNING %s",
			    errname(r.err), r.consumed, errname(r.stop));
	if (get_state(t) != ST_RUNNING)
		return fail("target not RUNNING");
	if (snapshot(t, &got) || same(&want, &got, "target vs source"))
		return -1;
	say("target equals source: %lu pages written, %llu bytes of graphics memory",
	    want.pages, (unsigned long long)want.gm_size);
	if (verbose)
		printf("RESULT ok stream=%zu precopy=%zu stopcopy=%zu initial=%zu pages=%lu save_s=%.6f stop_s=%.6f resume_s=%.6f\n",
		       st.len, pre, st.len - pre, initial, want.pages,
		       now() - t0, t_stop, t_resume);
	free(st.p);
	free(want.gm);
	free(got.gm);
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	struct mig_opts o = { .rounds = -1, .seed = 1 };
	struct dev s, t;
	int c, ret;

	while ((c = getopt(argc, argv, "p:c:s:a")) != -1) {
		switch (c) {
		case 'p': o.rounds = atoi(optarg); break;
		case 'c': o.chunk = strtoul(optarg, NULL, 0); break;
		case 's': o.seed = atoi(optarg); break;
		case 'a': o.all = 1; break;
		default: return fail("usage");
		}
	}
	if (argc - optind != 2)
		return fail("usage: migrate [-p N] [-c N] [-s N] [-a] SRC DST");
	if (dev_open(&s, argv[optind]) || dev_open(&t, argv[optind + 1]))
		return -1;
	ret = migrate(&s, &t, &o);
	dev_close(&s);
	dev_close(&t);
	return ret;
}

static int version_end(const struct buf *s)
{
	return HDR + RHDR + le32(s->p + HDR + 4);
}

/*
 * After a refusal: reset, RUNNING, the device saves, and takes a stream
 * from @reuse_src (@open_src if that is the device already open).
 */
static int reuse(struct dev *t, struct dev *open_src, const char *reuse_src)
{
	struct mig_opts o = { .rounds = -1, .seed = 9 };
	static struct rec r[4096];
	struct buf b = { 0 };
	struct dev s = { .container = -1, .group = -1, .fd = -1 };
	int ret;

	if (ioctl(t->fd, VFIO_DEVICE_RESET))
		return fail("VFIO_DEVICE_RESET");
	errno = 0;
	if (get_state(t) != ST_RUNNING)
		return fail("not RUNNING after reset");
	if (fill(t, 3, 0) || save_stop_copy(t, &b) || walk(&b, r, 4096) < 0)
		return -1;
	free(b.p);
	if (!reuse_src)
		return 0;
	verbose = 0;
	if (!strcmp(reuse_src, open_src->uuid)) {
		ret = migrate(open_src, t, &o);
	} else {
		ret = dev_open(&s, reuse_src) ?: migrate(&s, t, &o);
		dev_close(&s);
	}
	verbose = 1;
	return ret;
}

static int cmd_resume_bad(const char *mode, const char *src, const char *dst,
			  const char *reuse_src)
{
	struct buf in = { 0 }, out = { 0 };
	struct image before = { 0 }, after = { 0 };
	struct resumed r;
	struct dev s, t;
	const char *at, *unchanged;
	int want;

	rng = 12345;
	if (dev_open(&s, src) || dev_open(&t, dst))
		return -1;
	if (fill(&s, 7, 0) || fill(&t, 60, 0) || save_stop_copy(&s, &in))
		return -1;
	want = alter(mode, &in, &out, t.gm_size, &at);
	if (want < 0 || snapshot(&t, &before))
		return -1;
	/*
	 * One byte per write (the refusal's position is then exact), unless
	 * VFIO_MIG_CHUNK says otherwise (0: random pieces of 1 byte to 64 KiB).
	 */
	if (resume(&t, out.p, out.len, getenv("VFIO_MIG_CHUNK") ?
		   strtoul(getenv("VFIO_MIG_CHUNK"), NULL, 0) : 1, &r))
		return -1;
	if (snapshot(&t, &after))
		return -1;
	unchanged = r.err || r.stop ?
		    (same(&before, &after, "unchanged") ? "no" : "yes") : "-";
	failed[0] = '\0';
	printf("RESULT errno=%s stop=%s later=%s consumed=%zu version_end=%d unchanged=%s expect=%s at=%s",
	       errname(r.err), errname(r.stop), errname(r.later), r.consumed,
	       version_end(&out), unchanged, errname(want), at);
	fflush(stdout);
	if (reuse(&t, &s, reuse_src))
		printf(" reuse=fail:%s\n", failed);
	else
		printf(" reuse=ok\n");
	failed[0] = '\0';
	dev_close(&s);
	dev_close(&t);
	return 0;
}

static int state_of(const char *name)
{
	static const char *const names[] = { "ERROR", "STOP", "RUNNING",
		"STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY",
		"PRE_COPY_P2P" };
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

/* DEV into STATE with a transfer half done, then reset or close. */
static int cmd_lifecycle(const char *action, const char *state,
			 const char *uuid, const char *src)
{
	struct mig_opts o = { .rounds = -1, .seed = 4 };
	struct buf b = { 0 };
	struct dev d, s;
	int st = state_of(state), fd = -1, ret;
	uint8_t tmp[100];

	rng = 777;
	errno = 0;
	if (st < 1)
		return fail("unknown state %s", state);
	if (dev_open(&d, uuid) || dev_open(&s, src))
		return -1;
	if (fill(&d, 5, 0) || fill(&s, 6, 0) || save_stop_copy(&s, &b))
		return -1;
	ret = set_state(&d, st, &fd);
	if (ret) {
		errno = -ret;
		return fail("RUNNING -> %s", state);
	}
	if (st == ST_RESUMING && write(fd, b.p, 100) != 100)
		return fail("write 100 bytes");
	if ((st == ST_STOP_COPY || st >= ST_PRE_COPY) &&
	    read(fd, tmp, sizeof(tmp)) != sizeof(tmp))
		return fail("read 100 bytes");
	say("%s: %s with a transfer half done", uuid, state);
	if (!strcmp(action, "reset")) {
		if (ioctl(d.fd, VFIO_DEVICE_RESET))
			return fail("VFIO_DEVICE_RESET in %s", state);
	} else {
		dev_close(&d);
		if (dev_open(&d, uuid))
			return -1;
	}
	errno = 0;
	if ((ret = get_state(&d)) != ST_RUNNING)
		return fail("after %s in %s: state %d, not RUNNING", action,
			    state, ret);
	if (fd >= 0) {
		ssize_t n = st == ST_RESUMING ? write(fd, b.p, 10) :
						read(fd, tmp, 10);

		if (n >= 0 || errno != ENODEV)
			return fail("the old data fd still works (%zd)", n);
		close(fd);
	}
	say("RUNNING, old data fd refused with ENODEV");
	ret = migrate(&s, &d, &o);
	dev_close(&d);
	dev_close(&s);
	free(b.p);
	return ret;
}

static int cmd_parallel(char **uuids)
{
	pid_t pid[2];
	int i, status, ok = 1;

	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return fail("fork");
		if (!pid[i]) {
			struct mig_opts o = { .rounds = -1, .seed = 20 + i };
			struct dev s, t;

			verbose = 0;
			if (dev_open(&s, uuids[2 * i]) ||
			    dev_open(&t, uuids[2 * i + 1]) ||
			    migrate(&s, &t, &o)) {
				printf("RESULT fail %d: %s\n", i, failed);
				_exit(1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++) {
		if (waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			ok = 0;
	}
	errno = 0;
	if (!ok)
		return fail("a parallel migration failed");
	printf("RESULT ok parallel\n");
	return 0;
}

/* Copy @len bytes through a pipe into another process, 64 KiB a write. */
static double pipe_copy(const uint8_t *p, size_t len)
{
	static uint8_t sink[65536];
	double t0 = now();
	size_t pos = 0;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		close(fds[1]);
		while (read(fds[0], sink, sizeof(sink)) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	while (pos < len) {
		size_t n = len - pos < 65536 ? len - pos : 65536;
		ssize_t w = write(fds[1], p + pos, n);

		if (w <= 0)
			break;
		pos += w;
	}
	close(fds[1]);
	waitpid(pid, &status, 0);
	return now() - t0;
}

/* Save @s with STOP_COPY (after PRE_COPY rounds if @rounds >= 0). */
static int bench_save(struct dev *s, int rounds, unsigned int wset,
		      struct buf *st, size_t *stop_bytes, double *stop_s)
{
	int fd = -1, ret, enomsg, k;
	double t0;

	st->len = 0;
	if (rounds >= 0) {
		ret = set_state(s, ST_PRE_COPY, &fd);
		if (ret) {
			errno = -ret;
			return fail("RUNNING -> PRE_COPY");
		}
		for (k = 0; k <= rounds; k++) {
			if (drain(fd, st, &enomsg) < 0)
				return -1;
			if (dirty(s, 0, wset, k))
				return -1;
		}
		*stop_bytes = st->len;
		t0 = now();
		ret = set_state(s, ST_STOP_COPY, NULL);
	} else {
		*stop_bytes = 0;
		t0 = now();
		ret = set_state(s, ST_STOP_COPY, &fd);
	}
	if (ret) {
		errno = -ret;
		return fail("-> STOP_COPY");
	}
	if (drain(fd, st, &enomsg) < 0)
		return -1;
	*stop_s = now() - t0;
	*stop_bytes = st->len - *stop_bytes;
	close(fd);
	ret = set_state(s, ST_RUNNING, NULL);
	if (ret) {
		errno = -ret;
		return fail("STOP_COPY -> RUNNING");
	}
	return 0;
}

static int cmd_bench(int rounds, unsigned int wset, const char *src,
		     const char *dst, const char *bad)
{
	size_t full_bytes, pre_bytes, dummy;
	double full_s, pre_s, save_s, restore_s, pipe_s, t0;
	double best_mig = 1e9, best_pipe = 1e9;
	struct buf st = { 0 };
	struct resumed r;
	struct dev s, t, b;
	int k;

	rng = 99;
	if (dev_open(&s, src) || dev_open(&t, dst) || dev_open(&b, bad) ||
	    fill(&s, 21, 1))
		return -1;
	if (bench_save(&s, -1, 0, &st, &full_bytes, &full_s) ||
	    bench_save(&s, rounds, wset, &st, &pre_bytes, &pre_s))
		return -1;
	for (k = 0; k < 2 * rounds; k++) {
		int mig_first = k % 2 == 0;

		if (!mig_first)
			pipe_s = pipe_copy(st.p, st.len);
		t0 = now();
		if (bench_save(&s, -1, 0, &st, &dummy, &save_s))
			return -1;
		save_s = now() - t0;
		t0 = now();
		if (resume(&t, st.p, st.len, 65536, &r))
			return -1;
		restore_s = now() - t0;
		errno = 0;
		if (r.err || r.stop)
			return fail("restore refused: %s", errname(r.err ?: r.stop));
		if (mig_first)
			pipe_s = pipe_copy(st.p, st.len);
		if (save_s + restore_s < best_mig)
			best_mig = save_s + restore_s;
		if (pipe_s < best_pipe)
			best_pipe = pipe_s;
	}
	if (resume(&b, st.p, st.len, 1, &r))
		return -1;
	errno = 0;
	if (!r.err)
		return fail("the bad target accepted the stream");
	printf("RESULT bench full_stop_bytes=%zu full_stop_s=%.6f pre_stop_bytes=%zu pre_stop_s=%.6f stream=%zu mig_s=%.6f pipe_s=%.6f refused=%s refusal_consumed=%zu\n",
	       full_bytes, full_s, pre_bytes, pre_s, st.len, best_mig,
	       best_pipe, errname(r.err), r.consumed);
	return 0;
}

/* Arm (N > 0) or read and disarm (N = 0) the task's fail-nth. */
static int fail_nth(int n)
{
	char buf[32];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), ret = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	if (n) {
		snprintf(buf, sizeof(buf), "%d", n);
		ret = write(fd, buf, strlen(buf)) < 0 ? -1 : 0;
	} else {
		r = read(fd, buf, sizeof(buf) - 1);
		ret = r > 0 ? (buf[r] = '\0', atoi(buf)) : -1;
		(void)!write(fd, "0", 1);
	}
	close(fd);
	return ret;
}

static int cmd_fault(int n, const char *src, const char *dst)
{
	struct image before = { 0 }, want = { 0 }, after = { 0 };
	struct mig_opts o = { .rounds = -1, .seed = 13 };
	struct buf st = { 0 };
	struct resumed r = { 0 };
	int err = 0, ret, fd, enomsg, left;
	const char *state = "clean";
	struct dev s, t;
	FILE *out;

	rng = 4242;
	/* no verdict from an earlier point may stand for this one */
	unlink("/tmp/mig-fault.state");
	if (dev_open(&s, src) || dev_open(&t, dst) || fill(&s, 11, 0) ||
	    fill(&t, 12, 0) || snapshot(&t, &before) || snapshot(&s, &want))
		return -1;
	if (fail_nth(n))
		return fail("fail-nth");
	ret = set_state(&s, ST_STOP_COPY, &fd);
	if (ret) {
		err = -ret;
	} else {
		if (drain(fd, &st, &enomsg) < 0)
			err = errno;
		close(fd);
		ret = set_state(&s, ST_RUNNING, NULL);
		err = err ?: -ret;
	}
	if (!err) {
		/* a failed RUNNING -> RESUMING leaves its errno in r.err */
		resume(&t, st.p, st.len, 0, &r);
		err = r.err ?: r.stop;
	}
	left = fail_nth(0);
	printf("%s injected=%d\n", errname(err), left == 0);
	fflush(stdout);

	/* before any reset, which clears graphics memory and registers */
	failed[0] = '\0';
	if (snapshot(&t, &after) ||
	    same(err ? &before : &want, &after, err ? "target changed" :
		 "target differs from source"))
		state = failed;
	else if (ioctl(s.fd, VFIO_DEVICE_RESET) ||
		 ioctl(t.fd, VFIO_DEVICE_RESET))
		state = "VFIO_DEVICE_RESET failed";
	else if (get_state(&s) != ST_RUNNING || get_state(&t) != ST_RUNNING)
		state = "not RUNNING after reset";
	else if ((verbose = 0, migrate(&s, &t, &o)))
		state = failed;
	out = fopen("/tmp/mig-fault.state", "w");
	if (out) {
		fprintf(out, "%s\n", state);
		fclose(out);
	}
	failed[0] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	int ret = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "flags"))
		ret = cmd_flags(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "migrate"))
		ret = cmd_migrate(argc - 1, argv + 1);
	else if ((argc == 5 || argc == 6) && !strcmp(argv[1], "resume-bad"))
		ret = cmd_resume_bad(argv[2], argv[3], argv[4],
				     argc == 6 ? argv[5] : NULL);
	else if (argc == 6 && !strcmp(argv[1], "lifecycle"))
		ret = cmd_lifecycle(argv[2], argv[3], argv[4], argv[5]);
	else if (argc == 6 && !strcmp(argv[1], "parallel"))
		ret = cmd_parallel(argv + 2);
	else if (argc == 7 && !strcmp(argv[1], "bench"))
		ret = cmd_bench(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5],
				argv[6]);
	else if (argc == 5 && !strcmp(argv[1], "fault"))
		ret = cmd_fault(atoi(argv[2]), argv[3], argv[4]);
	else
		fprintf(stderr, "usage: see the top of vfio-mig.c\n");
	if (ret)
		printf("RESULT fail %s\n", failed[0] ? failed : "usage");
	return 0;
}
