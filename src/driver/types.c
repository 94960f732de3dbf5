// SPDX-License-Identifier: GPL-2.0-only
/*
 * GVT-style mdev types and the per-parent resource budget.
 *
 * As in drivers/gpu/drm/i915/gvt/vgpu.c, the types are derived from the
 * (here simulated) platform: a type is offered only when the parent can hold
 * at least one instance of it, and available_instances is the minimum over
 * the resources of free / per-instance need.  All types of one parent draw
 * from the same budget, so creating one type reduces the others' counts.
 *
 * The mdev core does not enforce get_available(): probe takes the resources
 * under budget_lock and fails with -ENOSPC when they are not there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vfio.h>

#include "migver_drv.h"

/* GVTg_V5_<name>: 8, 4, 2 and 1 instances on a full-size gen9 GPU. */
static const struct migver_gvt_conf migver_gvt_confs[] = {
	{ "8", 64, 384, 4, 2, "1024x768" },
	{ "4", 128, 512, 4, 4, "1920x1200" },
	{ "2", 256, 1024, 4, 8, "1920x1200" },
	{ "1", 512, 2048, 4, 16, "1920x1200" },
};

/* Each parent has MIGVER_NR_GVT_CONFS types: a new row must raise it. */
static_assert(ARRAY_SIZE(migver_gvt_confs) == MIGVER_NR_GVT_CONFS,
	      "GVT configuration table and MIGVER_NR_GVT_CONFS differ");

void migver_type_need(const struct migver_type *mt,
		      struct migver_resources *need)
{
	need->low_gm_mb = mt->conf->low_gm_mb;
	need->high_gm_mb = mt->conf->high_gm_mb;
	need->fences = mt->conf->fences;
}

/*
 * Is a source of type @src_type aggregating @src_aggregator instances made
 * of the same graphics memory as one instance of @mt?  Fences are not
 * compared: as in GVT every vGPU has 4, whatever its size.  So GVTg_V5_4
 * times 2 is a GVTg_V5_2, and GVTg_V5_8 times 2 is no type at all.
 * Unknown names are not equivalent to anything.
 */
bool migver_type_equivalent(const struct migver_type *mt, const char *src_type,
			    u32 src_aggregator)
{
	const struct migver_gvt_conf *mine = mt->conf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(migver_gvt_confs); i++) {
		const struct migver_gvt_conf *c = &migver_gvt_confs[i];
		char name[MIGVER_TYPE_MAX + 1];

		snprintf(name, sizeof(name), "GVTg_V5_%s", c->name);
		if (strcmp(name, src_type))
			continue;
		return c->low_gm_mb * src_aggregator == mine->low_gm_mb &&
		       c->high_gm_mb * src_aggregator == mine->high_gm_mb;
	}
	return false;
}

static unsigned int instances(const struct migver_resources *have,
			      const struct migver_resources *need)
{
	return min3(have->low_gm_mb / need->low_gm_mb,
		    have->high_gm_mb / need->high_gm_mb,
		    have->fences / need->fences);
}

/* A type's facts as a migration target: the parent's identity and its name. */
static void type_info(struct migver_info *info,
		      const struct migver_identity *id, const char *type)
{
	*info = id->accept;
	info->format = id->format;
	strscpy(info->device_api, VFIO_DEVICE_API_PCI_STRING,
		sizeof(info->device_api));
	info->vendor = id->vendor;
	info->device = id->device;
	strscpy(info->type, type, sizeof(info->type));
	info->aggregator = 1;
	info->sw = id->sw;
}

static bool conf_fits(const struct migver_gvt_conf *conf,
		      const struct migver_resources *total)
{
	const struct migver_resources need = {
		.low_gm_mb = conf->low_gm_mb,
		.high_gm_mb = conf->high_gm_mb,
		.fences = conf->fences,
	};

	return instances(total, &need);
}

/*
 * Whether parent @index can offer at least one type with identity @id and
 * budget @total, and print every type's string: the parameter checks that
 * migver_types_init() relies on, made before any parent exists.
 */
int migver_types_check(unsigned int index, const struct migver_identity *id,
		       const struct migver_resources *total)
{
	unsigned int i, fit = 0;

	for (i = 0; i < ARRAY_SIZE(migver_gvt_confs); i++) {
		char type[MIGVER_TYPE_MAX + 1];
		struct migver_info info;
		int ret;

		if (!conf_fits(&migver_gvt_confs[i], total))
			continue;
		fit++;
		snprintf(type, sizeof(type), "GVTg_V5_%s",
			 migver_gvt_confs[i].name);
		type_info(&info, id, type);
		ret = migver_emit_check(&info, id->format);
		if (ret) {
			pr_err("format[%u]=%s: cannot carry sw_version[%u]=%u.%u.%u (gvt: major and minor at most 255) (%d)\n",
			       index, migver_format_name(id->format), index,
			       id->sw.major, id->sw.minor, id->sw.patch, ret);
			return -EINVAL;
		}
	}
	if (!fit) {
		pr_err("low_gm_mb=%u high_gm_mb=%u fences=%u: too small for any type (GVTg_V5_8 needs 64 MB low, 384 MB high, 4 fences)\n",
		       total->low_gm_mb, total->high_gm_mb, total->fences);
		return -EINVAL;
	}
	return 0;
}

/* Cannot fail on parameters: migver_types_check() passed for this parent. */
int migver_types_init(struct migver_parent *parent)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(migver_gvt_confs); i++) {
		struct migver_type *mt = &parent->types[parent->nr_types];

		if (!conf_fits(&migver_gvt_confs[i], &parent->total))
			continue;
		mt->conf = &migver_gvt_confs[i];
		mt->parent = parent;
		snprintf(mt->sysfs_name, sizeof(mt->sysfs_name), "GVTg_V5_%s",
			 mt->conf->name);
		mt->type.sysfs_name = mt->sysfs_name;
		mt->type.pretty_name = mt->sysfs_name;
		type_info(&mt->info, &parent->id, mt->sysfs_name);
		ret = migver_emit(&mt->info, mt->info.format, mt->version,
				  sizeof(mt->version));
		if (ret < 0)
			return ret;
		parent->type_ptrs[parent->nr_types++] = &mt->type;
	}
	return parent->nr_types ? 0 : -EINVAL;
}

int migver_budget_take(struct migver_type *mt)
{
	struct migver_parent *parent = mt->parent;
	struct migver_resources need;
	int ret = 0;

	migver_type_need(mt, &need);
	mutex_lock(&parent->budget_lock);
	if (!instances(&parent->avail, &need)) {
		ret = -ENOSPC;
	} else {
		parent->avail.low_gm_mb -= need.low_gm_mb;
		parent->avail.high_gm_mb -= need.high_gm_mb;
		parent->avail.fences -= need.fences;
	}
	mutex_unlock(&parent->budget_lock);
	return ret;
}

void migver_budget_give(struct migver_type *mt)
{
	struct migver_parent *parent = mt->parent;
	struct migver_resources need;

	migver_type_need(mt, &need);
	mutex_lock(&parent->budget_lock);
	parent->avail.low_gm_mb += need.low_gm_mb;
	parent->avail.high_gm_mb += need.high_gm_mb;
	parent->avail.fences += need.fences;
	mutex_unlock(&parent->budget_lock);
}

unsigned int migver_get_available(struct mdev_type *mtype)
{
	struct migver_type *mt = to_migver_type(mtype);
	struct migver_parent *parent = mt->parent;
	struct migver_resources need;
	unsigned int n;

	migver_type_need(mt, &need);
	mutex_lock(&parent->budget_lock);
	n = instances(&parent->avail, &need);
	mutex_unlock(&parent->budget_lock);
	return n;
}

ssize_t migver_show_description(struct mdev_type *mtype, char *buf)
{
	const struct migver_gvt_conf *conf = to_migver_type(mtype)->conf;

	return sysfs_emit(buf,
			  "low_gm_size: %uMB\nhigh_gm_size: %uMB\nfence: %u\nresolution: %s\nweight: %u\n",
			  conf->low_gm_mb, conf->high_gm_mb, conf->fences,
			  conf->resolution, conf->weight);
}
