#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# build-module.sh <suite> [extra make args, e.g. W=1]
#
# Build the module inside the suite's root with that suite's own gcc and
# kbuild (the headers pin the compiler: never override CC), then copy the
# resulting .ko files to build/qemu/<suite>/modules/.
#
# Sources: of the repository's tracked and untracked-but-not-ignored files
# (git ls-files -co --exclude-standard), i.e. the working tree as a
# developer sees it, the ones Kbuild reads (module_inputs below); only
# those are copied into the root, so the build cannot read anything the
# cache key leaves out.  MIGVER_MODULE_SRC=<dir> builds another directory
# instead (the lint lane's copy with a fifth GVT row).
#
# Successful builds are cached in $MIGVER_CACHE/modbuild, keyed by every
# input: the sources' names and contents, the make arguments and the root
# (its path and migver-root.env: kernel headers, compiler).  A hit copies
# the cached .ko files and build.log instead of building: the QEMU lane
# and the lint lane build the same tree with the same flags
# (tests/lib/kbuild-flags.sh), and a rerun of an unchanged tree builds
# nothing.  Failed builds are never cached.  MIGVER_BUILD_CACHE=0 always
# builds.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: build-module.sh <suite> [make args]}
shift
check_suite "$suite"
root=$(suite_root "$suite")
. "$root/migver-root.env"

src=$(cd "${MIGVER_MODULE_SRC:-$REPO}" && pwd -P)
# MIGVER_MAKE_GOAL: one kbuild target instead of the modules, e.g.
# src/driver/types.o (no .ko then, and nothing cached)
goal=${MIGVER_MAKE_GOAL:-modules}
dst="$root/build/mdev-migver"
out="${MIGVER_QEMU_OUT:-$REPO/build/qemu}/$suite/modules"

# module_inputs: what Kbuild reads: itself, the sources and headers, the
# KUnit suites, and the release (debian/changelog through mk/, or VERSION).
# README, tests, tools and packaging edits do not rebuild the module.
module_inputs='^(Kbuild|Makefile|VERSION|debian/changelog|(mk|src|include|tests/kunit)/.*)$'

# source_files: the files to build, NUL-separated, relative to $src, sorted.
source_files() {
	if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
		[ "$(git -C "$src" rev-parse --show-toplevel)" = "$(cd "$src" && pwd -P)" ]; then
		(cd "$src" && git ls-files -co --exclude-standard -z |
			grep -zv '^build/' | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh)
	else
		(cd "$src" && find . -path ./build -prune -o \( -type f -o -type l \) -printf '%P\0')
	fi | grep -zE "$module_inputs" | LC_ALL=C sort -z
}

key=$({
	(cd "$src" && source_files | xargs -0 -r sha256sum --)
	printf 'args:'
	printf ' %q' "$@" "$goal"
	printf '\nroot: %s\n' "$root"
	cat "$root/migver-root.env"
} | sha256sum | cut -c1-16)
cache="$MIGVER_CACHE/modbuild/$suite-$key"

# Concurrent builds for the same suite (other checkouts) share $dst.
exec 9>"$root/build.lock"
flock 9
rm -rf --one-file-system "$out"
mkdir -p "$out"
if [ "${MIGVER_BUILD_CACHE:-1}" != 0 ] && [ "$goal" = modules ] && [ -f "$cache/build.log" ]; then
	cp "$cache"/*.ko "$out/"
	cp "$cache/build.log" "$out/../build.log"
	touch "$cache"
	log "$suite: unchanged sources and flags, reusing the build of $(stat -c %y "$cache/build.log" | cut -c1-19) ($cache)"
	log "$suite: built $(cd "$out" && echo *.ko)"
	exit 0
fi
rm -rf --one-file-system "$dst"
mkdir -p "$dst"
(cd "$src" && source_files | tar --null -T - -cf -) | tar -C "$dst" -xf -

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
	make -C "$kdir" M=/build/mdev-migver -j2 "$@" "$goal" \
	>"$out/../build.log" 2>&1; then
	cat "$out/../build.log" >&2
	die "$suite: module build failed"
fi
if [ "$goal" != modules ]; then
	log "$suite: built $goal"
	exit 0
fi
# The frame limit in the lint flags is tighter than the kernel's on
# purpose; tests/lint/kbuild.sh judges those lines.
grep -E 'warning:|error:' "$out/../build.log" | grep -v -- '-Wframe-larger-than' >&2 || true
find "$dst" -name '*.ko' -exec cp {} "$out/" \;
ls "$out"/*.ko >/dev/null 2>&1 || die "$suite: the build produced no .ko"
log "$suite: built $(cd "$out" && echo *.ko)"

# Into the cache (atomically: a concurrent reader sees all or nothing);
# entries unused for two days go.
if [ "${MIGVER_BUILD_CACHE:-1}" != 0 ]; then
	mkdir -p "$MIGVER_CACHE/modbuild"
	tmpc=$(mktemp -d "$cache.tmp.XXXXXX")
	cp "$out"/*.ko "$out/../build.log" "$tmpc/"
	rm -rf --one-file-system "$cache"
	mv -T "$tmpc" "$cache" 2>/dev/null || rm -rf --one-file-system "$tmpc"
	find "$MIGVER_CACHE/modbuild" -mindepth 1 -maxdepth 1 -mtime +1 \
		-exec rm -rf --one-file-system {} + 2>/dev/null || true
fi
