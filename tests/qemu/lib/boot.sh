#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh <suite> <entry> [--stream]
#
# Boot the suite's Debian kernel with build/qemu/<suite>/initramfs.cpio.gz
# under QEMU TCG (KVM hangs on these machines) and run guest entry <entry>.
#   ttyS0 -> build/qemu/<suite>/console-<entry>.log   (kernel + echo)
#   ttyS1 -> build/qemu/<suite>/results-<entry>.log   (results only)
# --stream: also follow the results log on stdout while the VM runs.
# Exit status: the guest's MIGVER-EXIT status; 124 on host timeout; 125 if
# the VM ended without MIGVER-EXIT (panic, oops=panic, crash).
# MIGVER_BOOT_TIMEOUT (default 600 s) bounds the whole boot (a warm guest
# needs 40-130 s; `make check` runs the debug lane beside it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: boot.sh <suite> <entry> [--stream]}
entry=${2:?usage: boot.sh <suite> <entry> [--stream]}
stream=${3:-}
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"

out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
console="$out/console-$entry.log"
results="$out/results-$entry.log"
# MIGVER_INITRD: another initramfs (entry vmm: vmm-initramfs.sh's)
initrd=${MIGVER_INITRD:-$out/initramfs.cpio.gz}
[ -f "$initrd" ] || die "no $initrd (run initramfs.sh $suite first)"
rm -f "$console" "$results" "$out/console-$entry.before-init.log"

# Fail fast: any WARN/oops panics, a panic ends QEMU at once (-no-reboot),
# slub_debug catches redzone/poison corruption; KFENCE samples every
# allocation where the kernel has it (6.12+, not 6.1).
append="console=ttyS0 panic_on_warn=1 oops=panic panic=-1 slub_debug=FZPU"
if grep -q "^CONFIG_KFENCE=y" "$root/$KERNEL_CONFIG"; then
	append="$append kfence.sample_interval=1"
fi
# The guest's clock.  TCG gives the guest the host's own TSC, but the guest
# kernel measures its rate at boot, and a starved vCPU measures it wrong: a
# debug guest found 511 MHz on this 2596 MHz host and its clock then ran
# five times too fast, ending every timeout inside it five times too early.
# So the rate measured on the host goes in (host-tsc-khz.c), and
# tsc=reliable: one counter serves both vCPUs, so the sync check and the
# clocksource watchdog, which starved reads made switch some guests to the
# slower HPET mid-run, have nothing to find.  Only on an invariant TSC.
# no_timer_check: the IO-APIC's timer test counts ticks while the TSC
# (the host's, which runs on while the vCPU is descheduled) passes 40e9/HZ
# cycles, and a starved guest then panicked "IO-APIC + timer doesn't
# work!" (3 boots of 15 make check runs; boot.sh's retry caught them).
append="$append no_timer_check"
if tsc_khz=$(host_tsc_khz); then
	append="$append tsc=reliable tsc_early_khz=$tsc_khz"
else
	log "$suite: no invariant host TSC; the guest measures its own clock"
fi
append="$append migver.entry=$entry ${MIGVER_APPEND:-}"

log "$suite: booting $KVER, entry $entry"
# QEMU's default CPU model on purpose: with -cpu max, QEMU 7.2's TCG resets
# the 7.2 kernel during ACPI init (no panic message, just gone).
# Single-threaded TCG (both vCPUs on one host thread): with multi-threaded
# TCG, text patching races the other vCPU and Debian's 7.2 (and once 6.12)
# died before init with "Oops: int3" in sched_clock_cpu in 3 of 5 boots.
# The guest still has two CPUs, so SMP paths run; boots of other lanes run
# side by side on the second host core instead.
# MIGVER_QEMU_MEM / MIGVER_QEMU_ARGS: e.g. 3072 and a -virtfs export for a
# scenario that runs a real QEMU inside the guest (see qemu-client notes).
# MIGVER_QEMU_BIN: the QEMU to run (the harness self-test substitutes a fake).
# -device pci-testdev (1b36:0005, class 0xff, no Linux driver binds it): the
# PCI function that the guest's PCI parent mode cases (guest/pci.sh) hand
# to the module; nothing else in the guest looks at it.
qemu=${MIGVER_QEMU_BIN:-qemu-system-x86_64}
timeout_s=${MIGVER_BOOT_TIMEOUT:-600}
qpid='' tpid=''
clk_tck=$(getconf CLK_TCK)
# Never leave a VM behind when this script is interrupted.
trap 'kill $qpid 2>/dev/null || true' EXIT

# run_vm: one boot; sets $status as documented above.
run_vm() {
	local line t0=$SECONDS
	rm -f "$console"
	: >"$results"
	# shellcheck disable=SC2086 # MIGVER_QEMU_ARGS is a word list on purpose
	"$qemu" -machine q35 -accel tcg,thread=single -m "${MIGVER_QEMU_MEM:-1024}" -smp 2 \
		-nodefaults -display none -no-reboot \
		-kernel "$root/$KERNEL_IMAGE" -initrd "$initrd" \
		-append "$append" \
		-serial "file:$console" -serial "file:$results" \
		-device pci-testdev ${MIGVER_QEMU_ARGS:-} \
		</dev/null >"$out/qemu-$entry.log" 2>&1 &
	qpid=$!
	if [ "$stream" = --stream ]; then
		# tail exits by itself when QEMU does; /init's own MIGVER-EXIT
		# line is left out of the live transcript (the port is raw).
		tail -n +1 -f --pid=$qpid "$results" | grep --line-buffered -av '^MIGVER-EXIT ' &
		tpid=$!
	fi

	# Host timeout: kill QEMU (by its pid) if the guest never finishes.
	# Its CPU time (utime + stime of /proc/<pid>/stat, last seen) goes
	# into the log: on this CPU-bound machine it is what a boot costs
	# the other lanes, whatever its wall time was.
	status=0
	ticks=0
	while kill -0 $qpid 2>/dev/null; do
		if [ $((SECONDS - t0)) -ge "$timeout_s" ]; then
			kill $qpid 2>/dev/null || true
			log "$suite: TIMEOUT after $timeout_s s"
			status=124
			break
		fi
		# shellcheck disable=SC2046 # the fields of stat, comm has no space
		set -- $(cat /proc/$qpid/stat 2>/dev/null) && [ $# -ge 15 ] &&
			ticks=$((${14} + ${15}))
		sleep 1
	done
	wait $qpid || true
	[ -z "$tpid" ] || wait "$tpid" || true
	log "$suite: VM ran $((SECONDS - t0)) s, QEMU's CPU $((ticks / clk_tck)) s"

	if [ $status -eq 0 ]; then
		line=$(tr -d '\r' <"$results" | grep -a '^MIGVER-EXIT ' | tail -n1 || true)
		if [ -n "$line" ]; then
			status=${line#MIGVER-EXIT }
		else
			log "$suite: no MIGVER-EXIT (guest crashed?); see $console"
			status=125
		fi
	fi
}

# A TCG guest on a loaded host sometimes dies inside the kernel's own
# boot, before /init runs: e.g. Debian's 7.2 with the clocksource watchdog
# marking the TSC unstable, then "WARNING: kernel/time/hrtimer.c:1071 at
# hrtimer_forward" in dl_task_timer, fatal under panic_on_warn (seen in the
# package lane with a load average of 6).  Nothing of ours has run then
# (/init loads every module), so that boot is retried once, logged, its
# console kept as console-<entry>.before-init.log.  A boot whose /init
# started ("migver: running /tests/...") is never retried.
run_vm
if { [ "$status" = 124 ] || [ "$status" = 125 ]; } &&
	! grep -aq '^migver: running /tests/' "$console" 2>/dev/null; then
	why=$(grep -aE -m1 'WARNING:|Oops|BUG:|Kernel panic' "$console" 2>/dev/null || true)
	log "$suite: RETRY: the guest died before /init (${why:-no kernel message}); booting once more"
	mv -f "$console" "$out/console-$entry.before-init.log" 2>/dev/null || true
	run_vm
fi
exit "$status"
