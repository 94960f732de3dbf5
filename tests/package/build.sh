#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the packages in a clean, cached Debian bookworm root (see roots.sh).
#
#   build.sh deb <outdir> [<upstream version>]   .debs + lintian.txt
#   build.sh rpm <outdir> [<version>]             .rpms + .src.rpm + rpmlint.txt
#   build.sh prepare                              only make the cached root
#
# The tree is exported from the working tree (tracked and untracked files
# that .gitignore does not exclude), so build products never leak in.  With
# a version argument the .deb gets an extra changelog entry <version>-1 and
# the .rpm that version (the upgrade tests use them; no lint report then).  Needs root and debootstrap.
# Both make every binary package (mdev-migver-dkms, mdev-migver-tools); the
# last line printed is the path of the -dkms one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/package/roots.sh
source "$here/roots.sh"

BUILD_SUITE=bookworm
BUILD_PKGS=(build-essential debhelper dh-dkms lintian rpm rpmlint libjansson-dev)

what=${1:?usage: build.sh deb|rpm <outdir> [version], or build.sh prepare}
if [ "$what" = prepare ]; then
	pkgroot_get root build-$BUILD_SUITE $BUILD_SUITE "${BUILD_PKGS[@]}"
	exit
fi
out=${2:?usage: build.sh deb|rpm <outdir> [version]}
newver=${3:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(make -s -C "$top" -f "$top/mk/packaging.mk" package-version)

export_tree() {
	mkdir -p "$1"
	(
		cd "$top"
		if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			git ls-files -z --cached --others --exclude-standard |
				while IFS= read -r -d '' f; do
					[ -e "$f" ] && printf '%s\0' "$f"
				done | tar --null -T - -cf -
		else
			tar --exclude=./build --exclude-vcs -cf - .
		fi
	) | tar -C "$1" -xf -
}

root=
pkgroot_get root build-$BUILD_SUITE $BUILD_SUITE "${BUILD_PKGS[@]}"
merged=
trap 'pkgroot_leave "$merged"' EXIT
pkgroot_enter merged "$root"

case $what in
deb)
	src="$merged/build/mdev-migver"
	export_tree "$src"
	if [ -n "$newver" ]; then
		{
			printf 'mdev-migver (%s-1) unstable; urgency=medium\n\n' "$newver"
			printf '  * Test build for the upgrade test.\n\n'
			printf ' -- %s  %s\n\n' \
				"$(sed -n '/^ -- /{s/^ -- \(.*>\)  .*/\1/p;q}' "$src/debian/changelog")" \
				"$(date -R)"
			cat "$src/debian/changelog"
		} >"$src/debian/changelog.new"
		mv "$src/debian/changelog.new" "$src/debian/changelog"
		version=$newver
	fi
	pkgroot_chroot "$merged" sh -ec '
		cd /build/mdev-migver
		dpkg-checkbuilddeps
		if [ -n "$1" ]; then
			dpkg-buildpackage -b -us -uc
		else
			# source and binary, so lintian checks the source package
			# too: the orig tarball is the upstream tree without debian/
			tar -C /build --exclude=./mdev-migver/debian \
				--transform "s,^\./mdev-migver,mdev-migver-$2," \
				-czf "/build/mdev-migver_$2.orig.tar.gz" ./mdev-migver
			dpkg-buildpackage -us -uc
		fi
		cd ..
		# --show-overrides prints our overridden tags ("O: <package>:"),
		# so the verdict can tell a clean report from lintian checking
		# nothing (it prints nothing at all for a clean package).
		if [ -z "$1" ]; then
			rc=0
			lintian --show-overrides --info --display-info --pedantic *.changes \
				>lintian.txt 2>&1 || rc=$?
			echo "$rc" >lintian.status
		fi' sh "$newver" "$version"
	cp "$merged"/build/mdev-migver-dkms_"$version"-1_all.deb \
		"$merged"/build/mdev-migver-tools_"$version"-1_*.deb "$out/"
	if [ -z "$newver" ]; then
		cp "$merged/build/lintian.txt" "$merged/build/lintian.status" "$out/"
		# the source package, for lintian in another suite's root
		rm -rf "$out/source"
		mkdir -p "$out/source"
		cp "$merged"/build/mdev-migver_"$version"* "$out/source/"
		# and every .deb its .changes names (the -tools -dbgsym one too)
		cp "$merged"/build/*_"$version"-1_*.deb "$out/source/"
	fi
	echo "$out/mdev-migver-dkms_${version}-1_all.deb"
	;;
rpm)
	[ -z "$newver" ] || version=$newver
	src="$merged/build/mdev-migver-$version"
	export_tree "$src"
	# Build from the spec as make rpm does: the version default replaced.
	sed "s/^%{!?migver_version:.*/%global migver_version $version/" \
		"$src/rpm/mdev-migver.spec" >"$merged/build/mdev-migver.spec"
	# rpmbuild --nodeps: this Debian root's rpm database is empty, so the
	# spec's BuildRequires (gcc, make, jansson-devel) cannot be seen by
	# rpm; what stands for them here, Debian's gcc, make and
	# libjansson-dev, must be installed (dpkg -s) instead.
	pkgroot_chroot "$merged" sh -ec "
		dpkg -s gcc make libjansson-dev >/dev/null
		mkdir -p /build/rpmbuild/SOURCES
		tar -C /build -czf /build/rpmbuild/SOURCES/mdev-migver-$version.tar.gz \
			mdev-migver-$version
		rpmbuild -ba --nodeps --define '_topdir /build/rpmbuild' /build/mdev-migver.spec
		[ -z '$newver' ] || exit 0
		cd /build
		rpmlint -r mdev-migver-$version/rpm/mdev-migver.rpmlintrc \
			mdev-migver.spec rpmbuild/RPMS/*/*.rpm rpmbuild/SRPMS/*.rpm \
			>/build/rpmlint.txt 2>&1 ||
			echo \"rpmlint exit \$?\" >>/build/rpmlint.txt"
	if [ -n "$newver" ]; then
		cp "$merged"/build/rpmbuild/RPMS/*/*.rpm "$out/"
	else
		cp "$merged"/build/rpmbuild/RPMS/*/*.rpm \
			"$merged"/build/rpmbuild/SRPMS/*.rpm "$merged/build/rpmlint.txt" "$out/"
	fi
	ls "$out"/mdev-migver-dkms-"$version"-*.noarch.rpm
	;;
*)
	echo "build.sh: unknown package type $what" >&2
	exit 2
	;;
esac
