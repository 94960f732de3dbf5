/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The table of built-in checkers: one MIGVER_CHECKER(name) line each, for a
 * migver_checker_<name> defined in src/core/check_<name>.c.  Included by
 * check.h (declarations) and src/core/check.c (the table), each with its own
 * MIGVER_CHECKER definition; table order is the order users see.
 */
/* no include guard: this file is an X-macro list, included several times */
MIGVER_CHECKER(semver)
MIGVER_CHECKER(gvt)
MIGVER_CHECKER(strict)
