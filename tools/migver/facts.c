// SPDX-License-Identifier: GPL-2.0-only
/*
 * Facts and verdicts as people and programs read them: parsed facts to
 * JSON, the fields in which two sides differ, reason names, errnos and
 * exit status.  Parsing and deciding are the core's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migver.h"

/* An accepted list at its longest, as the driver sizes it, and a NUL. */
#define RANGES_MAX (MIGVER_MAX_RANGES * 36 + 1)

const char *semver_str(const struct migver_semver *v, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u", v->major, v->minor, v->patch);
	return buf;
}

char *ranges_str(const struct migver_info *info)
{
	char buf[RANGES_MAX];

	if (migver_emit_ranges(info, buf, sizeof(buf)) < 0)
		return strdup("?");
	return strdup(buf);
}

json_t *facts_json(const struct migver_info *info)
{
	char sw[24], pci[16], vendor[8], device[8];
	char *acc = ranges_str(info);
	json_t *j;

	snprintf(vendor, sizeof(vendor), "%04x", info->vendor);
	snprintf(device, sizeof(device), "%04x", info->device);
	snprintf(pci, sizeof(pci), "%s:%s", vendor, device);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s?}",
		      "format", migver_format_name(info->format),
		      "device_api", info->device_api, "vendor", vendor,
		      "device", device, "pci_id", pci, "type", info->type,
		      "aggregator", (json_int_t)info->aggregator,
		      "software_version", semver_str(&info->sw, sw, sizeof(sw)),
		      "accepted_source_versions", acc);
	free(acc);
	return j;
}

static int add_diff(json_t *diffs, const char *field, const char *s,
		    const char *t)
{
	return json_array_append_new(diffs, json_pack("{s:s, s:s, s:s}",
						      "field", field,
						      "source", s,
						      "target", t));
}

/*
 * Every fact a checker may look at, in the classification order.  The
 * software version is a difference when the target does not accept it
 * (its list) or runs another version (what the gvt and strict checkers
 * compare); both are shown, each once.
 */
json_t *differences(const struct migver_info *src,
		    const struct migver_info *dst)
{
	json_t *d = json_array();
	char a[40], b[40];

	if (!d)
		return NULL;
	if (strcmp(src->device_api, dst->device_api))
		add_diff(d, "device_api", src->device_api, dst->device_api);
	if (src->vendor != dst->vendor) {
		snprintf(a, sizeof(a), "%04x", src->vendor);
		snprintf(b, sizeof(b), "%04x", dst->vendor);
		add_diff(d, "vendor", a, b);
	}
	if (src->device != dst->device) {
		snprintf(a, sizeof(a), "%04x", src->device);
		snprintf(b, sizeof(b), "%04x", dst->device);
		add_diff(d, "device", a, b);
	}
	if (strcmp(src->type, dst->type))
		add_diff(d, "type", src->type, dst->type);
	if (src->aggregator != dst->aggregator) {
		snprintf(a, sizeof(a), "%u", src->aggregator);
		snprintf(b, sizeof(b), "%u", dst->aggregator);
		add_diff(d, "aggregator", a, b);
	}
	if (!migver_accepts(dst, &src->sw)) {
		char *acc = ranges_str(dst);

		add_diff(d, "accepted_source_versions",
			 semver_str(&src->sw, a, sizeof(a)), acc);
		free(acc);
	}
	if (migver_semver_cmp(&src->sw, &dst->sw))
		add_diff(d, "software_version", semver_str(&src->sw, a, sizeof(a)),
			 semver_str(&dst->sw, b, sizeof(b)));
	return d;
}

void print_differences(json_t *diffs)
{
	size_t i;
	json_t *v;

	json_array_foreach(diffs, i, v)
		printf("  %-25s source %-20s target %s\n",
		       json_string_value(json_object_get(v, "field")),
		       json_string_value(json_object_get(v, "source")),
		       json_string_value(json_object_get(v, "target")));
}

static const char *const errno_names[MIGVER_REASON_COUNT] = {
	[MIGVER_COMPATIBLE] = "",
	[MIGVER_REASON_FORMAT] = "EINVAL",
	[MIGVER_REASON_UNSUPPORTED] = "EOPNOTSUPP",
	[MIGVER_REASON_HARDWARE] = "ENODEV",
	[MIGVER_REASON_TYPE] = "EMEDIUMTYPE",
	[MIGVER_REASON_SOFTWARE] = "ERANGE",
};

const char *reason_errno_name(enum migver_reason reason)
{
	return (unsigned int)reason < MIGVER_REASON_COUNT ?
		       errno_names[reason] : "?";
}

/* The kernel's errno table (README.md, "errno table"), read backwards. */
int reason_from_errno(int e, enum migver_reason *reason)
{
	int r;

	for (r = 0; r < MIGVER_REASON_COUNT; r++) {
		if (-migver_reason_errno(r) == e) {
			*reason = r;
			return 0;
		}
	}
	return -1;
}

const struct migver_checker *find_checker(const char *name)
{
	const struct migver_checker *c = migver_checker_find(name);
	size_t i;

	if (c)
		return c;
	fprintf(stderr, "migver: unknown checker '%s' (known:", name);
	for (i = 0; (c = migver_checker_at(i)); i++)
		fprintf(stderr, " %s", c->name);
	fputs(")\n", stderr);
	return NULL;
}

void side_parse(struct side *s)
{
	s->why = NULL;
	s->parse_err = migver_parse(s->buf, s->len, &s->info, &s->why);
}

void side_free(struct side *s)
{
	free(s->origin);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

json_t *side_json(const struct side *s)
{
	json_t *j = json_object();
	/* the string as the attribute holds it: one trailing newline dropped */
	size_t n = s->len && s->buf[s->len - 1] == '\n' ? s->len - 1 : s->len;

	json_object_set_new(j, "origin", json_string(s->origin));
	json_object_set_new(j, "string", json_stringn(s->buf, n));
	if (!json_object_get(j, "string")) /* not UTF-8, or holds a NUL */
		json_object_set_new(j, "string", json_null());
	if (s->parse_err) {
		json_object_set_new(j, "facts", json_null());
		json_object_set_new(j, "error", json_string(s->why ? s->why : "malformed"));
	} else {
		json_object_set_new(j, "facts", facts_json(&s->info));
	}
	return j;
}
