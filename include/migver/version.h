/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * migration_version strings: the facts one side of a migration states about
 * itself, their two textual formats, and a strict parser and emitter.
 *
 * Formats (grammar in README.md, "Version string formats"):
 *
 *   gvt        <vendor>-<device>-<type>-<software version>, printed as
 *              %04x-%04x-%s-%08x, e.g. "8086-591d-GVTg_V5_8-01020003".
 *              The 8 hex digits are MMmmpppp: major (8 bits), minor
 *              (8 bits), patch (16 bits); 01020003 is 1.2.3 and the
 *              series' example 00000001 is 0.0.1.
 *
 *   structured ';'-separated key=value fields, canonical order:
 *              device_api=vfio-pci;pci_id=8086:591d;type=GVTg_V5_8;
 *              aggregator=1;software_version=1.2.0;
 *              accepted_source_versions=1.0.0-1.2.0
 *              (one line, wrapped here).  A string is structured iff it
 *              contains '='.
 *
 * Both: printable ASCII, at most MIGVER_MAX_LEN bytes plus one optional
 * trailing '\n' (what echo adds).  Parsing is all-or-nothing; emit(parse(s))
 * is the canonical form of s and parse(emit(x)) == x.
 *
 * No allocation, no locking, no global state: every function is safe to call
 * concurrently and from any context.
 */
#ifndef MIGVER_VERSION_H
#define MIGVER_VERSION_H

#include "port.h"

/* Longest accepted string, excluding one optional trailing newline. */
#define MIGVER_MAX_LEN 511
/* Buffer that holds any emitted string and its NUL. */
#define MIGVER_BUF_SIZE (MIGVER_MAX_LEN + 1)

#define MIGVER_DEVICE_API_MAX 15 /* lower-case letters, digits, '-' */
#define MIGVER_TYPE_MAX 31 /* letters, digits, '_' */
#define MIGVER_AGGREGATOR_MAX 64
#define MIGVER_MAX_RANGES 8
#define MIGVER_KEY_MAX 31 /* longest field name, known or not */

enum migver_format {
	MIGVER_FMT_GVT,
	MIGVER_FMT_STRUCTURED,
	MIGVER_FMT_COUNT
};

/* Each part 0..65535; in the gvt format major and minor must be <= 255. */
struct migver_semver {
	u16 major;
	u16 minor;
	u16 patch;
};

/* lo..hi inclusive; open_hi means lo and everything newer ("2.1.0-"). */
struct migver_range {
	struct migver_semver lo;
	struct migver_semver hi;
	bool open_hi;
};

struct migver_info {
	/* Format the string was parsed from; emitters take it as an argument. */
	enum migver_format format;
	char device_api[MIGVER_DEVICE_API_MAX + 1];
	u16 vendor;
	u16 device;
	char type[MIGVER_TYPE_MAX + 1];
	u32 aggregator; /* 1..MIGVER_AGGREGATOR_MAX */
	struct migver_semver sw; /* this side's software version */
	/*
	 * SOURCE software versions this side accepts as a migration target.
	 * n_accept == 0 is "none": this side accepts no incoming migration.
	 */
	u8 n_accept;
	struct migver_range accept[MIGVER_MAX_RANGES];
};

/**
 * migver_parse() - parse a migration_version string of either format
 * @buf: the bytes; need not be NUL-terminated, a NUL inside is an error
 * @len: number of bytes in @buf
 * @info: result.  On success every fact is set: both strings are
 *        zero-padded to the end of their arrays, ranges past n_accept and
 *        padding bytes are left as they were.  On error all zeroes.
 * @why: if not NULL, set on error to a static, human-readable reason
 *
 * A gvt string yields device_api "vfio-pci", aggregator 1 and an accepted
 * range of exactly its own software version.  Unknown structured fields
 * (well-formed key and value) are ignored; a repeated field, known or not,
 * is an error.
 *
 * Return: 0, or -EINVAL for anything malformed.
 */
int migver_parse(const char *buf, size_t len, struct migver_info *info,
		 const char **why);

/**
 * migver_emit() - print @info in format @fmt, canonical form, no newline
 * @info: facts to print; validated against the grammar first
 * @fmt: output format
 * @buf: destination, always NUL-terminated when @size > 0
 * @size: size of @buf; MIGVER_BUF_SIZE always suffices
 *
 * Return: string length, -EINVAL if @info breaks the grammar, -ERANGE if
 * the format cannot carry it (gvt: major/minor > 255, aggregator != 1,
 * device_api other than vfio-pci), -ENOSPC if @size is too small.  The gvt
 * format carries no accepted range: that part of @info is not printed.
 */
int migver_emit(const struct migver_info *info, enum migver_format fmt,
		char *buf, size_t size);

/**
 * migver_emit_check() - whether migver_emit() can print @info in @fmt
 * Return: 0, or migver_emit()'s -EINVAL / -ERANGE.
 */
int migver_emit_check(const struct migver_info *info, enum migver_format fmt);

/**
 * migver_emit_same() - whether @a and @b print as the same string in @fmt
 *
 * The same answer as comparing the two migver_emit() strings, without the
 * two MIGVER_BUF_SIZE buffers (callers in sysfs paths have little stack).
 * Return: false if either cannot be printed in @fmt.
 */
bool migver_emit_same(const struct migver_info *a, const struct migver_info *b,
		      enum migver_format fmt);

/* Parse "MAJ.MIN.PAT" (decimal, no leading zeros, each <= 65535). */
int migver_parse_semver(const char *buf, size_t len, struct migver_semver *v);
/* Parse an accepted_source_versions value ("none" or a range list). */
int migver_parse_ranges(const char *buf, size_t len, struct migver_info *info);
/* Print an accepted_source_versions value; same returns as migver_emit(). */
int migver_emit_ranges(const struct migver_info *info, char *buf, size_t size);

int migver_semver_cmp(const struct migver_semver *a,
		      const struct migver_semver *b);
bool migver_range_contains(const struct migver_range *r,
			   const struct migver_semver *v);
/* Is @v inside any of @info's accepted ranges? */
bool migver_accepts(const struct migver_info *info,
		    const struct migver_semver *v);
/* Field-by-field equality (ignores bytes after strings' NULs). */
bool migver_info_equal(const struct migver_info *a,
		       const struct migver_info *b);
/* 0 if @info obeys the grammar's limits, else -EINVAL. */
int migver_info_validate(const struct migver_info *info);

const char *migver_format_name(enum migver_format fmt);
/* "gvt" / "structured", sysfs_streq() semantics; -EINVAL if unknown. */
int migver_format_from_name(const char *name, enum migver_format *fmt);

#endif /* MIGVER_VERSION_H */
