#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A stand-in for qemu-system-x86_64 (MIGVER_QEMU_BIN) for the boot-*
# self-tests: writes what a real guest would to the two -serial files.
#   FAKE_QEMU_MODE   pre-init-once    the first boot dies inside the kernel,
#                                     the second runs /init and exits 0
#                    pre-init-always  every boot dies inside the kernel
#                    post-init        /init runs, then the guest oopses
#   FAKE_QEMU_COUNT  a file counting the boots (one line per boot)
set -u
serial=()
while [ $# -gt 0 ]; do
	[ "$1" = -serial ] && serial+=("${2#file:}")
	shift
done
console=${serial[0]:?no console} results=${serial[1]:?no results port}
echo boot >>"$FAKE_QEMU_COUNT"
n=$(wc -l <"$FAKE_QEMU_COUNT")
die_in_kernel() {
	printf '[   20.6] WARNING: kernel/time/hrtimer.c:1071 at hrtimer_forward+0x78/0xb0\n[   20.7] Kernel panic - not syncing: kernel: panic_on_warn set ...\n' >"$console"
}
case "$FAKE_QEMU_MODE:$n" in
pre-init-once:1 | pre-init-always:*) die_in_kernel ;;
pre-init-once:*)
	printf 'Linux version 6.1\nmigver: running /tests/e.sh on trixie 6.1\nMIGVER-EXIT 0\n' >"$console"
	printf 'PASS one\nMIGVER-EXIT 0\n' >"$results"
	;;
post-init:*)
	printf 'migver: running /tests/e.sh on trixie 6.1\nOops: general protection fault\n' >"$console"
	printf 'PASS one\n' >"$results"
	;;
esac
exit 0
