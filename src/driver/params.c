// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters.
 *
 * One module instance simulates nr_parents hosts, parents migver0 ..
 * migver<nr_parents - 1>.  The per-parent parameters are comma-separated
 * arrays: element i belongs to migver<i>, and a missing element takes the
 * default.  Since ',' separates parents, the ranges of one parent's accept
 * list are separated with ':' instead (accept=1.0.0-1.1.0:2.0.0-,none).
 *
 * The resource budget is the same for every parent; each parent has its
 * own.  The checker is global and may be changed at run time through
 * /sys/module/mdev_migver/parameters/checker.
 *
 * migver_params_load() parses and checks every parameter of every parent
 * before module init registers anything, so a bad value never shows a
 * parent to userspace (no uevent, no sysfs directory) and logs one line.
 * Values from the user appear in the log only through migver_log_safe():
 * printable ASCII, at most MIGVER_LOG_MAX bytes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "migver_drv.h"

#define MIGVER_DEF_VENDOR 0x8086
#define MIGVER_DEF_DEVICE 0x591d
#define MIGVER_DEF_SW "1.2.0"
#define MIGVER_DEF_FORMAT "structured"
#define MIGVER_LAST (MIGVER_MAX_PARENTS - 1)

unsigned int migver_nr_parents = 1;
module_param_named(nr_parents, migver_nr_parents, uint, 0444);
MODULE_PARM_DESC(nr_parents,
		 "Number of simulated parents migver0.. (1-8, default 1)");

static ushort vendor[MIGVER_MAX_PARENTS] = {
	[0 ... MIGVER_LAST] = MIGVER_DEF_VENDOR
};

static unsigned int nr_vendor;
module_param_array(vendor, ushort, &nr_vendor, 0444);
MODULE_PARM_DESC(vendor, "PCI vendor id per parent (default 0x8086)");

static ushort device[MIGVER_MAX_PARENTS] = {
	[0 ... MIGVER_LAST] = MIGVER_DEF_DEVICE
};

static unsigned int nr_device;
module_param_array(device, ushort, &nr_device, 0444);
MODULE_PARM_DESC(device, "PCI device id per parent (default 0x591d)");

static char *sw_version[MIGVER_MAX_PARENTS] = {
	[0 ... MIGVER_LAST] = MIGVER_DEF_SW
};

static unsigned int nr_sw_version;
module_param_array(sw_version, charp, &nr_sw_version, 0444);
MODULE_PARM_DESC(sw_version,
		 "Software version per parent, MAJ.MIN.PAT (default 1.2.0)");

/* Elements past nr_accept take the default range (see default_accept()). */
static char *accept[MIGVER_MAX_PARENTS];

static unsigned int nr_accept;
module_param_array(accept, charp, &nr_accept, 0444);
MODULE_PARM_DESC(accept,
		 "Accepted source versions per parent: none or ranges joined by ':' (default MAJ.0.0 up to sw_version)");

static char *format[MIGVER_MAX_PARENTS] = {
	[0 ... MIGVER_LAST] = MIGVER_DEF_FORMAT
};

static unsigned int nr_format;
module_param_array(format, charp, &nr_format, 0444);
MODULE_PARM_DESC(format,
		 "migration_version format per parent: structured or gvt (default structured)");

static unsigned int low_gm_mb = 512;
module_param(low_gm_mb, uint, 0444);
MODULE_PARM_DESC(low_gm_mb, "Low graphics memory per parent, MB (default 512)");

static unsigned int high_gm_mb = 3072;
module_param(high_gm_mb, uint, 0444);
MODULE_PARM_DESC(high_gm_mb,
		 "High graphics memory per parent, MB (default 3072)");

static unsigned int fences = 32;
module_param(fences, uint, 0444);
MODULE_PARM_DESC(fences, "Fence registers per parent (default 32)");

/*
 * Graphics memory (BAR2) of a vGPU = its type's low graphics memory / this.
 * A power of two, so that BAR2 stays one; 128 keeps a default parent's
 * 512 MB at 4 MiB of kernel memory when every page is written.
 */
unsigned int migver_gm_divisor = 128;
module_param_named(gm_divisor, migver_gm_divisor, uint, 0444);
MODULE_PARM_DESC(gm_divisor,
		 "Graphics memory (BAR2) = the type's low graphics memory / this; a power of two 1-16384 (default 128)");

/* Filled by migver_params_load(), read by module init. */
static struct migver_identity identities[MIGVER_MAX_PARENTS];

static char *guest_id = "virtual";
module_param(guest_id, charp, 0444);
MODULE_PARM_DESC(guest_id,
		 "What a guest sees: virtual (default; 1af4:10f0, display controller) or gvt (vendor:device, VGA)");

/*
 * Active checker: read locklessly by every check, replaced atomically.
 * NULL until a value is written means the core's MIGVER_DEFAULT_CHECKER,
 * looked up where it is used: module init never writes this, so it cannot
 * overwrite a value written while init runs (the file exists by then).
 */
static const struct migver_checker *checker_ptr;

static int checker_set(const char *val, const struct kernel_param *kp)
{
	const struct migver_checker *c = migver_checker_find(val);

	if (!c) {
		/* Root-only, but still userspace input: bounded, no echo. */
		pr_err_ratelimited("checker: unknown name; `modinfo -p mdev_migver` lists the checkers\n");
		return -EINVAL;
	}
	WRITE_ONCE(checker_ptr, c);
	return 0;
}

static int checker_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n", migver_active_checker()->name);
}

static const struct kernel_param_ops checker_ops = {
	.set = checker_set,
	.get = checker_get,
};

module_param_cb(checker, &checker_ops, NULL, 0644);
MODULE_PARM_DESC(checker,
		 "Compatibility checker: semver (default), gvt or strict; writable at run time");

const struct migver_checker *migver_active_checker(void)
{
	const struct migver_checker *c = READ_ONCE(checker_ptr);

	/* migver_params_load() made sure that the default exists. */
	return c ?: migver_checker_find(MIGVER_DEFAULT_CHECKER);
}

void migver_params_budget(struct migver_resources *res)
{
	res->low_gm_mb = low_gm_mb;
	res->high_gm_mb = high_gm_mb;
	res->fences = fences;
}

/* ':' joins one parent's ranges on the command line; the core wants ','. */
static int parse_accept(const char *val, struct migver_info *info)
{
	char buf[MIGVER_BUF_SIZE];
	size_t len = strlen(val);

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, len + 1);
	strreplace(buf, ':', ',');
	return migver_parse_ranges(buf, len, info);
}

/*
 * Without accept=, a host accepts sources of its own major version up to
 * its own version: 1.3.0 accepts 1.0.0-1.3.0, 2.0.0 accepts only 2.0.0.
 * So it always accepts its own string, and a newer minor release keeps
 * accepting the older ones of the same major.
 */
static void default_accept(const struct migver_semver *sw,
			   struct migver_info *info)
{
	info->n_accept = 1;
	info->accept[0].lo.major = sw->major;
	info->accept[0].hi = *sw;
}

/* One line for a bad per-parent value: name[i]="<sanitised value>": why */
static int bad_value(const char *name, unsigned int i, const char *val,
		     const char *why)
{
	char safe[MIGVER_LOG_BUF];

	migver_log_safe(val, strlen(val), safe, sizeof(safe));
	pr_err("%s[%u]=\"%s\": %s\n", name, i, safe, why);
	return -EINVAL;
}

static int parse_identity(unsigned int i, enum migver_guest_id guest,
			  struct migver_identity *id)
{
	const char *sw = sw_version[i] ? sw_version[i] : "";
	const char *acc = accept[i] ? accept[i] : "";
	const char *fmt = format[i] ? format[i] : "";

	memset(id, 0, sizeof(*id));
	id->vendor = vendor[i];
	id->device = device[i];
	id->guest = guest;
	if (migver_parse_semver(sw, strlen(sw), &id->sw))
		return bad_value("sw_version", i, sw,
				 "not MAJ.MIN.PAT (decimal, each 0-65535)");
	if (i >= nr_accept)
		default_accept(&id->sw, &id->accept);
	else if (parse_accept(acc, &id->accept))
		return bad_value("accept", i, acc,
				 "not \"none\" or 1-8 ranges V, V-W or V- joined by ':'");
	if (migver_format_from_name(fmt, &id->format))
		return bad_value("format", i, fmt, "must be structured or gvt");
	return 0;
}

/*
 * An accept= that leaves out the parent's own version is allowed (a host
 * may refuse its own kind on purpose; "none" refuses everything and is
 * not warned about), but said once.  Called when every check has passed,
 * so that a refused load still logs its one line only.
 */
static void warn_accept(unsigned int i, const struct migver_identity *id)
{
	const char *acc = accept[i] ? accept[i] : "";
	char safe[MIGVER_LOG_BUF];

	if (i >= nr_accept || !id->accept.n_accept ||
	    migver_accepts(&id->accept, &id->sw))
		return;
	migver_log_safe(acc, strlen(acc), safe, sizeof(safe));
	pr_warn("%s%u: accept=%s does not include its own sw_version=%u.%u.%u: it refuses sources like itself\n",
		MIGVER_NAME, i, safe, id->sw.major, id->sw.minor, id->sw.patch);
}

const struct migver_identity *migver_params_identity(unsigned int index)
{
	return &identities[index];
}

static int check_count(const char *name, unsigned int given)
{
	if (given <= migver_nr_parents)
		return 0;
	pr_err("%s: %u values given but nr_parents=%u\n", name, given,
	       migver_nr_parents);
	return -EINVAL;
}

static int parse_guest_id(enum migver_guest_id *guest)
{
	const char *val = guest_id ? guest_id : "";
	char safe[MIGVER_LOG_BUF];

	if (sysfs_streq(val, "virtual")) {
		*guest = MIGVER_GUEST_VIRTUAL;
	} else if (sysfs_streq(val, "gvt")) {
		*guest = MIGVER_GUEST_GVT;
	} else {
		migver_log_safe(val, strlen(val), safe, sizeof(safe));
		pr_err("guest_id=\"%s\": must be virtual or gvt\n", safe);
		return -EINVAL;
	}
	return 0;
}

/*
 * Every check of every parameter, before anything is registered: the
 * first bad value fails the load with one log line and nothing else.
 */
int migver_params_load(void)
{
	enum migver_guest_id guest;
	struct migver_resources total;
	unsigned int i;
	int ret = 0;

	if (migver_nr_parents < 1 || migver_nr_parents > MIGVER_MAX_PARENTS) {
		pr_err("nr_parents=%u: must be 1-%u\n", migver_nr_parents,
		       MIGVER_MAX_PARENTS);
		return -EINVAL;
	}
	ret = ret ?: check_count("vendor", nr_vendor);
	ret = ret ?: check_count("device", nr_device);
	ret = ret ?: check_count("sw_version", nr_sw_version);
	ret = ret ?: check_count("accept", nr_accept);
	ret = ret ?: check_count("format", nr_format);
	ret = ret ?: parse_guest_id(&guest);
	if (ret)
		return ret;
	if (!low_gm_mb || !high_gm_mb || !fences) {
		pr_err("low_gm_mb, high_gm_mb and fences must be non-zero\n");
		return -EINVAL;
	}
	if (!is_power_of_2(migver_gm_divisor) || migver_gm_divisor > 16384) {
		pr_err("gm_divisor=%u: must be a power of two 1-16384\n",
		       migver_gm_divisor);
		return -EINVAL;
	}
	if (!migver_checker_find(MIGVER_DEFAULT_CHECKER)) {
		pr_err("default checker %s missing\n", MIGVER_DEFAULT_CHECKER);
		return -EINVAL;
	}
	migver_params_budget(&total);
	for (i = 0; i < migver_nr_parents; i++) {
		ret = parse_identity(i, guest, &identities[i]);
		if (ret)
			return ret;
		ret = migver_types_check(i, &identities[i], &total);
		if (ret)
			return ret;
	}
	for (i = 0; i < migver_nr_parents; i++)
		warn_accept(i, &identities[i]);
	return 0;
}
