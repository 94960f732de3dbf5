# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# A kernel without VFIO_MDEV (-cloud-amd64 headers): the .deb installs,
# DKMS skips the kernel with its BUILD_EXCLUSIVE message, purge is clean.

job_deb_cloud() {
	if [ -z "$deb" ]; then
		skip deb-cloud-skip "no .deb was built"
	elif ! pkgroot_get root cloud-bookworm bookworm "${CLOUD_PKGS[@]}" \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		fail deb-cloud-skip "could not make the cloud root"
	else
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		before=$(snapshot "$merged")
		cp "$deb" "$merged/tmp/"
		log="$LOGS/deb-cloud.log"
		why=
		grep -q -E '^CONFIG_VFIO_MDEV=' "$merged/usr/src/linux-headers-$kver/.config" 2>/dev/null &&
			why="$kver has CONFIG_VFIO_MDEV: not a test of the skip"
		if [ -z "$why" ] && ! pkgroot_chroot "$merged" apt-get install -y \
			--no-install-recommends "/tmp/$(basename "$deb")" >"$log" 2>&1; then
			why="apt install failed, see $log"
		fi
		if [ -z "$why" ]; then
			status=$(pkgroot_chroot "$merged" dkms status 2>&1)
			echo "  $kver: dkms status: $status"
			echo "  $kver: message: $(grep -i -m1 -E 'exclusive|not supported|skip' "$log")"
			if grep -q installed <<<"$status" || [ -n "$(modules_of "$merged")" ]; then
				why="a module was installed for $kver"
			elif ! grep -q -i -E 'BUILD_EXCLUSIVE|exclusive' "$log"; then
				why="no BUILD_EXCLUSIVE message in $log"
			elif ! pkgroot_chroot "$merged" apt-get purge -y mdev-migver-dkms >>"$log" 2>&1; then
				why="apt purge failed"
			elif [ -n "$(leftovers "$merged" "$before")" ]; then
				why="purge left: $(leftovers "$merged" "$before" | head -n3 | tr '\n' ' ')"
			fi
		fi
		if [ -z "$why" ]; then pass deb-cloud-skip; else fail deb-cloud-skip "$why"; fi
		cleanup
	fi
}
