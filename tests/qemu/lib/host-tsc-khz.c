// SPDX-License-Identifier: GPL-2.0-only
/*
 * host-tsc-khz: print this host's TSC rate in kHz, measured against
 * CLOCK_MONOTONIC_RAW over 200 ms.
 *
 * QEMU's TCG gives a guest the host's own TSC (cpu_get_host_ticks()), but
 * the guest kernel measures its rate at boot against the PIT or the HPET,
 * and a starved vCPU gets that wrong: a debug guest on a loaded 2596 MHz
 * host found "511.074 MHz", and its clock then ran five times too fast,
 * so every timeout inside it ended five times too early.  boot.sh passes
 * this value as tsc_early_khz= (with tsc=reliable), so no guest measures.
 *
 * Each end of the interval is the tightest of many TSC/clock/TSC reads, so
 * a preemption between the reads cannot skew it.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

/* one (tsc, ns) pair, taken where the two TSC reads were closest */
static void sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t t0, t1, best = UINT64_MAX;
	struct timespec ts;
	int i;

	for (i = 0; i < 2000; i++) {
		t0 = __rdtsc();
		clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
		t1 = __rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			*ns = (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
		}
	}
}

int main(void)
{
	const struct timespec wait = { 0, 200 * 1000 * 1000 };
	uint64_t tsc_a, ns_a, tsc_b, ns_b;

	sample(&tsc_a, &ns_a);
	nanosleep(&wait, NULL);
	sample(&tsc_b, &ns_b);
	if (ns_b <= ns_a || tsc_b <= tsc_a)
		return 1;
	printf("%llu\n", (unsigned long long)((tsc_b - tsc_a) * 1000000u /
					      (ns_b - ns_a)));
	return 0;
}
