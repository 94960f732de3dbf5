# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2154 # $pci_fn and the helpers come from pci.sh and lib.sh
# mdevctl (Debian's, from the suite's own archive: tests/qemu/guest/pkgs)
# against the module, sourced by matrix.sh after pci.sh: types as sysfs
# has them, for a class parent (migver0) and a PCI parent (the VM's
# pci-testdev); start/list/stop, define/start/undefine; and the
# compatibility gate: an mdevctl attribute migration_version=<source>
# that the target refuses makes `mdevctl start` fail and remove the device.
# Cases mdevctl-*; the plan is tests/qemu/guest/matrix.plan.

MDEVCTL=/usr/bin/mdevctl
MU1=5e5c6f4e-2b0a-4a31-9d59-0c5d1fd4a001
MU2=5e5c6f4e-2b0a-4a31-9d59-0c5d1fd4a002
MU3=5e5c6f4e-2b0a-4a31-9d59-0c5d1fd4a003
MU4=5e5c6f4e-2b0a-4a31-9d59-0c5d1fd4a004
MU5=5e5c6f4e-2b0a-4a31-9d59-0c5d1fd4a005

# mdevctl <args>: stdout and stderr to /tmp/mdevctl.out, its status
mdevctl() {
	"$MDEVCTL" "$@" >/tmp/mdevctl.out 2>&1
}

# jflat: mdevctl's JSON on stdin as key/key/member=value lines
jflat() {
	awk -f /tests/json-flat.awk
}

# what mdevctl should say of a type: the sysfs files, the description's
# lines joined with ", " (mdevctl's own rendering)
sysfs_fields() { # <type dir>
	printf '%s|%s|%s|%s' "$(cat "$1/available_instances")" \
		"$(cat "$1/device_api")" "$(cat "$1/name")" \
		"$(sed ':a;N;$!ba;s/\n/, /g' "$1/description")"
}

json_fields() { # <flat json file> <parent> <type>
	for f in available_instances device_api name description; do
		sed -n "s|^$2/$3/$f=||p" "$1"
	done | awk 'NR > 1 { printf "|" } { printf "%s", $0 }'
}

if ! [ -x "$MDEVCTL" ] || ! mdevctl --version; then
	fail mdevctl-runs "$(cat /tmp/mdevctl.out 2>/dev/null || echo "no $MDEVCTL in the initramfs")"
	return 0
fi
echo "mdevctl: $(cat /tmp/mdevctl.out)"
pass mdevctl-runs

# One class parent and one PCI parent.
load
echo migver >"$PCIDEV/driver_override"
echo "$pci_fn" >/sys/bus/pci/drivers_probe
create 0 4
# ---- types -----------------------------------------------------------------
if mdevctl types --dumpjson; then
	jflat </tmp/mdevctl.out >/tmp/types.flat
else
	: >/tmp/types.flat
fi
for p in migver0 "$pci_fn"; do
	case "$p" in migver0) n=migver0 ;; *) n=pci ;; esac
	for t in 8 4 2 1; do
		check "mdevctl-types-json-$n-V5_$t" \
			"$(json_fields /tmp/types.flat "$p" "migver-GVTg_V5_$t")" \
			"$(sysfs_fields "/sys/class/mdev_bus/$p/mdev_supported_types/migver-GVTg_V5_$t")"
	done
done
# the text listing, parent by parent as mdevctl sorts them
want=$(for p in $(ls /sys/class/mdev_bus | sort); do
	echo "$p"
	for d in /sys/class/mdev_bus/"$p"/mdev_supported_types/*; do
		echo "  ${d##*/}"
		echo "    Available instances: $(cat "$d/available_instances")"
		echo "    Device API: $(cat "$d/device_api")"
		echo "    Name: $(cat "$d/name")"
		echo "    Description: $(sed ':a;N;$!ba;s/\n/, /g' "$d/description")"
	done
done)
mdevctl types
check mdevctl-types-text "$(cat /tmp/mdevctl.out)" "$want"
remove_all

# ---- start, list, stop on the class parent --------------------------------------
if mdevctl start -u $MU1 -p migver0 --type migver-GVTg_V5_4 && [ -d "$MDEVS/$MU1" ]; then
	check mdevctl-start "$(avail 0 4)" 3
else
	fail mdevctl-start "$(cat /tmp/mdevctl.out)"
fi
mdevctl list --dumpjson
check mdevctl-list-json "$(jflat </tmp/mdevctl.out | grep "/$MU1/mdev_type=")" \
	"migver0/$MU1/mdev_type=migver-GVTg_V5_4"
if mdevctl stop -u $MU1 && [ ! -e "$MDEVS/$MU1" ]; then
	check mdevctl-stop "$(avail 0 4)" 4
else
	fail mdevctl-stop "$(cat /tmp/mdevctl.out)"
fi

# ---- define, start, undefine on the PCI parent ---------------------------------
if mdevctl define -u $MU2 -p "$pci_fn" -t migver-GVTg_V5_8 &&
	[ -f "/etc/mdevctl.d/$pci_fn/$MU2" ]; then
	mdevctl list -d --dumpjson
	check mdevctl-define-pci "$(jflat </tmp/mdevctl.out | grep "/$MU2/mdev_type=")" \
		"$pci_fn/$MU2/mdev_type=migver-GVTg_V5_8"
else
	fail mdevctl-define-pci "$(cat /tmp/mdevctl.out)"
fi
if mdevctl start -u $MU2 && [ -d "$MDEVS/$MU2" ]; then
	check mdevctl-start-defined-pci "$(readlink -f "$MDEVS/$MU2" | grep -c "/$pci_fn/$MU2\$")" 1
else
	fail mdevctl-start-defined-pci "$(cat /tmp/mdevctl.out)"
fi
mdevctl stop -u $MU2
if mdevctl undefine -u $MU2 && [ ! -e "/etc/mdevctl.d/$pci_fn/$MU2" ] && [ ! -e "$MDEVS/$MU2" ]; then
	pass mdevctl-undefine
else
	fail mdevctl-undefine "$(cat /tmp/mdevctl.out)"
fi

# ---- the compatibility gate ----------------------------------------------------
# migver0 runs 1.2.0 and accepts 1.0.0-1.2.0; migver1 runs 1.3.0 and
# accepts 1.1.0-1.3.0 (README, Usage).  A device defined with the source's
# string as attribute migration_version starts only where it is accepted.
echo "$pci_fn" >"$PCIDRV/unbind"
echo >"$PCIDEV/driver_override"
load nr_parents=2 sw_version=1.2.0,1.3.0 accept=1.0.0-1.2.0,1.1.0-1.3.0
A=$(cat "$(type_dir 0 8)/migration_version")
B=$(cat "$(type_dir 1 8)/migration_version")
mdevctl define -u $MU3 -p migver1 -t migver-GVTg_V5_8 &&
	mdevctl modify -u $MU3 --addattr=migration_version --value="$A"
if mdevctl start -u $MU3 && [ -d "$MDEVS/$MU3" ]; then
	pass mdevctl-gate-compatible-starts
else
	fail mdevctl-gate-compatible-starts "$(cat /tmp/mdevctl.out)"
fi
mdevctl stop -u $MU3
mdevctl undefine -u $MU3
mdevctl define -u $MU4 -p migver0 -t migver-GVTg_V5_8 &&
	mdevctl modify -u $MU4 --addattr=migration_version --value="$B"
dmesg_mark
if mdevctl start -u $MU4; then
	fail mdevctl-gate-incompatible-refused "started: $(cat /tmp/mdevctl.out)"
else
	echo "mdevctl start (incompatible source) said:"
	sed 's/^/    /' /tmp/mdevctl.out
	check mdevctl-gate-incompatible-refused \
		"$(grep -c 'Numerical result out of range' /tmp/mdevctl.out) $(dmesg_since | grep -c 'refused source')" "1 1"
fi
check mdevctl-gate-incompatible-removed "$([ -e "$MDEVS/$MU4" ] && echo present) $(avail 0 8)" " 8"

# ---- migver's callout (tools/migver/mdevctl-callout), enabled as README says ----
# The same incompatible device: the callout refuses `start` before mdevctl
# creates anything, with its own line; the kernel was asked through the
# type (one type-level refusal in the log, no device-level one).  A
# compatible device still starts.
mkdir -p /etc/mdevctl.d/scripts.d/callouts
ln -sf /tests/bin/mdevctl-callout /etc/mdevctl.d/scripts.d/callouts/50-mdev-migver
export MDEV_MIGVER_BIN=/tests/bin/migver
dmesg_mark
if mdevctl start -u $MU4; then
	fail mdevctl-callout-refuses "started: $(cat /tmp/mdevctl.out)"
else
	echo "mdevctl start (incompatible source, migver's callout enabled) said:"
	sed 's/^/    /' /tmp/mdevctl.out
	check mdevctl-callout-refuses \
		"$(grep -c "refusing to start $MU4: migver0/migver-GVTg_V5_8 cannot take its migration_version: software (ERANGE, decided by the kernel" /tmp/mdevctl.out) $(dmesg_since | grep -c 'migver0: GVTg_V5_8 migration_version: refused source') $(dmesg_since | grep -c 'device migration_version: refused source') $([ -e "$MDEVS/$MU4" ] && echo present)" \
		"1 1 0 "
fi
mdevctl define -u $MU5 -p migver1 -t migver-GVTg_V5_8 &&
	mdevctl modify -u $MU5 --addattr=migration_version --value="$A"
if mdevctl start -u $MU5 && [ -d "$MDEVS/$MU5" ]; then
	pass mdevctl-callout-allows-compatible
else
	fail mdevctl-callout-allows-compatible "$(cat /tmp/mdevctl.out)"
fi
mdevctl stop -u $MU5
mdevctl undefine -u $MU5
rm -f /etc/mdevctl.d/scripts.d/callouts/50-mdev-migver
unset MDEV_MIGVER_BIN
mdevctl undefine -u $MU4
if unload && ! loaded; then
	pass mdevctl-final-unload
else
	fail mdevctl-final-unload "$(cat /tmp/rmmod.err)"
fi
