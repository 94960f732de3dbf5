# SPDX-License-Identifier: GPL-2.0-only
# Shared result bookkeeping for the test suites (sourced, not executed).
#
# Every suite prints one line per case ("PASS <name>", "FAIL <name>: <why>",
# "SKIP <name>: <reason>") and, when it ends, writes its totals to
# $MIGVER_RESULTS/<suite>.counts as "<passed> <failed> <skipped>" so that
# tests/run-all.sh can print the one closing line for all suites.

: "${MIGVER_RESULTS:=$(pwd)/build/results}"
mkdir -p "$MIGVER_RESULTS"

results_passed=0
results_failed=0
results_skipped=0

pass() {
	results_passed=$((results_passed + 1))
	printf 'PASS %s\n' "$1"
}

fail() {
	results_failed=$((results_failed + 1))
	printf 'FAIL %s: %s\n' "$1" "${2:-failed}"
}

skip() {
	results_skipped=$((results_skipped + 1))
	printf 'SKIP %s: %s\n' "$1" "${2:?a skip needs a reason}"
}

# Add counts measured elsewhere (e.g. a KTAP summary): add_counts P F S
add_counts() {
	results_passed=$((results_passed + $1))
	results_failed=$((results_failed + $2))
	results_skipped=$((results_skipped + ${3:-0}))
}

# results_finish <suite>: write the counts, print the suite's summary and
# return non-zero if anything failed or nothing ran at all.
results_finish() {
	printf '%s %s %s\n' "$results_passed" "$results_failed" \
		"$results_skipped" >"$MIGVER_RESULTS/$1.counts"
	printf '== %s: %s passed, %s failed, %s skipped\n' "$1" \
		"$results_passed" "$results_failed" "$results_skipped"
	[ "$results_failed" -eq 0 ] && [ $((results_passed + results_skipped)) -gt 0 ]
}
