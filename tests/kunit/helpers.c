// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser case runner shared by the gvt and structured parser suites.
 * Expectations come from README.md ("Version string formats") and
 * include/migver/version.h.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>
#include <migver/version.h>

#include "helpers.h"

/*
 * The entry after @prev (the first when @prev is NULL) of @n entries of
 * @size bytes at @array, named by the string at @name_offset in it; NULL
 * after the last.  For the KUNIT_ARRAY_PARAM_DESC fallback in helpers.h.
 */
const void *migver_kunit_array_next(const void *prev, char *desc,
				    const void *array, size_t size, size_t n,
				    size_t name_offset)
{
	const char *next = prev ? (const char *)prev + size : array;

	if (next >= (const char *)array + n * size)
		return NULL;
	strscpy(desc, *(const char *const *)(next + name_offset),
		KUNIT_PARAM_DESC_SIZE);
	return next;
}

void migver_kunit_parse_valid(struct kunit *test, const char *s,
			      struct migver_info *info)
{
	const char *why = NULL;
	int ret;

	ret = migver_parse(s, strlen(s), info, &why);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "\"%s\": %s", s, why ? why : "?");
}

/* A gvt string's implied facts (README, "gvt"). */
static void expect_gvt_implied(struct kunit *test,
			       const struct migver_info *info)
{
	KUNIT_EXPECT_STREQ(test, info->device_api, "vfio-pci");
	KUNIT_EXPECT_EQ(test, info->aggregator, 1U);
	KUNIT_EXPECT_EQ(test, info->n_accept, 1);
	KUNIT_EXPECT_EQ(test, migver_semver_cmp(&info->accept[0].lo, &info->sw),
			0);
	KUNIT_EXPECT_EQ(test, migver_semver_cmp(&info->accept[0].hi, &info->sw),
			0);
	KUNIT_EXPECT_FALSE(test, info->accept[0].open_hi);
}

void migver_kunit_run_parse(struct kunit *test,
			    const struct migver_parse_case *c)
{
	struct migver_info info, again;
	char buf[MIGVER_BUF_SIZE];
	const char *why = NULL;
	bool structured;
	int ret;

	memset(&info, 0xa5, sizeof(info));
	ret = migver_parse(c->in, c->len, &info, &why);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->ret, "input \"%*pE\" (len %zu): %s",
			    (int)c->len, c->in, c->len, why ? why : "-");

	if (c->ret) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, why, "no reason for -EINVAL");
		/* all-or-nothing: a failed parse leaves no partial facts */
		KUNIT_EXPECT_PTR_EQ_MSG(test,
					memchr_inv(&info, 0, sizeof(info)),
					NULL,
					"info not zero-filled after error");
		return;
	}

	/* structured if and only if the string contains '=' */
	structured = memchr(c->in, '=', c->len);
	KUNIT_EXPECT_EQ(test, info.format,
			structured ? MIGVER_FMT_STRUCTURED : MIGVER_FMT_GVT);
	if (!structured)
		expect_gvt_implied(test, &info);
	KUNIT_EXPECT_EQ(test, migver_info_validate(&info), 0);

	ret = migver_emit(&info, MIGVER_FMT_STRUCTURED, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->st));
	KUNIT_EXPECT_STREQ(test, buf, c->st);

	ret = migver_emit(&info, MIGVER_FMT_GVT, buf, sizeof(buf));
	if (c->gvt) {
		KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->gvt));
		KUNIT_EXPECT_STREQ(test, buf, c->gvt);
	} else if (c->gvt_err) {
		KUNIT_EXPECT_EQ(test, ret, c->gvt_err);
	}

	/* parsing the canonical form gives back the same facts */
	memset(&again, 0x5a, sizeof(again));
	ret = migver_parse(c->st, strlen(c->st), &again, NULL);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "canonical \"%s\" rejected", c->st);
	again.format = info.format;
	KUNIT_EXPECT_TRUE_MSG(test, migver_info_equal(&info, &again),
			      "\"%s\" parses to other facts", c->st);
}

MODULE_DESCRIPTION("KUnit suites for the mdev-migver version-string core");
MODULE_LICENSE("GPL");
