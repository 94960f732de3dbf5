// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI parent mode: a PCI function that an administrator hands to the PCI
 * driver "migver" becomes an mdev parent, as GVT-g's types sit on the
 * GPU's PCI function.  libvirt (and so Nova) recognises an mdev parent only
 * on a PCI (css, ap) device, never on our migver class.
 *
 * The driver has no id table, so it never binds by itself: only through
 * /sys/bus/pci/devices/<addr>/driver_override ("migver", then
 * drivers_probe or bind) or /sys/bus/pci/drivers/migver/new_id.
 *
 * Identity: a PCI parent is a simulated host like migver<N> and takes the
 * identity of element N of the per-parent parameters (vendor, device,
 * sw_version, accept, format), N = the driver_data of the matching id:
 * 0 with driver_override, new_id's seventh field otherwise.  The function's
 * own vendor:device are not used (it stands in for a GPU).  N must be below
 * nr_parents; otherwise probe fails with -EINVAL and one rate-limited line.
 * Budget: its own, the same as every parent's (low_gm_mb, high_gm_mb,
 * fences), shared by its four types.
 *
 * Hardware: none touched.  No pci_enable_device() (the function is never
 * asked to decode its BARs or master DMA), no BAR mapping, no interrupts;
 * the mdevs are emulated-IOMMU devices backed by kernel memory.  The PCI
 * core keeps the function in D0 while bound, as for any driver without
 * runtime PM.
 *
 * Unbind (or rmmod, or removal of the function) removes the parent's mdevs
 * as rmmod does for a class parent: an mdev whose VFIO fd is open is
 * asked through its REQ eventfd, and the unbind waits until userspace
 * closes it (rmmod itself is refused while a fd is open: the fd holds the
 * module).
 *
 * Lifetime: the mdev core's type kobjects live in struct migver_parent, and
 * their release reads it (mdev_type_release(): type->parent->dev).  A type
 * may be released after unbind (an mdev still referenced, or the delayed
 * release of CONFIG_DEBUG_KOBJECT_RELEASE), and the core tells nobody when.
 * So an unbound parent is kept on a list and freed at module exit, after
 * its types' reference counts reached zero and, on a kernel with delayed
 * kobject release, after the longest delay (4 s, lib/kobject.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "migver_drv.h"

struct migver_pci_parent {
	struct list_head node; /* on migver_pci_retired after unbind */
	struct migver_parent parent;
};

/* Parents unbound (or whose probe failed), freed at module exit. */
static LIST_HEAD(migver_pci_retired);
static DEFINE_MUTEX(migver_pci_lock); /* protects migver_pci_retired */

static void migver_pci_retire(struct migver_pci_parent *pp)
{
	mutex_lock(&migver_pci_lock);
	list_add_tail(&pp->node, &migver_pci_retired);
	mutex_unlock(&migver_pci_lock);
}

static int migver_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct migver_pci_parent *pp;
	int ret;

	if (id->driver_data >= migver_nr_parents) {
		dev_notice_ratelimited(&pdev->dev,
				       "driver_data %lu: no such parameter element (nr_parents=%u); not an mdev parent\n",
				       id->driver_data, migver_nr_parents);
		return -EINVAL;
	}
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;
	INIT_LIST_HEAD(&pp->node);
	migver_parent_init(&pp->parent, id->driver_data);
	ret = migver_parent_register(&pp->parent, &pdev->dev);
	if (ret) {
		/* A type may have been registered and put: as after unbind. */
		migver_pci_retire(pp);
		return ret;
	}
	pci_set_drvdata(pdev, pp);
	dev_info(&pdev->dev,
		 "mdev parent with the identity of parameter element %u (%s%u)\n",
		 pp->parent.index, MIGVER_NAME, pp->parent.index);
	return 0;
}

static void migver_pci_remove(struct pci_dev *pdev)
{
	struct migver_pci_parent *pp = pci_get_drvdata(pdev);

	migver_parent_unregister(&pp->parent);
	pci_set_drvdata(pdev, NULL);
	migver_pci_retire(pp);
}

/* No id_table: binds only through driver_override or new_id. */
static struct pci_driver migver_pci_driver = {
	.name = MIGVER_NAME,
	.probe = migver_pci_probe,
	.remove = migver_pci_remove,
};

int migver_pci_init(void)
{
	return migver_fault("pci-driver") ?:
		       pci_register_driver(&migver_pci_driver);
}

static bool migver_pci_types_released(struct migver_parent *parent)
{
	unsigned int i;

	for (i = 0; i < parent->nr_types; i++)
		if (kref_read(&parent->types[i].type.kobj.kref))
			return false;
	return true;
}

/*
 * Unbinds every function (pci_unregister_driver() calls remove), then frees
 * the unbound parents once the mdev core cannot touch them any more.
 */
void migver_pci_exit(void)
{
	struct migver_pci_parent *pp, *tmp;
	bool any;

	pci_unregister_driver(&migver_pci_driver);
	mutex_lock(&migver_pci_lock);
	any = !list_empty(&migver_pci_retired);
	list_for_each_entry(pp, &migver_pci_retired, node)
		while (!migver_pci_types_released(&pp->parent))
			msleep(20);
	/*
	 * A count of zero means the last put happened; its release may
	 * still be running (or, with CONFIG_DEBUG_KOBJECT_RELEASE, be up to
	 * 4 s away).
	 */
	if (any)
		msleep(IS_ENABLED(CONFIG_DEBUG_KOBJECT_RELEASE) ? 5000 : 20);
	list_for_each_entry_safe(pp, tmp, &migver_pci_retired, node) {
		list_del(&pp->node);
		mutex_destroy(&pp->parent.budget_lock);
		kfree(pp);
	}
	mutex_unlock(&migver_pci_lock);
}
