// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-open: open an mdev through VFIO the way a VMM does and check what the
 * device shows.
 *
 *   vfio-open UUID VENDOR DEVICE [MODE [ARG]]
 *
 * VENDOR and DEVICE are the expected PCI ids in hex (8086 591d).  Steps:
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

static void check_device(int dev, unsigned int vendor, unsigned int device)
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
	if (v != vendor)
		fail("config vendor id");
	ok("config vendor 0x%04x", v);
	v = rd(dev, cfg.offset, 2, 2);
	if (v != device)
		fail("config device id");
	ok("config device 0x%04x", v);
	v = rd(dev, cfg.offset, 8, 4) >> 8;
	if (v != 0x030000)
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

static void hold(const char *file)
{
	printf("READY\n");
	fflush(stdout);
	while (access(file, F_OK))
		usleep(50000);
}

int main(int argc, char **argv)
{
	unsigned int vendor, device;
	int container, group, dev;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4 || (argc > 4 && argc != 6)) {
		fprintf(stderr,
			"usage: vfio-open UUID VENDOR DEVICE [hold FILE | wait-req SECS]\n");
		return 2;
	}
	vendor = strtoul(argv[2], NULL, 16);
	device = strtoul(argv[3], NULL, 16);

	dev = open_device(argv[1], &container, &group);
	check_device(dev, vendor, device);
	if (argc == 6 && !strcmp(argv[4], "hold"))
		hold(argv[5]);
	else if (argc == 6 && !strcmp(argv[4], "wait-req"))
		wait_req(dev, atoi(argv[5]));
	else if (argc == 6)
		return 2;
	close(dev);
	close(group);
	close(container);
	printf("closed\n");
	return 0;
}
