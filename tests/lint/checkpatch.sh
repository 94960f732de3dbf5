# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # $cp_files comes from run.sh
#
# checkpatch.pl --strict over every kernel-side C file, using the script from
# Debian's linux-source package (headers packages do not ship it).  Prints one
# case per file of $cp_files (set by the caller, tests/lint/run.sh, whose
# plan names them); results bookkeeping is the caller's.

src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
tools="$MIGVER_CACHE/lint/checkpatch-$src_ver"
if [ ! -x "$tools/scripts/checkpatch.pl" ]; then
	rm -rf "$tools.tmp"
	mkdir -p "$tools.tmp"
	tar -xf /usr/src/linux-source-6.1.tar.xz -C "$tools.tmp" \
		--strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	rm -rf "$tools"
	mv "$tools.tmp" "$tools"
fi

# The X-macro list has no include guard on purpose.
ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES
for f in "${cp_files[@]}"; do
	if out=$("$tools/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--show-types --ignore "$ignore" -f "$f" 2>&1); then
		pass "checkpatch $f"
	else
		fail "checkpatch $f" "$(printf '%s' "$out" | grep -m1 -E '^(ERROR|WARNING|CHECK)' || echo see log)"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
done
