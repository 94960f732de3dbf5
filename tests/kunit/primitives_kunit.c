// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the version primitives of include/migver/version.h: semver and
 * range-list parsing and printing, ordering, range membership and
 * field-by-field equality.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <migver/version.h>

#include "helpers.h"

/* ---- migver_parse_semver(): "MAJ.MIN.PAT", decimal, no leading zeros */

struct semver_case {
	const char *name;
	const char *in;
	size_t len;
	int ret;
	struct migver_semver v;
};

#define SV_OK(n, s, a, b, c)                               \
	{                                                  \
		n, s, sizeof(s) - 1, 0,                    \
		{                                          \
			.major = a, .minor = b, .patch = c \
		}                                          \
	}
#define SV_BAD(n, s)                         \
	{                                    \
		n, s, sizeof(s) - 1, -EINVAL \
	}

static const struct semver_case semver_cases[] = {
	SV_OK("zero", "0.0.0", 0, 0, 0),
	SV_OK("plain", "1.2.3", 1, 2, 3),
	SV_OK("max", "65535.65535.65535", 65535, 65535, 65535),
	SV_OK("tens", "10.20.30", 10, 20, 30),
	{ "length-respected", "10.20.30X", 8, 0, { 10, 20, 30 } },
	{ "length-cuts-patch", "1.2.34", 5, 0, { 1, 2, 3 } },
	SV_BAD("empty", ""),
	SV_BAD("two-parts", "1.2"),
	SV_BAD("four-parts", "1.2.3.4"),
	SV_BAD("trailing-dot", "1.2.3."),
	SV_BAD("leading-dot", ".1.2.3"),
	SV_BAD("leading-zero", "01.2.3"),
	SV_BAD("leading-zero-patch", "1.2.03"),
	SV_BAD("major-65536", "65536.0.0"),
	SV_BAD("patch-65536", "0.0.65536"),
	SV_BAD("major-2-pow-32", "4294967296.0.0"),
	SV_BAD("letters", "a.b.c"),
	SV_BAD("space", "1.2.3 "),
	SV_BAD("plus", "+1.2.3"),
	SV_BAD("range", "1.2.3-"),
	{ "nul-inside", "1.2\0.3", 6, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(semver, semver_cases, name);

static void migver_semver_parse(struct kunit *test)
{
	const struct semver_case *c = test->param_value;
	struct migver_semver v;
	int ret;

	ret = migver_parse_semver(c->in, c->len, &v);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "\"%*pE\"", (int)c->len, c->in);
	if (ret || c->ret)
		return;
	KUNIT_EXPECT_EQ(test, v.major, c->v.major);
	KUNIT_EXPECT_EQ(test, v.minor, c->v.minor);
	KUNIT_EXPECT_EQ(test, v.patch, c->v.patch);
}

/* ---- migver_semver_cmp(): numeric, major then minor then patch */

struct cmp_case {
	const char *name;
	struct migver_semver a, b;
	int sign;
};

static const struct cmp_case cmp_cases[] = {
	{ "equal", { 1, 2, 3 }, { 1, 2, 3 }, 0 },
	{ "patch-less", { 1, 2, 3 }, { 1, 2, 4 }, -1 },
	{ "minor-beats-patch", { 1, 3, 0 }, { 1, 2, 65535 }, 1 },
	{ "major-beats-minor", { 2, 0, 0 }, { 1, 65535, 65535 }, 1 },
	{ "numeric-not-text", { 10, 0, 0 }, { 9, 0, 0 }, 1 },
	{ "extremes", { 0, 0, 0 }, { 65535, 65535, 65535 }, -1 },
};

KUNIT_ARRAY_PARAM_DESC(cmp, cmp_cases, name);

static void migver_semver_order(struct kunit *test)
{
	const struct cmp_case *c = test->param_value;
	int ab = migver_semver_cmp(&c->a, &c->b);
	int ba = migver_semver_cmp(&c->b, &c->a);

	KUNIT_EXPECT_EQ(test, (ab > 0) - (ab < 0), c->sign);
	KUNIT_EXPECT_EQ(test, (ba > 0) - (ba < 0), -c->sign);
}

/* ---- range lists: migver_parse_ranges(), migver_accepts() */

struct accept_case {
	const char *name;
	const char *ranges;
	struct migver_semver v;
	bool accepted;
};

static const struct accept_case accept_cases[] = {
	{ "range-low-end", "1.0.0-1.2.0", { 1, 0, 0 }, true },
	{ "range-high-end", "1.0.0-1.2.0", { 1, 2, 0 }, true },
	{ "range-inside", "1.0.0-1.2.0", { 1, 1, 65535 }, true },
	{ "range-above", "1.0.0-1.2.0", { 1, 2, 1 }, false },
	{ "range-below", "1.0.0-1.2.0", { 0, 65535, 65535 }, false },
	{ "open-far-above", "2.1.0-", { 65535, 65535, 65535 }, true },
	{ "open-low-end", "2.1.0-", { 2, 1, 0 }, true },
	{ "open-below", "2.1.0-", { 2, 0, 65535 }, false },
	{ "exact", "1.0.0", { 1, 0, 0 }, true },
	{ "exact-next-patch", "1.0.0", { 1, 0, 1 }, false },
	{ "none", "none", { 0, 0, 0 }, false },
	{ "list-second", "1.0.0,3.0.0-4.0.0", { 3, 5, 0 }, true },
	{ "list-gap", "1.0.0,3.0.0-4.0.0", { 2, 0, 0 }, false },
	{ "list-eighth",
	  "1.0.0,2.0.0,3.0.0,4.0.0,5.0.0,6.0.0,7.0.0,8.0.0-",
	  { 9, 0, 0 },
	  true },
};

KUNIT_ARRAY_PARAM_DESC(accept, accept_cases, name);

static void migver_ranges_accept(struct kunit *test)
{
	const struct accept_case *c = test->param_value;
	struct migver_info info = {};
	bool in_one = false;
	int i, ret;

	ret = migver_parse_ranges(c->ranges, strlen(c->ranges), &info);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, migver_accepts(&info, &c->v), c->accepted);
	for (i = 0; i < info.n_accept; i++)
		in_one |= migver_range_contains(&info.accept[i], &c->v);
	KUNIT_EXPECT_EQ(test, in_one, c->accepted);
}

/* ---- migver_emit_ranges(): canonical text and short buffers */

struct ranges_case {
	const char *name;
	const char *in;
	int ret;
	const char *out;
	size_t size; /* buffer size; 0 means MIGVER_BUF_SIZE */
};

static const struct ranges_case ranges_cases[] = {
	{ "none", "none", 0, "none" },
	{ "v-v-is-v", "1.0.0-1.0.0", 0, "1.0.0" },
	{ "open", "2.1.0-", 0, "2.1.0-" },
	{ "order-kept", "3.0.0,1.0.0-2.0.0", 0, "3.0.0,1.0.0-2.0.0" },
	{ "exact-size", "1.0.0-2.0.0", 0, "1.0.0-2.0.0", 12 },
	{ "one-short", "1.0.0-2.0.0", -ENOSPC, NULL, 11 },
	{ "none-one-short", "none", -ENOSPC, NULL, 4 },
	{ "bad-reversed", "2.0.0-1.0.0", -EINVAL },
	{ "bad-nine", "0.0.1,0.0.2,0.0.3,0.0.4,0.0.5,0.0.6,0.0.7,0.0.8,0.0.9",
	  -EINVAL },
	{ "bad-empty", "", -EINVAL },
	{ "bad-none-twice", "none,none", -EINVAL },
	{ "bad-trailing-comma", "1.0.0,", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(ranges, ranges_cases, name);

static void migver_ranges_emit(struct kunit *test)
{
	const struct ranges_case *c = test->param_value;
	size_t size = c->size ? c->size : MIGVER_BUF_SIZE;
	char buf[MIGVER_BUF_SIZE];
	struct migver_info info = {};
	int ret;

	ret = migver_parse_ranges(c->in, strlen(c->in), &info);
	if (c->ret == -EINVAL) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	memset(buf, 'X', sizeof(buf));
	ret = migver_emit_ranges(&info, buf, size);
	KUNIT_EXPECT_LT(test, strnlen(buf, size), size);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, ret, c->ret);
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->out));
	KUNIT_EXPECT_STREQ(test, buf, c->out);
}

/* ---- migver_info_equal(): fields only, not bytes after a string's NUL */
static void migver_info_equal_fields(struct kunit *test)
{
	struct migver_info a, b;
	size_t n;

	migver_kunit_parse_valid(test, ST_CANON, &a);
	migver_kunit_parse_valid(test, ST_CANON, &b);
	KUNIT_EXPECT_TRUE(test, migver_info_equal(&a, &b));

	n = strlen(b.type) + 1;
	memset(b.type + n, 'J', sizeof(b.type) - n);
	n = strlen(b.device_api) + 1;
	memset(b.device_api + n, 'j', sizeof(b.device_api) - n);
	KUNIT_EXPECT_TRUE(test, migver_info_equal(&a, &b));

	b.aggregator = 2;
	KUNIT_EXPECT_FALSE(test, migver_info_equal(&a, &b));
	b.aggregator = a.aggregator;
	b.accept[0].hi.patch++;
	KUNIT_EXPECT_FALSE(test, migver_info_equal(&a, &b));
	b.accept[0].hi.patch--;
	b.type[0] = 'g';
	KUNIT_EXPECT_FALSE(test, migver_info_equal(&a, &b));
}

/* migver_parse() with @why NULL, on good and bad input */
static void migver_parse_why_null(struct kunit *test)
{
	struct migver_info info;

	KUNIT_EXPECT_EQ(test, migver_parse(GVT_CANON, 28, &info, NULL), 0);
	KUNIT_EXPECT_EQ(test, migver_parse("x", 1, &info, NULL), -EINVAL);
}

static struct kunit_case migver_primitives_cases[] = {
	KUNIT_CASE_PARAM(migver_semver_parse, semver_gen_params),
	KUNIT_CASE_PARAM(migver_semver_order, cmp_gen_params),
	KUNIT_CASE_PARAM(migver_ranges_accept, accept_gen_params),
	KUNIT_CASE_PARAM(migver_ranges_emit, ranges_gen_params),
	KUNIT_CASE(migver_info_equal_fields),
	KUNIT_CASE(migver_parse_why_null),
	{}
};

static struct kunit_suite migver_primitives_suite = {
	.name = "migver_primitives",
	.test_cases = migver_primitives_cases,
};

kunit_test_suite(migver_primitives_suite);
