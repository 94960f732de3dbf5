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
#                               (and, when build/bench/matrix-report.md
#                               is there, item 9's table as below)
#   readme.sh update-matrix [REPORT]
#                               only item 9: REPORT's table (default
#                               build/bench/matrix-report.md, from
#                               tests/bench/matrix.sh) between the
#                               bench-matrix markers, and the method text
#   readme.sh check             exit 1 unless README's method text is the
#                               rendering of method.md with today's values
#                               and both tables carry a report's stamp
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
	local list max others
	# 10,100,1000 -> "10, 100 and 1000"
	list=$(printf '%s' "$BENCH_SCALE" | sed -e 's/,\([^,]*\)$/ and \1/' -e 's/,/, /g')
	max=$(printf '%s\n' "$BENCH_SCALE" | tr ',' '\n' | sort -n | tail -n1)
	# "semver gvt strict" -> "`gvt` and `strict`" (all but the first)
	others=$(printf '%s\n' "${BENCH_MATRIX_CHECKERS#* }" |
		sed -e 's/[a-z_0-9]\{1,\}/`&`/g' -e 's/ \([^ ]*\)$/ and \1/' -e 's/` `/`, `/g')
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
		-e "s/@MATRIX_SOURCES@/$(commas "$BENCH_MATRIX_SOURCES")/g" \
		-e "s/@MATRIX_TARGETS@/$(commas "$BENCH_MATRIX_TARGETS")/g" \
		-e "s/@MATRIX_CPU@/$BENCH_MATRIX_CPU/g" \
		-e "s/@MATRIX_ROUNDS@/$BENCH_MATRIX_ROUNDS/g" \
		-e "s/@MATRIX_RATE@/$(commas "$BENCH_MATRIX_MIN_RATE")/g" \
		-e "s/@MATRIX_RSS@/$BENCH_MATRIX_MAX_RSS_MB/g" \
		-e "s/@MATRIX_FIRST@/\`${BENCH_MATRIX_CHECKERS%% *}\`/g" \
		-e "s/@MATRIX_OTHERS@/$others/g" \
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

# put <name> <report>: <report>'s stamp and table, without its raw lines,
# into block <name>
put() {
	grep -q "^<!-- $1:begin" "$readme" || { echo "readme.sh: no $1 markers in $readme" >&2; exit 1; }
	sed -n '1,/^<!-- raw -->$/p' "$2" | sed '$d' >"$readme.report"
	replace "$1" "$readme.report"
	rm -f "$readme.report"
}

put_method() {
	grep -q "^<!-- bench-method:begin" "$readme" || { echo "readme.sh: no bench-method markers in $readme" >&2; exit 1; }
	render_method >"$readme.method"
	replace bench-method "$readme.method"
	rm -f "$readme.method"
}

case ${1:-} in
method)
	render_method
	;;
update)
	report=${2:-build/bench/report.md}
	[ -s "$report" ] || { echo "readme.sh: no report $report (run make bench)" >&2; exit 1; }
	put bench-report "$report"
	# item 9's report, written beside it by the same make bench
	matrix=$(dirname "$report")/matrix-report.md
	if [ -s "$matrix" ]; then
		put bench-matrix "$matrix"
		echo "readme.sh: $readme updated from $matrix"
	fi
	put_method
	echo "readme.sh: $readme updated from $report"
	;;
update-matrix)
	report=${2:-build/bench/matrix-report.md}
	[ -s "$report" ] || { echo "readme.sh: no report $report (run tests/bench/matrix.sh)" >&2; exit 1; }
	put bench-matrix "$report"
	put_method
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
	if ! block bench-matrix | grep -q '^Measured by `tests/bench/matrix.sh` (`make bench` item 9) at commit [0-9a-f]\{7,\}'; then
		echo "readme.sh: README's item 9 table carries no report stamp (Measured by \`tests/bench/matrix.sh\` ... at commit ...)" >&2
		exit 1
	fi
	;;
*)
	echo "usage: $0 method | update [REPORT] | update-matrix [REPORT] | check" >&2
	exit 2
	;;
esac
