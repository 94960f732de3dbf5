# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # $work and expect come from run.sh
# Self-tests of the dependency step, tests/deps.sh (sourced by run.sh, whose
# expect and $work they use): its detection runs against stand-in roots that
# hold only an os-release and a dpkg database.

# fake_root <dir> <os-release source> <installed package>...
fake_root() {
	local d=$1 osr=$2 p
	shift 2
	mkdir -p "$d/etc" "$d/var/lib/dpkg"
	cp "$osr" "$d/etc/os-release"
	for p in "$@"; do
		printf 'Package: %s\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@invalid>\nDescription: x\n\n' "$p"
	done >"$d/var/lib/dpkg/status"
	chmod -R a+rX "$d"
}

printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' >"$work/os-bookworm"
printf 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n' >"$work/os-trixie"
printf 'PRETTY_NAME="Derived 1.0"\nID=derived\nID_LIKE="ubuntu debian"\nVERSION_CODENAME=bookworm\n' >"$work/os-derived"
# Every package of the demo set but qemu-system-x86.
demo_but_qemu=(build-essential debootstrap busybox-static kmod xz-utils zstd cpio
	libjansson-dev)
fake_root "$work/deps-lacks-qemu" "$work/os-bookworm" "${demo_but_qemu[@]}"
fake_root "$work/deps-complete" "$work/os-bookworm" "${demo_but_qemu[@]}" qemu-system-x86
fake_root "$work/deps-trixie" "$work/os-trixie" "${demo_but_qemu[@]}" qemu-system-x86
fake_root "$work/deps-derived" "$work/os-derived" "${demo_but_qemu[@]}" qemu-system-x86

expect deps-missing-named fail '^deps: missing for make demo: qemu-system-x86$' -- \
	bash tests/deps.sh --root "$work/deps-lacks-qemu" demo
expect deps-complete-is-noop 0 '^deps: all 9 packages for make demo are installed$' -- \
	bash tests/deps.sh --root "$work/deps-complete" demo
expect deps-check-set-is-larger fail '^deps: missing for make check: clang ' -- \
	bash tests/deps.sh --root "$work/deps-complete" check
expect deps-not-debian-12 fail 'Debian GNU/Linux 13 \(trixie\) is not Debian 12.*qemu-system-x86' -- \
	bash tests/deps.sh --root "$work/deps-trixie" demo
expect deps-derivative-accepted 0 'all 9 packages' -- \
	bash tests/deps.sh --root "$work/deps-derived" demo
# Not root: one line naming what to install, nothing attempted.  The user
# nobody may not be able to read the checkout (a clone under /root), so the
# script and the stand-in root are copied to a directory it can read.
nobody_dir=$(mktemp -d /tmp/migver-deps.XXXXXX)
cp tests/deps.sh "$nobody_dir/"
cp -a "$work/deps-lacks-qemu" "$nobody_dir/root"
chmod -R a+rX "$nobody_dir"
expect deps-not-root fail '^deps: not root; make demo needs: qemu-system-x86 \(as root: apt-get install --no-install-recommends qemu-system-x86\)$' -- \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c 'cd / && bash "$1/deps.sh" --root "$1/root" demo' sh "$nobody_dir"
rm -rf "$nobody_dir"
