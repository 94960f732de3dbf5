/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the mdev-migver KUnit suites: the parser case table type and
 * its runner, and a few strings every suite starts from.
 */
#ifndef MIGVER_KUNIT_HELPERS_H
#define MIGVER_KUNIT_HELPERS_H

#include <kunit/test.h>
#include <linux/stddef.h>
#include <migver/check.h>

/*
 * KUNIT_ARRAY_PARAM_DESC (Linux 6.5+) names each parameter of a table
 * after one of its members.  Linux 6.1, which the KUnit lane builds, lacks
 * it: the same macro for that kernel's two-argument generator, walking the
 * table through migver_kunit_array_next().
 */
#ifndef KUNIT_ARRAY_PARAM_DESC
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)                      \
	static const void *name##_gen_params(const void *prev, char *desc)   \
	{                                                                      \
		return migver_kunit_array_next(                                \
			prev, desc, (array), sizeof(typeof((array)[0])),       \
			sizeof(typeof(array)) / sizeof(typeof((array)[0])),    \
			offsetof(typeof((array)[0]), desc_member));            \
	}
#endif

const void *migver_kunit_array_next(const void *prev, char *desc,
				    const void *array, size_t size, size_t n,
				    size_t name_offset);

/* The README's canonical structured example and its gvt counterpart. */
#define ST_API "device_api=vfio-pci"
#define ST_PCI "pci_id=8086:591d"
#define ST_TYPE "type=GVTg_V5_8"
#define ST_AGG "aggregator=1"
#define ST_SW "software_version=1.2.0"
#define ST_ACC "accepted_source_versions=1.0.0-1.2.0"
#define ST_CANON ST_API ";" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC
/* ST_CANON with other software_version / accepted_source_versions values */
#define ST_WITH(sw, acc)                                                 \
	ST_API ";" ST_PCI ";" ST_TYPE ";" ST_AGG ";software_version=" sw \
	       ";accepted_source_versions=" acc
#define GVT_CANON "8086-591d-GVTg_V5_8-01020003"

/*
 * One parser case.  @in is given with its length so that NUL bytes and
 * unterminated buffers can be tested.  For a valid input, @st is the
 * expected structured emission (it carries every fact) and @gvt, if not
 * NULL, the expected gvt emission; an input that cannot be printed in the
 * gvt format has @gvt_err = -ERANGE instead.
 */
struct migver_parse_case {
	const char *name;
	const char *in;
	size_t len;
	int ret;
	const char *st;
	const char *gvt;
	int gvt_err;
};

/* A literal's bytes, without the compiler's terminating NUL. */
#define PARSE_OK(n, s, st_out, gvt_out)                                 \
	{                                                               \
		.name = n, .in = s, .len = sizeof(s) - 1, .st = st_out, \
		.gvt = gvt_out                                          \
	}
/* Valid, but not printable as gvt. */
#define PARSE_OK_NOGVT(n, s, st_out)                                    \
	{                                                               \
		.name = n, .in = s, .len = sizeof(s) - 1, .st = st_out, \
		.gvt_err = -ERANGE                                      \
	}
#define PARSE_BAD(n, s)                                                  \
	{                                                                \
		.name = n, .in = s, .len = sizeof(s) - 1, .ret = -EINVAL \
	}

void migver_kunit_run_parse(struct kunit *test,
			    const struct migver_parse_case *c);

/* Parse a string that the test itself knows to be valid. */
void migver_kunit_parse_valid(struct kunit *test, const char *s,
			      struct migver_info *info);

#endif /* MIGVER_KUNIT_HELPERS_H */
