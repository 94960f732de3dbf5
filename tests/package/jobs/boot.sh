# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # globals of tests/package/run.sh
#
# Booting the DKMS-built module: the .ko DKMS built in the suite's root
# (job_install keeps it in $OUT/dkms-ko/<suite>), not the developer
# build, booted with the pieces of the QEMU harness (tests/qemu/lib): its root
# of the suite gives the kernel, initramfs.sh takes our modules only from
# MIGVER_MODULES_DIR, and everything goes to a private MIGVER_QEMU_OUT, so
# build/qemu of a `make qemu-test` is never touched.

# job_boot <suite>: boots the suite's QEMU kernel (same version, checked)
# with that module and runs guest entry `smoke`.
job_boot() {
	local suite=$1 qlib=tests/qemu/lib qout="$OUT/qemu"
	local c kodir log pkver qkver qroot age extra sum rc
	c=qemu-dkms-$suite
	kodir="$OUT/dkms-ko/$suite"
	log="$LOGS/qemu-$suite.log"
	mkdir -p "$qout/$suite"
	boot_clear "$qout/$suite" smoke
	if [ ! -s "$kodir/mdev_migver.ko" ]; then
		step_fail "$c/module" "DKMS built no module in the $suite root (see deb-module-$suite)"
		return
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
		return
	fi
	if [ "$qkver" != "$pkver" ]; then
		step_fail "$c/kernel" "kernel mismatch: the package root's linux-headers-amd64 is $pkver but the QEMU harness boots $qkver; the archive moved in between"
		return
	fi
	export "MIGVER_ROOT_$suite=$qroot"
	extra="$qout/$suite/initramfs/lib/modules/$qkver/extra"
	if ! MIGVER_MODULES_DIR=$kodir MIGVER_QEMU_OUT=$qout \
		bash $qlib/initramfs.sh "$suite" >>"$log" 2>&1; then
		step_fail "$c/initramfs" "initramfs.sh failed (see $log)"
		return
	fi
	# Only the DKMS-built module may be in the initramfs, byte for byte.
	# shellcheck disable=SC2012 # module file names, nothing odd
	if [ "$(ls "$extra")" != mdev_migver.ko ] ||
		! cmp -s "$kodir/mdev_migver.ko" "$extra/mdev_migver.ko"; then
		step_fail "$c/initramfs" "the initramfs's extra/ is not just the DKMS-built module: $(ls "$extra" | tr '\n' ' ')"
		return
	fi
	echo "package: $suite, booting with the DKMS-built module"
	sum=$(sha256sum "$kodir/mdev_migver.ko" | cut -d' ' -f1)
	rc=0
	MIGVER_QEMU_OUT=$qout MIGVER_APPEND="migver.ko_sha256=$sum" \
		bash $qlib/boot.sh "$suite" smoke >>"$log" 2>&1 || rc=$?
	boot_verdict "$c" smoke "$rc" "$qout/$suite"
}
