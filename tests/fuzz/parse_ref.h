/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reference parser (parse_ref.c): the multi-pass parser the core had
 * before its single-pass rewrite, for differential fuzzing only.  Same
 * contracts as migver_parse(), migver_parse_semver() and
 * migver_parse_ranges() in include/migver/version.h, including zero-filled
 * results.
 */
#ifndef MIGVER_FUZZ_PARSE_REF_H
#define MIGVER_FUZZ_PARSE_REF_H

#include <migver/version.h>

int migver_parse_ref(const char *buf, size_t len, struct migver_info *info,
		     const char **why);
int migver_parse_semver_ref(const char *buf, size_t len,
			    struct migver_semver *v);
int migver_parse_ranges_ref(const char *buf, size_t len,
			    struct migver_info *info);

#endif /* MIGVER_FUZZ_PARSE_REF_H */
