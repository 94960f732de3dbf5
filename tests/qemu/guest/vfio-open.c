// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-open: open an mdev through VFIO the way a VMM does and check what the
 * device shows.
 *
 *   vfio-open [-g VVVV:DDDD:CCCCCC] UUID VENDOR DEVICE [MODE [ARG]]
 *
 * VENDOR and DEVICE are the parent's PCI ids in hex (8086 591d), which
 * BAR0's ID register shows.  -g checks what the guest sees in config
 * space too: vendor, device and class code in hex (e.g. 1af4:10f0:038000,
 * the driver's default guest_id=virtual); without it they are only shown.
 * Steps:
 * container /dev/vfio/vfio, group /dev/vfio/<N> from the mdev's
 * iommu_group link, VFIO_SET_IOMMU type1 (emulated IOMMU for mdevs),
 * VFIO_GROUP_GET_DEVICE_FD by uuid, VFIO_DEVICE_GET_INFO, region info for
 * config space and BAR0, config space ids and class by pread, BAR0's
 * read-only ID register and a scratch register, VFIO_DEVICE_RESET, the REQ
 * irq info.  Then, by MODE:
 *   (none)         close and exit
 *   hold FILE      print "READY", keep the device open until FILE exists
 *   wait-req SECS  register an eventfd on VFIO_PCI_REQ_IRQ_INDEX, print
 *                  "READY", wait up to SECS for the kernel's request (an mdev
 *                  removal), print "REQUEST" and close
 *   irq-cases      VFIO_DEVICE_SET_IRQS with good and bad arguments, one
 *                  line per case (see irq_cases()), and the REQ irq's flags
 * One "ok ..." line per passed check; the first failure prints
 * "ERROR <what>: <strerror>" and exits 1.  Exit 0 when everything passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#define BAR0_ID 0x00
#define BAR0_SCRATCH 0x10

static int fail(const char *what)
{
	printf("ERROR %s: %s\n", what, errno ? strerror(errno) : "mismatch");
	fflush(stdout);
	exit(1);
}

static void ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ok(const char *fmt, ...)
{
	va_list ap;

	printf("ok ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static uint32_t rd(int dev, off_t base, off_t off, size_t n)
{
	uint32_t v = 0;

	errno = 0;
	if (pread(dev, &v, n, base + off) != (ssize_t)n)
		fail("pread");
	return v; /* little-endian host */
}

static void wr32(int dev, off_t base, off_t off, uint32_t v)
{
	errno = 0;
	if (pwrite(dev, &v, sizeof(v), base + off) != sizeof(v))
		fail("pwrite");
}

static int open_device(const char *uuid, int *container, int *group)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct vfio_group_status status = { .argsz = sizeof(status) };
	ssize_t n;
	int dev;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		fail("readlink iommu_group");
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));

	*container = open("/dev/vfio/vfio", O_RDWR);
	if (*container < 0)
		fail("open /dev/vfio/vfio");
	errno = 0;
	if (ioctl(*container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		fail("VFIO_GET_API_VERSION");
	if (ioctl(*container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) != 1)
		fail("VFIO_CHECK_EXTENSION type1");
	*group = open(path, O_RDWR);
	if (*group < 0)
		fail("open group");
	ok("group %s", path);
	if (ioctl(*group, VFIO_GROUP_GET_STATUS, &status))
		fail("VFIO_GROUP_GET_STATUS");
	errno = 0;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		fail("group not viable");
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container))
		fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		fail("VFIO_SET_IOMMU");
	dev = ioctl(*group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (dev < 0)
		fail("VFIO_GROUP_GET_DEVICE_FD");
	ok("device fd %d", dev);
	return dev;
}

static struct vfio_region_info region(int dev, unsigned int index,
				      uint64_t size)
{
	struct vfio_region_info r = { .argsz = sizeof(r), .index = index };

	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &r))
		fail("VFIO_DEVICE_GET_REGION_INFO");
	errno = 0;
	if (r.size != size ||
	    !(r.flags & VFIO_REGION_INFO_FLAG_READ) ||
	    !(r.flags & VFIO_REGION_INFO_FLAG_WRITE))
		fail("region size/flags");
	return r;
}

/* What config space should show: -g VVVV:DDDD:CCCCCC (NULL: not checked). */
struct guest_id {
	unsigned int vendor, device, class;
};

static void check_device(int dev, unsigned int vendor, unsigned int device,
			 const struct guest_id *g)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct vfio_region_info cfg, bar0, vga;
	uint32_t v;

	if (ioctl(dev, VFIO_DEVICE_GET_INFO, &info))
		fail("VFIO_DEVICE_GET_INFO");
	errno = 0;
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    !(info.flags & VFIO_DEVICE_FLAGS_RESET) ||
	    info.num_regions < VFIO_PCI_NUM_REGIONS ||
	    info.num_irqs < VFIO_PCI_NUM_IRQS)
		fail("device info");
	ok("device info: pci, reset, %u regions, %u irqs", info.num_regions,
	   info.num_irqs);

	cfg = region(dev, VFIO_PCI_CONFIG_REGION_INDEX, 256);
	ok("config region: %llu bytes", (unsigned long long)cfg.size);
	bar0 = region(dev, VFIO_PCI_BAR0_REGION_INDEX, 4096);
	ok("BAR0 region: %llu bytes", (unsigned long long)bar0.size);
	vga = (struct vfio_region_info){ .argsz = sizeof(vga),
					 .index = VFIO_PCI_BAR1_REGION_INDEX };
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &vga))
		fail("VFIO_DEVICE_GET_REGION_INFO BAR1");
	errno = 0;
	if (vga.size)
		fail("BAR1 not empty");

	v = rd(dev, cfg.offset, 0, 2);
	if (g && v != g->vendor)
		fail("config vendor id");
	ok("config vendor 0x%04x", v);
	v = rd(dev, cfg.offset, 2, 2);
	if (g && v != g->device)
		fail("config device id");
	ok("config device 0x%04x", v);
	v = rd(dev, cfg.offset, 8, 4) >> 8;
	if (g && v != g->class)
		fail("config class");
	ok("config class 0x%06x", v);
	wr32(dev, cfg.offset, 0x10, 0xffffffff);
	v = rd(dev, cfg.offset, 0x10, 4);
	if (v != 0xfffff000)
		fail("BAR0 sizing");
	ok("BAR0 sizing 0x%08x", v);

	v = rd(dev, bar0.offset, BAR0_ID, 4);
	if (v != (vendor | device << 16))
		fail("BAR0 ID register");
	wr32(dev, bar0.offset, BAR0_ID, 0);
	if (rd(dev, bar0.offset, BAR0_ID, 4) != v)
		fail("BAR0 ID register is writable");
	ok("BAR0 ID 0x%08x (read-only)", v);
	wr32(dev, bar0.offset, BAR0_SCRATCH, 0x5a5aa5a5);
	if (rd(dev, bar0.offset, BAR0_SCRATCH, 4) != 0x5a5aa5a5)
		fail("BAR0 scratch");
	if (ioctl(dev, VFIO_DEVICE_RESET))
		fail("VFIO_DEVICE_RESET");
	errno = 0;
	if (rd(dev, bar0.offset, BAR0_SCRATCH, 4) != 0)
		fail("scratch survives reset");
	ok("BAR0 scratch read-write, cleared by reset");

	irq.index = VFIO_PCI_REQ_IRQ_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &irq))
		fail("VFIO_DEVICE_GET_IRQ_INFO");
	errno = 0;
	if (irq.count != 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
		fail("REQ irq info");
	ok("REQ irq: %u eventfd", irq.count);
}

static void wait_req(int dev, int secs)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	struct pollfd p;
	int32_t efd;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		fail("eventfd");
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_REQ_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &efd, sizeof(efd));
	if (ioctl(dev, VFIO_DEVICE_SET_IRQS, set))
		fail("VFIO_DEVICE_SET_IRQS REQ");
	printf("READY\n");
	fflush(stdout);
	p.fd = efd;
	p.events = POLLIN;
	errno = 0;
	if (poll(&p, 1, secs * 1000) != 1)
		fail("no request within the timeout");
	printf("REQUEST\n");
	close(efd);
}

/*
 * irq-cases: VFIO_DEVICE_SET_IRQS as a VMM might get it wrong.  Before each
 * case the REQ trigger is set to an eventfd; after it one line
 *
 *   irq <case> <OK | errno name> signalled=<0|1> trigger=<kept|gone>
 *
 * signalled: the call itself signalled the eventfd; trigger: whether the
 * eventfd is still installed afterwards (a loopback DATA_NONE trigger
 * reaches it).  Bytes placed after what argsz/count declare are there to
 * be ignored: a driver that reads them acts on data the caller never gave.
 */
#define IRQ_HDR_SIZE (sizeof(struct vfio_irq_set))

static int set_irqs(int dev, uint32_t argsz, uint32_t flags, uint32_t index,
		    uint32_t start, uint32_t count, const void *data,
		    size_t len)
{
	uint32_t buf[16] = { 0 };
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = argsz;
	set->flags = flags;
	set->index = index;
	set->start = start;
	set->count = count;
	if (len)
		memcpy(set->data, data, len);
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, set) ? errno : 0;
}

/* 1 if the eventfd was signalled since the last call (and clear it). */
static int drained(int efd)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, 0) != 1)
		return 0;
	if (read(efd, &n, sizeof(n)) != sizeof(n))
		fail("read eventfd");
	return 1;
}

static const char *errword(int err)
{
	switch (err) {
	case 0:
		return "OK";
	case EINVAL:
		return "EINVAL";
	case EBADF:
		return "EBADF";
	case ENOTTY:
		return "ENOTTY";
	case EFAULT:
		return "EFAULT";
	default:
		return strerror(err);
	}
}

static void irq_case(int dev, int efd, const char *name, uint32_t argsz,
		     uint32_t flags, uint32_t index, uint32_t start,
		     uint32_t count, const void *data, size_t len)
{
	const uint32_t trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const uint32_t req = VFIO_PCI_REQ_IRQ_INDEX;
	int32_t fd = efd;
	int err, sig, kept;

	errno = 0;
	if (set_irqs(dev, IRQ_HDR_SIZE + 4, VFIO_IRQ_SET_DATA_EVENTFD | trig,
		     req, 0, 1, &fd, sizeof(fd)))
		fail("installing the REQ eventfd");
	drained(efd);
	err = set_irqs(dev, argsz, flags, index, start, count, data, len);
	sig = drained(efd);
	/* loopback: fires the trigger if one is still installed */
	if (set_irqs(dev, IRQ_HDR_SIZE, VFIO_IRQ_SET_DATA_NONE | trig, req, 0,
		     1, NULL, 0))
		fail("loopback trigger");
	kept = drained(efd);
	printf("irq %s %s signalled=%d trigger=%s\n", name, errword(err), sig,
	       kept ? "kept" : "gone");
}

static void irq_cases(int dev, int other_fd)
{
	const uint32_t hdr = IRQ_HDR_SIZE, trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	const uint32_t efdf = VFIO_IRQ_SET_DATA_EVENTFD | trig;
	const uint32_t boolf = VFIO_IRQ_SET_DATA_BOOL | trig;
	const uint32_t nonef = VFIO_IRQ_SET_DATA_NONE | trig;
	const uint32_t req = VFIO_PCI_REQ_IRQ_INDEX;
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = req };
	int32_t m1 = -1, m2 = -2, min = INT32_MIN, closed = 999, fds[2];
	uint8_t one = 1, zero = 0;
	int efd;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		fail("eventfd");
	fds[0] = efd;
	fds[1] = efd;

	if (ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &info))
		fail("VFIO_DEVICE_GET_IRQ_INFO");
	printf("irq req-info count=%u eventfd=%d noresize=%d\n", info.count,
	       !!(info.flags & VFIO_IRQ_INFO_EVENTFD),
	       !!(info.flags & VFIO_IRQ_INFO_NORESIZE));

	/* good calls */
	irq_case(dev, efd, "eventfd-minus-1", hdr + 4, efdf, req, 0, 1, &m1, 4);
	irq_case(dev, efd, "bool-1", hdr + 1, boolf, req, 0, 1, &one, 1);
	irq_case(dev, efd, "bool-0", hdr + 1, boolf, req, 0, 1, &zero, 1);
	irq_case(dev, efd, "none-1", hdr, nonef, req, 0, 1, NULL, 0);
	irq_case(dev, efd, "none-0", hdr, nonef, req, 0, 0, NULL, 0);
	/* count 0 with data: nothing declared, nothing to act on */
	irq_case(dev, efd, "count0-eventfd-undeclared", hdr, efdf, req, 0, 0,
		 &m1, 4);
	irq_case(dev, efd, "count0-eventfd-argsz", hdr + 4, efdf, req, 0, 0,
		 &m1, 4);
	irq_case(dev, efd, "count0-bool-undeclared", hdr, boolf, req, 0, 0,
		 &one, 1);
	irq_case(dev, efd, "count0-bool-argsz", hdr + 1, boolf, req, 0, 0,
		 &one, 1);
	/* fds: -1 disables, >= 0 must be an eventfd, nothing else */
	irq_case(dev, efd, "eventfd-minus-2", hdr + 4, efdf, req, 0, 1, &m2, 4);
	irq_case(dev, efd, "eventfd-int-min", hdr + 4, efdf, req, 0, 1, &min,
		 4);
	irq_case(dev, efd, "eventfd-not-eventfd", hdr + 4, efdf, req, 0, 1,
		 &other_fd, 4);
	irq_case(dev, efd, "eventfd-not-open", hdr + 4, efdf, req, 0, 1,
		 &closed, 4);
	/* sizes, ranges, flags */
	irq_case(dev, efd, "eventfd-short-argsz", hdr + 3, efdf, req, 0, 1,
		 &m1, 4);
	irq_case(dev, efd, "bool-short-argsz", hdr, boolf, req, 0, 1, &zero,
		 1);
	irq_case(dev, efd, "count-2", hdr + 8, efdf, req, 0, 2, fds, 8);
	irq_case(dev, efd, "start-1", hdr + 4, efdf, req, 1, 1, &m1, 4);
	irq_case(dev, efd, "start-1-count-0", hdr, nonef, req, 1, 0, NULL, 0);
	irq_case(dev, efd, "index-intx", hdr + 4, efdf,
		 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &m1, 4);
	irq_case(dev, efd, "index-out-of-range", hdr + 4, efdf,
		 VFIO_PCI_NUM_IRQS, 0, 1, &m1, 4);
	irq_case(dev, efd, "action-mask", hdr + 4,
		 VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK, req, 0,
		 1, &m1, 4);
	irq_case(dev, efd, "action-unmask", hdr,
		 VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, req, 0, 1,
		 NULL, 0);
	irq_case(dev, efd, "two-data-types", hdr + 1,
		 VFIO_IRQ_SET_DATA_NONE | boolf, req, 0, 1, &one, 1);
	irq_case(dev, efd, "two-actions", hdr,
		 nonef | VFIO_IRQ_SET_ACTION_MASK, req, 0, 1, NULL, 0);
	irq_case(dev, efd, "unknown-flag", hdr, nonef | (1u << 10), req, 0, 1,
		 NULL, 0);
	irq_case(dev, efd, "argsz-below-header", hdr - 1, nonef, req, 0, 1,
		 NULL, 0);
	close(efd);
}

static void hold(const char *file)
{
	printf("READY\n");
	fflush(stdout);
	while (access(file, F_OK))
		usleep(50000);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vfio-open [-g VVVV:DDDD:CCCCCC] UUID VENDOR DEVICE [hold FILE | wait-req SECS | irq-cases]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct guest_id g, *want = NULL;
	unsigned int vendor, device;
	int container, group, dev;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "-g")) {
		if (sscanf(argv[2], "%x:%x:%x", &g.vendor, &g.device,
			   &g.class) != 3)
			return usage();
		want = &g;
		argv += 2;
		argc -= 2;
	}
	if (argc < 4 || argc > 6)
		return usage();
	vendor = strtoul(argv[2], NULL, 16);
	device = strtoul(argv[3], NULL, 16);

	dev = open_device(argv[1], &container, &group);
	check_device(dev, vendor, device, want);
	if (argc == 6 && !strcmp(argv[4], "hold"))
		hold(argv[5]);
	else if (argc == 6 && !strcmp(argv[4], "wait-req"))
		wait_req(dev, atoi(argv[5]));
	else if (argc == 5 && !strcmp(argv[4], "irq-cases"))
		irq_cases(dev, container);
	else if (argc != 4)
		return usage();
	close(dev);
	close(group);
	close(container);
	printf("closed\n");
	return 0;
}
