# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# make dkms-install / dkms-uninstall / modules_install from a checkout.

job_make_targets() {
	if pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		pkgroot_enter merged "$root"
		kver=$(root_kver "$merged")
		mkdir -p "$merged/build/src"
		git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf - | tar -C "$merged/build/src" -xf -
		log="$LOGS/make-targets.log"
		mk() { pkgroot_chroot "$merged" make -C /build/src -f mk/packaging.mk \
			KERNELRELEASE="$kver" "$@" >>"$log" 2>&1; }
		before=$(snapshot "$merged")
		why=
		if ! mk dkms-install || ! mk dkms-install; then
			why="dkms-install (twice) failed"
		elif ! is_installed "$(pkgroot_chroot "$merged" dkms status 2>&1)" "$version" "$kver" ||
			[ -z "$(module_file "$merged" "$kver")" ]; then
			why="dkms-install did not install the module for $kver"
		elif ! mk dkms-uninstall || ! mk dkms-uninstall; then
			why="dkms-uninstall (twice) failed"
		elif [ -n "$(leftovers "$merged" "$before")" ]; then
			why="dkms-uninstall left: $(leftovers "$merged" "$before" | head -n3 | tr '\n' ' ')"
		fi
		if [ -z "$why" ]; then pass make-dkms-install-twice; else
			fail make-dkms-install-twice "$why (see $log)"
		fi
		if mk modules_install INSTALL_MOD_PATH=/tmp/stage &&
			[ -e "$merged/tmp/stage/lib/modules/$kver/updates/mdev_migver.ko" ] &&
			[ -z "$(modules_of "$merged")" ]; then
			pass make-modules-install
		else
			fail make-modules-install "no /tmp/stage/lib/modules/$kver/updates/mdev_migver.ko, or a module outside the stage (see $log)"
		fi
		cleanup
	else
		fail make-dkms-install-twice "could not make the bookworm root"
	fi
}
