#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Lint lane: checkpatch --strict on every kernel-side file, then W=1 and
# sparse builds of the module against each supported kernel's own headers,
# then the driver's build-time properties (driver-build.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
export MIGVER_CACHE="${MIGVER_CACHE:-/var/cache/mdev-migver}"
source tests/lib/results.sh

source tests/lint/checkpatch.sh
source tests/lint/kbuild.sh
source tests/lint/driver-build.sh

results_finish lint
