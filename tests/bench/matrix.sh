#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/bench/matrix.sh: `make bench` item 9, the issue's hard target for
# the migver tool, on the host (no QEMU, no lock needed; `make bench` runs
# it after its VM has ended):
#
#   `migver matrix --sources S --targets T --json` on 1,000 source devices
#   x 1,000 target types: >= 5 million checks per second on one core,
#   peak RSS below 64 MB.
#
# The inventories come from tests/bench/matrix_gen.c (fixed seed, schema
# migver/1).  Each checker's matrix is run once untimed to check what it
# answers (every cell present, the verdict counts equal to the core loop's
# on the same parsed pairs), then the tool and the baseline (matrix_gen
# core: the bare loop of the checker over the same parsed pairs, no JSON in
# or out) alternate, pinned to one CPU; the best run of each counts (the
# machine is shared: the slowest runs measure the neighbours).
#
# Unlike the other rows, a missed target is a failure: the last line says
# which, and the exit status is 1.  Report: build/bench/matrix-report.md
# (stamp, table, raw lines; tests/bench/readme.sh update-matrix copies it
# into README).  Env: MIGVER_BENCH_OUT (default build/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/qemu/guest/bench-params.sh
. tests/qemu/guest/bench-params.sh
# shellcheck source=tests/bench/commit.sh
. tests/bench/commit.sh
out=${MIGVER_BENCH_OUT:-$PWD/build/bench}/matrix
mkdir -p "$out"
nsrc=$BENCH_MATRIX_SOURCES
ndst=$BENCH_MATRIX_TARGETS
cpu=$BENCH_MATRIX_CPU
load0=$(cut -d' ' -f1-3 /proc/loadavg)

# The tool as a release build (-O2, its Makefile's default), the generator
# with the flags of item 5.
make -s -C tools/migver O="$out/tool" >/dev/null
migver=$out/tool/migver
gcc -std=gnu11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Iinclude src/core/*.c \
	tests/bench/matrix_gen.c -o "$out/matrix_gen"
gen=$out/matrix_gen
"$gen" write "$nsrc" "$ndst" "$out/sources.json" "$out/targets.json"

commas() { # 2000000 -> 2,000,000
	printf '%s' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'
}

# verdicts FILE: "compatible=N format=N ..." of a matrix's JSON results
# (the cells are the only bare strings at 6 spaces of indent)
verdicts() {
	awk '/^      "[a-z]+",?$/ { gsub(/[ ",]/, ""); n[$0]++ }
		END { split("compatible format unsupported hardware type software", r, " ")
			for (i = 1; i <= 6; i++) printf "%s%s=%d", (i > 1 ? " " : ""), r[i], n[r[i]] }' "$1"
}

raw=$out/raw.txt
: >"$raw"
for checker in $BENCH_MATRIX_CHECKERS; do
	args=(matrix --sources "$out/sources.json" --targets "$out/targets.json" --json)
	# the first checker is the one the targets name: run as a user would
	[ "$checker" = "${BENCH_MATRIX_CHECKERS%% *}" ] || args+=(--checker "$checker")
	"$migver" "${args[@]}" >"$out/matrix-$checker.json"
	grep -q "^  \"checker\": \"$checker\",\$" "$out/matrix-$checker.json" || {
		echo "bench: migver matrix did not run the $checker checker" >&2
		exit 1
	}
	# one whole JSON document, laid out as jansson's JSON_INDENT(2) (the
	# results array is written by hand: python's indent=2 is the same)
	if [ "$checker" = "${BENCH_MATRIX_CHECKERS%% *}" ] &&
		! python3 -c 'import json, sys
sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), indent=2) + "\n")' \
			"$out/matrix-$checker.json" | cmp -s - "$out/matrix-$checker.json"; then
		echo "bench: migver matrix --json wrote something else than indented JSON" >&2
		exit 1
	fi
	got=$(verdicts "$out/matrix-$checker.json")
	core=$("$gen" core "$nsrc" "$ndst" "$checker" 1)
	want=${core#core * }
	if [ "$got" != "$want" ]; then
		echo "bench: migver matrix ($checker) answers $got, the core loop $want" >&2
		exit 1
	fi
	case " $got " in
	*=0\ *) echo "bench: a verdict is missing from the generated matrix: $got" >&2; exit 1 ;;
	esac
	best=0 rss=0 cpu_s=0 core_best=0
	for ((r = 0; r < BENCH_MATRIX_ROUNDS; r++)); do
		# tool, core, core, tool, ...
		for side in $(if ((r % 2)); then echo core tool; else echo tool core; fi); do
			if [ "$side" = tool ]; then
				read -r _ wall kb user sys rc < <("$gen" time "$cpu" "$migver" "${args[@]}")
				[ "$rc" = 0 ] || { echo "bench: migver matrix exited $rc" >&2; exit 1; }
				echo "run $checker wall=$wall rss_kb=$kb user=$user sys=$sys" >>"$raw"
				if awk -v a="$wall" -v b="$best" 'BEGIN { exit !(b == 0 || a < b) }'; then
					best=$wall cpu_s=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
				fi
				if ((kb > rss)); then rss=$kb; fi
			else
				c=$(taskset -c "$cpu" "$gen" core "$nsrc" "$ndst" "$checker" 1 | cut -d' ' -f2)
				echo "run $checker core=$c" >>"$raw"
				if ((c > core_best)); then core_best=$c; fi
			fi
		done
	done
	echo "matrix $checker cells=$((nsrc * ndst)) wall=$best cpu=$cpu_s rss_kb=$rss core=$core_best $got" >>"$raw"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

table=$out/table.md
fails=$out/fails.txt
: >"$fails"
awk -v min="$BENCH_MATRIX_MIN_RATE" -v maxmb="$BENCH_MATRIX_MAX_RSS_MB" -v fails="$fails" \
	-v first="${BENCH_MATRIX_CHECKERS%% *}" -v nsrc="$nsrc" -v ndst="$ndst" '
	function commas(x,   s) {
		s = sprintf("%.0f", x)
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return s
	}
	$1 == "matrix" {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		rate = v["cells"] / v["wall"]; mb = v["rss_kb"] / 1024
		tgt = $2 == first
		printf "| 9 | `migver matrix --json`, %s checker%s: checks/s (best of the runs: %.0f ms wall, %.0f ms CPU) vs the core'"'"'s bare check loop on the same pairs | %s | %s | %.3f | %s | %s |\n",
			$2, tgt ? " (the targets'"'"' own)" : "", v["wall"] * 1000, v["cpu"] * 1000,
			commas(rate), commas(v["core"]), rate / v["core"],
			tgt ? ">= " commas(min) " checks/s" : "-", tgt ? (rate >= min ? "met" : "MISSED") : "-"
		printf "| 9 | (%s: peak RSS, MB, vs the limit) | %.1f | %d | %.2f | %s | %s |\n",
			$2, mb, maxmb, mb / maxmb, tgt ? "< " maxmb " MB" : "-",
			tgt ? (mb < maxmb ? "met" : "MISSED") : "-"
		printf "verdicts (%s): %s %s %s %s %s %s\n", $2, $8, $9, $10, $11, $12, $13 >"/dev/stderr"
		if (tgt && rate < min)
			printf "FAIL: migver matrix (%s checker), %s x %s: %s checks/s, below the target of %s\n",
				$2, commas(nsrc), commas(ndst), commas(rate), commas(min) >fails
		if (tgt && mb >= maxmb)
			printf "FAIL: migver matrix (%s checker), %s x %s: peak RSS %.1f MB, not below %d MB\n",
				$2, commas(nsrc), commas(ndst), mb, maxmb >fails
	}' "$raw" >"$table" 2>"$out/verdicts.txt"

report=${MIGVER_BENCH_OUT:-$PWD/build/bench}/matrix-report.md
commit=$(bench_commit include src tools tests)
# shellcheck disable=SC2016 # the backquotes are Markdown
{
	printf 'Measured by `tests/bench/matrix.sh` (`make bench` item 9) at commit %s on %s:\n' \
		"$commit" "$(date -u +%Y-%m-%d)"
	printf '%s source devices x %s target types, pinned to CPU %s of a %s-core %s host, gcc %s `-O2`, jansson %s;\n' \
		"$(commas "$nsrc")" "$(commas "$ndst")" "$cpu" "$(nproc)" "$(uname -m)" \
		"$(gcc -dumpfullversion)" "$(dpkg-query -W -f '${Version}' libjansson4 2>/dev/null || echo '?')"
	printf 'load average %s before the runs, %s after.\n' "$load0" "$load1"
	echo
	echo '| # | measurement | ours | reference | ratio | target | |'
	echo '|---|---|---|---|---|---|---|'
	cat "$table"
	echo
	sed 's/^/    /' "$out/verdicts.txt"
	echo
	echo '<!-- raw -->'
	echo '```'
	cat "$raw"
	echo '```'
} >"$report"
cat "$report"

if [ -s "$fails" ]; then
	cat "$fails" >&2
	exit 1
fi
echo "bench: migver matrix meets its targets (report: $report)"
