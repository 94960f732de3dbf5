#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Userspace lane for the version-string core (src/core):
#   1. gcc -Werror build of every core file as plain userspace objects
#      (catches anything that only works because of kernel headers),
#   2. the same with clang,
#   3. the seed corpus self-check (valid seeds parse, "-bad-" seeds do not),
#   4. the libFuzzer + ASan + UBSan build,
#   5. a replay of the committed corpus, then a bounded fuzz run on a copy
#      of it (the committed corpus is never modified),
#   6. the migration stream's fuzzer (fuzz_stream.c): a replay of its seed
#      corpus (tests/fuzz/stream-corpus), then as many executions as (5),
#   7. the migver tool's inventory reader (fuzz_inventory.c, jansson): a
#      replay of tests/fuzz/inventory-corpus, then a third as many
#      executions as (5),
#   8. the checker table as README's "Adding a checker" describes it:
#      every checker named in the parameter description and README, and
#      the recipe followed on a copy of the core (tests/fuzz/recipe.sh).
#
#   run.sh          bounded run: 300000 executions of each fuzzer
#   run.sh --long   10,000,000 executions of each
#
# The builds (1, 2, 4) are steps, not cases; the cases are the plan below.
# The fuzz run fails when fewer executions ran than requested: it is bounded
# by count, never by time, so a loaded machine takes longer instead of
# testing less.
#
# Needs (Debian 12): build-essential clang libclang-rt-14-dev libjansson-dev
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/results.sh
source tests/lib/verdicts.sh

runs=300000
case "${1:-}" in
--long)
	runs=10000000
	;;
"") ;;
*)
	echo "usage: $0 [--long]" >&2
	exit 2
	;;
esac

# A long run may use its own directory so a concurrent `make check` does
# not rebuild the binary or wipe the working corpus under it.
out=${MIGVER_FUZZ_OUT:-build/fuzz}
mkdir -p "$out"
plan fuzz/corpus-self-check fuzz/corpus-replay fuzz/run
plan fuzz/stream-replay fuzz/stream-run
plan fuzz/inventory-replay fuzz/inventory-run
# README's checker table and "Adding a checker" recipe (recipe.sh)
plan fuzz/checker-table-named fuzz/recipe-builds fuzz/recipe-properties-hold \
	fuzz/recipe-catches-broken
core=(src/core/*.c)
warn=(-std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Iinclude)
CLANG=${CLANG:-clang-14}
command -v "$CLANG" >/dev/null || CLANG=clang

build_objs() { # <name> <compiler>
	local cc=$2 f log="$out/$1.log" ok=1

	: >"$log"
	mkdir -p "$out/$1"
	for f in "${core[@]}"; do
		"$cc" "${warn[@]}" -O2 -c "$f" \
			-o "$out/$1/$(basename "$f" .c).o" >>"$log" 2>&1 || ok=0
	done
	if [ "$ok" = 1 ]; then
		step_ok "fuzz/build-$1 (userspace -Werror build of src/core)"
	else
		step_fail "fuzz/build-$1" "userspace build of src/core: $(head -n1 "$log")"
		sed 's/^/    /' "$log"
	fi
}

build_objs gcc gcc
build_objs clang "$CLANG"

if gcc "${warn[@]}" -O1 "${core[@]}" tests/fuzz/corpus_check.c \
	-o "$out/corpus_check" >"$out/corpus_check.log" 2>&1 &&
	"$out/corpus_check" tests/fuzz/corpus/* >"$out/corpus_check.out"; then
	pass fuzz/corpus-self-check
else
	fail fuzz/corpus-self-check "$(grep -m1 -E 'WRONG|error' \
		"$out/corpus_check.log" "$out/corpus_check.out")"
fi

fuzzer=$out/fuzz_migver
if "$CLANG" "${warn[@]}" -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"${core[@]}" tests/fuzz/fuzz_migver.c tests/fuzz/parse_ref.c -o "$fuzzer" \
	>"$out/fuzz_build.log" 2>&1; then
	step_ok "fuzz/build-fuzzer (libFuzzer, ASan, UBSan)"
else
	step_fail fuzz/build-fuzzer "$(head -n1 "$out/fuzz_build.log")"
	sed 's/^/    /' "$out/fuzz_build.log"
	results_finish fuzz
	exit 1
fi

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if "$fuzzer" -runs=0 tests/fuzz/corpus/* >"$out/replay.log" 2>&1; then
	pass fuzz/corpus-replay
else
	fail fuzz/corpus-replay "see $out/replay.log"
	tail -n 30 "$out/replay.log" | sed 's/^/    /'
fi

work=$out/corpus.work
rm -rf "$work" "$out/artifacts"
mkdir -p "$work" "$out/artifacts"
cp tests/fuzz/corpus/* "$work/"
start=$SECONDS
"$fuzzer" -runs="$runs" -max_len=1100 \
	-dict=tests/fuzz/migver.dict -print_final_stats=1 \
	-artifact_prefix="$out/artifacts/" "$work" >"$out/run.log" 2>&1
status=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/run.log")
echo "fuzz: ${execs:-?} of $runs executions in $((SECONDS - start)) s"
fuzz_verdict fuzz/run "$status" "$execs" "$runs"
if [ "$status" -ne 0 ]; then
	echo "    crash input in $out/artifacts, log $out/run.log"
	grep -m 20 -E 'ERROR|property failed|runtime error|SUMMARY' \
		"$out/run.log" | sed 's/^/    /'
fi

# The migration stream: arbitrary bytes in arbitrary write sizes.
sfuzzer=$out/fuzz_stream
if "$CLANG" "${warn[@]}" -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"${core[@]}" tests/fuzz/fuzz_stream.c -o "$sfuzzer" \
	>"$out/fuzz_stream_build.log" 2>&1; then
	step_ok "fuzz/build-stream-fuzzer (libFuzzer, ASan, UBSan)"
	if "$sfuzzer" -runs=0 tests/fuzz/stream-corpus/* \
		>"$out/stream-replay.log" 2>&1; then
		pass fuzz/stream-replay
	else
		fail fuzz/stream-replay "see $out/stream-replay.log"
		tail -n 30 "$out/stream-replay.log" | sed 's/^/    /'
	fi
	swork=$out/stream-corpus.work
	rm -rf "$swork" "$out/stream-artifacts"
	mkdir -p "$swork" "$out/stream-artifacts"
	cp tests/fuzz/stream-corpus/* "$swork/"
	start=$SECONDS
	"$sfuzzer" -runs="$runs" -max_len=12000 -print_final_stats=1 \
		-artifact_prefix="$out/stream-artifacts/" "$swork" \
		>"$out/stream-run.log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$out/stream-run.log")
	echo "fuzz stream: ${execs:-?} of $runs executions in $((SECONDS - start)) s"
	fuzz_verdict fuzz/stream-run "$status" "$execs" "$runs"
	if [ "$status" -ne 0 ]; then
		echo "    crash input in $out/stream-artifacts, log $out/stream-run.log"
		grep -m 20 -E 'ERROR|property failed|runtime error|SUMMARY' \
			"$out/stream-run.log" | sed 's/^/    /'
	fi
else
	step_fail fuzz/build-stream-fuzzer "$(head -n1 "$out/fuzz_stream_build.log")"
	sed 's/^/    /' "$out/fuzz_stream_build.log"
fi

# The migver tool's inventory reader (tools/migver/matrix.c): the JSON of
# `migver list --json`, with jansson, a third as many executions (each one
# parses a document twice).
ifuzzer=$out/fuzz_inventory
iruns=$((runs / 3))
if "$CLANG" "${warn[@]}" -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"${core[@]}" tools/migver/matrix.c tools/migver/facts.c \
	tools/migver/sysfs.c tools/migver/util.c tests/fuzz/fuzz_inventory.c \
	-ljansson -o "$ifuzzer" >"$out/fuzz_inventory_build.log" 2>&1; then
	step_ok "fuzz/build-inventory-fuzzer (libFuzzer, ASan, UBSan)"
	if "$ifuzzer" -runs=0 tests/fuzz/inventory-corpus/* \
		>"$out/inventory-replay.log" 2>&1; then
		pass fuzz/inventory-replay
	else
		fail fuzz/inventory-replay "see $out/inventory-replay.log"
		tail -n 30 "$out/inventory-replay.log" | sed 's/^/    /'
	fi
	iwork=$out/inventory-corpus.work
	rm -rf "$iwork" "$out/inventory-artifacts"
	mkdir -p "$iwork" "$out/inventory-artifacts"
	cp tests/fuzz/inventory-corpus/* "$iwork/"
	start=$SECONDS
	"$ifuzzer" -runs="$iruns" -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$out/inventory-artifacts/" "$iwork" \
		>"$out/inventory-run.log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$out/inventory-run.log")
	echo "fuzz inventory: ${execs:-?} of $iruns executions in $((SECONDS - start)) s"
	fuzz_verdict fuzz/inventory-run "$status" "$execs" "$iruns"
	if [ "$status" -ne 0 ]; then
		echo "    crash input in $out/inventory-artifacts, log $out/inventory-run.log"
		grep -m 20 -E 'ERROR|property failed|runtime error|SUMMARY' \
			"$out/inventory-run.log" | sed 's/^/    /'
	fi
else
	step_fail fuzz/build-inventory-fuzzer "$(head -n1 "$out/fuzz_inventory_build.log")"
	sed 's/^/    /' "$out/fuzz_inventory_build.log"
fi

# shellcheck source=tests/fuzz/recipe.sh
source tests/fuzz/recipe.sh

results_finish fuzz
