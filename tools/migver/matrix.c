// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver matrix`: inventories of `migver list --json` from many hosts in,
 * which source devices (or types) can go to which target types out.  Each
 * string is parsed once by the core; every pair is one checker call.
 * `make bench` holds it to 5 million checks per second on 1,000 x 1,000
 * (tests/bench/matrix.sh): no allocation per entry beyond its id, none per
 * cell, the results array written by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "migver.h"

/*
 * jansson's values, from an arena of transparent huge pages let go of as
 * a whole when the command ends (jansson's frees do nothing): two
 * inventories of 1,000 entries are some 100,000 small blocks, 10 MB, and
 * malloc's work and the 4 KiB page faults under them took longer than all
 * the checks of a 1,000 x 1,000 matrix.  Not under ASan, which must see
 * every block.
 */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA 0
#endif
#endif
#ifndef ARENA
#define ARENA 1
#endif
#define ARENA_CHUNK (8UL << 20)
#define HUGE_PAGE (2UL << 20)

struct chunk {
	struct chunk *next;
	size_t size, used;
};

static struct chunk *arena;

static void *arena_alloc(size_t size)
{
	struct chunk *c = arena;
	size_t head = (sizeof(*c) + 15) & ~15UL;
	void *p;

	size = (size + 15) & ~15UL;
	if (!c || c->size - c->used < size) {
		size_t n = size + head > ARENA_CHUNK ? size + head : ARENA_CHUNK;
		char *m = mmap(NULL, n + HUGE_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *a;

		if (m == MAP_FAILED)
			return NULL;
		/* on a huge page boundary, the rest given back */
		a = (char *)(((unsigned long)m + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
		if (a > m)
			munmap(m, (size_t)(a - m));
		munmap(a + n, (size_t)(m + HUGE_PAGE - a));
		madvise(a, n, MADV_HUGEPAGE);
		c = (struct chunk *)a;
		c->size = n;
		c->used = head;
		c->next = arena;
		arena = c;
	}
	p = (char *)c + c->used;
	c->used += size;
	return p;
}

static void arena_free(void *p)
{
	(void)p;
}

static void arena_release(void)
{
	while (arena) {
		struct chunk *c = arena;

		arena = c->next;
		munmap(c, c->size);
	}
}

static int inv_add(struct inv *v, const char *host, const char *a,
		   const char *b, json_t *obj, const char *file)
{
	json_t *mv = json_object_get(obj, "migration_version");
	json_t *f = json_object_get(obj, "facts");
	const char *s, *acc;
	struct inv_entry *e;
	json_error_t je;

	/* list writes null for a type or device that does not migrate */
	if (json_is_null(mv))
		mv = NULL;
	s = json_string_value(mv);

	/*
	 * What json_unpack_ex(obj, "{s?s, s?o}") takes, without parsing its
	 * format for each of thousands of entries; it words the errors.
	 */
	if (!json_is_object(obj) || (mv && !s)) {
		if (json_unpack_ex(obj, &je, 0, "{s?s, s?o}", "migration_version",
				   &s, "facts", &f))
			err("%s: not a migver list inventory: %s", file, je.text);
		else
			err("%s: not a migver list inventory", file);
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
	    (acc = json_string_value(json_object_get(f, "accepted_source_versions"))) &&
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
			const char *uuid = json_string_value(json_object_get(d, "uuid"));

			/* json_unpack_ex(d, "{s:s}") only to word the error */
			if (!uuid && json_unpack_ex(d, &je, 0, "{s:s}", "uuid", &uuid)) {
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
			tid = json_string_value(json_object_get(t, "id"));
			if (!tid && json_unpack_ex(t, &je, 0, "{s:s}", "id", &tid)) {
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

/*
 * @doc, whose last member is an empty "results" array, printed as
 * json_print() prints it (JSON_INDENT(2), one newline after), with the
 * rows of @res in that array.  A million cells are a million jansson
 * values, and formatting them took most of the command's time and memory,
 * so they are written here instead, byte for byte as jansson writes them:
 * each row formatted in one buffer, a cell one fixed-size copy of its
 * reason's text.  Everything that can fail but the writing itself fails
 * before the first byte.
 */
#define CELL 32 /* ",\n" 6 spaces and the quoted name fit */
static int print_results(json_t *doc, const unsigned char *res, size_t rows,
			 size_t cols)
{
	char cell[MIGVER_REASON_COUNT][CELL];
	size_t clen[MIGVER_REASON_COUNT], len, i, j, n;
	static const char tail[] = "[]\n}";
	char *head, *buf = NULL;
	int r, ret = EXIT_ERROR;

	if (!doc) {
		err("out of memory");
		return EXIT_ERROR;
	}
	for (r = 0; r < MIGVER_REASON_COUNT; r++)
		clen[r] = (size_t)snprintf(cell[r], CELL, ",\n      \"%s\"",
					   migver_reason_name(r));
	head = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	len = head ? strlen(head) : 0;
	if (!head || len < sizeof(tail) - 1 ||
	    strcmp(head + len - (sizeof(tail) - 1), tail)) {
		err("cannot format JSON output");
		goto out;
	}
	/* "    [", the cells, "\n    ],\n"; a cell's copy may run past it */
	buf = malloc(5 + cols * CELL + 16);
	if (!buf) {
		err("out of memory");
		goto out;
	}
	fwrite(head, 1, len - (sizeof(tail) - 1), stdout);
	fputs(rows ? "[\n" : "[]", stdout);
	for (i = 0; i < rows; i++) {
		const unsigned char *row = res + i * cols;

		/* the first cell's comma is overwritten by the '[' */
		memcpy(buf, "    ", 4);
		n = 4;
		for (j = 0; j < cols; j++) {
			memcpy(buf + n, cell[row[j]], CELL);
			n += clen[row[j]];
		}
		if (cols) {
			buf[4] = '[';
			memcpy(buf + n, "\n    ]", 6);
			n += 6;
		} else {
			memcpy(buf + n, "[]", 2);
			n += 2;
		}
		if (i + 1 < rows)
			buf[n++] = ',';
		buf[n++] = '\n';
		fwrite(buf, 1, n, stdout);
	}
	fputs(rows ? "  ]\n}\n" : "\n}\n", stdout);
	ret = 0;
	if (ferror(stdout) || fflush(stdout)) {
		err("writing standard output failed");
		ret = EXIT_ERROR;
	}
out:
	free(buf);
	if (ARENA)
		arena_free(head);
	else
		free(head);
	return ret;
}

int cmd_matrix(const struct opts *o)
{
	const struct migver_checker *checker;
	const char *cname = o->checker;
	struct inv src = { 0 }, dst = { 0 };
	unsigned char *res = NULL;
	int ret = EXIT_ERROR;
	size_t i, j;

	if (ARENA)
		json_set_alloc_funcs(arena_alloc, arena_free);
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
		const struct migver_info *si = &src.e[i].info;
		unsigned char *row = res + i * dst.n;

		if (src.e[i].parse_err) {
			memset(row, MIGVER_REASON_FORMAT, dst.n);
			continue;
		}
		for (j = 0; j < dst.n; j++)
			row[j] = (unsigned char)checker->check(si, &dst.e[j].info);
	}
	ret = 0;
	if (o->json) {
		json_t *doc, *sl = json_array(), *tl = json_array();

		for (i = 0; i < src.n; i++)
			json_array_append_new(sl, json_pack("{s:s, s:s}", "id", src.e[i].id,
							    "migration_version",
							    src.e[i].string));
		for (j = 0; j < dst.n; j++)
			json_array_append_new(tl, json_pack("{s:s, s:s}", "id", dst.e[j].id,
							    "migration_version",
							    dst.e[j].string));
		doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:[]}", "schema", MIGVER_SCHEMA,
				"command", "matrix", "checker", checker->name,
				"sources", sl, "targets", tl, "results");
		ret = print_results(doc, res, src.n, dst.n);
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
	arena_release();
	return ret;
}
