// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migver list`: every mdev parent of this host (any parent under
 * /sys/class/mdev_bus, whatever its bus or class), its types and devices,
 * their migration_version strings and parsed facts, and the module's
 * active checker.  Its JSON is the inventory `migver matrix` reads.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migver.h"

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Facts of one migration_version, with the accepted list it cannot carry. */
static json_t *version_json(json_t *obj, const char *dir, const char *parent)
{
	struct migver_info info;
	char *s = read_attr(dir, "migration_version");
	const char *why = NULL;
	char *acc = NULL;
	json_t *facts;

	if (!s) {
		/* no attribute: this type or device does not migrate */
		json_object_set_new(obj, "migration_version", json_null());
		json_object_set_new(obj, "facts", json_null());
		return obj;
	}
	json_object_set_new(obj, "migration_version", json_string(s));
	if (migver_parse(s, strlen(s), &info, &why)) {
		json_object_set_new(obj, "facts", json_null());
		json_object_set_new(obj, "error", json_string(why));
		free(s);
		return obj;
	}
	if (parent)
		acc = param_accept(parent, &info);
	if (acc && !migver_parse_ranges(acc, strlen(acc), &info))
		json_object_set_new(obj, "accepted_from",
				    json_string("module parameters"));
	facts = facts_json(&info);
	json_object_set_new(obj, "facts", facts);
	free(acc);
	free(s);
	return obj;
}

static json_t *attr_or_null(const char *dir, const char *name, bool number)
{
	char *s = read_attr(dir, name);
	json_t *j;

	if (!s)
		return json_null();
	if (number) {
		char *end;
		long long v = strtoll(s, &end, 10);

		j = *s && !*end ? json_integer(v) : json_string(s);
	} else {
		j = json_string(s);
	}
	free(s);
	return j ? j : json_null();
}

static json_t *list_types(const char *parent, const char *pdir)
{
	struct dirent **ents = NULL;
	json_t *types = json_array();
	char *tdir;
	int i, n;

	if (asprintf(&tdir, "%s/mdev_supported_types", pdir) < 0)
		return types;
	n = scandir(tdir, &ents, not_hidden, alphasort);
	for (i = 0; i < n; i++) {
		struct dirent **devs = NULL;
		json_t *t = json_object(), *d = json_array();
		char *dir, *ddir;
		int j, nd;

		if (asprintf(&dir, "%s/%s", tdir, ents[i]->d_name) < 0) {
			json_decref(t);
			json_decref(d);
			free(ents[i]);
			continue;
		}
		json_object_set_new(t, "id", json_string(ents[i]->d_name));
		json_object_set_new(t, "name", attr_or_null(dir, "name", false));
		json_object_set_new(t, "description", attr_or_null(dir, "description", false));
		json_object_set_new(t, "device_api", attr_or_null(dir, "device_api", false));
		json_object_set_new(t, "available_instances",
				    attr_or_null(dir, "available_instances", true));
		version_json(t, dir, parent);
		if (asprintf(&ddir, "%s/devices", dir) >= 0) {
			nd = scandir(ddir, &devs, not_hidden, alphasort);
			for (j = 0; j < nd; j++) {
				json_array_append_new(d, json_string(devs[j]->d_name));
				free(devs[j]);
			}
			free(devs);
			free(ddir);
		}
		json_object_set_new(t, "devices", d);
		json_array_append_new(types, t);
		free(dir);
		free(ents[i]);
	}
	free(ents);
	free(tdir);
	return types;
}

/* /sys/bus/mdev/devices/<uuid>: its parent and type from its links. */
static json_t *list_devices(void)
{
	char *bus = root_path("/sys/bus/mdev/devices");
	struct dirent **ents = NULL;
	json_t *devs = json_array();
	int i, n;

	n = bus ? scandir(bus, &ents, not_hidden, alphasort) : -1;
	for (i = 0; i < n; i++) {
		json_t *d = json_object();
		char *dir, *tlink, real[4096], treal[4096];
		const char *parent = NULL, *type = NULL;
		char *slash;

		if (asprintf(&dir, "%s/%s", bus, ents[i]->d_name) < 0) {
			free(ents[i]);
			json_decref(d);
			continue;
		}
		json_object_set_new(d, "uuid", json_string(ents[i]->d_name));
		/* <parent>/<uuid> and <parent>/mdev_supported_types/<type> */
		if (realpath(dir, real) && (slash = strrchr(real, '/'))) {
			*slash = '\0';
			parent = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
		}
		if (asprintf(&tlink, "%s/mdev_type", dir) >= 0) {
			if (realpath(tlink, treal))
				type = strrchr(treal, '/') ? strrchr(treal, '/') + 1 : treal;
			free(tlink);
		}
		json_object_set_new(d, "parent", parent ? json_string(parent) : json_null());
		json_object_set_new(d, "type", type ? json_string(type) : json_null());
		version_json(d, dir, parent);
		json_array_append_new(devs, d);
		free(dir);
		free(ents[i]);
	}
	free(ents);
	free(bus);
	return devs;
}

static json_t *inventory(void)
{
	char *cls = root_path("/sys/class/mdev_bus");
	char *mod = root_path("/sys/module/mdev_migver");
	struct dirent **ents = NULL;
	json_t *doc, *parents = json_array(), *m;
	char host[256] = "";
	int i, n;

	n = cls ? scandir(cls, &ents, not_hidden, alphasort) : -1;
	for (i = 0; i < n; i++) {
		char *pdir;

		if (asprintf(&pdir, "%s/%s", cls, ents[i]->d_name) >= 0) {
			json_array_append_new(parents,
					      json_pack("{s:s, s:o}", "name", ents[i]->d_name,
							"types", list_types(ents[i]->d_name, pdir)));
			free(pdir);
		}
		free(ents[i]);
	}
	free(ents);
	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	m = json_pack("{s:b, s:o, s:o}", "loaded", mod && is_dir(mod),
		      "version", mod ? attr_or_null(mod, "version", false) : json_null(),
		      "checker", json_null());
	{
		char *c = active_checker();

		if (c)
			json_object_set_new(m, "checker", json_string(c));
		free(c);
	}
	doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "schema", MIGVER_SCHEMA,
			"command", "list", "host", host, "module", m,
			"parents", parents, "devices", list_devices());
	free(cls);
	free(mod);
	return doc;
}

static void print_facts(json_t *obj, const char *indent)
{
	json_t *f = json_object_get(obj, "facts");
	const char *s = json_string_value(json_object_get(obj, "migration_version"));

	if (!s) {
		printf("%smigration_version: none (does not migrate)\n", indent);
		return;
	}
	printf("%smigration_version: %s\n", indent, s);
	if (!f) {
		printf("%s  malformed: %s\n", indent,
		       json_string_value(json_object_get(obj, "error")));
		return;
	}
	printf("%s  %s %s %s x%lld, software %s, accepts %s%s\n", indent,
	       json_string_value(json_object_get(f, "device_api")),
	       json_string_value(json_object_get(f, "pci_id")),
	       json_string_value(json_object_get(f, "type")),
	       (long long)json_integer_value(json_object_get(f, "aggregator")),
	       json_string_value(json_object_get(f, "software_version")),
	       json_string_value(json_object_get(f, "accepted_source_versions")),
	       json_object_get(obj, "accepted_from") ? " (from the module's parameters)" : "");
}

int cmd_list(const struct opts *o)
{
	json_t *doc = inventory(), *m, *p, *t, *d, *parents, *devs, *types;
	size_t i, j;

	if (!doc) {
		err("out of memory");
		return EXIT_ERROR;
	}
	if (o->json)
		return json_print(doc);
	m = json_object_get(doc, "module");
	if (json_is_true(json_object_get(m, "loaded")))
		printf("module mdev_migver %s, checker %s\n",
		       json_string_value(json_object_get(m, "version")) ?: "?",
		       json_string_value(json_object_get(m, "checker")) ?: "?");
	else
		printf("module mdev_migver not loaded\n");
	parents = json_object_get(doc, "parents");
	if (!json_array_size(parents))
		printf("no mdev parents\n");
	json_array_foreach(parents, i, p) {
		printf("parent %s\n", json_string_value(json_object_get(p, "name")));
		types = json_object_get(p, "types");
		json_array_foreach(types, j, t) {
			json_t *a = json_object_get(t, "available_instances");

			printf("  type %s (%s), available %lld\n",
			       json_string_value(json_object_get(t, "id")),
			       json_string_value(json_object_get(t, "name")) ?: "?",
			       json_is_integer(a) ? (long long)json_integer_value(a) : -1LL);
			print_facts(t, "    ");
		}
	}
	devs = json_object_get(doc, "devices");
	json_array_foreach(devs, i, d) {
		printf("device %s on %s, type %s\n",
		       json_string_value(json_object_get(d, "uuid")),
		       json_string_value(json_object_get(d, "parent")) ?: "?",
		       json_string_value(json_object_get(d, "type")) ?: "?");
		print_facts(d, "  ");
	}
	json_decref(doc);
	return fflush(stdout) ? EXIT_ERROR : 0;
}
