/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility checkers: given the SOURCE's facts and the TARGET's, may the
 * target accept a migration from the source, and if not, why?
 *
 * Every checker classifies a refusal the same way and in the same order, so
 * management software can act on the errno alone:
 *
 *   unsupported  target accepts no migration at all       -EOPNOTSUPP
 *   hardware     device_api, PCI vendor or device differ    -ENODEV
 *   type         mdev type or aggregation differ            -EMEDIUMTYPE
 *   software     software version not acceptable            -ERANGE
 *   format       source string malformed (parse stage)      -EINVAL
 *
 * Checkers differ only in their software-version rule: each must refuse
 * what migver_classify() calls a hardware or type difference, with that
 * reason (the fuzzer and KUnit hold every line of checkers.h to this).
 *
 * Adding a checker (README.md, "Adding a checker"): write
 * src/core/check_<name>.c defining
 * "const struct migver_checker migver_checker_<name>", add one
 * MIGVER_CHECKER(<name>) line to include/migver/checkers.h, and name it in
 * the checker parameter's description and README's checker tables.
 */
#ifndef MIGVER_CHECK_H
#define MIGVER_CHECK_H

#include "version.h"

enum migver_reason {
	MIGVER_COMPATIBLE = 0,
	MIGVER_REASON_FORMAT,
	MIGVER_REASON_UNSUPPORTED,
	MIGVER_REASON_HARDWARE,
	MIGVER_REASON_TYPE,
	MIGVER_REASON_SOFTWARE,
	MIGVER_REASON_COUNT
};

struct migver_checker {
	const char *name;
	const char *summary; /* one line, shown in docs and logs */
	/*
	 * Pure function of its arguments; must not sleep, allocate or keep
	 * state, so it may run concurrently with itself and with a switch of
	 * the active checker.
	 */
	enum migver_reason (*check)(const struct migver_info *src,
				    const struct migver_info *dst);
};

#define MIGVER_DEFAULT_CHECKER "semver"

/* 0 for MIGVER_COMPATIBLE, else the negative errno of the table above. */
int migver_reason_errno(enum migver_reason reason);
/* "compatible", "format", "unsupported", "hardware", "type", "software" */
const char *migver_reason_name(enum migver_reason reason);

/**
 * migver_check() - run @checker on two parsed sides
 * @reason: if not NULL, receives the classification
 *
 * Return: 0 if compatible, else migver_reason_errno() of the reason.
 */
int migver_check(const struct migver_checker *checker,
		 const struct migver_info *src, const struct migver_info *dst,
		 enum migver_reason *reason);

/**
 * migver_check_string() - parse a SOURCE string and check it against @dst
 * @why: if not NULL, set to a static detail string on a format error
 *
 * Return: as migver_check(); a malformed @buf gives -EINVAL and
 * MIGVER_REASON_FORMAT.
 */
int migver_check_string(const struct migver_checker *checker,
			const char *buf, size_t len,
			const struct migver_info *dst,
			enum migver_reason *reason, const char **why);

/*
 * First difference in the fixed order hardware, type, software version
 * (exact equality of sw); MIGVER_COMPATIBLE if none.  Shared by checkers.
 */
enum migver_reason migver_classify(const struct migver_info *src,
				   const struct migver_info *dst);

/* Lookup by name with sysfs_streq() semantics; NULL if unknown. */
const struct migver_checker *migver_checker_find(const char *name);
/* The built-in checkers, in table order; NULL past the end. */
const struct migver_checker *migver_checker_at(size_t index);
size_t migver_checker_count(void);

/*
 * Declares migver_checker_<name> for every line of checkers.h, as one
 * declaration list closed by a sentinel that is never defined nor used.
 */
#define MIGVER_CHECKER(name) migver_checker_##name,
extern const struct migver_checker
#include "checkers.h"
	migver_checker_list_end;
#undef MIGVER_CHECKER

#endif /* MIGVER_CHECK_H */
