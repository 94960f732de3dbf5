// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev-stress: hammer mdev_migver from many threads at once, for a bounded
 * time, and account for every operation's outcome.
 *
 *   mdev-stress SECONDS UNLOAD_AT PARAMS
 *
 * The module must be loaded (with PARAMS, e.g. "nr_parents=2") and have no
 * mdevs.  Threads, each looping until SECONDS have passed:
 *   read-type   x2  read a type's migration_version and available_instances
 *   read-dev    x2  read migration_version of whatever mdev exists
 *   write-type  x2  write a valid, an invalid, an oversized (PAGE_SIZE) or
 *                   another type's string into a type's migration_version
 *   write-dev   x1  the same into the migration_version of an mdev made here
 *   create      x2  create an mdev of a random type, remove one of its own
 *   checker     x1  switch the run-time checker, sometimes to a bogus name
 *   vfio        x1  create its own mdev, open it through VFIO like a VMM,
 *                   query it, close it
 *   migrate     x1  create its own mdev, open it, write graphics memory,
 *                   save its state, then 20 random migration state
 *                   changes, feeding each RESUMING fd its own saved stream
 *                   (accepted) or one with another type's VERSION record
 *                   (refused in band with EMEDIUMTYPE), in random pieces,
 *                   and reading the saving fds, while a second thread
 *                   resets the device, asks its state and reads the newest
 *                   data fd; close the device with the data fds still
 *                   open, which must then fail with ENODEV.  Every
 *                   outcome is judged against the stream's verdict (see
 *                   mig_cycle), so the in-band check races the checker
 *                   thread, and set_state races reset, close, remove
 *                   (create's removals) and rmmod.  At least one stream
 *                   must have been resumed and one refused in band.
 *   rmmod       x1  hold a VFIO fd of its own mdev and delete_module(),
 *                   which must fail with EAGAIN (rmmod-busy); once, at
 *                   UNLOAD_AT seconds (0: never), a real unload (unload)
 *                   and, after the driver's sysfs directory has gone, a
 *                   load with PARAMS (reload)
 * Every outcome must be one that operation may have: the expected result
 * for its input, or ENOENT/ENODEV while the module is away (any other errno
 * is "unexpected").  Afterwards the remaining mdevs are removed and every
 * type's available_instances must be back at its starting value.
 *
 * Output: one "stress: <class> ops=N ok=N <errno>=N ..." line per class,
 * then "PASS stress/<class>" or "FAIL stress/<class>: ..." (tests/qemu/guest
 * result lines) and "PASS stress/budget-restored".
 * The threads stop after SECONDS, or, if a class has not yet had what it
 * must have at least once (a success; EAGAIN for rmmod-busy; a stream
 * resumed and one refused for migrate), as soon as every class has, but
 * no later than EXTRA_S more: a starved TCG guest may get through few
 * operations in SECONDS.  "PASS stress/stopped" once they have stopped; a
 * watchdog says "FAIL stress/stopped" and ends the run when they have not
 * GRACE_S after that (there to end a hang, not to judge speed: the delayed
 * kobject releases of an unload and reload took more than 120 s once).
 * Exit status: 0 when every case passed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#define MOD "mdev_migver"
#define MDEVS "/sys/bus/mdev/devices"
#define DRIVER_DIR "/sys/bus/mdev/drivers/" MOD
/* The module's PCI driver (src/driver/pci.c): its directory lingers too. */
#define PCI_DRIVER_DIR "/sys/bus/pci/drivers/migver"
#define MAX_PARENTS 8
#define NR_TYPES 4
#define OWN_MAX 4 /* mdevs one create thread keeps at most */
#define BUF 8192

static const int type_suffix[NR_TYPES] = { 8, 4, 2, 1 };

enum cls { READ_TYPE, READ_DEV, WRITE_TYPE, WRITE_DEV, CREATE, REMOVE,
	   CHECKER, VFIO, MIGRATE, RMMOD_BUSY, UNLOAD, RELOAD, NR_CLASSES };

static const char *const cls_name[NR_CLASSES] = {
	"read-type", "read-dev", "write-type", "write-dev", "create",
	"remove", "checker", "vfio", "migrate", "rmmod-busy", "unload",
	"reload",
};

/* The errnos an outcome may be counted under; anything else is unexpected. */
#define NR_ERRS 11
static const int errs[NR_ERRS] = { EINVAL, EMEDIUMTYPE, ENOSPC, ENOENT,
				   ENODEV, EAGAIN, EBUSY, EEXIST, ENOMEM,
				   EBADF, ENOMSG };
static const char *const err_name[NR_ERRS] = {
	"EINVAL", "EMEDIUMTYPE", "ENOSPC", "ENOENT", "ENODEV", "EAGAIN",
	"EBUSY", "EEXIST", "ENOMEM", "EBADF", "ENOMSG",
};

struct stats {
	atomic_long ops, ok, unexpected;
	atomic_long by_err[NR_ERRS];
	char first[256]; /* the first unexpected outcome, for the report */
	atomic_flag first_taken;
};

static struct stats st[NR_CLASSES];
static atomic_int stop;
static int nr_parents;
static const char *params;
static time_t unload_at;
static int unload_planned;
static char valid[MAX_PARENTS][NR_TYPES][BUF];
static int start_avail[MAX_PARENTS][NR_TYPES];
static char oversized[4096 + 1];

static void unexpected(enum cls c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void unexpected(enum cls c, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&st[c].unexpected, 1);
	if (atomic_flag_test_and_set(&st[c].first_taken))
		return;
	va_start(ap, fmt);
	vsnprintf(st[c].first, sizeof(st[c].first), fmt, ap);
	va_end(ap);
}

/*
 * outcome: count one operation of class c.  err is 0 or an errno; want is
 * the result the input asks for (0 = success); ENOENT and ENODEV are always
 * allowed (the module or the device went away under us), as is each errno
 * in the zero-terminated list also.
 */
static void outcome(enum cls c, int err, int want, const char *what, ...)
{
	va_list ap;
	int i, allowed = err == want || err == ENOENT || err == ENODEV;

	va_start(ap, what);
	for (int a = va_arg(ap, int); a && !allowed; a = va_arg(ap, int))
		allowed = err == a;
	va_end(ap);
	atomic_fetch_add(&st[c].ops, 1);
	if (!allowed) {
		unexpected(c, "%s: got %s, want %s", what,
			   err ? strerrorname_np(err) : "success",
			   want ? strerrorname_np(want) : "success");
		return;
	}
	if (!err) {
		atomic_fetch_add(&st[c].ok, 1);
		return;
	}
	for (i = 0; i < NR_ERRS; i++)
		if (errs[i] == err)
			atomic_fetch_add(&st[c].by_err[i], 1);
}

static long err_count(enum cls c, int err)
{
	int i;

	for (i = 0; i < NR_ERRS; i++)
		if (errs[i] == err)
			return atomic_load(&st[c].by_err[i]);
	return 0;
}

static unsigned int rnd(unsigned int *seed, unsigned int n)
{
	return (unsigned int)rand_r(seed) % n;
}

static void type_path(char *buf, size_t size, int p, int t, const char *file)
{
	snprintf(buf, size,
		 "/sys/class/mdev_bus/migver%d/mdev_supported_types/migver-GVTg_V5_%d/%s",
		 p, type_suffix[t], file);
}

/* 0 and the bytes in buf, or an errno. */
static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		err = errno;
	else
		buf[n] = '\0';
	close(fd);
	return err;
}

/* One write(2) of len bytes; 0 when all were taken, else an errno. */
static int write_file(const char *path, const char *s, size_t len)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	n = write(fd, s, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO; /* a short write is never expected */
	close(fd);
	return err;
}

static void new_uuid(char *buf, size_t size)
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		abort();
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(buf, size,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Some existing mdev's uuid, or 0 when there is none. */
static int any_mdev(unsigned int *seed, char *uuid, size_t size)
{
	struct dirent *de;
	char names[16][64];
	int n = 0;
	DIR *d = opendir(MDEVS);

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < 16)
		if (de->d_name[0] != '.')
			snprintf(names[n++], sizeof(names[0]), "%.63s", de->d_name);
	closedir(d);
	if (!n)
		return 0;
	snprintf(uuid, size, "%s", names[rnd(seed, n)]);
	return 1;
}

static int running(void)
{
	return !atomic_load(&stop);
}

static void *reader_type(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char path[PATH_MAX], buf[BUF];

	while (running()) {
		int p = rnd(&seed, nr_parents), t = rnd(&seed, NR_TYPES);

		type_path(path, sizeof(path), p, t, "migration_version");
		outcome(READ_TYPE, read_file(path, buf, sizeof(buf)), 0,
			"read type", 0);
		type_path(path, sizeof(path), p, t, "available_instances");
		outcome(READ_TYPE, read_file(path, buf, sizeof(buf)), 0,
			"read available_instances", 0);
	}
	return NULL;
}

static void *reader_dev(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char path[PATH_MAX], buf[BUF], uuid[64];

	while (running()) {
		if (!any_mdev(&seed, uuid, sizeof(uuid))) {
			usleep(1000);
			continue;
		}
		snprintf(path, sizeof(path), MDEVS "/%s/migration_version",
			 uuid);
		outcome(READ_DEV, read_file(path, buf, sizeof(buf)), 0,
			"read device", 0);
	}
	return NULL;
}

/*
 * One write of a random kind into the attribute at path, which belongs to
 * type t of parent p; returns after counting it.
 */
static void write_kind(enum cls c, unsigned int *seed, const char *path,
		       int p, int t)
{
	int other = (t + 1 + rnd(seed, NR_TYPES - 1)) % NR_TYPES;
	const char *s;

	switch (rnd(seed, 4)) {
	case 0:
		s = valid[p][t];
		outcome(c, write_file(path, s, strlen(s)), 0, "valid", 0);
		break;
	case 1:
		outcome(c, write_file(path, "hello", 5), EINVAL, "invalid", 0);
		break;
	case 2:
		outcome(c, write_file(path, oversized, 4096), EINVAL,
			"oversized", 0);
		break;
	default:
		s = valid[p][other];
		outcome(c, write_file(path, s, strlen(s)), EMEDIUMTYPE,
			"other type", 0);
		break;
	}
}

static void *writer_type(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char path[PATH_MAX];

	while (running()) {
		int p = rnd(&seed, nr_parents), t = rnd(&seed, NR_TYPES);

		type_path(path, sizeof(path), p, t, "migration_version");
		write_kind(WRITE_TYPE, &seed, path, p, t);
	}
	return NULL;
}

/*
 * The mdevs this program made and has not removed, with their parent and
 * type, so writers know which string each device must accept.
 */
#define LIVE_MAX 32
static struct live {
	char uuid[40];
	int p, t;
} live[LIVE_MAX];
static int nr_live;
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static void live_add(const char *uuid, int p, int t)
{
	pthread_mutex_lock(&live_lock);
	if (nr_live < LIVE_MAX) {
		snprintf(live[nr_live].uuid, sizeof(live[0].uuid), "%s", uuid);
		live[nr_live].p = p;
		live[nr_live++].t = t;
	}
	pthread_mutex_unlock(&live_lock);
}

static void live_del(const char *uuid)
{
	int i;

	pthread_mutex_lock(&live_lock);
	for (i = 0; i < nr_live; i++)
		if (!strcmp(live[i].uuid, uuid)) {
			live[i] = live[--nr_live];
			break;
		}
	pthread_mutex_unlock(&live_lock);
}

/* A random live mdev of ours; 0 when there is none. */
static int live_pick(unsigned int *seed, struct live *out)
{
	int found = 0;

	pthread_mutex_lock(&live_lock);
	if (nr_live) {
		*out = live[rnd(seed, nr_live)];
		found = 1;
	}
	pthread_mutex_unlock(&live_lock);
	return found;
}

static void *writer_dev(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char path[PATH_MAX];
	struct live d;

	while (running()) {
		if (!live_pick(&seed, &d)) {
			usleep(1000);
			continue;
		}
		snprintf(path, sizeof(path), MDEVS "/%s/migration_version",
			 d.uuid);
		write_kind(WRITE_DEV, &seed, path, d.p, d.t);
	}
	return NULL;
}

/* create: 0 (and uuid) or an errno */
static int create_mdev(int p, int t, char *uuid, size_t size)
{
	char path[PATH_MAX];

	new_uuid(uuid, size);
	type_path(path, sizeof(path), p, t, "create");
	return write_file(path, uuid, strlen(uuid));
}

static int remove_mdev(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEVS "/%s/remove", uuid);
	return write_file(path, "1", 1);
}

static void *creator(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char own[OWN_MAX][64];
	int n = 0;

	while (running()) {
		if (n < OWN_MAX && rnd(&seed, 2)) {
			int p = rnd(&seed, nr_parents), t = rnd(&seed, NR_TYPES);
			int err = create_mdev(p, t, own[n], sizeof(own[n]));

			outcome(CREATE, err, 0, "create", ENOSPC, 0);
			if (!err)
				live_add(own[n++], p, t);
		} else if (n) {
			int i = rnd(&seed, n);

			live_del(own[i]);
			outcome(REMOVE, remove_mdev(own[i]), 0, "remove", 0);
			memcpy(own[i], own[--n], sizeof(own[i]));
		}
	}
	return NULL;
}

static void *checker(void *arg)
{
	static const char *const names[] = { "semver", "gvt", "strict",
					     "semver\n", "bogus" };
	unsigned int seed = (unsigned int)(long)arg;

	while (running()) {
		int i = rnd(&seed, 5);

		outcome(CHECKER,
			write_file("/sys/module/" MOD "/parameters/checker",
				   names[i], strlen(names[i])),
			i == 4 ? EINVAL : 0, names[i], 0);
		usleep(2000);
	}
	return NULL;
}

struct vfio_fds {
	int container, group, dev;
};

static void vfio_close(struct vfio_fds *f)
{
	if (f->dev >= 0)
		close(f->dev);
	if (f->group >= 0)
		close(f->group);
	if (f->container >= 0)
		close(f->container);
}

/* Open the mdev like a VMM does; 0 or the first errno (nothing left open). */
static int vfio_open(const char *uuid, struct vfio_fds *f)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	int err;

	f->container = f->group = f->dev = -1;
	snprintf(path, sizeof(path), MDEVS "/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno;
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	f->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (f->container >= 0)
		f->group = open(path, O_RDWR | O_CLOEXEC);
	if (f->group >= 0 &&
	    !ioctl(f->group, VFIO_GROUP_SET_CONTAINER, &f->container) &&
	    !ioctl(f->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		f->dev = ioctl(f->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (f->dev >= 0)
		return 0;
	err = errno;
	vfio_close(f);
	return err;
}

/* Open, query, hold a moment (so other threads meet an open device), close. */
static int vfio_cycle(const char *uuid)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_fds f;
	int err = vfio_open(uuid, &f);

	if (err)
		return err;
	if (ioctl(f.dev, VFIO_DEVICE_GET_INFO, &info))
		err = errno;
	else if (!(info.flags & VFIO_DEVICE_FLAGS_PCI))
		err = EIO;
	usleep(5000);
	vfio_close(&f);
	return err;
}

static void *vfio(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char uuid[64] = "";

	while (running()) {
		struct stat sb;
		char path[PATH_MAX];

		snprintf(path, sizeof(path), MDEVS "/%s", uuid);
		if (!uuid[0] || stat(path, &sb)) {
			/*
			 * ours went away with an rmmod: make another, of the
			 * smallest type (an eighth of a parent's budget): the
			 * largest needs a parent with nothing on it, which
			 * beside the create and migrate threads could take
			 * the whole run (0 operations in 1 of 5 runs).
			 */
			if (create_mdev(rnd(&seed, nr_parents), 0, uuid,
					sizeof(uuid))) {
				uuid[0] = '\0';
				usleep(2000);
				continue;
			}
		}
		outcome(VFIO, vfio_cycle(uuid), 0, "open/close", 0);
	}
	if (uuid[0])
		remove_mdev(uuid);
	return NULL;
}

/* ---- migrate --------------------------------------------------------------- */

/*
 * A session saves its device's state once (STOP_COPY to EOF, before the
 * racer starts), then makes random state changes.  Each RESUMING data fd
 * is fed, in random pieces, one of two streams whose verdict is known:
 *   own    the saved stream: accepted, and RESUMING -> STOP applies it
 *          once it is complete (EINVAL while it is not: no END yet);
 *   other  the same with the VERSION record of another type of the same
 *          parent: the write that completes that record fails with
 *          EMEDIUMTYPE, as does every later write and RESUMING -> STOP
 *          (EINVAL before the record is complete).
 * Both verdicts are the same under every checker (write-type asserts it
 * for the attribute), so the in-band check racing the checker thread must
 * give exactly them.  The only other thing that may happen is a reset by
 * the racer, which returns the device to RUNNING and kills the fd: a
 * write then fails with ENODEV and leaving RESUMING succeeds.  When no
 * reset was started since the fd was made ("strict"), neither may
 * happen.  Any failure of a state change must be the verdict of the
 * stream being resumed: nothing else can fail without fault injection.
 */

/* uAPI numbers of 6.2+ (PRE_COPY), absent from the 6.1 headers used here */
#define MIG_PRE_COPY 6
#define MIG_PRE_COPY_P2P 7
#define MIG_STREAM_MAX (1 << 20)
#define MIG_HDR 16 /* stream header; then VERSION's 8-byte record header */

struct mig_session {
	int dev;
	atomic_int data_fd; /* newest data fd, -1: none */
	atomic_int stop;
	atomic_int bad; /* an errno the racer should never have seen */
	atomic_long resets_started, resets_done;
	unsigned int seed;
};

/* What the migrate thread proved, beyond the outcome counts. */
static atomic_long mig_resumed, mig_refused, mig_judged_strict;

/* The stream being resumed through the newest RESUMING fd. */
struct mig_feed {
	const unsigned char *p;
	size_t len, off, ver_end; /* ver_end: just past the VERSION record */
	int other; /* the VERSION record is another type's */
	int refused; /* a write failed with EMEDIUMTYPE */
	int dead; /* a write found the fd reset */
	long resets; /* resets_done before the fd was asked for */
};

/* 0 and the new data fd (or -1), or an errno. */
static int mig_set(int dev, unsigned int state, int *data_fd)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state m;
	} s = { .f = { .argsz = sizeof(s),
		       .flags = VFIO_DEVICE_FEATURE_SET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE },
		.m = { .device_state = state, .data_fd = -1 } };

	*data_fd = -1;
	if (ioctl(dev, VFIO_DEVICE_FEATURE, &s))
		return errno;
	*data_fd = s.m.data_fd;
	return 0;
}

/* The device's migration state, or -1. */
static int mig_get(int dev)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state m;
	} g = { .f = { .argsz = sizeof(g),
		       .flags = VFIO_DEVICE_FEATURE_GET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE } };

	return ioctl(dev, VFIO_DEVICE_FEATURE, &g) ? -1 :
						     (int)g.m.device_state;
}

static void *mig_racer(void *arg)
{
	struct mig_session *s = arg;
	char buf[256];

	while (!atomic_load(&s->stop)) {
		struct {
			struct vfio_device_feature f;
			struct vfio_device_feature_mig_state m;
		} g = { .f = { .argsz = sizeof(g),
			       .flags = VFIO_DEVICE_FEATURE_GET |
					VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE } };
		int fd;

		switch (rnd(&s->seed, 4)) {
		case 0:
			/* a reset always succeeds, whatever the state */
			atomic_fetch_add(&s->resets_started, 1);
			if (ioctl(s->dev, VFIO_DEVICE_RESET))
				atomic_store(&s->bad, errno);
			atomic_fetch_add(&s->resets_done, 1);
			break;
		case 1:
			if (ioctl(s->dev, VFIO_DEVICE_FEATURE, &g))
				atomic_store(&s->bad, errno);
			break;
		default:
			fd = atomic_load(&s->data_fd);
			if (fd >= 0)
				(void)!read(fd, buf, sizeof(buf));
			break;
		}
		usleep(rnd(&s->seed, 10000));
	}
	return NULL;
}

/*
 * No reset since the feed's fd was asked for, none under way: a reset
 * whose ioctl has returned was done, or was left to the holder of the
 * state lock, which does it before its own ioctl returns.
 */
static int mig_strict(struct mig_session *s, const struct mig_feed *m)
{
	return atomic_load(&s->resets_started) == m->resets;
}

/* RESUMING -> anything: the verdict on what was written. */
static int mig_verdict(const struct mig_feed *m)
{
	if (m->refused)
		return EMEDIUMTYPE;
	return m->off == m->len ? 0 : EINVAL;
}

static void mig_unexpected(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void mig_unexpected(const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	atomic_fetch_add(&st[MIGRATE].ops, 1);
	unexpected(MIGRATE, "%s", what);
}

/* The device's state, saved with no racer: 0 and its length, or an errno. */
static int mig_save(int dev, unsigned char *out, size_t *len)
{
	int err, fd, dummy;
	ssize_t n;

	*len = 0;
	err = mig_set(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	if (err)
		return err;
	if (fd < 0)
		return EIO;
	do {
		n = read(fd, out + *len, MIG_STREAM_MAX - *len);
		if (n > 0)
			*len += n;
	} while (n > 0 && *len < MIG_STREAM_MAX);
	err = n < 0 ? errno : n > 0 ? EFBIG : 0;
	close(fd);
	return err ?: mig_set(dev, VFIO_DEVICE_STATE_RUNNING, &dummy);
}

/*
 * Build the two streams from the saved one; 0 or EIO when the saved
 * stream does not start with a header and a VERSION record.
 */
static int mig_streams(const unsigned char *own, size_t own_len,
		       const char *other_version, unsigned char *other,
		       size_t *other_len, size_t *own_ver_end,
		       size_t *other_ver_end)
{
	uint32_t vlen, olen = (uint32_t)strlen(other_version);
	size_t rest;

	if (own_len < MIG_HDR + 8 || memcmp(own, "MIGVERST", 8) ||
	    own[MIG_HDR] != 1 || own[MIG_HDR + 1] != 0)
		return EIO;
	vlen = own[MIG_HDR + 4] | own[MIG_HDR + 5] << 8 |
	       own[MIG_HDR + 6] << 16 | (uint32_t)own[MIG_HDR + 7] << 24;
	*own_ver_end = MIG_HDR + 8 + (size_t)vlen;
	if (*own_ver_end > own_len)
		return EIO;
	rest = own_len - *own_ver_end;
	*other_ver_end = MIG_HDR + 8 + olen;
	if (*other_ver_end + rest > MIG_STREAM_MAX)
		return EIO;
	memcpy(other, own, MIG_HDR + 4); /* header, type, flags */
	other[MIG_HDR + 4] = olen & 0xff;
	other[MIG_HDR + 5] = olen >> 8 & 0xff;
	other[MIG_HDR + 6] = olen >> 16 & 0xff;
	other[MIG_HDR + 7] = olen >> 24;
	memcpy(other + MIG_HDR + 8, other_version, olen);
	memcpy(other + *other_ver_end, own + *own_ver_end, rest);
	*other_len = *other_ver_end + rest;
	return 0;
}

/* Up to three writes of the feed's next bytes, each judged. */
static void mig_feed_some(struct mig_session *s, struct mig_feed *m, int fd,
			  unsigned int *seed)
{
	int k;

	for (k = 0; k < 3 && !m->dead && m->off < m->len; k++) {
		size_t left = m->len - m->off, n;
		int want, err, strict;
		ssize_t r;

		n = !left ? 1 : rnd(seed, 2) ? left : 1 + rnd(seed, left);
		if (n > 65536)
			n = 65536;
		want = m->refused || (m->other && m->off + n >= m->ver_end) ?
			       EMEDIUMTYPE : 0;
		r = write(fd, left ? m->p + m->off : m->p, n);
		err = r < 0 ? errno : (size_t)r != n ? EIO : 0;
		/* judged after the write: a reset under it is not strict */
		strict = mig_strict(s, m);
		atomic_fetch_add(&mig_judged_strict, strict);
		if (err == ENODEV && strict) {
			mig_unexpected("stream write at %zu: ENODEV with no reset since RESUMING",
				       m->off);
			m->dead = 1;
			continue;
		}
		outcome(MIGRATE, err, want,
			want ? "write completing another type's VERSION" :
			       "stream write",
			0);
		if (err == ENODEV || err == ENOENT)
			m->dead = 1;
		else if (!err && !want)
			m->off += n;
		else if (err == EMEDIUMTYPE && want) {
			if (!m->refused)
				atomic_fetch_add(&mig_refused, 1);
			/* one write more, to see the refusal stick */
			if (m->refused++)
				break;
		}
	}
}

/* One session on the mdev, every operation counted; 0 or a setup errno. */
static int mig_cycle(const char *uuid, int p, unsigned int *seed)
{
	static const unsigned int states[] = {
		VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_RUNNING,
		VFIO_DEVICE_STATE_STOP_COPY, VFIO_DEVICE_STATE_RESUMING,
		VFIO_DEVICE_STATE_RUNNING_P2P, MIG_PRE_COPY, MIG_PRE_COPY_P2P,
	};
	static unsigned char own[MIG_STREAM_MAX], other[MIG_STREAM_MAX];
	struct vfio_region_info bar2 = { .argsz = sizeof(bar2),
					 .index = VFIO_PCI_BAR2_REGION_INDEX };
	struct mig_session s = { .seed = *seed ^ 0x9e3779b9u };
	size_t own_len, other_len, own_ver_end, other_ver_end;
	int fds[24], is_resume[24], nfds = 0, err, i;
	struct mig_feed m = { 0 }, *cur = NULL;
	char buf[8192];
	struct vfio_fds f;
	pthread_t racer;

	err = vfio_open(uuid, &f);
	if (err)
		return err;
	if (!ioctl(f.dev, VFIO_DEVICE_GET_REGION_INFO, &bar2) && bar2.size) {
		memset(buf, 0x5a, sizeof(buf));
		for (i = 0; i < 4; i++)
			(void)!pwrite(f.dev, buf, 4096, bar2.offset +
				      rnd(seed, bar2.size / 4096) * 4096);
	}
	err = mig_save(f.dev, own, &own_len);
	if (!err)
		err = mig_streams(own, own_len,
				  valid[p][1 + rnd(seed, NR_TYPES - 1)], other,
				  &other_len, &own_ver_end, &other_ver_end);
	if (err) {
		vfio_close(&f);
		return err;
	}
	s.dev = f.dev;
	atomic_store(&s.data_fd, -1);
	pthread_create(&racer, NULL, mig_racer, &s);
	for (i = 0; i < 20; i++) {
		unsigned int to = states[rnd(seed, 7)];
		long before = atomic_load(&s.resets_done);
		int fd, v, strict, blocked, from = mig_get(f.dev);
		char what[160];

		err = mig_set(f.dev, to, &fd);
		strict = cur && mig_strict(&s, cur);
		/*
		 * The vfio core refuses STOP_COPY -> PRE_COPY(_P2P) with
		 * EINVAL (vfio_mig_get_next_state()); "from" is exact unless
		 * a reset came since it was asked (to RUNNING, never to
		 * STOP_COPY).
		 */
		blocked = from == VFIO_DEVICE_STATE_STOP_COPY &&
			  (to == MIG_PRE_COPY || to == MIG_PRE_COPY_P2P);
		if (cur && to != VFIO_DEVICE_STATE_RESUMING) {
			/* leaving RESUMING, unless a reset did it already */
			v = cur->dead ? 0 : mig_verdict(cur);
			if (!err && v && strict)
				mig_unexpected("RESUMING -> %u accepted a stream it must refuse with %s",
					       to, strerrorname_np(v));
			else
				/* err must be the verdict; 0 after a reset */
				outcome(MIGRATE, err, err ? v : 0,
					"leave RESUMING", 0);
			if (!err && !v && !cur->dead && strict)
				atomic_fetch_add(&mig_resumed, 1);
			atomic_fetch_add(&mig_judged_strict, strict);
			if (!err)
				cur = NULL;
		} else {
			snprintf(what, sizeof(what),
				 "set_state %d -> %u (then %d; %s, newest fd %s)",
				 from, to, err ? mig_get(f.dev) : (int)to,
				 cur ? "resuming" : "no stream",
				 !nfds ? "none" : is_resume[nfds - 1] ? "resuming" : "saving");
			if (!err && blocked &&
			    atomic_load(&s.resets_started) == before)
				mig_unexpected("%s: accepted, the vfio core blocks it",
					       what);
			else
				outcome(MIGRATE, err, err && blocked ? EINVAL : 0,
					what, 0);
		}
		if (fd >= 0) {
			is_resume[nfds] = to == VFIO_DEVICE_STATE_RESUMING;
			fds[nfds++] = fd;
			atomic_store(&s.data_fd, fd);
			cur = NULL;
			if (is_resume[nfds - 1]) {
				int o = rnd(seed, 2);

				m = (struct mig_feed){
					.p = o ? other : own,
					.len = o ? other_len : own_len,
					.ver_end = o ? other_ver_end :
						       own_ver_end,
					.other = o,
					.resets = before,
				};
				cur = &m;
			}
		}
		if (cur)
			mig_feed_some(&s, cur, fds[nfds - 1], seed);
		if (nfds && rnd(seed, 2)) {
			ssize_t r = read(fds[nfds - 1], buf,
					 1 + rnd(seed, sizeof(buf)));

			if (is_resume[nfds - 1])
				outcome(MIGRATE, r < 0 ? errno : 0, EBADF,
					"read of a RESUMING fd", 0);
			else
				outcome(MIGRATE, r < 0 ? errno : 0, 0,
					"read of a saving fd", ENOMSG, 0);
		}
	}
	atomic_store(&s.stop, 1);
	pthread_join(racer, NULL);
	if (atomic_load(&s.bad))
		mig_unexpected("racer: reset or get_state failed with %s",
			       strerrorname_np(atomic_load(&s.bad)));
	vfio_close(&f);
	/* the session ended with the close: every data fd is dead */
	for (i = 0; i < nfds; i++) {
		ssize_t r = is_resume[i] ? write(fds[i], own, 16) :
					   read(fds[i], buf, 16);

		outcome(MIGRATE, r < 0 ? errno : 0, ENODEV,
			"data fd after close", 0);
		close(fds[i]);
	}
	return 0;
}

static void *migrate(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char uuid[64] = "";
	int p = 0;

	while (running()) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), MDEVS "/%s", uuid);
		if (!uuid[0] || access(path, F_OK)) {
			p = rnd(&seed, nr_parents);
			if (create_mdev(p, 0, uuid, sizeof(uuid))) {
				uuid[0] = '\0';
				usleep(2000);
				continue;
			}
		}
		outcome(MIGRATE, mig_cycle(uuid, p, &seed), 0,
			"session setup (open, save)", 0);
	}
	if (uuid[0])
		remove_mdev(uuid);
	return NULL;
}

static int modprobe(void)
{
	char cmd[512];
	int status;

	snprintf(cmd, sizeof(cmd), "modprobe " MOD " %s", params);
	status = system(cmd);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : EIO;
}

static struct timespec t_start;

/* seconds since the stress started */
static double run_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t_start.tv_sec) +
	       (now.tv_nsec - t_start.tv_nsec) / 1e9;
}

/* Wait out the driver directory's delayed release, then load again. */
static void reload(void)
{
	double t0 = run_s(), t1;
	int i;

	/*
	 * The driver's directory goes when its kobject is released, seconds
	 * later under CONFIG_DEBUG_KOBJECT_RELEASE; loading before that would
	 * meet a duplicate sysfs name.
	 */
	for (i = 0; i < 200 && (!access(DRIVER_DIR, F_OK) ||
				!access(PCI_DRIVER_DIR, F_OK)); i++)
		usleep(50000);
	t1 = run_s();
	outcome(RELOAD, modprobe(), 0, "modprobe", 0);
	printf("stress: reload: the driver's sysfs directories went in %.1f s, modprobe took %.1f s (done at %.1f s)\n",
	       t1 - t0, run_s() - t1, run_s());
}

/* The one real unload: retried while another thread holds a VFIO fd. */
static void unload(void)
{
	double t0 = run_s();
	int err = 0, i;

	for (i = 0; i < 100; i++) {
		err = syscall(SYS_delete_module, MOD, O_NONBLOCK) ? errno : 0;
		if (err != EAGAIN)
			break;
		usleep(100000);
	}
	printf("stress: unload: started at %.1f s, %d EAGAIN, then %s, %.1f s in all\n",
	       t0, i, err == EAGAIN ? "gave up" : err ? strerrorname_np(err) : "unloaded",
	       run_s() - t0);
	outcome(UNLOAD, err, 0, "rmmod", 0);
	if (!err)
		reload();
}

/*
 * rmmod while holding a VFIO fd of its own mdev: must fail with EAGAIN,
 * over and over; once, at unload_at, a real unload and reload.
 */
static void *rmmod(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;
	char uuid[64] = "", path[PATH_MAX];
	struct vfio_fds f;
	int err;

	while (running()) {
		usleep(100000 + rnd(&seed, 200000));
		if (unload_at && time(NULL) >= unload_at) {
			unload_at = 0;
			unload();
			uuid[0] = '\0';
			continue;
		}
		snprintf(path, sizeof(path), MDEVS "/%s", uuid);
		if ((!uuid[0] || access(path, F_OK)) &&
		    create_mdev(0, 0, uuid, sizeof(uuid))) {
			uuid[0] = '\0';
			continue;
		}
		if (vfio_open(uuid, &f))
			continue;
		err = syscall(SYS_delete_module, MOD, O_NONBLOCK) ? errno : 0;
		outcome(RMMOD_BUSY, err, EAGAIN, "rmmod with a VFIO fd open", 0);
		vfio_close(&f);
	}
	if (uuid[0])
		remove_mdev(uuid);
	return NULL;
}

#define EXTRA_S 300 /* see the header */
#define GRACE_S 600

/* main's and the watchdog's verdict on stress/stopped: the first one wins */
static atomic_flag stopped_said;

static void *watchdog(void *arg)
{
	sleep((unsigned int)(long)arg);
	if (atomic_flag_test_and_set(&stopped_said))
		return NULL;
	printf("FAIL stress/stopped: threads still running %d s after the end\n",
	       GRACE_S);
	fflush(stdout);
	system("for t in /proc/[0-9]*/task/*; do echo \"== $t $(cat $t/comm)\"; cat $t/stack; done 2>/dev/null");
	_exit(1);
}

/* Has class c had what it must have at least once: success, or EAGAIN? */
static int minimum_met(enum cls c)
{
	if (c == UNLOAD || c == RELOAD)
		return !unload_planned || atomic_load(&st[c].ok);
	if (c == RMMOD_BUSY)
		return err_count(c, EAGAIN) > 0;
	if (c == MIGRATE)
		return atomic_load(&st[c].ok) && atomic_load(&mig_resumed) &&
		       atomic_load(&mig_refused);
	return atomic_load(&st[c].ok) > 0;
}

static int all_minimums_met(void)
{
	int c;

	for (c = 0; c < NR_CLASSES; c++)
		if (!minimum_met(c))
			return 0;
	return 1;
}

static int report(void)
{
	int c, i, failed = 0;

	for (c = 0; c < NR_CLASSES; c++) {
		printf("stress: %-10s ops=%ld ok=%ld", cls_name[c],
		       atomic_load(&st[c].ops), atomic_load(&st[c].ok));
		for (i = 0; i < NR_ERRS; i++)
			if (atomic_load(&st[c].by_err[i]))
				printf(" %s=%ld", err_name[i],
				       atomic_load(&st[c].by_err[i]));
		printf(" unexpected=%ld\n", atomic_load(&st[c].unexpected));
	}
	printf("stress: migrate    streams resumed=%ld refused-in-band=%ld, strict judgements=%ld\n",
	       atomic_load(&mig_resumed), atomic_load(&mig_refused),
	       atomic_load(&mig_judged_strict));
	for (c = 0; c < NR_CLASSES; c++) {
		if (atomic_load(&st[c].unexpected)) {
			printf("FAIL stress/%s: %ld unexpected outcome(s), first: %s\n",
			       cls_name[c], atomic_load(&st[c].unexpected),
			       st[c].first);
			failed = 1;
		} else if (c == MIGRATE && (!atomic_load(&mig_resumed) ||
					    !atomic_load(&mig_refused))) {
			printf("FAIL stress/migrate: %ld streams resumed, %ld refused in band: want both\n",
			       atomic_load(&mig_resumed),
			       atomic_load(&mig_refused));
			failed = 1;
		} else if (!minimum_met(c)) {
			printf("FAIL stress/%s: %ld operations, none %s\n",
			       cls_name[c], atomic_load(&st[c].ops),
			       c == RMMOD_BUSY ? "met an open device" : "succeeded");
			failed = 1;
		} else {
			printf("PASS stress/%s\n", cls_name[c]);
		}
	}
	return failed;
}

/* Remove what is left, then compare every type's count with the start. */
static int budget_restored(void)
{
	char path[PATH_MAX], buf[64], uuid[64];
	unsigned int seed = 1;
	int p, t, bad = 0;

	while (any_mdev(&seed, uuid, sizeof(uuid)))
		if (remove_mdev(uuid) && remove_mdev(uuid) != ENOENT)
			break;
	for (p = 0; p < nr_parents; p++)
		for (t = 0; t < NR_TYPES; t++) {
			type_path(path, sizeof(path), p, t,
				  "available_instances");
			if (read_file(path, buf, sizeof(buf)) ||
			    atoi(buf) != start_avail[p][t]) {
				printf("FAIL stress/budget-restored: migver%d GVTg_V5_%d has %s, started with %d\n",
				       p, type_suffix[t], buf,
				       start_avail[p][t]);
				bad = 1;
			}
		}
	if (!bad)
		printf("PASS stress/budget-restored\n");
	return bad;
}

static int setup(void)
{
	char path[PATH_MAX], buf[64];
	int p, t;

	if (read_file("/sys/module/" MOD "/parameters/nr_parents", buf,
		      sizeof(buf)))
		return -1;
	nr_parents = atoi(buf);
	if (nr_parents < 1 || nr_parents > MAX_PARENTS)
		return -1;
	for (p = 0; p < nr_parents; p++)
		for (t = 0; t < NR_TYPES; t++) {
			type_path(path, sizeof(path), p, t,
				  "migration_version");
			if (read_file(path, valid[p][t], sizeof(valid[p][t])))
				return -1;
			type_path(path, sizeof(path), p, t,
				  "available_instances");
			if (read_file(path, buf, sizeof(buf)))
				return -1;
			start_avail[p][t] = atoi(buf);
		}
	memset(oversized, 'x', sizeof(oversized) - 1);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		void *(*fn)(void *);
		int count;
	} roles[] = {
		{ reader_type, 2 }, { reader_dev, 2 }, { writer_type, 2 },
		{ writer_dev, 1 },  { creator, 2 },    { checker, 1 },
		{ vfio, 1 },	    { migrate, 1 },    { rmmod, 1 },
	};
	pthread_t th[16], dog;
	int seconds, n = 0, r, i, failed;

	if (argc != 4) {
		fprintf(stderr, "usage: mdev-stress SECONDS RMMOD_SECONDS PARAMS\n");
		return 2;
	}
	seconds = atoi(argv[1]);
	unload_planned = atoi(argv[2]) > 0;
	unload_at = unload_planned ? time(NULL) + atoi(argv[2]) : 0;
	params = argv[3];
	if (setup()) {
		printf("FAIL stress/setup: " MOD " not loaded with readable types\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	pthread_create(&dog, NULL, watchdog,
		       (void *)(long)(seconds + EXTRA_S + GRACE_S));
	for (r = 0; r < (int)(sizeof(roles) / sizeof(roles[0])); r++)
		for (i = 0; i < roles[r].count; i++, n++)
			pthread_create(&th[n], NULL, roles[r].fn,
				       (void *)(long)(n + 1));
	sleep(seconds);
	if (!all_minimums_met()) {
		char waiting[256] = "";

		for (i = 0; i < NR_CLASSES; i++)
			if (!minimum_met(i))
				snprintf(waiting + strlen(waiting),
					 sizeof(waiting) - strlen(waiting),
					 " %s", cls_name[i]);
		if (waiting[0]) /* all may have come in since */
			printf("stress: after %d s still without their one success:%s\n",
			       seconds, waiting);
	}
	/* bounded by the clock: one-second sleeps of a starved guest are longer */
	while (run_s() < seconds + EXTRA_S && !all_minimums_met())
		sleep(1);
	printf("stress: stopping at %.1f s (%d s asked for)\n", run_s(),
	       seconds);
	atomic_store(&stop, 1);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	if (atomic_flag_test_and_set(&stopped_said))
		pause(); /* the watchdog has said FAIL and ends the run */
	printf("PASS stress/stopped\n");
	/* the module must be there for the final checks */
	if (access("/sys/module/" MOD, F_OK))
		reload();
	failed = report();
	failed |= budget_restored();
	return failed;
}
