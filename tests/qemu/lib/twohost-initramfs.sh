#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# twohost-initramfs.sh <suite>: build/qemu/<suite>/initramfs-twohost.cpio.gz,
# the initramfs of guest entry twohost: vmm-initramfs.sh's (the test
# initramfs, the suite's QEMU, the nested VM's firmware; made first when it
# is missing or older than the test initramfs) with one more archive
# appended: the kernel's virtio-net driver and its dependencies
# (decompressed, under /lib/modules/<kver>/twohost/) and their load order
# in /tests/twohost-kmods, one path per line, for insmod (the test
# initramfs's modules.dep is left as it is).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/archive.sh"

suite=${1:?usage: twohost-initramfs.sh <suite>}
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
base="$out/initramfs.cpio.gz"
vmm="$out/initramfs-vmm.cpio.gz"
[ -s "$base" ] || die "no $base (run initramfs.sh $suite first)"
if [ ! -s "$vmm" ] || [ "$vmm" -ot "$base" ]; then
	bash "$QEMU_LIB/vmm-initramfs.sh" "$suite"
fi

w="$out/twohost-extra"
rm -rf --one-file-system "$w"
mkdir -p "$w/root/lib/modules/$KVER/twohost" "$w/root/tests"
# built-ins (virtio_pci in Debian's configs) print "builtin ..." and need
# no file
modprobe -d "$root/kernel" -S "$KVER" --show-depends virtio_net |
	awk '$1 == "insmod" {print $2}' >"$w/files"
[ -s "$w/files" ] || die "$suite: no virtio_net module in kernel $KVER"
while read -r f; do
	n=${f##*/}
	n=${n%.[xg]z}
	n=${n%.zst}
	kmod_unpack "$f" "$w/root/lib/modules/$KVER/twohost/$n"
	echo "/lib/modules/$KVER/twohost/$n" >>"$w/root/tests/twohost-kmods"
done <"$w/files"
(cd "$w/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -1 >"$w/extra.cpio.gz"
cat_archives "$vmm" "$w/extra.cpio.gz" >"$out/initramfs-twohost.cpio.gz.tmp"
mv -f "$out/initramfs-twohost.cpio.gz.tmp" "$out/initramfs-twohost.cpio.gz"
log "$suite: twohost initramfs $(du -h "$out/initramfs-twohost.cpio.gz" | cut -f1) ($(wc -l <"$w/files") NIC modules)"
