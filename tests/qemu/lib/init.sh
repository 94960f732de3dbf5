#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the test initramfs (busybox sh, PID 1).
#
# Contract with tests/qemu/guest/<entry>.sh:
#   - run as `sh /tests/<entry>.sh` with cwd /tests; <entry> comes from the
#     kernel command line `migver.entry=<name>` (default: matrix);
#   - its stdout+stderr go to /dev/ttyS1 (the results port: nothing else
#     writes there, so kernel messages never interleave with results) and
#     are echoed to the console (ttyS0);
#   - result lines are "PASS <case>", "FAIL <case>: <why>",
#     "SKIP <case>: <why>"; any other line is transcript;
#   - afterwards /init writes "MIGVER-EXIT <status>" to ttyS1 and reboots;
#     QEMU runs with -no-reboot, so that ends the VM.
# Environment given to the script: PATH with /tests/bin first, MIGVER_SUITE
# (bookworm|trixie|sid), MIGVER_KVER (uname -r), MIGVER_ENTRY, HOME=/tmp.
export PATH=/tests/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

entry=matrix
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	migver.entry=*) entry=${arg#migver.entry=} ;;
	esac
done
MIGVER_KVER=$(uname -r)
MIGVER_SUITE=$(cat /etc/migver-suite)
export MIGVER_ENTRY="$entry" MIGVER_KVER MIGVER_SUITE HOME=/tmp

# Raw mode: no \n -> \r\n translation and no echo on the results port.
stty -F /dev/ttyS1 raw -echo 2>/dev/null

cd /tests || exit 1
echo "migver: running /tests/$entry.sh on $MIGVER_SUITE $MIGVER_KVER" >/dev/console
if [ -f "/tests/$entry.sh" ]; then
	# The status is passed out through a file: a pipeline's status is tee's.
	{
		sh "/tests/$entry.sh"
		echo $? >/tmp/.migver-status
	} 2>&1 | tee /dev/ttyS1 >/dev/console
	status=$(cat /tmp/.migver-status 2>/dev/null || echo 255)
else
	echo "FAIL init: no /tests/$entry.sh in the initramfs" | tee /dev/ttyS1 >/dev/console
	status=127
fi

echo "MIGVER-EXIT $status" >/dev/ttyS1
echo "MIGVER-EXIT $status" >/dev/console
sync
reboot -f
# not reached unless reboot fails; never let PID 1 exit (that panics)
while :; do sleep 60; done
