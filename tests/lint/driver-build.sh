# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Build-time properties of the driver, checked by building it against each
# supported kernel in the QEMU harness's Debian roots.  Sourced by
# tests/lint/run.sh (results bookkeeping is the caller's).
#
#   gvt-table-<suite>   a fifth GVT configuration in src/driver/types.c stops
#                       the build (static_assert) instead of overflowing the
#                       per-parent type arrays sized for four; only
#                       src/driver/types.o is built, the assertion's file
# (store-stack-<suite> is judged from the W=1 build: tests/lint/kbuild.sh.)

drv_out=$PWD/build/lint/driver
for suite in $MIGVER_SUITES; do
	tmp=$(mktemp -d)
	# the working tree as build-module.sh would take it, plus the fifth row
	git ls-files -co --exclude-standard -z | grep -zv '^build/' |
		xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -C "$tmp" -xf -
	row='{ "1", 512, 2048, 4, 16, "1920x1200" },'
	if ! grep -qF "$row" "$tmp/src/driver/types.c"; then
		fail "gvt-table-$suite" "the GVTg_V5_1 row of src/driver/types.c moved; update this test"
	else
		sed -i "s|$row|$row\n\t{ \"0\", 1024, 4096, 4, 32, \"1920x1200\" },|" \
			"$tmp/src/driver/types.c"
		log=$drv_out/gvt-table/$suite/build.log
		if MIGVER_MODULE_SRC=$tmp MIGVER_QEMU_OUT=$drv_out/gvt-table \
			MIGVER_MAKE_GOAL=src/driver/types.o \
			bash tests/qemu/lib/build-module.sh "$suite" >/dev/null 2>&1; then
			fail "gvt-table-$suite" "a fifth GVT configuration built without complaint"
		elif grep -q 'static assertion failed.*GVT' "$log"; then
			pass "gvt-table-$suite"
		else
			fail "gvt-table-$suite" "the build failed, but not on the assertion: $(grep -m1 'error' "$log")"
		fi
	fi
	rm -rf --one-file-system "$tmp"
done
