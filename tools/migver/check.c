// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver check` (the kernel decides: SOURCE's string written into the
 * TARGET's migration_version) and `migver explain` (the same core and
 * checker table decide offline), and what both share: reading a SOURCE,
 * resolving a TARGET, and printing a verdict.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migver.h"

/* An argument naming a file or directory rather than a string. */
static bool looks_like_path(const char *arg)
{
	return arg[0] == '/' || !strncmp(arg, "./", 2) ||
	       !strncmp(arg, "../", 3);
}

/* A /sys path given on the command line, under --sysfs-root. */
static char *user_path(const char *arg)
{
	if (*sysfs_root && !strncmp(arg, "/sys/", 5))
		return root_path("%s", arg);
	return strdup(arg);
}

/*
 * PARENT/TYPE or a device's uuid, when that directory exists (neither is a
 * valid migration_version string: no '/', and a uuid has five fields).
 */
static char *short_name(const char *arg)
{
	const char *slash = strchr(arg, '/');
	char *dir;

	if (slash && !strchr(slash + 1, '/'))
		dir = root_path("/sys/class/mdev_bus/%.*s/mdev_supported_types/%s",
				(int)(slash - arg), arg, slash + 1);
	else if (!slash && *arg)
		dir = root_path("/sys/bus/mdev/devices/%s", arg);
	else
		return NULL;
	if (dir && is_dir(dir))
		return dir;
	free(dir);
	return NULL;
}

int source_load(const char *arg, struct side *s)
{
	char *path = NULL, *file = NULL;

	memset(s, 0, sizeof(*s));
	if (!strcmp(arg, "-")) {
		file = strdup("-");
	} else if (looks_like_path(arg)) {
		path = user_path(arg);
		if (path && is_dir(path)) {
			if (asprintf(&file, "%s/migration_version", path) < 0)
				file = NULL;
			if (file && access(file, F_OK)) {
				err("%s: not an mdev type or device (no migration_version)",
				    arg);
				goto fail;
			}
		} else {
			file = path ? strdup(path) : NULL;
		}
	} else if ((path = short_name(arg))) {
		if (asprintf(&file, "%s/migration_version", path) < 0)
			file = NULL;
	} else {
		s->origin = strdup("string");
		s->buf = strdup(arg);
		s->len = strlen(arg);
		if (!s->origin || !s->buf)
			goto nomem;
		side_parse(s);
		return 0;
	}
	if (!file)
		goto nomem;
	s->buf = read_file(file, SOURCE_MAX, &s->len);
	if (!s->buf) {
		if (errno == EFBIG)
			err("%s: larger than %d bytes, not a migration_version string",
			    arg, SOURCE_MAX);
		else
			err("%s: %s", arg, strerror(errno));
		goto fail;
	}
	s->origin = strdup(arg);
	if (!s->origin)
		goto nomem;
	free(path);
	free(file);
	side_parse(s);
	return 0;
nomem:
	err("out of memory");
fail:
	free(path);
	free(file);
	side_free(s);
	return -1;
}

char *target_dir(const char *arg)
{
	char *dir, *attr = NULL, *slash;

	if (looks_like_path(arg)) {
		dir = user_path(arg);
		/* the attribute itself names its directory */
		if (dir && !is_dir(dir) && (slash = strrchr(dir, '/')) &&
		    !strcmp(slash, "/migration_version"))
			*slash = '\0';
	} else if ((slash = strchr(arg, '/')) && !strchr(slash + 1, '/')) {
		dir = root_path("/sys/class/mdev_bus/%.*s/mdev_supported_types/%s",
				(int)(slash - arg), arg, slash + 1);
	} else if (!slash && *arg) {
		dir = root_path("/sys/bus/mdev/devices/%s", arg);
	} else {
		err("%s: TARGET is a sysfs directory, PARENT/TYPE or a device's uuid",
		    arg);
		return NULL;
	}
	if (!dir) {
		err("out of memory");
		return NULL;
	}
	if (!is_dir(dir)) {
		err("%s: no such mdev type or device (%s)", arg, dir);
		goto fail;
	}
	if (asprintf(&attr, "%s/migration_version", dir) < 0)
		attr = NULL;
	if (!attr || access(attr, F_OK)) {
		err("%s: not an mdev type or device with migration_version", arg);
		goto fail;
	}
	free(attr);
	return dir;
fail:
	free(attr);
	free(dir);
	return NULL;
}

/* The parent's name of a type or device directory, malloc'd. */
static char *parent_of(const char *dir)
{
	char *up, real[PATH_MAX], *name = NULL;
	bool device;

	if (asprintf(&up, "%s/mdev_type", dir) < 0)
		return NULL;
	device = !access(up, F_OK);
	free(up);
	if (asprintf(&up, device ? "%s/.." : "%s/../..", dir) < 0)
		return NULL;
	if (realpath(up, real))
		name = strdup(basename(real));
	free(up);
	return name;
}

/*
 * Device level only: the driver counts a source type as this device's own
 * when its per-instance graphics memory times the source's aggregator
 * equals this device's (README.md, "Checking migration compatibility").
 * The types and sizes are the parent's sysfs descriptions.
 */
static bool gm_sizes(const char *typedir, unsigned long *low,
		     unsigned long *high)
{
	char *d = read_attr(typedir, "description");
	char *l, *h;
	bool ok;

	if (!d)
		return false;
	l = strstr(d, "low_gm_size: ");
	h = strstr(d, "high_gm_size: ");
	ok = l && h && sscanf(l, "low_gm_size: %luMB", low) == 1 &&
	     sscanf(h, "high_gm_size: %luMB", high) == 1;
	free(d);
	return ok;
}

static bool device_equivalent(const char *devdir, const struct migver_info *src)
{
	unsigned long ml, mh, tl, th;
	char *mine = NULL, *types = NULL, *theirs = NULL, *name;
	struct dirent *e;
	bool eq = false;
	DIR *d = NULL;

	if (asprintf(&mine, "%s/mdev_type", devdir) < 0)
		return false;
	if (access(mine, F_OK) || !gm_sizes(mine, &ml, &mh))
		goto out;
	if (asprintf(&types, "%s/..", mine) < 0) {
		types = NULL;
		goto out;
	}
	d = opendir(types);
	if (!d)
		goto out;
	/* the type of the source's name among this device's parent's types */
	while (!eq && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    asprintf(&theirs, "%s/%s", types, e->d_name) < 0)
			continue;
		name = read_attr(theirs, "name");
		if (name && !strcmp(name, src->type) &&
		    gm_sizes(theirs, &tl, &th))
			eq = tl * src->aggregator == ml &&
			     th * src->aggregator == mh;
		free(name);
		free(theirs);
	}
out:
	if (d)
		closedir(d);
	free(mine);
	free(types);
	return eq;
}

static enum migver_reason offline_verdict(const struct migver_checker *checker,
					  const struct side *src,
					  const struct migver_info *dst)
{
	enum migver_reason reason = MIGVER_REASON_FORMAT;

	if (!src->parse_err)
		migver_check(checker, &src->info, dst, &reason);
	return reason;
}

static void print_verdict(enum migver_reason reason, const char *checker,
			  const char *who, json_t *diffs, const struct side *src)
{
	if (reason == MIGVER_COMPATIBLE) {
		printf("compatible (checker %s, decided by %s)\n", checker, who);
		return;
	}
	printf("not compatible: %s (%s; checker %s, decided by %s)\n",
	       migver_reason_name(reason), reason_errno_name(reason), checker,
	       who);
	if (reason == MIGVER_REASON_FORMAT) {
		printf("  source string malformed: %s\n",
		       src->why ? src->why : "malformed");
		return;
	}
	print_differences(diffs);
}

static json_t *verdict_json(const char *command, enum migver_reason reason,
			    const char *checker, const char *who)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:s, s:i, s:s?, s:s}",
			 "schema", MIGVER_SCHEMA, "command", command,
			 "compatible", reason == MIGVER_COMPATIBLE,
			 "reason", migver_reason_name(reason),
			 "errno", reason_errno_name(reason),
			 "exit_status", verdict_exit(reason),
			 "checker", checker, "decided_by", who);
}

/* Apply RANGES (a-b,c-,... or none) as the target's accepted list. */
static int set_accept(struct migver_info *info, const char *ranges)
{
	struct migver_info tmp = *info;

	if (migver_parse_ranges(ranges, strlen(ranges), &tmp))
		return -1;
	info->n_accept = tmp.n_accept;
	memcpy(info->accept, tmp.accept, sizeof(info->accept));
	return 0;
}

/* Ask the kernel; *reason on a verdict, else an error was printed. */
static int kernel_verdict(const char *tdir, const struct side *src,
			  enum migver_reason *reason)
{
	char *attr;
	ssize_t r;
	int fd, e;

	if (asprintf(&attr, "%s/migration_version", tdir) < 0)
		return -1;
	fd = open(attr, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err("%s: %s", attr, strerror(errno));
		free(attr);
		return -1;
	}
	r = write(fd, src->buf, src->len);
	e = errno;
	close(fd);
	if (r == (ssize_t)src->len) {
		*reason = MIGVER_COMPATIBLE;
	} else if (r >= 0) {
		err("%s: short write (%zd of %zu bytes)", attr, r, src->len);
		free(attr);
		return -1;
	} else if (reason_from_errno(e, reason)) {
		err("%s: %s (not a verdict of the errno table)", attr,
		    strerror(e));
		free(attr);
		return -1;
	}
	free(attr);
	return 0;
}

/*
 * TARGET's facts from its directory: its string, and the accepted list the
 * string cannot carry (gvt format) from the module's parameters.
 */
static int target_load(const char *tdir, struct side *tgt, char **parent,
		       char **acc)
{
	*parent = NULL;
	*acc = NULL;
	if (source_load(tdir, tgt))
		return -1;
	*parent = parent_of(tdir);
	if (!tgt->parse_err && *parent) {
		*acc = param_accept(*parent, &tgt->info);
		if (*acc && set_accept(&tgt->info, *acc)) {
			free(*acc);
			*acc = NULL;
		}
	}
	return 0;
}

/* What the driver compares @src with: a device may count another type. */
static void effective_target(const char *tdir, const struct side *src,
			     const struct side *tgt, struct migver_info *dst)
{
	*dst = tgt->info;
	if (tdir && !src->parse_err && strcmp(src->info.type, dst->type) &&
	    device_equivalent(tdir, &src->info)) {
		memcpy(dst->type, src->info.type, sizeof(dst->type));
		dst->aggregator = src->info.aggregator;
	}
}

static json_t *target_json(const struct side *tgt, const char *parent,
			   const char *acc)
{
	json_t *t = side_json(tgt);

	json_object_set_new(t, "parent", parent ? json_string(parent) : json_null());
	if (acc)
		json_object_set_new(t, "accepted_from", json_string("module parameters"));
	return t;
}

/*
 * The verdict on @src for the type or device directory @tdir and the
 * fields that differ, for a caller that prints them its own way (the
 * mdevctl callout): from the kernel, or offline with @checker when it is
 * not NULL.  0, or EXIT_ERROR after one error line.
 */
int verdict_for(const char *tdir, struct side *src,
		const struct migver_checker *checker,
		enum migver_reason *reason, json_t **diffs)
{
	char *parent = NULL, *acc = NULL;
	struct side tgt = { 0 };
	struct migver_info dst;
	int ret = EXIT_ERROR;

	*diffs = NULL;
	if (!src->len) {
		err("the source string is empty (an empty write checks nothing)");
		return EXIT_ERROR;
	}
	if (target_load(tdir, &tgt, &parent, &acc))
		goto out;
	if (checker && tgt.parse_err) {
		err("%s: the target's own migration_version is malformed: %s",
		    tdir, tgt.why ? tgt.why : "?");
		goto out;
	}
	if (!tgt.parse_err)
		effective_target(tdir, src, &tgt, &dst);
	if (checker)
		*reason = offline_verdict(checker, src, &dst);
	else if (kernel_verdict(tdir, src, reason))
		goto out;
	*diffs = src->parse_err || tgt.parse_err ? json_array() :
						   differences(&src->info, &dst);
	ret = *diffs ? 0 : EXIT_ERROR;
	if (ret)
		err("out of memory");
out:
	side_free(&tgt);
	free(parent);
	free(acc);
	return ret;
}

int check_against(const struct opts *o, struct side *src, const char *target,
		  const char *command, json_t *extra)
{
	const struct migver_checker *checker = NULL;
	enum migver_reason reason, offline = MIGVER_REASON_COUNT;
	char *tdir, *cname = NULL, *parent = NULL, *acc = NULL;
	struct side tgt = { 0 };
	struct migver_info dst;
	json_t *diffs = NULL;
	int ret = EXIT_ERROR;

	if (!src->len) {
		err("the source string is empty (an empty write checks nothing)");
		return EXIT_ERROR;
	}
	tdir = target_dir(target);
	if (!tdir)
		return EXIT_ERROR;
	if (target_load(tdir, &tgt, &parent, &acc))
		goto out;
	if (kernel_verdict(tdir, src, &reason))
		goto out;

	/* The same question offline, and the differences, from the core. */
	cname = active_checker();
	checker = cname ? migver_checker_find(cname) : NULL;
	if (!tgt.parse_err) {
		effective_target(tdir, src, &tgt, &dst);
		if (checker)
			offline = offline_verdict(checker, src, &dst);
	}
	diffs = src->parse_err || tgt.parse_err ? json_array() :
						  differences(&src->info, &dst);
	ret = verdict_exit(reason);

	if (o->json) {
		json_t *doc = verdict_json(command, reason, cname, "kernel");

		json_object_set_new(doc, "source", side_json(src));
		json_object_set_new(doc, "target", target_json(&tgt, parent, acc));
		json_object_set_new(doc, "differences", json_incref(diffs));
		json_object_set_new(doc, "offline",
				    offline == MIGVER_REASON_COUNT ? json_null() :
				    json_pack("{s:s, s:b}", "reason",
					      migver_reason_name(offline),
					      "agrees", offline == reason));
		if (extra)
			json_object_update(doc, extra);
		if (json_print(doc))
			ret = EXIT_ERROR;
	} else {
		print_verdict(reason, cname ? cname : "?", "the kernel", diffs, src);
		if (offline != MIGVER_REASON_COUNT && offline != reason)
			printf("  note: offline, the core says %s\n",
			       migver_reason_name(offline));
		if (fflush(stdout))
			ret = EXIT_ERROR;
	}
out:
	json_decref(diffs);
	side_free(&tgt);
	free(tdir);
	free(cname);
	free(parent);
	free(acc);
	return ret;
}

int cmd_check(const struct opts *o, const char *source, const char *target)
{
	struct side src;
	int ret;

	if (source_load(source, &src))
		return EXIT_ERROR;
	ret = check_against(o, &src, target, "check", NULL);
	side_free(&src);
	return ret;
}

int cmd_explain(const struct opts *o, const char *source, const char *target)
{
	const struct migver_checker *checker = find_checker(o->checker);
	char *tdir = NULL, *parent = NULL, *acc = NULL;
	struct side src, tgt = { 0 };
	struct migver_info dst;
	enum migver_reason reason;
	json_t *diffs;
	int ret = EXIT_ERROR;

	if (!checker)
		return EXIT_ERROR;
	if (source_load(source, &src))
		return EXIT_ERROR;
	/* a sysfs target: its facts as check sees them; else a string */
	tdir = short_name(target);
	if (tdir || looks_like_path(target)) {
		if (!tdir)
			tdir = target_dir(target);
		if (!tdir || target_load(tdir, &tgt, &parent, &acc))
			goto out;
	} else if (source_load(target, &tgt)) {
		goto out;
	}
	if (tgt.parse_err) {
		err("TARGET-STRING is malformed: %s", tgt.why ? tgt.why : "?");
		goto out;
	}
	if (o->accept && set_accept(&tgt.info, o->accept)) {
		err("--accept %s: not an accepted_source_versions value (none, or ranges such as 1.0.0-1.2.0,2.0.0-)",
		    o->accept);
		goto out;
	}
	effective_target(tdir, &src, &tgt, &dst);
	reason = offline_verdict(checker, &src, &dst);
	diffs = src.parse_err ? json_array() : differences(&src.info, &dst);
	ret = verdict_exit(reason);
	if (o->json) {
		json_t *doc = verdict_json("explain", reason, checker->name, "offline");

		json_object_set_new(doc, "source", side_json(&src));
		json_object_set_new(doc, "target", target_json(&tgt, parent, acc));
		json_object_set_new(doc, "differences", diffs);
		if (json_print(doc))
			ret = EXIT_ERROR;
	} else {
		print_verdict(reason, checker->name, "the core, offline", diffs, &src);
		json_decref(diffs);
		if (fflush(stdout))
			ret = EXIT_ERROR;
	}
out:
	side_free(&src);
	side_free(&tgt);
	free(tdir);
	free(parent);
	free(acc);
	return ret;
}
