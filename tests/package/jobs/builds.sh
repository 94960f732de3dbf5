# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# The packages every other job installs, built in throw-away overlays of the
# bookworm build root (tests/package/build.sh), side by side.  Each job
# leaves the package's path in $OUT/jobs/<job>.path for run.sh to pick up;
# nothing there means the build failed.

# The .deb (source and binary, lintian --pedantic from bookworm), then the
# same packages through trixie's lintian (newer checks, the
# Standards-Version it knows).
job_build_deb() {
	local deb
	if deb=$(bash tests/package/build.sh deb "$OUT" 2>"$LOGS/deb-build.log" | tail -n1) &&
		[ -f "$deb" ]; then
		step_ok deb-build
		echo "$deb" >"$OUT/jobs/build_deb.path"
		lintian_verdict deb-lintian "$OUT/lintian.txt" "$OUT/lintian.status" mdev-migver-dkms
		grep -E '^[EWIP]: ' "$OUT/lintian.txt" | sed 's/^/  lintian: /'
	else
		step_fail deb-build "see $LOGS/deb-build.log"
		tail -n 20 "$LOGS/deb-build.log"
		skip deb-lintian-trixie "no .deb was built"
		return
	fi
	if pkgroot_get root lintian-trixie trixie lintian >>"$LOGS/roots-other.log" 2>&1; then
		pkgroot_enter merged "$root"
		mkdir -p "$merged/build"
		# source/: the source package and every .deb its .changes names
		cp "$OUT"/source/* "$merged/build/"
		pkgroot_chroot "$merged" sh -c 'cd /build && rc=0 &&
			lintian --show-overrides --info --display-info --pedantic ./*.changes \
				>lintian.txt 2>&1 || rc=$?; echo "$rc" >lintian.status'
		cp "$merged/build/lintian.txt" "$OUT/lintian-trixie.txt"
		cp "$merged/build/lintian.status" "$OUT/lintian-trixie.status"
		lintian_verdict deb-lintian-trixie "$OUT/lintian-trixie.txt" \
			"$OUT/lintian-trixie.status" mdev-migver-dkms
		grep -E '^[EWIP]: ' "$OUT/lintian-trixie.txt" | sed 's/^/  lintian (trixie): /'
		cleanup
	else
		fail deb-lintian-trixie "could not make the trixie lintian root"
	fi
}

# The .deb of the next version, for the upgrade case.
job_build_deb2() {
	local deb2
	deb2=$(bash tests/package/build.sh deb "$OUT/next" "$upver" \
		2>"$LOGS/deb-build-$upver.log" | tail -n1)
	[ ! -f "$deb2" ] || echo "$deb2" >"$OUT/jobs/build_deb2.path"
}

# The .rpms and rpmlint on the binary packages (mdev-migver-dkms,
# mdev-migver-tools), the source package and the spec.
job_build_rpm() {
	local rpm
	if rpm=$(bash tests/package/build.sh rpm "$OUT" 2>"$LOGS/rpm-build.log" | tail -n1) &&
		[ -f "$rpm" ]; then
		step_ok rpm-build
		echo "$rpm" >"$OUT/jobs/build_rpm.path"
		rpmlint_verdict rpm-lint "$OUT/rpmlint.txt" 3 1
		grep -E ': [EW]: |specfiles checked' "$OUT/rpmlint.txt" | sed 's/^/  rpmlint: /'
	else
		step_fail rpm-build "see $LOGS/rpm-build.log"
		tail -n 20 "$LOGS/rpm-build.log"
	fi
}

# The .rpm of the next version, for the upgrade case.
job_build_rpm2() {
	local rpm2
	rpm2=$(bash tests/package/build.sh rpm "$OUT/next" "$upver" \
		2>"$LOGS/rpm-build-$upver.log" | tail -n1)
	[ ! -f "$rpm2" ] || echo "$rpm2" >"$OUT/jobs/build_rpm2.path"
}
