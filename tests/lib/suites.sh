# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # read by the scripts that source this
# The Debian suites whose kernels every lane covers, in one place (sourced).
#   bookworm      Debian 12's kernel (6.1), gcc-12
#   trixie        Debian 13's kernel (6.12), gcc-14
#   sid           the newest released kernel (7.2 in Nov 2026), gcc-16
#   experimental  the next kernel's release candidate from Debian
#                 experimental (7.3-rc in Nov 2026), in a sid root with sid's
#                 compiler: only the kernel packages come from experimental
# MIGVER_SUITES (a subset, in this order) overrides the default for a run.
MIGVER_SUITES_ALL="bookworm trixie sid experimental"
: "${MIGVER_SUITES:=$MIGVER_SUITES_ALL}"

# The QEMU lane's boots after the matrix VMs (tests/qemu/run.sh); an empty
# value (or MIGVER_TWOHOST=0) leaves one out:
#   MIGVER_VMM_SUITES      guest entry vmm, the suite's real QEMU, on the
#                          suites of MIGVER_VMM_SUITES_ALL (experimental
#                          would run sid's QEMU again: left to sid's boot)
#   MIGVER_LIBVIRT_SUITES  guest entry libvirt (on Debian 12, QEMU 7.2
#                          cannot save a VM with a VFIO device: those
#                          cases are skipped there, a platform limit)
#   MIGVER_TWOHOST         1: guest entry twohost, host a and host b on the
#                          two suites of MIGVER_TWOHOST_SUITES
MIGVER_VMM_SUITES_ALL="bookworm trixie sid"
: "${MIGVER_VMM_SUITES=$MIGVER_VMM_SUITES_ALL}"
: "${MIGVER_LIBVIRT_SUITES=bookworm trixie sid}"
: "${MIGVER_TWOHOST=1}"
: "${MIGVER_TWOHOST_SUITES=trixie sid}"
