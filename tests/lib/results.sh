# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared result bookkeeping for the test suites (sourced, not executed).
#
# Every suite prints one line per case ("PASS <name>", "FAIL <name>: <why>",
# "SKIP <name>: <reason>") and, when it ends, writes its totals to
# $MIGVER_RESULTS/<suite>.counts as "<passed> <failed> <skipped>" so that
# tests/run-all.sh can print the one closing line for all suites.
#
# The plan (like KTAP's "1..N"): before it runs anything, a lane names every
# case it must report (plan, plan_file).  results_finish fails each planned
# case that never reported, each reported case the plan does not name and
# each case reported twice, so a lane that stops early, or a suite that
# stops registering cases, can never just lower the total.  A lane without
# a plan fails.
#
# Build steps are not cases: step_ok prints "OK <step>" and counts nothing;
# step_fail counts one failure (the planned cases the step would have led to
# are then missing, and fail as well).
#
# Skips: a lane (or a group checked with all_skipped_check) whose every case
# was skipped fails, unless every skip names a documented platform limit:
# its reason starts with "limit:<id>" and <id> is listed in
# tests/lib/platform-limits.  A skip naming an unlisted limit fails.

: "${MIGVER_RESULTS:=$(pwd)/build/results}"
mkdir -p "$MIGVER_RESULTS"
RESULTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLATFORM_LIMITS=$RESULTS_LIB/platform-limits

results_passed=0
results_failed=0
results_skipped=0
results_has_plan=0
declare -A results_plan=() results_seen=()
results_order=()
results_skip_reasons=()

_results_seen() {
	results_seen[$1]=$((${results_seen[$1]:-0} + 1))
}

pass() {
	results_passed=$((results_passed + 1))
	_results_seen "$1"
	printf 'PASS %s\n' "$1"
}

fail() {
	results_failed=$((results_failed + 1))
	_results_seen "$1"
	printf 'FAIL %s: %s\n' "$1" "${2:-failed}"
}

# limit_known <id>: is <id> a documented platform limit?
limit_known() {
	awk -v id="$1" '!/^#/ && $1 == id { found = 1 } END { exit !found }' \
		"$PLATFORM_LIMITS" 2>/dev/null
}

skip() {
	local reason=${2:?a skip needs a reason} id
	case $reason in
	limit:*)
		id=${reason#limit:}
		id=${id%%[: ]*}
		if ! limit_known "$id"; then
			fail "$1" "skipped citing limit '$id', which tests/lib/platform-limits does not list ($reason)"
			return
		fi
		;;
	esac
	results_skipped=$((results_skipped + 1))
	_results_seen "$1"
	results_skip_reasons+=("$reason")
	printf 'SKIP %s: %s\n' "$1" "$reason"
}

step_ok() {
	printf 'OK %s\n' "$1"
}

step_fail() {
	results_failed=$((results_failed + 1))
	printf 'FAIL %s: %s\n' "$1" "${2:-failed}"
}

# plan <case>...: cases this lane must report, each exactly once.
plan() {
	local c
	results_has_plan=1
	for c in "$@"; do
		[ -z "${results_plan[$c]:-}" ] || continue
		results_plan[$c]=1
		results_order+=("$c")
	done
}

# plan_file <file> [prefix]: the cases listed in <file>, one per line
# ('#' comments and blank lines ignored), each as <prefix><case>.  A missing
# plan file is an error of the lane, not an empty plan.
plan_file() {
	local line
	if [ ! -r "$1" ]; then
		step_fail "plan" "no plan file $1"
		results_has_plan=1
		return 1
	fi
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		plan "${2:-}$line"
	done <"$1"
}

# all_skipped_check <name> <passed> <failed> <reason>...: fail <name> when
# a group ran nothing but skips and not every reason is a documented limit.
all_skipped_check() {
	local name=$1 p=$2 f=$3 r
	shift 3
	[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ $# -gt 0 ] || return 0
	for r in "$@"; do
		case $r in
		limit:*) ;;
		*)
			step_fail "$name" "every case was skipped, not all for a documented platform limit (e.g. '$r')"
			return 1
			;;
		esac
	done
}

# results_finish <suite>: check the plan, write the counts, print the
# suite's summary and return non-zero if anything failed or nothing ran.
results_finish() {
	local c n missing=0 extra=0
	if [ "$results_has_plan" -eq 0 ]; then
		step_fail "$1/plan" "the lane declared no plan"
	fi
	for c in "${results_order[@]}"; do
		if [ -z "${results_seen[$c]:-}" ]; then
			step_fail "$c" "planned but never reported"
			missing=$((missing + 1))
		fi
	done
	for c in "${!results_seen[@]}"; do
		n=${results_seen[$c]}
		if [ -z "${results_plan[$c]:-}" ]; then
			step_fail "$c" "reported but not in the plan"
			extra=$((extra + 1))
		elif [ "$n" -gt 1 ]; then
			step_fail "$c" "reported $n times"
			extra=$((extra + 1))
		fi
	done
	all_skipped_check "$1/all-skipped" "$results_passed" "$results_failed" \
		"${results_skip_reasons[@]}" || true
	printf '%s %s %s\n' "$results_passed" "$results_failed" \
		"$results_skipped" >"$MIGVER_RESULTS/$1.counts"
	printf '== %s: %s passed, %s failed, %s skipped (plan: %s cases, %s missing, %s unplanned or repeated)\n' \
		"$1" "$results_passed" "$results_failed" "$results_skipped" \
		"${#results_order[@]}" "$missing" "$extra"
	[ "$results_failed" -eq 0 ] && [ $((results_passed + results_skipped)) -gt 0 ]
}
