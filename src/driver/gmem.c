// SPDX-License-Identifier: GPL-2.0-only
/*
 * Graphics memory: BAR2 of each vGPU, modelled on GVT-g's aperture.  Its
 * size is the type's low graphics memory divided by the load-time
 * parameter gm_divisor (default 128: a default parent's 512 MB of low
 * graphics memory is at most 4 MiB of kernel memory in all).
 *
 * Sparse: an array of page pointers, a page allocated (zeroed, charged to
 * the writer's memory cgroup) on its first write.  A page never written
 * reads as zero and is never sent in a migration stream.  Accessed only
 * through the region read/write path (no mmap), so every write is seen and
 * marks its page dirty for the migration's pre-copy rounds.
 *
 * The caller holds the vGPU's lock around everything but init and free.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vgpu.h"

#define GMEM_PAGE MIGVER_STREAM_PAGE_SIZE

u64 migver_gmem_size(const struct migver_type *mt)
{
	return (u64)mt->conf->low_gm_mb * SZ_1M / migver_gm_divisor;
}

int migver_gmem_init(struct migver_gmem *g, u64 size)
{
	g->npages = size / GMEM_PAGE;
	g->present = 0;
	g->pages = kvcalloc(g->npages, sizeof(*g->pages), GFP_KERNEL_ACCOUNT);
	g->dirty = bitmap_zalloc(g->npages, GFP_KERNEL_ACCOUNT);
	if (!g->pages || !g->dirty) {
		migver_gmem_free(g);
		return -ENOMEM;
	}
	return 0;
}

void migver_gmem_clear(struct migver_gmem *g)
{
	unsigned long i;

	for (i = 0; g->present && i < g->npages; i++) {
		if (!g->pages[i])
			continue;
		kfree(g->pages[i]);
		g->pages[i] = NULL;
		g->present--;
	}
	bitmap_zero(g->dirty, g->npages);
}

void migver_gmem_free(struct migver_gmem *g)
{
	if (g->pages && g->dirty)
		migver_gmem_clear(g);
	kvfree(g->pages);
	bitmap_free(g->dirty);
	g->pages = NULL;
	g->dirty = NULL;
	g->npages = 0;
}

static void *gmem_page(struct migver_gmem *g, unsigned long i, gfp_t gfp)
{
	if (!g->pages[i]) {
		g->pages[i] = kmalloc(GMEM_PAGE, gfp);
		if (g->pages[i])
			g->present++;
	}
	return g->pages[i];
}

/* One region access, within one page; returns the bytes moved. */
ssize_t migver_gmem_access(struct migver_gmem *g, char __user *ubuf,
			   size_t count, u64 off, bool write)
{
	unsigned long i = off / GMEM_PAGE;
	size_t in = off % GMEM_PAGE;
	void *page;

	if (i >= g->npages)
		return -EINVAL;
	count = min(count, GMEM_PAGE - in);
	if (write) {
		page = gmem_page(g, i, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		set_bit(i, g->dirty);
		if (copy_from_user(page + in, ubuf, count))
			return -EFAULT;
	} else if (g->pages[i]) {
		if (copy_to_user(ubuf, g->pages[i] + in, count))
			return -EFAULT;
	} else if (clear_user(ubuf, count)) {
		return -EFAULT;
	}
	return count;
}

/*
 * Stream data into a staging copy (migration.c), within one page.  A
 * staged page is not zeroed: only a complete stream is ever applied, and
 * in a complete stream every PAGE record carried all of its 4096 bytes.
 */
int migver_gmem_store(struct migver_gmem *g, u64 off, const u8 *data,
		      size_t len)
{
	unsigned long i = off / GMEM_PAGE;
	void *page;

	if (i >= g->npages || off % GMEM_PAGE + len > GMEM_PAGE)
		return -EINVAL;
	page = gmem_page(g, i, GFP_KERNEL_ACCOUNT);
	if (!page)
		return -ENOMEM;
	memcpy(page + off % GMEM_PAGE, data, len);
	return 0;
}

/* Exchange the contents of two memories of the same size. */
void migver_gmem_swap(struct migver_gmem *a, struct migver_gmem *b)
{
	swap(a->pages, b->pages);
	swap(a->present, b->present);
	bitmap_zero(a->dirty, a->npages);
	bitmap_zero(b->dirty, b->npages);
}

/* A save session starts: every page written so far is to be sent. */
void migver_gmem_mark_all_dirty(struct migver_gmem *g)
{
	unsigned long i;

	bitmap_zero(g->dirty, g->npages);
	for (i = 0; i < g->npages; i++)
		if (g->pages[i])
			__set_bit(i, g->dirty);
}
