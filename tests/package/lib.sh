# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# What the jobs of tests/package/run.sh share (sourced): running them side
# by side, and the checks of an installed package.

# ---- jobs side by side -------------------------------------------------------
# Each job is a function (tests/package/jobs/*.sh) that reports its cases
# with pass/fail/skip/step_ok/step_fail, in a subshell with its own overlay
# roots.  run_jobs starts them $PKG_JOBS at a time, each writing to its own
# file, waits for all, then replays the files in the order given: the output
# reads as a serial run's, and this shell's bookkeeping (results.sh) counts
# every case, so a job that dies leaves its cases missing, which fails them.
# Result lines are marked in the file so that no transcript line (a tail of
# a log) can pass for one.
PKG_JOBS=${MIGVER_PKG_JOBS:-3}
_pkg_mark=$'\x1e'

_job_body() {
	# shellcheck disable=SC2034 # the overlay of this job, read by cleanup
	merged=
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	pass() { printf '%sPASS %s\n' "$_pkg_mark" "$1"; }
	fail() { printf '%sFAIL %s: %s\n' "$_pkg_mark" "$1" "${2:-failed}"; }
	skip() { printf '%sSKIP %s: %s\n' "$_pkg_mark" "$1" "${2:?a skip needs a reason}"; }
	step_fail() { printf '%sSTEPFAIL %s: %s\n' "$_pkg_mark" "$1" "${2:-failed}"; }
	local t0=$SECONDS rc=0
	"$@" || rc=$?
	_job_cost "$*" $((SECONDS - t0))
	return $rc
}

# _job_cost <job> <seconds>: one transcript line with the job's wall time
# and the CPU time of everything it ran (this subshell's children: chroot
# commands, compilers, QEMU), what the job costs the lanes beside it on
# this CPU-bound machine.  `times` must run in this shell, not in a
# command substitution's fork, which has no children yet.
_job_cost() {
	local f="$OUT/jobs/.times.$BASHPID"
	times >"$f"
	awk -v job="$1" -v wall="$2" 'function s(t) { split(t, a, /[ms]/); return a[1] * 60 + a[2] }
		NR == 2 { printf "package: job %s: %d s, CPU %d s\n", job, wall, s($1) + s($2) }' "$f"
	rm -f "$f"
}

# _job_replay <file>: a job's output, its result lines counted here.
_job_replay() {
	local line rest
	while IFS= read -r line; do
		case $line in
		"$_pkg_mark"*) line=${line#"$_pkg_mark"} ;;
		*)
			printf '%s\n' "$line"
			continue
			;;
		esac
		rest=${line#* }
		case $line in
		"PASS "*) pass "$rest" ;;
		"FAIL "*) fail "${rest%%: *}" "${rest#*: }" ;;
		"SKIP "*) skip "${rest%%: *}" "${rest#*: }" ;;
		"STEPFAIL "*) step_fail "${rest%%: *}" "${rest#*: }" ;;
		esac
	done <"$1"
}

# run_jobs <job>...: each <job> is "<function> [<argument>]".
run_jobs() {
	local job f
	local -a files=()
	mkdir -p "$OUT/jobs"
	for job in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$PKG_JOBS" ]; do
			wait -n
		done
		f="$OUT/jobs/${job// /-}.out"
		files+=("$f")
		# shellcheck disable=SC2086 # "<function> <argument>"
		_job_body $job >"$f" 2>&1 </dev/null &
	done
	wait
	for f in "${files[@]}"; do
		_job_replay "$f"
	done
}

# ---- checks of an installed package -------------------------------------------
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

# upgraded_why <merged> <kernel> <what>: after an upgrade from $version to
# $upver, exactly one module is installed, the new one (dkms status and its
# modinfo version), and one source tree is left.  Prints why not (nothing
# when so); the state it found goes to stderr, the job's transcript.
upgraded_why() {
	local status mods srcs mv d n
	status=$(pkgroot_chroot "$1" dkms status 2>&1)
	mods=$(modules_of "$1")
	srcs=$(for d in "$1"/usr/src/mdev-migver-*; do [ -e "$d" ] && basename "$d"; done)
	echo "  after $3: dkms status: $status; modules: $mods; sources: $srcs" >&2
	n=$(echo "$mods" | grep -c .)
	if [ "$n" -ne 1 ]; then
		echo "$n modules installed"
	elif ! is_installed "$status" "$upver" "$2"; then
		echo "$upver not installed"
	elif grep -q "mdev-migver/$version," <<<"$status"; then
		echo "$version still known to dkms"
	elif [ "$srcs" != "mdev-migver-$upver" ]; then
		echo "sources: $srcs"
	elif mv=$(pkgroot_chroot "$1" modinfo -F version "/$mods" 2>&1) &&
		[ "$mv" != "$upver" ]; then
		echo "the upgraded module's modinfo version is '$mv', not $upver"
	fi
}
