# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# W=1 and sparse builds of the module against each supported kernel's own
# headers and compiler, inside the QEMU harness's Debian roots, with a
# frame limit of 511 bytes.  Sourced by tests/lint/run.sh (plan and results
# bookkeeping are the caller's): cases w1-<suite>, sparse-<suite> and
# store-stack-<suite>.  The make arguments are tests/lib/kbuild-flags.sh's,
# the QEMU lane's too: build-module.sh's cache then hands this lane the
# build the QEMU lane booted (same sources, flags and root), log included.
#
#   store-stack-<suite>  no function of src/driver/version.c, i.e. of the
#                        migration_version store path, has a stack frame of
#                        MIGVER_BUF_SIZE (512) bytes or more: a refusal's log
#                        line is formatted only by the function that prints
#                        it, after the rate limit let it through

# shellcheck source=tests/lib/kbuild-flags.sh
source tests/lib/kbuild-flags.sh
lint_out=$PWD/build/lint
for suite in $MIGVER_SUITES; do
	if ! root=$(bash tests/qemu/lib/prepare-root.sh "$suite" 2>"$lint_out-$suite-prepare.log"); then
		step_fail "kbuild-$suite" "root preparation failed: $(tail -n 3 "$lint_out-$suite-prepare.log")"
		continue
	fi
	log=$lint_out/$suite/build.log
	# shellcheck disable=SC2086 # a word list
	if ! MIGVER_QEMU_OUT=$lint_out bash tests/qemu/lib/build-module.sh \
		"$suite" $MIGVER_KBUILD_ARGS >/dev/null 2>&1; then
		step_fail "kbuild-$suite" "build failed: $(grep -m1 -E 'error' "$log")"
		continue
	fi
	# W=1: no warning, except frame-size lines under the kernel's own
	# limit (CONFIG_FRAME_WARN), which only our tighter limit reports.
	frame_warn=$(sed -n 's/^CONFIG_FRAME_WARN=//p' "$root/$(. "$root/migver-root.env" && echo "$KERNEL_CONFIG")")
	bad=$(grep -E 'warning:|error:' "$log" | awk -v lim="${frame_warn:-0}" '
		match($0, /frame size of [0-9]+ bytes is larger than 511 bytes/) {
			split(substr($0, RSTART, RLENGTH), w, " ")
			if (lim > 0 && w[4] + 0 <= lim) next
		}
		{ print }')
	if [ -n "$bad" ]; then
		fail "w1-$suite" "$(printf '%s\n' "$bad" | head -n1)"
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
	case " $MIGVER_KBUILD_ARGS " in
	*' KCFLAGS=-Wframe-larger-than=511 '*) limit=yes ;;
	*) limit=no ;;
	esac
	if [ "$limit" = no ]; then
		fail "store-stack-$suite" "tests/lib/kbuild-flags.sh no longer sets the 511-byte frame limit"
	elif hit=$(grep -m1 'src/driver/version\.c.*frame size' "$log"); then
		fail "store-stack-$suite" "$hit"
	else
		pass "store-stack-$suite"
	fi
done
