#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# libvirt-initramfs.sh <suite>: build/qemu/<suite>/initramfs-libvirt.cpio.gz,
# the initramfs of guest entry libvirt: the suite's test initramfs
# (initramfs.sh, built first) with one more archive appended (the kernel
# unpacks concatenated gzip'd cpio archives one after the other) holding
# the kernel modules the guest needs to reach the libvirt root
# (libvirt-root.sh) over virtio-9p and to lay a tmpfs over it: 9p, its
# transport (and virtio's PCI driver where it is a module) and overlay,
# DECOMPRESSED under /tests/kmod/, with /tests/kmod/order (their insmod
# order, dependencies first, from the kernel's own modules.dep), and
# /tests/bin/vgpu-guest.rom, the firmware
# of the domain the entry starts (the vmm entry's, vmm/vgpu-guest.c).  The
# matrix initramfs stays as it is.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/archive.sh"

suite=${1:?usage: libvirt-initramfs.sh <suite>}
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
base="$out/initramfs.cpio.gz"
[ -s "$base" ] || die "no $base (run initramfs.sh $suite first)"

w="$out/libvirt-extra"
rm -rf --one-file-system "$w"
mkdir -p "$w/root/tests/kmod"
: >"$w/root/tests/kmod/order"
# virtio_pci: a module in Debian 12's 6.1 (built in from 6.12 on, where
# modprobe prints "builtin virtio_pci" and nothing is added)
for m in virtio_pci 9p 9pnet_virtio overlay; do
	modprobe -d "$root/kernel" -S "$KVER" --show-depends "$m" ||
		die "$suite: kernel $KVER has no module '$m'"
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r f; do
	n=${f##*/}
	n=${n%.xz}
	n=${n%.zst}
	n=${n%.gz}
	kmod_unpack "$f" "$w/root/tests/kmod/$n"
	echo "$n" >>"$w/root/tests/kmod/order"
done
[ -s "$w/root/tests/kmod/order" ] || die "$suite: no 9p/overlay modules"
# The domain's firmware: the vmm entry's inner VM (vgpu-guest.c), built
# by vgpu-rom.sh, as for the vmm entry.
bash "$QEMU_LIB/vgpu-rom.sh" "$w" "$w/root/tests/bin/vgpu-guest.rom"
(cd "$w/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -1 >"$w/extra.cpio.gz"
cat_archives "$base" "$w/extra.cpio.gz" >"$out/initramfs-libvirt.cpio.gz.tmp"
mv -f "$out/initramfs-libvirt.cpio.gz.tmp" "$out/initramfs-libvirt.cpio.gz"
log "$suite: libvirt initramfs $(du -h "$out/initramfs-libvirt.cpio.gz" | cut -f1) ($(tr '\n' ' ' <"$w/root/tests/kmod/order"))"
