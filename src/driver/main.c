// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev_migver: a virtual mdev parent with GVT-style vGPU types and the
 * migration_version attribute (type and device level).
 *
 * Each parent is a struct device of class "migver" named migver<N>, so its
 * type directories are migver-GVTg_V5_<n> under
 * /sys/class/mdev_bus/migver<N>/mdev_supported_types/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <linux/wait.h>

#include "compat.h"
#include "migver_drv.h"

/*
 * Allocated by the class core, not static: the class's kobject may be
 * released after class_destroy() returns (seconds later with
 * CONFIG_DEBUG_KOBJECT_RELEASE), and that release reads the struct class,
 * which must not live in our unloaded module.
 */
static struct class *migver_class;

struct mdev_driver migver_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "mdev_migver",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = migver_mdev_groups,
	},
	.probe = migver_mdev_probe,
	.remove = migver_mdev_remove,
	.get_available = migver_get_available,
	.show_description = migver_show_description,
};

static struct migver_parent *migver_parents[MIGVER_MAX_PARENTS];

/*
 * Objects whose release callback is our code: parent devices and VFIO
 * devices.  Their last reference may be dropped after we unregistered them
 * (always so with CONFIG_DEBUG_KOBJECT_RELEASE, which delays releases by
 * seconds), so module exit waits until every release has run rather than
 * unloading the code a pending release would jump into.
 */
static atomic_t migver_live_objects = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(migver_release_wq);

void migver_object_get(void)
{
	atomic_inc(&migver_live_objects);
}

void migver_object_put(void)
{
	if (atomic_dec_and_test(&migver_live_objects))
		wake_up(&migver_release_wq);
}

static void migver_wait_for_releases(void)
{
	wait_event(migver_release_wq, !atomic_read(&migver_live_objects));
}

static void migver_parent_release(struct device *dev)
{
	struct migver_parent *parent =
		container_of(dev, struct migver_parent, dev);

	mutex_destroy(&parent->budget_lock);
	kfree(parent);
	migver_object_put();
}

/* Index, budget and identity (checked by migver_params_load()). */
void migver_parent_init(struct migver_parent *parent, unsigned int index)
{
	parent->index = index;
	mutex_init(&parent->budget_lock);
	migver_params_budget(&parent->total);
	parent->avail = parent->total;
	parent->id = *migver_params_identity(index);
}

/*
 * Types, mdev registration on @host and our type-level attribute: what
 * makes a device an mdev parent, for class and PCI parents alike.
 */
int migver_parent_register(struct migver_parent *parent, struct device *host)
{
	int ret;

	parent->host = host;
	ret = migver_types_init(parent);
	if (ret)
		return ret;
	ret = migver_fault("parent-mdev") ?:
		      mdev_register_parent(&parent->mdev_parent, host,
					   &migver_mdev_driver,
					   parent->type_ptrs, parent->nr_types);
	if (ret)
		return ret;
	ret = migver_type_attrs_add(parent);
	if (ret) {
		mdev_unregister_parent(&parent->mdev_parent);
		return ret;
	}
	dev_info(host, "%04x:%04x software %u.%u.%u, %u types\n",
		 parent->id.vendor, parent->id.device, parent->id.sw.major,
		 parent->id.sw.minor, parent->id.sw.patch, parent->nr_types);
	return 0;
}

/* Removes every mdev of @parent (as rmmod does), then its types. */
void migver_parent_unregister(struct migver_parent *parent)
{
	/* Our file first: the type kobjects go with the parent. */
	migver_type_attrs_remove(parent);
	mdev_unregister_parent(&parent->mdev_parent);
}

static int migver_parent_create(unsigned int index)
{
	struct migver_parent *parent;
	int ret;

	if (migver_fault("parent-alloc"))
		return -ENOMEM;
	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return -ENOMEM;
	migver_parent_init(parent, index);

	device_initialize(&parent->dev);
	migver_object_get();
	parent->dev.class = migver_class;
	parent->dev.release = migver_parent_release;
	ret = migver_fault("parent-name") ?:
		      dev_set_name(&parent->dev, MIGVER_NAME "%u", index);
	if (ret)
		goto err_put;

	ret = migver_fault("parent-add") ?: device_add(&parent->dev);
	if (ret)
		goto err_put;
	ret = migver_parent_register(parent, &parent->dev);
	if (ret)
		goto err_del;

	migver_parents[index] = parent;
	return 0;

err_del:
	device_del(&parent->dev);
err_put:
	put_device(&parent->dev);
	return ret;
}

static void migver_parent_destroy(unsigned int index)
{
	struct migver_parent *parent = migver_parents[index];

	if (!parent)
		return;
	migver_parents[index] = NULL;
	migver_parent_unregister(parent);
	device_del(&parent->dev);
	put_device(&parent->dev);
}

static void migver_parents_destroy(void)
{
	unsigned int i = MIGVER_MAX_PARENTS;

	while (i--)
		migver_parent_destroy(i);
}

static int __init migver_init(void)
{
	unsigned int i;
	int ret;

	/* Every parameter of every parent, before anything is registered. */
	ret = migver_params_load();
	if (ret)
		return ret;

	migver_fault_init();
	ret = migver_fault("driver") ?:
		      mdev_register_driver(&migver_mdev_driver);
	if (ret)
		goto err_fault;
	ret = migver_fault("class");
	if (ret)
		goto err_driver;
	migver_class = migver_compat_class_create(MIGVER_NAME);
	if (IS_ERR(migver_class)) {
		ret = PTR_ERR(migver_class);
		goto err_driver;
	}

	for (i = 0; i < migver_nr_parents; i++) {
		ret = migver_parent_create(i);
		if (ret) {
			pr_err("parent %s%u: setup failed (%d)\n", MIGVER_NAME,
			       i, ret);
			goto err_parents;
		}
	}
	/*
	 * Last: registering the PCI driver binds at once any function whose
	 * driver_override already names it (set before an earlier rmmod).
	 */
	ret = migver_pci_init();
	if (ret)
		goto err_parents;
	return 0;

err_parents:
	migver_parents_destroy();
	migver_wait_for_releases();
	class_destroy(migver_class);
err_driver:
	mdev_unregister_driver(&migver_mdev_driver);
err_fault:
	migver_fault_exit();
	return ret;
}

static void __exit migver_exit(void)
{
	migver_pci_exit();
	migver_parents_destroy();
	migver_wait_for_releases();
	class_destroy(migver_class);
	mdev_unregister_driver(&migver_mdev_driver);
	migver_fault_exit();
}

module_init(migver_init);
module_exit(migver_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdev parent with GVT-style types and migration_version");
MODULE_AUTHOR("mdev-migver developers");
/* From debian/changelog, through Kbuild (-DMIGVER_RELEASE). */
MODULE_VERSION(MIGVER_RELEASE);
