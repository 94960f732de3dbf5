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
#   8. the migver tool's QEMU image reader (fuzz_image.c): a replay of
#      tests/fuzz/image-corpus, then a third as many executions as (5),
#   9. the checker table as README's "Adding a checker" describes it:
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
plan fuzz/image-replay fuzz/image-run
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

# run_fuzzer <name> <runs> <max_len> <source>... [-- <link args>]: build
# fuzzer <name> (libFuzzer, ASan, UBSan) from the core and the sources,
# replay tests/fuzz/<name>-corpus (case fuzz/<name>-replay), then <runs>
# executions on a copy of that corpus (case fuzz/<name>-run).
run_fuzzer() {
	local name=$1 n=$2 max_len=$3 bin status execs start work
	shift 3
	bin=$out/fuzz_$name
	if ! "$CLANG" "${warn[@]}" -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		"${core[@]}" "$@" -o "$bin" >"$out/fuzz_${name}_build.log" 2>&1; then
		step_fail "fuzz/build-$name-fuzzer" "$(head -n1 "$out/fuzz_${name}_build.log")"
		sed 's/^/    /' "$out/fuzz_${name}_build.log"
		return
	fi
	step_ok "fuzz/build-$name-fuzzer (libFuzzer, ASan, UBSan)"
	if "$bin" -runs=0 "tests/fuzz/$name-corpus/"* >"$out/$name-replay.log" 2>&1; then
		pass "fuzz/$name-replay"
	else
		fail "fuzz/$name-replay" "see $out/$name-replay.log"
		tail -n 30 "$out/$name-replay.log" | sed 's/^/    /'
	fi
	work=$out/$name-corpus.work
	rm -rf "$work" "$out/$name-artifacts"
	mkdir -p "$work" "$out/$name-artifacts"
	cp "tests/fuzz/$name-corpus/"* "$work/"
	start=$SECONDS
	"$bin" -runs="$n" -max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="$out/$name-artifacts/" "$work" \
		>"$out/$name-run.log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name-run.log")
	echo "fuzz $name: ${execs:-?} of $n executions in $((SECONDS - start)) s"
	fuzz_verdict "fuzz/$name-run" "$status" "$execs" "$n"
	if [ "$status" -ne 0 ]; then
		echo "    crash input in $out/$name-artifacts, log $out/$name-run.log"
		grep -m 20 -E 'ERROR|property failed|runtime error|SUMMARY' \
			"$out/$name-run.log" | sed 's/^/    /'
	fi
}

# The migration stream: arbitrary bytes in arbitrary write sizes.
run_fuzzer stream "$runs" 12000 tests/fuzz/fuzz_stream.c

# The migver tool's inventory reader (tools/migver/matrix.c): the JSON of
# `migver list --json`, with jansson, a third as many executions (each one
# parses a document twice).
run_fuzzer inventory $((runs / 3)) 8192 tools/migver/matrix.c tools/migver/facts.c \
	tools/migver/sysfs.c tools/migver/util.c tests/fuzz/fuzz_inventory.c -ljansson

# The migver tool's QEMU image reader (tools/migver/qemu_image.c): a
# `migrate file:` image, its VFIO device blocks fed to the stream parser;
# seeds made by tests/tool/qemu-image.py from the stream seeds.
run_fuzzer image $((runs / 3)) 16384 tools/migver/qemu_image.c tools/migver/util.c \
	tests/fuzz/fuzz_image.c -ljansson

# shellcheck source=tests/fuzz/recipe.sh
source tests/fuzz/recipe.sh

results_finish fuzz
