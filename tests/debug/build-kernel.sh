#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# build-kernel.sh: make sure the debug kernel exists and print the path of
# its root on stdout (the only thing printed there).
#
# The debug root is a copy of the QEMU harness's trixie root (the suite whose
# gcc-14 builds 6.12) plus linux-source-6.12 and the kernel's build
# dependencies, installed inside the copy: never on the host, and never in
# the shared trixie root that other runs build modules in.  In it:
#   /usr/src/linux-debug/       the unmodified Debian 6.12 tree, built with
#                               tinyconfig + tests/debug/debug.config
#   /kernel/boot/vmlinuz-<kver> and config-<kver>, /kernel/lib/modules/<kver>
#   /lib/modules/<kver>/build   -> the tree, for `make M=` module builds
#   /migver-root.env            the harness's root description, so the
#                               harness scripts take this root through their
#                               MIGVER_ROOT_trixie knob like any other
#
# Cache: $MIGVER_CACHE/debugkernel/<key>, key = linux-source version + hash
# of the fragment and of this script.  Assembled in a temporary directory and
# renamed only when complete.  MIGVER_DEBUG_JOBS (default 2) sets make -j.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib/common.sh
. "$here/../qemu/lib/common.sh"

fragment=$here/debug.config
jobs=${MIGVER_DEBUG_JOBS:-2}
srcpkg=linux-source-6.12
tree=/usr/src/linux-debug

# The base root also refreshes trixie's private package index, which then
# names the linux-source version that goes into the key.
base=$(bash "$QEMU_LIB/prepare-root.sh" trixie)
srcver=$(papt_cache trixie policy "$srcpkg" | awk '/Candidate:/{print $2}')
case "$srcver" in '' | '(none)') die "trixie has no $srcpkg" ;; esac
key=$(printf '%s\n' "$srcpkg=$srcver" "$(hash_files "$fragment" "$0")" |
	sha256sum | cut -c1-16)
dir=$MIGVER_CACHE/debugkernel
root=$dir/$key

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -f "$root/migver-root.env" ]; then
	touch "$root/.last-used"
	log "debug kernel: cached $root"
	printf '%s\n' "$root"
	exit 0
fi

log "debug kernel: building $srcpkg $srcver (key $key), -j$jobs"
t0=$SECONDS
tmp=$dir/.tmp-$key-$$
cleanup() {
	umount "$tmp/proc" 2>/dev/null || true
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp"
# --one-file-system: a concurrent module build may have /proc mounted in the
# base root.  Its kernel/ (the distribution kernel) and build/ are not needed.
tar -C "$base" --one-file-system --exclude=./kernel --exclude=./build \
	--exclude=./build.lock -cf - . | tar -C "$tmp" -xf -
mkdir -p "$tmp/build" "$tmp/kernel"
mount -t proc proc "$tmp/proc"
inroot() { chroot "$tmp" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# Build dependencies of the kernel itself (objtool needs libelf, host tools
# libc6-dev); `gcc` is trixie's default compiler, gcc-14, so kbuild's plain
# CC=gcc is the compiler 6.12 is meant for.  .debs are shared with the
# harness's cache (hard links, same file system).
root_debs_in "$tmp" trixie
{
	inroot apt-get -q update &&
		inroot apt-get -q -y install "$srcpkg=$srcver" gcc libc6-dev bc bison \
			flex libelf-dev libssl-dev cpio
} >"$tmp.apt.log" 2>&1 || {
	tail -n 30 "$tmp.apt.log" >&2
	die "debug kernel: installing $srcpkg failed (log: $tmp.apt.log)"
}
rm -f "$tmp.apt.log"
root_debs_keep "$tmp" trixie
rm -f "$tmp/var/cache/apt/archives/"*.deb
log "debug kernel: root + $srcpkg in $((SECONDS - t0)) s"

t1=$SECONDS
inroot sh -c "mkdir -p $tree.x && tar -xaf /usr/src/$srcpkg.tar.xz -C $tree.x &&
	mv $tree.x/$srcpkg $tree && rmdir $tree.x"
# The tarball itself is no longer needed (~150 MB).
rm -f "$tmp/usr/src/$srcpkg.tar.xz"
cp "$fragment" "$tmp/usr/src/debug.config"
log "debug kernel: extracted in $((SECONDS - t1)) s"

kmake() { inroot make -C "$tree" -j"$jobs" "$@"; }
t2=$SECONDS
{
	kmake tinyconfig &&
		inroot sh -c "cd $tree && scripts/kconfig/merge_config.sh -m .config /usr/src/debug.config" &&
		kmake olddefconfig
} >"$tmp.config.log" 2>&1 || {
	tail -n 30 "$tmp.config.log" >&2
	die "debug kernel: configuration failed (log: $tmp.config.log)"
}
# merge_config only warns when a request does not survive: a silently
# missing KASAN or VFIO would make the whole lane meaningless.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) want=$line sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#\# } sym=${sym%% *} want="" ;;
	*) continue ;;
	esac
	got=$(grep -E "^($sym=|# $sym is not set)" "$tmp$tree/.config" || true)
	if [ -n "$want" ] && [ "$got" != "$want" ]; then
		log "debug kernel: $want requested, .config has '${got:-nothing}'"
		missing=1
	elif [ -z "$want" ] && [ "${got#"$sym="}" != "$got" ]; then
		log "debug kernel: $sym should be off, .config has '$got'"
		missing=1
	fi
done <"$fragment"
[ $missing -eq 0 ] || die "debug kernel: the fragment did not apply (see above)"
rm -f "$tmp.config.log"

if ! kmake bzImage modules >"$tmp.build.log" 2>&1; then
	tail -n 40 "$tmp.build.log" >&2
	die "debug kernel: build failed (log: $tmp.build.log)"
fi
build_s=$((SECONDS - t2))
# The release string as the build made it (with CONFIG_LOCALVERSION); only
# valid once the build has written it.
kver=$(cat "$tmp$tree/include/config/kernel.release")
log "debug kernel: $kver built in $build_s s"
kmake modules_install INSTALL_MOD_PATH=/kernel >"$tmp.build.log" 2>&1 || {
	tail -n 20 "$tmp.build.log" >&2
	die "debug kernel: modules_install failed"
}
rm -f "$tmp.build.log"
# One layout for the harness: <root>/kernel/lib/modules/<kver>.
if [ ! -d "$tmp/kernel/lib/modules/$kver" ] && [ -d "$tmp/kernel/usr/lib/modules/$kver" ]; then
	ln -s usr/lib "$tmp/kernel/lib"
fi
[ -f "$tmp/kernel/lib/modules/$kver/modules.dep" ] || die "debug kernel: no modules.dep for $kver"
mkdir -p "$tmp/kernel/boot"
cp "$tmp$tree/arch/x86/boot/bzImage" "$tmp/kernel/boot/vmlinuz-$kver"
cp "$tmp$tree/.config" "$tmp/kernel/boot/config-$kver"
# Relative link: it resolves the same inside the chroot and from the host,
# where build-module.sh looks for <root>/lib/modules/<kver>/build/Makefile.
mkdir -p "$tmp/usr/lib/modules/$kver"
ln -sfn "../../../src/linux-debug" "$tmp/usr/lib/modules/$kver/build"
[ -f "$tmp/lib/modules/$kver/build/Makefile" ] || die "debug kernel: build link broken"

{
	printf 'SUITE=trixie\nKEY=%q\nKVER=%q\n' "$key" "$kver"
	printf 'KERNEL_PKGS=%q\nSRC_PKG=%q\nSRC_VER=%q\n' "" "$srcpkg" "$srcver"
	printf 'KERNEL_IMAGE=%q\nKERNEL_CONFIG=%q\n' "kernel/boot/vmlinuz-$kver" "kernel/boot/config-$kver"
	printf 'CC_VERSION=%q\nBUILD_SECONDS=%q\nTOTAL_SECONDS=%q\n' \
		"$(inroot gcc -dumpfullversion)" "$build_s" "$((SECONDS - t0))"
} >"$tmp/migver-root.env"

umount "$tmp/proc"
touch "$tmp/.last-used"
mv -T "$tmp" "$root"
trap - EXIT
log "debug kernel: ready in $((SECONDS - t0)) s (kernel build $build_s s): $root"
# Other keys are stale once unused for a day (a concurrent run of another
# checkout may still use one).
for old in "$dir"/*; do
	if [ "$old" = "$root" ] || [ ! -d "$old" ]; then continue; fi
	if [ -z "$(find "$old/.last-used" -mmin -1440 2>/dev/null)" ]; then
		log "debug kernel: removing unused $old"
		rm -rf --one-file-system "$old"
	fi
done
printf '%s\n' "$root"
