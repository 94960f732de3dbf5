# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared helpers for the QEMU harness (sourced, not executed).
#
# Layout:
#   $MIGVER_CACHE/apt/<suite>/        private apt config + lists (never the host's)
#   $MIGVER_CACHE/debs/<base suite>/  every .deb downloaded for that suite
#                                     (experimental shares sid's)
#   $MIGVER_CACHE/roots/<suite>-<key> debootstrap'd build root + extracted kernel
#   <repo>/build/qemu/<suite>/        modules, initramfs, logs of one run
# The cache lives outside the repository so `git clean` and fresh clones never
# carry roots or kernels; everything in it is re-creatable from the repo.

QEMU_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
REPO=$(cd "$QEMU_LIB/../../.." && pwd)
: "${MIGVER_CACHE:=/var/cache/mdev-migver}"
# shellcheck source=tests/lib/suites.sh
. "$QEMU_LIB/../../lib/suites.sh"

# host_tsc_khz: the host's TSC rate in kHz (host-tsc-khz.c), measured once
# per host boot (kept in build/ with the boot's id); fails unless the TSC is
# invariant (constant_tsc and nonstop_tsc) on an x86_64 host.
host_tsc_khz() {
	local bin=$REPO/build/host-tsc-khz kept=$REPO/build/host-tsc-khz.value boot khz
	[ "$(uname -m)" = x86_64 ] || return 1
	grep -qw constant_tsc /proc/cpuinfo && grep -qw nonstop_tsc /proc/cpuinfo || return 1
	boot=$(cat /proc/sys/kernel/random/boot_id)
	if [ "$(sed -n 1p "$kept" 2>/dev/null)" != "$boot" ]; then
		mkdir -p "$REPO/build"
		gcc -O2 -o "$bin.$$" "$QEMU_LIB/host-tsc-khz.c" && mv -f "$bin.$$" "$bin" || return 1
		khz=$("$bin") || return 1
		printf '%s\n%s\n' "$boot" "$khz" >"$kept.$$" && mv -f "$kept.$$" "$kept"
	fi
	khz=$(sed -n 2p "$kept")
	# a sane rate (100 MHz to 10 GHz), or none
	[ "${khz:-0}" -ge 100000 ] 2>/dev/null && [ "$khz" -le 10000000 ] && echo "$khz"
}

log() { printf '[qemu %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_suite() {
	case " $MIGVER_SUITES_ALL " in
	*" $1 "*) ;;
	*) die "unknown suite '$1' (expected one of: $MIGVER_SUITES_ALL)" ;;
	esac
}

# suite_base <suite>: the Debian suite a root of <suite> is made of (the
# experimental kernel lives in a sid root).
suite_base() {
	case "$1" in
	experimental) echo sid ;;
	*) echo "$1" ;;
	esac
}

# debs_dir <suite>: where the suite's downloaded .debs are kept.
debs_dir() { printf '%s/debs/%s\n' "$MIGVER_CACHE" "$(suite_base "$1")"; }

# suite_prefs <suite>: apt preferences of a root (and of the private index):
# for experimental, its kernel packages win over sid's and nothing else of
# experimental is ever installed (it is NotAutomatic, priority 1, anyway).
suite_prefs() {
	[ "$1" = experimental ] || return 0
	printf 'Package: linux-*
Pin: release a=experimental
Pin-Priority: 990
'
}

# Mirror URLs are read from the host's apt sources (deb822 or one-line
# format) instead of being written down here: CI machines point at whatever
# mirror their image uses.  $1 = "main" or "security".
# MIGVER_MIRROR replaces the main mirror (harness self-tests use a local
# file: repository).  A machine whose sources name no security mirror (a
# bare debootstrap'd bookworm has only main) gets the main mirror's
# debian-security sibling.
host_mirror() {
	local want=$1 url
	if [ -n "${MIGVER_MIRROR:-}" ] && [ "$want" = main ]; then
		printf '%s\n' "${MIGVER_MIRROR%/}"
		return
	fi
	url=$(
		{
			# deb822: print "URI suite..." per stanza
			awk '/^URIs:/{u=$2} /^Suites:/{$1=""; print u, $0}' \
				/etc/apt/sources.list.d/*.sources 2>/dev/null || true
			# one-line format: "deb [opts] URI suite comps"
			sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) \([^ ]*\).*/\2 \3/p' \
				/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
		} | awk -v want="$want" '
			# Debian archives only (a machine may list third-party ones)
			$1 !~ /\/debian(-security)?\/?$/ { next }
			{ sec = ($0 ~ /-security/) }
			want == "security" && sec { print $1; exit }
			want == "main" && !sec { print $1; exit }'
	)
	if [ -z "$url" ] && [ "$want" = security ]; then
		url=$(host_mirror main)
		url=${url%/debian}/debian-security
	fi
	[ -n "$url" ] || die "no $want mirror found in the host's apt sources"
	printf '%s\n' "${url%/}"
}

# Private apt: own sources list, state and cache directories under the
# cache, so the host's apt configuration and package state are never touched
# (adding trixie/sid to the host's sources breaks the machine).  The binary
# caches are named explicitly: Debian's container images switch them off
# (Dir::Cache::pkgcache ""), and then every apt call parses the whole index
# again (4 s for sid's, against 0.1 s from the cache; apt checks the cache
# against the index and rebuilds it when stale).
papt_dir() { printf '%s/apt/%s\n' "$MIGVER_CACHE" "$1"; }

papt_opts() {
	local d
	d=$(papt_dir "$1")
	printf '%s\n' \
		-o "Dir::Etc::sourcelist=$d/sources.list" \
		-o "Dir::Etc::sourceparts=$d/sources.list.d" \
		-o "Dir::Etc::preferences=$d/preferences" \
		-o "Dir::Etc::preferencesparts=$d/preferences.d" \
		-o "Dir::State=$d/state" \
		-o "Dir::State::status=$d/state/status" \
		-o "Dir::Cache=$d/cache" \
		-o "Dir::Cache::pkgcache=$d/cache/pkgcache.bin" \
		-o "Dir::Cache::srcpkgcache=$d/cache/srcpkgcache.bin" \
		-o "Dir::Cache::archives=$(debs_dir "$1")" \
		-o "APT::Architecture=amd64" \
		-o "Acquire::Languages=none" \
		-o "Acquire::Check-Valid-Until=false" \
		-o "Debug::NoLocking=1"
}

papt_get() {
	local s=$1
	shift
	local -a o
	mapfile -t o < <(papt_opts "$s")
	apt-get -q "${o[@]}" "$@"
}

papt_cache() {
	local s=$1
	shift
	local -a o
	mapfile -t o < <(papt_opts "$s")
	apt-cache "${o[@]}" "$@"
}

# The mirror this machine reaches may be a snapshot that stopped moving: a
# Release file with a Valid-Until date (sid, -backports, -updates,
# -security carry one) then expires and apt refuses the suite.  Every apt
# call for a test root (the private indexes here and in
# tests/package/roots.sh, apt inside the roots) therefore runs with
# Check-Valid-Until off; signatures are still verified.  APT_ROOT_CONF is
# what goes into a root's /etc/apt/apt.conf.d.
# shellcheck disable=SC2034 # used by the scripts that source this file
APT_ROOT_CONF='Acquire::Check-Valid-Until "false";'

# report_expired_releases <label> <apt lists dir>: one log line per Release
# file whose Valid-Until has passed, so a run's log says why such a suite
# is still accepted.
report_expired_releases() {
	local label=$1 f until now
	now=$(date +%s)
	for f in "$2"/*Release; do
		[ -f "$f" ] || continue
		until=$(sed -n 's/^Valid-Until: //p' "$f" | head -n1)
		[ -n "$until" ] || continue
		until=$(date -d "$until" +%s 2>/dev/null) || continue
		[ "$until" -lt "$now" ] || continue
		log "$label: Release file ${f##*/} expired $(((now - until) / 86400)) days ago (Valid-Until $(date -u -d "@$until" +%F)); the mirror is a snapshot, accepted with Acquire::Check-Valid-Until=false (signatures still checked)"
	done
}

# The apt source lines of a suite (bookworm's kernels also move through
# bookworm-security and point releases).  $2 = keyring for signed-by.
suite_sources() {
	local s=$1 kr=$2 main
	main=$(host_mirror main)
	printf 'deb [signed-by=%s] %s %s main\n' "$kr" "$main" "$(suite_base "$s")"
	if [ "$s" = experimental ]; then
		printf 'deb [signed-by=%s] %s experimental main\n' "$kr" "$main"
	fi
	if [ "$s" = bookworm ]; then
		printf 'deb [signed-by=%s] %s %s-updates main\n' "$kr" "$main" "$s"
		printf 'deb [signed-by=%s] %s %s-security main\n' "$kr" \
			"$(host_mirror security)" "$s"
	fi
}

# root_debs_in <root> <suite>: the suite's cached .debs into the root's apt
# archive (hard links, same file system), so a root made again downloads
# nothing twice; root_debs_keep <root> <suite>: every .deb the root
# downloaded back into the cache.
root_debs_in() {
	ln -f "$(debs_dir "$2")/"*.deb "$1/var/cache/apt/archives/" 2>/dev/null || true
}

root_debs_keep() {
	local f d
	d=$(debs_dir "$2")
	for f in "$1/var/cache/apt/archives/"*.deb; do
		[ -e "$f" ] || continue
		[ -e "$d/${f##*/}" ] || ln -f "$f" "$d/"
	done
}

# sha256 of the given files, short.
hash_files() { cat "$@" | sha256sum | cut -c1-12; }

# suite_root <suite>: path of the suite's prepared root.  run.sh prepares each
# root once and exports MIGVER_ROOT_<suite>; the single-step scripts fall back
# to prepare-root.sh (cheap when cached) when run on their own.
suite_root() {
	local var="MIGVER_ROOT_$1"
	if [ -n "${!var:-}" ] && [ -f "${!var}/migver-root.env" ]; then
		printf '%s\n' "${!var}"
	else
		bash "$QEMU_LIB/prepare-root.sh" "$1"
	fi
}
