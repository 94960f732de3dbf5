#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Packaging tests: the .deb and the .rpm built in a clean bookworm root, then
# installed, checked and removed in clean roots of every suite of
# tests/lib/suites.sh (bookworm, trixie, sid, and sid with the experimental
# kernel; each a throw-away overlay over a cached root, see roots.sh):
#
#   deb-lintian                      lintian --pedantic on the source and
#                                    binary packages: ran, no errors
#   deb-lintian-trixie               the same with Debian 13's lintian
#   rpm-lint, rpm-files              rpmlint: ran, no errors; the file list
#                                    and Recommends: openssl
#   deb-install-<suite>              apt install ./<deb> succeeds
#   deb-dkms-<suite>                 dkms status: installed for the root's kernel
#   deb-module-<suite>               the .ko is in updates/dkms, vermagic right
#   deb-version-<suite>              one release everywhere: modinfo -F version
#                                    of that .ko, dkms status and the
#                                    package's upstream version agree with
#                                    debian/changelog's first entry
#   deb-purge-<suite>                apt purge leaves nothing in /usr/src,
#                                    /var/lib/dkms, /lib/modules
#   deb-cloud-skip                   -cloud-amd64 headers (no VFIO_MDEV):
#                                    installs, DKMS skips with a message
#   deb-signed-bookworm              openssl present (the .deb recommends
#                                    it): the module is signed by dkms's
#                                    certificate (/var/lib/dkms/mok.pub)
#   deb-kernels-all                  two kernels' headers and
#                                    autoinstall_all_kernels: built for both
#   deb-kernels-default              without it: only the running (= newest)
#                                    kernel, as README says
#   deb-unsigned-without-openssl     no openssl: the module is unsigned
#   deb-signed-rebuild               then openssl + README's dkms remove /
#                                    install -k: signed by the certificate
#                                    dkms printed
#   deb-kernels-autoinstall-k        README's dkms autoinstall -k <older>
#   deb-kernel-upgrade               package installed with one kernel's
#                                    headers, then apt installs a newer
#                                    kernel's (built by dkms's hook), then a
#                                    -cloud one's (skipped; on dkms 3.0.10
#                                    apt fails and README's apt purge of
#                                    those headers unblocks it)
#   deb-upgrade                      0.1.0 -> bumped version: one module,
#                                    whose modinfo version is the new one
#   rpm-scriptlets                   rpm -i / rpm -e run the real scriptlets
#   rpm-version                      after rpm -i: modinfo, dkms status and
#                                    rpm -q agree on the release
#   rpm-spec-version                 the spec as committed (no --define) has
#                                    debian/changelog's version
#   rpm-upgrade                      rpm -U 0.1.0 -> bumped version: one
#                                    module, the new one; rpm -e leaves nothing
#   rpm-cloud-skip                   rpm -i on a -cloud-amd64 kernel succeeds
#                                    and %post says why it built nothing
#   make-dkms-install-twice          make dkms-install x2, dkms-uninstall x2
#   make-modules-install             INSTALL_MOD_PATH is honoured
#   dkms-build-exclusive-kernel      dkms.conf's kernel rule takes the
#                                    supported release strings (7.3-amd64:
#                                    no patch level) and refuses older ones
#   qemu-dkms-<suite>/<case>         the .ko DKMS built in deb-module-<suite>
#                                    boots with the QEMU harness's kernel of
#                                    the suite (same version, checked) and
#                                    passes guest entry `smoke`
#                                    (tests/qemu/guest/smoke.plan), plus
#                                    qemu-dkms-<suite>/kernel-log-clean
#
# Building the .deb and .rpm are steps (a failure fails once; the cases
# they feed then fail as missing).
#
# Needs root, debootstrap and network on the first run; later runs reuse the
# cached roots under $MIGVER_CACHE/pkgroots/ and are offline but for a refresh
# of the suites' package indexes.  Exit status non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1
top=$PWD
source tests/lib/results.sh
source tests/lib/guest-results.sh
source tests/lib/verdicts.sh
source tests/package/roots.sh

# every kernel of tests/lib/suites.sh (roots.sh sources it through
# common.sh), or MIGVER_SUITES
read -r -a SUITES <<<"$MIGVER_SUITES"
DKMS_PKGS=(dkms linux-headers-amd64)
CLOUD_PKGS=(dkms linux-headers-cloud-amd64 rpm)
OUT="$top/build/pkg/test"
LOGS="$OUT/logs"
t0=$SECONDS

# Packages of each test root (root_pkgs[<suite>], words): bookworm's also
# has rpm for the RPM case.
declare -A root_pkgs=([bookworm]="${DKMS_PKGS[*]} rpm" [trixie]="${DKMS_PKGS[*]}"
	[sid]="${DKMS_PKGS[*]}" [experimental]="${DKMS_PKGS[*]}")
root=

plan deb-lintian rpm-lint rpm-files deb-cloud-skip deb-upgrade rpm-scriptlets rpm-version \
	rpm-spec-version rpm-upgrade rpm-cloud-skip deb-kernel-upgrade deb-lintian-trixie \
	make-dkms-install-twice make-modules-install dkms-build-exclusive-kernel \
	deb-signed-bookworm deb-unsigned-without-openssl deb-signed-rebuild \
	deb-kernels-default deb-kernels-autoinstall-k deb-kernels-all
for suite in "${SUITES[@]}"; do
	plan "deb-install-$suite" "deb-dkms-$suite" "deb-module-$suite" "deb-version-$suite" \
		"deb-purge-$suite"
	guest_plan "qemu-dkms-$suite" tests/qemu/guest/smoke.plan
done

if [ "$(id -u)" -ne 0 ]; then
	step_fail package/setup "needs root (debootstrap, chroot, mounts): run make deps and make check as root"
	results_finish package
	exit 1
fi
if ! command -v debootstrap >/dev/null; then
	step_fail package/setup "debootstrap is not installed (make deps)"
	results_finish package
	exit 1
fi

# `run.sh --prepare-roots`: only make the cached roots (tests/run-all.sh
# does it in the background while the first suites run); no results.
prepare_only=0
if [ "${1:-}" = --prepare-roots ]; then
	prepare_only=1
	LOGS="$MIGVER_RESULTS/package-roots"
	mkdir -p "$LOGS"
else
	rm -rf "$OUT"
	mkdir -p "$LOGS"
fi

# ---- dkms.conf's kernel rule, as dkms applies it (bash =~) -----------------
# Release strings DKMS must build for (Debian's 6.1, 6.12, 7.2, the
# experimental rc without a patch level, a Fedora kernel) and must skip
# (older than 6.1: RHEL 9's 5.14, RHEL 8's 4.18, 6.0).
regex=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
why=
for k in 6.1.0-56-amd64 6.12.117+deb13-amd64 7.2.13+deb14-amd64 7.3-amd64 \
	6.17.7-300.fc43.x86_64 10.0-rc1-amd64; do
	[[ $k =~ $regex ]] || why="$why refuses $k;"
done
for k in 5.14.0-570.el9_6.x86_64 4.18.0-553.el8_10.x86_64 6.0.12-amd64 5.10.0-30-amd64; do
	[[ $k =~ $regex ]] && why="$why accepts $k;"
done
if [ -n "$regex" ] && [ -z "$why" ]; then
	pass dkms-build-exclusive-kernel
else
	fail dkms-build-exclusive-kernel "BUILD_EXCLUSIVE_KERNEL='$regex':${why:- not found in dkms.conf}"
fi

merged=
cleanup() { pkgroot_leave "$merged"; merged=; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

version=$(make -s -f mk/packaging.mk package-version)
upver=$(echo "$version" | awk -F. '{ printf "%s.%s.%d", $1, $2, $3 + 1 }')

# The bookworm root of the signing and kernel cases: openssl, and the
# headers of linux-headers-amd64's kernel plus of the ABI before it (the
# newest older linux-headers-6.1.0-N-amd64 the index has).
pkgroot_update_index bookworm >"$LOGS/index-bookworm.log" 2>&1
cur_headers=$(papt_cache bookworm depends linux-headers-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-headers-[0-9].*\)$/\1/p' | head -n1)
old_headers=$(papt_cache bookworm search --names-only '^linux-headers-[0-9.]+-[0-9]+-amd64$' \
	2>/dev/null | cut -d' ' -f1 | sort -V |
	awk -v c="$cur_headers" '$0 == c { print p; exit } { p = $0 }')
KERNELS_PKGS=(dkms linux-headers-amd64 openssl)
[ -z "$old_headers" ] || KERNELS_PKGS+=("$old_headers")
# the root a kernel upgrade starts from: dkms and the older kernel only
UPGRADE_PKGS=(dkms "$old_headers")

# ---- roots: make missing ones in parallel (bookworm ones share a cache) ----
echo "package: preparing roots (cached under $PKGROOTS)"
(
	trap pkgroot_umount_all EXIT
	bash tests/package/build.sh prepare
	pkgroot_get r dkms-bookworm bookworm ${root_pkgs[bookworm]}
	pkgroot_get r cloud-bookworm bookworm "${CLOUD_PKGS[@]}"
	[ -z "$old_headers" ] || pkgroot_get r kernels-bookworm bookworm "${KERNELS_PKGS[@]}"
	[ -z "$old_headers" ] || pkgroot_get r upgrade-bookworm bookworm "${UPGRADE_PKGS[@]}"
) >"$LOGS/roots-bookworm.log" 2>&1 &
p1=$!
(
	trap pkgroot_umount_all EXIT
	for s in "${SUITES[@]}"; do
		[ "$s" = bookworm ] || pkgroot_get r "dkms-$s" "$s" ${root_pkgs[$s]}
	done
	pkgroot_get r lintian-trixie trixie lintian
) >"$LOGS/roots-other.log" 2>&1 &
p2=$!
wait $p1 $p2
echo "package: roots ready after $((SECONDS - t0)) s"
[ "$prepare_only" = 0 ] || exit 0

# ---- build ----------------------------------------------------------------
deb=
if deb=$(bash tests/package/build.sh deb "$OUT" 2>"$LOGS/deb-build.log" | tail -n1) &&
	[ -f "$deb" ]; then
	step_ok deb-build
	lintian_verdict deb-lintian "$OUT/lintian.txt" "$OUT/lintian.status" mdev-migver-dkms
	grep -E '^[EWIP]: ' "$OUT/lintian.txt" | sed 's/^/  lintian: /'
else
	step_fail deb-build "see $LOGS/deb-build.log"
	tail -n 20 "$LOGS/deb-build.log"
	deb=
fi
# The same source and binary packages through trixie's lintian (newer
# checks, the Standards-Version it knows).
if [ -z "$deb" ]; then
	skip deb-lintian-trixie "no .deb was built"
elif pkgroot_get root lintian-trixie trixie lintian >>"$LOGS/roots-other.log" 2>&1; then
	pkgroot_enter merged "$root"
	mkdir -p "$merged/build"
	cp "$OUT"/source/* "$deb" "$merged/build/"
	pkgroot_chroot "$merged" sh -c 'cd /build && rc=0 &&
		lintian --show-overrides --info --display-info --pedantic ./*.changes \
			>lintian.txt 2>&1 || rc=$?; echo "$rc" >lintian.status'
	cp "$merged/build/lintian.txt" "$OUT/lintian-trixie.txt"
	cp "$merged/build/lintian.status" "$OUT/lintian-trixie.status"
	lintian_verdict deb-lintian-trixie "$OUT/lintian-trixie.txt" "$OUT/lintian-trixie.status" \
		mdev-migver-dkms
	grep -E '^[EWIP]: ' "$OUT/lintian-trixie.txt" | sed 's/^/  lintian (trixie): /'
	cleanup
else
	fail deb-lintian-trixie "could not make the trixie lintian root"
fi
deb2=
if [ -n "$deb" ]; then
	deb2=$(bash tests/package/build.sh deb "$OUT" "$upver" 2>"$LOGS/deb-build-$upver.log" | tail -n1)
	[ -f "$deb2" ] || deb2=
fi

rpm=
if rpm=$(bash tests/package/build.sh rpm "$OUT" 2>"$LOGS/rpm-build.log" | tail -n1) &&
	[ -f "$rpm" ]; then
	step_ok rpm-build
	# the binary and the source package, and the spec file
	rpmlint_verdict rpm-lint "$OUT/rpmlint.txt" 2 1
	grep -E ': [EW]: |specfiles checked' "$OUT/rpmlint.txt" | sed 's/^/  rpmlint: /'
else
	step_fail rpm-build "see $LOGS/rpm-build.log"
	tail -n 20 "$LOGS/rpm-build.log"
	rpm=
fi
rpm2=
if [ -n "$rpm" ]; then
	rpm2=$(bash tests/package/build.sh rpm "$OUT" "$upver" 2>"$LOGS/rpm-build-$upver.log" | tail -n1)
	[ -f "$rpm2" ] || rpm2=
fi

# ---- helpers for the install cases ----------------------------------------
# The kernel whose headers a root has (the one with a build/ link).
root_kver() {
	local b t
	for b in "$1"/lib/modules/*/build; do
		t=$(readlink "$b") || continue
		case $t in /*) t=$1$t ;; *) t=$(dirname "$b")/$t ;; esac
		[ -e "$t/Makefile" ] && basename "$(dirname "$b")"
	done | sort -V | tail -n1
}

# dkms status says <version> is installed for <kernel>: is_installed S V K
is_installed() {
	grep -F "mdev-migver/$2, $3, " <<<"$1" | grep -q ': installed'
}

# The module file DKMS installed for <kernel> (any compression), or nothing.
module_file() {
	local f
	for f in "$1/lib/modules/$2/updates/dkms/mdev_migver.ko"{,.xz,.zst,.gz}; do
		[ -e "$f" ] && echo "${f#"$1"}"
	done
}

# Everything under the directories a package must leave clean.
snapshot() {
	(cd "$1" && find usr/src var/lib/dkms lib/modules 2>/dev/null | sort)
}

# Differences from the snapshot, ignoring dkms's own signing key (created
# by dkms on its first build and kept by design: it is enrolled once) and
# depmod's index files (modules.dep & co.), which a root holding only the
# headers of a kernel (no image) did not have before the first depmod.
leftovers() {
	diff <(echo "$2") <(snapshot "$1") | grep '^[<>]' |
		grep -v -E '^> var/lib/dkms/mok\.(key|pub)$' |
		grep -v -E '^> lib/modules/[^/]+/modules\.[a-z.]+$' || true
}

# The version dkms status reports installed for <kernel>: dkms_version S K
dkms_version() {
	sed -n "s|^mdev-migver/\([^,]*\), $2, [^:]*: installed.*|\1|p" <<<"$1" | head -n1
}

# Compare the release as each tool reports it ("tool=value" words) with
# debian/changelog's ($version): prints the disagreement, nothing if none.
release_mismatch() {
	local want=$1 kv
	shift
	for kv; do
		[ "${kv#*=}" = "$want" ] || printf '%s (want %s) ' "$kv" "$want"
	done
}

# rpm_erase_why <merged> <log> <snapshot>: rpm -e the package with its
# scriptlets; prints why that failed or what it left behind against the
# snapshot (rpm's own database aside), nothing when it is clean.
rpm_erase_why() {
	local left
	if ! pkgroot_chroot "$1" rpm -e --nodeps mdev-migver-dkms >>"$2" 2>&1; then
		echo "rpm -e failed"
		return
	fi
	left=$(leftovers "$1" "$3" | grep -v -E '^> var/lib/rpm' || true)
	[ -z "$left" ] || echo "rpm -e left: $(echo "$left" | head -n3 | tr '\n' ' ')"
}

modules_of() {
	(cd "$1" && find lib/modules -name 'mdev_migver.ko*' 2>/dev/null | sort)
}

# ---- per-suite install / purge --------------------------------------------
for suite in "${SUITES[@]}"; do
	if [ -z "$deb" ]; then
		skip "deb-install-$suite" "no .deb was built"
		continue
	fi
	if ! pkgroot_get root "dkms-$suite" "$suite" ${root_pkgs["$suite"]} \
		>>"$LOGS/roots-$suite.log" 2>&1; then
		fail "deb-install-$suite" "could not make the $suite root, see $LOGS/roots-$suite.log"
		continue
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
done

# ---- a kernel without VFIO_MDEV -------------------------------------------
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

# ---- signing (Secure Boot) and the kernels DKMS builds for (bookworm) -------
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

# ---- a kernel upgrade after the package is installed (bookworm) ----------
# The package goes onto a machine with one kernel's headers; then apt brings
# the headers of a newer supported kernel, and later of a -cloud one (no
# VFIO_MDEV), as an upgrade does.  dkms's kernel hook must build for the
# first.  For the second, Debian 12's dkms 3.0.10 counts the
# BUILD_EXCLUSIVE skip as a failed autoinstall ("autoinstall for kernel:
# <k> failed!", exit 11), so apt stops with the -cloud headers unconfigured
# (dkms 3.2, Debian 13, reports it as skipped): README's troubleshooting
# row says so and gives the way out, which this case walks.
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

# ---- upgrade ----------------------------------------------------------------
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
		status=$(pkgroot_chroot "$merged" dkms status 2>&1)
		mods=$(modules_of "$merged")
		srcs=$(for d in "$merged"/usr/src/mdev-migver-*; do [ -e "$d" ] && basename "$d"; done)
		echo "  after upgrade: dkms status: $status; modules: $mods; sources: $srcs"
		if [ "$(echo "$mods" | grep -c .)" -ne 1 ]; then
			why="$(echo "$mods" | grep -c .) modules installed"
		elif ! is_installed "$status" "$upver" "$kver"; then
			why="$upver not installed"
		elif grep -q "mdev-migver/$version," <<<"$status"; then
			why="$version still known to dkms"
		elif [ "$srcs" != "mdev-migver-$upver" ]; then
			why="sources: $srcs"
		elif mv=$(pkgroot_chroot "$merged" modinfo -F version "/$mods" 2>&1) &&
			[ "$mv" != "$upver" ]; then
			why="the upgraded module's modinfo version is '$mv', not $upver"
		fi
	fi
	if [ -z "$why" ]; then pass deb-upgrade; else fail deb-upgrade "$why (see $log)"; fi
	cleanup
else
	fail deb-upgrade "could not make the bookworm root"
fi

# ---- RPM: file list and real scriptlets in a bookworm root with dkms -------
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
		mods=$(modules_of "$merged")
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

# ---- RPM: the spec's own version, upgrade, a kernel without VFIO_MDEV ------
if pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
	>>"$LOGS/roots-bookworm.log" 2>&1; then
	pkgroot_enter merged "$root"
	mkdir -p "$merged/build"
	cp rpm/mdev-migver-dkms.spec "$merged/build/"
	sv=$(pkgroot_chroot "$merged" rpmspec -q --srpm --qf '%{VERSION}\n' \
		/build/mdev-migver-dkms.spec 2>&1 | tail -n1)
	echo "  rpm spec version (no --define): $sv, changelog $version"
	if [ "$sv" = "$version" ]; then pass rpm-spec-version; else
		fail rpm-spec-version "rpmspec says '$sv', debian/changelog $version: update the default in rpm/mdev-migver-dkms.spec"
	fi
	cleanup
else
	fail rpm-spec-version "could not make the bookworm root"
fi

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
		status=$(pkgroot_chroot "$merged" dkms status 2>&1)
		mods=$(modules_of "$merged")
		srcs=$(for d in "$merged"/usr/src/mdev-migver-*; do [ -e "$d" ] && basename "$d"; done)
		pkgs=$(pkgroot_chroot "$merged" rpm -q mdev-migver-dkms 2>&1)
		echo "  after rpm -U: rpm -q: $pkgs; dkms status: $status; modules: $mods; sources: $srcs"
		if [ "$(echo "$mods" | grep -c .)" -ne 1 ]; then
			why="$(echo "$mods" | grep -c .) modules installed"
		elif ! is_installed "$status" "$upver" "$kver"; then
			why="$upver not installed"
		elif grep -q "mdev-migver/$version," <<<"$status"; then
			why="$version still known to dkms"
		elif [ "$srcs" != "mdev-migver-$upver" ]; then
			why="sources: $srcs"
		elif [ "$(echo "$pkgs" | grep -c .)" -ne 1 ] || ! grep -q -F -- "-$upver-" <<<"$pkgs"; then
			why="rpm -q says: $pkgs"
		elif mv=$(pkgroot_chroot "$merged" modinfo -F version "/$mods" 2>&1) &&
			[ "$mv" != "$upver" ]; then
			why="the upgraded module's modinfo version is '$mv', not $upver"
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

# ---- make dkms-install / dkms-uninstall / modules_install from a checkout ---
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

# ---- booting the DKMS-built module ------------------------------------------
# The .ko DKMS built in each suite's root (kept above), not the developer
# build, booted with the pieces of the QEMU harness (tests/qemu/lib): its root
# of the suite gives the kernel, initramfs.sh takes our modules only from
# MIGVER_MODULES_DIR, and everything goes to a private MIGVER_QEMU_OUT, so
# build/qemu of a `make qemu-test` is never touched.
qlib=tests/qemu/lib
qout="$OUT/qemu"
ready=()
for suite in "${SUITES[@]}"; do
	c=qemu-dkms-$suite
	kodir="$OUT/dkms-ko/$suite"
	log="$LOGS/qemu-$suite.log"
	mkdir -p "$qout/$suite"
	boot_clear "$qout/$suite" smoke
	if [ ! -s "$kodir/mdev_migver.ko" ]; then
		step_fail "$c/module" "DKMS built no module in the $suite root (see deb-module-$suite)"
		continue
	fi
	pkver=$(cat "$kodir/kver")
	qkver=
	# The harness refreshes its index at most every 30 min: on a mismatch,
	# once more with a fresh index before calling it one.
	for age in "${MIGVER_INDEX_MAX_AGE:-1800}" 0; do
		qroot=$(MIGVER_INDEX_MAX_AGE=$age bash $qlib/prepare-root.sh "$suite" 2>>"$log") ||
			break
		qkver=$(sed -n 's/^KVER=//p' "$qroot/migver-root.env")
		[ "$qkver" != "$pkver" ] || break
	done
	if [ -z "$qkver" ]; then
		step_fail "$c/prepare" "could not prepare the QEMU root of $suite (see $log)"
		continue
	fi
	if [ "$qkver" != "$pkver" ]; then
		step_fail "$c/kernel" "kernel mismatch: the package root's linux-headers-amd64 is $pkver but the QEMU harness boots $qkver; the archive moved in between"
		continue
	fi
	export "MIGVER_ROOT_$suite=$qroot"
	extra="$qout/$suite/initramfs/lib/modules/$qkver/extra"
	if ! MIGVER_MODULES_DIR=$kodir MIGVER_QEMU_OUT=$qout \
		bash $qlib/initramfs.sh "$suite" >>"$log" 2>&1; then
		step_fail "$c/initramfs" "initramfs.sh failed (see $log)"
		continue
	fi
	# Only the DKMS-built module may be in the initramfs, byte for byte.
	# shellcheck disable=SC2012 # module file names, nothing odd
	if [ "$(ls "$extra")" != mdev_migver.ko ] ||
		! cmp -s "$kodir/mdev_migver.ko" "$extra/mdev_migver.ko"; then
		step_fail "$c/initramfs" "the initramfs's extra/ is not just the DKMS-built module: $(ls "$extra" | tr '\n' ' ')"
		continue
	fi
	ready+=("$suite")
done
# All suites' VMs side by side (single-threaded TCG each).
declare -A boot_pid
for suite in "${ready[@]}"; do
	echo "package: $suite, booting with the DKMS-built module"
	sum=$(sha256sum "$OUT/dkms-ko/$suite/mdev_migver.ko" | cut -d' ' -f1)
	MIGVER_QEMU_OUT=$qout MIGVER_APPEND="migver.ko_sha256=$sum" \
		bash $qlib/boot.sh "$suite" smoke >>"$LOGS/qemu-$suite.log" 2>&1 &
	boot_pid[$suite]=$!
done
for suite in "${ready[@]}"; do
	rc=0
	wait "${boot_pid[$suite]}" || rc=$?
	boot_verdict "qemu-dkms-$suite" smoke "$rc" "$qout/$suite"
done

echo "package: total $((SECONDS - t0)) s"
results_finish package
