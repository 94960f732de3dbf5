#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `debug` of the debug lane (tests/debug/run.sh), run by the
# QEMU harness's /init as /tests/debug.sh on the debug kernel (busybox sh).
# One boot does all three parts, because the kmemleak scan at the end must
# see everything the KUnit module and the matrix allocated:
#   1. KUnit: mdev_migver_kunit.ko runs its suites while loading; each
#      suite's KTAP from debugfs goes out between MIGVER-KTAP-BEGIN/END
#      lines (the host parses it with the tree's kunit.py);
#   2. the driver scenarios, /tests/matrix.sh, unchanged;
#   3. kmemleak: two scans, the report between MIGVER-KMEMLEAK-BEGIN/END
#      (the host attributes the objects); also once after part 1.
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

KL=/sys/kernel/debug/kmemleak
KU=/sys/kernel/debug/kunit

# Leak suspects from the boot itself are not ours: scan once and mark them
# as known ("clear"), so the final report holds only what came after.
if [ -w "$KL" ]; then
	echo scan >"$KL"
	echo clear >"$KL"
	pass kmemleak-baseline
else
	fail kmemleak-baseline "no $KL (kmemleak off or debugfs missing)"
fi

# kmemleak_report <name>: scan twice and print the suspects between
# MIGVER-KMEMLEAK-BEGIN/END <name>.  kmemleak reports only objects older
# than 5 s, and DEBUG_KOBJECT_RELEASE delays kobject releases by up to a few
# seconds: wait that out first.  Two scans, as kmemleak's documentation
# advises (a first scan can miss a pointer that was being moved).
kmemleak_report() {
	[ -w "$KL" ] || return 0
	sleep 8
	echo scan >"$KL"
	echo scan >"$KL"
	echo "MIGVER-KMEMLEAK-BEGIN $1"
	cat "$KL"
	echo "MIGVER-KMEMLEAK-END $1"
}

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

# A leak check of the KUnit module on its own, before the scenarios: it
# still gives a verdict when a scenario ends the boot early.
kmemleak_report after-kunit

# ---- 2. the driver scenarios -----------------------------------------------
sh /tests/matrix.sh
mstatus=$?

# ---- 3. kmemleak -----------------------------------------------------------
kmemleak_report after-matrix
finish
[ "$mstatus" -eq 0 ] && [ "$nfail" -eq 0 ]
