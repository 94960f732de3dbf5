# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# What the host side of every QEMU boot judges (sourced after results.sh):
# the guest's result lines, the kernel's console and how the boot ended.
# Used by every lane that boots a guest (qemu, package, debug, bench, demo).

# What the kernel prints when something went wrong.  Matched case-sensitively
# so benign lines such as "kfence: initialized" do not hit.
bad_re='WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|Kernel panic|general protection fault|Call Trace'

# guest_cases <prefix> <results file>: the guest's "PASS <case>",
# "FAIL <case>: <why>" and "SKIP <case>: <why>" lines (tests/qemu/guest/lib.sh)
# as cases <prefix>/<case>; other lines are transcript.  Their number goes to
# $ncases.  An entry whose every case was skipped fails as <prefix>/all-skipped
# unless each skip names a documented platform limit.
guest_cases() {
	local prefix=$1 line rest np=0 nf=0
	local -a reasons=()
	ncases=0
	while IFS= read -r line; do
		case $line in
		"PASS "*)
			pass "$prefix/${line#PASS }"
			np=$((np + 1))
			;;
		"FAIL "* | "SKIP "*)
			rest=${line#* }
			[ "${rest#*: }" != "$rest" ] || rest="$rest: no reason given"
			case $line in
			F*)
				fail "$prefix/${rest%%: *}" "${rest#*: }"
				nf=$((nf + 1))
				;;
			*)
				skip "$prefix/${rest%%: *}" "${rest#*: }"
				reasons+=("${rest#*: }")
				;;
			esac
			;;
		*) continue ;;
		esac
		ncases=$((ncases + 1))
	done < <(tr -d '\r' <"$2" 2>/dev/null || true)
	all_skipped_check "$prefix/all-skipped" "$np" "$nf" "${reasons[@]}" || true
}

# kernel_log_clean <case> <console log> [extra pattern]: the console holds no
# report of the kernel's checkers.  A missing or empty console is a failure:
# it proves nothing.
kernel_log_clean() {
	local re=$bad_re hit
	[ -z "${3:-}" ] || re="$re|$3"
	if [ ! -s "$2" ]; then
		fail "$1" "console log $2 is missing or empty"
	elif hit=$(tr -d '\r' <"$2" | grep -a -m1 -E "$re"); then
		fail "$1" "console: $hit (see $2)"
	else
		pass "$1"
	fi
}

# boot_clear <dir> <entry>: remove an earlier boot's logs of <entry>, so a
# boot that fails before it starts can never be judged on stale results.
boot_clear() {
	rm -f "$1/console-$2.log" "$1/results-$2.log" "$1/qemu-$2.log"
}

# boot_status <prefix> <entry> <status of boot.sh> <console>: how the boot
# ended.  Nothing is counted for a clean end (the cases are the test);
# a timeout, a crash or a non-zero guest exit is one failure.
boot_status() {
	case $3 in
	0) ;;
	124) step_fail "$1/boot" "timed out (see $4)" ;;
	125) step_fail "$1/boot" "no MIGVER-EXIT: the guest crashed or panicked (see $4)" ;;
	*) step_fail "$1/guest-exit" "$2.sh exited $3" ;;
	esac
}

# boot_verdict <prefix> <entry> <status> <out dir> [extra console pattern]:
# the guest's cases as <prefix>/<case>, <prefix>/kernel-log-clean and the
# boot's end, for one boot of tests/qemu/lib/boot.sh.
boot_verdict() {
	local prefix=$1 entry=$2 rc=$3 dir=$4
	guest_cases "$prefix" "$dir/results-$entry.log"
	kernel_log_clean "$prefix/kernel-log-clean" "$dir/console-$entry.log" "${5:-}"
	boot_status "$prefix" "$entry" "$rc" "$dir/console-$entry.log"
}

# guest_plan <prefix> <entry plan file>...: plan the cases of one boot,
# <prefix>/<case> for each listed case plus <prefix>/kernel-log-clean.
guest_plan() {
	local prefix=$1 f
	shift
	for f in "$@"; do
		plan_file "$f" "$prefix/"
	done
	plan "$prefix/kernel-log-clean"
}
