#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `matrix-tail` of the debug lane (tests/debug/run.sh), booted
# beside entries `debug` and `faults`: the parts of /tests/matrix.sh that
# entry `debug` leaves out (bad input, live migration, PCI parent mode,
# mdevctl), so that the scenarios take two VMs' time instead of one's.  A kmemleak report follows
# them, as after every part of entry `debug`.
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

# shellcheck source=tests/debug/guest/kmemleak.sh
. /tests/kmemleak.sh

kmemleak_baseline matrix-tail/kmemleak-baseline
status=0
MATRIX_PARTS="badinput migration pci mdevctl" sh /tests/matrix.sh || status=1
kmemleak_report after-matrix-tail
finish
[ "$status" -eq 0 ] && [ "$nfail" -eq 0 ]
