#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Lint lane: checkpatch --strict on every kernel-side file, W=1 and sparse
# builds of the module against each supported kernel's own headers, the
# driver's build-time properties (driver-build.sh), and ShellCheck over
# the harness.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export MIGVER_CACHE="${MIGVER_CACHE:-/var/cache/mdev-migver}"
source tests/lib/results.sh
# shellcheck source=tests/lib/suites.sh
source tests/lib/suites.sh

# The plan: checkpatch per kernel-side file, W=1, sparse and the driver's
# build-time properties per kernel, ShellCheck and README's bench text once.
mapfile -t cp_files < <(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' \
	'tests/kunit/*.c' 'tests/kunit/*.h')
for f in "${cp_files[@]}"; do plan "checkpatch $f"; done
for s in $MIGVER_SUITES; do
	plan "w1-$s" "sparse-$s" "gvt-table-$s" "store-stack-$s"
done
plan shellcheck readme-bench

source tests/lint/checkpatch.sh
source tests/lint/kbuild.sh
source tests/lint/driver-build.sh
source tests/lint/shellcheck.sh

# README's Performance method text is what the bench code does, and its
# table carries the stamp of the report it came from.
if out=$(bash tests/bench/readme.sh check 2>&1); then
	pass readme-bench
else
	fail readme-bench "$(printf '%s\n' "$out" | tail -n1)"
	printf '%s\n' "$out" | sed 's/^/    /'
fi

results_finish lint
