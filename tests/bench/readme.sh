#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# README's Performance numbers, traceable to a run:
#
#   readme.sh method            print tests/bench/method.md with the values
#                               of tests/qemu/guest/bench-params.sh
#   readme.sh update [REPORT]   write REPORT's table (default
#                               build/bench/report.md, from `make bench`)
#                               and the method text into README.md, between
#                               the bench-report and bench-method markers
#   readme.sh check             exit 1 unless README's method text is the
#                               rendering of method.md with today's values
#                               and its table carries a report's stamp
#                               (the lint lane's readme-bench case)
#
# So README never names a number the bench code does not use, and its
# table says which commit, kernel and day produced it.
set -euo pipefail
cd "$(dirname "$0")/../.."
readme=${MIGVER_README:-README.md}

# shellcheck source=tests/qemu/guest/bench-params.sh
. tests/qemu/guest/bench-params.sh

commas() { # 2000000 -> 2,000,000
	printf '%s' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'
}

render_method() {
	local list max
	# 10,100,1000 -> "10, 100 and 1000"
	list=$(printf '%s' "$BENCH_SCALE" | sed -e 's/,\([^,]*\)$/ and \1/' -e 's/,/, /g')
	max=$(printf '%s\n' "$BENCH_SCALE" | tr ',' '\n' | sort -n | tail -n1)
	sed -e "s/@LAT_TOTAL@/$(commas $((BENCH_LAT_ITERS * BENCH_LAT_ROUNDS)))/g" \
		-e "s/@LAT_WARMUP@/$(commas "$BENCH_LAT_WARMUP")/g" \
		-e "s/@CYCLES@/$(commas "$BENCH_CYCLES")/g" \
		-e "s/@MEM_LIVE@/$BENCH_MEM_LIVE/g" \
		-e "s/@SCALE_LIST@/$list/g" \
		-e "s/@SCALE_EXTRA@/$BENCH_SCALE_EXTRA/g" \
		-e "s/@BUDGET@/$((max + BENCH_SCALE_EXTRA + BENCH_MEM_LIVE))/g" \
		-e "s/@CORE_ROUNDS@/$BENCH_CORE_ROUNDS/g" \
		-e "s/@CORE_ITERS@/$(commas "$BENCH_CORE_ITERS")/g" \
		-e "s/@MIG_ROUNDS@/$BENCH_MIG_ROUNDS/g" \
		-e "s/@MIG_ROUNDS2@/$((2 * BENCH_MIG_ROUNDS))/g" \
		-e "s/@MIG_WSET@/$BENCH_MIG_WSET/g" \
		-e "s/@MIG_WSET_KIB@/$((4 * BENCH_MIG_WSET))/g" \
		tests/bench/method.md
}

# block <name>: README's lines between <!-- <name>:begin ...--> and
# <!-- <name>:end -->
block() {
	awk -v b="<!-- $1:begin" -v e="<!-- $1:end -->" '
		index($0, e) == 1 { on = 0 }
		on { print }
		index($0, b) == 1 { on = 1 }' "$readme"
}

# replace <name> <file>: README with block <name>'s lines replaced by <file>
replace() {
	awk -v b="<!-- $1:begin" -v e="<!-- $1:end -->" -v f="$2" '
		index($0, b) == 1 { print; while ((getline l < f) > 0) print l; skip = 1; next }
		index($0, e) == 1 { skip = 0 }
		!skip { print }' "$readme" >"$readme.tmp"
	mv "$readme.tmp" "$readme"
}

case ${1:-} in
method)
	render_method
	;;
update)
	report=${2:-build/bench/report.md}
	[ -s "$report" ] || { echo "readme.sh: no report $report (run make bench)" >&2; exit 1; }
	for m in bench-report bench-method; do
		grep -q "^<!-- $m:begin" "$readme" || { echo "readme.sh: no $m markers in $readme" >&2; exit 1; }
	done
	# the report's stamp and table, without its raw lines
	sed -n '1,/^<!-- raw -->$/p' "$report" | sed '$d' >"$readme.report"
	replace bench-report "$readme.report"
	render_method >"$readme.method"
	replace bench-method "$readme.method"
	rm -f "$readme.report" "$readme.method"
	echo "readme.sh: $readme updated from $report"
	;;
check)
	if ! diff -u --label "README.md (bench-method)" --label "method.md + bench-params.sh" \
		<(block bench-method) <(render_method); then
		echo "readme.sh: README's method text differs from what the bench does; run tests/bench/readme.sh update" >&2
		exit 1
	fi
	if ! block bench-report | grep -q '^Measured by `make bench` at commit [0-9a-f]\{7,\}'; then
		echo "readme.sh: README's bench table carries no report stamp (Measured by \`make bench\` at commit ...)" >&2
		exit 1
	fi
	;;
*)
	echo "usage: $0 method | update [REPORT] | check" >&2
	exit 2
	;;
esac
