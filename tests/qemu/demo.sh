#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/qemu/demo.sh (`make demo`): boot Debian 12's kernel in QEMU and show
# the module at work.  Prepares (or reuses) the bookworm root, builds the
# module, builds the initramfs and runs guest entry `demo`
# (tests/qemu/guest/demo.sh), streaming its transcript live.  Preparation is
# quiet unless it fails; the exit status is the guest's.
# MIGVER_DEMO_SUITE=trixie|sid shows another kernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=tests/qemu/lib
# shellcheck source=tests/lib/kbuild-flags.sh
. tests/lib/kbuild-flags.sh
suite=${MIGVER_DEMO_SUITE:-bookworm}
export MIGVER_QEMU_OUT=${MIGVER_QEMU_OUT:-$PWD/build/qemu}
logf=$MIGVER_QEMU_OUT/$suite/demo-prepare.log
mkdir -p "$MIGVER_QEMU_OUT/$suite"
# Same per-checkout lock as run.sh (they share the output directory).
exec 8>"$MIGVER_QEMU_OUT/.lock"
if ! flock -n 8; then
	echo "demo: another QEMU run is using $MIGVER_QEMU_OUT; waiting" >&2
	flock 8
fi

echo "Preparing the $suite kernel, build root and module (first run: a few minutes)..."
# shellcheck disable=SC2086 # MIGVER_KBUILD_ARGS is a word list
if ! { root=$(bash $lib/prepare-root.sh "$suite") &&
	export "MIGVER_ROOT_$suite=$root" &&
	bash $lib/build-module.sh "$suite" $MIGVER_KBUILD_ARGS &&
	bash $lib/initramfs.sh "$suite"; } >"$logf" 2>&1; then
	cat "$logf" >&2
	echo "demo: preparation failed (log: $logf)" >&2
	exit 1
fi
echo "Booting under QEMU; guest transcript follows."
echo
rc=0
bash $lib/boot.sh "$suite" demo --stream 2>>"$logf" || rc=$?
echo
case $rc in
0) echo "demo: finished OK" ;;
124) echo "demo: the VM timed out (console: $MIGVER_QEMU_OUT/$suite/console-demo.log)" ;;
125) echo "demo: the VM crashed (console: $MIGVER_QEMU_OUT/$suite/console-demo.log)" ;;
*) echo "demo: guest exited $rc (console: $MIGVER_QEMU_OUT/$suite/console-demo.log)" ;;
esac
exit $rc
