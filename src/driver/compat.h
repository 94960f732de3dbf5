/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the supported kernels lives here, keyed by
 * features that Kbuild detects in the target kernel's headers (see the
 * driver block of ./Kbuild, which writes compat_generated.h).  No kernel
 * version numbers: distributions backport.
 */
#ifndef MIGVER_COMPAT_H
#define MIGVER_COMPAT_H

#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "compat_generated.h"

/* 6.1 and later; 5.x had a different mdev model that this driver lacks. */
#ifndef MIGVER_HAVE_MDEV_REGISTER_PARENT
#error "mdev_migver needs a kernel with mdev_register_parent() (Linux 6.1 or newer)"
#endif

/*
 * 6.1: vfio_device_ops.release is mandatory and must end with
 * vfio_free_device().  6.2+: the core frees the device itself, so calling
 * anything here would be a double free.
 */
static inline void migver_compat_free_vdev(struct vfio_device *vdev)
{
#ifdef MIGVER_HAVE_VFIO_FREE_DEVICE
	vfio_free_device(vdev);
#endif
}

/*
 * 6.2+ (iommufd members in vfio_device_ops): emulated-IOMMU devices set the
 * core's emulated helpers; they are NULL macros without CONFIG_IOMMUFD (as
 * on Debian) and mandatory with it.  detach_ioas came later than the rest.
 */
#ifdef MIGVER_HAVE_VFIO_IOMMUFD
#ifdef MIGVER_HAVE_VFIO_DETACH_IOAS
#define MIGVER_VFIO_IOMMUFD_OPS \
	.bind_iommufd = vfio_iommufd_emulated_bind, \
	.unbind_iommufd = vfio_iommufd_emulated_unbind, \
	.attach_ioas = vfio_iommufd_emulated_attach_ioas, \
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#else
#define MIGVER_VFIO_IOMMUFD_OPS \
	.bind_iommufd = vfio_iommufd_emulated_bind, \
	.unbind_iommufd = vfio_iommufd_emulated_unbind, \
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#else
#define MIGVER_VFIO_IOMMUFD_OPS
#endif

/*
 * 7.2 (.get_region_info_caps): the vfio core answers
 * VFIO_DEVICE_GET_REGION_INFO itself, copying the user's struct in and out,
 * and fails with -EINVAL at run time when the op is NULL.  Older kernels
 * pass the ioctl to .ioctl, which answers it with the same helper.
 */
int migver_vfio_region_info(struct vfio_device *vdev,
			    struct vfio_region_info *info);

#ifdef MIGVER_HAVE_GET_REGION_INFO_CAPS
static inline int migver_compat_region_info_caps(struct vfio_device *vdev,
						 struct vfio_region_info *info,
						 struct vfio_info_cap *caps)
{
	return migver_vfio_region_info(vdev, info);
}

#define MIGVER_VFIO_REGION_INFO_OPS \
	.get_region_info_caps = migver_compat_region_info_caps,
#else
#define MIGVER_VFIO_REGION_INFO_OPS
#endif

/* 6.4+: class_create() lost its owner argument. */
#ifdef MIGVER_HAVE_CLASS_CREATE_NAME
#define migver_compat_class_create(name) class_create(name)
#else
#define migver_compat_class_create(name) class_create(THIS_MODULE, name)
#endif

/* 6.8+: eventfd_signal() lost its count argument and returns void. */
static inline void migver_compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef MIGVER_HAVE_EVENTFD_SIGNAL_1ARG
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.2+ (VFIO_MIGRATION_PRE_COPY in the uAPI): the PRE_COPY and PRE_COPY_P2P
 * states and VFIO_MIG_GET_PRECOPY_INFO on the saving fd.  6.1 has neither:
 * the device offers STOP_COPY and P2P only, and the two states below are
 * values its vfio core never passes (the device does not advertise them).
 */
#ifdef MIGVER_HAVE_MIG_PRE_COPY
#define MIGVER_MIG_PRE_COPY_FLAG VFIO_MIGRATION_PRE_COPY
#define MIGVER_STATE_PRE_COPY VFIO_DEVICE_STATE_PRE_COPY
#define MIGVER_STATE_PRE_COPY_P2P VFIO_DEVICE_STATE_PRE_COPY_P2P

/* Is this VFIO_MIG_GET_PRECOPY_INFO with a large enough argsz? */
static inline int migver_compat_precopy_check(unsigned int cmd,
					      unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_precopy_info,
					  dirty_bytes);
	struct vfio_precopy_info info;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	return info.argsz < minsz ? -EINVAL : 0;
}

/* Everything after argsz; flags 0 (7.2's REINIT is never set). */
static inline int migver_compat_precopy_reply(unsigned long arg, u64 initial,
					      u64 dirty)
{
	unsigned long minsz = offsetofend(struct vfio_precopy_info,
					  dirty_bytes);
	unsigned long from = offsetof(struct vfio_precopy_info, flags);
	struct vfio_precopy_info info = {
		.initial_bytes = initial,
		.dirty_bytes = dirty,
	};

	if (copy_to_user((void __user *)arg + from, (u8 *)&info + from,
			 minsz - from))
		return -EFAULT;
	return 0;
}
#else
#define MIGVER_MIG_PRE_COPY_FLAG 0
#define MIGVER_STATE_PRE_COPY ((enum vfio_device_mig_state)6)
#define MIGVER_STATE_PRE_COPY_P2P ((enum vfio_device_mig_state)7)

static inline int migver_compat_precopy_check(unsigned int cmd,
					      unsigned long arg)
{
	return -ENOTTY;
}

static inline int migver_compat_precopy_reply(unsigned long arg, u64 initial,
					      u64 dirty)
{
	return -ENOTTY;
}
#endif

/* 6.2+: the core asks migration_get_data_size (VFIO_DEVICE_FEATURE_MIG_DATA_SIZE). */
#ifdef MIGVER_HAVE_MIG_DATA_SIZE
#define MIGVER_MIG_DATA_SIZE_OP(fn) .migration_get_data_size = fn,
#else
#define MIGVER_MIG_DATA_SIZE_OP(fn)
#endif

#endif /* MIGVER_COMPAT_H */
