# SPDX-License-Identifier: GPL-2.0-only
# What the host side of every QEMU boot judges (sourced after results.sh):
# the guest's result lines and the kernel's console.

# What the kernel prints when something went wrong.
bad_re='WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|Kernel panic|general protection fault|Call Trace'

# guest_cases <prefix> <results file>: the guest's "PASS <case>",
# "FAIL <case>: <why>" and "SKIP <case>: <why>" lines (tests/qemu/guest/lib.sh)
# as cases <prefix>/<case>; other lines are transcript.  Their number goes to
# $ncases.
guest_cases() {
	local prefix=$1 line rest
	ncases=0
	while IFS= read -r line; do
		case $line in
		"PASS "*) pass "$prefix/${line#PASS }" ;;
		"FAIL "* | "SKIP "*)
			rest=${line#* }
			[ "${rest#*: }" != "$rest" ] || rest="$rest: no reason given"
			case $line in
			F*) fail "$prefix/${rest%%: *}" "${rest#*: }" ;;
			*) skip "$prefix/${rest%%: *}" "${rest#*: }" ;;
			esac ;;
		*) continue ;;
		esac
		ncases=$((ncases + 1))
	done < <(tr -d '\r' <"$2" 2>/dev/null || true)
}
