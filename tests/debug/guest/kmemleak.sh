# SPDX-License-Identifier: GPL-2.0-only
# kmemleak helpers of the debug lane's guest entries (busybox sh; sourced
# after /tests/lib.sh).  The host attributes the reported objects
# (tests/debug/run.sh).
# shellcheck shell=sh

KL=${KL:-/sys/kernel/debug/kmemleak}
KMEMLEAK_SETTLE=${KMEMLEAK_SETTLE:-8}

# kmemleak_baseline <case>: leak suspects from the boot itself are not ours:
# scan once and mark them as known ("clear"), so later reports hold only
# what came after.  A kmemleak that is off, disabled after an internal error
# (its writes then fail with EPERM) or missing fails here: an empty report
# from it would prove nothing.
kmemleak_baseline() {
	if [ ! -e "$KL" ]; then
		fail "$1" "no $KL (kmemleak not built in, or debugfs missing)"
	elif ! { echo scan >"$KL" && echo clear >"$KL"; } 2>/dev/null; then
		fail "$1" "writing scan/clear to $KL failed: kmemleak is disabled"
	elif dmesg 2>/dev/null | grep -q 'kmemleak: .*[Dd]isabl'; then
		fail "$1" "the kernel log says kmemleak is disabled: $(dmesg | grep -m1 'kmemleak: .*[Dd]isabl')"
	else
		pass "$1"
	fi
}

# kmemleak_report <name>: scan twice and print the suspects between
# MIGVER-KMEMLEAK-BEGIN/END <name>.  kmemleak reports only objects older
# than 5 s, and DEBUG_KOBJECT_RELEASE delays kobject releases by up to a few
# seconds: wait that out first.  Two scans, as kmemleak's documentation
# advises (a first scan can miss a pointer that was being moved).
kmemleak_report() {
	sleep "$KMEMLEAK_SETTLE"
	# No report block when the scans fail: the host then fails
	# kmemleak-<name> for the missing report.
	if ! { echo scan >"$KL" && echo scan >"$KL"; } 2>/dev/null; then
		echo "kmemleak: scan for report $1 failed (kmemleak disabled?)"
		return 0
	fi
	echo "MIGVER-KMEMLEAK-BEGIN $1"
	cat "$KL"
	echo "MIGVER-KMEMLEAK-END $1"
}
