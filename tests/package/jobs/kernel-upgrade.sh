# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# A kernel upgrade after the package is installed (bookworm).
# The package goes onto a machine with one kernel's headers; then apt brings
# the headers of a newer supported kernel, and later of a -cloud one (no
# VFIO_MDEV), as an upgrade does.  dkms's kernel hook must build for the
# first.  For the second, Debian 12's dkms 3.0.10 counts the
# BUILD_EXCLUSIVE skip as a failed autoinstall ("autoinstall for kernel:
# <k> failed!", exit 11), so apt stops with the -cloud headers unconfigured
# (dkms 3.2, Debian 13, reports it as skipped): README's troubleshooting
# row says so and gives the way out, which this case walks.
job_kernel_upgrade() {
	if [ -z "$deb" ]; then
		skip deb-kernel-upgrade "no .deb was built"
	elif [ -z "$old_headers" ] || ! pkgroot_get root upgrade-bookworm bookworm "${UPGRADE_PKGS[@]}" \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		fail deb-kernel-upgrade "no bookworm root with only ${old_headers:-the headers of an older kernel}, see $LOGS/roots-bookworm.log"
	else
		old_k=${old_headers#linux-headers-}
		pkgroot_enter merged "$root"
		fake_running "$merged" "$old_k"
		cp "$deb" "$merged/tmp/"
		log="$LOGS/deb-kernel-upgrade.log"
		why=
		# the shared download cache, as the roots were made from it
		mount --bind "$PKGROOTS/debs/bookworm" "$merged/var/cache/apt/archives" &&
			PKGROOT_MOUNTS+=("$merged/var/cache/apt/archives")
		apt_in() { pkgroot_chroot "$merged" apt-get "$@" >>"$log" 2>&1; }
		kernels() { for b in "$merged"/lib/modules/*/build; do b=${b%/build}; echo "${b##*/}"; done; }
		: >"$log"
		if ! apt_in install -y --no-install-recommends "/tmp/$(basename "$deb")"; then
			why="apt install of the package failed"
		elif ! is_installed "$(pkgroot_chroot "$merged" dkms status 2>&1)" "$version" "$old_k"; then
			why="not installed for $old_k before the upgrade"
		elif ! apt_in install -y --no-install-recommends linux-headers-amd64; then
			why="apt install of linux-headers-amd64 failed"
		else
			new_k=$(kernels | grep -v -x -F "$old_k" | head -n1)
			status=$(pkgroot_chroot "$merged" dkms status 2>&1)
			if [ -z "$new_k" ]; then
				why="linux-headers-amd64 brought no second kernel"
			elif ! is_installed "$status" "$version" "$new_k"; then
				why="the kernel hook did not build for $new_k"
			else
				cloud_rc=0
				apt_in install -y --no-install-recommends linux-headers-cloud-amd64 || cloud_rc=$?
				cloud_k=$(kernels | grep -- -cloud- | head -n1)
				echo "  kernel upgrade: $old_k -> $new_k (built); ${cloud_k:-?}: apt exit $cloud_rc"
				grep -m2 -E 'BUILD_EXCLUSIVE|autoinstall for kernel: .*cloud|skipped' "$log" |
					sed 's/^/  kernel upgrade: /'
				if [ -z "$cloud_k" ]; then
					why="no -cloud kernel headers after the install"
				elif ! grep -q 'BUILD_EXCLUSIVE' "$log"; then
					why="no BUILD_EXCLUSIVE message for $cloud_k"
				elif [ "$cloud_rc" -ne 0 ] &&
					! grep -q -F "autoinstall for kernel: $cloud_k failed!" "$log"; then
					why="apt failed on $cloud_k for another reason than dkms's autoinstall (see $log)"
				elif [ "$cloud_rc" -ne 0 ] && ! apt_in purge -y linux-headers-cloud-amd64 "linux-headers-$cloud_k"; then
					why="README's way out (apt purge of the -cloud headers) failed"
				elif [ -n "$(pkgroot_chroot "$merged" dpkg --audit 2>&1)" ]; then
					why="dpkg --audit still reports: $(pkgroot_chroot "$merged" dpkg --audit 2>&1 | head -n2 | tr '\n' ' ')"
				else
					status=$(pkgroot_chroot "$merged" dkms status 2>&1)
					if ! is_installed "$status" "$version" "$new_k" ||
						! is_installed "$status" "$version" "$old_k"; then
						why="a module was lost: $status"
					elif grep -q -F "$cloud_k" <<<"$status"; then
						why="dkms has $cloud_k: $(grep -F "$cloud_k" <<<"$status")"
					elif [ "$(modules_of "$merged" | grep -c .)" -ne 2 ]; then
						why="$(modules_of "$merged" | grep -c .) modules, expected 2"
					fi
				fi
			fi
		fi
		if [ -z "$why" ]; then pass deb-kernel-upgrade; else
			fail deb-kernel-upgrade "$why (see $log)"
			tail -n 10 "$log"
		fi
		cleanup
	fi
}
