/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One vGPU (the VFIO device behind an mdev) as vfio.c, gmem.c and
 * migration.c share it.
 *
 * Locks, always taken in this order:
 *   state_mutex   migration state and the migration files (migration.c)
 *   file->lock    one migration file's stream position (migration.c)
 *   lock          device contents: config space, registers, graphics
 *                 memory and its dirty bits, the request eventfd
 * reset_mutex only guards deferred_reset (mtty's pattern: a reset that
 * finds state_mutex busy is done by its holder at unlock).
 */
#ifndef MIGVER_VGPU_H
#define MIGVER_VGPU_H

#include <linux/eventfd.h>
#include <linux/mutex.h>
#include <linux/vfio.h>

#include <migver/stream.h>

#include "migver_drv.h"

#define MIGVER_REGS_SIZE 256 /* implemented part of config space and BAR0 */

/*
 * Graphics memory (BAR2): sparse, one page allocated on its first write;
 * a page never written reads as zero and is never sent.
 */
struct migver_gmem {
	unsigned long npages;
	unsigned long present; /* pages allocated */
	void **pages; /* npages entries, NULL: reads as zero */
	unsigned long *dirty; /* written since last sent (migration) */
};

struct migver_save_file;
struct migver_resume_file;

struct migver_mdev {
	struct vfio_device vdev; /* first: vfio_alloc_device() */
	struct migver_type *mt;
	struct mutex lock; /* protects the device contents below */
	u8 cfg[MIGVER_REGS_SIZE];
	u8 bar0[MIGVER_REGS_SIZE];
	struct migver_gmem gmem;
	struct eventfd_ctx *req_trigger;

	/* migration.c */
	struct mutex state_mutex; /* mig_state, saving, resuming */
	struct mutex reset_mutex; /* deferred_reset */
	bool deferred_reset; /* under reset_mutex */
	enum vfio_device_mig_state mig_state;
	struct migver_save_file *saving;
	struct migver_resume_file *resuming;
};

static inline struct migver_mdev *to_migver_mdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct migver_mdev, vdev);
}

/* vfio.c: write masks of the implemented bytes, for the stream's apply */
u8 migver_cfg_wmask(const struct migver_mdev *md, unsigned int off);
u8 migver_bar0_wmask(unsigned int off);

/* gmem.c; every call but init/free with md->lock held */
u64 migver_gmem_size(const struct migver_type *mt);
int migver_gmem_init(struct migver_gmem *g, u64 size);
void migver_gmem_free(struct migver_gmem *g);
void migver_gmem_clear(struct migver_gmem *g);
ssize_t migver_gmem_access(struct migver_gmem *g, char __user *ubuf,
			   size_t count, u64 off, bool write);
int migver_gmem_store(struct migver_gmem *g, u64 off, const u8 *data,
		      size_t len);
void migver_gmem_swap(struct migver_gmem *a, struct migver_gmem *b);
void migver_gmem_mark_all_dirty(struct migver_gmem *g);

/* migration.c */
void migver_mig_init(struct migver_mdev *md);
void migver_mig_destroy(struct migver_mdev *md);
void migver_mig_reset(struct migver_mdev *md);
void migver_mig_close(struct migver_mdev *md);

#endif /* MIGVER_VGPU_H */
