#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# build-module.sh <suite> [extra make args, e.g. W=1]
#
# Build the module inside the suite's root with that suite's own gcc and
# kbuild (the headers pin the compiler: never override CC), then copy the
# resulting .ko files to build/qemu/<suite>/modules/.
#
# Sources: the repository's tracked and untracked-but-not-ignored files
# (git ls-files -co --exclude-standard, minus build/), i.e. the working tree
# as a developer sees it.  MIGVER_MODULE_SRC=<dir> builds another directory
# instead (used to test the harness with a throwaway module).
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: build-module.sh <suite> [make args]}
shift
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"

src=${MIGVER_MODULE_SRC:-$REPO}
dst="$root/build/mdev-migver"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite/modules"

# Concurrent builds for the same suite (other checkouts) share $dst.
exec 9>"$root/build.lock"
flock 9
rm -rf --one-file-system "$dst" "$out"
mkdir -p "$dst" "$out"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	[ "$(git -C "$src" rev-parse --show-toplevel)" = "$(cd "$src" && pwd -P)" ]; then
	(cd "$src" && git ls-files -co --exclude-standard -z |
		grep -zv '^build/' | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$dst" -xf -
else
	(cd "$src" && tar --exclude=./build -cf - .) | tar -C "$dst" -xf -
fi

kdir=/lib/modules/$KVER/build
[ -e "$root$kdir/Makefile" ] || kdir=/usr/src/linux-headers-$KVER
log "$suite: building module against $KVER with $(sed -n "s/^CONFIG_CC_VERSION_TEXT=//p" "$root/$KERNEL_CONFIG")"
# 7.2's objtool reads /proc (read_stack_limit: fopen failed otherwise), so
# /proc is mounted for the build and always unmounted again, also on errors.
# (Nothing else is mounted: no /dev, /sys.)  env -i keeps the host's
# environment (CC, ARCH, CFLAGS...) out of the chroot.
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || umount -l "$root/proc"' EXIT
if ! chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
	make -C "$kdir" M=/build/mdev-migver -j2 "$@" modules \
	>"$out/../build.log" 2>&1; then
	cat "$out/../build.log" >&2
	die "$suite: module build failed"
fi
grep -E 'warning:|error:' "$out/../build.log" >&2 || true
find "$dst" -name '*.ko' -exec cp {} "$out/" \;
ls "$out"/*.ko >/dev/null 2>&1 || die "$suite: the build produced no .ko"
log "$suite: built $(cd "$out" && echo *.ko)"
