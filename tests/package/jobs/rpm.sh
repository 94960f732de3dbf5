# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# The .rpm in a bookworm root with dkms and rpm: its file list, the real
# scriptlets, the spec's own version, an upgrade, a kernel it must skip.

# File list and real scriptlets.
job_rpm_files() {
	if [ -z "$rpm" ]; then
		skip rpm-files "no .rpm was built"
		skip rpm-scriptlets "no .rpm was built"
		skip rpm-version "no .rpm was built"
	elif pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		cp "$rpm" "$merged/tmp/"
		r=/tmp/$(basename "$rpm")
		files=$(pkgroot_chroot "$merged" rpm -qlp "$r" 2>/dev/null)
		srcdir=/usr/src/mdev-migver-$version
		why=
		for f in "$srcdir/dkms.conf" "$srcdir/Kbuild" "$srcdir/include" "$srcdir/src" \
			/usr/lib/modprobe.d/mdev-migver.conf; do
			grep -q -x -F "$f" <<<"$files" || why="$why missing $f;"
		done
		bad=$(echo "$files" | grep -E '/tests(/|$)|\.o$|\.ko$|\.cmd$|/debian/|/rpm/' | head -n3)
		rec=$(pkgroot_chroot "$merged" rpm -qp --recommends "$r" 2>/dev/null)
		grep -q -w openssl <<<"$rec" || why="$why no Recommends: openssl (${rec:-none});"
		[ -z "$bad" ] || why="$why unexpected: $bad;"
		pkgroot_chroot "$merged" rpm2cpio "$r" 2>/dev/null | (cd "$OUT" && rm -rf rpmx &&
			mkdir rpmx && cd rpmx && cpio -idm --quiet 2>/dev/null)
		grep -q '#MODULE_VERSION#' "$OUT/rpmx$srcdir/dkms.conf" 2>/dev/null &&
			why="$why dkms.conf version not substituted;"
		grep -q "^PACKAGE_VERSION=\"$version\"" "$OUT/rpmx$srcdir/dkms.conf" 2>/dev/null ||
			why="$why dkms.conf has no PACKAGE_VERSION=\"$version\";"
		if [ -z "$why" ]; then pass rpm-files; else fail rpm-files "$why"; fi
		echo "$files" | sed 's/^/  rpm file: /' | head -n 40

		log="$LOGS/rpm-scriptlets.log"
		before=$(snapshot "$merged")
		why=
		if ! pkgroot_chroot "$merged" rpm -i --nodeps --force-debian "$r" >"$log" 2>&1; then
			why="rpm -i failed"
			fail rpm-version "rpm -i failed"
		else
			status=$(pkgroot_chroot "$merged" dkms status 2>&1)
			echo "  rpm: dkms status: $status"
			ko=$(module_file "$merged" "$kver")
			if [ -n "$ko" ]; then
				mv=$(pkgroot_chroot "$merged" modinfo -F version "$ko" 2>&1)
				rv=$(pkgroot_chroot "$merged" rpm -q --qf '%{VERSION}' mdev-migver-dkms 2>&1)
				dv=$(dkms_version "$status" "$kver")
				echo "  rpm release: modinfo $mv, dkms $dv, rpm $rv, changelog $version"
				bad=$(release_mismatch "$version" "modinfo=$mv" "dkms=$dv" "rpm=$rv")
				if [ -z "$bad" ]; then pass rpm-version; else
					fail rpm-version "release differs: $bad"
				fi
			else
				fail rpm-version "no module to read a version from"
			fi
			if ! is_installed "$status" "$version" "$kver"; then
				why="%post did not install for $kver"
			elif [ -z "$ko" ]; then
				why="no module under updates/dkms"
			else
				why=$(rpm_erase_why "$merged" "$log" "$before")
			fi
		fi
		if [ -z "$why" ]; then pass rpm-scriptlets; else
			fail rpm-scriptlets "$why (see $log)"
			tail -n 10 "$log"
		fi
		cleanup
	else
		fail rpm-scriptlets "could not make the bookworm root"
	fi
}

# The spec as committed (no --define) has debian/changelog's version.
job_rpm_spec() {
	if pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		mkdir -p "$merged/build"
		cp rpm/mdev-migver.spec "$merged/build/"
		sv=$(pkgroot_chroot "$merged" rpmspec -q --srpm --qf '%{VERSION}\n' \
			/build/mdev-migver.spec 2>&1 | tail -n1)
		echo "  rpm spec version (no --define): $sv, changelog $version"
		if [ "$sv" = "$version" ]; then pass rpm-spec-version; else
			fail rpm-spec-version "rpmspec says '$sv', debian/changelog $version: update the default in rpm/mdev-migver.spec"
		fi
		cleanup
	else
		fail rpm-spec-version "could not make the bookworm root"
	fi
}

# rpm -U to the next version: one module, the new one; rpm -e is clean.
job_rpm_upgrade() {
	if [ -z "$rpm" ] || [ -z "$rpm2" ]; then
		skip rpm-upgrade "the two .rpms were not built (see $LOGS)"
	elif pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		cp "$rpm" "$rpm2" "$merged/tmp/"
		log="$LOGS/rpm-upgrade.log"
		before=$(snapshot "$merged")
		why=
		if ! pkgroot_chroot "$merged" rpm -i --nodeps --force-debian \
			"/tmp/$(basename "$rpm")" >"$log" 2>&1; then
			why="rpm -i of $version failed"
		elif ! pkgroot_chroot "$merged" rpm -U --nodeps --force-debian \
			"/tmp/$(basename "$rpm2")" >>"$log" 2>&1; then
			why="rpm -U to $upver failed"
		else
			why=$(upgraded_why "$merged" "$kver" "rpm -U")
			pkgs=$(pkgroot_chroot "$merged" rpm -q mdev-migver-dkms 2>&1)
			echo "  after rpm -U: rpm -q: $pkgs"
			if [ -n "$why" ]; then
				:
			elif [ "$(echo "$pkgs" | grep -c .)" -ne 1 ] || ! grep -q -F -- "-$upver-" <<<"$pkgs"; then
				why="rpm -q says: $pkgs"
			else
				why=$(rpm_erase_why "$merged" "$log" "$before")
			fi
		fi
		if [ -z "$why" ]; then pass rpm-upgrade; else
			fail rpm-upgrade "$why (see $log)"
			tail -n 10 "$log"
		fi
		cleanup
	else
		fail rpm-upgrade "could not make the bookworm root"
	fi
}

# rpm -i on a -cloud-amd64 kernel succeeds and %post says why.
job_rpm_cloud() {
	if [ -z "$rpm" ]; then
		skip rpm-cloud-skip "no .rpm was built"
	elif pkgroot_get root cloud-bookworm bookworm "${CLOUD_PKGS[@]}" \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		cp "$rpm" "$merged/tmp/"
		log="$LOGS/rpm-cloud.log"
		before=$(snapshot "$merged")
		want="mdev-migver: not built for kernel $kver: its config has no CONFIG_VFIO_MDEV"
		why=
		if grep -q -E '^CONFIG_VFIO_MDEV=' "$merged/usr/src/linux-headers-$kver/.config" 2>/dev/null; then
			why="$kver has CONFIG_VFIO_MDEV: not a test of the skip"
		elif ! pkgroot_chroot "$merged" rpm -i --nodeps --force-debian \
			"/tmp/$(basename "$rpm")" >"$log" 2>&1; then
			why="rpm -i failed on a kernel it should skip"
		else
			echo "  $kver: %post said: $(grep -m1 '^mdev-migver:' "$log")"
			if ! grep -q -F "$want" "$log"; then
				why="%post did not say '$want'"
			elif [ -n "$(modules_of "$merged")" ]; then
				why="a module was installed for $kver"
			else
				why=$(rpm_erase_why "$merged" "$log" "$before")
			fi
		fi
		if [ -z "$why" ]; then pass rpm-cloud-skip; else
			fail rpm-cloud-skip "$why (see $log)"
			tail -n 10 "$log"
		fi
		cleanup
	else
		fail rpm-cloud-skip "could not make the cloud root"
	fi
}
