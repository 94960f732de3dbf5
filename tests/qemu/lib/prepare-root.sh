#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prepare-root.sh <suite>: make sure a build root for <suite> exists and print
# its path on stdout (the only thing printed there).
#
# The root is debootstrap's minbase (a copy of the one the package lane's roots
# share) plus make, kmod, xz-utils, perl, sparse and the suite's
# current linux-headers (which pull the gcc-N the kernel was built with, via
# linux-compiler-gcc-N-x86 / linux-kbuild), with that kernel's image package
# unpacked under <root>/kernel/ (boot/vmlinuz-<kver>, lib/modules/<kver>).
# <root>/migver-root.env records what is inside.
#
# Cache key = suite + resolved header/image versions + hash of the scripts
# that make the root; a root whose key differs is stale and is rebuilt.  A root
# is assembled in a temporary directory and renamed only when complete, so an
# interrupted run never leaves a half-made root behind under the real name.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: prepare-root.sh <suite>}
check_suite "$suite"

# resolve.sh prints its own error (apt's words) when it fails; stop here
# rather than go on with unset versions.
resolved=$(bash "$QEMU_LIB/resolve.sh" "$suite") ||
	die "$suite: cannot resolve the suite's kernel (apt's error above)"
eval "$resolved"
# resolve.sh only chooses versions (already part of the key); these two
# scripts decide what goes into the root.
script_hash=$(hash_files "$QEMU_LIB/common.sh" "$QEMU_LIB/prepare-root.sh")
key=$(printf '%s\n' "$suite" "$HDR_META" "$IMG_META" "$HDR_PKG=$HDR_VER" \
	"$IMG_PKG=$IMG_VER" "$script_hash" | sha256sum | cut -c1-16)
roots="$MIGVER_CACHE/roots"
root="$roots/$suite-$key"

# One preparer per suite at a time (several developers' runs and run.sh's
# steps share the cache): the second waits, then finds the root cached.
mkdir -p "$roots"
exec 9>"$roots/.lock-$suite"
flock 9

if [ -f "$root/migver-root.env" ]; then
	touch "$root/.last-used"
	log "$suite: cached root $root ($KVER)"
	printf '%s\n' "$root"
	exit 0
fi

log "$suite: building root for $KVER (key $key)"
mkdir -p "$(debs_dir "$suite")/partial"
tmp="$roots/.tmp-$suite-$key-$$"
cleanup() {
	# Only the temporary root is ever removed here; nothing is mounted in it.
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

t0=$SECONDS
# A copy of the suite's debootstrap minbase, which the package lane's roots
# start from too (tests/package/roots.sh: made once per suite and index,
# under that file's per-suite lock); make, kmod, xz-utils, perl and sparse
# are installed with the headers below.
# shellcheck source=tests/package/roots.sh
. "$QEMU_LIB/../../package/roots.sh"
mkdir -p "$PKGROOTS"
exec 8>"$PKGROOTS/.suite-$suite.lock"
flock 8
{ _pkgroot_base base "$suite" && cp -a "$base" "$tmp" && rm -f "$tmp/.complete"; } \
	>"$tmp.debootstrap.log" 2>&1 || {
	tail -n 30 "$tmp.debootstrap.log" >&2
	die "$suite: the minbase failed (full log: $tmp.debootstrap.log)"
}
exec 8>&-
rm -f "$tmp.debootstrap.log"
log "$suite: minbase ready in $((SECONDS - t0)) s"

# Inside the root, apt trusts the suite's own keyring (installed and verified
# by debootstrap); same source lines as the private config.
suite_sources "$suite" /usr/share/keyrings/debian-archive-keyring.gpg \
	>"$tmp/etc/apt/sources.list"
suite_prefs "$suite" >"$tmp/etc/apt/preferences.d/90migver"
# The mirror may be a snapshot with expired Release files (common.sh).
printf 'Acquire::Languages "none";\nAPT::Install-Recommends "false";\n%s\n' \
	"$APT_ROOT_CONF" >"$tmp/etc/apt/apt.conf.d/90migver"

# The headers of trixie and later depend on the image package, whose
# postinst and initramfs-tools' trigger would build an initrd nobody uses
# (a minute per kernel): stub update-initramfs out with a local diversion,
# and let initramfs-tools (not dracut) satisfy the image's initramfs
# dependency.  The unpacked kernel under <root>/kernel/ comes from
# `dpkg -x` further down, not from this installation.
chroot "$tmp" dpkg-divert --quiet --local --rename \
	--divert /usr/sbin/update-initramfs.migver --add /usr/sbin/update-initramfs
printf '#!/bin/sh\n# stubbed by mdev-migver prepare-root.sh\nexit 0\n' >"$tmp/usr/sbin/update-initramfs"
chmod 755 "$tmp/usr/sbin/update-initramfs"
# No documentation or in-tree module files in the build root (the kernel
# under <root>/kernel/ has its own complete copy).
cat >"$tmp/etc/dpkg/dpkg.cfg.d/90migver" <<'EOC'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
path-exclude=/lib/modules/*/kernel/*
path-exclude=/usr/lib/modules/*/kernel/*
EOC

# Reuse cached .debs (hard links, same file system) and keep new ones.
root_debs_in "$tmp" "$suite"

t1=$SECONDS
inroot() { chroot "$tmp" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
# The kernel may be split over several packages (sid: linux-image-<abi>
# depends on linux-binary-, linux-modules-, linux-base-<abi>): follow the
# Depends of the image package to every linux-*-<abi> package pinned to the
# same version, and unpack them all.
kernel_pkgs() {
	local -a todo=("$IMG_PKG")
	local seen=" " p
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		case "$seen" in *" $p "*) continue ;; esac
		seen="$seen$p "
		# shellcheck disable=SC2207 # package names have no blanks
		todo+=($(inroot apt-cache show "$p=$IMG_VER" |
			sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' | tr ',|' '\n\n' |
			sed -n "s/^ *\(linux-[a-z0-9-]*-${KVER}[^ ]*\) *(= *$IMG_VER).*/\1/p"))
	done
	echo $seen
}
{
	inroot apt-get -q update &&
		inroot apt-get -q -y install make kmod xz-utils perl sparse \
			"$HDR_PKG=$HDR_VER" initramfs-tools &&
		kpkgs=$(kernel_pkgs) &&
		inroot sh -c "cd /var/cache/apt/archives && apt-get -q download $(printf " %s=$IMG_VER" $kpkgs)"
} >"$tmp.apt.log" 2>&1 || {
	tail -n 30 "$tmp.apt.log" >&2
	die "$suite: installing $HDR_PKG / downloading $IMG_PKG failed (log: $tmp.apt.log)"
}
rm -f "$tmp.apt.log"
report_expired_releases "$suite root" "$tmp/var/lib/apt/lists"

# Keep every downloaded .deb for the next cold build, then empty the root's
# archive dir (the root stays small; the cache holds one copy).
root_debs_keep "$tmp" "$suite"
mkdir -p "$tmp/kernel"
for p in $kpkgs; do
	dpkg -x "$(ls "$tmp/var/cache/apt/archives/${p}_"*.deb | head -n1)" "$tmp/kernel"
done
# trixie and later ship modules under usr/lib (merged /usr): give the kernel
# tree one shape, <root>/kernel/lib/modules/<kver>.
if [ ! -e "$tmp/kernel/lib" ] && [ -d "$tmp/kernel/usr/lib/modules" ]; then
	ln -s usr/lib "$tmp/kernel/lib"
fi
rm -f "$tmp/var/cache/apt/archives/"*.deb
[ -d "$tmp/kernel/lib/modules/$KVER" ] || die "$suite: $kpkgs: no lib/modules/$KVER"
# Image and config: /boot (6.1, 6.12) or the kernel-install layout inside
# the modules directory (sid's split packages).
# shellcheck disable=SC2034 # KERNEL_IMAGE/KERNEL_CONFIG are written through ${!v}
for f in "boot/vmlinuz-$KVER" "lib/modules/$KVER/vmlinuz" ""; do
	[ -n "$f" ] || die "$suite: $kpkgs: no vmlinuz for $KVER"
	[ -f "$tmp/kernel/$f" ] && KERNEL_IMAGE=kernel/$f && break
done
# shellcheck disable=SC2034
for f in "boot/config-$KVER" "lib/modules/$KVER/config" ""; do
	[ -n "$f" ] || die "$suite: $kpkgs: no kernel config for $KVER"
	[ -f "$tmp/kernel/$f" ] && KERNEL_CONFIG=kernel/$f && break
done
# The image package has no modules.dep (its postinst would make it): index
# the unpacked modules once here, so initramfs.sh can follow dependencies.
depmod -b "$tmp/kernel" "$KVER"
# The kbuild tree must be there for `make -C /lib/modules/<kver>/build`.
[ -e "$tmp/lib/modules/$KVER/build/Makefile" ] || [ -e "$tmp/usr/src/linux-headers-$KVER/Makefile" ] ||
	die "$suite: no kbuild tree for $KVER after installing $HDR_PKG"
# Debian's kbuild for 7.2 calls scripts/checker-valid.sh (does sparse
# understand what the headers use, e.g. __typeof_unqual__?) but does not
# ship it, so kbuild turns C=1 off.  Give the root a probe of the same
# contract (print 1 when the checker, run with the given flags, parses such
# code without an error; sparse exits 0 even on errors) so the lint lane's
# sparse run really checks.
for mk in "$tmp"/usr/src/linux-headers-*/Makefile; do
	sdir=${mk%/Makefile}/scripts
	if grep -q 'scripts/checker-valid.sh' "$mk" && [ -d "$sdir" ] &&
		[ ! -e "$sdir/checker-valid.sh" ]; then
		cat >"$sdir/checker-valid.sh" <<'EOP'
#!/bin/sh
# Not Debian's: added by mdev-migver's tests/qemu/lib/prepare-root.sh,
# because this kbuild calls the script but its package lacks it.
command -v "$1" >/dev/null 2>&1 || exit 0
t=$(mktemp -d) || exit 0
trap 'rm -rf "$t"' EXIT
printf 'static int x;
static __typeof_unqual__(x) y;
int f(void) { return x + y; }
' >"$t/p.c"
"$@" "$t/p.c" 2>"$t/err" >/dev/null || exit 0
grep -q 'error' "$t/err" || echo 1
EOP
		chmod 755 "$sdir/checker-valid.sh"
		log "$suite: added the missing scripts/checker-valid.sh to ${mk%/Makefile}"
	fi
done
log "$suite: headers + image done in $((SECONDS - t1)) s"

{
	printf 'SUITE=%q\nKEY=%q\n' "$suite" "$key"
	printf 'KERNEL_PKGS=%q\n' "$(echo $kpkgs)"
	for v in KVER HDR_PKG HDR_VER IMG_PKG IMG_VER KERNEL_IMAGE KERNEL_CONFIG; do printf '%s=%q\n' $v "${!v}"; done
	printf 'CC_VERSION=%q\n' "$(inroot sh -c 'ls /usr/bin/gcc-[0-9]* | sort -V | tail -n1')"
} >"$tmp/migver-root.env"

# Publish atomically (under the lock, so $root cannot exist yet).
touch "$tmp/.last-used"
mv -T "$tmp" "$root"
trap - EXIT
# Drop this suite's other roots once unused for a day: a root with another
# key may still be in use by a concurrent run of another checkout.
for old in "$roots/$suite-"*; do
	[ "$old" != "$root" ] || continue
	if [ -z "$(find "$old/.last-used" -mmin -1440 2>/dev/null)" ] &&
		[ -z "$(find "$old/migver-root.env" -mmin -1440 2>/dev/null)" ]; then
		log "$suite: removing unused root $old"
		rm -rf --one-file-system "$old"
	fi
done
log "$suite: root ready in $((SECONDS - t0)) s: $root"
printf '%s\n' "$root"
