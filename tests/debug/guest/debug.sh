#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `debug` of the debug lane (tests/debug/run.sh), run by the
# QEMU harness's /init as /tests/debug.sh on the debug kernel (busybox sh).
# Parts, each followed by a kmemleak report between
# MIGVER-KMEMLEAK-BEGIN/END <part> (the host attributes the objects), so a
# leak is pinned on the part that made it:
#   1. kunit: mdev_migver_kunit.ko runs its suites while loading; each
#      suite's KTAP from debugfs goes out between MIGVER-KTAP-BEGIN/END
#      lines (the host parses it with the tree's kunit.py);
#   2. matrix: /tests/matrix.sh's first parts (the driver scenarios and
#      coverage; bad input and live migration are entry matrix-tail's; the
#      migver tool's part is the QEMU lane's only: userspace processes
#      that reach the kernel through the same sysfs writes as driver's);
#   3. stress: /tests/bin/mdev-stress, 60 s of concurrent readers, writers,
#      create/remove, checker switching, VFIO open/close and rmmod attempts
#      (one real unload and reload at 25 s), then the module must unload.
# Fault injection is entry `faults` (faults.sh), booted beside this one.
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

# shellcheck source=tests/debug/guest/kmemleak.sh
. /tests/kmemleak.sh

KU=/sys/kernel/debug/kunit
kmemleak_baseline kmemleak-baseline

# ---- 1. KUnit --------------------------------------------------------------
# kunit.enable=1 is the default of a KUnit kernel; said explicitly so a
# kernel built with KUNIT_DEFAULT_ENABLED=n still runs the suites.
if modprobe kunit enable=1 2>/tmp/kunit.err && modprobe mdev_migver_kunit 2>>/tmp/kunit.err; then
	pass kunit-load
	for d in "$KU"/*/; do
		[ -f "$d/results" ] || continue
		s=$(basename "$d")
		echo "MIGVER-KTAP-BEGIN $s"
		cat "$d/results"
		echo "MIGVER-KTAP-END $s"
	done
	if rmmod mdev_migver_kunit 2>/tmp/kunit.err; then
		pass kunit-unload
	else
		fail kunit-unload "$(cat /tmp/kunit.err)"
	fi
else
	fail kunit-load "$(cat /tmp/kunit.err)"
fi

kmemleak_report after-kunit

# ---- 2. the driver scenarios -----------------------------------------------
status=0
# 3 load/unload cycles, not 20: each takes ~10 s of delayed releases here.
# The other parts (bad input, live migration) run in entry matrix-tail.
MATRIX_PARTS="driver coverage" LOAD_CYCLES=3 sh /tests/matrix.sh || status=1
kmemleak_report after-matrix

# ---- 3. concurrency stress ---------------------------------------------------
wait_driver_gone
if load nr_parents=2; then
	# 60 s, the unload at 25, and longer (at most 300 s more) until
	# every class has had its one success (mdev-stress.c)
	mdev-stress 60 25 nr_parents=2 || status=1
	if loaded && unload && ! loaded; then
		pass stress/final-unload
	else
		fail stress/final-unload "$(cat /tmp/rmmod.err 2>/dev/null)"
	fi
else
	fail stress/load "$(cat /tmp/modprobe.err)"
fi
kmemleak_report after-stress

finish
[ "$status" -eq 0 ] && [ "$nfail" -eq 0 ]
