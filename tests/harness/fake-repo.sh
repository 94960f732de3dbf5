# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# A local, signed apt repository for the harness self-tests (sourced).
#
# fake_repo <dir> <valid-until: a date(1) string>: makes <dir>/repo with one
# suite, sid, whose main/binary-amd64 index names a fake kernel 9.9.9 the
# way Debian's does (linux-headers-amd64 -> linux-headers-9.9.9-amd64, the
# same for the image), signed by a throwaway key whose keyring is
# <dir>/keyring.gpg.  No package files exist: index operations only.
# Needs gpg.

fake_repo() {
	local dir=$1 until=$2 d p fr_rc
	d=$dir/repo/dists/sid
	mkdir -p "$d/main/binary-amd64" "$dir/gnupg"
	chmod 700 "$dir/gnupg"
	for p in headers image; do
		cat <<EOF
Package: linux-$p-9.9.9-amd64
Version: 9.9.9-1
Architecture: amd64
Filename: pool/main/l/linux/linux-${p}-9.9.9-amd64_9.9.9-1_amd64.deb
Size: 1
SHA256: 0000000000000000000000000000000000000000000000000000000000000000
Description: fake kernel $p for the harness self-tests

Package: linux-$p-amd64
Version: 9.9.9-1
Architecture: amd64
Depends: linux-$p-9.9.9-amd64 (= 9.9.9-1)
Filename: pool/main/l/linux-signed/linux-${p}-amd64_9.9.9-1_amd64.deb
Size: 1
SHA256: 0000000000000000000000000000000000000000000000000000000000000000
Description: fake kernel $p meta package for the harness self-tests

EOF
	done >"$d/main/binary-amd64/Packages"
	{
		printf 'Origin: mdev-migver self-test\nLabel: mdev-migver self-test\n'
		printf 'Suite: sid\nCodename: sid\nArchitectures: amd64\nComponents: main\n'
		printf 'Date: %s\n' "$(LC_ALL=C date -u -d "$until - 7 days" '+%a, %d %b %Y %H:%M:%S UTC')"
		printf 'Valid-Until: %s\n' "$(LC_ALL=C date -u -d "$until" '+%a, %d %b %Y %H:%M:%S UTC')"
		printf 'SHA256:\n %s %s main/binary-amd64/Packages\n' \
			"$(sha256sum <"$d/main/binary-amd64/Packages" | cut -d' ' -f1)" \
			"$(stat -c %s "$d/main/binary-amd64/Packages")"
	} >"$d/Release"
	GNUPGHOME=$dir/gnupg gpg --batch --quiet --pinentry-mode loopback \
		--passphrase '' --quick-gen-key 'mdev-migver self-test <selftest@invalid>' \
		ed25519 sign 1d 2>/dev/null &&
		GNUPGHOME=$dir/gnupg gpg --batch --quiet --yes --clearsign \
			-o "$d/InRelease" "$d/Release" &&
		GNUPGHOME=$dir/gnupg gpg --batch --quiet --export >"$dir/keyring.gpg"
	fr_rc=$?
	# gpg started an agent for this home; it would outlive the run
	GNUPGHOME=$dir/gnupg gpgconf --kill all 2>/dev/null
	return $fr_rc
}
