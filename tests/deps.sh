#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/deps.sh [--check] [--root DIR] [demo|check]   (`make deps`)
#
# The one dependency step of `make demo` and `make check`: installs, from the
# host's own Debian 12 (bookworm) archive, the packages the demo or every
# test suite needs.  Idempotent: when all are installed it only says so.
# Other suites (trixie, sid) are never added to the host's apt sources; the
# tests debootstrap roots of them instead.
#
#   demo | check   which set (default: check, a superset of demo)
#   --check        only report: exit 0 when nothing is missing, else 1
#   --root DIR     judge DIR's os-release and dpkg database instead of the
#                  host's (the harness self-tests use it); implies --check
#
# Refuses with one line that names the missing packages when not root or
# when the system is not Debian 12 or a derivative of it.
set -euo pipefail

# demo: debootstrap a bookworm root, build the module in it, make a busybox
# initramfs (host kmod tools, static guest helpers, the migver tool linked
# statically with jansson) and boot it under QEMU.
DEMO_PKGS=(build-essential debootstrap qemu-system-x86 busybox-static kmod
	xz-utils zstd cpio libjansson-dev)
# check: the demo's, plus KUnit on UML from Debian's linux-source-6.1, the
# libFuzzer lane (clang 14 and its runtime), the harness self-tests (gpg:
# a signed fake mirror) and the lint lane.
# man-db: the migver tool's lane checks its man page with man --warnings.
CHECK_PKGS=("${DEMO_PKGS[@]}" clang libclang-rt-14-dev linux-source-6.1
	python3 flex bison bc libelf-dev libssl-dev gnupg shellcheck perl man-db)

check_only=0 root=/ profile=check
while [ $# -gt 0 ]; do
	case $1 in
	--check) check_only=1 ;;
	--root)
		root=${2:?--root needs a directory}
		check_only=1
		shift
		;;
	demo | check) profile=$1 ;;
	*)
		echo "usage: $0 [--check] [--root DIR] [demo|check]" >&2
		exit 2
		;;
	esac
	shift
done
if [ "$profile" = demo ]; then
	pkgs=("${DEMO_PKGS[@]}")
else
	pkgs=("${CHECK_PKGS[@]}")
fi

# Debian 12 itself, or a derivative built on it (ID_LIKE=debian and the
# bookworm codename, e.g. Debian-based images that rename themselves).
os_release() {
	local f
	for f in "$root/etc/os-release" "$root/usr/lib/os-release"; do
		[ -r "$f" ] && { cat "$f"; return; }
	done
}
osr=$(os_release)
field() { printf '%s\n' "$osr" | sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" | head -n1; }
id=$(field ID) like=$(field ID_LIKE) ver=$(field VERSION_ID) code=$(field VERSION_CODENAME)
name=$(field PRETTY_NAME)
if ! { [ "$id" = debian ] && [ "$ver" = 12 ]; } &&
	! { case " $like " in *" debian "*) true ;; *) false ;; esac && [ "$code" = bookworm ]; }; then
	echo "deps: ${name:-this system} is not Debian 12 (bookworm) or built on it; install by hand the equivalents of: ${pkgs[*]}" >&2
	exit 1
fi

missing=()
installed=$(dpkg-query --admindir="$root/var/lib/dpkg" -W \
	-f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)
for p in "${pkgs[@]}"; do
	grep -q -x "$p installed" <<<"$installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages for make $profile are installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; make $profile needs: ${missing[*]} (as root: apt-get install --no-install-recommends ${missing[*]})" >&2
	exit 1
fi
if [ "$check_only" = 1 ]; then
	echo "deps: missing for make $profile: ${missing[*]}"
	exit 1
fi
echo "deps: installing for make $profile: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${#missing[@]} packages"
