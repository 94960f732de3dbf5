# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2154 # $uuid, $created: set by create (lib.sh)
# Behaviour README documents that the rest of the matrix does not reach,
# sourced by matrix.sh (busybox sh).  Cases: cov/...
# Every case (re)loads the module with what it needs; the last one leaves it
# unloaded.

# field <string> <name>: the value of one field of a structured string
field() {
	echo "$1" | tr ';' '\n' | sed -n "s/^$2=//p"
}

# ---- checker=gvt given at load time -------------------------------------------
if load checker=gvt; then
	check cov/load-checker-gvt "$(cat "$PARAMS/checker")" gvt
	# gvt wants the software versions equal: 1.1.0 is in semver's range
	# but refused here, and the target's own string is accepted.
	T=$(type_dir 0 8)/migration_version
	own=$(cat "$T")
	older=$(echo "$own" | sed 's/software_version=[0-9.]*/software_version=1.1.0/')
	check cov/load-checker-gvt-verdicts \
		"$(wr_result "$T" "$own") $(wr_result "$T" "$older")" "OK ERANGE"
else
	fail cov/load-checker-gvt "modprobe checker=gvt: $(cat /tmp/modprobe.err)"
	fail cov/load-checker-gvt-verdicts "not loaded"
fi

# ---- identity and budget parameters with non-default values ------------------
# 256 MB low and 1536 MB high graphics memory: GVTg_V5_8 fits 4 times
# (64/384 MB), _4 twice (128/512), _2 once (256/1024) and _1 (512 MB low)
# not at all, so _1 is not offered.
if load vendor=0x8087 device=0x1234 low_gm_mb=256 high_gm_mb=1536; then
	s=$(cat "$(type_dir 0 8)/migration_version")
	check cov/param-vendor-device "$(field "$s" pci_id)" 8087:1234
	# shellcheck disable=SC2012 # fixed sysfs names
	check cov/param-budget-types-offered \
		"$(ls /sys/class/mdev_bus/migver0/mdev_supported_types | tr '\n' ' ')" \
		"migver-GVTg_V5_2 migver-GVTg_V5_4 migver-GVTg_V5_8 "
	check cov/param-budget-counts "$(avail 0 8) $(avail 0 4) $(avail 0 2)" "4 2 1"
else
	for c in param-vendor-device param-budget-types-offered param-budget-counts; do
		fail "cov/$c" "modprobe: $(cat /tmp/modprobe.err)"
	done
fi
# 8 fences, 4 per vGPU, bind before the graphics memory does: two of any
# type, and after two GVTg_V5_8 nothing is left.
if load fences=8; then
	before=$(avail_all 0)
	create 0 8
	create 0 8
	check cov/param-fences "$before / $(avail_all 0) $(create 0 1 && echo "$created")" \
		"2 2 2 1 / 0 0 0 0 ENOSPC"
	remove_all
else
	fail cov/param-fences "modprobe fences=8: $(cat /tmp/modprobe.err)"
fi

# ---- a missing list element takes the default ----------------------------------
if load nr_parents=2 sw_version=1.3.0 device=0x5912; then
	s0=$(cat "$(type_dir 0 8)/migration_version")
	s1=$(cat "$(type_dir 1 8)/migration_version")
	check cov/param-list-missing-default \
		"$(field "$s0" software_version) $(field "$s0" pci_id) / $(field "$s1" software_version) $(field "$s1" pci_id)" \
		"1.3.0 8086:5912 / 1.2.0 8086:591d"
else
	fail cov/param-list-missing-default "modprobe: $(cat /tmp/modprobe.err)"
fi

# ---- README: "creating one GVTg_V5_4 leaves 6/3/1/0" ----------------------------
if load; then
	create 0 4
	check cov/budget-one-V5_4 "$created $(avail_all 0)" "OK 6 3 1 0"
	remove_all
else
	fail cov/budget-one-V5_4 "modprobe: $(cat /tmp/modprobe.err)"
fi

# ---- device level: a target that accepts nothing -------------------------------
if load accept=none; then
	create 0 8
	s=$(cat "$(type_dir 0 8)/migration_version")
	check cov/device-unsupported "$created $(wr_result "$MDEVS/$uuid/migration_version" "$s")" \
		"OK EOPNOTSUPP"
	remove_all
else
	fail cov/device-unsupported "modprobe accept=none: $(cat /tmp/modprobe.err)"
fi

# ---- rmmod while a VFIO fd is open: EAGAIN, as the errno table says -------------
if load; then
	create 0 8
	rm -f /tmp/release
	id=$(field "$(cat "$MDEVS/$uuid/migration_version")" pci_id)
	# busybox rmmod prints strerror of delete_module's errno
	if ! vfio_open_bg /tmp/hold.out "$uuid" "${id%%:*}" "${id#*:}" hold /tmp/release; then
		r="vfio-open did not hold the device: $(bg_said)"
	else
		msg=$(rmmod "$MOD" 2>&1)
		case "$msg" in
		*"Resource temporarily unavailable"*) r=EAGAIN ;;
		*) r="rmmod said: '$msg'" ;;
		esac
	fi
	touch /tmp/release
	wait $bg_pid
	check cov/rmmod-open-eagain "$r $(loaded && echo loaded)" "EAGAIN loaded"
	remove_all
else
	fail cov/rmmod-open-eagain "modprobe: $(cat /tmp/modprobe.err)"
fi
unload
