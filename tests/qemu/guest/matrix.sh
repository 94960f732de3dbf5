#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest scenario `matrix`: mdev_migver on a real kernel, case by case.
# Run by the QEMU harness as /tests/matrix.sh (busybox sh, as root).
# Its parts are files sourced in this order; MATRIX_PARTS names the ones to
# run (default: all).  Each part loads the module with what it needs and
# leaves it unloaded, so the debug lane can run them in two VMs side by
# side (tests/debug/guest/debug.sh, matrix-tail.sh).
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh

DEF_IDENT="device_api=vfio-pci;pci_id=8086:591d"
DEF_SW="software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0"

# structured string for the default identity and type GVTg_V5_<1>
def_string() {
	echo "$DEF_IDENT;type=GVTg_V5_$1;aggregator=1;$DEF_SW"
}

modprobe vfio
modprobe vfio_iommu_type1
modprobe mdev

MATRIX_PARTS=${MATRIX_PARTS:-driver coverage badinput migration migver pci mdevctl}
# has_part <part>: is it to run?  Also prints how long the part before it
# took ("# matrix-time: <part> <s> s", to the results log): what each part
# costs a lane on this CPU-bound machine (the debug lane's KASAN VMs).
mt_part=
mt_t0=
has_part() {
	read -r mt_now _ </proc/uptime
	mt_now=${mt_now%.*}
	[ -z "$mt_part" ] || echo "# matrix-time: $mt_part $((mt_now - mt_t0)) s"
	mt_part=
	case " $MATRIX_PARTS " in *" $1 "*) ;; *) return 1 ;; esac
	mt_part=$1
	mt_t0=$mt_now
}

# ---- the driver scenarios ----------------------------------------------------------
# shellcheck source=tests/qemu/guest/driver.sh
! has_part driver || . /tests/driver.sh

# ---- documented behaviour not reached above ---------------------------------------
# shellcheck source=tests/qemu/guest/coverage.sh
! has_part coverage || . /tests/coverage.sh

# ---- bad input through both attributes and the parameters ---------------------
# shellcheck source=tests/qemu/guest/badinput.sh
! has_part badinput || . /tests/badinput.sh

# ---- live migration between the hosts (vfio-mig) ---------------------------------
# shellcheck source=tests/qemu/guest/migration.sh
! has_part migration || . /tests/migration.sh

# ---- the migver tool: its verdicts against the kernel's ---------------------------
# (after driver: it replays the cases driver.sh kept in /tmp/agree-*.cases)
# shellcheck source=tests/qemu/guest/migver.sh
! has_part migver || . /tests/migver.sh

# ---- PCI parent mode: the VM's pci-testdev as an mdev parent ----------------------
# shellcheck source=tests/qemu/guest/pci.sh
! has_part pci || . /tests/pci.sh

# ---- mdevctl on class and PCI parents ------------------------------------------------
# shellcheck source=tests/qemu/guest/mdevctl.sh
! has_part mdevctl || . /tests/mdevctl.sh
has_part end-of-parts || :
finish
