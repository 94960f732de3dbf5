# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# mdev-migver-tools, the migver tool's binary package (.deb and .rpm),
# built from the same source as mdev-migver-dkms (builds.sh).  The .deb goes
# into a clean root of each suite that has only man-db (for man -l) on top
# of debootstrap's minbase, so apt must pull libjansson4 from the suite.

# The path of the tools .deb / .rpm next to the dkms one, or nothing.
tools_deb() {
	local f
	for f in "$OUT"/mdev-migver-tools_"$version"-1_*.deb; do
		[ -f "$f" ] && echo "$f" && return
	done
}
tools_rpm() {
	local f
	for f in "$OUT"/mdev-migver-tools-"$version"-1*.rpm; do
		case $f in *.src.rpm) continue ;; esac
		[ -f "$f" ] && echo "$f" && return
	done
}

# Give an overlay the suite's package index as this run refreshed it (the
# QEMU harness's, verified by tests/qemu/lib/resolve.sh), so that apt
# fetches the suite's current libjansson4 even when the cached root's own
# index is older.  Only lists whose names the root has are replaced.
tools_fresh_index() {
	local merged=$1 suite=$2 f prefix lists
	lists=$(papt_dir "$suite")/state/lists
	for f in "$lists"/*_InRelease; do
		[ -e "$merged/var/lib/apt/lists/${f##*/}" ] || continue
		prefix=${f##*/}
		prefix=${prefix%InRelease}
		rm -f "$merged/var/lib/apt/lists/$prefix"*
		cp "$lists/$prefix"* "$merged/var/lib/apt/lists/"
	done
	# the .deb in the shared download cache, if there, saves the download
	cp "$PKGROOTS/debs/$suite"/libjansson4_*.deb "$merged/var/cache/apt/archives/" 2>/dev/null
	return 0
}

# Every path under /usr, /etc and dpkg's database (what a purge must leave
# as it was before the install).
tools_snapshot() {
	(cd "$1" && find usr etc var/lib/dpkg/info 2>/dev/null | sort)
}

# Lintian (bookworm's and trixie's, run by job_build_deb) checked
# mdev-migver-tools (its override is shown) and gave it no error or warning.
job_tools_lint() {
	local why='' f
	for f in "$OUT/lintian.txt" "$OUT/lintian-trixie.txt"; do
		if [ ! -s "$f" ]; then
			why="$why no ${f##*/};"
		elif ! grep -q '^O: mdev-migver-tools: ' "$f"; then
			why="$why ${f##*/} shows none of mdev-migver-tools's overrides;"
		elif grep -q -E '^[EW]: mdev-migver-tools( \(binary\))?: ' "$f"; then
			why="$why ${f##*/}: $(grep -E '^[EW]: mdev-migver-tools' "$f" | head -n3 | tr '\n' ' ');"
		fi
	done
	if [ -z "$why" ]; then pass tools-lintian; else fail tools-lintian "$why"; fi
}

# job_tools <suite>: cases tools-{install,version,help,man,completion,callout,purge}-<suite>.
job_tools() {
	local suite=$1 tdeb log before mv pv out err left c bad
	tdeb=$(tools_deb)
	if [ -z "$tdeb" ]; then
		for c in install version help man completion callout purge; do
			skip "tools-$c-$suite" "no mdev-migver-tools .deb was built"
		done
		return
	fi
	if ! pkgroot_get root "tools-$suite" "$suite" man-db >>"$LOGS/roots-$suite.log" 2>&1; then
		fail "tools-install-$suite" "could not make the $suite root, see $LOGS/roots-$suite.log"
		return
	fi
	pkgroot_enter merged "$root"
	tools_fresh_index "$merged" "$suite"
	before=$(tools_snapshot "$merged")
	cp "$tdeb" "$merged/tmp/"
	log="$LOGS/tools-$suite.log"
	: >"$log"
	if pkgroot_chroot "$merged" dpkg-query -W libjansson4 >>"$log" 2>&1; then
		fail "tools-install-$suite" "libjansson4 is already in the clean $suite root: not a test of the dependency"
	elif ! pkgroot_chroot "$merged" apt-get install -y --no-install-recommends \
		"/tmp/${tdeb##*/}" >>"$log" 2>&1; then
		fail "tools-install-$suite" "apt install failed, see $log"
		tail -n 15 "$log"
	elif ! pkgroot_chroot "$merged" dpkg-query -W -f '${Depends}\n' mdev-migver-tools |
		grep -q -w libjansson4; then
		fail "tools-install-$suite" "mdev-migver-tools does not depend on libjansson4 (shlibs)"
	elif ! grep -q '^Setting up libjansson4' "$log"; then
		fail "tools-install-$suite" "apt did not install libjansson4 from $suite, see $log"
	else
		echo "  $suite: $(pkgroot_chroot "$merged" dpkg-query -W -f '${Package} ${Version}, ' \
			mdev-migver-tools libjansson4)depends: $(pkgroot_chroot "$merged" \
			dpkg-query -W -f '${Depends}' mdev-migver-tools)"
		pass "tools-install-$suite"
	fi

	out=$(pkgroot_chroot "$merged" migver --version 2>&1)
	mv=${out#migver }
	pv=$(pkgroot_chroot "$merged" dpkg-query -W -f '${Version}' mdev-migver-tools 2>&1)
	pv=${pv#*:}
	pv=${pv%-*}
	echo "  $suite: migver --version: $out; package $pv, changelog $version"
	bad=$(release_mismatch "$version" "migver=$mv" "package=$pv")
	if [ -z "$bad" ] && [ "$out" = "migver $mv" ]; then
		pass "tools-version-$suite"
	else
		fail "tools-version-$suite" "release differs: ${bad:-output '$out'}"
	fi

	c=0
	out=$(pkgroot_chroot "$merged" migver --help 2>&1) || c=$?
	if [ "$c" -eq 0 ] && grep -q 'migver' <<<"$out"; then
		pass "tools-help-$suite"
	else
		fail "tools-help-$suite" "migver --help exited $c: $(head -n2 <<<"$out" | tr '\n' ' ')"
	fi

	err=$(pkgroot_chroot "$merged" sh -c 'MANWIDTH=80 man --warnings -l \
		/usr/share/man/man8/migver.8.gz 2>&1 >/tmp/man.txt')
	if [ -z "$err" ] && grep -q 'migver' "$merged/tmp/man.txt" 2>/dev/null; then
		pass "tools-man-$suite"
	else
		fail "tools-man-$suite" "man --warnings -l /usr/share/man/man8/migver.8.gz: ${err:-empty page}"
	fi

	out=$(pkgroot_chroot "$merged" bash -c \
		'source /usr/share/bash-completion/completions/migver && complete -p migver' 2>&1)
	case $out in
	"complete -F "*" migver") pass "tools-completion-$suite" ;;
	*) fail "tools-completion-$suite" "/usr/share/bash-completion/completions/migver: ${out:-no completion for migver}" ;;
	esac

	# opt-in: executable, in no mdevctl callouts directory; run as mdevctl
	# runs it, a pre-start without -t and -p is refused by migver itself
	# (the script's default /usr/sbin/migver), not passed over (exit 2)
	c=0
	out=$(pkgroot_chroot "$merged" /usr/lib/mdev-migver/mdevctl-callout -e pre -a start \
		-s none -u 6d3c1e2a-1b7f-4c8e-9a55-3f2d7c9b0a11 </dev/null 2>&1) || c=$?
	left=$(cd "$merged" && find etc/mdevctl.d usr/lib/mdevctl -name '*migver*' 2>/dev/null)
	if [ ! -x "$merged/usr/lib/mdev-migver/mdevctl-callout" ]; then
		fail "tools-callout-$suite" "no executable /usr/lib/mdev-migver/mdevctl-callout"
	elif [ -n "$left" ]; then
		fail "tools-callout-$suite" "enabled by the package (not opt-in): $left"
	elif [ "$c" = 1 ] && grep -q 'pre-start needs -t TYPE and -p PARENT' <<<"$out"; then
		pass "tools-callout-$suite"
	else
		fail "tools-callout-$suite" "exit $c (want 1 from migver): $(head -c 200 <<<"$out")"
	fi

	if ! pkgroot_chroot "$merged" apt-get purge -y --autoremove mdev-migver-tools >>"$log" 2>&1; then
		fail "tools-purge-$suite" "apt purge failed, see $log"
	else
		left=$(diff <(echo "$before") <(tools_snapshot "$merged") | grep '^[<>]' || true)
		if [ -z "$left" ]; then
			pass "tools-purge-$suite"
		else
			fail "tools-purge-$suite" "left behind or removed: $(echo "$left" | head -n5 | tr '\n' ' ')"
		fi
	fi
	cleanup
}

# The tools .rpm: its file list and Requires, then rpm -i --nodeps (the
# root's rpm database knows no Debian package; libjansson4 is there as a
# Debian package) and migver --version, and rpm -e.
job_tools_rpm() {
	local trpm files why='' r out mv rv req f bad log
	local want='^/usr/sbin/migver$|^/usr/share/man/man8/migver\.8(\.gz|\.bz2)?$|^/usr/share/bash-completion/completions/migver$|^/usr/libexec/mdev-migver/mdevctl-callout$'

	trpm=$(tools_rpm)
	if [ -z "$trpm" ]; then
		skip rpm-tools-files "no mdev-migver-tools .rpm was built"
		skip rpm-tools-version "no mdev-migver-tools .rpm was built"
		return
	fi
	if ! pkgroot_get root dkms-bookworm bookworm ${root_pkgs[bookworm]} \
		>>"$LOGS/roots-bookworm.log" 2>&1; then
		fail rpm-tools-files "could not make the bookworm root"
		fail rpm-tools-version "could not make the bookworm root"
		return
	fi
	pkgroot_enter merged "$root"
	cp "$trpm" "$merged/tmp/"
	r=/tmp/${trpm##*/}
	files=$(pkgroot_chroot "$merged" rpm -qlp "$r" 2>/dev/null)
	[ "$(grep -c -E "$want" <<<"$files")" -eq 4 ] ||
		why="$why not the binary, man page, completion and mdevctl callout: $(grep -E "$want" <<<"$files" | tr '\n' ' ');"
	# (Fedora: licenses/<name>/; Debian's rpm: licenses/<name>-<version>/)
	grep -q -E '^/usr/share/licenses/mdev-migver-tools(-[^/]+)?/COPYING$' <<<"$files" ||
		why="$why missing the license;"
	# and nothing else (rpm's build-id links of the binary aside)
	f=$(grep -v -E "$want"'|^/usr/share/licenses/|^/usr/lib/\.build-id(/|$)|^/usr/libexec/mdev-migver$' <<<"$files")
	[ -z "$f" ] || why="$why unexpected: $(head -n3 <<<"$f" | tr '\n' ' ');"
	req=$(pkgroot_chroot "$merged" rpm -qp --requires "$r" 2>/dev/null)
	grep -q -F 'libjansson.so.4()(64bit)' <<<"$req" || why="$why no Requires: libjansson.so.4()(64bit);"
	echo "$files" | sed 's/^/  tools rpm file: /'
	if [ -z "$why" ]; then pass rpm-tools-files; else fail rpm-tools-files "$why"; fi

	log="$LOGS/rpm-tools.log"
	if ! pkgroot_chroot "$merged" rpm -i --nodeps --force-debian "$r" >"$log" 2>&1; then
		fail rpm-tools-version "rpm -i failed, see $log"
	else
		out=$(pkgroot_chroot "$merged" migver --version 2>&1)
		mv=${out#migver }
		rv=$(pkgroot_chroot "$merged" rpm -q --qf '%{VERSION}' mdev-migver-tools 2>&1)
		echo "  tools rpm: migver --version: $out; rpm $rv, changelog $version"
		bad=$(release_mismatch "$version" "migver=$mv" "rpm=$rv")
		if [ -n "$bad" ] || [ "$out" != "migver $mv" ]; then
			fail rpm-tools-version "release differs: ${bad:-output '$out'}"
		elif ! pkgroot_chroot "$merged" rpm -e --nodeps mdev-migver-tools >>"$log" 2>&1; then
			fail rpm-tools-version "rpm -e failed, see $log"
		elif [ -e "$merged/usr/sbin/migver" ]; then
			fail rpm-tools-version "rpm -e left /usr/sbin/migver"
		else
			pass rpm-tools-version
		fi
	fi
	cleanup
}
