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

#endif /* MIGVER_COMPAT_H */
