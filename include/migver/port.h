/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The version-string core builds both inside the kernel module and as plain
 * userspace C (fuzzers, benchmarks, a future command-line tool).  This header
 * is the only place that knows the difference: in the kernel it pulls in the
 * real helpers, in userspace it maps the handful the core uses onto libc.
 */
#ifndef MIGVER_PORT_H
#define MIGVER_PORT_H

#ifdef __KERNEL__

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#else /* userspace */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The kernel's __always_inline and noinline (compiler_types.h): glibc's
 * <sys/cdefs.h>, included above, has both under these names; elsewhere
 * they are only hints.
 */
#ifndef __always_inline
#define __always_inline inline
#endif
#ifdef __attribute_noinline__
#define noinline __attribute_noinline__
#else
#define noinline
#endif

#ifndef EOPNOTSUPP
#define EOPNOTSUPP ENOTSUP
#endif

/*
 * Same contract as the kernel's: returns the bytes written, never more.
 * Format strings are checked by the kernel build, which sees __printf.
 */
static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	if (!size)
		return 0;
	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)(size - 1) : n;
}

/* lib/string.c: equal, ignoring one trailing newline on either side. */
static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

#endif /* __KERNEL__ */

#endif /* MIGVER_PORT_H */
