# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Helpers of the scripts that assemble an initramfs (initramfs.sh and the
# vmm-, libvirt- and twohost-initramfs.sh layers on it); sourced after
# common.sh.  Not in common.sh on purpose: common.sh is part of the keys
# of the cached roots (prepare-root.sh, tests/package/roots.sh), and these
# have nothing to do with what goes into a root.

# kmod_unpack <module file> <destination>: a kernel module, decompressed
# (6.12+ ship .ko.xz; busybox's modprobe and insmod take plain .ko)
kmod_unpack() {
	case "$1" in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# cat_archives <archive>...: gzip'd cpio archives one after the other on
# stdout, each but the last padded with zero bytes to a multiple of 4 (the
# kernel unpacks concatenated archives and skips zeros between them)
cat_archives() {
	local n
	while [ $# -gt 1 ]; do
		cat "$1"
		n=$(($(stat -c %s "$1") % 4))
		[ "$n" -eq 0 ] || head -c $((4 - n)) /dev/zero
		shift
	done
	cat "$1"
}
