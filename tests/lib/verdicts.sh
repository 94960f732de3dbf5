# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Verdicts on the output of external checkers (sourced after results.sh).
# Each turns what a tool wrote into one case, and treats a tool that did
# not run, crashed or said nothing as a failure, never as a clean report.
# The harness self-tests (tests/harness/run.sh) feed each one broken input.

# lintian_verdict <case> <output file> <exit status file> <package>:
# lintian --show-overrides must have shown <package>'s overridden tags (the
# package ships overrides, so this proves lintian read it), exited 0 or 1
# (2 is an internal error) and reported no E: tag.
lintian_verdict() {
	local c=$1 out=$2 st=$3 pkg=$4 status
	status=$(cat "$st" 2>/dev/null)
	if [ ! -s "$out" ]; then
		fail "$c" "lintian wrote nothing to $out (not installed, or it crashed)"
	elif [ -z "$status" ]; then
		fail "$c" "no exit status of lintian in $st (it did not run)"
	elif [ "$status" != 0 ] && [ "$status" != 1 ]; then
		fail "$c" "lintian exited $status (an internal error), see $out"
	elif ! grep -q "^O: $pkg: " "$out"; then
		fail "$c" "lintian's output shows none of $pkg's overrides (did it check the package?), see $out"
	elif grep -q '^E: ' "$out"; then
		fail "$c" "$(grep -c '^E: ' "$out") errors: $(grep '^E: ' "$out" | head -n3 | tr '\n' ' ')"
	else
		pass "$c"
	fi
}

# rpmlint_verdict <case> <output file> <packages> <specfiles>: rpmlint's
# summary must say it checked exactly that many packages and spec files and
# found 0 errors.
rpmlint_verdict() {
	local c=$1 out=$2 want="$3 packages and $4 specfiles checked" summary errors
	summary=$(grep -E '^ *[0-9]+ packages and [0-9]+ specfiles checked; [0-9]+ errors?, [0-9]+ warnings?' \
		"$out" 2>/dev/null | tail -n1)
	errors=$(echo "$summary" | sed -n 's/.*checked; \([0-9]\+\) errors\?,.*/\1/p')
	if [ ! -s "$out" ]; then
		fail "$c" "rpmlint wrote nothing to $out (not installed, or it crashed)"
	elif [ -z "$summary" ]; then
		fail "$c" "no rpmlint summary in $out (it crashed?): $(tail -n1 "$out")"
	elif [ "${summary#*"$want"}" = "$summary" ]; then
		fail "$c" "rpmlint checked something else than $want: $summary"
	elif [ "$errors" != 0 ]; then
		fail "$c" "$summary (see $out)"
	else
		pass "$c"
	fi
}

# fuzz_verdict <case> <exit status> <executions done> <executions asked>:
# a clean exit is not enough; every requested execution must have run.
fuzz_verdict() {
	if [ "$2" -ne 0 ]; then
		fail "$1" "libFuzzer exited $2 after ${3:-?} executions"
	elif ! [ "${3:-0}" -ge "$4" ] 2>/dev/null; then
		fail "$1" "only ${3:-no} of $4 requested executions ran"
	else
		pass "$1"
	fi
}
