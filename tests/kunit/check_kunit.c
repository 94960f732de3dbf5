// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the compatibility checkers (README.md, "Compatibility checkers"
 * and "errno table"; include/migver/check.h).  The matrix runs every
 * checker against every reason class with sources and targets of both
 * formats, and asserts both the errno and the reason.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <migver/check.h>

#include "helpers.h"

/* the README's errno table, written out independently of the code */
static int table_errno(enum migver_reason reason)
{
	switch (reason) {
	case MIGVER_COMPATIBLE:
		return 0;
	case MIGVER_REASON_FORMAT:
		return -EINVAL;
	case MIGVER_REASON_UNSUPPORTED:
		return -EOPNOTSUPP;
	case MIGVER_REASON_HARDWARE:
		return -ENODEV;
	case MIGVER_REASON_TYPE:
		return -EMEDIUMTYPE;
	default:
		return -ERANGE;
	}
}

/* targets: ST_CANON has sw 1.2.0 and accepts 1.0.0-1.2.0 */
#define T_NONE ST_WITH("1.2.0", "none")
#define T_OPEN ST_WITH("1.2.0", "1.0.0-")
#define T_MULTI ST_WITH("1.2.0", "1.0.0-1.2.0,2.0.0-3.0.0")
#define T_AGG2 ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=2;" ST_SW ";" ST_ACC
#define T_CCW                                                          \
	"device_api=vfio-ccw;" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW \
	";" ST_ACC
#define G120 "8086-591d-GVTg_V5_8-01020000"

/* structured sources: ST_CANON with one field changed */
#define S_SW(v) ST_WITH(v, "1.0.0-1.2.0")
#define S_API(v) \
	"device_api=" v ";" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC
#define S_PCI(v) ST_API ";pci_id=" v ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC
#define S_TYPE(v) ST_API ";" ST_PCI ";type=" v ";" ST_AGG ";" ST_SW ";" ST_ACC
#define S_AGG2 T_AGG2
/* ST_CANON, not canonical: reordered, an unknown field, upper hex, LF */
#define S_NONCANON                                                     \
	ST_ACC ";x_y=1;" ST_TYPE ";pci_id=8086:591D;" ST_AGG ";" ST_SW \
	       ";" ST_API "\n"
#define S_HW_TYPE_SW                                                  \
	"device_api=vfio-pci;pci_id=1234:591d;type=GVTg_V5_4;" ST_AGG \
	";software_version=9.0.0;" ST_ACC
#define S_TYPE_SW                                   \
	ST_API ";" ST_PCI ";type=GVTg_V5_4;" ST_AGG \
	       ";software_version=9.0.0;" ST_ACC

struct chk_case {
	const char *name;
	const char *checker;
	const char *src;
	const char *dst;
	enum migver_reason reason;
};

#define OK MIGVER_COMPATIBLE
#define FMT MIGVER_REASON_FORMAT
#define UNSUP MIGVER_REASON_UNSUPPORTED
#define HW MIGVER_REASON_HARDWARE
#define TYPE MIGVER_REASON_TYPE
#define SW MIGVER_REASON_SOFTWARE
#define CHK(ck, n, s, d, r)                                               \
	{                                                                 \
		.name = n, .checker = ck, .src = s, .dst = d, .reason = r \
	}

static const struct chk_case chk_cases[] = {
	/* semver: hardware, type and aggregator equal; sw in a range */
	CHK("semver", "st-identical", ST_CANON, ST_CANON, OK),
	CHK("semver", "st-noncanonical", S_NONCANON, ST_CANON, OK),
	CHK("semver", "st-sw-range-low-end", S_SW("1.0.0"), ST_CANON, OK),
	CHK("semver", "st-sw-inside", S_SW("1.1.5"), ST_CANON, OK),
	CHK("semver", "st-sw-newer", S_SW("1.2.1"), ST_CANON, SW),
	CHK("semver", "st-sw-older", S_SW("0.9.9"), ST_CANON, SW),
	CHK("semver", "st-src-accept-ignored", T_NONE, ST_CANON, OK),
	CHK("semver", "st-dst-none", ST_CANON, T_NONE, UNSUP),
	CHK("semver", "st-dst-none-beats-hw", S_HW_TYPE_SW, T_NONE, UNSUP),
	CHK("semver", "st-device-api", S_API("vfio-ccw"), ST_CANON, HW),
	CHK("semver", "st-vendor", S_PCI("1234:591d"), ST_CANON, HW),
	CHK("semver", "st-device", S_PCI("8086:5912"), ST_CANON, HW),
	CHK("semver", "st-type", S_TYPE("GVTg_V5_4"), ST_CANON, TYPE),
	CHK("semver", "st-type-case", S_TYPE("gvtg_v5_8"), ST_CANON, TYPE),
	CHK("semver", "st-aggregator", S_AGG2, ST_CANON, TYPE),
	CHK("semver", "st-hw-beats-type-sw", S_HW_TYPE_SW, ST_CANON, HW),
	CHK("semver", "st-type-beats-sw", S_TYPE_SW, ST_CANON, TYPE),
	CHK("semver", "st-open-range", S_SW("65535.0.0"), T_OPEN, OK),
	CHK("semver", "st-open-range-below", S_SW("0.9.0"), T_OPEN, SW),
	CHK("semver", "st-second-range", S_SW("2.5.0"), T_MULTI, OK),
	CHK("semver", "st-range-upper-bound", S_SW("3.0.0"), T_MULTI, OK),
	CHK("semver", "st-between-ranges", S_SW("1.5.0"), T_MULTI, SW),
	CHK("semver", "st-format", ST_API, ST_CANON, FMT),
	CHK("semver", "st-format-empty", "", ST_CANON, FMT),
	CHK("semver", "st-format-beats-none", "x", T_NONE, FMT),
	CHK("semver", "gvt-to-st", G120, ST_CANON, OK),
	CHK("semver", "gvt-to-st-inside", "8086-591d-GVTg_V5_8-01010005",
	    ST_CANON, OK),
	CHK("semver", "gvt-to-st-newer", "8086-591d-GVTg_V5_8-01030000",
	    ST_CANON, SW),
	CHK("semver", "gvt-to-st-vendor", "1234-591d-GVTg_V5_8-01020000",
	    ST_CANON, HW),
	CHK("semver", "gvt-to-st-type", "8086-591d-GVTg_V5_4-01020000",
	    ST_CANON, TYPE),
	CHK("semver", "gvt-to-st-aggregator", G120, T_AGG2, TYPE),
	CHK("semver", "gvt-to-st-device-api", G120, T_CCW, HW),
	CHK("semver", "gvt-to-st-none", G120, T_NONE, UNSUP),
	CHK("semver", "st-to-gvt", ST_CANON, G120, OK),
	CHK("semver", "st-to-gvt-older", S_SW("1.1.0"), G120, SW),
	CHK("semver", "st-to-gvt-aggregator", S_AGG2, G120, TYPE),
	CHK("semver", "st-to-gvt-device-api", S_API("vfio-ccw"), G120, HW),
	CHK("semver", "gvt-to-gvt", G120, G120, OK),
	CHK("semver", "gvt-to-gvt-sw", "8086-591d-GVTg_V5_8-01020001", G120,
	    SW),
	CHK("semver", "gvt-to-gvt-device", "8086-5912-GVTg_V5_8-01020000", G120,
	    HW),
	CHK("semver", "gvt-format", "8086-591d-GVTg_V5_8-0102000", G120, FMT),

	/* gvt: hardware and type as every checker; software versions equal */
	CHK("gvt", "st-identical", ST_CANON, ST_CANON, OK),
	CHK("gvt", "st-noncanonical", S_NONCANON, ST_CANON, OK),
	CHK("gvt", "st-sw-in-range-not-equal", S_SW("1.1.0"), ST_CANON, SW),
	CHK("gvt", "st-sw-newer", S_SW("1.2.1"), ST_CANON, SW),
	CHK("gvt", "st-accept-not-compared", T_OPEN, ST_CANON, OK),
	CHK("gvt", "st-device-api", S_API("vfio-ccw"), ST_CANON, HW),
	CHK("gvt", "st-aggregator", S_AGG2, ST_CANON, TYPE),
	CHK("gvt", "st-dst-none", ST_CANON, T_NONE, UNSUP),
	CHK("gvt", "st-dst-none-beats-hw", S_HW_TYPE_SW, T_NONE, UNSUP),
	CHK("gvt", "st-vendor", S_PCI("1234:591d"), ST_CANON, HW),
	CHK("gvt", "st-device", S_PCI("8086:5912"), ST_CANON, HW),
	CHK("gvt", "st-type", S_TYPE("GVTg_V5_4"), ST_CANON, TYPE),
	CHK("gvt", "st-hw-beats-type-sw", S_HW_TYPE_SW, ST_CANON, HW),
	CHK("gvt", "st-type-beats-sw", S_TYPE_SW, ST_CANON, TYPE),
	CHK("gvt", "st-format", "device_api=vfio-pci;", ST_CANON, FMT),
	CHK("gvt", "gvt-to-gvt", G120, G120, OK),
	CHK("gvt", "gvt-to-gvt-upper-newline", "8086-591D-GVTg_V5_8-01020000\n",
	    G120, OK),
	CHK("gvt", "gvt-to-gvt-sw", "8086-591d-GVTg_V5_8-01020001", G120, SW),
	CHK("gvt", "gvt-to-gvt-type", "8086-591d-GVTg_V5_1-01020000", G120,
	    TYPE),
	CHK("gvt", "gvt-to-st", G120, ST_CANON, OK),
	CHK("gvt", "gvt-to-st-sw-in-range", "8086-591d-GVTg_V5_8-01010000",
	    ST_CANON, SW),
	CHK("gvt", "gvt-to-st-none", G120, T_NONE, UNSUP),
	CHK("gvt", "gvt-to-st-aggregator", G120, T_AGG2, TYPE),
	CHK("gvt", "gvt-to-st-device-api", G120, T_CCW, HW),
	CHK("gvt", "st-to-gvt", ST_CANON, G120, OK),
	CHK("gvt", "st-to-gvt-vendor", S_PCI("8087:591d"), G120, HW),
	CHK("gvt", "st-to-gvt-aggregator", S_AGG2, G120, TYPE),
	CHK("gvt", "st-to-gvt-device-api", S_API("vfio-ccw"), G120, HW),
	CHK("gvt", "gvt-format", "8086-591d-GVTg_V5_8-01020000-", G120, FMT),

	/* strict: canonical source == target's own string in source format */
	CHK("strict", "st-identical", ST_CANON, ST_CANON, OK),
	CHK("strict", "st-noncanonical", S_NONCANON, ST_CANON, OK),
	CHK("strict", "st-sw-in-range", S_SW("1.1.0"), ST_CANON, SW),
	CHK("strict", "st-accept-differs", ST_WITH("1.2.0", "1.0.0-1.1.0"),
	    ST_CANON, SW),
	CHK("strict", "st-dst-none-identical", T_NONE, T_NONE, UNSUP),
	CHK("strict", "st-dst-none", ST_CANON, T_NONE, UNSUP),
	CHK("strict", "st-vendor", S_PCI("1234:591d"), ST_CANON, HW),
	CHK("strict", "st-device-api", S_API("vfio-ccw"), ST_CANON, HW),
	CHK("strict", "st-type", S_TYPE("GVTg_V5_4"), ST_CANON, TYPE),
	CHK("strict", "st-aggregator", S_AGG2, ST_CANON, TYPE),
	CHK("strict", "st-hw-beats-type-sw", S_HW_TYPE_SW, ST_CANON, HW),
	CHK("strict", "st-type-beats-sw", S_TYPE_SW, ST_CANON, TYPE),
	CHK("strict", "st-format", ST_CANON ";", ST_CANON, FMT),
	CHK("strict", "gvt-to-st", G120, ST_CANON, OK),
	CHK("strict", "gvt-to-st-upper-newline",
	    "8086-591D-GVTg_V5_8-01020000\n", ST_CANON, OK),
	CHK("strict", "gvt-to-st-sw", "8086-591d-GVTg_V5_8-01010000", ST_CANON,
	    SW),
	CHK("strict", "gvt-to-st-aggregator", G120, T_AGG2, TYPE),
	CHK("strict", "gvt-to-st-device-api", G120, T_CCW, HW),
	CHK("strict", "gvt-to-st-none", G120, T_NONE, UNSUP),
	CHK("strict", "st-to-gvt", ST_WITH("1.2.0", "1.2.0"), G120, OK),
	CHK("strict", "st-to-gvt-accept-differs", ST_CANON, G120, SW),
	CHK("strict", "st-to-gvt-type", S_TYPE("GVTg_V5_4"), G120, TYPE),
	CHK("strict", "gvt-to-gvt", G120, G120, OK),
	CHK("strict", "gvt-to-gvt-sw", "8086-591d-GVTg_V5_8-01020001", G120,
	    SW),
	CHK("strict", "gvt-format", "8086-591d", G120, FMT),
};

static void chk_desc(const struct chk_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s-%s", c->checker, c->name);
}

KUNIT_ARRAY_PARAM(chk, chk_cases, chk_desc);

static void migver_check_matrix(struct kunit *test)
{
	const struct chk_case *c = test->param_value;
	const struct migver_checker *checker;
	struct migver_info src, dst;
	enum migver_reason reason = MIGVER_REASON_COUNT;
	const char *why = NULL;
	int ret;

	checker = migver_checker_find(c->checker);
	KUNIT_ASSERT_NOT_NULL(test, checker);
	migver_kunit_parse_valid(test, c->dst, &dst);

	ret = migver_check_string(checker, c->src, strlen(c->src), &dst,
				  &reason, &why);
	KUNIT_EXPECT_EQ_MSG(test, reason, c->reason, "reason %s, want %s",
			    migver_reason_name(reason),
			    migver_reason_name(c->reason));
	KUNIT_EXPECT_EQ(test, ret, table_errno(c->reason));
	if (c->reason == MIGVER_REASON_FORMAT) {
		KUNIT_EXPECT_NOT_NULL(test, why);
		return;
	}

	/* the same verdict on parsed facts */
	migver_kunit_parse_valid(test, c->src, &src);
	reason = MIGVER_REASON_COUNT;
	ret = migver_check(checker, &src, &dst, &reason);
	KUNIT_EXPECT_EQ(test, reason, c->reason);
	KUNIT_EXPECT_EQ(test, ret, table_errno(c->reason));
	/* @reason may be NULL */
	ret = migver_check(checker, &src, &dst, NULL);
	KUNIT_EXPECT_EQ(test, ret, table_errno(c->reason));
}

/*
 * ---- every checker of the table: hardware and type as migver_classify()
 *
 * Checkers differ only in their software-version rule: whatever classify
 * calls a hardware or type difference each must refuse with that reason,
 * and nothing else may be refused for hardware or type.  One row per line
 * of include/migver/checkers.h, so a checker added there is held to this
 * without anyone editing this file.
 */
#define MIGVER_CHECKER(name) __stringify(name),
static const char *const table_names[] = {
#include <migver/checkers.h>
};

#undef MIGVER_CHECKER

#define S_AGG4 ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=4;" ST_SW ";" ST_ACC
#define S_AGG4_SW                                                            \
	ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=4;software_version=1.1.0" \
	       ";" ST_ACC

struct class_case {
	const char *name;
	const char *src;
	const char *dst;
	enum migver_reason reason; /* what migver_classify() says first */
};

static const struct class_case class_cases[] = {
	{ "st-device-api", S_API("vfio-ccw"), ST_CANON, HW },
	{ "st-vendor", S_PCI("1234:591d"), ST_CANON, HW },
	{ "st-device", S_PCI("8086:5912"), ST_CANON, HW },
	{ "st-type", S_TYPE("GVTg_V5_4"), ST_CANON, TYPE },
	{ "st-aggregator", S_AGG2, ST_CANON, TYPE },
	{ "st-aggregator-4", S_AGG4, ST_CANON, TYPE },
	{ "st-aggregator-sw-in-range", S_AGG4_SW, ST_CANON, TYPE },
	{ "st-hw-beats-type-sw", S_HW_TYPE_SW, ST_CANON, HW },
	{ "st-type-beats-sw", S_TYPE_SW, ST_CANON, TYPE },
	{ "gvt-to-st-aggregator", G120, T_AGG2, TYPE },
	{ "gvt-to-st-device-api", G120, T_CCW, HW },
	{ "gvt-to-st-vendor", "1234-591d-GVTg_V5_8-01020000", ST_CANON, HW },
	{ "gvt-to-st-type", "8086-591d-GVTg_V5_4-01020000", ST_CANON, TYPE },
	{ "st-to-gvt-aggregator", S_AGG4, G120, TYPE },
	{ "st-to-gvt-device-api", S_API("vfio-ccw"), G120, HW },
	{ "gvt-to-gvt-device", "8086-5912-GVTg_V5_8-01020000", G120, HW },
	{ "gvt-to-gvt-type", "8086-591d-GVTg_V5_1-01020000", G120, TYPE },
	/* and what is left to the software rule */
	{ "st-identical", ST_CANON, ST_CANON, OK },
	{ "st-sw-in-range", S_SW("1.1.0"), ST_CANON, SW },
	{ "st-sw-newer", S_SW("9.0.0"), ST_CANON, SW },
	{ "gvt-to-st", G120, ST_CANON, OK },
	{ "gvt-to-st-sw", "8086-591d-GVTg_V5_8-01010000", ST_CANON, SW },
};

static void table_desc(const char *const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(table, table_names, table_desc);

static void migver_check_hw_type_refused(struct kunit *test)
{
	const char *const *name = test->param_value;
	const struct migver_checker *checker = migver_checker_find(*name);
	struct migver_info src, dst;
	enum migver_reason reason;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, checker);
	for (i = 0; i < ARRAY_SIZE(class_cases); i++) {
		const struct class_case *c = &class_cases[i];

		migver_kunit_parse_valid(test, c->src, &src);
		migver_kunit_parse_valid(test, c->dst, &dst);
		/* the table above is classify's answer */
		KUNIT_ASSERT_EQ_MSG(test, migver_classify(&src, &dst),
				    c->reason, "%s: classify", c->name);
		reason = MIGVER_REASON_COUNT;
		migver_check(checker, &src, &dst, &reason);
		if (c->reason == HW || c->reason == TYPE)
			KUNIT_EXPECT_EQ_MSG(test, reason, c->reason,
					    "%s: %s refused as %s, want %s",
					    c->name, *name,
					    migver_reason_name(reason),
					    migver_reason_name(c->reason));
		else
			KUNIT_EXPECT_TRUE_MSG(test,
					      reason == OK || reason == SW,
					      "%s: %s refused as %s", c->name,
					      *name,
					      migver_reason_name(reason));
	}
	/* a target that accepts nothing beats every difference */
	migver_kunit_parse_valid(test, S_HW_TYPE_SW, &src);
	migver_kunit_parse_valid(test, T_NONE, &dst);
	migver_check(checker, &src, &dst, &reason);
	KUNIT_EXPECT_EQ(test, reason, UNSUP);
}

/* ---- migver_checker_find(): sysfs_streq() semantics */

struct find_case {
	const char *name;
	const char *in;
	const char *found; /* NULL: unknown */
};

static const struct find_case find_cases[] = {
	{ "semver", "semver", "semver" },
	{ "gvt", "gvt", "gvt" },
	{ "strict", "strict", "strict" },
	{ "semver-newline", "semver\n", "semver" },
	{ "gvt-newline", "gvt\n", "gvt" },
	{ "strict-newline", "strict\n", "strict" },
	{ "default", MIGVER_DEFAULT_CHECKER, "semver" },
	{ "upper-case", "SEMVER", NULL },
	{ "empty", "", NULL },
	{ "lone-newline", "\n", NULL },
	{ "prefix", "sem", NULL },
	{ "longer", "semverx", NULL },
	{ "two-newlines", "semver\n\n", NULL },
	{ "leading-space", " gvt", NULL },
	{ "trailing-space", "gvt ", NULL },
	{ "format-name", "structured", NULL },
};

KUNIT_ARRAY_PARAM_DESC(find, find_cases, name);

static void migver_check_find(struct kunit *test)
{
	const struct find_case *c = test->param_value;
	const struct migver_checker *checker;

	checker = migver_checker_find(c->in);
	if (!c->found) {
		KUNIT_EXPECT_NULL(test, checker);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, checker);
	KUNIT_EXPECT_STREQ(test, checker->name, c->found);
	KUNIT_EXPECT_NOT_NULL(test, checker->summary);
	KUNIT_EXPECT_NOT_NULL(test, checker->check);
}

/* ---- reasons: names and errnos (README, "errno table") */

struct reason_case {
	enum migver_reason reason;
	const char *name;
	int err;
};

static const struct reason_case reason_cases[] = {
	{ MIGVER_COMPATIBLE, "compatible", 0 },
	{ MIGVER_REASON_FORMAT, "format", -EINVAL },
	{ MIGVER_REASON_UNSUPPORTED, "unsupported", -EOPNOTSUPP },
	{ MIGVER_REASON_HARDWARE, "hardware", -ENODEV },
	{ MIGVER_REASON_TYPE, "type", -EMEDIUMTYPE },
	{ MIGVER_REASON_SOFTWARE, "software", -ERANGE },
};

KUNIT_ARRAY_PARAM_DESC(reason, reason_cases, name);

static void migver_check_reason(struct kunit *test)
{
	const struct reason_case *c = test->param_value;
	const char *name = migver_reason_name(c->reason);

	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, c->name);
	KUNIT_EXPECT_EQ(test, migver_reason_errno(c->reason), c->err);
}

/* not a reason: never reported as compatible */
static void migver_check_reason_invalid(struct kunit *test)
{
	enum migver_reason past_end = MIGVER_REASON_COUNT + 1;

	KUNIT_EXPECT_NE(test, migver_reason_errno(MIGVER_REASON_COUNT), 0);
	KUNIT_EXPECT_NE(test, migver_reason_errno(past_end), 0);
}

/* the built-in table, in include/migver/checkers.h order */
static void migver_check_table(struct kunit *test)
{
	const struct migver_checker *checker;
	char line[KUNIT_PARAM_DESC_SIZE];
	size_t i;

	KUNIT_ASSERT_EQ(test, migver_checker_count(), ARRAY_SIZE(table_names));
	for (i = 0; i < ARRAY_SIZE(table_names); i++) {
		checker = migver_checker_at(i);
		KUNIT_ASSERT_NOT_NULL(test, checker);
		KUNIT_EXPECT_STREQ(test, checker->name, table_names[i]);
		KUNIT_EXPECT_PTR_EQ(test, migver_checker_find(table_names[i]),
				    checker);
		/* what `echo <name> > .../checker` writes */
		snprintf(line, sizeof(line), "%s\n", table_names[i]);
		KUNIT_EXPECT_PTR_EQ(test, migver_checker_find(line), checker);
		KUNIT_EXPECT_NOT_NULL(test, checker->summary);
		KUNIT_EXPECT_NOT_NULL(test, checker->check);
	}
	KUNIT_EXPECT_NULL(test, migver_checker_at(ARRAY_SIZE(table_names)));
	KUNIT_EXPECT_NOT_NULL(test,
			      migver_checker_find(MIGVER_DEFAULT_CHECKER));
	KUNIT_EXPECT_PTR_EQ(test, migver_checker_find("semver"),
			    &migver_checker_semver);
	KUNIT_EXPECT_PTR_EQ(test, migver_checker_find("gvt"),
			    &migver_checker_gvt);
	KUNIT_EXPECT_PTR_EQ(test, migver_checker_find("strict"),
			    &migver_checker_strict);
}

/* migver_check_string(): a malformed source with NULL @reason and @why */
static void migver_check_string_nulls(struct kunit *test)
{
	const struct migver_checker *checker = migver_checker_find("semver");
	struct migver_info dst;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, checker);
	migver_kunit_parse_valid(test, ST_CANON, &dst);
	ret = migver_check_string(checker, "bad", 3, &dst, NULL, NULL);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	ret = migver_check_string(checker, ST_CANON, strlen(ST_CANON), &dst,
				  NULL, NULL);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

/* format names, sysfs_streq() semantics */
static void migver_check_format_names(struct kunit *test)
{
	enum migver_format fmt = MIGVER_FMT_COUNT;

	KUNIT_EXPECT_STREQ(test, migver_format_name(MIGVER_FMT_GVT), "gvt");
	KUNIT_EXPECT_STREQ(test, migver_format_name(MIGVER_FMT_STRUCTURED),
			   "structured");
	KUNIT_EXPECT_EQ(test, migver_format_from_name("gvt\n", &fmt), 0);
	KUNIT_EXPECT_EQ(test, fmt, MIGVER_FMT_GVT);
	KUNIT_EXPECT_EQ(test, migver_format_from_name("structured", &fmt), 0);
	KUNIT_EXPECT_EQ(test, fmt, MIGVER_FMT_STRUCTURED);
	KUNIT_EXPECT_EQ(test, migver_format_from_name("GVT", &fmt), -EINVAL);
	KUNIT_EXPECT_EQ(test, migver_format_from_name("", &fmt), -EINVAL);
	KUNIT_EXPECT_EQ(test, migver_format_from_name("semver", &fmt), -EINVAL);
}

static struct kunit_case migver_check_cases[] = {
	KUNIT_CASE_PARAM(migver_check_matrix, chk_gen_params),
	KUNIT_CASE_PARAM(migver_check_hw_type_refused, table_gen_params),
	KUNIT_CASE_PARAM(migver_check_find, find_gen_params),
	KUNIT_CASE_PARAM(migver_check_reason, reason_gen_params),
	KUNIT_CASE(migver_check_reason_invalid),
	KUNIT_CASE(migver_check_table),
	KUNIT_CASE(migver_check_string_nulls),
	KUNIT_CASE(migver_check_format_names),
	{}
};

static struct kunit_suite migver_check_suite = {
	.name = "migver_check",
	.test_cases = migver_check_cases,
};

kunit_test_suite(migver_check_suite);
