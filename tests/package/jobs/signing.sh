# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# Signing (Secure Boot) and the kernels DKMS builds for (bookworm).
# A root with openssl and the headers of two kernels: linux-headers-amd64's
# and the ABI before it ($old_headers: an older kernel still installed).
# `uname -r` in a chroot is the host's kernel, which dkms's postinst takes
# for "a chroot's host" and then builds for every kernel; a /usr/sbin/uname
# (ahead of /usr/bin in PATH) reports the newest kernel as the running one,
# as on a machine booted into it.
fake_running() {
	printf '#!/bin/sh\n[ "$*" = -r ] && { echo %s; exit 0; }\nexec /usr/bin/uname "$@"\n' \
		"$2" >"$1/usr/sbin/uname"
	chmod 755 "$1/usr/sbin/uname"
}
# A serial number as modinfo and openssl can both be compared: hex, upper
# case, no colons, no leading zeros.
norm_hex() { tr -d ':\n ' <<<"$1" | tr a-f A-F | sed 's/^0*//'; }
# "<CN>|<serial>" of the DER certificate dkms printed, and of the key that
# signed a module ("signer" and "sig_key" of modinfo; nothing if unsigned).
cert_id() {
	local cn serial
	cn=$(pkgroot_chroot "$1" openssl x509 -inform DER -in "$2" -noout -subject \
		-nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= //p')
	serial=$(pkgroot_chroot "$1" openssl x509 -inform DER -in "$2" -noout -serial \
		2>/dev/null | sed 's/^serial=//')
	echo "$cn|$(norm_hex "$serial")"
}
module_sig_id() {
	local signer key
	signer=$(pkgroot_chroot "$1" modinfo -F signer "$2" 2>/dev/null)
	key=$(pkgroot_chroot "$1" modinfo -F sig_key "$2" 2>/dev/null)
	[ -z "$signer" ] || echo "$signer|$(norm_hex "$key")"
}
# signed_by_cert <merged> <kernel> <log> [<default>]: the module of <kernel>
# is signed with the certificate dkms printed ("Public certificate (MOK):")
# in <log>, or with <default> when it printed none (Debian 12's dkms builds
# quietly in the package's postinst); prints the reason when not.
signed_by_cert() {
	local ko cert sig cid=
	ko=$(module_file "$1" "$2")
	cert=$(tr -d '\r' <"$3" | sed -n 's/^Public certificate (MOK): //p' | tail -n1)
	[ -n "$cert" ] || cert=${4:-}
	[ -n "$ko" ] || { echo "no module for $2"; return; }
	sig=$(module_sig_id "$1" "$ko")
	[ -n "$cert" ] && cid=$(cert_id "$1" "$cert")
	echo "  $2: signature '${sig:-none}', certificate ${cert:-none}: '$cid'" >&2
	if [ -z "$sig" ]; then
		echo "modinfo -F signer is empty for $2: not signed"
	elif [ -z "$cert" ]; then
		echo "dkms printed no 'Public certificate (MOK):' line (see $3)"
	elif [ "$sig" != "$cid" ]; then
		echo "$2's module is signed by '$sig', not by the certificate $cert ('$cid')"
	fi
}
sign_cases=(deb-signed-bookworm deb-unsigned-without-openssl deb-signed-rebuild
	deb-kernels-default deb-kernels-autoinstall-k deb-kernels-all)

job_signing() {
	if [ -z "$deb" ]; then
		for c in "${sign_cases[@]}"; do skip "$c" "no .deb was built"; done
	elif [ -z "$old_headers" ] || ! pkgroot_get root kernels-bookworm bookworm "${KERNELS_PKGS[@]}" \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		for c in "${sign_cases[@]}"; do
			fail "$c" "no bookworm root with openssl and two kernels' headers (${old_headers:-no older linux-headers-6.1.0-N-amd64 in the index}), see $LOGS/roots-bookworm.log"
		done
	else
		old_k=${old_headers#linux-headers-}
		# 1. A plain install with openssl present (what Recommends gives):
		# signed.  With autoinstall_all_kernels set as README says: built for
		# both kernels.
		pkgroot_enter merged "$root"
		new_k=$(root_kver "$merged")
		fake_running "$merged" "$new_k"
		cp "$deb" "$merged/tmp/"
		echo 'autoinstall_all_kernels="yes"' >>"$merged/etc/dkms/framework.conf"
		log="$LOGS/deb-signed.log"
		echo "package: kernels $old_k and $new_k (running: $(pkgroot_chroot "$merged" uname -r))"
		rec=$(dpkg-deb -f "$deb" Recommends)
		if ! pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
			"/tmp/$(basename "$deb")" >"$log" 2>&1; then
			fail deb-signed-bookworm "apt install failed, see $log"
			fail deb-kernels-all "apt install failed, see $log"
		else
			status=$(pkgroot_chroot "$merged" dkms status 2>&1)
			echo "  autoinstall_all_kernels=yes: dkms status: $(echo "$status" | tr '\n' ';')"
			# dkms's certificate: framework.conf's mok_certificate, else its
			# default (README says so for Debian 12, whose postinst is quiet)
			# shellcheck source=/dev/null # the root's dkms configuration
			mokc=$(. "$merged/etc/dkms/framework.conf" 2>/dev/null; echo "${mok_certificate:-}")
			why=$(signed_by_cert "$merged" "$new_k" "$log" "${mokc:-/var/lib/dkms/mok.pub}")
			grep -q -w openssl <<<"$rec" || why="$why the .deb does not recommend openssl (Recommends: $rec)"
			if [ -z "$why" ]; then pass deb-signed-bookworm; else fail deb-signed-bookworm "$why"; fi
			if is_installed "$status" "$version" "$new_k" && is_installed "$status" "$version" "$old_k"; then
				pass deb-kernels-all
			else
				fail deb-kernels-all "with autoinstall_all_kernels not installed for both $old_k and $new_k"
			fi
		fi
		cleanup
		# 2. dkms's default (running and newest kernel only), without openssl
		# (unsigned), then README's commands: rebuild after installing openssl,
		# and `dkms autoinstall -k` for the other kernel.
		pkgroot_enter merged "$root"
		fake_running "$merged" "$new_k"
		cp "$deb" "$merged/tmp/"
		mv "$merged/usr/bin/openssl" "$merged/usr/bin/openssl.hidden"
		log="$LOGS/deb-kernels.log"
		if ! pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
			"/tmp/$(basename "$deb")" >"$log" 2>&1; then
			for c in deb-unsigned-without-openssl deb-signed-rebuild deb-kernels-default \
				deb-kernels-autoinstall-k; do
				fail "$c" "apt install failed, see $log"
			done
		else
			status=$(pkgroot_chroot "$merged" dkms status 2>&1)
			echo "  default, no openssl: dkms status: $(echo "$status" | tr '\n' ';')"
			if ! is_installed "$status" "$version" "$new_k"; then
				fail deb-kernels-default "not installed for the running kernel $new_k"
			elif grep -q -F ", $old_k," <<<"$status" || [ -n "$(module_file "$merged" "$old_k")" ]; then
				fail deb-kernels-default "also built for $old_k: dkms's default is not what README says"
			else
				pass deb-kernels-default
			fi
			ko=$(module_file "$merged" "$new_k")
			sig=
			[ -n "$ko" ] && sig=$(module_sig_id "$merged" "$ko")
			if [ -n "$ko" ] && [ -z "$sig" ]; then
				pass deb-unsigned-without-openssl
			else
				fail deb-unsigned-without-openssl "module '${ko:-none}', signature '${sig:-none}': README says dkms signs only with openssl"
			fi
			mv "$merged/usr/bin/openssl.hidden" "$merged/usr/bin/openssl"
			rlog="$LOGS/deb-signed-rebuild.log"
			if pkgroot_chroot "$merged" dkms remove -m mdev-migver -v "$version" -k "$new_k" >"$rlog" 2>&1 &&
				pkgroot_chroot "$merged" dkms install -m mdev-migver -v "$version" -k "$new_k" >>"$rlog" 2>&1; then
				why=$(signed_by_cert "$merged" "$new_k" "$rlog")
			else
				why="dkms remove/install -k $new_k failed, see $rlog"
			fi
			if [ -z "$why" ]; then pass deb-signed-rebuild; else fail deb-signed-rebuild "$why"; fi
			if pkgroot_chroot "$merged" dkms autoinstall -k "$old_k" >>"$log" 2>&1 &&
				is_installed "$(pkgroot_chroot "$merged" dkms status 2>&1)" "$version" "$old_k" &&
				[ -n "$(module_file "$merged" "$old_k")" ]; then
				pass deb-kernels-autoinstall-k
			else
				fail deb-kernels-autoinstall-k "dkms autoinstall -k $old_k did not install the module (see $log)"
			fi
		fi
		cleanup
	fi
}
