// SPDX-License-Identifier: GPL-2.0-only
/*
 * Files: bounded reads, sysfs attributes, paths under --sysfs-root, and
 * what only the module's parameters know about a parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migver.h"

const char *sysfs_root = "";

char *root_path(const char *fmt, ...)
{
	char *rel = NULL, *p = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&rel, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if (asprintf(&p, "%s%s", sysfs_root, rel) < 0)
		p = NULL;
	free(rel);
	return p;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (!r)
			break;
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	if (fd)
		close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	r = errno;
	free(buf);
	if (fd)
		close(fd);
	errno = (int)r;
	return NULL;
}

char *read_attr(const char *dir, const char *name)
{
	char *path, *s;
	size_t n;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	s = read_file(path, SOURCE_MAX, &n);
	free(path);
	if (s && n && s[n - 1] == '\n')
		s[n - 1] = '\0';
	return s;
}

bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

char *active_checker(void)
{
	char *dir = root_path("/sys/module/mdev_migver/parameters");
	char *c = dir ? read_attr(dir, "checker") : NULL;

	free(dir);
	return c;
}

/* Element @i of a comma-separated parameter array, malloc'd; NULL if none. */
static char *param_elem(const char *name, unsigned int i)
{
	char *dir = root_path("/sys/module/mdev_migver/parameters");
	char *all = dir ? read_attr(dir, name) : NULL;
	char *tok, *save = NULL, *ret = NULL;

	free(dir);
	if (!all)
		return NULL;
	for (tok = strtok_r(all, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!i--) {
			ret = strdup(tok);
			break;
		}
	}
	free(all);
	return ret;
}

/*
 * A gvt string carries no accepted list; the module's parent migver<N>
 * takes it from accept[N] (ranges joined by ':'), or when that is unset
 * from MAJ.0.0 up to its own version (src/driver/params.c,
 * default_accept()).  Only parents of this module's own class are known.
 */
char *param_accept(const char *parent, const struct migver_info *info)
{
	char *cls, *acc, *p;
	unsigned int n;
	char extra;

	if (info->format != MIGVER_FMT_GVT ||
	    sscanf(parent, "migver%u%c", &n, &extra) != 1)
		return NULL;
	cls = root_path("/sys/class/migver/%s", parent);
	if (!cls || !is_dir(cls)) {
		free(cls);
		return NULL;
	}
	free(cls);
	acc = param_elem("accept", n);
	if (acc) {
		for (p = acc; *p; p++)
			if (*p == ':')
				*p = ',';
		return acc;
	}
	if (asprintf(&acc, "%u.0.0-%u.%u.%u", info->sw.major, info->sw.major,
		     info->sw.minor, info->sw.patch) < 0)
		return NULL;
	return acc;
}
