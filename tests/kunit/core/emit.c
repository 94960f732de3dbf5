// SPDX-License-Identifier: GPL-2.0-only
/* One core file built again for mdev_migver_kunit.ko; see Kbuild. */
#include "../../../src/core/emit.c"
