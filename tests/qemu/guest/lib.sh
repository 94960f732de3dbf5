# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Shared helpers of the guest scenarios (busybox sh; sourced, not run).
#
# Results go to stdout, one line per case: "PASS <case>",
# "FAIL <case>: <why>", "SKIP <case>: <reason>".  Anything else is
# transcript.  `finish` prints a summary and returns non-zero on failures.
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

MOD=mdev_migver
PARAMS=/sys/module/$MOD/parameters
MDEVS=/sys/bus/mdev/devices
PCIDRV=/sys/bus/pci/drivers/migver
npass=0
nfail=0
nskip=0

pass() {
	npass=$((npass + 1))
	echo "PASS $1"
}

fail() {
	nfail=$((nfail + 1))
	echo "FAIL $1: $2"
}

skip() {
	nskip=$((nskip + 1))
	echo "SKIP $1: $2"
}

finish() {
	echo "# $npass passed, $nfail failed, $nskip skipped"
	[ "$nfail" -eq 0 ]
}

# check <case> <got> <want>: PASS if equal, else FAIL showing both.
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}

# type_dir <parent index> <type suffix 8|4|2|1>
type_dir() {
	echo "/sys/class/mdev_bus/migver$1/mdev_supported_types/migver-GVTg_V5_$2"
}

# wr [-e] <file> <string>: "OK <bytes>" or the errno name (sysfs-write).
wr() {
	sysfs-write "$@" </dev/null
}

# result word of a write: OK (any byte count) or the errno name
wr_result() {
	r=$(wr "$@")
	case "$r" in
	OK\ *) echo OK ;;
	*) echo "$r" ;;
	esac
}

loaded() {
	[ -d "/sys/module/$MOD" ]
}

# load [params...]: (re)load the module; returns modprobe's status.
load() {
	unload
	wait_driver_gone
	modprobe "$MOD" "$@" 2>/tmp/modprobe.err
}

unload() {
	if loaded; then
		rmmod "$MOD" 2>/tmp/rmmod.err
	fi
}

# wait_driver_gone: the drivers' sysfs directories (the mdev driver and the
# PCI driver of PCI parent mode) outlive rmmod (and a failed load) until
# their kobjects are released, seconds later on a kernel with
# CONFIG_DEBUG_KOBJECT_RELEASE; a load before that meets a duplicate name.
# Waits up to 10 s; false if one is still there.
wait_driver_gone() {
	wdg_n=0
	while { [ -e "/sys/bus/mdev/drivers/$MOD" ] || [ -e "$PCIDRV" ]; } &&
		[ $wdg_n -lt 100 ]; do
		sleep 0.1
		wdg_n=$((wdg_n + 1))
	done
	[ ! -e "/sys/bus/mdev/drivers/$MOD" ] && [ ! -e "$PCIDRV" ]
}

# new_uuid: a fresh random uuid
new_uuid() {
	cat /proc/sys/kernel/random/uuid
}

# create <parent> <type suffix> [uuid]: sets $uuid and $created (the
# write's result word: OK or the errno name)
create() {
	uuid=${3:-$(new_uuid)}
	created=$(wr_result "$(type_dir "$1" "$2")/create" "$uuid")
}

remove_all() {
	for d in "$MDEVS"/*; do
		[ -e "$d/remove" ] && echo 1 >"$d/remove"
	done
}

count_mdevs() {
	# shellcheck disable=SC2012 # uuids, no odd names
	ls "$MDEVS" 2>/dev/null | wc -l
}

# avail <parent> <type suffix>
avail() {
	cat "$(type_dir "$1" "$2")/available_instances"
}

# the four counts of a parent, "V5_8 V5_4 V5_2 V5_1"
avail_all() {
	echo "$(avail "$1" 8) $(avail "$1" 4) $(avail "$1" 2) $(avail "$1" 1)"
}

# vfio_open_bg <output file> <vfio-open args...>: vfio-open in the background
# (sets $bg_pid: a subshell that exits with vfio-open's status); true once
# it printed READY, i.e. holds the device open, false if it ended first
# (its error is in the file, its exit status in <output file>.rc).
# It waits for words, not for /proc: READY, vfio-open's own ERROR line (it
# prints one before every exit) or the .rc file the subshell writes once
# vfio-open is gone, crash or not.  The file is emptied here, before the
# fork: emptied by the child's redirection instead, a READY left in it by
# an earlier use (driver.sh's /tmp/hold.out, reused by coverage.sh) could
# end the wait, and the new vfio-open's first line then fail the final
# check.  That failed make check twice (bookworm and sid, November 2026:
# "did not hold the device: ok group /dev/vfio/0").  No time limit of its
# own: on a loaded host a TCG guest's clocks are no measure; a vfio-open
# that hangs is the host's VM timeout's to catch.
vfio_open_bg() {
	bg_out=$1
	shift
	: >"$bg_out"
	rm -f "$bg_out.rc"
	(
		vfio-open "$@" >"$bg_out" 2>&1
		bg_rc=$?
		echo "$bg_rc" >"$bg_out.rc"
		exit "$bg_rc"
	) &
	bg_pid=$!
	while ! grep -qE '^(READY|ERROR)' "$bg_out" && [ ! -e "$bg_out.rc" ]; do
		sleep 0.1
	done
	grep -q '^READY' "$bg_out"
}

# version_at_least <version> <major> <minor>: is <version> (a kernel's
# 6.12.117+deb13-amd64 or 7.3-amd64, a QEMU's 10.0.13) <major>.<minor> or
# newer?
version_at_least() {
	va_maj=${1%%.*}
	va_min=${1#*.}
	va_min=${va_min%%[!0-9]*}
	[ "$va_maj" -gt "$2" ] || { [ "$va_maj" -eq "$2" ] && [ "${va_min:-0}" -ge "$3" ]; }
}

# bg_said: what the last vfio_open_bg's vfio-open printed, on one line, and
# its exit status if it has ended
bg_said() {
	echo "exit $(cat "$bg_out.rc" 2>/dev/null || echo -): $(tr '\n' ' ' <"$bg_out")"
}

# pci_testdev: the address of the VM's QEMU pci-testdev (1b36:0005, which
# tests/qemu/lib/boot.sh adds and no Linux driver binds), or nothing: the
# PCI function the PCI parent mode cases hand to the module
pci_testdev() {
	for ptd in /sys/bus/pci/devices/*; do
		if [ "$(cat "$ptd/vendor")" = 0x1b36 ] && [ "$(cat "$ptd/device")" = 0x0005 ]; then
			echo "${ptd##*/}"
			return 0
		fi
	done
}

# dmesg_mark / dmesg_since: kernel log lines printed after the mark
dmesg_mark() {
	dmesg_at=$(dmesg | wc -l)
}

dmesg_since() {
	dmesg | tail -n +$((dmesg_at + 1))
}
