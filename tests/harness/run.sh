#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Self-tests of the test harness (`make harness-test`, the first suite of
# `make check`).  Each case feeds one piece of the harness a deliberately
# broken input and checks that it fails the way it must, and, where it
# matters, that the same piece passes a good input, so a harness that
# cannot fail is caught here:
#
#   apt-*        test roots against a snapshot mirror: an expired Release
#                is accepted (signatures still checked) and logged; a
#                broken mirror makes prepare-root.sh print apt's error
#   plan-*       a lane's plan: missing, unplanned, repeated cases, no plan
#   skip-*       all-skipped lanes and groups, documented platform limits
#   guest-*      a guest's results log with a missing case, an all-skip
#                entry, a crash
#   console-*    kernel-log-clean on a missing, empty or dirty console
#   stale-*      an earlier boot's results are gone before the next boot
#   boot-*       a guest that died before /init is booted once more, one
#                that died after it never (a stand-in QEMU)
#   kunit-*      a KUnit suite that stopped registering, an all-skip suite
#   lintian-*, rpmlint-*, fuzz-*   checkers that did not run, crashed or
#                did less than asked
#   kmemleak-*   kmemleak off or unwritable is a failure, not a clean report
#   bg-*         the guest's vfio_open_bg: held only on this run's READY,
#                not an earlier one's; an exit with or without an ERROR line
#   deps-*       the dependency step's detection (tests/deps.sh)
#   step-*       build steps are not counted as cases
#
# Needs: gpg and apt (the fake mirror), python3.  No network, no root.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
source tests/lib/results.sh
work=$top/build/harness
rm -rf "$work"
mkdir -p "$work"

plan_file tests/harness/harness.plan harness/

# expect <case> <want status: 0 | fail> <pattern that the output must hold>
#        -- <command...>: run a self-test, judge its status and output.
expect() {
	local c=$1 want=$2 pat=$3 out rc=0
	shift 4
	out=$("$@" 2>&1) || rc=$?
	printf '%s\n' "$out" >"$work/${c//\//_}.out"
	if [ "$want" = 0 ] && [ $rc -ne 0 ]; then
		fail "harness/$c" "exited $rc, want success: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
	elif [ "$want" != 0 ] && [ $rc -eq 0 ]; then
		fail "harness/$c" "succeeded, want failure: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
	elif ! grep -q -E -- "$pat" <<<"$out"; then
		fail "harness/$c" "output lacks /$pat/: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
	else
		pass "harness/$c"
	fi
}

# lane <name> <script>: run a bash snippet as a fake lane with its own
# results directory; it can use every results.sh function.
lane() {
	MIGVER_RESULTS=$work/results-$1 bash -c "
		cd '$top'
		source tests/lib/results.sh
		source tests/lib/guest-results.sh
		source tests/lib/kunit.sh
		source tests/lib/verdicts.sh
		$2"
}

# ---- apt against a snapshot mirror -----------------------------------------
source tests/harness/fake-repo.sh
# apt as on a fresh Debian 12 machine: none of this host's apt.conf.d parts
# (an image may already turn the date checks off there).
mkdir -p "$work/no-apt-parts"
printf 'Dir::Etc::Parts "%s";\n' "$work/no-apt-parts" >"$work/fresh-apt.conf"
export APT_CONFIG=$work/fresh-apt.conf
apt_env=(MIGVER_CACHE="$work/cache" MIGVER_MIRROR="file:$work/fake/repo"
	MIGVER_KEYRING="$work/fake/keyring.gpg" MIGVER_INDEX_MAX_AGE=0)
if fake_repo "$work/fake" "3 days ago" >"$work/fake.log" 2>&1; then
	# The fixture must really be expired: apt with its default policy
	# refuses it.
	expect apt-fixture-is-expired fail 'is (no longer valid|expired)' -- \
		env "${apt_env[@]}" bash -c '. tests/qemu/lib/common.sh
			bash tests/qemu/lib/resolve.sh sid >/dev/null 2>&1
			papt_get sid update -o Acquire::Check-Valid-Until=true -o APT::Update::Error-Mode=any'
	expect apt-expired-release-accepted 0 'expired 3 days ago.*Check-Valid-Until=false' -- \
		env "${apt_env[@]}" bash -c 'bash tests/qemu/lib/resolve.sh sid | grep -x "KVER=9.9.9-amd64" >&2'
	# What goes into a root's apt.conf.d accepts it as well.
	expect apt-root-conf-accepts-expired 0 'Reading package lists' -- \
		bash -c '. tests/qemu/lib/common.sh; d='"$work"'/rootconf
			mkdir -p "$d/lists/partial" "$d/cache"
			{ cat "$APT_CONFIG"; printf "%s\n" "$APT_ROOT_CONF"; } >"$d/apt.conf"
			echo "deb [signed-by='"$work"'/fake/keyring.gpg] file:'"$work"'/fake/repo sid main" >"$d/sources.list"
			APT_CONFIG=$d/apt.conf apt-get -o Dir::Etc::sourcelist="$d/sources.list" \
				-o Dir::Etc::sourceparts=/dev/null -o Dir::State::lists="$d/lists" \
				-o Dir::Cache="$d/cache" -o Debug::NoLocking=1 -o APT::Update::Error-Mode=any update'
	# Signatures are still checked: another key's signature is refused.
	mkdir -p "$work/fake-other"
	fake_repo "$work/fake-other" "3 days ago" >/dev/null 2>&1
	expect apt-bad-signature-refused fail 'NO_PUBKEY|not signed|signatures' -- \
		env MIGVER_CACHE="$work/cache-sig" MIGVER_MIRROR="file:$work/fake/repo" \
		MIGVER_KEYRING="$work/fake-other/keyring.gpg" MIGVER_INDEX_MAX_AGE=0 \
		bash tests/qemu/lib/resolve.sh sid
else
	for c in apt-fixture-is-expired apt-expired-release-accepted \
		apt-root-conf-accepts-expired apt-bad-signature-refused; do
		fail "harness/$c" "could not make the fake mirror: $(tail -n1 "$work/fake.log")"
	done
fi
# A mirror without the suite: prepare-root.sh reports apt's own error and
# stops (it once crashed with "HDR_META: unbound variable" instead).
expect apt-prepare-root-reports-error fail 'does not have a Release file' -- \
	bash -c 'out=$(env MIGVER_CACHE='"$work"'/cache-missing MIGVER_MIRROR=file:'"$work"'/nothing \
		MIGVER_INDEX_MAX_AGE=0 bash tests/qemu/lib/prepare-root.sh sid 2>&1); rc=$?
		printf "%s\n" "$out"
		case $out in *"unbound variable"*) echo "CRASHED"; exit 0 ;; esac
		exit $rc'

# ---- plans -------------------------------------------------------------------
expect plan-complete 0 'plan: 2 cases, 0 missing' -- \
	lane a 'plan a b; pass a; skip b "a reason"; results_finish a'
expect plan-missing-case fail 'FAIL c: planned but never reported' -- \
	lane b 'plan a b c; pass a; pass b; results_finish b'
expect plan-unplanned-case fail 'FAIL d: reported but not in the plan' -- \
	lane c 'plan a; pass a; pass d; results_finish c'
expect plan-repeated-case fail 'FAIL a: reported 2 times' -- \
	lane d 'plan a; pass a; pass a; results_finish d'
expect plan-none fail 'FAIL e/plan: the lane declared no plan' -- \
	lane e 'pass a; results_finish e'
expect plan-file-missing fail 'no plan file' -- \
	lane f 'plan_file /nonexistent/x.plan; pass a; results_finish f'
expect plan-counts-written fail 'counts 1 1 0' -- \
	lane g 'plan a b; pass a; results_finish g; echo "counts $(cat "$MIGVER_RESULTS/g.counts")"; false'

# ---- jobs side by side (tests/package/lib.sh run_jobs) -------------------------
# A job's results count in the lane that ran it; a transcript line that looks
# like a result does not; a job that dies leaves its cases missing.
jobs_lane() {
	lane "$1" "OUT=$work/jobs-$1; cleanup() { :; }
		source tests/package/lib.sh
		$2"
}
expect jobs-results-counted fail 'jobs1: 2 passed, 1 failed, 1 skipped' -- \
	jobs_lane jobs1 'plan a b c d
		j1() { pass a; skip b "a reason"; }
		j2() { sleep 1; fail c "why"; pass d; }
		run_jobs j1 j2; results_finish jobs1'
expect jobs-transcript-not-counted fail 'FAIL x: planned but never reported' -- \
	jobs_lane jobs2 'plan x
		j() { echo "PASS x"; echo "  FAIL x: from a log"; }
		run_jobs j; results_finish jobs2'
expect jobs-dead-job fail 'FAIL b: planned but never reported' -- \
	jobs_lane jobs3 'plan a b c
		j1() { pass a; exit 3; pass b; }
		j2() { pass c; }
		run_jobs j1 j2; results_finish jobs3'
jobs_order() {
	local out
	out=$(jobs_lane jobs4 'plan a; j1() { sleep 2; echo first; }
		j2() { echo second; pass a; }; j3() { echo third; }
		run_jobs j1 j2 j3; results_finish jobs4') || return
	# each job's transcript ends with its cost line (_job_cost)
	printf 'costs=%s ' "$(grep -c -E '^package: job j[123]: [0-9]+ s, CPU [0-9]+ s$' <<<"$out")"
	grep -v '^package: job ' <<<"$out" | tr '\n' ' '
}
expect jobs-order-kept 0 'costs=3 first second PASS a third' -- jobs_order

# ---- skips -------------------------------------------------------------------
expect skip-all-skipped-lane fail 'all-skipped: every case was skipped' -- \
	lane h 'plan a b; skip a "no reason that is a limit"; skip b "nor this"; results_finish h'
expect skip-documented-limit 0 'h2: 0 passed, 0 failed, 1 skipped' -- \
	lane h2 "plan a; skip a 'limit:$(awk '!/^#/ && NF { print $1; exit }' tests/lib/platform-limits): test'; results_finish h2"
expect skip-undocumented-limit fail "skipped citing limit 'no-such-limit'" -- \
	lane i 'plan a b; pass b; skip a "limit:no-such-limit: x"; results_finish i'

# ---- guest results ------------------------------------------------------------
printf '# plan\none\ntwo\nthree\n' >"$work/entry.plan"
printf 'PASS one\r\nsome transcript\nPASS two\nPASS three\n' >"$work/results-good.log"
printf 'PASS one\nPASS three\n' >"$work/results-short.log"
printf 'SKIP one: x\nSKIP two: y\nSKIP three: z\n' >"$work/results-allskip.log"
printf 'Linux version 6.1\nmigver: running\n' >"$work/console-clean.log"
printf 'Linux version 6.1\nBUG: kernel NULL pointer dereference\n' >"$work/console-dirty.log"
: >"$work/console-empty.log"
cp "$work/results-good.log" "$work/results-e.log"
cp "$work/console-clean.log" "$work/console-e.log"
expect guest-good-entry 0 'plan: 4 cases, 0 missing' -- \
	lane j "guest_plan k '$work/entry.plan'; boot_verdict k e 0 '$work'; results_finish j"
expect guest-missing-case fail 'FAIL k/two: planned but never reported' -- \
	lane k "guest_plan k '$work/entry.plan'; guest_cases k '$work/results-short.log'; kernel_log_clean k/kernel-log-clean '$work/console-clean.log'; results_finish k"
expect guest-all-skipped fail 'FAIL k/all-skipped' -- \
	lane l "guest_plan k '$work/entry.plan'; guest_cases k '$work/results-allskip.log'; kernel_log_clean k/kernel-log-clean '$work/console-clean.log'; results_finish l"
expect guest-crash fail 'FAIL k/boot: no MIGVER-EXIT' -- \
	lane m "guest_plan k '$work/entry.plan'; boot_verdict k e 125 '$work'; results_finish m"
expect guest-nonzero-exit fail 'FAIL k/guest-exit: e.sh exited 1' -- \
	lane m2 "guest_plan k '$work/entry.plan'; boot_verdict k e 1 '$work'; results_finish m2"
expect console-missing fail 'console log .* is missing or empty' -- \
	lane n "plan c; kernel_log_clean c '$work/no-such-console.log'; results_finish n"
expect console-empty fail 'console log .* is missing or empty' -- \
	lane o "plan c; kernel_log_clean c '$work/console-empty.log'; results_finish o"
expect console-dirty fail 'FAIL c: console: BUG: kernel NULL' -- \
	lane p "plan c; kernel_log_clean c '$work/console-dirty.log'; results_finish p"
mkdir -p "$work/stale"
touch "$work/stale/results-x.log" "$work/stale/console-x.log"
expect stale-results-removed 0 'gone' -- \
	lane q "boot_clear '$work/stale' x; ls '$work/stale'/*-x.log 2>/dev/null || echo gone"

# ---- boot.sh: one retry of a guest that died before /init, never after ----
# A stand-in root and QEMU (tests/harness/fake-qemu.sh); fakeboot <mode>
# runs boot.sh and prints its status and the number of boots.
mkdir -p "$work/fakeroot" "$work/fakeboot/trixie"
printf 'KVER=6.1-fake\nKERNEL_IMAGE=vmlinuz\nKERNEL_CONFIG=config\n' >"$work/fakeroot/migver-root.env"
touch "$work/fakeroot/vmlinuz" "$work/fakeroot/config" "$work/fakeboot/trixie/initramfs.cpio.gz"
fakeboot() {
	rm -f "$work/fakeboot/count"
	local rc=0 log
	log=$(MIGVER_ROOT_trixie=$work/fakeroot MIGVER_QEMU_OUT=$work/fakeboot \
		MIGVER_QEMU_BIN=$top/tests/harness/fake-qemu.sh FAKE_QEMU_MODE=$1 \
		FAKE_QEMU_COUNT=$work/fakeboot/count \
		bash tests/qemu/lib/boot.sh trixie e 2>&1) || rc=$?
	printf '%s\n' "$log"
	echo "status $rc after $(wc -l <"$work/fakeboot/count") boots;" \
		"$(grep -o 'RETRY: .*' <<<"$log" || echo 'no retry')"
	[ "$rc" = 0 ]
}
expect boot-retry-before-init 0 'status 0 after 2 boots; RETRY: the guest died before /init \(.*WARNING: kernel/time/hrtimer.c:1071' -- \
	fakeboot pre-init-once
expect boot-retry-once-only fail 'status 125 after 2 boots; RETRY' -- fakeboot pre-init-always
expect boot-no-retry-after-init fail 'status 125 after 1 boots; no retry' -- fakeboot post-init

# README's Usage transcript against a demo run's log (readme-transcript.sh)
printf '# Title\n\nTranscript from `make demo`:\n\n    # hello\n    $ ls /sys/bus/mdev/devices\n    0b0b0b0b-1111-4222-8333-444455556666\n    [    5.25] migver migver0: x\n\n    # end of demo\n\nmore\n' >"$work/README-demo.md"
printf '\n# hello\n$ ls /sys/bus/mdev/devices\nc0c0c0c0-1111-4222-8333-444455556666\n[    7.01] migver migver0: x\n\n# end of demo\nMIGVER-EXIT 0\n' >"$work/results-demo-same.log"
sed 's/migver0: x/migver0: y/' "$work/results-demo-same.log" >"$work/results-demo-other.log"
expect demo-transcript-equal 0 '' -- \
	bash tests/qemu/readme-transcript.sh "$work/results-demo-same.log" "$work/README-demo.md"
expect demo-transcript-differs fail '^\+\[T\] migver migver0: y' -- \
	bash tests/qemu/readme-transcript.sh "$work/results-demo-other.log" "$work/README-demo.md"
expect demo-transcript-missing fail 'no transcript' -- \
	bash tests/qemu/readme-transcript.sh "$work/none.log" "$work/README-demo.md"

# README's bench method text against the bench's own numbers (readme.sh)
cp README.md "$work/README-bench.md"
MIGVER_README=$work/README-bench.md bash tests/bench/readme.sh update \
	tests/harness/bench-report.md >/dev/null 2>&1
sed 's/2,000 untimed/200 untimed/' "$work/README-bench.md" >"$work/README-bench-wrong.md"
expect bench-readme-consistent 0 '' -- \
	env MIGVER_README="$work/README-bench.md" bash tests/bench/readme.sh check
expect bench-readme-wrong-number fail '^-.*after 200 untimed' -- \
	env MIGVER_README="$work/README-bench-wrong.md" bash tests/bench/readme.sh check

# ---- KUnit ----------------------------------------------------------------------
cat >"$work/kunit.json" <<'EOF'
{"name": "KUnit Test Group", "test_cases": [], "sub_groups": [
 {"name": "s1", "test_cases": [{"name": "a", "status": "PASS"}], "sub_groups": [
   {"name": "p", "test_cases": [{"name": "x", "status": "PASS"}, {"name": "y", "status": "PASS"}], "sub_groups": []}]},
 {"name": "s2", "test_cases": [{"name": "b", "status": "SKIP"}, {"name": "c", "status": "SKIP"}], "sub_groups": []}]}
EOF
printf 's1.a\ns1.p.x\ns1.p.y\ns2.b\ns2.c\ns3.gone\n' >"$work/kunit.plan"
expect kunit-suite-missing fail 'FAIL ku/s3.gone: planned but never reported' -- \
	lane r "plan_file '$work/kunit.plan' ku/; kunit_cases '$work/kunit.json' '' ku/; results_finish r"
expect kunit-suite-all-skipped fail 'FAIL ku/s2/all-skipped' -- \
	lane s "plan_file '$work/kunit.plan' ku/; kunit_cases '$work/kunit.json' '' ku/; results_finish s"
expect kunit-no-results fail 'no KUnit results' -- \
	lane t "plan a; kunit_cases '$work/none.json' '' ku/; results_finish t"

# ---- external checkers ---------------------------------------------------------
printf 'running with root privileges is not recommended!\nO: mdev-migver-dkms: initial-upload-closes-no-bugs [usr/share/doc/mdev-migver-dkms/changelog.Debian.gz:1]\n' >"$work/lintian-clean.txt"
printf 'running with root privileges is not recommended!\n' >"$work/lintian-nothing.txt"
echo 0 >"$work/lintian-0.status"
echo 2 >"$work/lintian-2.status"
: >"$work/lintian-empty.txt"
expect lintian-clean 0 'PASS l' -- \
	lane u "plan l; lintian_verdict l '$work/lintian-clean.txt' '$work/lintian-0.status' mdev-migver-dkms; results_finish u"
expect lintian-no-output fail 'lintian wrote nothing' -- \
	lane v "plan l; lintian_verdict l '$work/lintian-empty.txt' '$work/lintian-0.status' mdev-migver-dkms; results_finish v"
expect lintian-not-run fail 'no exit status of lintian' -- \
	lane w "plan l; lintian_verdict l '$work/lintian-clean.txt' '$work/none.status' mdev-migver-dkms; results_finish w"
expect lintian-crashed fail 'lintian exited 2' -- \
	lane x "plan l; lintian_verdict l '$work/lintian-clean.txt' '$work/lintian-2.status' mdev-migver-dkms; results_finish x"
expect lintian-checked-nothing fail 'shows none of mdev-migver-dkms.s overrides' -- \
	lane y "plan l; lintian_verdict l '$work/lintian-nothing.txt' '$work/lintian-0.status' mdev-migver-dkms; results_finish y"
printf '2 packages and 1 specfiles checked; 0 errors, 0 warnings.\n' >"$work/rpmlint-clean.txt"
printf 'Traceback (most recent call last):\n  File "/usr/bin/rpmlint"\n' >"$work/rpmlint-crash.txt"
printf '0 packages and 0 specfiles checked; 0 errors, 0 warnings.\n' >"$work/rpmlint-none.txt"
expect rpmlint-clean 0 'PASS l' -- \
	lane z "plan l; rpmlint_verdict l '$work/rpmlint-clean.txt' 2 1; results_finish z"
expect rpmlint-crashed fail 'no rpmlint summary' -- \
	lane z2 "plan l; rpmlint_verdict l '$work/rpmlint-crash.txt' 2 1; results_finish z2"
expect rpmlint-not-installed fail 'rpmlint wrote nothing' -- \
	lane z3 "plan l; rpmlint_verdict l '$work/none.txt' 2 1; results_finish z3"
expect rpmlint-checked-nothing fail 'checked something else' -- \
	lane z4 "plan l; rpmlint_verdict l '$work/rpmlint-none.txt' 2 1; results_finish z4"
expect fuzz-fewer-executions fail 'only 120000 of 300000' -- \
	lane f1 "plan r; fuzz_verdict r 0 120000 300000; results_finish f1"
expect fuzz-no-count fail 'only no of 300000' -- \
	lane f2 "plan r; fuzz_verdict r 0 '' 300000; results_finish f2"
expect fuzz-crash fail 'libFuzzer exited 1' -- \
	lane f3 "plan r; fuzz_verdict r 1 300000 300000; results_finish f3"

# ---- kmemleak (the guest's helper, run here against stand-in files) ------------
# kml <kmemleak file>: the guest's helper in a POSIX shell against a
# stand-in for kmemleak's debugfs file; fails when it reported a failure.
kml() {
	local out
	out=$(KL=$1 KMEMLEAK_SETTLE=0 sh -c '. tests/qemu/guest/lib.sh
		. tests/debug/guest/kmemleak.sh
		kmemleak_baseline base; kmemleak_report now' 2>&1)
	printf '%s\n' "$out"
	case $out in *FAIL*) return 1 ;; esac
}
: >"$work/kmemleak-ok"
expect kmemleak-baseline-ok 0 'PASS base' -- kml "$work/kmemleak-ok"
expect kmemleak-disabled fail 'FAIL base: writing scan/clear .* failed' -- kml /dev/full
expect kmemleak-missing fail 'FAIL base: no /nonexistent' -- kml /nonexistent/kmemleak
expect kmemleak-no-report-when-disabled fail 'scan for report now failed' -- \
	bash -c "KL=/dev/full KMEMLEAK_SETTLE=0 sh -c '. tests/qemu/guest/lib.sh; . tests/debug/guest/kmemleak.sh; kmemleak_report now' | grep -v MIGVER-KMEMLEAK-BEGIN; exit 1"

# ---- vfio_open_bg (the guest's helper, run here with a stand-in vfio-open) -------
# vob <stand-in body> <commands after the call>: vfio_open_bg in a POSIX
# shell, /tmp/hold.out-like file first holding an earlier run's
# "READY/closed"; prints "held: " or "not held: ", then bg_said.
mkdir -p "$work/vob-bin"
vob() {
	printf '#!/bin/sh\n%s\n' "$1" >"$work/vob-bin/vfio-open"
	chmod +x "$work/vob-bin/vfio-open"
	printf 'ok group /dev/vfio/0\nREADY\nclosed\n' >"$work/vob.out"
	rm -f "$work/vob.release"
	PATH=$work/vob-bin:$PATH W=$work sh -c '. tests/qemu/guest/lib.sh
		if vfio_open_bg "$W/vob.out" u 8086 591d hold "$W/vob.release"; then
			echo "held: $(bg_said)"
		else
			echo "not held: $(bg_said)"
		fi
		'"$2"
}
expect bg-holds 0 '^held' -- vob 'sleep 0.3; echo "ok group /dev/vfio/0"; sleep 0.3; echo READY
	while [ ! -e "$5" ]; do sleep 0.05; done; echo closed' \
	'touch "$W/vob.release"; wait $bg_pid; echo "rc $?"; tail -n 1 "$W/vob.out" | grep -x closed'
expect bg-earlier-ready-not-counted fail '^not held: exit 1: ok group /dev/vfio/0 ERROR VFIO_SET_IOMMU' -- vob \
	'echo "ok group /dev/vfio/0"; sleep 0.5; echo "ERROR VFIO_SET_IOMMU: Busy"; exit 1' \
	'wait $bg_pid; exit 1'
expect bg-error-status fail '^rc 1$' -- vob 'echo "ERROR open group: No such file"; exit 1' \
	'wait $bg_pid; echo "rc $?"; exit 1'
expect bg-crash-no-error-line fail '^not held: exit 139: ok group /dev/vfio/0 ' -- vob \
	'echo "ok group /dev/vfio/0"; sleep 0.3; kill -SEGV $$' 'exit 1'

# ---- the dependency step ------------------------------------------------------
source tests/harness/deps-tests.sh

# ---- steps ---------------------------------------------------------------------
expect step-not-counted 0 '1 passed, 0 failed, 0 skipped' -- \
	lane st 'plan a; step_ok build; pass a; step_ok another; results_finish st'

results_finish harness
