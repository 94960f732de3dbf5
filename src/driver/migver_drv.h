/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mdev_migver: what the driver's files share.
 *
 * main.c     module init/exit: class, parent devices, mdev registration
 * params.c   module parameters, their validation, the active checker
 * types.c    GVT-style types and the per-parent resource budget
 * version.c  migration_version attributes (type and device level)
 * vfio.c     the VFIO device behind each mdev (PCI config space, BARs)
 * gmem.c     graphics memory (BAR2), sparse, with dirty tracking
 * migration.c VFIO migration: states, save and resume files, the stream
 * pci.c      PCI parent mode: a PCI function an administrator hands us
 * fault.c    test-only fault injection at our failure points (debug kernels)
 * compat.h   every difference between supported kernels
 */
#ifndef MIGVER_DRV_H
#define MIGVER_DRV_H

#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include <migver/check.h>
#include <migver/version.h>

#define MIGVER_NAME "migver"
#define MIGVER_MAX_PARENTS 8
/*
 * Rows of the GVT configuration table (types.c); every per-parent type
 * array is this long.  types.c asserts at build time that the table has
 * exactly this many rows, so a new row means raising this number.
 */
#define MIGVER_NR_GVT_CONFS 4

/* A user string in the log: at most this many bytes of it (then "..."). */
#define MIGVER_LOG_MAX 64
#define MIGVER_LOG_BUF (MIGVER_LOG_MAX + 4)

/* One GVT vGPU configuration, as in drivers/gpu/drm/i915/gvt/vgpu.c. */
struct migver_gvt_conf {
	const char *name; /* suffix of GVTg_V5_<name> */
	unsigned int low_gm_mb;
	unsigned int high_gm_mb;
	unsigned int fences;
	unsigned int weight;
	const char *resolution;
};

/* What an instance uses (or a parent has left) of each shared resource. */
struct migver_resources {
	unsigned int low_gm_mb;
	unsigned int high_gm_mb;
	unsigned int fences;
};

/*
 * Private copy of the struct in drivers/vfio/mdev/mdev_sysfs.c (not in any
 * header): the type kobject's sysfs_ops container_of() every attribute into
 * it and call ->show/->store.  Same tag and layout on 6.1, 6.12 and 7.2.
 * No header probe can see this layout, so nothing at build time notices a
 * kernel that changes it; version.c checks mdev's own attributes through
 * this view before adding ours (migver_type_attrs_add()) and leaves the
 * type-level attribute out if they do not look right.  README.md,
 * "Supported kernels", says what that guard can and cannot catch.
 */
struct mdev_type_attribute {
	struct attribute attr;
	ssize_t (*show)(struct mdev_type *mtype,
			struct mdev_type_attribute *attr, char *buf);
	ssize_t (*store)(struct mdev_type *mtype,
			 struct mdev_type_attribute *attr, const char *buf,
			 size_t count);
};

struct migver_parent;

struct migver_type {
	struct mdev_type type;
	const struct migver_gvt_conf *conf;
	struct migver_parent *parent;
	char sysfs_name[MIGVER_TYPE_MAX + 1];
	struct migver_info info; /* this type's facts as a migration target */
	char version[MIGVER_BUF_SIZE]; /* info in the parent's format */
	bool attr_created;
};

/* What config space shows the guest (parameter guest_id). */
enum migver_guest_id {
	MIGVER_GUEST_VIRTUAL, /* 1af4:10f0, display controller (0x0380) */
	MIGVER_GUEST_GVT, /* the parent's vendor:device, VGA (0x0300) */
};

/* Identity of one simulated host, from the module parameters. */
struct migver_identity {
	u16 vendor;
	u16 device;
	struct migver_semver sw;
	struct migver_info accept; /* only n_accept/accept[] are used */
	enum migver_format format;
	enum migver_guest_id guest;
};

/*
 * One mdev parent.  A class parent (main.c) is its own device, @dev, of
 * class migver; a PCI parent (pci.c) is registered on a PCI function and
 * leaves @dev unused.  @host is the device the mdev parent is registered
 * on, for the log and the mdev core: &@dev or the PCI function's device.
 * @index is the element of the per-parent parameters it takes its
 * identity from.
 */
struct migver_parent {
	unsigned int index;
	struct device dev;
	struct device *host;
	struct mdev_parent mdev_parent;
	struct migver_identity id;
	struct mutex budget_lock; /* protects avail */
	struct migver_resources avail;
	struct migver_resources total;
	unsigned int nr_types;
	struct migver_type types[MIGVER_NR_GVT_CONFS];
	struct mdev_type *type_ptrs[MIGVER_NR_GVT_CONFS];
};

/* main.c */
void migver_object_get(void);
void migver_object_put(void);
void migver_parent_init(struct migver_parent *parent, unsigned int index);
int migver_parent_register(struct migver_parent *parent, struct device *host);
void migver_parent_unregister(struct migver_parent *parent);

/* pci.c */
int migver_pci_init(void);
void migver_pci_exit(void);

/* params.c */
extern unsigned int migver_nr_parents;
extern unsigned int migver_gm_divisor;
int migver_params_load(void);
const struct migver_identity *migver_params_identity(unsigned int index);
void migver_params_budget(struct migver_resources *res);
const struct migver_checker *migver_active_checker(void);

/* types.c */
extern struct mdev_driver migver_mdev_driver;
int migver_types_check(unsigned int index, const struct migver_identity *id,
		       const struct migver_resources *total);
int migver_types_init(struct migver_parent *parent);
void migver_type_need(const struct migver_type *mt,
		      struct migver_resources *need);
bool migver_type_equivalent(const struct migver_type *mt, const char *src_type,
			    u32 src_aggregator);
int migver_budget_take(struct migver_type *mt);
void migver_budget_give(struct migver_type *mt);
unsigned int migver_get_available(struct mdev_type *mtype);
ssize_t migver_show_description(struct mdev_type *mtype, char *buf);

static inline struct migver_type *to_migver_type(struct mdev_type *mtype)
{
	return container_of(mtype, struct migver_type, type);
}

/* version.c */
extern const struct attribute_group *migver_mdev_groups[];
void migver_log_safe(const char *buf, size_t len, char *out, size_t size);
ssize_t migver_version_check(struct device *dev, const char *where,
			     const char *what, const struct migver_type *mt,
			     bool by_resources, const char *buf, size_t count);
int migver_type_attrs_add(struct migver_parent *parent);
void migver_type_attrs_remove(struct migver_parent *parent);

/* fault.c: built only where the kernel has fault injection in debugfs */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
int migver_fault(const char *site);
void migver_fault_init(void);
void migver_fault_exit(void);
#else
static inline int migver_fault(const char *site)
{
	return 0;
}

static inline void migver_fault_init(void)
{
}

static inline void migver_fault_exit(void)
{
}
#endif

/* vfio.c */
int migver_mdev_probe(struct mdev_device *mdev);
void migver_mdev_remove(struct mdev_device *mdev);
struct migver_type *migver_mdev_type(struct device *dev);

#endif /* MIGVER_DRV_H */
