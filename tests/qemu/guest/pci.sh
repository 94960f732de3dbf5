# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2154 # bg_pid and the helpers come from lib.sh
# PCI parent mode (src/driver/pci.c), sourced by matrix.sh: the VM's
# QEMU pci-testdev (1b36:0005, tests/qemu/lib/boot.sh) handed to the
# module's PCI driver `migver` through driver_override and new_id.
# Cases pci-*; the plan is tests/qemu/guest/matrix.plan.

pci_fn=$(pci_testdev)
PCIDEV=/sys/bus/pci/devices/$pci_fn
PT=/sys/class/mdev_bus/$pci_fn/mdev_supported_types

# ptype <type suffix>: a type directory of the PCI parent
ptype() {
	echo "$PT/migver-GVTg_V5_$1"
}

# the PCI function's driver, or "none"
pci_driver() {
	l=$(readlink "$PCIDEV/driver" 2>/dev/null) || l=none
	echo "${l##*/}"
}

pci_avail_all() {
	echo "$(cat "$(ptype 8)/available_instances") $(cat "$(ptype 4)/available_instances") $(cat "$(ptype 2)/available_instances") $(cat "$(ptype 1)/available_instances")"
}

# pci_create <type suffix>: sets $uuid and $created, as create() does
pci_create() {
	uuid=$(new_uuid)
	created=$(wr_result "$(ptype "$1")/create" "$uuid")
}

# the mdevs whose parent is the PCI function
pci_mdevs() {
	n=0
	for m in "$MDEVS"/*; do
		[ -e "$m" ] || continue
		case "$(readlink -f "$m")" in */"$pci_fn"/*) n=$((n + 1)) ;; esac
	done
	echo $n
}

pci_bind() {
	echo migver >"$PCIDEV/driver_override" &&
		echo "$pci_fn" >/sys/bus/pci/drivers_probe
}

if [ -z "$pci_fn" ]; then
	fail pci-function-present "no 1b36:0005 (pci-testdev) in /sys/bus/pci/devices"
	return 0
fi
pass pci-function-present

# No id table: the module binds nothing by itself.
if ! load; then
	fail pci-driver-registered "modprobe: $(cat /tmp/modprobe.err)"
elif [ -d "$PCIDRV" ] && [ "$(pci_driver)" != migver ]; then
	pass pci-driver-registered
else
	fail pci-driver-registered "driver dir: $(ls -d "$PCIDRV" 2>&1); function's driver: $(pci_driver)"
fi

# ---- driver_override: the function becomes a parent ------------------------------
dmesg_mark
if pci_bind 2>/tmp/pci.err && [ "$(pci_driver)" = migver ] && [ -d "$PT" ]; then
	pass pci-bind-driver-override
else
	fail pci-bind-driver-override "driver $(pci_driver), $(cat /tmp/pci.err)"
fi
# identity of element 0 = migver0's, in the same words as a class parent
line=$(dmesg_since | grep "$pci_fn: 8086:591d software 1.2.0, 4 types")
ident=$(dmesg_since | grep -c "$pci_fn: mdev parent with the identity of parameter element 0 (migver0)")
check pci-parent-logged "${line:+found} $ident" "found 1"
# shellcheck disable=SC2012 # fixed sysfs names
check pci-types-listed "$(ls "$PT" 2>/dev/null | tr '\n' ' ')" \
	"migver-GVTg_V5_1 migver-GVTg_V5_2 migver-GVTg_V5_4 migver-GVTg_V5_8 "
for t in 8 4 2 1; do
	got=
	want=
	for a in name description device_api available_instances migration_version; do
		got="$got|$(cat "$(ptype $t)/$a" 2>&1)"
		want="$want|$(cat "$(type_dir 0 $t)/$a")"
	done
	check "pci-type-V5_$t-as-migver0" "$got" "$want"
done

# ---- mdevs on the PCI parent --------------------------------------------------------
pci_create 8
U=$uuid
if [ "$created" = OK ] && [ "$(pci_mdevs)" = 1 ]; then
	pass pci-create
else
	fail pci-create "create: $created, mdevs under $pci_fn: $(pci_mdevs)"
fi
# its own budget, shared by its four types; migver0's is untouched
check pci-budget-own "$(pci_avail_all) / $(avail_all 0)" "7 3 1 0 / 8 4 2 1"
pci_create 1
check pci-create-beyond-budget "$created" ENOSPC
check pci-device-version-read "$(cat "$MDEVS/$U/migration_version")" \
	"$(cat "$(ptype 8)/migration_version")"
# same identity as migver0: compatible both ways; another GPU is not
check pci-device-from-migver0 \
	"$(wr_result "$MDEVS/$U/migration_version" "$(cat "$(type_dir 0 8)/migration_version")")" OK
check pci-type-to-migver0 \
	"$(wr_result "$(type_dir 0 8)/migration_version" "$(cat "$MDEVS/$U/migration_version")")" OK
check pci-device-other-gpu \
	"$(wr_result "$MDEVS/$U/migration_version" "device_api=vfio-pci;pci_id=8086:5912;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0")" \
	ENODEV
# the migver tool lists a PCI parent like a class one and asks the kernel
# through its types and devices (exit 0 compatible, 12 hardware)
migver list >/tmp/pci.list 2>&1
check pci-migver-list \
	"$(sed -n "/^parent $pci_fn\$/,/^parent m/p" /tmp/pci.list | grep -c '^  type migver-GVTg_V5_[1248] ')" 4
migver check "$(type_dir 0 8)" "$pci_fn/migver-GVTg_V5_8" >/tmp/pci.mv 2>&1
mv_c1=$?
migver check "device_api=vfio-pci;pci_id=8086:5912;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0" \
	"$U" >>/tmp/pci.mv 2>&1
mv_c2=$?
check pci-migver-check "$mv_c1 $mv_c2" "0 12"
if vfio-open "$U" 8086 591d >/tmp/vfio.out 2>&1; then
	pass pci-vfio-open
else
	fail pci-vfio-open "$(grep ERROR /tmp/vfio.out || tail -n 1 /tmp/vfio.out)"
fi

# ---- unbind removes the parent's mdevs, rebind starts afresh --------------------------
pci_create 4
if echo "$pci_fn" >"$PCIDRV/unbind" && [ "$(pci_driver)" = none ] &&
	[ ! -e "$PT" ] && [ "$(pci_mdevs)" = 0 ] && [ ! -e "$MDEVS/$U" ]; then
	pass pci-unbind-removes-mdevs
else
	fail pci-unbind-removes-mdevs "driver $(pci_driver), mdevs left $(pci_mdevs)"
fi
if echo "$pci_fn" >/sys/bus/pci/drivers_probe && [ "$(pci_driver)" = migver ]; then
	check pci-rebind "$(pci_avail_all)" "8 4 2 1"
else
	fail pci-rebind "driver $(pci_driver)"
fi

# an open mdev: the unbind asks userspace through the REQ eventfd and waits
pci_create 8
vfio_open_bg /tmp/pcireq.out "$uuid" 8086 591d wait-req 30
req_pid=$bg_pid
if timeout 40 sh -c "echo $pci_fn > $PCIDRV/unbind"; then
	wait $req_pid
	rc=$?
	if [ $rc = 0 ] && grep -q REQUEST /tmp/pcireq.out && [ ! -e "$MDEVS/$uuid" ] &&
		[ "$(pci_driver)" = none ]; then
		pass pci-unbind-while-open-via-request
	else
		fail pci-unbind-while-open-via-request "rc $rc, driver $(pci_driver): $(tr '\n' ' ' </tmp/pcireq.out)"
	fi
else
	fail pci-unbind-while-open-via-request "unbind did not complete"
	kill $req_pid 2>/dev/null
fi

# ---- rmmod while bound ----------------------------------------------------------------
echo "$pci_fn" >/sys/bus/pci/drivers_probe
pci_create 8
rm -f /tmp/release
if ! vfio_open_bg /tmp/pcihold.out "$uuid" 8086 591d hold /tmp/release; then
	fail pci-rmmod-refused-while-open "vfio-open: $(bg_said)"
elif rmmod "$MOD" 2>/dev/null; then
	fail pci-rmmod-refused-while-open "rmmod succeeded with a device fd open"
else
	check pci-rmmod-refused-while-open "$(pci_driver) $(pci_mdevs)" "migver 1"
fi
touch /tmp/release
wait $bg_pid
pci_create 2
if rmmod "$MOD" 2>/tmp/rmmod.err && ! loaded && [ "$(count_mdevs)" = 0 ] &&
	[ "$(pci_driver)" = none ]; then
	pass pci-rmmod-while-bound
else
	fail pci-rmmod-while-bound "$(cat /tmp/rmmod.err) driver $(pci_driver), mdevs $(count_mdevs)"
fi
# driver_override stays set: the next load binds the function at once
wait_driver_gone
if modprobe "$MOD" 2>/tmp/modprobe.err && [ "$(pci_driver)" = migver ] && [ -d "$PT" ]; then
	pass pci-load-binds-override
else
	fail pci-load-binds-override "driver $(pci_driver): $(cat /tmp/modprobe.err)"
fi

# ---- new_id: driver_data picks the parameter element ----------------------------------
echo "$pci_fn" >"$PCIDRV/unbind"
echo >"$PCIDEV/driver_override"
if load nr_parents=2 sw_version=1.2.0,1.3.0 && [ "$(pci_driver)" = none ]; then
	pass pci-override-cleared
else
	fail pci-override-cleared "driver $(pci_driver): $(cat /tmp/modprobe.err)"
fi
# element 2 does not exist: not bound, EINVAL on bind, one line
dmesg_mark
echo "1b36 0005 ffffffff ffffffff 0 0 2" >"$PCIDRV/new_id"
r=$(wr_result "$PCIDRV/bind" "$pci_fn")
n=$(dmesg_since | grep -c "$pci_fn: driver_data 2: no such parameter element (nr_parents=2)")
check pci-new-id-bad-element "$(pci_driver) $r $n" "none EINVAL 2"
echo "1b36 0005" >"$PCIDRV/remove_id"
echo "1b36 0005 ffffffff ffffffff 0 0 1" >"$PCIDRV/new_id"
check pci-new-id-element-1 "$(pci_driver) $(cat "$(ptype 8)/migration_version" 2>&1)" \
	"migver $(cat "$(type_dir 1 8)/migration_version")"
echo "1b36 0005" >"$PCIDRV/remove_id"
if unload && ! loaded && [ "$(pci_driver)" = none ]; then
	pass pci-final-unload
else
	fail pci-final-unload "$(cat /tmp/rmmod.err) driver $(pci_driver)"
fi
