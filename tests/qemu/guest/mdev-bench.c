// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev-bench: timing loops for tests/qemu/guest/bench.sh (`make bench`).
 * The shell would add a fork or a busybox builtin's overhead to every
 * write; these loops time only the system calls.
 *
 * Whatever is compared is interleaved one operation at a time: under TCG on
 * a shared machine the guest's speed drifts by tens of percent within
 * seconds, and only operations timed side by side see the same speed.
 *
 *   mdev-bench lat <iters> <rounds> <warmup> <fileA> <strA> <fileB> <strB>
 *	pwrite(strA) to fileA and pwrite(strB) to fileB, each on one open fd,
 *	alternating write by write (A first in even pairs, B first in odd
 *	ones), <iters> * <rounds> timed writes each after <warmup> untimed
 *	ones each.  Prints "A <median_ns> <p99_ns>", "B <median_ns> <p99_ns>"
 *	and "M <warmup> <bytes of strA> <bytes of strB>".
 *   mdev-bench cycle <typedirA> <tagA> <typedirB> <tagB> <n>
 *	n times: create one mdev (fresh uuid) through <typedirA>/create and
 *	remove it through its remove file, and the same on B (A first on
 *	even cycles, B first on odd ones).  Prints
 *	"<n> <total_ns A> <total_ns B>".
 *   mdev-bench create <typedir> <first> <count> <tag>
 *	create uuids first..first+count-1 and leave them; prints
 *	"<count> <total_ns> <median_ns>" (per-create times).
 *   mdev-bench create2 <typedirA> <tagA> <typedirB> <tagB> <first> <count>
 *	the same on A and B, alternating create by create (and which of
 *	the two goes first); prints
 *	"<count> <total_ns A> <median_ns A> <total_ns B> <median_ns B>".
 *   mdev-bench remove <first> <count> <tag>
 *	remove those uuids again; prints "<count> <total_ns>".
 * uuids are <tag>-0000-4000-8000-<index>, tag being 8 hex digits, so each
 * caller (ours, mtty, scaling) has its own range.  Any failed write is fatal
 * (exit 1) and names the file and errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* p in 0..100; nearest-rank on a sorted copy. */
static long long pct(long long *v, size_t n, double p)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_ll);
	i = (size_t)(p / 100.0 * (double)n);
	if (i >= n)
		i = n - 1;
	return v[i];
}

static void die(const char *what, const char *file)
{
	fprintf(stderr, "mdev-bench: %s %s: %s\n", what, file, strerror(errno));
	exit(1);
}

static int open_w(const char *file)
{
	int fd = open(file, O_WRONLY);

	if (fd < 0)
		die("open", file);
	return fd;
}

/* One full write of s at offset 0, as `echo s > file` does. */
static void put(int fd, const char *s, size_t len, const char *file)
{
	ssize_t r = pwrite(fd, s, len, 0);

	if (r != (ssize_t)len) {
		if (r >= 0)
			errno = EIO;
		die("write", file);
	}
}

static void write_file(const char *file, const char *s)
{
	int fd = open_w(file);

	put(fd, s, strlen(s), file);
	close(fd);
}

static int cmd_lat(int argc, char **argv)
{
	size_t iters, rounds, warmup, n, i, r, k;
	const char *file_a, *str_a, *file_b, *str_b;
	long long *ta, *tb, t0;
	size_t la, lb;
	int fa, fb;

	if (argc != 9)
		return 2;
	iters = strtoul(argv[2], NULL, 0);
	rounds = strtoul(argv[3], NULL, 0);
	warmup = strtoul(argv[4], NULL, 0);
	file_a = argv[5];
	str_a = argv[6];
	file_b = argv[7];
	str_b = argv[8];
	if (!iters || !rounds)
		return 2;
	n = iters * rounds;
	ta = calloc(n, sizeof(*ta));
	tb = calloc(n, sizeof(*tb));
	if (!ta || !tb)
		return 1;
	fa = open_w(file_a);
	fb = open_w(file_b);
	la = strlen(str_a);
	lb = strlen(str_b);
	for (i = 0; i < warmup; i++) {
		put(fa, str_a, la, file_a);
		put(fb, str_b, lb, file_b);
	}
	/* Who goes first alternates: neither always follows the other. */
	for (r = 0, k = 0; r < rounds; r++) {
		for (i = 0; i < iters; i++, k++) {
			if (k & 1) {
				t0 = now_ns();
				put(fb, str_b, lb, file_b);
				tb[k] = now_ns() - t0;
			}
			t0 = now_ns();
			put(fa, str_a, la, file_a);
			ta[k] = now_ns() - t0;
			if (!(k & 1)) {
				t0 = now_ns();
				put(fb, str_b, lb, file_b);
				tb[k] = now_ns() - t0;
			}
		}
	}
	printf("A %lld ", pct(ta, n, 50));
	printf("%lld\n", pct(ta, n, 99));
	printf("B %lld ", pct(tb, n, 50));
	printf("%lld\n", pct(tb, n, 99));
	printf("M %zu %zu %zu\n", warmup, la, lb);
	close(fa);
	close(fb);
	free(ta);
	free(tb);
	return 0;
}

static void uuid_of(char *buf, size_t size, const char *tag, unsigned long i)
{
	snprintf(buf, size, "%.8s-0000-4000-8000-%012lx", tag, i);
}

static void remove_one(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	write_file(path, "1");
}

/* Create <tag>-...-<i> on @typedir; returns ns. */
static long long create_one(const char *typedir, const char *tag,
			    unsigned long i)
{
	char create[256], uuid[64];
	long long t0;

	snprintf(create, sizeof(create), "%s/create", typedir);
	uuid_of(uuid, sizeof(uuid), tag, i);
	t0 = now_ns();
	write_file(create, uuid);
	return now_ns() - t0;
}

/* One create+remove on @typedir with uuid <tag>-...-<i>; returns ns. */
static long long cycle_one(const char *typedir, const char *tag,
			   unsigned long i)
{
	char uuid[64];
	long long t0 = now_ns();

	create_one(typedir, tag, i);
	uuid_of(uuid, sizeof(uuid), tag, i);
	remove_one(uuid);
	return now_ns() - t0;
}

static int cmd_cycle(int argc, char **argv)
{
	long long ta = 0, tb = 0;
	unsigned long n, i;

	if (argc != 7)
		return 2;
	n = strtoul(argv[6], NULL, 0);
	/* Who goes first alternates too: neither always follows the other. */
	for (i = 0; i < n; i++) {
		if (i & 1) {
			tb += cycle_one(argv[4], argv[5], i);
			ta += cycle_one(argv[2], argv[3], i);
		} else {
			ta += cycle_one(argv[2], argv[3], i);
			tb += cycle_one(argv[4], argv[5], i);
		}
	}
	printf("%lu %lld %lld\n", n, ta, tb);
	return 0;
}

static int cmd_create(int argc, char **argv)
{
	unsigned long first, count, i;
	long long *t, total = 0;

	if (argc != 6)
		return 2;
	first = strtoul(argv[3], NULL, 0);
	count = strtoul(argv[4], NULL, 0);
	if (!count)
		return 2;
	t = calloc(count, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < count; i++) {
		t[i] = create_one(argv[2], argv[5], first + i);
		total += t[i];
	}
	printf("%lu %lld %lld\n", count, total, pct(t, count, 50));
	free(t);
	return 0;
}

static int cmd_create2(int argc, char **argv)
{
	long long *ta, *tb, sa = 0, sb = 0;
	unsigned long first, count, i;

	if (argc != 8)
		return 2;
	first = strtoul(argv[6], NULL, 0);
	count = strtoul(argv[7], NULL, 0);
	if (!count)
		return 2;
	ta = calloc(count, sizeof(*ta));
	tb = calloc(count, sizeof(*tb));
	if (!ta || !tb)
		return 1;
	/* Who goes first alternates too: neither always follows the other. */
	for (i = 0; i < count; i++) {
		if (i & 1) {
			tb[i] = create_one(argv[4], argv[5], first + i);
			ta[i] = create_one(argv[2], argv[3], first + i);
		} else {
			ta[i] = create_one(argv[2], argv[3], first + i);
			tb[i] = create_one(argv[4], argv[5], first + i);
		}
		sa += ta[i];
		sb += tb[i];
	}
	printf("%lu %lld %lld ", count, sa, pct(ta, count, 50));
	printf("%lld %lld\n", sb, pct(tb, count, 50));
	free(ta);
	free(tb);
	return 0;
}

static int cmd_remove(int argc, char **argv)
{
	unsigned long first, count, i;
	char uuid[64];
	long long t0;

	if (argc != 5)
		return 2;
	first = strtoul(argv[2], NULL, 0);
	count = strtoul(argv[3], NULL, 0);
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		uuid_of(uuid, sizeof(uuid), argv[4], first + i);
		remove_one(uuid);
	}
	printf("%lu %lld\n", count, now_ns() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc >= 2 && !strcmp(argv[1], "lat"))
		rc = cmd_lat(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "cycle"))
		rc = cmd_cycle(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "create"))
		rc = cmd_create(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "create2"))
		rc = cmd_create2(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "remove"))
		rc = cmd_remove(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: see the comment at the top of mdev-bench.c\n");
	return rc;
}
