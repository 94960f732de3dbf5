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
suite=${MIGVER_DEMO_SUITE:-bookworm}
logf=build/qemu/$suite/demo-prepare.log
mkdir -p "build/qemu/$suite"

echo "Preparing the $suite kernel, build root and module (first run: a few minutes)..."
if ! { bash $lib/prepare-root.sh "$suite" >/dev/null &&
	bash $lib/build-module.sh "$suite" &&
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
124) echo "demo: the VM timed out (console: build/qemu/$suite/console-demo.log)" ;;
125) echo "demo: the VM crashed (console: build/qemu/$suite/console-demo.log)" ;;
*) echo "demo: guest exited $rc (console: build/qemu/$suite/console-demo.log)" ;;
esac
exit $rc
