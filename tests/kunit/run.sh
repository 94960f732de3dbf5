#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make kunit`: run the KUnit suites of tests/kunit/ with the kernel's own
# tools/testing/kunit/kunit.py on UML, against an unmodified Debian
# linux-source-6.1 tree.
#
#   $MIGVER_CACHE/kunit/<linux-source version>/
#     stock/            the extracted tarball; never written to after that
#     stage/            hard-link copy of stock/ plus our files in
#                       lib/migver_kunit/; the two stock files it changes
#                       (lib/Kconfig.debug, lib/Makefile) are replaced, not
#                       edited, so stock/ stays intact
#     build-<hash>/     kunit.py --build_dir, keyed by the kunitconfig
#
# A cache for another linux-source version is stale and removed.  Prints one
# PASS/FAIL/SKIP line per KTAP case, kunit/<suite>.<case>, and writes
# build/results/kunit.counts.  The plan is tests/kunit/kunit.plan: a failed
# case, a build failure, a case missing from the results (a suite that
# stopped registering, a crash) or one the plan does not list fails.
#
# Environment: MIGVER_CACHE (default /var/cache/mdev-migver),
# MIGVER_KUNIT_JOBS (default 2), MIGVER_KUNIT_FILTER (kunit.py filter glob).
set -u
set -o pipefail

cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
# shellcheck source=tests/lib/results.sh
source tests/lib/results.sh
# shellcheck source=tests/lib/kunit.sh
source tests/lib/kunit.sh
plan_file tests/kunit/kunit.plan kunit/

SRCPKG=linux-source-6.1
TARBALL=/usr/src/$SRCPKG.tar.xz
PYTHON=/usr/bin/python3
JOBS=${MIGVER_KUNIT_JOBS:-2}
cache_root=${MIGVER_CACHE:-/var/cache/mdev-migver}/kunit

die() {
	echo "kunit: $*" >&2
	step_fail kunit/setup "$*"
	results_finish kunit
	exit 1
}

log() {
	echo "kunit: $*"
}

version=$(dpkg-query -W -f='${Version}' "$SRCPKG" 2>/dev/null) ||
	die "package $SRCPKG is not installed (apt-get install $SRCPKG)"
if [ -z "$version" ] || [ ! -r "$TARBALL" ]; then
	die "$TARBALL missing (apt-get install --reinstall $SRCPKG)"
fi
[ -x "$PYTHON" ] || die "$PYTHON missing (apt-get install python3)"
for tool in gcc make flex bison bc; do
	command -v "$tool" >/dev/null ||
		die "$tool missing (apt-get install gcc make flex bison bc)"
done

key=${version//[^A-Za-z0-9.+~-]/_}
cache=$cache_root/$key
mkdir -p "$cache" || die "cannot create $cache"

# One run at a time per cache (CI and a developer may share it).
exec 9>"$cache_root/.lock" || die "cannot open $cache_root/.lock"
if ! flock -n 9; then
	log "waiting for another run to release $cache_root/.lock"
	flock 9 || die "cannot lock $cache_root/.lock"
fi

# Caches of other linux-source versions are stale.
for old in "$cache_root"/*; do
	[ "$old" = "$cache" ] || [ ! -d "$old" ] || {
		log "removing stale cache $old"
		rm -rf "$old"
	}
done

start=$SECONDS

# 1. The stock tree, extracted once.
if [ ! -e "$cache/stock.done" ]; then
	log "extracting $TARBALL ($SRCPKG $version)"
	rm -rf "$cache/stock" "$cache/stock.tmp" "$cache/stage" "$cache/stage.done"
	if ! { mkdir -p "$cache/stock.tmp" &&
		tar -xJf "$TARBALL" -C "$cache/stock.tmp" &&
		mv "$cache/stock.tmp/$SRCPKG" "$cache/stock" &&
		rmdir "$cache/stock.tmp"; }; then
		die "extracting $TARBALL failed"
	fi
	touch "$cache/stock.done"
fi
stock=$cache/stock
stage=$cache/stage

# 2. The scratch copy.  Hard links make it cheap; a file of the copy is only
# ever changed by removing it and writing a new one.
replace_file() { # replace_file <file> <command producing the new content>
	local file=$1 tmp=$1.migver-tmp
	shift
	"$@" >"$tmp" && rm -f "$file" && mv "$tmp" "$file"
}

# Bump when the staging below changes, so that old scratch copies are redone.
stage_recipe=1
if [ "$(cat "$cache/stage.done" 2>/dev/null)" != "$stage_recipe" ]; then
	log "making scratch copy of the stock tree"
	rm -rf "$stage"
	cp -al "$stock" "$stage" || die "cp -al $stock $stage failed"
	# shellcheck disable=SC2016 # $1 is expanded by the inner sh
	replace_file "$stage/lib/Kconfig.debug" sh -c \
		'cat "$1"; printf "\nsource \"lib/migver_kunit/Kconfig\"\n"' \
		sh "$stock/lib/Kconfig.debug" || die "staging lib/Kconfig.debug"
	# shellcheck disable=SC2016 # $1 by the inner sh, $(...) by make
	replace_file "$stage/lib/Makefile" sh -c \
		'cat "$1"; printf "\nobj-\$(CONFIG_MIGVER_KUNIT_TEST) += migver_kunit/\n"' \
		sh "$stock/lib/Makefile" || die "staging lib/Makefile"
	echo "$stage_recipe" >"$cache/stage.done"
fi

# 3. Our files, mirrored into lib/migver_kunit/.  Only files whose content
# changed are rewritten (as new files: never an inode of the stock tree), so
# the build stays incremental.
sync_files() { # sync_files <dir> <file>...: make <dir>'s files exactly these
	local dir=$1 f name
	shift
	mkdir -p "$dir" || return 1
	for f in "$@"; do
		name=${f##*/}
		cmp -s "$f" "$dir/$name" && continue
		cp "$f" "$dir/.$name.tmp" && mv -f "$dir/.$name.tmp" "$dir/$name" ||
			return 1
	done
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		case " $* " in
		*"/${f##*/} "*) ;;
		*) rm -f "$f" ;;
		esac
	done
}

shopt -s nullglob
mk=$stage/lib/migver_kunit
if ! { sync_files "$mk/include/migver" include/migver/*.h &&
	sync_files "$mk/src/core" src/core/*.c src/core/*.h &&
	sync_files "$mk/tests/kunit" tests/kunit/*.c tests/kunit/*.h &&
	sync_files "$mk" tests/kunit/intree/Kconfig tests/kunit/intree/Makefile; }; then
	die "staging our files failed"
fi
shopt -u nullglob
ls src/core/*.c >/dev/null 2>&1 || die "src/core/*.c: no core sources"

# 4. kunit.py, with a build dir keyed by the kunitconfig.
kunitconfig=$repo/tests/kunit/.kunitconfig
hash=$(cat "$kunitconfig" tests/kunit/intree/Kconfig | sha256sum | cut -c1-12)
build=$cache/build-$hash
for old in "$cache"/build-*; do
	[ "$old" = "$build" ] || [ ! -d "$old" ] || rm -rf "$old"
done

out=$repo/build/kunit
mkdir -p "$out"
rm -f "$out/kunit.log" "$out/results.json"
args=(run --kunitconfig="$kunitconfig" --build_dir="$build" --jobs="$JOBS"
	--json="$out/results.json")
[ -n "${MIGVER_KUNIT_FILTER:-}" ] && args+=("$MIGVER_KUNIT_FILTER")

log "kunit.py ${args[*]} (log: build/kunit/kunit.log)"
(cd "$stage" && "$PYTHON" tools/testing/kunit/kunit.py "${args[@]}") \
	>"$out/kunit.log" 2>&1
status=$?
log "kunit.py exited $status after $((SECONDS - start)) s"
grep -E '^(\[[0-9:]+\] )?Testing complete' "$out/kunit.log"

# 5. One line per case from the JSON (nested for parameterised cases),
# judged against the plan.
kunit_cases "$out/results.json" "$out/kunit.log" kunit/

# kunit.py fails on a failed case or a crash; a crash can leave cases out
# of the JSON (they then fail as missing), and its status counts even when
# every listed case passed.
if [ "$status" -ne 0 ] && [ "$results_failed" -eq 0 ]; then
	tail -n 40 "$out/kunit.log"
	step_fail kunit/run "kunit.py exited $status"
fi
results_finish kunit
