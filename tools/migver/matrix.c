// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver matrix`: inventories of `migver list --json` from many hosts in,
 * which source devices (or types) can go to which target types out.  Each
 * string is parsed once by the core; every pair is one checker call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migver.h"

static int inv_add(struct inv *v, const char *host, const char *a,
		   const char *b, json_t *obj, const char *file)
{
	const char *s = NULL, *acc = NULL;
	json_t *f = NULL;
	struct inv_entry *e;
	json_error_t je;

	if (json_unpack_ex(obj, &je, 0, "{s?s, s?o}", "migration_version", &s,
			   "facts", &f)) {
		err("%s: not a migver list inventory: %s", file, je.text);
		return -1;
	}
	if (!s)
		return 0; /* does not migrate: nothing to match */
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct inv_entry *ne = realloc(v->e, cap * sizeof(*ne));

		if (!ne)
			return -1;
		v->e = ne;
		v->cap = cap;
	}
	e = &v->e[v->n];
	memset(e, 0, sizeof(*e));
	if (asprintf(&e->id, b ? "%s/%s/%s" : "%s/%s", host, a, b) < 0)
		return -1;
	e->string = s;
	e->parse_err = migver_parse(s, strlen(s), &e->info, &e->why);
	/* an accepted list the string cannot carry, as list found it */
	if (!e->parse_err && json_object_get(obj, "accepted_from") &&
	    json_is_object(f) &&
	    json_unpack(f, "{s:s}", "accepted_source_versions", &acc) == 0 &&
	    migver_parse_ranges(acc, strlen(acc), &e->info)) {
		err("%s: %s: bad accepted_source_versions '%s'", file, e->id, acc);
		free(e->id);
		return -1;
	}
	v->n++;
	return 0;
}

static int inv_load(struct inv *v, const char *file, bool types)
{
	size_t len;
	char *text;
	int ret;

	memset(v, 0, sizeof(*v));
	text = read_file(file, INPUT_MAX, &len);
	if (!text) {
		if (errno == EFBIG)
			err("%s: larger than %lu MiB", file, INPUT_MAX >> 20);
		else
			err("%s: %s", file, strerror(errno));
		return -1;
	}
	ret = inv_parse(v, text, len, file, types);
	free(text);
	return ret;
}

int inv_parse(struct inv *v, const char *text, size_t len, const char *file,
	      bool types)
{
	json_t *parents = NULL, *devices = NULL, *p, *t, *d;
	const char *schema, *command, *host;
	json_error_t je;
	size_t i, j;

	memset(v, 0, sizeof(*v));
	v->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!v->doc) {
		err("%s: invalid JSON at line %d: %s", file, je.line, je.text);
		return -1;
	}
	if (json_unpack_ex(v->doc, &je, 0, "{s:s, s:s, s:s, s:o, s:o}", "schema",
			   &schema, "command", &command, "host", &host,
			   "parents", &parents, "devices", &devices) ||
	    strcmp(schema, MIGVER_SCHEMA) || strcmp(command, "list") ||
	    !json_is_array(parents) || !json_is_array(devices)) {
		err("%s: not a migver list inventory of schema %s%s%s", file,
		    MIGVER_SCHEMA, je.text[0] ? ": " : "", je.text);
		return -1;
	}
	if (!types) {
		json_array_foreach(devices, i, d) {
			const char *uuid;

			if (json_unpack_ex(d, &je, 0, "{s:s}", "uuid", &uuid)) {
				err("%s: devices[%zu]: %s", file, i, je.text);
				return -1;
			}
			if (inv_add(v, host, uuid, NULL, d, file))
				return -1;
		}
		return 0;
	}
	json_array_foreach(parents, i, p) {
		const char *pname, *tid;
		json_t *tl;

		if (json_unpack_ex(p, &je, 0, "{s:s, s:o}", "name", &pname,
				   "types", &tl) || !json_is_array(tl)) {
			err("%s: parents[%zu]: %s", file, i,
			    je.text[0] ? je.text : "types is not an array");
			return -1;
		}
		json_array_foreach(tl, j, t) {
			if (json_unpack_ex(t, &je, 0, "{s:s}", "id", &tid)) {
				err("%s: parents[%zu].types[%zu]: %s", file, i, j, je.text);
				return -1;
			}
			if (inv_add(v, host, pname, tid, t, file))
				return -1;
		}
	}
	return 0;
}

void inv_free(struct inv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->e[i].id);
	free(v->e);
	json_decref(v->doc);
}

int cmd_matrix(const struct opts *o)
{
	const struct migver_checker *checker;
	const char *cname = o->checker;
	struct inv src = { 0 }, dst = { 0 };
	unsigned char *res = NULL;
	int ret = EXIT_ERROR;
	size_t i, j;

	if (inv_load(&src, o->sources, o->types_as_sources) ||
	    inv_load(&dst, o->targets, true))
		goto out;
	if (!cname)
		cname = json_string_value(json_object_get(json_object_get(dst.doc, "module"),
							  "checker"));
	if (!cname)
		cname = MIGVER_DEFAULT_CHECKER;
	checker = find_checker(cname);
	if (!checker)
		goto out;
	for (j = 0; j < dst.n; j++) {
		if (dst.e[j].parse_err) {
			err("%s: target %s: malformed migration_version: %s",
			    o->targets, dst.e[j].id, dst.e[j].why);
			goto out;
		}
	}
	res = malloc(src.n * dst.n + 1);
	if (!res) {
		err("out of memory");
		goto out;
	}
	for (i = 0; i < src.n; i++) {
		for (j = 0; j < dst.n; j++) {
			enum migver_reason r = MIGVER_REASON_FORMAT;

			if (!src.e[i].parse_err)
				r = checker->check(&src.e[i].info, &dst.e[j].info);
			res[i * dst.n + j] = (unsigned char)r;
		}
	}
	ret = 0;
	if (o->json) {
		json_t *doc, *sl = json_array(), *tl = json_array(), *rows = json_array();

		for (i = 0; i < src.n; i++)
			json_array_append_new(sl, json_pack("{s:s, s:s}", "id", src.e[i].id,
							    "migration_version",
							    src.e[i].string));
		for (j = 0; j < dst.n; j++)
			json_array_append_new(tl, json_pack("{s:s, s:s}", "id", dst.e[j].id,
							    "migration_version",
							    dst.e[j].string));
		/* one string per reason, shared by every cell */
		json_t *rs[MIGVER_REASON_COUNT];
		int r;

		for (r = 0; r < MIGVER_REASON_COUNT; r++)
			rs[r] = json_string(migver_reason_name(r));
		for (i = 0; i < src.n; i++) {
			json_t *row = json_array();

			for (j = 0; j < dst.n; j++)
				json_array_append(row, rs[res[i * dst.n + j]]);
			json_array_append_new(rows, row);
		}
		for (r = 0; r < MIGVER_REASON_COUNT; r++)
			json_decref(rs[r]);
		doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "schema", MIGVER_SCHEMA,
				"command", "matrix", "checker", checker->name,
				"sources", sl, "targets", tl, "results", rows);
		ret = json_print(doc);
	} else {
		printf("checker %s: %zu sources x %zu targets\n", checker->name,
		       src.n, dst.n);
		for (i = 0; i < src.n; i++)
			for (j = 0; j < dst.n; j++)
				printf("%s -> %s: %s\n", src.e[i].id, dst.e[j].id,
				       migver_reason_name(res[i * dst.n + j]));
		if (fflush(stdout))
			ret = EXIT_ERROR;
	}
out:
	free(res);
	inv_free(&src);
	inv_free(&dst);
	return ret;
}
