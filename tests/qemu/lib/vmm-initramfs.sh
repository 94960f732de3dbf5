#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vmm-initramfs.sh <suite>: build/qemu/<suite>/initramfs-vmm.cpio.gz, the
# initramfs of guest entry vmm: the suite's test initramfs (initramfs.sh,
# built first) with two more archives appended (the kernel unpacks
# concatenated gzip'd cpio archives one after the other):
#   - the suite's QEMU (vmm-payload.sh, cached by package versions),
#   - /tests/bin/vgpu-guest.rom, the inner VM's firmware, a 64 KiB -bios
#     image (tests/qemu/guest/vmm/vgpu-guest.c), built here with the
#     host's gcc and binutils.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: vmm-initramfs.sh <suite>}
check_suite "$suite"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
base="$out/initramfs.cpio.gz"
[ -s "$base" ] || die "no $base (run initramfs.sh $suite first)"
payload=$(bash "$QEMU_LIB/vmm-payload.sh" "$suite")

src=$REPO/tests/qemu/guest/vmm
w="$out/vmm-extra"
rm -rf --one-file-system "$w"
mkdir -p "$w/root/tests/bin"
gcc -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -nostdlib -O2 -Wall -Wextra -Werror \
	-c "$src/vgpu-guest.c" -o "$w/vgpu-guest.o" ||
	die "compiling vgpu-guest.c failed"
ld -m elf_i386 -z noexecstack --no-warn-rwx-segments \
	-T "$src/vgpu-guest.ld" -o "$w/vgpu-guest.elf" "$w/vgpu-guest.o" ||
	die "linking vgpu-guest.elf failed"
objcopy -O binary -R .bss "$w/vgpu-guest.elf" "$w/root/tests/bin/vgpu-guest.rom"
[ "$(stat -c %s "$w/root/tests/bin/vgpu-guest.rom")" = 65536 ] ||
	die "vgpu-guest.rom is not 64 KiB"
(cd "$w/root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -1 >"$w/extra.cpio.gz"

# pad4 <file>: the file and zero bytes up to a multiple of 4 (the kernel
# skips zeros between archives)
pad4() {
	local n
	cat "$1"
	n=$(($(stat -c %s "$1") % 4))
	[ "$n" -eq 0 ] || head -c $((4 - n)) /dev/zero
}
{
	pad4 "$base"
	pad4 "$payload"
	cat "$w/extra.cpio.gz"
} >"$out/initramfs-vmm.cpio.gz.tmp"
mv -f "$out/initramfs-vmm.cpio.gz.tmp" "$out/initramfs-vmm.cpio.gz"
log "$suite: vmm initramfs $(du -h "$out/initramfs-vmm.cpio.gz" | cut -f1)"
