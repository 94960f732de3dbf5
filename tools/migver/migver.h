/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * migver: the userspace front end of the version-string core (src/core).
 * Shared declarations of its few source files; main.c dispatches.
 *
 * Exit status (README.md, "The migver tool", and migver(8)):
 *   0                compatible (or the command succeeded)
 *   1                usage, I/O or bad input (unreadable path, invalid
 *                    JSON, corrupted stream, ...)
 *   9 + reason       not compatible: 10 format, 11 unsupported,
 *                    12 hardware, 13 type, 14 software
 */
#ifndef MIGVER_TOOL_H
#define MIGVER_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <migver/check.h>
#include <migver/version.h>

#define EXIT_VERDICT_BASE 9
#define EXIT_ERROR 1
/* Output schema: bump the number on any incompatible change. */
#define MIGVER_SCHEMA "migver/1"
/* Largest SOURCE file or sysfs attribute read (a sysfs page). */
#define SOURCE_MAX 4096
/* Largest inventory or stream file read whole. */
#define INPUT_MAX (64UL << 20)

struct opts {
	bool json;
	const char *root; /* --sysfs-root, "" for none */
	const char *checker; /* --checker or NULL */
	const char *accept; /* explain --accept RANGES or NULL */
	const char *check; /* inspect --check TARGET or NULL */
	const char *device; /* inspect --device ID (of a QEMU image) or NULL */
	const char *sources, *targets; /* matrix */
	bool types_as_sources; /* matrix --source-types */
};

/* util.c */
extern bool migver_quiet;
void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int json_print(json_t *doc); /* prints, frees; EXIT_ERROR if it failed */
int verdict_exit(enum migver_reason reason);

/* sysfs.c: paths under --sysfs-root */
extern const char *sysfs_root;
char *root_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Up to @max bytes of @path into a malloc'd NUL-terminated buffer. */
char *read_file(const char *path, size_t max, size_t *len);
/* A small sysfs text attribute, trailing newline removed; NULL if none. */
char *read_attr(const char *dir, const char *name);
bool is_dir(const char *path);
/* The active checker's name from the module's parameter, or NULL. */
char *active_checker(void);
/*
 * The accepted ranges a target's string cannot carry (the gvt format has
 * none): for a parent of this module, from its parameters.  NULL when the
 * string carries them or the parent is not one of this module's.
 */
char *param_accept(const char *parent, const struct migver_info *info);

/* facts.c */
json_t *facts_json(const struct migver_info *info);
/* "1.2.0" into @buf (>= 18 bytes) */
const char *semver_str(const struct migver_semver *v, char *buf, size_t size);
/* The accepted list as a string, "none" or "a-b,c-"; malloc'd. */
char *ranges_str(const struct migver_info *info);
/* Fields in which @src and @dst differ, each {field, source, target}. */
json_t *differences(const struct migver_info *src,
		    const struct migver_info *dst);
void print_differences(json_t *diffs);
const char *reason_errno_name(enum migver_reason reason);
/* errno of a refused write to the reason class; -1 if not a verdict */
int reason_from_errno(int e, enum migver_reason *reason);
const struct migver_checker *find_checker(const char *name);

/*
 * One side of a check: where it came from, its string and, when it
 * parsed, its facts.
 */
struct side {
	char *origin; /* path, "-", or "string" */
	char *buf; /* the bytes as read */
	size_t len;
	int parse_err; /* 0 or -EINVAL */
	const char *why; /* parse failure detail */
	struct migver_info info;
};

void side_parse(struct side *s);
void side_free(struct side *s);
json_t *side_json(const struct side *s);

/* matrix.c: an inventory of `migver list --json`, parsed */
struct inv_entry {
	char *id; /* host/uuid or host/parent/type */
	const char *string; /* into the inventory document */
	int parse_err;
	const char *why;
	struct migver_info info;
};

struct inv {
	json_t *doc;
	struct inv_entry *e;
	size_t n, cap;
};

/* @types: its types, else its devices.  0, or -1 after one error line. */
int inv_parse(struct inv *v, const char *text, size_t len, const char *name,
	      bool types);
void inv_free(struct inv *v);

/* Commands */
int cmd_list(const struct opts *o);
int cmd_check(const struct opts *o, const char *source, const char *target);
int cmd_explain(const struct opts *o, const char *source, const char *target);
int cmd_matrix(const struct opts *o);
int cmd_inspect(const struct opts *o, const char *file);

/* check.c, shared with inspect: read SOURCE (string, file, -, sysfs) */
int source_load(const char *arg, struct side *s);
/* Resolve TARGET (path, PARENT/TYPE or uuid) to its directory. */
char *target_dir(const char *arg);
int check_against(const struct opts *o, struct side *src, const char *target,
		  const char *command, json_t *extra);
int verdict_for(const char *tdir, struct side *src,
		const struct migver_checker *checker,
		enum migver_reason *reason, json_t **diffs);

/* qemu_image.c: the VFIO device state inside a QEMU migration image */
#define QEMU_IMAGE_MAX_DEVICES 16
struct qemu_vfio_dev {
	char id[256]; /* the section's idstr, "<device path>/vfio" */
	u32 section;
};

/* One data block of device @dev, in stream order; nonzero stops the scan. */
typedef int (*qemu_chunk_fn)(void *ctx, unsigned int dev, const u8 *data,
			     size_t len);
bool qemu_image_magic(const u8 *b, size_t n);
/*
 * Finds the VFIO devices of the image @b (@n bytes) into @devs (room for
 * QEMU_IMAGE_MAX_DEVICES) and hands each one's data blocks to @fn.  The
 * number of devices, or -1 after one error line.
 */
int qemu_image_scan(const char *file, const u8 *b, size_t n,
		    struct qemu_vfio_dev *devs, qemu_chunk_fn fn, void *ctx);

/* callout.c: `migver mdevctl-callout -- -t TYPE -e EVENT ...` */
int cmd_mdevctl_callout(const struct opts *o, int argc, char **argv);

#endif /* MIGVER_TOOL_H */
