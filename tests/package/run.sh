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
#   tools-lintian                    lintian of Debian 12 and 13 checked
#                                    mdev-migver-tools: no error, no warning
#   tools-install-<suite>            (bookworm, trixie, sid) apt install
#                                    ./mdev-migver-tools_*.deb in a clean
#                                    root (minbase + man-db) pulls
#                                    libjansson4 from the suite (shlibs)
#   tools-version-<suite>            migver --version is debian/changelog's
#                                    upstream version (the module's) and the
#                                    package's
#   tools-help-<suite>               migver --help exits 0
#   tools-man-<suite>                man --warnings -l of the installed page:
#                                    no warning, a page
#   tools-completion-<suite>         the installed completion registers
#                                    `complete -F ... migver` in bash
#   tools-callout-<suite>            the mdevctl callout is installed
#                                    executable in /usr/lib/mdev-migver, in
#                                    no mdevctl callouts directory (opt-in),
#                                    and reaches /usr/sbin/migver
#   tools-purge-<suite>              apt purge --autoremove leaves /usr, /etc
#                                    and dpkg's database as before
#   rpm-tools-files                  the tools .rpm: binary, man page,
#                                    completion, mdevctl callout, license,
#                                    nothing else;
#                                    Requires libjansson.so.4
#   rpm-tools-version                rpm -i --nodeps in the bookworm root:
#                                    migver --version = rpm -q = changelog;
#                                    rpm -e removes it
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
# The work is split into jobs (tests/package/jobs/*.sh, one function per
# group of cases, each in its own overlay roots) that run side by side,
# MIGVER_PKG_JOBS at once (default 3; 1 runs them in order): first the
# four package builds, then every group that installs them.  Their output
# is printed in a fixed order once all are done (run_jobs, lib.sh).
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
# mdev-migver-tools (tests/package/jobs/tools.sh): the suites of SUITES
# that are a Debian release (experimental differs from sid only in its
# kernel, which the tool does not care about).
plan tools-lintian rpm-tools-files rpm-tools-version
TOOLS_SUITES=()
for suite in "${SUITES[@]}"; do
	case $suite in bookworm | trixie | sid) TOOLS_SUITES+=("$suite") ;; *) continue ;; esac
	plan "tools-install-$suite" "tools-version-$suite" "tools-help-$suite" "tools-man-$suite" \
		"tools-completion-$suite" "tools-callout-$suite" "tools-purge-$suite"
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
	for s in "${TOOLS_SUITES[@]}"; do
		[ "$s" != bookworm ] || pkgroot_get r tools-bookworm bookworm man-db
	done
) >"$LOGS/roots-bookworm.log" 2>&1 &
p1=$!
(
	trap pkgroot_umount_all EXIT
	for s in "${SUITES[@]}"; do
		[ "$s" = bookworm ] || pkgroot_get r "dkms-$s" "$s" ${root_pkgs[$s]}
	done
	for s in "${TOOLS_SUITES[@]}"; do
		[ "$s" = bookworm ] || pkgroot_get r "tools-$s" "$s" man-db
	done
	pkgroot_get r lintian-trixie trixie lintian
) >"$LOGS/roots-other.log" 2>&1 &
p2=$!
wait $p1 $p2
echo "package: roots ready after $((SECONDS - t0)) s"
[ "$prepare_only" = 0 ] || exit 0


# ---- the jobs ---------------------------------------------------------------
source tests/package/lib.sh
source tests/package/jobs/builds.sh
source tests/package/jobs/install.sh
source tests/package/jobs/boot.sh
source tests/package/jobs/cloud.sh
source tests/package/jobs/signing.sh
source tests/package/jobs/kernel-upgrade.sh
source tests/package/jobs/deb-upgrade.sh
source tests/package/jobs/rpm.sh
source tests/package/jobs/make-targets.sh
source tests/package/jobs/tools.sh

# First the packages (tests/package/jobs/builds.sh), side by side.
run_jobs job_build_deb job_build_rpm job_build_deb2 job_build_rpm2
deb=$(cat "$OUT/jobs/build_deb.path" 2>/dev/null)
deb2=$(cat "$OUT/jobs/build_deb2.path" 2>/dev/null)
rpm=$(cat "$OUT/jobs/build_rpm.path" 2>/dev/null)
rpm2=$(cat "$OUT/jobs/build_rpm2.path" 2>/dev/null)

# Then every case that installs them, each in its own overlay roots, the
# longest first; a suite's boot follows its install (it boots the module
# that install's DKMS built).
job_suite() {
	job_install "$1"
	job_boot "$1"
}
jobs=(job_signing job_kernel_upgrade job_deb_upgrade)
for suite in "${SUITES[@]}"; do jobs+=("job_suite $suite"); done
jobs+=(job_make_targets job_rpm_upgrade job_rpm_files job_deb_cloud job_rpm_cloud job_rpm_spec)
for suite in "${TOOLS_SUITES[@]}"; do jobs+=("job_tools $suite"); done
jobs+=(job_tools_rpm job_tools_lint)
run_jobs "${jobs[@]}"

echo "package: total $((SECONDS - t0)) s"
results_finish package
