#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vmm-payload.sh <suite>: make sure the suite's "VMM payload" exists and
# print its path on stdout (the only thing printed there): a gzip'd cpio
# archive holding the suite's own QEMU (qemu-system-x86_64, its shared
# libraries, its TCG accelerator module and the firmware it loads) at the
# paths Debian installs them to.  Appended to the test initramfs
# (vmm-initramfs.sh), it lets a guest scenario run the real VMM users run
# on that kernel (tests/qemu/guest/vmm.sh).
#
# Which QEMU: the suite's own, from the suite's private apt index (the one
# resolve.sh keeps; the host's apt is never touched): trixie 10.0, sid
# 11.x; bookworm-backports' 10.0 for bookworm (its own 7.2 cannot migrate
# VFIO devices).  No debootstrap, no chroot: apt downloads the
# dependency closure into the suite's .deb cache and dpkg -x unpacks it
# into a scratch directory, from which the ELF closure of the binaries is
# copied (the ELF NEEDED entries, followed through the unpacked tree).
#
# Cache: $MIGVER_CACHE/vmm/<suite>-<key>.cpio.gz, key = suite + the resolved
# versions of the packages named below + a hash of this script; made
# under a lock, published by rename.
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: vmm-payload.sh <suite>}
check_suite "$suite"

# Which index: the suite's own (resolve.sh's) for trixie and sid; for
# bookworm, whose QEMU 7.2 cannot migrate VFIO devices, a private index of
# bookworm + bookworm-backports ($MIGVER_CACHE/apt/bookworm-backports,
# refreshed when a day old) with QEMU taken from backports (10.0).
pkgs="qemu-system-x86"
apt_target=()
case "$suite" in
trixie | sid)
	idx=$suite
	d=$(papt_dir "$idx")
	if [ ! -d "$d/state/lists" ] || ! ls "$d/state/lists/"*_Packages* >/dev/null 2>&1; then
		bash "$QEMU_LIB/resolve.sh" "$suite" >/dev/null
	fi
	;;
bookworm)
	idx=bookworm-backports
	apt_target=(-t bookworm-backports)
	d=$(papt_dir "$idx")
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/state/lists/partial" \
		"$d/cache/archives/partial" "$(debs_dir "$idx")/partial"
	touch "$d/state/status" "$d/preferences"
	exec 8>"$d/.lock"
	flock 8
	kr=/usr/share/keyrings/debian-archive-keyring.gpg
	{
		suite_sources bookworm "$kr"
		printf 'deb [signed-by=%s] %s bookworm-backports main\n' "$kr" "$(host_mirror main)"
	} >"$d/sources.list.new"
	if ! cmp -s "$d/sources.list.new" "$d/sources.list" ||
		[ -z "$(find "$d/state/lists" -name '*backports*_Packages*' -mmin -1440 2>/dev/null)" ]; then
		mv -f "$d/sources.list.new" "$d/sources.list"
		papt_get "$idx" update -o APT::Update::Error-Mode=any >"$d/update.log" 2>&1 ||
			log "$suite: refreshing the bookworm-backports index failed (see $d/update.log); using the lists there are"
		report_expired_releases "$idx" "$d/state/lists"
	fi
	rm -f "$d/sources.list.new"
	flock -u 8
	;;
*) die "$suite: no QEMU >= 8.1 for this suite (bookworm's 7.2 cannot migrate VFIO devices)" ;;
esac
vers=$(papt_cache "$idx" policy "${apt_target[@]}" $pkgs | awk '/^[^ ]/ {p=$1} /Candidate:/ {print p $2}')
case "$vers" in *"(none)"* | "") die "$suite: $pkgs not in the index $idx ($vers)" ;; esac
case "$vers" in *:1:[0-7].* | *:[0-7].*) die "$suite: $vers is older than QEMU 8.1 (no VFIO migration v2)" ;; esac
script_hash=$(hash_files "$0")
key=$(printf '%s\n' "$suite" "$vers" "$script_hash" | sha256sum | cut -c1-16)
dir="$MIGVER_CACHE/vmm"
out="$dir/$suite-$key.cpio.gz"
mkdir -p "$dir"
exec 9>"$dir/.lock-$suite"
flock 9
if [ -s "$out" ]; then
	touch "$out"
	log "$suite: cached VMM payload $out ($(echo $vers))"
	printf '%s\n' "$out"
	exit 0
fi

t0=$SECONDS
log "$suite: making the VMM payload ($(echo $vers))"
tmp="$dir/.tmp-$suite-$key-$$"
trap 'rm -rf --one-file-system "$tmp" "$tmp.cpio.gz"' EXIT
mkdir -p "$tmp/x" "$tmp/root" "$(debs_dir "$idx")/partial"
# An empty dpkg status: apt downloads the whole dependency closure (libc
# included), as for an empty system.
: >"$tmp/status"
papt_get "$idx" -o Dir::State::status="$tmp/status" -y -d \
	--no-install-recommends "${apt_target[@]}" install $pkgs >"$tmp/apt.log" 2>&1 || {
	tail -n 20 "$tmp/apt.log" >&2
	die "$suite: downloading $pkgs failed"
}
# The .debs of exactly this closure (apt's own list of what it fetched or
# found in the cache).
papt_get "$idx" -o Dir::State::status="$tmp/status" -s \
	--no-install-recommends "${apt_target[@]}" install $pkgs 2>/dev/null |
	awk '$1 == "Inst" {print $2, $3}' | tr -d '()' >"$tmp/closure"
ddir=$(debs_dir "$idx")
while read -r p v; do
	# apt writes an epoch's colon as %3a in the file name
	f=$(ls "$ddir/${p}_${v/:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	[ -n "$f" ] || die "$suite: $p $v: no .deb in $ddir"
	dpkg -x "$f" "$tmp/x"
done <"$tmp/closure"

x=$tmp/x r=$tmp/root
qbin=usr/bin/qemu-system-x86_64
[ -x "$x/$qbin" ] || die "$suite: no $qbin in $pkgs"
# find_lib <soname>: its path in the unpacked tree (multiarch dirs first)
find_lib() {
	local dd
	for dd in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu usr/lib64 lib64 usr/lib lib; do
		if [ -e "$x/$dd/$1" ]; then
			printf '%s\n' "$dd/$1"
			return 0
		fi
	done
	return 1
}
# copy_file <relative path>: into the payload, a symlink with its target
copy_file() {
	local f=$1 t
	[ -e "$r/$f" ] && return 0
	mkdir -p "$r/${f%/*}"
	if [ -L "$x/$f" ]; then
		t=$(readlink "$x/$f")
		cp -a "$x/$f" "$r/$f"
		case "$t" in
		/*) copy_file "${t#/}" ;;
		*) copy_file "$(cd "$x/${f%/*}" && realpath -m --relative-to="$x" "$t")" ;;
		esac
	else
		cp -a "$x/$f" "$r/$f"
	fi
}
# copy_elf <relative path>: the file and, recursively, every NEEDED library
declare -A seen=()
copy_elf() {
	local f=$1 n l
	[ -z "${seen[$f]:-}" ] || return 0
	seen[$f]=1
	copy_file "$f"
	for n in $(readelf -d "$x/$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		l=$(find_lib "$n") || die "$suite: $f needs $n, which the closure lacks"
		copy_elf "$l"
	done
}
copy_elf "$qbin"
# The dynamic loader the binaries name (PT_INTERP), e.g. /lib64/ld-linux-x86-64.so.2
interp=$(readelf -l "$x/$qbin" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ -n "$interp" ] || die "$suite: $qbin names no program interpreter"
if [ -e "$x$interp" ]; then
	copy_file "${interp#/}"
else
	l=$(find_lib "${interp##*/}") || die "$suite: no $interp in the closure"
	copy_elf "$l"
	mkdir -p "$r${interp%/*}"
	ln -sf "/$l" "$r$interp"
fi
# Loadable QEMU modules: the accelerators (Debian builds TCG as a module).
for m in "$x"/usr/lib/x86_64-linux-gnu/qemu/accel-*.so; do
	[ -e "$m" ] || continue
	copy_elf "${m#"$x"/}"
done
# Firmware an x86 PC machine loads: SeaBIOS, the option ROMs QEMU adds
# for -kernel (linuxboot, multiboot, pvh) and kvmvapic; not the other
# architectures' firmware in qemu-system-data (a smaller initramfs boots
# faster under TCG).  No NIC ROMs: the scenarios use -nodefaults.
mkdir -p "$r/usr/share/qemu"
for f in "$x"/usr/share/qemu/{bios,linuxboot,multiboot,pvh,kvmvapic,vgabios}*; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	copy_file "${f#"$x"/}"
done
[ -d "$x/usr/share/seabios" ] && cp -a "$x/usr/share/seabios" "$r/usr/share/"
find "$r" -name '*.la' -delete
printf '%s\n' "$vers" >"$r/usr/share/qemu/migver-vmm-payload"

(cd "$r" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) |
	gzip -6 >"$tmp.cpio.gz"
mv -f "$tmp.cpio.gz" "$out"
log "$suite: VMM payload $(du -h "$out" | cut -f1) in $((SECONDS - t0)) s: $out"
# Older payloads of this suite, unused for a day, go.
find "$dir" -maxdepth 1 -name "$suite-*.cpio.gz" ! -name "${out##*/}" -mmin +1440 -delete 2>/dev/null || true
printf '%s\n' "$out"
