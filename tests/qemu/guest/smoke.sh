#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `smoke`: a short check that a module built elsewhere (the
# package tests boot the .ko DKMS built inside a package-test root) loads and
# works on this kernel: load, types, one migration_version round trip, one
# mdev, unload.  Every step prints PASS or FAIL; exit status non-zero on any
# failure.  `migver.ko_sha256=<hex>` on the kernel command line (required):
# the file the module was loaded from must have that sha256, i.e. be the
# expected build (our .ko has no srcversion: no MODULE_VERSION).
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

want_sum=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	migver.ko_sha256=*) want_sum=${arg#migver.ko_sha256=} ;;
	esac
done

for m in vfio vfio_iommu_type1 mdev; do
	if modprobe "$m" 2>/tmp/modprobe.err; then
		pass "smoke-modprobe-$m"
	else
		fail "smoke-modprobe-$m" "$(cat /tmp/modprobe.err)"
	fi
done

if load && loaded; then
	pass smoke-load
else
	fail smoke-load "modprobe $MOD: $(cat /tmp/modprobe.err)"
	finish
	exit 1
fi

# From the initramfs's extra/ (where the harness puts the module under test),
# not some other copy, and the very build the host expects.
file=$(modinfo -F filename "$MOD" 2>&1)
check smoke-module-file "$file" "/lib/modules/$MIGVER_KVER/extra/$MOD.ko"
if [ -n "$want_sum" ]; then
	sum=$(sha256sum "$file" 2>&1)
	check smoke-module-sha256 "${sum%% *}" "$want_sum"
else
	fail smoke-module-sha256 "no migver.ko_sha256=<hex> on the kernel command line"
fi

T8=$(type_dir 0 8)
if [ -d "$T8" ]; then
	pass smoke-type-dir
else
	fail smoke-type-dir "no $T8"
fi
check smoke-available-V5_8 "$(cat "$T8/available_instances" 2>&1)" 8

# Write the type's own string back: compatible, so the whole string (and its
# newline) is accepted: sysfs-write reports the byte count.
v=$(cat "$T8/migration_version" 2>/dev/null)
if [ -n "$v" ]; then
	check smoke-version-roundtrip "$(wr -e "$T8/migration_version" "$v\n")" \
		"OK $(($(printf '%s\n' "$v" | wc -c)))"
else
	fail smoke-version-roundtrip "empty or unreadable $T8/migration_version"
fi

create 0 8
if [ "$created" = OK ] && [ -d "$MDEVS/$uuid" ]; then
	pass smoke-mdev-create
	check smoke-available-after-create "$(cat "$T8/available_instances")" 7
	if echo 1 >"$MDEVS/$uuid/remove" && [ ! -e "$MDEVS/$uuid" ]; then
		pass smoke-mdev-remove
	else
		fail smoke-mdev-remove "$MDEVS/$uuid is still there"
	fi
else
	fail smoke-mdev-create "create: $created"
	remove_all
fi

if rmmod "$MOD" 2>/tmp/rmmod.err && ! loaded; then
	pass smoke-rmmod
else
	fail smoke-rmmod "$(cat /tmp/rmmod.err)"
fi

finish
