// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO device behind each mdev: an emulated-IOMMU vfio-pci device, as in
 * samples/vfio-mdev/mtty.c and mbochs.c.
 *
 * Regions: PCI config space, a 4 KiB BAR0 with a small register file, and
 * BAR2, the graphics memory (gmem.c); every other region has size 0.
 * What config space says the device is follows guest_id: by default a
 * virtual id (1af4:10f0, a device id from the range QEMU's PCI id list
 * leaves for experimental use) of class 0x038000, display controller but
 * not VGA, so that no guest driver binds to it; with guest_id=gvt the
 * parent's vendor:device and class 0x030000 (VGA), as a GVT-g vGPU shows,
 * for VMMs that want that identity (a real guest's i915 would bind to it
 * and fail: there is no aperture).
 * Interrupts: only the REQ index (an eventfd), which .request signals so
 * that removing an mdev with an open fd completes once userspace closes it.
 * VFIO_DEVICE_SET_IRQS is validated as vfio-pci does.
 *
 * BAR0 registers (32 bit, little endian):
 *   0x00 ID          vendor | device << 16                 read-only
 *   0x04 VERSION     software version as MMmmpppp          read-only
 *   0x08 LOW_GM      low graphics memory, MB                read-only
 *   0x0c HIGH_GM     high graphics memory, MB               read-only
 *   0x10 SCRATCH0-15 16 scratch registers, cleared on reset read-write
 * Everything else reads as 0 and ignores writes.
 *
 * BAR2: graphics memory, 32-bit prefetchable, the type's low graphics
 * memory / gm_divisor (a power of two), read and written only through
 * the region (no mmap).  Reset (VFIO_DEVICE_RESET, open, close) clears
 * the scratch registers and the graphics memory, and returns the
 * migration state to RUNNING (migration.c).
 */
#include <linux/eventfd.h>
#include <linux/kernel.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "compat.h"
#include "vgpu.h"

#define MIGVER_OFFSET_SHIFT 40
#define MIGVER_OFFSET_MASK ((1ULL << MIGVER_OFFSET_SHIFT) - 1)
#define MIGVER_INDEX_TO_OFFSET(i) ((u64)(i) << MIGVER_OFFSET_SHIFT)

#define MIGVER_BAR0_SIZE 4096
#define MIGVER_CHUNK 256 /* largest transfer per read/write call */

#define MIGVER_REG_ID 0x00
#define MIGVER_REG_VERSION 0x04
#define MIGVER_REG_LOW_GM 0x08
#define MIGVER_REG_HIGH_GM 0x0c
#define MIGVER_REG_SCRATCH 0x10
#define MIGVER_REG_SCRATCH_END 0x50

/* guest_id=virtual: see the top of this file */
#define MIGVER_VIRTUAL_VENDOR PCI_VENDOR_ID_REDHAT_QUMRANET
#define MIGVER_VIRTUAL_DEVICE 0x10f0

/* Writable bits per byte; the rest keeps its value. */
static const u8 migver_cfg_wmask_tab[MIGVER_REGS_SIZE] = {
	[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			PCI_COMMAND_MASTER,
	[PCI_COMMAND + 1] = PCI_COMMAND_INTX_DISABLE >> 8,
	/* 4 KiB, 32-bit, non-prefetchable memory BAR: bits 31:12 */
	[PCI_BASE_ADDRESS_0 + 1] = 0xf0,
	[PCI_BASE_ADDRESS_0 + 2] = 0xff,
	[PCI_BASE_ADDRESS_0 + 3] = 0xff,
	[PCI_INTERRUPT_LINE] = 0xff,
};

static const u8 migver_bar0_wmask_tab[MIGVER_REGS_SIZE] = {
	[MIGVER_REG_SCRATCH ... MIGVER_REG_SCRATCH_END - 1] = 0xff,
};

/* BAR2's address bits follow its size: bits 31:log2(size) are writable. */
u8 migver_cfg_wmask(const struct migver_mdev *md, unsigned int off)
{
	u32 mask;

	if (off >= PCI_BASE_ADDRESS_2 && off < PCI_BASE_ADDRESS_2 + 4) {
		mask = ~(u32)(md->gmem.npages * MIGVER_STREAM_PAGE_SIZE - 1);
		return (u8)(mask >> 8 * (off - PCI_BASE_ADDRESS_2));
	}
	return off < MIGVER_REGS_SIZE ? migver_cfg_wmask_tab[off] : 0;
}

u8 migver_bar0_wmask(unsigned int off)
{
	return off < MIGVER_REGS_SIZE ? migver_bar0_wmask_tab[off] : 0;
}

struct migver_type *migver_mdev_type(struct device *dev)
{
	return to_migver_type(to_mdev_device(dev)->type);
}

static void put_le16(u8 *p, u16 v)
{
	*(__le16 *)p = cpu_to_le16(v);
}

static void put_le32(u8 *p, u32 v)
{
	*(__le32 *)p = cpu_to_le32(v);
}

/* Power-on state; called with the lock held or before anyone can see md. */
static void migver_reset(struct migver_mdev *md)
{
	const struct migver_identity *id = &md->mt->parent->id;
	const struct migver_gvt_conf *conf = md->mt->conf;
	u8 *cfg = md->cfg, *bar = md->bar0;
	u16 vendor = id->vendor, device = id->device;
	/* class code in bits 31:8, revision 0 */
	u32 class = PCI_CLASS_DISPLAY_VGA << 16;

	if (id->guest == MIGVER_GUEST_VIRTUAL) {
		vendor = MIGVER_VIRTUAL_VENDOR;
		device = MIGVER_VIRTUAL_DEVICE;
		class = PCI_CLASS_DISPLAY_OTHER << 16;
	}
	memset(cfg, 0, sizeof(md->cfg));
	put_le16(cfg + PCI_VENDOR_ID, vendor);
	put_le16(cfg + PCI_DEVICE_ID, device);
	put_le32(cfg + PCI_CLASS_REVISION, class);
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	put_le32(cfg + PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_SPACE_MEMORY |
					   PCI_BASE_ADDRESS_MEM_TYPE_32);
	put_le32(cfg + PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_SPACE_MEMORY |
					   PCI_BASE_ADDRESS_MEM_TYPE_32 |
					   PCI_BASE_ADDRESS_MEM_PREFETCH);
	put_le16(cfg + PCI_SUBSYSTEM_VENDOR_ID, vendor);
	put_le16(cfg + PCI_SUBSYSTEM_ID, device);

	memset(bar, 0, sizeof(md->bar0));
	put_le32(bar + MIGVER_REG_ID, id->vendor | (u32)id->device << 16);
	put_le32(bar + MIGVER_REG_VERSION, (u32)(id->sw.major & 0xff) << 24 |
					   (u32)(id->sw.minor & 0xff) << 16 |
					   id->sw.patch);
	put_le32(bar + MIGVER_REG_LOW_GM, conf->low_gm_mb);
	put_le32(bar + MIGVER_REG_HIGH_GM, conf->high_gm_mb);
	migver_gmem_clear(&md->gmem);
}

/* BAR2: the whole access, page by page; what was done if a page fails. */
static ssize_t migver_gmem_rw(struct migver_mdev *md, char __user *ubuf,
			      size_t count, u64 off, bool write)
{
	size_t done = 0;
	ssize_t ret = 0;

	mutex_lock(&md->lock);
	while (done < count) {
		ret = migver_gmem_access(&md->gmem, ubuf + done, count - done,
					 off + done, write);
		if (ret <= 0)
			break;
		done += ret;
	}
	mutex_unlock(&md->lock);
	return done ? done : ret;
}

static ssize_t migver_access(struct migver_mdev *md, char __user *ubuf,
			     size_t count, loff_t pos, bool write)
{
	unsigned int index = pos >> MIGVER_OFFSET_SHIFT;
	u64 off = pos & MIGVER_OFFSET_MASK;
	u8 tmp[MIGVER_CHUNK];
	bool cfg = false;
	size_t size, i;
	u8 *data;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		data = md->cfg;
		cfg = true;
		size = PCI_CFG_SPACE_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		data = md->bar0;
		size = MIGVER_BAR0_SIZE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		if (pos < 0)
			return -EINVAL;
		return migver_gmem_rw(md, ubuf, count, off, write);
	default:
		return -EINVAL;
	}
	if (pos < 0 || off >= size)
		return -EINVAL;
	count = min3(count, (size_t)(size - off), sizeof(tmp));

	if (write && copy_from_user(tmp, ubuf, count))
		return -EFAULT;

	mutex_lock(&md->lock);
	for (i = 0; i < count; i++) {
		unsigned int o = off + i;
		u8 m;

		if (write && o < MIGVER_REGS_SIZE) {
			m = cfg ? migver_cfg_wmask(md, o) : migver_bar0_wmask(o);
			data[o] = (data[o] & ~m) | (tmp[i] & m);
		} else if (!write) {
			tmp[i] = o < MIGVER_REGS_SIZE ? data[o] : 0;
		}
	}
	mutex_unlock(&md->lock);

	if (!write && copy_to_user(ubuf, tmp, count))
		return -EFAULT;
	return count;
}

static ssize_t migver_vfio_read(struct vfio_device *vdev, char __user *buf,
				size_t count, loff_t *ppos)
{
	ssize_t ret = migver_access(to_migver_mdev(vdev), buf, count, *ppos,
				    false);

	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t migver_vfio_write(struct vfio_device *vdev,
				 const char __user *buf, size_t count,
				 loff_t *ppos)
{
	ssize_t ret = migver_access(to_migver_mdev(vdev), (char __user *)buf,
				    count, *ppos, true);

	if (ret > 0)
		*ppos += ret;
	return ret;
}

int migver_vfio_region_info(struct vfio_device *vdev,
			    struct vfio_region_info *info)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = MIGVER_INDEX_TO_OFFSET(info->index);
	info->cap_offset = 0;
	info->flags = 0;
	info->size = 0;
	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = PCI_CFG_SPACE_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->size = MIGVER_BAR0_SIZE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		info->size = (u64)to_migver_mdev(vdev)->gmem.npages *
			     MIGVER_STREAM_PAGE_SIZE;
		break;
	default:
		return 0;
	}
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	return 0;
}

static long migver_ioctl_device_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Kernels without .get_region_info_caps pass the ioctl down to us. */
static long migver_ioctl_region_info(struct vfio_device *vdev,
				     void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = migver_vfio_region_info(vdev, &info);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static unsigned int migver_irq_count(unsigned int index)
{
	return index == VFIO_PCI_REQ_IRQ_INDEX ? 1 : 0;
}

static long migver_ioctl_irq_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.count = migver_irq_count(info.index);
	/* REQ: one eventfd, never more (vfio-pci: NORESIZE but for INTx) */
	info.flags =
		info.count ? VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE : 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Replace the REQ eventfd (fd -1: remove it). */
static int migver_set_req_eventfd(struct migver_mdev *md, s32 fd)
{
	struct eventfd_ctx *ctx = NULL;

	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	mutex_lock(&md->lock);
	swap(ctx, md->req_trigger);
	mutex_unlock(&md->lock);
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

/*
 * VFIO_DEVICE_SET_IRQS, validated as vfio-pci validates it: the header by
 * vfio_set_irqs_validate_and_prepare() (index, start + count within the one
 * REQ interrupt, flags, and argsz holding the count * size bytes of data
 * that count declares), only ACTION_TRIGGER (-ENOTTY otherwise), count 0
 * only with DATA_NONE (tear down), an eventfd of -1 (remove) or >= 0.
 * Only the bytes declared are read.  A refused call changes nothing and
 * logs one rate-limited line of numbers.
 */
static long migver_ioctl_set_irqs(struct migver_mdev *md, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	const char *why;
	u8 on = 1;
	s32 fd;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 migver_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret) {
		why = "index, start, count, flags or argsz";
		goto refuse;
	}
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER) {
		ret = -ENOTTY;
		why = "the REQ interrupt has no action but TRIGGER";
		goto refuse;
	}
	/* Now start is 0, count 0 or 1, and data_size == count * size. */
	switch (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		/* count 0: tear down; count 1: fire it (as vfio-pci) */
		if (!hdr.count)
			return migver_set_req_eventfd(md, -1);
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (data_size != sizeof(on)) {
			ret = -EINVAL;
			why = "DATA_BOOL needs count 1";
			goto refuse;
		}
		if (copy_from_user(&on, arg + minsz, sizeof(on)))
			return -EFAULT;
		break;
	default: /* VFIO_IRQ_SET_DATA_EVENTFD, the only one left */
		if (data_size != sizeof(fd)) {
			ret = -EINVAL;
			why = "DATA_EVENTFD needs count 1";
			goto refuse;
		}
		if (copy_from_user(&fd, arg + minsz, sizeof(fd)))
			return -EFAULT;
		if (fd < -1) {
			ret = -EINVAL;
			why = "an eventfd is -1 or a file descriptor";
			goto refuse;
		}
		ret = migver_set_req_eventfd(md, fd);
		if (ret) {
			why = "not an eventfd";
			goto refuse;
		}
		return 0;
	}
	mutex_lock(&md->lock);
	if (on && md->req_trigger)
		migver_compat_eventfd_signal(md->req_trigger);
	mutex_unlock(&md->lock);
	return 0;

refuse:
	dev_notice_ratelimited(md->vdev.dev,
			       "VFIO_DEVICE_SET_IRQS refused (%d): index %u start %u count %u flags 0x%x argsz %u: %s\n",
			       ret, hdr.index, hdr.start, hdr.count, hdr.flags,
			       hdr.argsz, why);
	return ret;
}

static long migver_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			      unsigned long arg)
{
	struct migver_mdev *md = to_migver_mdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return migver_ioctl_device_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return migver_ioctl_region_info(vdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return migver_ioctl_irq_info(uarg);
	case VFIO_DEVICE_SET_IRQS:
		return migver_ioctl_set_irqs(md, uarg);
	case VFIO_DEVICE_RESET:
		/* always succeeds: QEMU aborts when a reset fails */
		migver_mig_reset(md);
		mutex_lock(&md->lock);
		migver_reset(md);
		mutex_unlock(&md->lock);
		return 0;
	}
	return -ENOTTY;
}

/* Called repeatedly while an mdev is being removed with the fd still open. */
static void migver_vfio_request(struct vfio_device *vdev, unsigned int count)
{
	struct migver_mdev *md = to_migver_mdev(vdev);

	mutex_lock(&md->lock);
	if (md->req_trigger) {
		if (!count)
			dev_notice(vdev->dev, "asking userspace to release the device\n");
		migver_compat_eventfd_signal(md->req_trigger);
	} else if (!count) {
		dev_notice(vdev->dev,
			   "no request eventfd: removal waits for userspace to close the device\n");
	}
	mutex_unlock(&md->lock);
}

static int migver_vfio_open(struct vfio_device *vdev)
{
	struct migver_mdev *md = to_migver_mdev(vdev);

	mutex_lock(&md->lock);
	migver_reset(md);
	mutex_unlock(&md->lock);
	return 0;
}

/*
 * The last close: no migration state or file survives it, and the
 * graphics memory is given back (the next open resets anyway).
 */
static void migver_vfio_close(struct vfio_device *vdev)
{
	struct migver_mdev *md = to_migver_mdev(vdev);

	migver_mig_close(md);
	migver_set_req_eventfd(md, -1);
	mutex_lock(&md->lock);
	migver_reset(md);
	mutex_unlock(&md->lock);
}

static int migver_vfio_init(struct vfio_device *vdev)
{
	struct migver_mdev *md = to_migver_mdev(vdev);
	int ret;

	md->mt = migver_mdev_type(vdev->dev);
	ret = migver_gmem_init(&md->gmem, migver_gmem_size(md->mt));
	if (ret)
		return ret;
	mutex_init(&md->lock);
	migver_mig_init(md);
	migver_reset(md);
	migver_object_get();
	return 0;
}

/* Runs at the last put, which may come after our remove (see main.c). */
static void migver_vfio_release(struct vfio_device *vdev)
{
	struct migver_mdev *md = to_migver_mdev(vdev);

	migver_gmem_free(&md->gmem);
	migver_mig_destroy(md);
	mutex_destroy(&md->lock);
	migver_compat_free_vdev(vdev);
	migver_object_put();
}

static const struct vfio_device_ops migver_vfio_ops = {
	.name = "mdev-migver",
	.init = migver_vfio_init,
	.release = migver_vfio_release,
	.open_device = migver_vfio_open,
	.close_device = migver_vfio_close,
	.read = migver_vfio_read,
	.write = migver_vfio_write,
	.ioctl = migver_vfio_ioctl,
	.request = migver_vfio_request,
	MIGVER_VFIO_REGION_INFO_OPS
	MIGVER_VFIO_IOMMUFD_OPS
};

int migver_mdev_probe(struct mdev_device *mdev)
{
	struct migver_type *mt = to_migver_type(mdev->type);
	struct migver_mdev *md;
	int ret;

	/* The mdev core does not enforce available_instances: we do. */
	ret = migver_budget_take(mt);
	if (ret) {
		dev_info_ratelimited(&mdev->dev,
				     "%s: not enough resources left on %s\n",
				     mt->sysfs_name, dev_name(mt->parent->host));
		return ret;
	}

	ret = migver_fault("probe-alloc");
	if (ret)
		goto err_budget;
	md = vfio_alloc_device(migver_mdev, vdev, &mdev->dev,
			       &migver_vfio_ops);
	if (IS_ERR(md)) {
		ret = PTR_ERR(md);
		goto err_budget;
	}
	ret = migver_fault("probe-register") ?:
	      vfio_register_emulated_iommu_dev(&md->vdev);
	if (ret)
		goto err_put;
	dev_set_drvdata(&mdev->dev, md);
	return 0;

err_put:
	vfio_put_device(&md->vdev);
err_budget:
	migver_budget_give(mt);
	return ret;
}

void migver_mdev_remove(struct mdev_device *mdev)
{
	struct migver_mdev *md = dev_get_drvdata(&mdev->dev);
	struct migver_type *mt = md->mt;

	vfio_unregister_group_dev(&md->vdev);
	vfio_put_device(&md->vdev);
	migver_budget_give(mt);
}
