# SPDX-License-Identifier: GPL-2.0-only
# kmemleak helpers of the debug lane's guest entries (busybox sh; sourced
# after /tests/lib.sh).  The host attributes the reported objects
# (tests/debug/run.sh).
# shellcheck shell=sh

KL=/sys/kernel/debug/kmemleak

# kmemleak_baseline <case>: leak suspects from the boot itself are not ours:
# scan once and mark them as known ("clear"), so later reports hold only
# what came after.
kmemleak_baseline() {
	if [ -w "$KL" ]; then
		echo scan >"$KL"
		echo clear >"$KL"
		pass "$1"
	else
		fail "$1" "no $KL (kmemleak off or debugfs missing)"
	fi
}

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
