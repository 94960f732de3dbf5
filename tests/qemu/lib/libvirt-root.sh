#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# libvirt-root.sh <suite>: make sure the suite's "libvirt root" exists and
# print its path on stdout (the only thing printed there): a cached Debian
# root (tests/package/roots.sh, name libvirt-<suite>) with the management
# stack users run: libvirt's daemon (libvirtd, its nodedev and QEMU
# drivers), virsh, mdevctl, udev and the suite's QEMU.
#
# Why a root and not a payload in the initramfs (like vmm-payload.sh):
# libvirt is a system, not one binary: it loads driver modules, reads its
# configuration from /etc/libvirt, needs the users and groups its postinst
# scripts make (libvirt-qemu), calls mdevctl (which runs its callouts), and
# runs QEMU with its firmware.  A root made by apt, postinst scripts
# included, is what users have; copying its ELF closure into a cpio would
# be a second, hand-made installation.  The guest reads it over virtio-9p
# (boot.sh -virtfs, read-only: only the files libvirt opens cross into the
# VM, no 300 MB initramfs to unpack under TCG) below a tmpfs overlay, and
# enters it with chroot (tests/qemu/guest/libvirt.sh).  The root is never
# written to: it is the lower layer, as in the package lane.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: libvirt-root.sh <suite>}
check_suite "$suite"
# libvirt's nodedev driver is a package of its own from Debian 13 on; in
# Debian 12 (libvirt 9.0) it is part of libvirt-daemon.
case "$suite" in
bookworm) nodedev= ;;
trixie | sid) nodedev=libvirt-daemon-driver-nodedev ;;
*) die "$suite: no libvirt root for this suite (bookworm, trixie, sid)" ;;
esac
# shellcheck source=tests/package/roots.sh
. "$QEMU_LIB/../../package/roots.sh"
LIBVIRT_PKGS=(libvirt-daemon ${nodedev:+"$nodedev"} libvirt-daemon-driver-qemu
	libvirt-clients mdevctl udev qemu-system-x86)
root=
if ! pkgroot_get root "libvirt-$suite" "$suite" "${LIBVIRT_PKGS[@]}" >&2; then
	die "$suite: the libvirt root could not be made (see $PKGROOTS/libvirt-$suite.log)"
fi
log "$suite: libvirt root $root"
printf '%s\n' "$root"
