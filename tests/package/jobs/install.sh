# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# Per suite: apt install the .deb in a clean root of the suite, check what
# DKMS built and the release everyone reports, keep the module for the boot
# case (boot.sh), then apt purge and look for leftovers.

# job_install <suite>: cases deb-{install,dkms,module,version,purge}-<suite>.
job_install() {
	local suite=$1
	if [ -z "$deb" ]; then
		skip "deb-install-$suite" "no .deb was built"
		return
	fi
	if ! pkgroot_get root "dkms-$suite" "$suite" ${root_pkgs["$suite"]} \
		>>"$LOGS/roots-$suite.log" 2>&1; then
		fail "deb-install-$suite" "could not make the $suite root, see $LOGS/roots-$suite.log"
		return
	fi
	pkgroot_enter merged "$root"
	kver=$(root_kver "$merged")
	before=$(snapshot "$merged")
	cp "$deb" "$merged/tmp/"
	log="$LOGS/deb-$suite.log"
	echo "package: $suite, kernel $kver, $(pkgroot_chroot "$merged" dkms --version 2>/dev/null)"
	if pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
		"/tmp/$(basename "$deb")" >"$log" 2>&1; then
		pass "deb-install-$suite"
	else
		fail "deb-install-$suite" "apt install failed, see $log"
		tail -n 15 "$log"
	fi
	status=$(pkgroot_chroot "$merged" dkms status 2>&1)
	echo "  dkms status: $status"
	if [ -n "$kver" ] && is_installed "$status" "$version" "$kver"; then
		pass "deb-dkms-$suite"
	else
		fail "deb-dkms-$suite" "not installed for $kver"
		f=$(ls "$merged"/var/lib/dkms/mdev-migver/"$version"/build/make.log 2>/dev/null)
		[ -n "$f" ] && tail -n 15 "$f"
	fi
	mods=$(modules_of "$merged")
	ko=$(module_file "$merged" "$kver")
	if [ -n "$kver" ] && [ -n "$ko" ]; then
		vm=$(pkgroot_chroot "$merged" modinfo -F vermagic "$ko")
		case $vm in
		"$kver "*) pass "deb-module-$suite" ;;
		*) fail "deb-module-$suite" "vermagic '$vm' is not for $kver" ;;
		esac
	else
		fail "deb-module-$suite" "no mdev_migver.ko in /lib/modules/$kver/updates/dkms (found: ${mods:-none})"
	fi
	if [ -n "$ko" ]; then
		mv=$(pkgroot_chroot "$merged" modinfo -F version "$ko" 2>&1)
		dv=$(dkms_version "$status" "$kver")
		pv=$(pkgroot_chroot "$merged" dpkg-query -W -f '${Version}' mdev-migver-dkms 2>&1)
		pv=${pv#*:}
		pv=${pv%-*}
		echo "  release: modinfo $mv, dkms $dv, package $pv, changelog $version"
		bad=$(release_mismatch "$version" "modinfo=$mv" "dkms=$dv" "package=$pv")
		if [ -z "$bad" ]; then
			pass "deb-version-$suite"
		else
			fail "deb-version-$suite" "release differs: $bad"
		fi
	else
		fail "deb-version-$suite" "no module to read a version from (see deb-module-$suite)"
	fi
	# Keep the module for the boot cases, decompressed (trixie's and sid's
	# DKMS compress it; the initramfs takes plain .ko files).
	kodir="$OUT/dkms-ko/$suite"
	if [ -n "$ko" ] && mkdir -p "$kodir" && case $ko in
		*.xz) xz -dc "$merged$ko" ;;
		*.zst) zstd -qdc "$merged$ko" ;;
		*.gz) gzip -dc "$merged$ko" ;;
		*) cat "$merged$ko" ;;
		esac >"$kodir/mdev_migver.ko"; then
		echo "$kver" >"$kodir/kver"
	else
		rm -rf "$kodir"
	fi
	if pkgroot_chroot "$merged" apt-get purge -y mdev-migver-dkms >>"$log" 2>&1; then
		left=$(leftovers "$merged" "$before")
		echo "$left" >"$LOGS/deb-purge-$suite.leftovers"
		if [ -z "$left" ]; then
			pass "deb-purge-$suite"
		else
			fail "deb-purge-$suite" "left behind: $(echo "$left" | head -n5 | tr '\n' ' ')"
		fi
	else
		fail "deb-purge-$suite" "apt purge failed, see $log"
	fi
	cleanup
}
