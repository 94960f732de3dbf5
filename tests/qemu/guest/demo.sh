#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `demo` (`make demo`): a readable transcript of mdev_migver at
# work.  Every command is shown after "$ ", followed by its output.
# Only commands a user has (a POSIX shell, cat, echo): README's Usage block
# is this transcript, and the test programs (sysfs-write, vfio-open) are not
# shipped.  Writes go through cat, whose "write error: <errno text>" reads
# the same in busybox and GNU coreutils (a shell's echo builtin words it
# differently in every shell).
# The commands are quoted on purpose: they expand when shown and run.
# shellcheck disable=SC2016
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

# show <command line>: print it, run it, show errors inline
show() {
	echo "\$ $*"
	eval "$*" 2>&1
}

say() {
	echo
	echo "# $*"
}

modprobe vfio
modprobe vfio_iommu_type1
modprobe mdev

say "Two simulated hosts in one kernel: migver0 runs software 1.2.0,"
echo "# migver1 is an upgraded host (1.3.0) that still accepts 1.1.0 and newer."
show modprobe mdev_migver nr_parents=2 sw_version=1.2.0,1.3.0 \
	accept=1.0.0-1.2.0,1.1.0-1.3.0
show 'dmesg | grep migver | tail -n 2'

say "GVT-style types, as i915's GVT-g derives them from the GPU's resources"
show cd /sys/class/mdev_bus/migver0/mdev_supported_types
show ls
show 'for t in *; do echo "== $t"; cat $t/description; echo "available_instances: $(cat $t/available_instances)"; done'

say "migration_version at type level, on each host"
A=/sys/class/mdev_bus/migver0/mdev_supported_types/migver-GVTg_V5_8
B=/sys/class/mdev_bus/migver1/mdev_supported_types/migver-GVTg_V5_8
show "A=$A"
show "B=$B"
show 'cat $A/migration_version'
show 'cat $B/migration_version'

say "Can host B accept a GVTg_V5_8 vGPU from host A?  Write A's string into B's."
show 'cat $A/migration_version > $B/migration_version && echo compatible'

say "And back from B to A?  A accepts only 1.0.0-1.2.0, B runs 1.3.0."
echo "# Refused with ERANGE; the kernel log says why."
show 'cat $B/migration_version > $A/migration_version && echo compatible'
show 'dmesg | tail -n 1'

say "A different type is refused too (EMEDIUMTYPE), as is a malformed string (EINVAL)."
show 'cat ${A%_8}_4/migration_version > $A/migration_version && echo compatible'
show 'echo 8086-591d-GVTg_V5_8 | cat > $A/migration_version && echo compatible'
show 'dmesg | tail -n 1'

say "The checker can be switched at run time: gvt wants identical software versions."
show 'cat /sys/module/mdev_migver/parameters/checker'
show 'echo gvt > /sys/module/mdev_migver/parameters/checker'
show 'cat $A/migration_version > $B/migration_version && echo compatible'
show 'echo semver > /sys/module/mdev_migver/parameters/checker'

say "Create a vGPU on each host; devices carry the attribute as well."
U=$(new_uuid)
V=$(new_uuid)
show "echo $U > \$A/create"
show "echo $V > \$B/create"
show 'ls /sys/bus/mdev/devices'
show "cat /sys/bus/mdev/devices/$U/migration_version"
show "cat /sys/bus/mdev/devices/$U/migration_version > /sys/bus/mdev/devices/$V/migration_version && echo compatible"
show 'cat $A/available_instances ${A%_8}_1/available_instances'

say "Each vGPU has its own VFIO group, which a VMM opens (QEMU:"
echo "# -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/<uuid>)."
show "basename \$(readlink /sys/bus/mdev/devices/$U/iommu_group)"
show 'ls /dev/vfio'

say "Clean up."
show "echo 1 > /sys/bus/mdev/devices/$U/remove"
show "echo 1 > /sys/bus/mdev/devices/$V/remove"
show 'cat $A/available_instances'
show cd /
show rmmod mdev_migver
echo
echo "# end of demo"
