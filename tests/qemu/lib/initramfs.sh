#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# initramfs.sh <suite>: build build/qemu/<suite>/initramfs.cpio.gz from
#   - the host's static busybox (bookworm's is static and runs on every
#     kernel here) with its applet links,
#   - the kernel's vfio / vfio_iommu_type1 / mdev modules plus whatever our
#     modules depend on, with their dependency closure, DECOMPRESSED (6.12+
#     ship .ko.xz; busybox's modprobe is simplest with plain .ko),
#   - our modules from build/qemu/<suite>/modules under /lib/modules/<kver>/extra,
#   - depmod output made on the host, so `modprobe mdev_migver` works,
#   - tests/qemu/guest/ as /tests, its *.c compiled static into /tests/bin,
#     and the migver tool (tools/migver, static) as /tests/bin/migver with
#     its mdevctl callout,
#   - /init (tests/qemu/lib/init.sh);
#   - appended, the Debian packages named in tests/qemu/guest/pkgs
#     (guest-pkgs.sh: mdevctl and the libraries it needs).
# Extra kernel modules for the guest: one name per line in
# tests/qemu/guest/kmods (optional) or MIGVER_GUEST_KMODS="a b".
# MIGVER_GUEST_DIR=<dir> replaces tests/qemu/guest (harness self-tests);
# MIGVER_MODULES_DIR=<dir> takes our .ko files from elsewhere (e.g. a DKMS
# build) instead of build/qemu/<suite>/modules; MIGVER_QEMU_OUT=<dir>
# replaces build/qemu as the output directory (all lib scripts).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/archive.sh"

suite=${1:?usage: initramfs.sh <suite>}
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"

out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite"
guest=${MIGVER_GUEST_DIR:-$REPO/tests/qemu/guest}
kmoddir="$root/kernel/lib/modules/$KVER"
ir="$out/initramfs"
rm -rf --one-file-system "$ir"
mkdir -p "$ir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,tests/bin,lib/modules/"$KVER"/extra}

# busybox + applet links (paths as busybox itself lists them)
cp /bin/busybox "$ir/bin/busybox"
/bin/busybox --list-full | while read -r a; do
	[ -e "$ir/$a" ] || ln -s /bin/busybox "$ir/$a"
done

# Our modules first: their "depends" join the list of kernel modules needed.
want="vfio vfio_iommu_type1 mdev"
for ko in "${MIGVER_MODULES_DIR:-$out/modules}/"*.ko; do
	[ -e "$ko" ] || continue
	cp "$ko" "$ir/lib/modules/$KVER/extra/"
	want="$want $(modinfo -F depends "$ko" | tr ',' ' ')"
done
[ -f "$guest/kmods" ] && want="$want $(grep -v '^#' "$guest/kmods" | tr '\n' ' ')"
want="$want ${MIGVER_GUEST_KMODS:-}"

# Dependency closure through the kernel's own modules.dep; built-ins print
# "builtin ..." and need no file.
files=$(for m in $want; do
	modprobe -d "$root/kernel" -S "$KVER" --show-depends "$m" ||
		die "$suite: kernel $KVER has no module '$m'"
done | awk '$1 == "insmod" {print $2}' | sort -u)
for f in $files; do
	rel=${f#"$kmoddir"/}
	dest="$ir/lib/modules/$KVER/${rel%.[xg]z}"
	dest=${dest%.zst}
	mkdir -p "${dest%/*}"
	kmod_unpack "$f" "$dest"
done
for m in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$kmoddir/$m" ] && cp "$kmoddir/$m" "$ir/lib/modules/$KVER/"
done
depmod -b "$ir" "$KVER"

# Guest payload: scripts as they are, C helpers compiled static on the host
# (host glibc and linux-libc-dev's <linux/vfio.h> are fine for these).
# Every suite and lane takes the same helpers and the same migver (the
# userspace tool, tools/migver with the core, static): they are compiled
# once into $MIGVER_CACHE/guest-bin/<key>, the key hashing their sources,
# the compiler and the host's libc, jansson and kernel headers.
guest_helpers() {
	local key bins c n tmpb
	key=$({
		echo "$helper_cflags"
		gcc --version | head -n1
		dpkg-query -W -f='${Package} ${Version}\n' libc6-dev linux-libc-dev libjansson-dev 2>&1 || true
		(cd "$guest" && find . -maxdepth 1 -name '*.[ch]' -print0 |
			LC_ALL=C sort -z | xargs -0 -r sha256sum --)
		(cd "$REPO" && find tools/migver src/core include -type f -print0 |
			LC_ALL=C sort -z | xargs -0 -r sha256sum --)
	} | sha256sum | cut -c1-16)
	bins="$MIGVER_CACHE/guest-bin/$key"
	mkdir -p "$MIGVER_CACHE/guest-bin"
	exec 7>"$MIGVER_CACHE/guest-bin/.lock"
	flock 7
	if [ ! -f "$bins/.complete" ]; then
		tmpb=$(mktemp -d "$bins.tmp.XXXXXX")
		for c in "$guest"/*.c; do
			[ -e "$c" ] || continue
			n=$(basename "$c" .c)
			# shellcheck disable=SC2086 # a word list
			gcc $helper_cflags -o "$tmpb/$n" "$c" || {
				rm -rf "$tmpb"
				die "compiling $c failed"
			}
		done
		make -s -C "$REPO/tools/migver" O="$tmpb/migver-build" STATIC=1 >/dev/null || {
			rm -rf "$tmpb"
			die "building migver failed"
		}
		mv "$tmpb/migver-build/migver" "$tmpb/migver"
		rm -rf "$tmpb/migver-build"
		touch "$tmpb/.complete"
		rm -rf --one-file-system "$bins"
		mv -T "$tmpb" "$bins"
		log "$suite: guest helpers compiled into $bins"
	fi
	touch "$bins"
	find "$MIGVER_CACHE/guest-bin" -mindepth 1 -maxdepth 1 -type d -mtime +1 \
		-exec rm -rf --one-file-system {} + 2>/dev/null || true
	exec 7>&-
	cp -a "$bins/." "$ir/tests/bin/"
	rm -f "$ir/tests/bin/.complete"
	# the tool's mdevctl callout (a script; guest/mdevctl.sh enables it)
	cp "$REPO/tools/migver/mdevctl-callout" "$ir/tests/bin/"
}
helper_cflags="-static -O2 -Wall -Wextra -Werror"
if [ -d "$guest" ]; then
	cp -a "$guest/." "$ir/tests/"
	guest_helpers
else
	log "WARNING: no guest directory $guest; the initramfs has no tests"
fi

cp "$QEMU_LIB/init.sh" "$ir/init"
chmod 755 "$ir/init"
printf '%s\n' "$suite" >"$ir/etc/migver-suite"

(cd "$ir" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -1 >"$out/initramfs.cpio.gz"
# Debian programs for the guest scenarios ($guest/pkgs, e.g. mdevctl): a
# second archive after the first, made and cached by guest-pkgs.sh.
if [ -f "$guest/pkgs" ]; then
	pkgs=$(bash "$QEMU_LIB/guest-pkgs.sh" "$suite" "$guest/pkgs") ||
		die "$suite: the guest packages of $guest/pkgs failed"
	cat "$pkgs" >>"$out/initramfs.cpio.gz"
fi
log "$suite: initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1) ($(echo "$files" | wc -w) kernel modules)"
