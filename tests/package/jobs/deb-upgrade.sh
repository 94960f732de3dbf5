# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# The package upgraded to the next version: one module, the new one.

job_deb_upgrade() {
	if [ -z "$deb" ] || [ -z "$deb2" ]; then
		skip deb-upgrade "the two .debs were not built (see $LOGS)"
	elif pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		cp "$deb" "$deb2" "$merged/tmp/"
		log="$LOGS/deb-upgrade.log"
		why=
		if ! pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
			"/tmp/$(basename "$deb")" >"$log" 2>&1; then
			why="install of $version failed"
		elif ! pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
			"/tmp/$(basename "$deb2")" >>"$log" 2>&1; then
			why="upgrade to $upver failed"
		else
			why=$(upgraded_why "$merged" "$kver" upgrade)
		fi
		if [ -z "$why" ]; then pass deb-upgrade; else fail deb-upgrade "$why (see $log)"; fi
		cleanup
	else
		fail deb-upgrade "could not make the bookworm root"
	fi
}
