#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# resolve.sh <suite>: refresh the suite's package index with a private apt
# configuration and print, as shell assignments, the kernel this suite
# currently ships (the archive moves: ABIs advance and sid's kernels vanish,
# so nothing here is pinned):
#   KEYRING HDR_META HDR_PKG HDR_VER IMG_META IMG_PKG IMG_VER KVER
set -euo pipefail
. "$(dirname "$0")/common.sh"

suite=${1:?usage: resolve.sh <suite>}
check_suite "$suite"
d=$(papt_dir "$suite")
mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/state/lists/partial" \
	"$d/cache/archives/partial" "$(debs_dir "$suite")/partial"
touch "$d/state/status"
suite_prefs "$suite" >"$d/preferences"
# Runs of several lanes and checkouts share the index (apt's own locking is
# off in the private configuration): one refresh at a time.
exec 9>"$d/.lock"
flock 9

# MIGVER_KEYRING: another keyring for the main suite (harness self-tests).
host_keyring=${MIGVER_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# A keyring newer than the host's, for a suite whose Release is signed only
# with keys bookworm's debian-archive-keyring lacks: take trixie's
# debian-archive-keyring package, itself verified through trixie's index,
# which the host keyring can check.  (Never --no-check-gpg / trusted=yes.)
newer_keyring() {
	local kd="$MIGVER_CACHE/keyring" deb
	if [ ! -s "$kd/debian-archive-keyring.gpg" ]; then
		bash "$0" trixie >/dev/null
		deb=$(cd "$MIGVER_CACHE/debs/trixie" &&
			papt_get trixie download debian-archive-keyring >&2 &&
			ls -t debian-archive-keyring_*.deb | head -n1)
		# apt-get download writes into the current directory
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp/x"
		dpkg -x "$MIGVER_CACHE/debs/trixie/$deb" "$kd.tmp/x"
		cp "$kd.tmp/x/usr/share/keyrings/debian-archive-keyring.gpg" "$kd.tmp/"
		rm -rf "$kd.tmp/x" "$kd" && mv "$kd.tmp" "$kd"
	fi
	printf '%s\n' "$kd/debian-archive-keyring.gpg"
}

update() {
	suite_sources "$suite" "$1" >"$d/sources.list"
	papt_get "$suite" update -o APT::Update::Error-Mode=any >"$d/update.log" 2>&1
}

# The index is refreshed at most every MIGVER_INDEX_MAX_AGE seconds (default
# 30 min): each step of a run resolves again and the archive does not move
# that fast.  0 forces a refresh.
max_age=${MIGVER_INDEX_MAX_AGE:-1800}
stamp="$d/updated"
keyring=$host_keyring
[ -s "$d/keyring" ] && keyring=$(cat "$d/keyring")
if [ -f "$stamp" ] && [ $(($(date +%s) - $(stat -c %Y "$stamp"))) -lt "$max_age" ] &&
	[ "$(suite_sources "$suite" "$keyring")" = "$(cat "$d/sources.list" 2>/dev/null)" ]; then
	: # fresh enough
elif update "$keyring"; then
	touch "$stamp"
else
	if grep -q -e NO_PUBKEY -e 'not signed' -e EXPKEYSIG "$d/update.log" &&
		[ "$suite" != bookworm ] && [ "$suite" != trixie ]; then
		log "$suite: host keyring cannot verify its Release; using trixie's keyring"
		keyring=$(newer_keyring)
		update "$keyring" || { cat "$d/update.log" >&2; die "apt update of $suite failed"; }
		touch "$stamp"
	elif ls "$d/state/lists/"*Packages* >/dev/null 2>&1; then
		# Offline or mirror hiccup: the previously verified index still
		# names a kernel whose debs are probably in the cache.
		log "$suite: index refresh failed, using the cached index"
		sed 's/^/  /' "$d/update.log" >&2
		keyring=$(sed -n 's/.*signed-by=\([^]]*\)].*/\1/p' "$d/sources.list" | head -n1)
	else
		cat "$d/update.log" >&2
		die "apt update of $suite failed"
	fi
fi

printf '%s\n' "$keyring" >"$d/keyring"
report_expired_releases "$suite" "$d/state/lists"

# candidate version of a package and the linux-* package its Depends names
candidate() { papt_cache "$suite" policy "$1" | awk '/Candidate:/{print $2}'; }
dep_of() {
	papt_cache "$suite" show "$1=$2" |
		sed -n 's/^Depends: //p' | head -n1 | tr ',' '\n' |
		sed -n "s/^ *\($3[^ ]*\) *(= *\([^)]*\)).*/\1 \2/p" | head -n1
}

HDR_META=$(candidate linux-headers-amd64)
IMG_META=$(candidate linux-image-amd64)
[ -n "$HDR_META" ] && [ "$HDR_META" != "(none)" ] || die "$suite: no linux-headers-amd64"
[ -n "$IMG_META" ] && [ "$IMG_META" != "(none)" ] || die "$suite: no linux-image-amd64"
# shellcheck disable=SC2034 # printed through ${!v} below
read -r HDR_PKG HDR_VER < <(dep_of linux-headers-amd64 "$HDR_META" linux-headers-)
# shellcheck disable=SC2034 # printed through ${!v} below
read -r IMG_PKG IMG_VER < <(dep_of linux-image-amd64 "$IMG_META" linux-image-)
[ -n "${HDR_PKG:-}" ] && [ -n "${IMG_PKG:-}" ] || die "$suite: cannot follow the meta packages' Depends"
KVER=${IMG_PKG#linux-image-}
KVER=${KVER%-unsigned}
[ "${HDR_PKG#linux-headers-}" = "$KVER" ] ||
	die "$suite: headers ($HDR_PKG) and image ($IMG_PKG) disagree; the archive is mid-update, retry later"

for v in KEYRING HDR_META HDR_PKG HDR_VER IMG_META IMG_PKG IMG_VER KVER; do
	[ $v = KEYRING ] && val=$keyring || val=${!v}
	printf '%s=%q\n' "$v" "$val"
done
