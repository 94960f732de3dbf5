#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vgpu-rom.sh <work dir> <rom>: build <rom>, the 64 KiB -bios image of the
# nested VM (tests/qemu/guest/vmm/vgpu-guest.c and vgpu-guest.ld) with the
# host's gcc and binutils, its objects in <work dir>.  Used by the
# initramfs of guest entries vmm (vmm-initramfs.sh) and libvirt
# (libvirt-initramfs.sh, the domain's firmware).
set -euo pipefail
. "$(dirname "$0")/common.sh"

w=${1:?usage: vgpu-rom.sh <work dir> <rom>}
rom=${2:?usage: vgpu-rom.sh <work dir> <rom>}
src=$REPO/tests/qemu/guest/vmm
mkdir -p "$w" "$(dirname "$rom")"
gcc -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -nostdlib -O2 -Wall -Wextra -Werror \
	-c "$src/vgpu-guest.c" -o "$w/vgpu-guest.o" ||
	die "compiling vgpu-guest.c failed"
ld -m elf_i386 -z noexecstack --no-warn-rwx-segments \
	-T "$src/vgpu-guest.ld" -o "$w/vgpu-guest.elf" "$w/vgpu-guest.o" ||
	die "linking vgpu-guest.elf failed"
objcopy -O binary -R .bss "$w/vgpu-guest.elf" "$rom"
[ "$(stat -c %s "$rom")" = 65536 ] || die "vgpu-guest.rom is not 64 KiB"
