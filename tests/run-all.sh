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
	"kunit:bash tests/kunit/run.sh"
	"qemu:bash tests/qemu/run.sh"
	"lint:bash tests/lint/run.sh"
	"package:bash tests/package/run.sh"
	"debug:bash tests/debug/run.sh"
)

passed=0 failed=0 skipped=0 rc=0
for entry in "${SUITES[@]}"; do
	name=${entry%%:*}
	cmd=${entry#*:}
	echo "=== suite $name: $cmd"
	start=$SECONDS
	$cmd
	status=$?
	echo "=== suite $name: exit $status after $((SECONDS - start)) s"
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
