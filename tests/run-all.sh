#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every test suite and print one closing line summing them all:
#   N passed, N failed, N skipped
# A suite that cannot run at all counts as one failure, never as silence;
# each suite checks its own plan of cases (tests/lib/results.sh).
set -u
cd "$(dirname "$0")/.." || exit 1
export MIGVER_RESULTS="${MIGVER_RESULTS:-$PWD/build/results}"
rm -rf "$MIGVER_RESULTS"
mkdir -p "$MIGVER_RESULTS"

# suite name : command
SUITES=(
	"harness:bash tests/harness/run.sh"
	"fuzz:bash tests/fuzz/run.sh"
	"tool:bash tests/tool/run.sh"
	"kunit:bash tests/kunit/run.sh"
	"qemu:bash tests/qemu/run.sh"
	"lint:bash tests/lint/run.sh"
	"package:bash tests/package/run.sh"
	"debug:bash tests/debug/run.sh"
)
# Suites started at once in the background, their output shown when their
# turn comes: the debug lane spends 15-18 minutes in three single-threaded
# TCG guests (KASAN, lockdep) beside the other suites, which alone would
# leave a core idle much of the time.  Side by side, both cores stay busy
# (97-99% in a warm run) and the run takes about half the CPU time of all
# suites.  MIGVER_SERIAL=1 runs everything in order (timing one suite alone).
BACKGROUND="debug"
[ "${MIGVER_SERIAL:-0}" = 1 ] && BACKGROUND=

# On a cold cache the Debian roots are mostly downloads and dpkg, while the
# first suites (fuzzing, the KUnit kernel build) keep both cores busy:
# prepare the roots in the background meanwhile.  Nothing is judged here;
# the suites that need a root wait on its lock and find it ready, or make
# it themselves if this failed (log: build/results/prefetch.log).
(
	# shellcheck source=tests/lib/suites.sh
	. tests/lib/suites.sh
	for s in $MIGVER_SUITES; do
		bash tests/qemu/lib/prepare-root.sh "$s" >/dev/null || true
	done
	# the QEMU lane's later VMs: the suites' QEMU (vmm, twohost) and
	# libvirt roots (defaults: tests/lib/suites.sh)
	th=
	[ "$MIGVER_TWOHOST" != 1 ] || th=$MIGVER_TWOHOST_SUITES
	for s in $MIGVER_SUITES; do
		case " $MIGVER_VMM_SUITES $th " in
		*" $s "*) bash tests/qemu/lib/vmm-payload.sh "$s" >/dev/null || true ;;
		esac
		case " $MIGVER_LIBVIRT_SUITES " in
		*" $s "*) bash tests/qemu/lib/libvirt-root.sh "$s" >/dev/null || true ;;
		esac
	done
	# the package suite's roots (logs: build/results/package-roots/)
	bash tests/package/run.sh --prepare-roots || true
) >"$MIGVER_RESULTS/prefetch.log" 2>&1 &
prefetch=$!
declare -A bg_pid bg_start
# cpu_seconds <file>: the children's user + system seconds in `times` output
# (each suite runs in a bash of its own that writes its `times` at its
# end: the CPU time of the suite's processes, and of nothing else that
# this shell reaps meanwhile, like the prefetch)
cpu_seconds() {
	tail -n 1 "$1" 2>/dev/null |
		awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } printf "%d\n", s }'
}
stop_all() {
	kill "$prefetch" 2>/dev/null
	for pid in "${bg_pid[@]}"; do
		kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null
	done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

for entry in "${SUITES[@]}"; do
	name=${entry%%:*}
	case " $BACKGROUND " in *" $name "*) ;; *) continue ;; esac
	echo "=== suite $name: started in the background, output follows in its turn"
	bg_start[$name]=$(date +%s)
	# its own process group, so an interrupted run stops its guests too
	# (the time it ends is written down: its output is shown later)
	setsid bash -c "${entry#*:}; rc=\$?; date +%s >'$MIGVER_RESULTS/$name.end'; times >'$MIGVER_RESULTS/$name.times'; exit \$rc" \
		>"$MIGVER_RESULTS/$name.out" 2>&1 </dev/null &
	bg_pid[$name]=$!
done

passed=0 failed=0 skipped=0 rc=0
for entry in "${SUITES[@]}"; do
	name=${entry%%:*}
	cmd=${entry#*:}
	echo "=== suite $name: $cmd"
	start=$SECONDS
	if [ -n "${bg_pid[$name]:-}" ]; then
		status=0
		wait "${bg_pid[$name]}" || status=$?
		unset "bg_pid[$name]"
		cat "$MIGVER_RESULTS/$name.out"
		end=$(cat "$MIGVER_RESULTS/$name.end" 2>/dev/null || date +%s)
		took=$((end - bg_start[$name]))
		cpu=$(cpu_seconds "$MIGVER_RESULTS/$name.times")
	else
		bash -c "$cmd; rc=\$?; times >'$MIGVER_RESULTS/$name.times'; exit \$rc"
		status=$?
		took=$((SECONDS - start))
		cpu=$(cpu_seconds "$MIGVER_RESULTS/$name.times")
	fi
	echo "=== suite $name: exit $status after $took s, CPU ${cpu:-?} s"
	if [ -r "$MIGVER_RESULTS/$name.counts" ]; then
		read -r p f s <"$MIGVER_RESULTS/$name.counts"
	else
		p=0 f=1 s=0
		echo "FAIL suite-$name: wrote no results"
	fi
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL suite-$name: exited $status"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -eq 0 ] || rc=1
done
[ $((passed + failed)) -gt 0 ] || rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
