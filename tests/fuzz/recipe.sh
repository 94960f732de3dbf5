# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # out, warn and CLANG come from run.sh
# Sourced by tests/fuzz/run.sh (uses its $out, $CLANG, warn and the results
# helpers).  The checker table, as README's "Adding a checker" describes it:
#
#   1. every line of include/migver/checkers.h is named in the checker
#      parameter's description (preprocessed, so macros in it count) and in
#      README's "Compatibility checkers" table;
#   2. the recipe itself, followed on a copy of include/ and src/core/: the
#      example checker's code and its checkers.h line are taken from the
#      README, the core must build with it (gcc -Werror), the fuzzer's
#      checker-table properties must hold for it (corpus replay and a short
#      run), and they must catch a copy of it that lets a type difference
#      through, so the properties are known to reach an added checker.

recipe_names=$(sed -n 's/^MIGVER_CHECKER(\([a-z0-9_]*\))$/\1/p' \
	include/migver/checkers.h)

# ---- 1. every checker named where users look for it -----------------------
recipe_desc() { # the checker parameter's description, macros expanded
	local c=$out/checker_desc.c

	{
		echo '#include <stdio.h>'
		echo '#include <migver/check.h>'
		printf 'static const char desc[] = '
		perl -0ne 'print $1 if /MODULE_PARM_DESC\(\s*checker\s*,(.*?)\);/s' \
			src/driver/params.c
		echo ';'
		echo 'int main(void) { return puts(desc) < 0; }'
	} >"$c"
	gcc -std=gnu11 -Iinclude "$c" -o "$out/checker_desc" 2>"$out/checker_desc.log" &&
		"$out/checker_desc"
}

missing=
if desc=$(recipe_desc) && [ -n "$recipe_names" ]; then
	for name in $recipe_names; do
		grep -qw -- "$name" <<<"$desc" || missing="$missing parameter:$name"
		grep -q "^| \`$name\`" README.md || missing="$missing README:$name"
	done
else
	missing=" (cannot read the description or checkers.h: $out/checker_desc.log)"
fi
if [ -z "$missing" ]; then
	pass fuzz/checker-table-named
else
	fail fuzz/checker-table-named \
		"not named:$missing"
fi

# ---- 2. README's recipe on a copy of the core -------------------------------
recipe=$out/recipe
rm -rf "$recipe"
mkdir -p "$recipe/src"
cp -r include "$recipe/"
cp -r src/core "$recipe/src/"

# Step 1: the code block that starts with "// src/core/check_newest.c", up to
# its closing "};", without the block's indentation.
awk '
	!on && /^ *\/\/ src\/core\/check_newest\.c$/ {
		on = 1; ind = match($0, /[^ ]/) - 1
	}
	on { print (length($0) > ind ? substr($0, ind + 1) : "") }
	on && $0 ~ /^ *};$/ { exit }
' README.md >"$recipe/src/core/check_newest.c"
# Step 2: the checkers.h line the README shows.
grep -m1 -o '^ *MIGVER_CHECKER(newest)$' README.md | tr -d ' ' \
	>>"$recipe/include/migver/checkers.h"

recipe_build() { # <dir> <output>: the fuzzer, as run.sh builds it
	"$CLANG" "${warn[@]/#-Iinclude/-I$1/include}" -g -O1 \
		-fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all "$1"/src/core/*.c tests/fuzz/fuzz_migver.c \
		tests/fuzz/parse_ref.c \
		-o "$2" >"$2.log" 2>&1
}

ok=1
grep -q 'migver_checker_newest' "$recipe/src/core/check_newest.c" &&
	grep -qx 'MIGVER_CHECKER(newest)' "$recipe/include/migver/checkers.h" ||
	ok=0
for f in "$recipe"/src/core/*.c; do
	[ "$ok" = 1 ] || break
	gcc "${warn[@]/#-Iinclude/-I$recipe/include}" -O2 -c "$f" \
		-o "$recipe/$(basename "$f" .c).o" >>"$recipe/gcc.log" 2>&1 || ok=0
done
if [ "$ok" = 1 ] && recipe_build "$recipe" "$recipe/fuzz_migver"; then
	pass fuzz/recipe-builds
else
	fail fuzz/recipe-builds \
		"see $recipe/gcc.log, $recipe/fuzz_migver.log, $recipe/src/core/check_newest.c"
	ok=0
fi

if [ "$ok" = 1 ]; then
	mkdir -p "$recipe/work" "$recipe/artifacts"
	cp tests/fuzz/corpus/* "$recipe/work/"
	if "$recipe/fuzz_migver" -runs=0 tests/fuzz/corpus/* \
		>"$recipe/replay.log" 2>&1 &&
		"$recipe/fuzz_migver" -runs=30000 -max_len=1100 \
			-dict=tests/fuzz/migver.dict \
			-artifact_prefix="$recipe/artifacts/" "$recipe/work" \
			>"$recipe/run.log" 2>&1; then
		pass fuzz/recipe-properties-hold
	else
		fail fuzz/recipe-properties-hold \
			"$(grep -m1 -h -E 'property failed|ERROR' "$recipe/replay.log" \
				"$recipe/run.log" 2>/dev/null)"
	fi

	# The same checker letting a type difference through must be caught.
	broken=$out/recipe-broken
	rm -rf "$broken"
	cp -r "$recipe" "$broken"
	sed -i 's/ || r == MIGVER_REASON_TYPE)/)/' \
		"$broken/src/core/check_newest.c"
	if cmp -s "$recipe/src/core/check_newest.c" \
		"$broken/src/core/check_newest.c"; then
		fail fuzz/recipe-catches-broken \
			"could not break the example (README code changed?)"
	elif ! recipe_build "$broken" "$broken/fuzz_migver"; then
		fail fuzz/recipe-catches-broken \
			"build failed, see $broken/fuzz_migver.log"
	elif ! "$broken/fuzz_migver" -runs=0 tests/fuzz/corpus/* \
		>"$broken/replay.log" 2>&1 &&
		grep -q 'property failed' "$broken/replay.log"; then
		pass fuzz/recipe-catches-broken
	else
		fail fuzz/recipe-catches-broken \
			"the corpus replay passed a checker that ignores type differences"
	fi
else
	fail fuzz/recipe-properties-hold "the example did not build"
	fail fuzz/recipe-catches-broken "the example did not build"
fi
