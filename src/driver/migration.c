// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO migration (v2) of a vGPU: the migration states, the saving and
 * resuming data files, and the compatibility check in the stream.
 *
 * States: STOP_COPY and P2P on every kernel; PRE_COPY where the kernel has
 * it (compat.h).  The vfio core splits a request into single arcs; each
 * arc is handled by mig_step().  No log_ops: the device does no DMA, and
 * on Debian's kernels (no IOMMUFD_DRIVER) registering them would make QEMU
 * choose device dirty tracking and then fail (README.md, "Live
 * migration").
 *
 * Saving (PRE_COPY, STOP_COPY): the stream of include/migver/stream.h,
 * produced record by record as userspace reads.  The initial data is the
 * header and the VERSION record (this device's migration_version string,
 * exactly as the attribute reads); no read() returns more than what is
 * left of it.  Then every written page of graphics
 * memory: in PRE_COPY round after round, each page written since it was
 * last sent, read() failing with ENOMSG when none is left for now; in
 * STOP_COPY the pages still dirty, then config space, registers and END;
 * read() returns 0 at the end.
 *
 * Resuming: writes of any size go through the core's incremental parser.
 * As soon as the VERSION record is complete it is checked against this
 * device exactly as a write to its migration_version attribute is
 * (migver_version_check(), device level); a refusal fails that write()
 * with the attribute's errno, and every later write and RESUMING->STOP
 * fail with it too.  Stream errors: EINVAL (malformed), EPROTONOSUPPORT
 * (unknown stream version or mandatory record), EFBIG (more graphics
 * memory than this device has).  Nothing touches the device while
 * RESUMING: data is staged in the file (at most this device's own state),
 * and applied at RESUMING->STOP only when END, its count and its checksum
 * have validated; applying cannot fail, so a refused, truncated or
 * corrupted stream leaves the device exactly as it was.
 *
 * Reset (VFIO_DEVICE_RESET) and close return the device to RUNNING, drop
 * the files and always succeed.  Locking as mtty's: state_mutex, and a
 * reset that finds it busy is deferred to its holder (reset_mutex).
 */
#include <linux/anon_inodes.h>
#include <linux/bitmap.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <migver/stream.h>

#include "compat.h"
#include "vgpu.h"

#define MIGVER_MIG_CHUNK 4096 /* bytes copied from userspace at a time */

enum save_phase { SAVE_PAGES, SAVE_CONFIG, SAVE_REGS, SAVE_END, SAVE_EOF };

struct migver_save_file {
	struct file *filp;
	struct mutex lock; /* everything below */
	struct migver_mdev *md; /* not to be used once disabled */
	bool disabled;
	bool stop_copy; /* the device is stopped: finish the stream */
	enum save_phase phase;
	struct migver_stream_emitter em;
	unsigned long cursor; /* next page to look at */
	u64 initial_left; /* header and VERSION bytes not yet read */
	size_t len, pos; /* the bytes in buf, and how much was read */
	/*
	 * A PAGE record's data is not copied into buf: once buf (its record
	 * header and offset) has been read, page_left bytes of page @page
	 * go to userspace straight from the page.
	 */
	unsigned long page;
	size_t page_left;
	/* header + VERSION at their longest; CONFIG, REGS, END are shorter */
	u8 buf[MIGVER_STREAM_PREFIX_MAX];
};

struct migver_resume_file {
	struct file *filp;
	struct mutex lock; /* everything below */
	struct migver_mdev *md; /* not to be used once disabled */
	bool disabled;
	int refused; /* sticky negative errno */
	u64 taken; /* stream bytes accepted */
	struct migver_stream_parser parser;
	struct migver_gmem shadow; /* staged graphics memory */
	u8 cfg[MIGVER_STREAM_CONFIG_SIZE];
	u8 regs[MIGVER_STREAM_REGS_SIZE];
	u8 bounce[MIGVER_MIG_CHUNK];
};

/* ---- saving --------------------------------------------------------- */

/*
 * The next record into f->buf.  0: there is one; -ENOMSG: none for now
 * (PRE_COPY); 1: the stream is complete.
 */
static int save_produce(struct migver_save_file *f)
{
	struct migver_mdev *md = f->md;
	struct migver_gmem *g = &md->gmem;
	unsigned long i;

	f->pos = 0;
	f->len = 0;
	mutex_lock(&md->lock);
	switch (f->phase) {
	case SAVE_PAGES:
		i = find_next_bit(g->dirty, g->npages, f->cursor);
		if (i >= g->npages)
			i = find_first_bit(g->dirty, g->npages);
		if (i < g->npages) {
			u64 offset = (u64)i * MIGVER_STREAM_PAGE_SIZE;

			__clear_bit(i, g->dirty);
			f->cursor = i + 1;
			/* a dirty bit is only ever set on an allocated page */
			if (g->pages[i]) {
				f->len = migver_stream_emit_page_start(&f->em,
								       f->buf,
								       offset);
				f->page = i;
				f->page_left = MIGVER_STREAM_PAGE_SIZE;
			}
			break;
		}
		if (!f->stop_copy) {
			mutex_unlock(&md->lock);
			return -ENOMSG;
		}
		f->phase = SAVE_CONFIG;
		fallthrough;
	case SAVE_CONFIG:
		f->len = migver_stream_emit_record(&f->em, f->buf,
						   MIGVER_REC_CONFIG,
						   MIGVER_REC_MANDATORY,
						   md->cfg, sizeof(md->cfg));
		f->phase = SAVE_REGS;
		break;
	case SAVE_REGS:
		f->len = migver_stream_emit_record(&f->em, f->buf,
						   MIGVER_REC_REGS,
						   MIGVER_REC_MANDATORY,
						   md->bar0, sizeof(md->bar0));
		f->phase = SAVE_END;
		break;
	case SAVE_END:
		f->len = migver_stream_emit_end(&f->em, f->buf);
		f->phase = SAVE_EOF;
		break;
	case SAVE_EOF:
		mutex_unlock(&md->lock);
		return 1;
	}
	mutex_unlock(&md->lock);
	return 0;
}

/*
 * Up to @len bytes of the page being sent, from the page itself, each
 * byte checksummed as it is sent (under the vGPU's lock, so the two are
 * the same bytes).  A write racing a PRE_COPY read marks the page dirty
 * again: it is sent again later, and the later copy wins on the target.
 */
static int save_page_data(struct migver_save_file *f, char __user *ubuf,
			  size_t len, size_t *sent)
{
	struct migver_mdev *md = f->md;
	size_t in = MIGVER_STREAM_PAGE_SIZE - f->page_left;
	size_t n = min(len, f->page_left);
	const u8 *page;
	int ret = 0;

	mutex_lock(&md->lock);
	page = md->gmem.pages[f->page];
	/* NULL: a reset racing this read cleared it (the file is dropped) */
	if (!page)
		page = page_address(ZERO_PAGE(0));
	if (copy_to_user(ubuf, page + in, n))
		ret = -EFAULT;
	else
		migver_stream_emit_data(&f->em, page + in, n);
	mutex_unlock(&md->lock);
	if (ret)
		return ret;
	f->page_left -= n;
	*sent = n;
	return 0;
}

static ssize_t save_read(struct file *filp, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	struct migver_save_file *f = filp->private_data;
	ssize_t done = 0;
	int ret = 0;

	if (ppos)
		return -ESPIPE;
	mutex_lock(&f->lock);
	if (f->disabled) {
		ret = -ENODEV;
		goto out;
	}
	/*
	 * A read ends where the initial data (header and VERSION) ends, so
	 * that a VMM sends it alone: the target checks the version before
	 * any graphics memory is on its way, and with QEMU's switchover-ack
	 * the target acknowledges exactly the version record.
	 */
	if (f->initial_left && len > f->initial_left)
		len = f->initial_left;
	while (len) {
		size_t n = 0;

		if (f->pos < f->len) {
			n = min(len, f->len - f->pos);
			if (copy_to_user(ubuf, f->buf + f->pos, n))
				ret = -EFAULT;
			else
				f->pos += n;
		} else if (f->page_left) {
			ret = save_page_data(f, ubuf, len, &n);
		} else {
			ret = save_produce(f);
		}
		if (ret)
			break;
		f->initial_left -= min_t(u64, f->initial_left, n);
		ubuf += n;
		len -= n;
		done += n;
	}
out:
	mutex_unlock(&f->lock);
	if (done)
		return done;
	return ret == 1 ? 0 : ret;
}

/* VFIO_MIG_GET_PRECOPY_INFO, in PRE_COPY and PRE_COPY_P2P only. */
static long save_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct migver_save_file *f = filp->private_data;
	u64 initial = 0, dirty = 0;
	int ret;

	ret = migver_compat_precopy_check(cmd, arg);
	if (ret)
		return ret;
	mutex_lock(&f->lock);
	if (f->disabled) {
		ret = -ENODEV;
	} else if (f->stop_copy) {
		ret = -EINVAL;
	} else {
		struct migver_gmem *g = &f->md->gmem;

		initial = f->initial_left;
		if (!initial)
			dirty = f->len - f->pos + f->page_left;
		mutex_lock(&f->md->lock);
		dirty += (u64)bitmap_weight(g->dirty, g->npages) *
			 MIGVER_STREAM_PAGE_REC;
		mutex_unlock(&f->md->lock);
	}
	mutex_unlock(&f->lock);
	if (ret)
		return ret;
	return migver_compat_precopy_reply(arg, initial, dirty);
}

static int save_release(struct inode *inode, struct file *filp)
{
	struct migver_save_file *f = filp->private_data;

	mutex_destroy(&f->lock);
	kvfree(f);
	return 0;
}

static const struct file_operations migver_save_fops = {
	.owner = THIS_MODULE,
	.read = save_read,
	.unlocked_ioctl = save_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = save_release,
};

/* Called with state_mutex held, entering PRE_COPY(_P2P) or STOP_COPY. */
static struct migver_save_file *save_open(struct migver_mdev *md,
					  bool stop_copy)
{
	const char *version = md->mt->version;
	struct migver_save_file *f;
	size_t vlen = strlen(version);
	char *line;

	BUILD_BUG_ON(sizeof(f->buf) <
		     MIGVER_REC_HDR_SIZE + MIGVER_STREAM_CONFIG_SIZE ||
		     sizeof(f->buf) <
		     MIGVER_REC_HDR_SIZE + MIGVER_STREAM_REGS_SIZE ||
		     sizeof(f->buf) < MIGVER_STREAM_PAGE_START);
	f = kvzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->filp = anon_inode_getfile("migver_save", &migver_save_fops, f,
				     O_RDONLY);
	if (IS_ERR(f->filp)) {
		int ret = PTR_ERR(f->filp);

		kvfree(f);
		return ERR_PTR(ret);
	}
	stream_open(f->filp->f_inode, f->filp);
	mutex_init(&f->lock);
	f->md = md;
	f->stop_copy = stop_copy;
	f->phase = SAVE_PAGES;

	/*
	 * The initial data: header and VERSION, the attribute's string and
	 * its newline, written in place (the emitter then copies nothing).
	 */
	migver_stream_emit_init(&f->em);
	f->len = migver_stream_emit_header(&f->em, f->buf);
	line = (char *)f->buf + f->len + MIGVER_REC_HDR_SIZE;
	memcpy(line, version, vlen);
	line[vlen++] = '\n';
	f->len += migver_stream_emit_record(&f->em, f->buf + f->len,
					    MIGVER_REC_VERSION,
					    MIGVER_REC_MANDATORY, line,
					    (u32)vlen);
	f->initial_left = f->len;

	mutex_lock(&md->lock);
	migver_gmem_mark_all_dirty(&md->gmem);
	mutex_unlock(&md->lock);
	return f;
}

/* ---- resuming ------------------------------------------------------- */

static int resume_data(struct migver_resume_file *f,
		       const struct migver_stream_ev *ev)
{
	switch (ev->type) {
	case MIGVER_REC_CONFIG:
		memcpy(f->cfg + ev->offset, ev->data, ev->len);
		return 0;
	case MIGVER_REC_REGS:
		memcpy(f->regs + ev->offset, ev->data, ev->len);
		return 0;
	default: /* MIGVER_REC_PAGE, below the shadow's size (parser) */
		return migver_gmem_store(&f->shadow, ev->offset, ev->data,
					 ev->len);
	}
}

static int resume_feed(struct migver_resume_file *f, const u8 *buf,
		       size_t len)
{
	struct migver_mdev *md = f->md;
	struct migver_stream_parser *p = &f->parser;

	while (len) {
		struct migver_stream_ev ev;
		ssize_t checked;
		size_t used;
		int ret;

		ret = migver_stream_feed(p, buf, len, &used, &ev);
		if (ret) {
			dev_notice_ratelimited(md->vdev.dev,
					       "device migration stream: refused at byte %llu: %s (%d)\n",
					       p->consumed, p->why, ret);
			return ret;
		}
		buf += used;
		len -= used;
		switch (ev.kind) {
		case MIGVER_STREAM_VERSION:
			/* the attribute's own check, with its errno and log */
			checked = migver_version_check(md->vdev.dev, "device",
						       "migration stream",
						       md->mt, true,
						       p->version,
						       p->version_len);
			if (checked < 0)
				return (int)checked;
			break;
		case MIGVER_STREAM_DATA:
			ret = resume_data(f, &ev);
			if (ret)
				return ret;
			break;
		default:
			break;
		}
	}
	return 0;
}

static ssize_t resume_write(struct file *filp, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct migver_resume_file *f = filp->private_data;
	size_t done = 0;
	int ret = 0;

	if (ppos)
		return -ESPIPE;
	mutex_lock(&f->lock);
	if (f->disabled)
		ret = -ENODEV;
	else if (f->refused)
		ret = f->refused;
	while (!ret && done < len) {
		size_t n = min(len - done, sizeof(f->bounce));

		if (copy_from_user(f->bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = resume_feed(f, f->bounce, n);
		if (ret) {
			f->refused = ret;
			break;
		}
		done += n;
		f->taken += n;
	}
	mutex_unlock(&f->lock);
	if (ret == -EFAULT && done)
		return done;
	return ret ?: done;
}

static int resume_release(struct inode *inode, struct file *filp)
{
	struct migver_resume_file *f = filp->private_data;

	migver_gmem_free(&f->shadow);
	mutex_destroy(&f->lock);
	kvfree(f);
	return 0;
}

static const struct file_operations migver_resume_fops = {
	.owner = THIS_MODULE,
	.write = resume_write,
	.release = resume_release,
};

static struct migver_resume_file *resume_open(struct migver_mdev *md)
{
	struct migver_resume_file *f;
	int ret;

	f = kvzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return ERR_PTR(-ENOMEM);
	ret = migver_gmem_init(&f->shadow, (u64)md->gmem.npages *
					   MIGVER_STREAM_PAGE_SIZE);
	if (ret)
		goto err_free;
	f->filp = anon_inode_getfile("migver_resume", &migver_resume_fops, f,
				     O_WRONLY);
	if (IS_ERR(f->filp)) {
		ret = PTR_ERR(f->filp);
		goto err_shadow;
	}
	stream_open(f->filp->f_inode, f->filp);
	mutex_init(&f->lock);
	f->md = md;
	migver_stream_parser_init(&f->parser, (u64)md->gmem.npages *
					      MIGVER_STREAM_PAGE_SIZE);
	return f;

err_shadow:
	migver_gmem_free(&f->shadow);
err_free:
	kvfree(f);
	return ERR_PTR(ret);
}

/*
 * RESUMING -> STOP: apply the staged state if the whole stream validated.
 * The device keeps its own read-only bytes (identity, sizes); the stream
 * sets what a guest can write.  Nothing here can fail once it starts.
 */
static int resume_load(struct migver_mdev *md)
{
	struct migver_resume_file *f = md->resuming;
	unsigned int i;
	int ret;

	mutex_lock(&f->lock);
	ret = f->refused;
	if (!ret && !migver_stream_complete(&f->parser)) {
		dev_notice_ratelimited(md->vdev.dev,
				       "device migration stream: refused: it ended after %llu bytes, before its END record\n",
				       f->taken);
		ret = -EINVAL;
	}
	if (!ret) {
		mutex_lock(&md->lock);
		for (i = 0; i < MIGVER_REGS_SIZE; i++) {
			u8 m = migver_cfg_wmask(md, i);

			md->cfg[i] = (md->cfg[i] & ~m) | (f->cfg[i] & m);
			m = migver_bar0_wmask(i);
			md->bar0[i] = (md->bar0[i] & ~m) | (f->regs[i] & m);
		}
		migver_gmem_swap(&md->gmem, &f->shadow);
		mutex_unlock(&md->lock);
	}
	mutex_unlock(&f->lock);
	return ret;
}

/* ---- states --------------------------------------------------------- */

static void save_disable(struct migver_save_file *f)
{
	mutex_lock(&f->lock);
	f->disabled = true;
	f->len = 0;
	f->pos = 0;
	f->page_left = 0;
	mutex_unlock(&f->lock);
}

static void resume_disable(struct migver_resume_file *f)
{
	mutex_lock(&f->lock);
	f->disabled = true;
	migver_gmem_free(&f->shadow);
	mutex_unlock(&f->lock);
}

/* With state_mutex held.  A file's fd may outlive this: it is disabled. */
static void mig_drop_files(struct migver_mdev *md)
{
	if (md->saving) {
		save_disable(md->saving);
		fput(md->saving->filp);
		md->saving = NULL;
	}
	if (md->resuming) {
		resume_disable(md->resuming);
		fput(md->resuming->filp);
		md->resuming = NULL;
	}
}

/* Unlock state_mutex, doing first any reset that came meanwhile. */
static void mig_state_unlock(struct migver_mdev *md)
{
again:
	mutex_lock(&md->reset_mutex);
	if (md->deferred_reset) {
		md->deferred_reset = false;
		mutex_unlock(&md->reset_mutex);
		md->mig_state = VFIO_DEVICE_STATE_RUNNING;
		mig_drop_files(md);
		goto again;
	}
	mutex_unlock(&md->state_mutex);
	mutex_unlock(&md->reset_mutex);
}

static bool arc(enum vfio_device_mig_state cur, enum vfio_device_mig_state new,
		enum vfio_device_mig_state from, enum vfio_device_mig_state to)
{
	return cur == from && new == to;
}

/* One arc of the vfio core's state graph (vfio_mig_get_next_state()). */
static struct file *mig_step(struct migver_mdev *md,
			     enum vfio_device_mig_state new)
{
	enum vfio_device_mig_state cur = md->mig_state;
	struct migver_save_file *sf;
	struct migver_resume_file *rf;
	int ret;

	/* no DMA and nothing running on its own: nothing to stop or start */
	if (arc(cur, new, VFIO_DEVICE_STATE_RUNNING,
		VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    arc(cur, new, VFIO_DEVICE_STATE_RUNNING_P2P,
		VFIO_DEVICE_STATE_RUNNING) ||
	    arc(cur, new, VFIO_DEVICE_STATE_RUNNING_P2P,
		VFIO_DEVICE_STATE_STOP) ||
	    arc(cur, new, VFIO_DEVICE_STATE_STOP,
		VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    arc(cur, new, MIGVER_STATE_PRE_COPY, MIGVER_STATE_PRE_COPY_P2P) ||
	    arc(cur, new, MIGVER_STATE_PRE_COPY_P2P, MIGVER_STATE_PRE_COPY))
		return NULL;

	if (arc(cur, new, VFIO_DEVICE_STATE_RESUMING, VFIO_DEVICE_STATE_STOP)) {
		ret = resume_load(md);
		if (ret)
			return ERR_PTR(ret);
		mig_drop_files(md);
		return NULL;
	}

	/* the end of a saving session */
	if (arc(cur, new, MIGVER_STATE_PRE_COPY, VFIO_DEVICE_STATE_RUNNING) ||
	    arc(cur, new, MIGVER_STATE_PRE_COPY_P2P,
		VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    arc(cur, new, VFIO_DEVICE_STATE_STOP_COPY,
		VFIO_DEVICE_STATE_STOP)) {
		mig_drop_files(md);
		return NULL;
	}

	/* PRE_COPY's file goes on into STOP_COPY: no new fd */
	if (arc(cur, new, MIGVER_STATE_PRE_COPY_P2P,
		VFIO_DEVICE_STATE_STOP_COPY)) {
		mutex_lock(&md->saving->lock);
		md->saving->stop_copy = true;
		mutex_unlock(&md->saving->lock);
		return NULL;
	}

	if (arc(cur, new, VFIO_DEVICE_STATE_RUNNING, MIGVER_STATE_PRE_COPY) ||
	    arc(cur, new, VFIO_DEVICE_STATE_RUNNING_P2P,
		MIGVER_STATE_PRE_COPY_P2P) ||
	    arc(cur, new, VFIO_DEVICE_STATE_STOP,
		VFIO_DEVICE_STATE_STOP_COPY)) {
		sf = save_open(md, new == VFIO_DEVICE_STATE_STOP_COPY);
		if (IS_ERR(sf))
			return ERR_CAST(sf);
		md->saving = sf;
		get_file(sf->filp);
		return sf->filp;
	}

	if (arc(cur, new, VFIO_DEVICE_STATE_STOP,
		VFIO_DEVICE_STATE_RESUMING)) {
		rf = resume_open(md);
		if (IS_ERR(rf))
			return ERR_CAST(rf);
		md->resuming = rf;
		get_file(rf->filp);
		return rf->filp;
	}

	/* vfio_mig_get_next_state() never gives any other arc */
	dev_err_ratelimited(md->vdev.dev, "migration: no arc %d -> %d\n", cur,
			    new);
	return ERR_PTR(-EINVAL);
}

static struct file *migver_mig_set_state(struct vfio_device *vdev,
					 enum vfio_device_mig_state new)
{
	struct migver_mdev *md = to_migver_mdev(vdev);
	struct file *ret = NULL;

	mutex_lock(&md->state_mutex);
	while (md->mig_state != new) {
		enum vfio_device_mig_state next;
		int rc = vfio_mig_get_next_state(vdev, md->mig_state, new,
						 &next);

		if (rc) {
			ret = ERR_PTR(rc);
			break;
		}
		ret = mig_step(md, next);
		if (IS_ERR(ret))
			break;
		md->mig_state = next;
		/* a file is returned only by the arc that ends the request */
		if (ret && next != new) {
			fput(ret);
			ret = ERR_PTR(-EINVAL);
			break;
		}
	}
	mig_state_unlock(md);
	return ret;
}

static int migver_mig_get_state(struct vfio_device *vdev,
				enum vfio_device_mig_state *state)
{
	struct migver_mdev *md = to_migver_mdev(vdev);

	mutex_lock(&md->state_mutex);
	*state = md->mig_state;
	mig_state_unlock(md);
	return 0;
}

/* What STOP_COPY would send now, at most (the version at its longest). */
static int __maybe_unused migver_mig_data_size(struct vfio_device *vdev,
					       unsigned long *len)
{
	struct migver_mdev *md = to_migver_mdev(vdev);
	unsigned long present;

	mutex_lock(&md->lock);
	present = md->gmem.present;
	mutex_unlock(&md->lock);
	*len = MIGVER_STREAM_PREFIX_MAX + present * MIGVER_STREAM_PAGE_REC +
	       2 * MIGVER_REC_HDR_SIZE + MIGVER_STREAM_CONFIG_SIZE +
	       MIGVER_STREAM_REGS_SIZE + MIGVER_STREAM_END_REC;
	return 0;
}

static const struct vfio_migration_ops migver_mig_ops = {
	.migration_set_state = migver_mig_set_state,
	.migration_get_state = migver_mig_get_state,
	MIGVER_MIG_DATA_SIZE_OP(migver_mig_data_size)
};

void migver_mig_init(struct migver_mdev *md)
{
	mutex_init(&md->state_mutex);
	mutex_init(&md->reset_mutex);
	md->mig_state = VFIO_DEVICE_STATE_RUNNING;
	md->vdev.migration_flags = VFIO_MIGRATION_STOP_COPY |
				   VFIO_MIGRATION_P2P | MIGVER_MIG_PRE_COPY_FLAG;
	md->vdev.mig_ops = &migver_mig_ops;
}

void migver_mig_destroy(struct migver_mdev *md)
{
	mutex_destroy(&md->reset_mutex);
	mutex_destroy(&md->state_mutex);
}

/* VFIO_DEVICE_RESET: back to RUNNING, now or when state_mutex is free. */
void migver_mig_reset(struct migver_mdev *md)
{
	mutex_lock(&md->reset_mutex);
	md->deferred_reset = true;
	if (!mutex_trylock(&md->state_mutex)) {
		mutex_unlock(&md->reset_mutex);
		return;
	}
	mutex_unlock(&md->reset_mutex);
	mig_state_unlock(md);
}

/* close_device: nothing of a migration survives the last close. */
void migver_mig_close(struct migver_mdev *md)
{
	mutex_lock(&md->state_mutex);
	md->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mig_drop_files(md);
	mig_state_unlock(md);
}
