# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# W=1 and sparse builds of the module against each supported kernel's own
# headers and compiler, inside the QEMU harness's Debian roots.  Sourced by
# tests/lint/run.sh (plan and results bookkeeping are the caller's): cases
# w1-<suite> and sparse-<suite>.

lint_out=$PWD/build/lint
for suite in $MIGVER_SUITES; do
	if ! bash tests/qemu/lib/prepare-root.sh "$suite" >"$lint_out-$suite-prepare.log" 2>&1; then
		step_fail "kbuild-$suite" "root preparation failed: $(tail -n 3 "$lint_out-$suite-prepare.log")"
		continue
	fi
	log=$lint_out/$suite/build.log
	if ! MIGVER_QEMU_OUT=$lint_out bash tests/qemu/lib/build-module.sh \
		"$suite" W=1 C=1 >/dev/null 2>&1; then
		step_fail "kbuild-$suite" "build failed: $(grep -m1 -E 'error' "$log")"
		continue
	fi
	if grep -qE 'warning:|error:' "$log"; then
		fail "w1-$suite" "$(grep -m1 -E 'warning:|error:' "$log")"
		sed 's/^/    /' "$log"
	else
		pass "w1-$suite"
	fi
	# sparse prints its findings as warnings (checked above); also make sure
	# it really looked at every driver file rather than being turned off by
	# kbuild ("C=1 specified, but sparse is not available or not up to
	# date"): every src/ file, less fault.c where the kernel has no fault
	# injection in debugfs (Debian's: Kbuild then leaves it out).
	checked=$(grep -c '^ *CHECK ' "$log" || true)
	want=$(git ls-files 'src/*.c' | wc -l)
	grep -q '^ *CC .*/src/driver/fault\.o$' "$log" || want=$((want - 1))
	if [ "$checked" -ge "$want" ]; then
		pass "sparse-$suite"
	else
		fail "sparse-$suite" "sparse checked $checked of $want files$(grep -m1 -o 'C=1 specified.*' "$log" | sed 's/^/: /')"
	fi
done
