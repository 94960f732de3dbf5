// SPDX-License-Identifier: GPL-2.0-only
/*
 * core_bench: userspace parse+check throughput of src/core against a
 * sscanf-based reference check of the gvt format, on the same inputs
 * (`make bench`, item 5).
 *
 * The reference is what the 2020 GVT series did: sscanf the string with
 * "%4x-%4x-%15[^-]-%8x" and compare the four fields with the target's.  Ours
 * is migver_check_string() with the `gvt` checker (identical software
 * version required, as in the reference) against a target parsed once.
 * Both see the same mix of compatible and incompatible inputs; their
 * verdicts (compatible or not) must agree on each input or the program
 * fails, so the faster one cannot be skipping work.
 *
 * Usage: core_bench [checks per round [rounds]]   (default 2000000 5; make
 * bench passes tests/qemu/guest/bench-params.sh's values)
 * Prints "ours <ops/s>" and "ref <ops/s>": the best of the rounds each
 * (best, because the machine is shared: the slowest rounds measure the
 * neighbours, the fastest one the code).  The two alternate round by
 * round, and which goes first alternates too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <migver/check.h>

static const char *const inputs[] = {
	"8086-591d-GVTg_V5_8-01020000",	/* compatible */
	"8086-591d-GVTg_V5_8-01020000\n",	/* compatible, cat'ed */
	"8086-591D-GVTg_V5_8-01020000",	/* compatible, upper-case hex */
	"8086-591d-GVTg_V5_8-01020000",	/* compatible */
	"8086-591d-GVTg_V5_4-01020000",	/* other type */
	"8086-591d-GVTg_V5_8-01030000",	/* other software */
	"8086-5912-GVTg_V5_8-01020000",	/* other device */
	"10de-591d-GVTg_V5_8-01020000",	/* other vendor */
};

#define N_INPUTS (sizeof(inputs) / sizeof(inputs[0]))

struct ref_target {
	unsigned int vendor, device, version;
	char type[16];
};

static const struct ref_target ref_dst = { 0x8086, 0x591d, 0x01020000,
					   "GVTg_V5_8" };

static int ref_check(const char *buf)
{
	unsigned int vendor, device, version;
	char type[16];

	if (sscanf(buf, "%4x-%4x-%15[^-]-%8x", &vendor, &device, type,
		   &version) != 4)
		return -EINVAL;
	if (vendor != ref_dst.vendor || device != ref_dst.device)
		return -ENODEV;
	if (strcmp(type, ref_dst.type))
		return -EMEDIUMTYPE;
	if (version != ref_dst.version)
		return -ERANGE;
	return 0;
}

static struct migver_info dst;
static const struct migver_checker *gvt;
static size_t lens[N_INPUTS];

static int our_check(size_t i)
{
	return migver_check_string(gvt, inputs[i], lens[i], &dst, NULL, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One round of @n checks; returns ops/s.  @sink defeats dead-code removal. */
static double round_ops(int ours, unsigned long n, volatile int *sink)
{
	double t0 = now();
	unsigned long k;
	int acc = 0;

	for (k = 0; k < n; k++) {
		size_t i = k % N_INPUTS;

		acc += ours ? our_check(i) : ref_check(inputs[i]);
	}
	*sink += acc;
	return n / (now() - t0);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	double best_ours = 0, best_ref = 0, r;
	volatile int sink = 0;
	const char *why;
	size_t i;
	int k;

	gvt = migver_checker_find("gvt");
	if (!gvt || migver_parse(inputs[0], lens[0] = strlen(inputs[0]), &dst,
				 &why)) {
		fprintf(stderr, "core_bench: cannot set up the target\n");
		return 1;
	}
	for (i = 0; i < N_INPUTS; i++) {
		lens[i] = strlen(inputs[i]);
		if ((our_check(i) == 0) != (ref_check(inputs[i]) == 0)) {
			fprintf(stderr, "core_bench: verdicts differ on %s\n",
				inputs[i]);
			return 1;
		}
	}
	for (k = 0; k < 2 * rounds; k++) {
		/* ours, ref, ref, ours, ours, ref, ... */
		int ours = (k & 1) == ((k >> 1) & 1);

		r = round_ops(ours, n, &sink);
		if (ours && r > best_ours)
			best_ours = r;
		if (!ours && r > best_ref)
			best_ref = r;
	}
	printf("ours %.0f\nref %.0f\n", best_ours, best_ref);
	return sink == 42 ? 3 : 0;
}
