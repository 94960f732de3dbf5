#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/debug/run.sh (`make debug-lane`; `make check` starts it first, in the background):
# KUnit, the driver scenarios, bad input, concurrency stress, fault
# injection and kmemleak on a debug kernel (KASAN, kmemleak, lockdep,
# DEBUG_OBJECTS, DEBUG_KOBJECT_RELEASE, atomic-sleep checks, hung tasks,
# fault injection) built from Debian's unmodified linux-source-6.12 with
# tests/debug/debug.config.
#
# The debug kernel comes from tests/debug/build-kernel.sh (cached; a cold
# build takes a long time, see the README of tests/debug).  Everything else
# is the QEMU harness, pointed at the debug root through its knobs:
#   MIGVER_ROOT_trixie  the root (kernel, kbuild tree, gcc-14)
#   MIGVER_QEMU_OUT     build/debug/qemu, so `make qemu-test` is untouched
#   MIGVER_GUEST_DIR    tests/qemu/guest plus tests/debug/guest (debug.sh,
#                       matrix-tail.sh, faults.sh, mdev-stress.c)
#   MIGVER_GUEST_KMODS  kunit.ko into the initramfs
#   MIGVER_QEMU_MEM     KASAN's shadow and kmemleak's metadata need room
#   MIGVER_APPEND       a log buffer that does not wrap during the run
# Three VMs boot side by side: guest entry `debug` (tests/debug/guest/debug.sh:
# KUnit, matrix.sh's driver and coverage parts, mdev-stress), entry
# `matrix-tail` (matrix-tail.sh: matrix.sh's bad input and live migration
# parts) and entry `faults` (tests/debug/guest/faults.sh).  Cases, named
# debug/<case>, and the plan that lists them:
#   the guests' PASS/FAIL/SKIP lines: tests/debug/guest/debug.plan (KUnit
#     load, kmemleak baseline, stress/<class> from mdev-stress),
#     tests/qemu/guest/matrix.plan (matrix.sh's cases, over both entries),
#     tests/debug/guest/matrix-tail.plan (its kmemleak baseline) and
#     tests/debug/guest/faults.plan (faults.sh);
#   kunit/<suite>.<case>[.<param>]: kunit.py parse --json of each suite's
#     debugfs KTAP, planned by tests/kunit/kunit.plan like the KUnit lane;
#   kmemleak-after-{kunit,matrix,stress,matrix-tail,faults} (no suspect whose backtrace
#     is in our modules, or in code no longer loaded, which after our rmmods
#     can only be ours; a missing report fails);
#   kernel-log-clean-<entry> (no KASAN/lockdep/WARN/BUG/hung task/...; a
#     missing or empty console fails).
# Building the kernel, the module and the initramfs are steps; a timeout,
# crash or non-zero exit of a guest fails as boot-<entry>/guest-exit-<entry>.
# Env: MIGVER_CACHE, MIGVER_DEBUG_JOBS (make -j of the kernel, default 2),
#      MIGVER_BOOT_TIMEOUT (default here 2400 s: TCG + KASAN + lockdep, beside
#      the other suites in `make check`).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
lib=tests/qemu/lib
# shellcheck source=tests/lib/results.sh
source tests/lib/results.sh
# shellcheck source=tests/lib/guest-results.sh
source tests/lib/guest-results.sh
# shellcheck source=tests/lib/kunit.sh
source tests/lib/kunit.sh

plan_file tests/debug/guest/debug.plan debug/
plan_file tests/qemu/guest/matrix.plan debug/
plan_file tests/debug/guest/faults.plan debug/
plan_file tests/debug/guest/matrix-tail.plan debug/
plan_file tests/kunit/kunit.plan debug/kunit/
kmemleak_parts="after-kunit after-matrix after-stress after-matrix-tail after-faults"
for when in $kmemleak_parts; do
	plan "debug/kmemleak-$when"
done
plan debug/kernel-log-clean-debug debug/kernel-log-clean-matrix-tail \
	debug/kernel-log-clean-faults

out=$repo/build/debug
mkdir -p "$out"
# One run per checkout: a second one would replace the initramfs under the
# running VM.
exec 8>"$out/.lock"
if ! flock -n 8; then
	echo "debug: another run is using $out; waiting" >&2
	flock 8
fi

abort() { # abort <step> <why>: the lane cannot go on
	step_fail "debug/$1" "$2"
	results_finish debug || true
	exit 1
}

t0=$SECONDS
if ! root=$(bash tests/debug/build-kernel.sh); then
	abort kernel-build "tests/debug/build-kernel.sh failed (see above)"
fi
step_ok debug/kernel-build
t_kernel=$((SECONDS - t0))
# shellcheck source=/dev/null # written by build-kernel.sh
. "$root/migver-root.env"
echo "debug: kernel $KVER ($SRC_PKG $SRC_VER, gcc $CC_VERSION, cold build took ${BUILD_SECONDS} s)"

export MIGVER_ROOT_trixie=$root
export MIGVER_QEMU_OUT=$out/qemu
export MIGVER_GUEST_DIR=$out/guest
export MIGVER_GUEST_KMODS=kunit
export MIGVER_QEMU_MEM=${MIGVER_QEMU_MEM:-2048}
export MIGVER_BOOT_TIMEOUT=${MIGVER_BOOT_TIMEOUT:-2400}
# tinyconfig's 128 KiB log buffer wraps during the scenarios (lockdep and
# the driver's refusals fill it), and matrix.sh finds new kernel lines by
# counting dmesg lines: a wrapped buffer hides them.
export MIGVER_APPEND="log_buf_len=8M ${MIGVER_APPEND:-}"
qout=$MIGVER_QEMU_OUT/trixie
mkdir -p "$qout"

# The guest payload: the harness's scenarios as they are, plus the lane's
# entries (debug.sh, faults.sh), kmemleak.sh and mdev-stress.c.
rm -rf "$MIGVER_GUEST_DIR"
cp -a tests/qemu/guest "$MIGVER_GUEST_DIR"
cp tests/debug/guest/* "$MIGVER_GUEST_DIR/"

t1=$SECONDS
bash $lib/build-module.sh trixie || abort module-build "see $qout/build.log"
if [ ! -f "$qout/modules/mdev_migver_kunit.ko" ]; then
	abort module-build "no mdev_migver_kunit.ko: is CONFIG_KUNIT set in $root/$KERNEL_CONFIG?"
fi
step_ok debug/module-build
bash $lib/initramfs.sh trixie || abort initramfs "initramfs.sh failed"
step_ok debug/initramfs
t_build=$((SECONDS - t1))

# Three VMs side by side, each a single TCG thread: entry `debug` (KUnit,
# the first parts of the scenarios, stress), entry `matrix-tail` (the
# scenarios' other parts: bad input, live migration) and entry `faults`
# (fault injection).  One VM with all the scenarios took 16 minutes alone;
# split, each VM takes 7-10.
entries="debug matrix-tail faults"
t2=$SECONDS
declare -A boot_rc boot_pid
for entry in $entries; do
	boot_clear "$qout" "$entry"
	bash $lib/boot.sh trixie "$entry" &
	boot_pid[$entry]=$!
done
for entry in $entries; do
	boot_rc[$entry]=0
	wait "${boot_pid[$entry]}" || boot_rc[$entry]=$?
done
t_boot=$((SECONDS - t2))

# --- split each results port: KTAP blocks and kmemleak reports go to their
# own files, the rest (result lines and transcript) to cases-<entry>.log
ktap=$out/ktap
rm -rf "$ktap" "$out"/kmemleak-*.txt "$out"/cases-*.log
mkdir -p "$ktap"
for entry in $entries; do
	tr -d '\r' <"$qout/results-$entry.log" 2>/dev/null |
		awk -v ktap="$ktap" -v out="$out" -v cases="$out/cases-$entry.log" '
		/^MIGVER-KTAP-BEGIN /     { f = ktap "/" $2 ".ktap"; printf "" >f; next }
		/^MIGVER-KMEMLEAK-BEGIN / { f = out "/kmemleak-" $2 ".txt"; printf "" >f; next }
		/^MIGVER-(KTAP|KMEMLEAK)-END / { close(f); f = ""; next }
		f { print >f; next }
		{ print >cases }' || true
	guest_cases debug "$out/cases-$entry.log"
	# the figures the lane exists for: operations per class, fault points
	grep -E '^(stress|faults): ' "$out/cases-$entry.log" || true
done

# --- KUnit: the stock tree's own parser on each suite's KTAP, as JSON,
# then one case per KUnit case (tests/lib/kunit.sh), as in the KUnit lane.
kunit_py=$root/usr/src/linux-debug/tools/testing/kunit/kunit.py
for f in "$ktap"/*.ktap; do
	[ -e "$f" ] || continue
	s=$(basename "$f" .ktap)
	/usr/bin/python3 "$kunit_py" parse --json="$ktap/$s.json" "$f" \
		>"$ktap/$s.parsed" 2>&1 || true
	kunit_cases "$ktap/$s.json" "$ktap/$s.parsed" debug/kunit/
done

# --- kmemleak: split the report into objects; an object is ours when its
# backtrace names one of our modules or an address no loaded code owns
# (%pS prints a bare 0x... then; vfio, mdev and kunit stay loaded, so after
# matrix.sh's final rmmod that can only be mdev_migver or its KUnit module).
# One report after each part, each ending in an rmmod of our modules (a
# crash on the way leaves the later ones out: that fails too).
for when in $kmemleak_parts; do
	f=$out/kmemleak-$when.txt
	if [ ! -f "$f" ]; then
		fail "debug/kmemleak-$when" "the guest printed no kmemleak report (see $qout/console-*.log)"
		continue
	fi
	read -r total ours < <(awk '
		/^unreferenced object/ { n++; cur = n }
		cur && (/migver/ || /\] 0x[0-9a-f]+$/) { ours[cur] = 1 }
		END { c = 0; for (k in ours) c++; print n + 0, c }' "$f")
	echo "debug: kmemleak $when: $total suspect(s) since the boot baseline, $ours in our modules"
	if [ "$ours" -eq 0 ]; then
		pass "debug/kmemleak-$when"
	else
		fail "debug/kmemleak-$when" "$ours leak suspect(s) in our modules (see $f)"
	fi
done

# --- the consoles: any report of the checkers fails the lane.  (The regular
# harness's list plus ODEBUG, debugobjects' prefix, and the hung-task
# detector's line; lockdep and atomic-sleep reports start with WARNING:/BUG:.)
for entry in $entries; do
	console=$qout/console-$entry.log
	kernel_log_clean "debug/kernel-log-clean-$entry" "$console" 'ODEBUG|blocked for more than'
	boot_status "debug/$entry" "$entry" "${boot_rc[$entry]}" "$console"
done

echo "--- debug timings (s): kernel=$t_kernel module+initramfs=$t_build boot=$t_boot"
results_finish debug
