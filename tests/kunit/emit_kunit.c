// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: migver_emit() (include/migver/version.h): canonical round trips,
 * cross-format emission with -ERANGE for what gvt cannot carry, -ENOSPC
 * for short buffers and -EINVAL for facts that break the grammar.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <migver/version.h>

#include "helpers.h"

#define T31 "abcdefghijABCDEFGHIJ0123456789_"
#define R8MIX "1.0.0,2.0.0-2.1.0,3.0.0-,4.0.0,5.0.0,6.0.0,7.0.0,0.0.0-0.0.1"

/* ---- round trips: emit(parse(s)) == s for canonical s, either format */

struct rt_case {
	const char *name;
	const char *canon;
};

static const struct rt_case rt_cases[] = {
	{ "st-readme-example", ST_CANON },
	{ "st-none", ST_WITH("1.2.0", "none") },
	{ "st-open", ST_WITH("3.0.0", "2.1.0-") },
	{ "st-8-ranges", ST_WITH("0.0.0", R8MIX) },
	{ "st-max-numbers",
	  "device_api=a23456789012345;pci_id=ffff:ffff;type=" T31
	  ";aggregator=64;software_version=65535.65535.65535;"
	  "accepted_source_versions=65535.65535.65535-" },
	{ "st-zeros",
	  "device_api=vfio-ccw;pci_id=0000:0000;type=0;"
	  "aggregator=1;software_version=0.0.0;accepted_source_versions=0.0.0" },
	{ "gvt-readme-example", GVT_CANON },
	{ "gvt-series-example", "8086-591d-GVTg_V5_8-00000001" },
	{ "gvt-max", "ffff-ffff-" T31 "-ffffffff" },
	{ "gvt-zeros", "0000-0000-_-00000000" },
};

KUNIT_ARRAY_PARAM_DESC(rt, rt_cases, name);

static void migver_emit_round_trip(struct kunit *test)
{
	const struct rt_case *c = test->param_value;
	struct migver_info a, b;
	char buf[MIGVER_BUF_SIZE];
	int ret;

	migver_kunit_parse_valid(test, c->canon, &a);
	ret = migver_emit(&a, a.format, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->canon));
	KUNIT_EXPECT_STREQ(test, buf, c->canon);

	/* and back: parse(emit(x)) == x */
	migver_kunit_parse_valid(test, buf, &b);
	KUNIT_EXPECT_EQ(test, b.format, a.format);
	KUNIT_EXPECT_TRUE(test, migver_info_equal(&a, &b));
}

/* ---- cross format: structured facts printed as gvt */

struct cross_case {
	const char *name;
	const char *in;
	enum migver_format fmt;
	int ret; /* length is checked via @out */
	const char *out;
};

static const struct cross_case cross_cases[] = {
	{ "st-to-gvt", ST_WITH("1.2.3", "1.0.0-"), MIGVER_FMT_GVT, 0,
	  GVT_CANON },
	{ "st-to-gvt-none-dropped", ST_WITH("1.2.3", "none"), MIGVER_FMT_GVT, 0,
	  GVT_CANON },
	{ "st-to-gvt-255-255-65535", ST_WITH("255.255.65535", "none"),
	  MIGVER_FMT_GVT, 0, "8086-591d-GVTg_V5_8-ffffffff" },
	{ "st-to-gvt-major-256", ST_WITH("256.0.0", "none"), MIGVER_FMT_GVT,
	  -ERANGE },
	{ "st-to-gvt-minor-256", ST_WITH("0.256.0", "none"), MIGVER_FMT_GVT,
	  -ERANGE },
	{ "st-to-gvt-major-65535", ST_WITH("65535.0.0", "none"), MIGVER_FMT_GVT,
	  -ERANGE },
	{ "st-to-gvt-aggregator-2",
	  ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=2;" ST_SW ";" ST_ACC,
	  MIGVER_FMT_GVT, -ERANGE },
	{ "st-to-gvt-aggregator-64",
	  ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=64;" ST_SW ";" ST_ACC,
	  MIGVER_FMT_GVT, -ERANGE },
	{ "st-to-gvt-vfio-ccw",
	  "device_api=vfio-ccw;" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW
	  ";" ST_ACC,
	  MIGVER_FMT_GVT, -ERANGE },
	{ "st-to-gvt-vfio-pc",
	  "device_api=vfio-pc;" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW
	  ";" ST_ACC,
	  MIGVER_FMT_GVT, -ERANGE },
	{ "st-to-gvt-vfio-pcie",
	  "device_api=vfio-pcie;" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW
	  ";" ST_ACC,
	  MIGVER_FMT_GVT, -ERANGE },
	{ "gvt-to-st", "8086-591D-GVTg_V5_8-0102000A", MIGVER_FMT_STRUCTURED, 0,
	  ST_WITH("1.2.10", "1.2.10") },
	{ "gvt-to-gvt-lower", "ABCD-EF01-Ab_9-FFFFFFFF\n", MIGVER_FMT_GVT, 0,
	  "abcd-ef01-Ab_9-ffffffff" },
};

KUNIT_ARRAY_PARAM_DESC(cross, cross_cases, name);

static void migver_emit_cross(struct kunit *test)
{
	const struct cross_case *c = test->param_value;
	struct migver_info info;
	char buf[MIGVER_BUF_SIZE];
	int ret;

	migver_kunit_parse_valid(test, c->in, &info);
	memset(buf, 'X', sizeof(buf));
	ret = migver_emit(&info, c->fmt, buf, sizeof(buf));
	/* always NUL-terminated */
	KUNIT_EXPECT_LT(test, strnlen(buf, sizeof(buf)), sizeof(buf));
	if (c->out) {
		KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->out));
		KUNIT_EXPECT_STREQ(test, buf, c->out);
	} else {
		KUNIT_EXPECT_EQ(test, ret, c->ret);
	}
}

/* ---- buffer sizes: -ENOSPC, never an overrun, always NUL-terminated */

struct space_case {
	const char *name;
	const char *in;
	enum migver_format fmt;
	int slack; /* buffer size = strlen(canonical) + 1 + slack */
};

static const struct space_case space_cases[] = {
	{ "st-exact", ST_CANON, MIGVER_FMT_STRUCTURED, 0 },
	{ "st-roomy", ST_CANON, MIGVER_FMT_STRUCTURED, 100 },
	{ "st-one-short", ST_CANON, MIGVER_FMT_STRUCTURED, -1 },
	{ "st-half", ST_CANON, MIGVER_FMT_STRUCTURED, -62 },
	{ "st-size-1", ST_CANON, MIGVER_FMT_STRUCTURED, -124 },
	{ "st-size-0", ST_CANON, MIGVER_FMT_STRUCTURED, -125 },
	{ "gvt-exact", GVT_CANON, MIGVER_FMT_GVT, 0 },
	{ "gvt-one-short", GVT_CANON, MIGVER_FMT_GVT, -1 },
	{ "gvt-size-1", GVT_CANON, MIGVER_FMT_GVT, -28 },
	{ "gvt-size-0", GVT_CANON, MIGVER_FMT_GVT, -29 },
	{ "gvt-as-st-one-short", GVT_CANON, MIGVER_FMT_STRUCTURED, -1 },
	{ "st-as-gvt-one-short", ST_WITH("1.2.3", "none"), MIGVER_FMT_GVT, -1 },
};

KUNIT_ARRAY_PARAM_DESC(space, space_cases, name);

static void migver_emit_space(struct kunit *test)
{
	const struct space_case *c = test->param_value;
	char full[MIGVER_BUF_SIZE], buf[MIGVER_BUF_SIZE + 128];
	struct migver_info info;
	int len, ret;
	size_t size;
	void *past;

	migver_kunit_parse_valid(test, c->in, &info);
	len = migver_emit(&info, c->fmt, full, sizeof(full));
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_GE(test, len + 1 + c->slack, 0);
	size = len + 1 + c->slack;

	memset(buf, 'X', sizeof(buf));
	ret = migver_emit(&info, c->fmt, buf, size);
	/* nothing written past @size */
	past = memchr_inv(buf + size, 'X', sizeof(buf) - size);
	KUNIT_EXPECT_PTR_EQ(test, past, NULL);
	if (size > 0)
		KUNIT_EXPECT_LT(test, strnlen(buf, size), size);
	if (c->slack >= 0) {
		KUNIT_EXPECT_EQ(test, ret, len);
		KUNIT_EXPECT_STREQ(test, buf, full);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	}
}

/* ---- facts that break the grammar: -EINVAL, also for the gvt format */

enum bad_field {
	BAD_AGGREGATOR_0,
	BAD_AGGREGATOR_65,
	BAD_TYPE_EMPTY,
	BAD_TYPE_HYPHEN,
	BAD_TYPE_HIGH_BIT,
	BAD_TYPE_UNTERMINATED,
	BAD_API_EMPTY,
	BAD_API_UPPER,
	BAD_API_DIGIT_FIRST,
	BAD_API_UNTERMINATED,
	BAD_N_ACCEPT_9,
	BAD_RANGE_REVERSED,
	BAD_FORMAT,
};

struct bad_case {
	const char *name;
	enum bad_field what;
	enum migver_format fmt;
};

static const struct bad_case bad_cases[] = {
	{ "aggregator-0", BAD_AGGREGATOR_0, MIGVER_FMT_STRUCTURED },
	{ "aggregator-0-gvt", BAD_AGGREGATOR_0, MIGVER_FMT_GVT },
	{ "aggregator-65", BAD_AGGREGATOR_65, MIGVER_FMT_STRUCTURED },
	{ "type-empty", BAD_TYPE_EMPTY, MIGVER_FMT_STRUCTURED },
	{ "type-empty-gvt", BAD_TYPE_EMPTY, MIGVER_FMT_GVT },
	{ "type-hyphen", BAD_TYPE_HYPHEN, MIGVER_FMT_STRUCTURED },
	{ "type-hyphen-gvt", BAD_TYPE_HYPHEN, MIGVER_FMT_GVT },
	{ "type-0x80", BAD_TYPE_HIGH_BIT, MIGVER_FMT_STRUCTURED },
	{ "type-unterminated", BAD_TYPE_UNTERMINATED, MIGVER_FMT_STRUCTURED },
	{ "type-unterminated-gvt", BAD_TYPE_UNTERMINATED, MIGVER_FMT_GVT },
	{ "device-api-empty", BAD_API_EMPTY, MIGVER_FMT_STRUCTURED },
	{ "device-api-upper", BAD_API_UPPER, MIGVER_FMT_STRUCTURED },
	{ "device-api-upper-gvt", BAD_API_UPPER, MIGVER_FMT_GVT },
	{ "device-api-digit-first", BAD_API_DIGIT_FIRST,
	  MIGVER_FMT_STRUCTURED },
	{ "device-api-unterminated", BAD_API_UNTERMINATED,
	  MIGVER_FMT_STRUCTURED },
	{ "n-accept-9", BAD_N_ACCEPT_9, MIGVER_FMT_STRUCTURED },
	{ "n-accept-9-gvt", BAD_N_ACCEPT_9, MIGVER_FMT_GVT },
	{ "range-reversed", BAD_RANGE_REVERSED, MIGVER_FMT_STRUCTURED },
	{ "format-out-of-range", BAD_FORMAT, MIGVER_FMT_COUNT },
};

KUNIT_ARRAY_PARAM_DESC(bad, bad_cases, name);

static void break_info(struct migver_info *info, enum bad_field what)
{
	switch (what) {
	case BAD_AGGREGATOR_0:
		info->aggregator = 0;
		break;
	case BAD_AGGREGATOR_65:
		info->aggregator = MIGVER_AGGREGATOR_MAX + 1;
		break;
	case BAD_TYPE_EMPTY:
		info->type[0] = '\0';
		break;
	case BAD_TYPE_HYPHEN:
		info->type[4] = '-';
		break;
	case BAD_TYPE_HIGH_BIT:
		info->type[4] = (char)0x80;
		break;
	case BAD_TYPE_UNTERMINATED:
		memset(info->type, 'T', sizeof(info->type));
		break;
	case BAD_API_EMPTY:
		info->device_api[0] = '\0';
		break;
	case BAD_API_UPPER:
		info->device_api[0] = 'V';
		break;
	case BAD_API_DIGIT_FIRST:
		info->device_api[0] = '1';
		break;
	case BAD_API_UNTERMINATED:
		memset(info->device_api, 'v', sizeof(info->device_api));
		break;
	case BAD_N_ACCEPT_9:
		info->n_accept = MIGVER_MAX_RANGES + 1;
		break;
	case BAD_RANGE_REVERSED:
		/* ST_CANON's one range is 1.0.0-1.2.0 */
		info->accept[0].lo.minor = 3;
		break;
	case BAD_FORMAT:
		break;
	}
}

static void migver_emit_invalid(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct migver_info info;
	char buf[MIGVER_BUF_SIZE];
	int ret;

	/* ST_CANON with sw 1.2.0: printable in both formats */
	migver_kunit_parse_valid(test, ST_CANON, &info);
	break_info(&info, c->what);
	if (c->what != BAD_FORMAT)
		KUNIT_EXPECT_EQ(test, migver_info_validate(&info), -EINVAL);
	memset(buf, 'X', sizeof(buf));
	ret = migver_emit(&info, c->fmt, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_LT(test, strnlen(buf, sizeof(buf)), sizeof(buf));
}

static struct kunit_case migver_emit_cases[] = {
	KUNIT_CASE_PARAM(migver_emit_round_trip, rt_gen_params),
	KUNIT_CASE_PARAM(migver_emit_cross, cross_gen_params),
	KUNIT_CASE_PARAM(migver_emit_space, space_gen_params),
	KUNIT_CASE_PARAM(migver_emit_invalid, bad_gen_params),
	{}
};

static struct kunit_suite migver_emit_suite = {
	.name = "migver_emit",
	.test_cases = migver_emit_cases,
};

kunit_test_suite(migver_emit_suite);
