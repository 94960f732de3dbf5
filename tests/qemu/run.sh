#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/qemu/run.sh: driver scenarios on real Debian kernels (`make qemu-test`).
#
# For each suite in $MIGVER_SUITES (default: bookworm trixie sid, i.e. the
# 6.1, 6.12 and newest kernels): prepare the cached build root, build the
# module with that suite's compiler, build the initramfs, boot the kernel in
# QEMU with guest entry `matrix` (tests/qemu/guest/matrix.sh), then turn
#   PASS <case> / FAIL <case>: <why> / SKIP <case>: <why>
# lines of the results port into cases named <suite>/<case>.  Per suite also:
#   <suite>/kernel-log-clean  fails on WARN/BUG/Oops/KASAN/KFENCE/UBSAN/panic/
#                             GPF/Call Trace in the console log
#   <suite>/boot              fails if the guest never reported MIGVER-EXIT
#   <suite>/cases             fails if the guest reported no case at all
#   <suite>/guest-exit        fails if matrix.sh exited non-zero
# Logs: build/qemu/<suite>/{build.log,console-matrix.log,results-matrix.log}.
# Env: MIGVER_SUITES, MIGVER_ENTRY (default matrix), MIGVER_MAKE_ARGS (e.g. W=1),
#      MIGVER_CACHE (default /var/cache/mdev-migver), MIGVER_BOOT_TIMEOUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=tests/qemu/lib
. tests/lib/results.sh
. tests/lib/guest-results.sh

suites=${MIGVER_SUITES:-bookworm trixie sid}
entry=${MIGVER_ENTRY:-matrix}
# Anything the kernel prints when something went wrong.  Matched
# case-sensitively so benign lines such as "kfence: initialized" do not hit.

# One run per output directory: concurrent runs in the same checkout would
# overwrite each other's initramfs and logs (QEMU keeps writing to a file
# the other run has replaced).  A second run waits for the first.
export MIGVER_QEMU_OUT=${MIGVER_QEMU_OUT:-$PWD/build/qemu}
mkdir -p "$MIGVER_QEMU_OUT"
exec 8>"$MIGVER_QEMU_OUT/.lock"
if ! flock -n 8; then
	echo "qemu: another run is using $MIGVER_QEMU_OUT; waiting" >&2
	flock 8
fi

timings=()
prepare() {
	local r
	r=$(bash $lib/prepare-root.sh "$1") || return 1
	export "MIGVER_ROOT_$1=$r"
}
step() { # step <var> <cmd...>: run, store elapsed seconds in <var>
	local __v=$1 __t=$SECONDS __rc=0
	shift
	"$@" || __rc=$?
	printf -v "$__v" '%s' $((SECONDS - __t))
	return $__rc
}

for suite in $suites; do
	echo "=== qemu: $suite"
	t_prep=- t_build=- t_initrd=- t_boot=-
	out=$MIGVER_QEMU_OUT/$suite
	mkdir -p "$out"
	# The later steps reuse this root instead of resolving it again.
	if ! step t_prep prepare "$suite"; then
		fail "$suite/prepare" "could not prepare the $suite root"
		timings+=("$suite prepare=${t_prep}s (failed)")
		continue
	fi
	# shellcheck disable=SC2086 # word splitting of make args is intended
	if ! step t_build bash $lib/build-module.sh "$suite" ${MIGVER_MAKE_ARGS:-}; then
		fail "$suite/build" "module build failed (see $out/build.log)"
		timings+=("$suite prepare=${t_prep}s build=${t_build}s (failed)")
		continue
	fi
	if ! step t_initrd bash $lib/initramfs.sh "$suite"; then
		fail "$suite/initramfs" "initramfs build failed"
		timings+=("$suite prepare=${t_prep}s build=${t_build}s initramfs=${t_initrd}s (failed)")
		continue
	fi
	boot_rc=0
	step t_boot bash $lib/boot.sh "$suite" "$entry" || boot_rc=$?
	timings+=("$suite prepare=${t_prep}s build=${t_build}s initramfs=${t_initrd}s boot=${t_boot}s")

	results=$out/results-$entry.log
	console=$out/console-$entry.log
	guest_cases "$suite" "$results"

	if hit=$(tr -d '\r' <"$console" 2>/dev/null | grep -a -m1 -E "$bad_re"); then
		fail "$suite/kernel-log-clean" "console: $hit (see $console)"
	else
		pass "$suite/kernel-log-clean"
	fi
	case $boot_rc in
	124) fail "$suite/boot" "timed out (see $console)" ;;
	125) fail "$suite/boot" "no MIGVER-EXIT: the guest crashed or panicked (see $console)" ;;
	0) ;;
	*) fail "$suite/guest-exit" "$entry.sh exited $boot_rc" ;;
	esac
	[ $ncases -gt 0 ] || fail "$suite/cases" "the guest reported no PASS/FAIL/SKIP line (see $results)"
done

echo "--- qemu timings (s)"
printf '  %s\n' "${timings[@]}"
results_finish qemu
