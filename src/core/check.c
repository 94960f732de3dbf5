// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the checkers share: reason names and errnos, running a checker on
 * parsed facts or on a source string, the fixed classification order, and
 * the table of built-in checkers generated from include/migver/checkers.h.
 */
#include <migver/check.h>

#include "compare.h"

static const char *const reason_names[MIGVER_REASON_COUNT] = {
	[MIGVER_COMPATIBLE] = "compatible",
	[MIGVER_REASON_FORMAT] = "format",
	[MIGVER_REASON_UNSUPPORTED] = "unsupported",
	[MIGVER_REASON_HARDWARE] = "hardware",
	[MIGVER_REASON_TYPE] = "type",
	[MIGVER_REASON_SOFTWARE] = "software",
};

/* The README's errno table; userspace sees only this, so it is ABI. */
static __always_inline int reason_errno(enum migver_reason reason)
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
	case MIGVER_REASON_SOFTWARE:
		return -ERANGE;
	default:
		/* Not a reason: never report it as compatible. */
		return -EINVAL;
	}
}

int migver_reason_errno(enum migver_reason reason)
{
	return reason_errno(reason);
}

const char *migver_reason_name(enum migver_reason reason)
{
	if ((unsigned int)reason >= MIGVER_REASON_COUNT)
		return "unknown";
	return reason_names[reason];
}

static __always_inline int run_check(const struct migver_checker *checker,
				     const struct migver_info *src,
				     const struct migver_info *dst,
				     enum migver_reason *reason)
{
	enum migver_reason r = checker->check(src, dst);

	if (reason)
		*reason = r;
	return reason_errno(r);
}

int migver_check(const struct migver_checker *checker,
		 const struct migver_info *src, const struct migver_info *dst,
		 enum migver_reason *reason)
{
	return run_check(checker, src, dst, reason);
}

int migver_check_string(const struct migver_checker *checker, const char *buf,
			size_t len, const struct migver_info *dst,
			enum migver_reason *reason, const char **why)
{
	struct migver_info src;
	const char *detail;

	if (migver_parse(buf, len, &src, &detail)) {
		if (reason)
			*reason = MIGVER_REASON_FORMAT;
		if (why)
			*why = detail;
		return -EINVAL;
	}
	if (why)
		*why = NULL;
	return run_check(checker, &src, dst, reason);
}

/*
 * The one order every checker reports in, so a refusal means the same
 * whichever checker is active: hardware, then type, then software.
 */
enum migver_reason migver_classify(const struct migver_info *src,
				   const struct migver_info *dst)
{
	return migver_classify_inline(src, dst);
}

/* One table entry per MIGVER_CHECKER(name) line of checkers.h. */
#define MIGVER_CHECKER_REF(sym) (&(sym))
static const struct migver_checker *const checkers[] = {
#define MIGVER_CHECKER(name) MIGVER_CHECKER_REF(migver_checker_##name),
#include <migver/checkers.h>
#undef MIGVER_CHECKER
};

#undef MIGVER_CHECKER_REF

const struct migver_checker *migver_checker_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(checkers); i++)
		if (sysfs_streq(name, checkers[i]->name))
			return checkers[i];
	return NULL;
}

const struct migver_checker *migver_checker_at(size_t index)
{
	return index < ARRAY_SIZE(checkers) ? checkers[index] : NULL;
}

size_t migver_checker_count(void)
{
	return ARRAY_SIZE(checkers);
}
