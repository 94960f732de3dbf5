#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/bench/run.sh (`make bench`): performance of mdev_migver against the
# kernel's own mtty sample, in ONE QEMU boot of Debian trixie's kernel, plus
# a userspace throughput comparison of the version-string core.  Prints one
# table of ratios measured in the same run, each marked against its target.
#
# Not a test: nothing here feeds `make check`, and only item 9 prints
# FAIL lines (below).  The exit
# status is non-zero when a measurement could not be taken at all; a
# missed target of items 1-8 is a line in the table, not an error.  Item 9
# (tests/bench/matrix.sh, `migver matrix` on the host, after the VM) is the
# exception: its targets are the migver tool's requirement, and a miss
# fails the bench once both reports are written.
#
# Timings come from QEMU TCG (emulated CPU) on a shared 2-core machine, so
# absolute numbers are noisy and not comparable to real hardware; the ratios
# compare two things measured side by side in the same boot and are what
# the targets are about.
#
# Reuses the harness (tests/qemu/lib/) with a private output directory
# (build/bench, MIGVER_QEMU_OUT), our .ko plus mtty.ko in one modules
# directory (MIGVER_MODULES_DIR), guest entry tests/qemu/guest/bench.sh.
# The guest boots without the harness's debug options (slub_debug,
# KFENCE sampling every allocation): they would add poisoning and redzones
# to every allocation, i.e. measure the debugging, not the drivers.
# Env: MIGVER_BENCH_SCALE (default 10,100,1000), MIGVER_BOOT_TIMEOUT,
#      MIGVER_CACHE.
# The report (stamp, table, the method as run, raw lines) goes to
# build/bench/report.md; tests/bench/readme.sh update copies it into README.
set -euo pipefail
cd "$(dirname "$0")/../.."
# bad_re: what the kernel prints when something went wrong (shared)
# shellcheck source=tests/lib/guest-results.sh
source tests/lib/guest-results.sh
lib=tests/qemu/lib
suite=trixie
# shellcheck source=tests/qemu/guest/bench-params.sh
. tests/qemu/guest/bench-params.sh
# shellcheck source=tests/bench/commit.sh
. tests/bench/commit.sh
scale=${MIGVER_BENCH_SCALE:-$BENCH_SCALE}

export MIGVER_QEMU_OUT=$PWD/build/bench
out=$MIGVER_QEMU_OUT/$suite
mkdir -p "$out"
# One bench per checkout at a time (shared initramfs and logs).
exec 8>"$MIGVER_QEMU_OUT/.lock"
flock 8

t0=$SECONDS
root=$(bash $lib/prepare-root.sh "$suite")
export "MIGVER_ROOT_$suite=$root"
bash $lib/build-module.sh "$suite"
mods=$out/bench-modules
rm -rf "$mods"
mkdir -p "$mods"
cp "$out/modules/mdev_migver.ko" "$mods/"
bash tests/bench/mtty.sh "$suite" "$mods"
MIGVER_MODULES_DIR=$mods bash $lib/initramfs.sh "$suite"
t_prep=$((SECONDS - t0))

t0=$SECONDS
rc=0
boot_clear "$out" bench
MIGVER_APPEND="slub_debug=- kfence.sample_interval=0 migver.bench_scale=$scale" \
	bash $lib/boot.sh "$suite" bench || rc=$?
t_boot=$((SECONDS - t0))
results=$out/results-bench.log
console=$out/console-bench.log
if [ "$rc" -ne 0 ] || ! grep -aq '^BENCH done' "$results"; then
	grep -a '^BENCH' "$results" >&2 || true
	echo "bench: the guest run failed (exit $rc); see $console" >&2
	exit 1
fi

# 5. Userspace, after the VM has ended so that it does not compete for
# the two cores.  -O2 as a release build; the fuzz lane's warning flags.
t0=$SECONDS
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Iinclude src/core/*.c tests/bench/core_bench.c \
	-o "$MIGVER_QEMU_OUT/core_bench"
"$MIGVER_QEMU_OUT/core_bench" "$BENCH_CORE_ITERS" "$BENCH_CORE_ROUNDS" \
	>"$MIGVER_QEMU_OUT/core_bench.out"
# 9. migver matrix, also on the host after the VM; its own report
# (build/bench/matrix-report.md), its own exit status, acted on at the end.
matrix_rc=0
MIGVER_BENCH_OUT=$MIGVER_QEMU_OUT bash tests/bench/matrix.sh \
	>"$MIGVER_QEMU_OUT/matrix.out" 2>&1 || matrix_rc=$?
t_user=$((SECONDS - t0))

klog=clean
if hit=$(tr -d '\r' <"$console" | grep -a -m1 -E "$bad_re"); then
	klog="NOT clean: $hit"
fi

raw=$MIGVER_QEMU_OUT/raw.txt
{
	tr -d '\r' <"$results" | grep -a '^BENCH ' | cut -d' ' -f2-
	cat "$MIGVER_QEMU_OUT/core_bench.out"
} >"$raw"
table=$MIGVER_QEMU_OUT/table.md
awk -v klog="$klog" '
	function mark(ok) { return ok ? "met" : "MISSED" }
	function r2(x) { return sprintf("%.2f", x) + 0 }
	# ok is decided by the caller on the ratio as printed (2 decimals), so
	# that a row never reads "1.00 >= 1.00 MISSED".
	function row(item, what, a, b, ratio, target, ok) {
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", item, what, a, b,
			ratio, target, mark(ok)
	}
	function info(item, what, a, b, ratio) {
		printf "| %s | %s | %s | %s | %s | - | - |\n", item, what, a, b, ratio
	}
	# a memory row of item 3: kB per instance, ours vs mtty
	function kb(what, a, b) {
		info(3, what, sprintf("%.1f", a), sprintf("%.1f", b),
			b ? sprintf("%.2f", a / b) : "-")
	}
	$1 == "debug" { dbg = $2 " " $3 }
	$1 == "method" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); m[kv[1]] = kv[2] }
	}
	$1 == "lat-check" { cm = $2; cp = $3 }
	$1 == "lat-floor" { fm = $2; fp = $3 }
	$1 == "cycles-ours" { co = $2 / ($3 / 1e9) }
	$1 == "cycles-mtty" { cmt = $2 / ($3 / 1e9) }
	# Memory lines come twice per driver: averaged (kB per instance).
	$1 == "mem-ours" { nmo++; ms += $3 / $2; mu += $4 / $2; mv += $5 / $2; mf += $6 / $2 }
	$1 == "mem-mtty" { nmt++; ts += $3 / $2; tu += $4 / $2; tv += $5 / $2; tf += $6 / $2 }
	$1 ~ /^slab-/ {
		# "slab-<who> 64 TOTAL=<bytes> <cache>=<bytes>..." (biggest
		# first); the caches of the last reading are shown.
		who = substr($1, 6)
		top[who] = ""
		nso[who]++
		for (i = 3; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "TOTAL")
				so[who] += kv[2] / 1024 / $2
			else
				top[who] = top[who] sprintf(" %s %.1f", kv[1],
					kv[2] / 1024 / $2)
		}
	}
	$1 == "lat-gvt" { gm = $2; gp = $3 }
	$1 == "lat-floor-gvt" { gfm = $2; gfp = $3 }
	# "scale <live> <ours median> <ours mean> <mtty median> <mtty mean>"
	# (ns), each level twice (going up, coming down): mean of the means
	# per level, in the order the levels first appear.
	$1 == "scale" {
		if (!($2 in sc)) sn[++ns] = $2
		sc[$2] += $4; mc[$2] += $6; sk[$2]++
	}
	$1 == "mig" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); mg[kv[1]] = kv[2] }
	}
	$1 == "ours" { uo = $2 }
	$1 == "ref" { ur = $2 }
	END {
		ms /= nmo; mu /= nmo; mv /= nmo; mf /= nmo
		ts /= nmt; tu /= nmt; tv /= nmt; tf /= nmt
		so["ours"] /= nso["ours"]; so["mtty"] /= nso["mtty"]
		print "| # | measurement | ours | reference | ratio | target | |"
		print "|---|---|---|---|---|---|---|"
		row(1, "check latency, median (ns): migration_version vs checker param",
			cm, fm, sprintf("%.2f", cm / fm), "<= 1.25", r2(cm / fm) <= 1.25)
		row(1, "check latency, p99 (ns)", cp, fp,
			sprintf("%.2f", cp / fp), "<= 1.25", r2(cp / fp) <= 1.25)
		info(1, "(gvt format, median ns, for comparison)", gm, gfm,
			sprintf("%.2f", gm / gfm))
		info(1, "(gvt format, p99 ns)", gp, gfp, sprintf("%.2f", gp / gfp))
		row(2, sprintf("create+remove cycles/s (%d each) vs mtty", m["cycles"]),
			sprintf("%.0f", co), sprintf("%.0f", cmt),
			sprintf("%.2f", co / cmt), ">= 1.00", r2(co / cmt) >= 1.0)
		kb(sprintf("slab objects kB per live instance (%d live, /proc/slabinfo, mean of 2) vs mtty",
			m["mem_live"]),
			so["ours"], so["mtty"])
		kb("meminfo Slab kB per live instance vs mtty", ms, ts)
		kb("meminfo SUnreclaim kB per live instance vs mtty", mu, tu)
		kb("meminfo VmallocUsed kB per live instance vs mtty", mv, tv)
		kb("meminfo MemFree drop kB per live instance vs mtty", mf, tf)
		for (i = 2; i <= ns; i++) {
			a = sc[sn[i]] / sk[sn[i]]; b = sc[sn[1]] / sk[sn[1]]
			row(4, sprintf("create, mean us at %d live vs at %d live",
				sn[i], sn[1]),
				sprintf("%.0f", a / 1000), sprintf("%.0f", b / 1000),
				sprintf("%.2f", a / b), "<= 1.25 (noise)", r2(a / b) <= 1.25)
			if (mc[sn[i]] && mc[sn[1]]) {
				a = mc[sn[i]] / sk[sn[i]]; b = mc[sn[1]] / sk[sn[1]]
				info(4, sprintf("(mtty, interleaved with ours: at %d vs at %d live)",
					sn[i], sn[1]), sprintf("%.0f", a / 1000),
					sprintf("%.0f", b / 1000), sprintf("%.2f", a / b))
			}
		}
		row(5, "userspace gvt parse+check ops/s vs sscanf",
			sprintf("%.0f", uo), sprintf("%.0f", ur),
			sprintf("%.2f", uo / ur), ">= 5.00", r2(uo / ur) >= 5)
		row(6, sprintf("STOP_COPY bytes after %d PRE_COPY rounds vs STOP_COPY only (4 MiB written, %d KiB rewritten)",
			m["mig_rounds"], m["mig_wset"] * 4),
			mg["pre_stop_bytes"], mg["full_stop_bytes"],
			sprintf("%.3f", mg["pre_stop_bytes"] / mg["full_stop_bytes"]),
			"<= 0.10", mg["pre_stop_bytes"] <= 0.10 * mg["full_stop_bytes"])
		info(6, "(STOP_COPY time, ms: after PRE_COPY vs STOP_COPY only)",
			sprintf("%.1f", mg["pre_stop_s"] * 1000),
			sprintf("%.1f", mg["full_stop_s"] * 1000),
			sprintf("%.3f", mg["pre_stop_s"] / mg["full_stop_s"]))
		row(7, sprintf("save+restore of the %d-byte state, MB/s, vs a pipe", mg["stream"]),
			sprintf("%.1f", mg["stream"] / mg["mig_s"] / 1e6),
			sprintf("%.1f", mg["stream"] / mg["pipe_s"] / 1e6),
			sprintf("%.2f", mg["pipe_s"] / mg["mig_s"]), ">= 0.50",
			r2(mg["pipe_s"] / mg["mig_s"]) >= 0.5)
		row(8, sprintf("refusal (%s): stream bytes taken before it, 1-byte writes", mg["refused"]),
			mg["refusal_consumed"], 1024,
			sprintf("%.2f", mg["refusal_consumed"] / 1024), "<= 1 KiB",
			mg["refusal_consumed"] <= 1024)
		print ""
		print "biggest slab caches per instance, kB (3):"
		print "  ours:" top["ours"]
		print "  mtty:" top["mtty"]
		print "guest debug options (both 0 = off): " dbg
		print "kernel log: " klog
	}' "$raw" >"$table"

# The report: a stamp that says what produced the numbers, the table, the
# method as the guest ran it, and the raw lines.
report=$MIGVER_QEMU_OUT/report.md
commit=$(bench_commit Kbuild include src tests)
kver=$(sed -n 's/^kernel //p' "$raw")
{
	printf 'Measured by `make bench` at commit %s on %s: Debian trixie kernel %s,\n' \
		"$commit" "$(date -u +%Y-%m-%d)" "$kver"
	printf '%s, %s-core %s host, host gcc %s `-O2` for item 5.\n' \
		"$(qemu-system-x86_64 --version | head -n1) TCG single-threaded" \
		"$(nproc)" "$(uname -m)" "$(gcc -dumpfullversion)"
	echo
	cat "$table"
	echo
	printf 'Written in item 1: %s (bytes, with the newline).\n' \
		"$(sed -n 's/^lat-bytes //p' "$raw" | tr '\n' ' ' | sed 's/ $//')"
	printf 'Method as run: %s.\n' "$(sed -n 's/^method //p' "$raw")"
	echo
	echo '<!-- raw -->'
	echo '```'
	cat "$raw"
	echo '```'
} >"$report"
cat "$report"
echo
cat "$MIGVER_QEMU_OUT/matrix.out"
echo "timings: prepare+build ${t_prep} s, boot ${t_boot} s, userspace ${t_user} s"
echo "report: $report and $MIGVER_QEMU_OUT/matrix-report.md (README: tests/bench/readme.sh update)"
if [ "$matrix_rc" -ne 0 ]; then
	echo "bench: FAIL: item 9 (tests/bench/matrix.sh) exited $matrix_rc, see above" >&2
	exit 1
fi
