#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# guest-pkgs.sh <suite> <list>: make sure the suite's "guest packages"
# payload exists and print its path on stdout (the only thing printed
# there): a gzip'd cpio archive that initramfs.sh appends to the test
# initramfs (the kernel unpacks concatenated archives in order), holding
# Debian programs for guest scenarios at the paths Debian installs them to.
#
# <list> (tests/qemu/guest/pkgs): one package per line, from the suite's
# own archive through its private apt index (the host's apt is never
# touched), downloaded alone (no dependencies) into the suite's .deb cache:
#   <package>       its files go into the payload (all but usr/share);
#   <package> lib   it only supplies the shared libraries (and the dynamic
#                   loader) that the ELF files of the others need.
# No chroot, no dpkg database: the guest is busybox, the programs are run
# by path.  Postinst scripts do not run; what they would make, the guest
# scenario makes.
#
# Cache: $MIGVER_CACHE/guest-pkgs/<suite>-<key>.cpio.gz, key = suite + the
# candidate versions + a hash of this script and the list; made under a
# lock, published by rename.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: guest-pkgs.sh <suite> <list>}
list=${2:?usage: guest-pkgs.sh <suite> <list>}
check_suite "$suite"
mapfile -t entries < <(sed 's/#.*//' "$list" | awk 'NF')
pkgs=$(printf '%s\n' "${entries[@]}" | awk '{print $1}')
[ -n "$pkgs" ] || die "$list names no package"

d=$(papt_dir "$suite")
if [ ! -d "$d/state/lists" ] || ! ls "$d/state/lists/"*Packages >/dev/null 2>&1; then
	bash "$QEMU_LIB/resolve.sh" "$suite" >/dev/null
fi
# shellcheck disable=SC2086 # package names have no blanks
vers=$(papt_cache "$suite" policy $pkgs | awk '/^[^ ]/ {p=$1} /Candidate:/ {print p $2}')
case "$vers" in *"(none)"* | "") die "$suite: not all of $(echo $pkgs) in the suite's index ($(echo $vers))" ;; esac
key=$(printf '%s\n' "$suite" "$vers" "$(hash_files "$0" "$list")" | sha256sum | cut -c1-16)
dir="$MIGVER_CACHE/guest-pkgs"
out="$dir/$suite-$key.cpio.gz"
mkdir -p "$dir"
exec 9>"$dir/.lock-$suite"
flock 9
if [ -s "$out" ]; then
	touch "$out"
	log "$suite: cached guest packages $out ($(echo $vers))"
	printf '%s\n' "$out"
	exit 0
fi

tmp="$dir/.tmp-$suite-$key-$$"
trap 'rm -rf --one-file-system "$tmp" "$tmp.cpio.gz"' EXIT
ddir=$(debs_dir "$suite")
mkdir -p "$tmp/lib" "$tmp/root" "$ddir/partial"
# apt-get download writes into the current directory: the .deb cache.
# shellcheck disable=SC2086
(cd "$ddir" && papt_get "$suite" download $pkgs) >"$tmp/apt.log" 2>&1 || {
	tail -n 20 "$tmp/apt.log" >&2
	die "$suite: downloading $(echo $pkgs) failed"
}
r=$tmp/root
for e in "${entries[@]}"; do
	read -r p kind <<<"$e"
	v=$(printf '%s\n' "$vers" | sed -n "s/^$p://p")
	f=$(ls "$ddir/${p}_${v/:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	[ -n "$f" ] || die "$suite: $p $v: no .deb in $ddir"
	if [ "${kind:-}" = lib ]; then
		dpkg -x "$f" "$tmp/lib"
	else
		dpkg -x "$f" "$r"
	fi
done
rm -rf "${r:?}/usr/share"

# find_lib <soname>: its path in the library packages (multiarch dirs first)
find_lib() {
	local dd
	for dd in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu usr/lib64 lib64; do
		if [ -e "$tmp/lib/$dd/$1" ]; then
			printf '%s\n' "$dd/$1"
			return 0
		fi
	done
	return 1
}
# The guest's /lib is a directory (lib/modules), not merged /usr's link:
# libraries go to lib/x86_64-linux-gnu, on the loader's default path.
declare -A seen=()
copy_libs() { # <ELF file>: its NEEDED libraries, recursively
	local n l
	for n in $(readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -z "${seen[$n]:-}" ] || continue
		seen[$n]=1
		l=$(find_lib "$n") || die "$suite: $1 needs $n, which no lib package of $list has"
		mkdir -p "$r/lib/x86_64-linux-gnu"
		cp -L "$tmp/lib/$l" "$r/lib/x86_64-linux-gnu/$n"
		copy_libs "$tmp/lib/$l"
	done
}
while IFS= read -r -d '' f; do
	head -c 4 "$f" | grep -q 'ELF' || continue
	copy_libs "$f"
	interp=$(readelf -l "$f" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
	if [ -n "$interp" ] && [ ! -e "$r$interp" ]; then
		l=$(find_lib "${interp##*/}") || die "$suite: no $interp in $list's lib packages"
		mkdir -p "$r${interp%/*}"
		cp -L "$tmp/lib/$l" "$r$interp"
	fi
done < <(find "$r" -type f -print0)

(cd "$r" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -6 >"$tmp.cpio.gz"
mv -f "$tmp.cpio.gz" "$out"
log "$suite: guest packages $(du -h "$out" | cut -f1): $out ($(echo $vers))"
find "$dir" -maxdepth 1 -name "$suite-*.cpio.gz" ! -name "${out##*/}" -mmin +1440 -delete 2>/dev/null || true
printf '%s\n' "$out"
