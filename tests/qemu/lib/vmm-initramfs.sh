#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vmm-initramfs.sh <suite>: build/qemu/<suite>/initramfs-vmm.cpio.gz, the
# initramfs of guest entry vmm: the suite's test initramfs (initramfs.sh,
# built first) with two more archives appended (the kernel unpacks
# concatenated gzip'd cpio archives one after the other):
#   - the suite's QEMU (vmm-payload.sh, cached by package versions),
#   - /tests/bin/vgpu-guest.rom, the inner VM's firmware, a 64 KiB -bios
#     image (tests/qemu/guest/vmm/vgpu-guest.c), built by vgpu-rom.sh with the
#     host's gcc and binutils.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/archive.sh"

suite=${1:?usage: vmm-initramfs.sh <suite>}
check_suite "$suite"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
base="$out/initramfs.cpio.gz"
[ -s "$base" ] || die "no $base (run initramfs.sh $suite first)"
payload=$(bash "$QEMU_LIB/vmm-payload.sh" "$suite")

w="$out/vmm-extra"
rm -rf --one-file-system "$w"
bash "$QEMU_LIB/vgpu-rom.sh" "$w" "$w/root/tests/bin/vgpu-guest.rom"
(cd "$w/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -1 >"$w/extra.cpio.gz"

cat_archives "$base" "$payload" "$w/extra.cpio.gz" >"$out/initramfs-vmm.cpio.gz.tmp"
mv -f "$out/initramfs-vmm.cpio.gz.tmp" "$out/initramfs-vmm.cpio.gz"
log "$suite: vmm initramfs $(du -h "$out/initramfs-vmm.cpio.gz" | cut -f1)"
