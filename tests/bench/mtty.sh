#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# mtty.sh <suite> <outdir>: put the kernel's own mtty sample
# (samples/vfio-mdev/mtty.c), built out-of-tree for the suite's kernel, at
# <outdir>/mtty.ko.
#
# The source comes from Debian's linux-source-<major.minor> of the same
# version as the kernel's headers, fetched with the harness's private apt
# configuration (never the host's) into the cache; the build runs inside
# the suite's root with its own gcc, exactly like our module.  The result is
# cached under $MIGVER_CACHE/bench/mtty-<kver>-<source version>-<hash of
# this script>, so a new kernel or a changed recipe rebuilds it.
#
# One change is made to mtty.c and it is printed: MAX_MTTYS (the total of
# serial ports across all mtty devices, 24 upstream) is raised so that the
# benchmark can keep 64 single-port instances alive.  It only sizes a
# counter; nothing is allocated per unit of it.
set -euo pipefail
# shellcheck source=tests/qemu/lib/common.sh
. "$(dirname "$0")/../qemu/lib/common.sh"

suite=${1:?usage: mtty.sh <suite> <outdir>}
outdir=${2:?usage: mtty.sh <suite> <outdir>}
check_suite "$suite"
root=$(suite_root "$suite")
# shellcheck source=/dev/null # written by prepare-root.sh
. "$root/migver-root.env"

# linux-source-6.12 for kernel 6.12.117+deb13-amd64, version = HDR_VER.
series=$(printf '%s\n' "$KVER" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
srcpkg=linux-source-$series
script_hash=$(hash_files "$0")
cache="$MIGVER_CACHE/bench/mtty-$KVER-$HDR_VER-$script_hash"
mkdir -p "$MIGVER_CACHE/bench" "$outdir"
exec 7>"$MIGVER_CACHE/bench/.lock-mtty-$suite"
flock 7

if [ ! -f "$cache/mtty.ko" ]; then
	debs=$(debs_dir "$suite")
	mkdir -p "$debs"
	# The .deb of exactly this version, if an earlier run fetched it.
	deb=$debs/${srcpkg}_${HDR_VER}_all.deb
	if [ ! -f "$deb" ]; then
		log "$suite: downloading $srcpkg=$HDR_VER (private apt config)"
		(cd "$debs" && papt_get "$suite" download "$srcpkg=$HDR_VER" >&2) ||
			die "$suite: cannot download $srcpkg=$HDR_VER"
		[ -f "$deb" ] || die "$suite: apt-get download left no $deb"
	fi
	tmp="$MIGVER_CACHE/bench/.tmp-mtty-$$"
	trap 'rm -rf --one-file-system "$tmp"' EXIT
	mkdir -p "$tmp/deb"
	# Only one file of the ~150 MB tarball is wanted: stream it out
	# instead of unpacking the tree.
	dpkg-deb -x "$deb" "$tmp/deb"
	tarball=$(find "$tmp/deb/usr/src" -maxdepth 1 -name "$srcpkg.tar.*" | head -n1)
	[ -n "$tarball" ] || die "$srcpkg has no /usr/src/$srcpkg.tar.*"
	tar -xOf "$tarball" --wildcards '*/samples/vfio-mdev/mtty.c' >"$tmp/mtty.c"
	rm -rf --one-file-system "$tmp/deb"
	grep -q '^#define MAX_MTTYS' "$tmp/mtty.c" || die "mtty.c has no MAX_MTTYS"
	sed -i 's/^#define MAX_MTTYS.*/#define MAX_MTTYS\t2048 \/* mdev-migver bench: was 24 *\//' "$tmp/mtty.c"

	# Build in the root, as build-module.sh does for ours (same lock).
	dst="$root/build/mtty"
	exec 9>"$root/build.lock"
	flock 9
	rm -rf --one-file-system "$dst"
	mkdir -p "$dst"
	cp "$tmp/mtty.c" "$dst/"
	printf 'obj-m := mtty.o\n' >"$dst/Kbuild"
	kdir=/lib/modules/$KVER/build
	[ -e "$root$kdir/Makefile" ] || kdir=/usr/src/linux-headers-$KVER
	mount -t proc proc "$root/proc"
	if ! chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
		make -C "$kdir" M=/build/mtty -j2 modules >"$tmp/build.log" 2>&1; then
		umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
		cat "$tmp/build.log" >&2
		die "$suite: mtty build failed"
	fi
	umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
	flock -u 9
	mkdir -p "$tmp/out"
	cp "$dst/mtty.ko" "$tmp/mtty.c" "$tmp/build.log" "$tmp/out/"
	# Builds of this kernel by an older recipe are stale: drop them.
	rm -rf --one-file-system "$MIGVER_CACHE/bench/mtty-$KVER-"*
	mv "$tmp/out" "$cache"
	log "$suite: built mtty.ko from $srcpkg $HDR_VER"
else
	log "$suite: cached mtty.ko ($cache)"
fi
cp "$cache/mtty.ko" "$outdir/"
