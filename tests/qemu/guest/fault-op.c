// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault-op: run ONE operation with the kernel's systematic fault injection
 * armed, and say whether the fault was injected.
 *
 *   fault-op N load  KO PARAMS    finit_module(KO, PARAMS)
 *   fault-op N write FILE STRING  one write(2) of STRING to FILE
 *
 * N is written to /proc/thread-self/fail-nth first: the N-th call of a fault
 * injection point in this task fails (failslab here; with failslab's stack
 * filter only allocations with module code on the stack count).  Files are
 * opened before arming, so only the operation itself is counted.  N = 0
 * runs the operation without touching fail-nth, on any kernel: the bad
 * input scenarios use it to see the errno of a load with bad parameters.
 * Output, one line:
 *
 *   <OK | errno name> injected=<0|1>
 *
 * injected=1: the N-th point was reached and failed; injected=0: the
 * operation has fewer than N points (the sweep is complete).
 * Exit status: 0 when the line was printed, 2 on usage or setup errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: fault-op N load KO PARAMS | fault-op N write FILE STRING\n");
	exit(2);
}

int main(int argc, char **argv)
{
	char nth[16], left[16] = "";
	int ctl, fd, err = 0;
	ssize_t n;

	if (argc != 5)
		usage();
	/* N = 0 needs no fault injection in the kernel at all */
	ctl = strcmp(argv[1], "0") ? open("/proc/thread-self/fail-nth", O_RDWR) : -1;
	if (ctl < 0 && strcmp(argv[1], "0")) {
		perror("fault-op: /proc/thread-self/fail-nth");
		return 2;
	}
	if (!strcmp(argv[2], "load"))
		fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	else if (!strcmp(argv[2], "write"))
		fd = open(argv[3], O_WRONLY | O_CLOEXEC);
	else
		usage();
	if (fd < 0) {
		fprintf(stderr, "fault-op: %s: %s\n", argv[3], strerror(errno));
		return 2;
	}
	snprintf(nth, sizeof(nth), "%s", argv[1]);
	if (ctl >= 0 && pwrite(ctl, nth, strlen(nth), 0) < 0) {
		perror("fault-op: arming fail-nth");
		return 2;
	}

	if (argv[2][0] == 'l')
		n = syscall(SYS_finit_module, fd, argv[4], 0);
	else
		n = write(fd, argv[4], strlen(argv[4]));
	if (n < 0)
		err = errno;

	/* What is left of the count: 0 when the fault was injected. */
	if (ctl >= 0 && pread(ctl, left, sizeof(left) - 1, 0) < 0) {
		perror("fault-op: reading fail-nth");
		return 2;
	}
	/* Disarm, so nothing after the operation is failed. */
	if (ctl >= 0 && pwrite(ctl, "0", 1, 0) < 0) {
		perror("fault-op: disarming fail-nth");
		return 2;
	}
	printf("%s injected=%d\n", err ? strerrorname_np(err) : "OK",
	       ctl >= 0 && atoi(left) == 0);
	return 0;
}
