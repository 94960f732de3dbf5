# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Cached Debian root filesystems for the packaging tests (sourced).
#
# A root is made once from a copy of its suite's minbase plus
# `apt-get install --no-install-recommends <packages>` inside it, and kept in
#   $MIGVER_CACHE/pkgroots/<name>-<key>/
# The minbase (`debootstrap --variant=minbase`, most of a small root's
# cost) is made once per suite and index: $MIGVER_CACHE/pkgroots/base-<suite>-<id>,
# <id> hashing this file and the suite's index files (a refreshed index makes
# a new base).  Roots of one suite are made one at a time: they share the
# suite's package download directory, whose apt lock allows one user.
# where <key> hashes (a) this file, (b) the suite and package list and (c) the
# exact package versions apt resolves for that list right now (read through
# the QEMU harness's private apt configuration, $MIGVER_CACHE/apt/<suite>/,
# never the host's).  A new kernel ABI, a new dkms or an edit of this file or
# of tests/qemu/lib/common.sh gives a new key and a new root; roots with
# another key are deleted.
#
# Tests never modify a cached root: each case runs in an overlayfs whose lower
# layer is the cached root (pkgroot_enter / pkgroot_leave).
#
# Nothing is added to the host's apt sources.  The mirror is read from them.
# A suite's apt sources are the QEMU harness's (tests/qemu/lib/common.sh
# suite_sources: bookworm with -updates and -security), so a root's
# linux-headers-amd64 is the kernel the harness boots and a DKMS-built module
# from a root loads there (run.sh checks that the versions agree).

: "${MIGVER_CACHE:=/var/cache/mdev-migver}"
PKGROOTS="$MIGVER_CACHE/pkgroots"
PKGROOT_MOUNTS=()
# shellcheck source=tests/qemu/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../qemu/lib/common.sh"
PKGROOTS_SELF=$(hash_files "${BASH_SOURCE[0]}" "$QEMU_LIB/common.sh")

# Refresh the private index of <suite> (the QEMU harness's, shared: one
# download per suite; cheap when fresh), once per run of a script: the
# sections of run.sh that run side by side inherit it.
declare -A PKGROOT_INDEXED=()
pkgroot_update_index() {
	[ -z "${PKGROOT_INDEXED[$1]:-}" ] || return 0
	bash "$QEMU_LIB/resolve.sh" "$1" >/dev/null || return 1
	PKGROOT_INDEXED[$1]=1
}

# The key of a root: this file, suite, package list, resolved versions.
# Resolving takes apt's solver 2-4 s per root, so the key is remembered
# for as long as the suite's index files stay the same (their names, sizes
# and times are part of the memo's name; a refreshed index gives new ones).
pkgroot_key() {
	local suite=$1 id memo key
	shift
	id=$({
		echo "$PKGROOTS_SELF $suite $*"
		stat -c '%n %s %Y' "$(papt_dir "$suite")"/state/lists/* 2>/dev/null
	} | sha256sum | cut -c1-16)
	memo="$PKGROOTS/.keys/$id"
	if [ -s "$memo" ]; then
		cat "$memo"
		return
	fi
	key=$({
		echo "$PKGROOTS_SELF $suite $*"
		papt_get "$suite" -s install --no-install-recommends "$@" |
			awk '/^Inst / { print $2, $3 }' | sort
	} | sha256sum | cut -c1-12) || return 1
	mkdir -p "$PKGROOTS/.keys"
	find "$PKGROOTS/.keys" -type f -mtime +2 -delete 2>/dev/null
	echo "$key" >"$memo.$$" && mv "$memo.$$" "$memo"
	echo "$key"
}

# Mount what a chroot needs; everything is unmounted by pkgroot_umount_all.
_pkgroot_mount() {
	local r=$1
	mount -t proc proc "$r/proc" && PKGROOT_MOUNTS+=("$r/proc")
	mount --bind /dev "$r/dev" && PKGROOT_MOUNTS+=("$r/dev")
	mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" &&
		PKGROOT_MOUNTS+=("$r/dev/pts")
}

# Unmount everything below <dir> (left over by an interrupted run), so that
# removing <dir> can never reach into a bind-mounted /dev.
_pkgroot_umount_under() {
	local mp
	awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r mp; do
			umount "$mp" 2>/dev/null || umount -l "$mp"
		done
}

_pkgroot_rm() {
	_pkgroot_umount_under "$1"
	rm -rf --one-file-system "$1"
}

pkgroot_umount_all() {
	local i
	for ((i = ${#PKGROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${PKGROOT_MOUNTS[$i]}" 2>/dev/null ||
			umount -l "${PKGROOT_MOUNTS[$i]}" 2>/dev/null
	done
	PKGROOT_MOUNTS=()
}

# Run a command inside a root with a sane environment.
pkgroot_chroot() {
	local r=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive TERM=dumb chroot "$r" "$@"
}

# _pkgroot_base <var> <suite>: make (or reuse) the suite's minbase and store
# its path in <var>; the caller holds the suite's lock.
_pkgroot_base() {
	local -n _b=$1
	local suite=$2 id dir tmp old
	id=$({
		echo "$PKGROOTS_SELF $suite"
		stat -c '%n %s %Y' "$(papt_dir "$suite")"/state/lists/* 2>/dev/null
	} | sha256sum | cut -c1-12)
	dir="$PKGROOTS/base-$suite-$id"
	_b=$dir
	touch "$dir.used" 2>/dev/null || true
	[ ! -f "$dir/.complete" ] || return 0
	tmp="$dir.tmp"
	_pkgroot_rm "$tmp"
	mkdir -p "$PKGROOTS/debs/$suite"
	echo "pkgroot: debootstrap of the $suite minbase into $dir"
	# experimental: a sid root whose kernel packages come from
	# experimental (common.sh suite_base, suite_prefs); the keyring is the
	# one resolve.sh verified the suite's index with
	if ! debootstrap --variant=minbase --cache-dir="$PKGROOTS/debs/$suite" \
		--keyring="$(cat "$(papt_dir "$suite")/keyring")" \
		"$(suite_base "$suite")" "$tmp" "$(host_mirror main)"; then
		_pkgroot_rm "$tmp"
		return 1
	fi
	touch "$tmp/.complete"
	mv "$tmp" "$dir"
	touch "$dir.used"
	# other bases of this suite go once unused for a day
	for old in "$PKGROOTS/base-$suite-"*; do
		case $old in "$dir" | *.tmp | *.used) continue ;; esac
		[ -d "$old" ] || continue
		[ -n "$(find "$old.used" -maxdepth 0 -mmin -1440 2>/dev/null)" ] && continue
		_pkgroot_rm "$old"
		rm -f "$old.used"
	done
}

# pkgroot_get <var> <name> <suite> <package>...: make (or reuse) the root and
# store its path in <var>.  Serialised with flock so parallel runs share it.
pkgroot_get() {
	local -n _out=$1
	local name=$2 suite=$3
	shift 3
	local key dir tmp rc=0
	pkgroot_update_index "$suite" || return 1
	key=$(pkgroot_key "$suite" "$@") || return 1
	dir="$PKGROOTS/$name-$key"
	mkdir -p "$PKGROOTS"
	exec {_lockfd}>"$PKGROOTS/.$name.lock"
	flock "$_lockfd"
	if [ ! -f "$dir/.complete" ]; then
		tmp="$dir.tmp"
		_pkgroot_rm "$tmp"
		exec {_suitefd}>"$PKGROOTS/.suite-$suite.lock"
		flock "$_suitefd"
		echo "pkgroot: creating $name ($suite) in $dir" >&2
		local start=$SECONDS base
		if _pkgroot_base base "$suite" >"$PKGROOTS/$name.log" 2>&1 &&
			cp -a "$base" "$tmp" && rm -f "$tmp/.complete"; then
			cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null
			printf '%s\n' "$APT_ROOT_CONF" >"$tmp/etc/apt/apt.conf.d/99mdev-migver"
			printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
			chmod 755 "$tmp/usr/sbin/policy-rc.d"
			suite_sources "$suite" /usr/share/keyrings/debian-archive-keyring.gpg \
				>"$tmp/etc/apt/sources.list"
			suite_prefs "$suite" >"$tmp/etc/apt/preferences.d/90migver"
			mkdir -p "$tmp/var/cache/apt/archives"
			_pkgroot_mount "$tmp"
			mount --bind "$PKGROOTS/debs/$suite" "$tmp/var/cache/apt/archives" &&
				PKGROOT_MOUNTS+=("$tmp/var/cache/apt/archives")
			{
				pkgroot_chroot "$tmp" apt-get update &&
				pkgroot_chroot "$tmp" apt-get install -y -q \
					--no-install-recommends "$@"
			} >>"$PKGROOTS/$name.log" 2>&1 || rc=1
			report_expired_releases "pkgroot $name" "$tmp/var/lib/apt/lists"
			pkgroot_umount_all
		else
			rc=1
		fi
		if [ $rc -eq 0 ]; then
			echo "$suite $* ($((SECONDS - start)) s)" >"$tmp/.complete"
			mv "$tmp" "$dir"
			# Roots of other keys go once unused for a day: another
			# checkout (a branch with another roots.sh) may still use
			# them, and making one again costs minutes.
			local old
			for old in "$PKGROOTS/$name"-*; do
				case $old in "$dir" | *.tmp | *.used) continue ;; esac
				[ -d "$old" ] || continue
				[ -n "$(find "$old.used" "$old/.complete" -maxdepth 0 \
					-mmin -1440 2>/dev/null)" ] && continue
				_pkgroot_rm "$old"
				rm -f "$old.used"
			done
		else
			echo "pkgroot: creating $name failed, see $PKGROOTS/$name.log" >&2
			tail -n 20 "$PKGROOTS/$name.log" >&2
			_pkgroot_rm "$tmp"
		fi
		exec {_suitefd}>&-
	fi
	# when it was last used (next to it: a root is the lower layer of
	# mounted overlays and is never written to)
	[ $rc -ne 0 ] || touch "$dir.used"
	exec {_lockfd}>&-
	_out=$dir
	return $rc
}

# pkgroot_enter <var> <cached root>: an overlay of the root for one test case
# (writable, thrown away by pkgroot_leave); proc, dev, devpts mounted.
pkgroot_enter() {
	local -n _m=$1
	local base=$2 w
	w=$(mktemp -d "$PKGROOTS/run.XXXXXX")
	mkdir -p "$w/upper" "$w/work" "$w/merged"
	mount -t overlay overlay \
		-o "lowerdir=$base,upperdir=$w/upper,workdir=$w/work" "$w/merged" ||
		return 1
	PKGROOT_MOUNTS+=("$w/merged")
	_pkgroot_mount "$w/merged"
	_m="$w/merged"
}

pkgroot_leave() {
	local merged=$1
	pkgroot_umount_all
	[ -n "$merged" ] && _pkgroot_rm "${merged%/merged}"
}
