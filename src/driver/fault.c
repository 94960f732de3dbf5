// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection at the driver's own failure points, for tests: module
 * init, parent registration and mdev probe each ask migver_fault() before a
 * call that can fail.  As in nvme and mmc, the knob is a fault_attr in
 * debugfs (fail_mdev_migver/, see Documentation/fault-injection/), built
 * only on kernels with CONFIG_FAULT_INJECTION_DEBUG_FS (not Debian's); its
 * defaults never fail anything.  /proc/<pid>/fail-nth reaches the points
 * too, which is how tests/debug/guest/faults.sh fails each one in turn.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "migver_drv.h"

static DECLARE_FAULT_ATTR(migver_fault_attr);
static struct dentry *migver_fault_dir;

/* 0, or -ENOMEM when a failure is injected at @site. */
int migver_fault(const char *site)
{
	if (!should_fail(&migver_fault_attr, 1))
		return 0;
	pr_info("injected failure: %s\n", site);
	return -ENOMEM;
}

void migver_fault_init(void)
{
	struct dentry *dir;

	/* Our line names the site; the attr's stack dump would only repeat it. */
	migver_fault_attr.verbose = 0;
	dir = fault_create_debugfs_attr("fail_" KBUILD_MODNAME, NULL,
					&migver_fault_attr);
	/* Optional: without the directory fail-nth still reaches the points. */
	migver_fault_dir = IS_ERR(dir) ? NULL : dir;
}

void migver_fault_exit(void)
{
	debugfs_remove_recursive(migver_fault_dir);
	migver_fault_dir = NULL;
}
