// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the length limit of migver_parse(), MIGVER_MAX_LEN (511) bytes plus
 * one optional newline (README.md, "Version string formats").  The inputs
 * are the canonical structured string padded with unknown fields, which
 * are ignored, so a string's only fault can be its length.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <migver/version.h>

#include "helpers.h"

struct len_case {
	const char *name;
	size_t len; /* bytes before @tail */
	const char *tail; /* appended after the padding */
	unsigned int fields; /* unknown fields the padding is split into */
	int ret;
};

static const struct len_case len_cases[] = {
	{ "max-511", 511, "", 1, 0 },
	{ "max-511-newline", 511, "\n", 1, 0 },
	{ "max-511-two-fields", 511, "", 2, 0 },
	{ "max-511-eight-fields", 511, "", 8, 0 },
	{ "510-newline", 510, "\n", 1, 0 },
	{ "512", 512, "", 1, -EINVAL },
	{ "512-newline", 512, "\n", 1, -EINVAL },
	{ "512-two-fields", 512, "", 2, -EINVAL },
	{ "max-511-two-newlines", 511, "\n\n", 1, -EINVAL },
	{ "max-511-space", 511, " ", 1, -EINVAL },
	{ "1024", 1024, "", 1, -EINVAL },
	{ "4096", 4096, "", 1, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(len, len_cases, name);

/* ST_CANON, then @fields unknown fields "pN=vvv..." up to @len bytes. */
static size_t build(char *buf, const struct len_case *c)
{
	size_t n = strlen(ST_CANON), left, i;

	memcpy(buf, ST_CANON, n);
	for (i = 0; i < c->fields; i++) {
		/* ";pN=" is 4 bytes; the rest of the share is the value */
		left = (c->len - n) / (c->fields - i);
		buf[n] = ';';
		buf[n + 1] = 'p';
		buf[n + 2] = 'a' + i;
		buf[n + 3] = '=';
		memset(buf + n + 4, 'v', left - 4);
		n += left;
	}
	memcpy(buf + n, c->tail, strlen(c->tail));
	return n + strlen(c->tail);
}

static void migver_parse_length_test(struct kunit *test)
{
	const struct len_case *c = test->param_value;
	struct migver_info info;
	char out[MIGVER_BUF_SIZE];
	const char *why = NULL;
	size_t n;
	char *buf;
	int ret;

	buf = kunit_kzalloc(test, c->len + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	n = build(buf, c);
	KUNIT_ASSERT_EQ(test, n, c->len + strlen(c->tail));

	ret = migver_parse(buf, n, &info, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "%zu bytes: %s", n,
			    why ? why : "-");
	if (ret || c->ret)
		return;
	/* the padding is unknown fields: dropped from the canonical form */
	ret = migver_emit(&info, MIGVER_FMT_STRUCTURED, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(ST_CANON));
	KUNIT_EXPECT_STREQ(test, out, ST_CANON);
}

static struct kunit_case migver_parse_length_cases[] = {
	KUNIT_CASE_PARAM(migver_parse_length_test, len_gen_params),
	{}
};

static struct kunit_suite migver_parse_length_suite = {
	.name = "migver_parse_length",
	.test_cases = migver_parse_length_cases,
};

kunit_test_suite(migver_parse_length_suite);
