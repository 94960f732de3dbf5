// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration_version attributes.
 *
 * Read: this side's string and a newline, so `cat SRC > DST` works.
 * Write: a SOURCE string; the byte count if this side can accept a migration
 * from it, else the core's errno (EINVAL malformed, EOPNOTSUPP, ENODEV,
 * EMEDIUMTYPE, ERANGE) and one rate-limited log line with the reason.
 * A write never changes any state.
 *
 * Type level:   /sys/class/mdev_bus/<parent>/mdev_supported_types/<type>/
 * Device level: /sys/bus/mdev/devices/<uuid>/
 *
 * The device-level check does not insist on the same type name: a source
 * type whose per-instance resources times its aggregator equal this
 * device's is treated as the same type.  Parsing and checking are the
 * core's; this file only chooses the target facts and reports.
 */
#include <linux/compiler.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "migver_drv.h"

/*
 * An accepted_source_versions value at its longest: 8 ranges of
 * "65535.65535.65535-65535.65535.65535" and 7 commas, and the NUL.
 */
#define MIGVER_RANGES_BUF (MIGVER_MAX_RANGES * 36)

/*
 * Printable, bounded copy of a user string for the log: bytes outside
 * printable ASCII become '?', one trailing newline is dropped, and past
 * MIGVER_LOG_MAX bytes it ends in "...".  The kernel's isprint() accepts
 * Latin-1 bytes 0xa0-0xff, so ASCII is required too.  @size is
 * MIGVER_LOG_BUF for the full MIGVER_LOG_MAX bytes.
 */
void migver_log_safe(const char *buf, size_t len, char *out, size_t size)
{
	size_t i, n;

	if (len && buf[len - 1] == '\n')
		len--;
	n = min(len, size - 4);
	for (i = 0; i < n; i++)
		out[i] = isascii(buf[i]) && isprint(buf[i]) ? buf[i] : '?';
	if (n < len)
		strscpy(out + n, "...", size - n);
	else
		out[n] = '\0';
}

/* The line report() lets through; its buffers exist only while it prints. */
static noinline_for_stack void
report_line(struct device *dev, const char *where, const char *what,
	    const struct migver_checker *checker, const char *buf, size_t len,
	    enum migver_reason reason, const char *why,
	    const struct migver_info *src, const struct migver_info *dst)
{
	char safe[MIGVER_LOG_BUF];
	char acc[MIGVER_RANGES_BUF];

	migver_log_safe(buf, len, safe, sizeof(safe));
	if (reason == MIGVER_REASON_FORMAT || !src) {
		dev_notice(dev,
			   "%s %s: refused source \"%s\": %s (%s): %s\n",
			   where, what, safe, migver_reason_name(reason),
			   checker->name, why ? why : "malformed");
		return;
	}
	if (migver_emit_ranges(dst, acc, sizeof(acc)) < 0)
		strscpy(acc, "?", sizeof(acc));
	dev_notice(dev,
		   "%s %s: refused source \"%s\": %s (%s): source %s %04x:%04x %s x%u %u.%u.%u, target %s %04x:%04x %s x%u accepts %s\n",
		   where, what, safe, migver_reason_name(reason), checker->name,
		   src->device_api, src->vendor, src->device, src->type,
		   src->aggregator, src->sw.major, src->sw.minor,
		   src->sw.patch, dst->device_api, dst->vendor, dst->device,
		   dst->type, dst->aggregator, acc);
}

/*
 * One rate-limited line per refusal: where, the source (sanitised), the
 * reason class and the active checker, then either the parser's detail or
 * both sides' facts.  The rate limit is asked first: a refusal whose line
 * is dropped formats nothing.
 */
static void report(struct device *dev, const char *where, const char *what,
		   const struct migver_checker *checker, const char *buf,
		   size_t len, enum migver_reason reason, const char *why,
		   const struct migver_info *src, const struct migver_info *dst)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);

	if (__ratelimit(&rs))
		report_line(dev, where, what, checker, buf, len, reason, why,
			    src, dst);
}

/*
 * Parse @buf as a SOURCE string and check it against @mt's facts, logging
 * one line on refusal ("<where> <what>: refused source ...").  With
 * @by_resources (device level) a source type whose resources times its
 * aggregator equal @mt's counts as @mt's type.  Both attributes and the
 * migration stream's version record (migration.c) come here, so the
 * attribute and the stream always give the same verdict and errno.
 */
ssize_t migver_version_check(struct device *dev, const char *where,
			     const char *what, const struct migver_type *mt,
			     bool by_resources, const char *buf, size_t count)
{
	const struct migver_checker *checker = migver_active_checker();
	enum migver_reason reason = MIGVER_REASON_FORMAT;
	const struct migver_info *dst = &mt->info;
	struct migver_info src, equivalent;
	const char *why = NULL;
	int ret;

	ret = migver_parse(buf, count, &src, &why);
	if (!ret) {
		/*
		 * Only a device-level check of an equivalent type needs a
		 * target of its own (the source's name and aggregator); the
		 * common case compares against the type's facts in place.
		 */
		if (by_resources &&
		    migver_type_equivalent(mt, src.type, src.aggregator)) {
			equivalent = mt->info;
			memcpy(equivalent.type, src.type, sizeof(equivalent.type));
			equivalent.aggregator = src.aggregator;
			dst = &equivalent;
		}
		ret = migver_check(checker, &src, dst, &reason);
	}
	if (ret) {
		report(dev, where, what, checker, buf, count, reason, why, &src,
		       dst);
		return ret;
	}
	return count;
}

/* ---- type level ---------------------------------------------------------- */

static ssize_t type_version_show(struct mdev_type *mtype,
				 struct mdev_type_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_migver_type(mtype)->version);
}

static ssize_t type_version_store(struct mdev_type *mtype,
				  struct mdev_type_attribute *attr,
				  const char *buf, size_t count)
{
	struct migver_type *mt = to_migver_type(mtype);

	return migver_version_check(mt->parent->host, mt->sysfs_name,
				    "migration_version", mt, false, buf, count);
}

static struct mdev_type_attribute migver_type_attr_version =
	__ATTR(migration_version, 0644, type_version_show, type_version_store);

/*
 * The mdev core calls our ->show/->store through its own, private struct
 * mdev_type_attribute (drivers/vfio/mdev/mdev_sysfs.c), of which ours is a
 * copy that no header probe can compare.  Before trusting the copy, look at
 * the core's own attributes of a type through it: each read-only (0444)
 * one must have ->show and no ->store, each write-only (0200) one (create)
 * ->store and no ->show.  A field added in front of the two pointers, or
 * the two swapped, breaks that pattern.  This only reads pointers, never
 * calls one.  It cannot see a changed signature or a field added after
 * ->store (README.md, Supported kernels).
 */
static bool mdev_type_attr_layout_ok(const struct kobject *kobj)
{
	const struct attribute_group **grp;
	unsigned int ro = 0, wo = 0;

	if (!kobj->ktype || !kobj->ktype->sysfs_ops ||
	    !kobj->ktype->default_groups)
		return false;
	for (grp = kobj->ktype->default_groups; *grp; grp++) {
		struct attribute **attr;

		for (attr = (*grp)->attrs; attr && *attr; attr++) {
			const struct mdev_type_attribute *a;

			a = container_of(*attr, struct mdev_type_attribute,
					 attr);
			switch ((*attr)->mode & 0777) {
			case 0444:
				if (!a->show || a->store)
					return false;
				ro++;
				break;
			case 0200:
				if (a->show || !a->store)
					return false;
				wo++;
				break;
			}
		}
	}
	return ro && wo;
}

int migver_type_attrs_add(struct migver_parent *parent)
{
	unsigned int i;
	int ret;

	if (parent->nr_types &&
	    !mdev_type_attr_layout_ok(&parent->types[0].type.kobj)) {
		dev_warn(parent->host,
			 "the mdev core's struct mdev_type_attribute is not laid out as this module expects: no type-level migration_version (device level unaffected)\n");
		return 0;
	}
	for (i = 0; i < parent->nr_types; i++) {
		struct migver_type *mt = &parent->types[i];

		ret = migver_fault("type-attr") ?:
		      sysfs_create_file(&mt->type.kobj,
					&migver_type_attr_version.attr);
		if (ret) {
			migver_type_attrs_remove(parent);
			return ret;
		}
		mt->attr_created = true;
		/* MDEV_STATE=registered came before the file existed. */
		kobject_uevent(&mt->type.kobj, KOBJ_CHANGE);
	}
	return 0;
}

void migver_type_attrs_remove(struct migver_parent *parent)
{
	unsigned int i;

	for (i = 0; i < parent->nr_types; i++) {
		struct migver_type *mt = &parent->types[i];

		if (!mt->attr_created)
			continue;
		sysfs_remove_file(&mt->type.kobj,
				  &migver_type_attr_version.attr);
		mt->attr_created = false;
	}
}

/* ---- device level -------------------------------------------------------- */

static ssize_t migration_version_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", migver_mdev_type(dev)->version);
}

static ssize_t migration_version_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t count)
{
	return migver_version_check(dev, "device", "migration_version",
				    migver_mdev_type(dev), true, buf, count);
}

static DEVICE_ATTR_RW(migration_version);

static struct attribute *migver_mdev_attrs[] = {
	&dev_attr_migration_version.attr,
	NULL,
};

static const struct attribute_group migver_mdev_group = {
	.attrs = migver_mdev_attrs,
};

const struct attribute_group *migver_mdev_groups[] = {
	&migver_mdev_group,
	NULL,
};
