#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/tool/mdevctl-real.sh MDEVCTL-DEB [ROOT]: by hand, as root; in no
# lane (it needs an mdevctl .deb, which no lane fetches).  The real mdevctl
# against the fake /sys of tests/tool/fake-sysfs.sh, the callout enabled as
# README.md says: a device of migver0 configured with migver1's newer
# string must be refused with the callout's line (offline verdict: a fake
# attribute file takes any write); without the attribute, mdevctl must go
# on to create it (which the fake tree then fails).
#   mdevctl >= 1.3 reads its root from MDEVCTL_ENV_ROOT: run with the
#     dynamic loader and libraries of ROOT (e.g. a trixie root: Debian 13's
#     1.4.0 needs glibc 2.39);
#   mdevctl 1.2 (Debian 12) has no root: a private mount namespace and a
#     chroot whose /usr is this host's.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/tool/fake-sysfs.sh
deb=$(realpath "$1") libroot=${2:-/}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
make -s -C tools/migver O="$w/b" STATIC=1
dpkg-deb -x "$deb" "$w/deb"
r=$w/root
mkdir -p "$r/usr/lib/mdevctl/scripts.d/callouts" "$r/usr/lib/mdevctl/scripts.d/notifiers" \
	"$r/etc/mdevctl.d/scripts.d/callouts" "$r/etc/mdevctl.d/scripts.d/notifiers" "$r/tmp"
fake_sysfs "$r"
cp "$w/b/migver" "$w/deb/usr/bin/mdevctl" tools/migver/mdevctl-callout "$r/tmp/"
cat >"$r/tmp/steps.sh" <<'STEPS'
set -u
U=6d3c1e2a-1b7f-4c8e-9a55-3f2d7c9b0a11 S=${MDEVCTL_ENV_ROOT:-}
m() { $MDEVCTL "$@"; } # a loader and its options, then the binary
m --version
m define -u $U -p migver0 -t migver-GVTg_V5_8
m modify -u $U --addattr=migration_version \
	--value="$(cat "$S/sys/class/mdev_bus/migver1/mdev_supported_types/migver-GVTg_V5_8/migration_version")"
m start -u $U
echo "[refused: exit status $?]"
m modify -u $U --delattr --index=0
m start -u $U
echo "[no attribute: exit status $?]"
STEPS
export MDEV_MIGVER_CHECKER=semver
unset RUST_BACKTRACE
link=$r/etc/mdevctl.d/scripts.d/callouts/50-mdev-migver
if [ -d "$w/deb/usr/lib/mdevctl" ]; then
	ln -s "$r/tmp/mdevctl-callout" "$link"
	MDEVCTL="$libroot/lib64/ld-linux-x86-64.so.2 --library-path $libroot/usr/lib/x86_64-linux-gnu $r/tmp/mdevctl" \
		MDEVCTL_ENV_ROOT=$r MDEV_MIGVER_BIN=$r/tmp/migver \
		bash "$r/tmp/steps.sh" 2>&1 | tee "$w/out"
else
	rm -rf "${r:?}/usr"
	mkdir "$r/usr"
	for d in bin lib lib64 sbin; do ln -s "usr/$d" "$r/$d"; done
	ln -s /tmp/mdevctl-callout "$link"
	MDEVCTL=/tmp/mdevctl MDEV_MIGVER_BIN=/tmp/migver unshare -m --propagation private \
		sh -c "mount --bind /usr '$r/usr' && chroot '$r' /bin/bash /tmp/steps.sh" 2>&1 | tee "$w/out"
fi
if grep -q '^50-mdev-migver: refusing to start 6d3c1e2a-1b7f-4c8e-9a55-3f2d7c9b0a11: migver0/migver-GVTg_V5_8 cannot take its migration_version: software (ERANGE' "$w/out" &&
	grep -q '^\[refused: exit status 1\]' "$w/out" &&
	! grep -q -E 'refusing|callout' <(sed -n '/refused: exit/,$p' "$w/out"); then
	echo "mdevctl-real: OK"
else
	echo "mdevctl-real: FAILED"
	exit 1
fi
