// SPDX-License-Identifier: GPL-2.0-only
/*
 * matrix_gen: the two inventories of the `migver matrix` bench
 * (tests/bench/matrix.sh, `make bench` item 9), and its baseline.
 *
 *   matrix_gen write NSRC NDST SOURCES TARGETS
 *       writes a `migver list --json` inventory (schema migver/1) of NSRC
 *       source devices on one host and one of NDST target types (each
 *       parent a GPU with all the types of its kind), from a fixed seed: the
 *       same files on every machine and every run.
 *   matrix_gen core NSRC NDST CHECKER ROUNDS
 *       the baseline: the same strings (generated again from the same
 *       seed), each parsed once by the core as `migver matrix` parses them
 *       (a target's accepted list from its facts when the string cannot
 *       carry it), then the bare loop of CHECKER's check over every
 *       (source, target) pair into a result array, as the tool's loop.
 *       Prints "core <checks/s, best of ROUNDS> <reason>=<count>...".
 *   matrix_gen time CPU COMMAND [ARG...]
 *       runs COMMAND on CPU (stdout to /dev/null) and prints its wall
 *       time, peak RSS and CPU time (see time_cmd()).
 *
 * Variety, so that the checks are not all one path: Intel GVT-g parents
 * of four PCI devices and NVIDIA-style parents (other vendor, other type
 * names), a few vfio-ccw ones (other device API); GVTg types 1, 2, 4, 8
 * with aggregated instances; software versions 1.0.0 to 2.1.0; accepted
 * lists of one to three ranges, open ones, and "none" (a parent that takes
 * no migration); both string formats, structured strings with an unknown
 * extra field now and then, gvt strings in upper-case hex now and then;
 * about one source in 100 malformed.  Sources are devices of the same
 * fleet's types, so a good share of pairs reaches the type and software
 * tests (the bench prints the verdict counts).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <migver/check.h>

static unsigned long long rng_state;

/* splitmix64: small, and the same sequence everywhere */
static unsigned long long rnd(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int pick(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* A kind of physical device: what a parent is. */
struct kind {
	const char *api;
	unsigned int vendor, device;
	const char *const *types;
	unsigned int n_types;
	unsigned int weight;
};

static const char *const gvt_types[] = { "GVTg_V5_1", "GVTg_V5_2",
					 "GVTg_V5_4", "GVTg_V5_8" };
static const char *const grid_types[] = { "GRID_T4_1Q", "GRID_T4_2Q",
					  "GRID_T4_4Q", "GRID_T4_8Q",
					  "GRID_T4_16Q", "GRID_T4_1B" };
static const char *const ccw_types[] = { "io" };

static const struct kind kinds[] = {
	{ "vfio-pci", 0x8086, 0x591d, gvt_types, 4, 8 },
	{ "vfio-pci", 0x8086, 0x5912, gvt_types, 4, 3 },
	{ "vfio-pci", 0x8086, 0x3e92, gvt_types, 4, 3 },
	{ "vfio-pci", 0x8086, 0x9bc5, gvt_types, 4, 2 },
	{ "vfio-pci", 0x10de, 0x1eb8, grid_types, 6, 3 },
	{ "vfio-ccw", 0x1014, 0x0000, ccw_types, 1, 1 },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct migver_semver versions[] = {
	{ 1, 0, 0 }, { 1, 1, 0 }, { 1, 2, 0 }, { 1, 2, 3 },
	{ 1, 3, 0 }, { 2, 0, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
};

#define N_VERSIONS (sizeof(versions) / sizeof(versions[0]))

static const struct kind *pick_kind(void)
{
	unsigned int total = 0, i, w;

	for (i = 0; i < N_KINDS; i++)
		total += kinds[i].weight;
	w = pick(total);
	for (i = 0; w >= kinds[i].weight; i++)
		w -= kinds[i].weight;
	return &kinds[i];
}

/* One generated side: its string, and for a target the list it lacks. */
struct gen {
	char id[80];
	char parent[40];
	char type_id[48];
	char s[MIGVER_BUF_SIZE + 16];
	char acc[MIGVER_BUF_SIZE]; /* "" unless accepted_from */
	int bad; /* malformed on purpose */
};

static void set_ranges(struct migver_info *in)
{
	unsigned int v = 0, k, i, n;

	while (v + 1 < N_VERSIONS &&
	       migver_semver_cmp(&versions[v + 1], &in->sw) <= 0)
		v++;
	k = pick(20);
	if (k == 0) { /* takes no migration */
		in->n_accept = 0;
		return;
	}
	if (k < 12) { /* from an older version of the same major up to its own */
		i = v;
		while (i && versions[i - 1].major == in->sw.major && pick(3))
			i--;
		in->n_accept = 1;
		in->accept[0] = (struct migver_range){ versions[i], in->sw, false };
		return;
	}
	if (k < 15) { /* its own and everything newer */
		in->n_accept = 1;
		in->accept[0] = (struct migver_range){ in->sw, in->sw, true };
		return;
	}
	/* two or three separate ranges, ascending */
	n = 2 + pick(2);
	in->n_accept = 0;
	for (i = 0; i < N_VERSIONS && in->n_accept < n; i += 1 + pick(2)) {
		unsigned int hi = i + pick(3);

		if (hi >= N_VERSIONS)
			hi = N_VERSIONS - 1;

		in->accept[in->n_accept++] =
			(struct migver_range){ versions[i], versions[hi],
					       hi == N_VERSIONS - 1 && pick(2) };
		i = hi;
	}
}

/* Facts of a type of @kind on a parent running @sw. */
static void facts(struct migver_info *in, const struct kind *k,
		  unsigned int t, const struct migver_semver *sw)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->device_api, sizeof(in->device_api), "%s", k->api);
	in->vendor = (u16)k->vendor;
	in->device = (u16)k->device;
	snprintf(in->type, sizeof(in->type), "%s", k->types[t]);
	in->aggregator = !strcmp(k->api, "vfio-pci") && pick(6) == 0 ?
				 1u << pick(3) : 1;
	in->sw = *sw;
	set_ranges(in);
}

/* The string as the side's parent prints it: one format per parent. */
static int emit(struct gen *g, struct migver_info *in, int gvt)
{
	char *p;

	if (gvt && !migver_emit_check(in, MIGVER_FMT_GVT)) {
		if (migver_emit(in, MIGVER_FMT_GVT, g->s, sizeof(g->s)) < 0)
			return -1;
		if (!pick(8)) /* hex as another implementation prints it */
			for (p = g->s; *p && p < g->s + 9; p++)
				if (*p >= 'a' && *p <= 'f')
					*p -= 'a' - 'A';
		/* the list the gvt string cannot carry, from the parameters */
		if (in->n_accept && pick(3) &&
		    migver_emit_ranges(in, g->acc, sizeof(g->acc)) < 0)
			return -1;
		return 0;
	}
	if (migver_emit(in, MIGVER_FMT_STRUCTURED, g->s, sizeof(g->s)) < 0)
		return -1;
	if (!pick(10)) /* a field of a later version, ignored */
		strcat(g->s, ";x_numa_node=0");
	return 0;
}

static const char *const malformed[] = {
	"8086-591d-GVTg_V5_8",
	"device_api=vfio-pci;pci_id=8086:591d;type=GVTg_V5_4;aggregator=1;software_version=1.2",
	"device_api=vfio-pci;pci_id=8086:591d;type=GVTg_V5_4;aggregator=0;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0",
	"8086-591d-GVTg V5 8-01020000",
	"",
};

struct fleet {
	struct gen *src, *dst;
	struct migver_info *si, *di;
	unsigned int nsrc, ndst;
};

static void uuid(char *buf, size_t size)
{
	unsigned long long a = rnd(), b = rnd();

	snprintf(buf, size, "%08llx-%04llx-4%03llx-%04llx-%012llx",
		 a >> 32, (a >> 16) & 0xffff, a & 0xfff,
		 0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

/*
 * Targets first: parents with every type of their kind; then sources: devices
 * of those parents' types on other hosts of the fleet, each running a
 * version of the fleet's (older, equal or newer), in either format.
 */
static int make_fleet(struct fleet *f, unsigned int nsrc, unsigned int ndst)
{
	unsigned int i = 0, p = 0, t;

	rng_state = 0x6d6967766572ULL; /* "migver" */
	f->nsrc = nsrc;
	f->ndst = ndst;
	f->src = calloc(nsrc, sizeof(*f->src));
	f->dst = calloc(ndst, sizeof(*f->dst));
	f->si = calloc(nsrc, sizeof(*f->si));
	f->di = calloc(ndst, sizeof(*f->di));
	if (!f->src || !f->dst || !f->si || !f->di)
		return -1;
	while (i < ndst) {
		const struct kind *k = pick_kind();
		struct migver_semver sw = versions[pick(N_VERSIONS)];
		int gvt = k->vendor == 0x8086 && pick(3) == 0;

		/* a parent: one GPU of a host, every type of its kind */
		for (t = 0; t < k->n_types && i < ndst; t++, i++) {
			struct gen *g = &f->dst[i];

			snprintf(g->parent, sizeof(g->parent), "0000:%02x:%02x.0",
				 p / 32, p % 32);
			snprintf(g->type_id, sizeof(g->type_id), "%s-%s",
				 k->vendor == 0x8086 ? "i915" :
				 k->vendor == 0x10de ? "nvidia" : "vfio_ccw",
				 k->types[t]);
			facts(&f->di[i], k, t, &sw);
			if (emit(g, &f->di[i], gvt))
				return -1;
		}
		p++;
	}
	for (i = 0; i < nsrc; i++) {
		/* a device of a random target's kind and type */
		const struct migver_info *like = &f->di[pick(ndst)];
		struct gen *g = &f->src[i];
		struct migver_info *in = &f->si[i];

		uuid(g->id, sizeof(g->id));
		snprintf(g->parent, sizeof(g->parent), "0000:%02x:02.0", pick(64));
		snprintf(g->type_id, sizeof(g->type_id), "%s", like->type);
		*in = *like;
		in->sw = versions[pick(N_VERSIONS)];
		if (pick(4) == 0) { /* sometimes a type of another kind's */
			const struct kind *k = pick_kind();

			snprintf(in->type, sizeof(in->type), "%s",
				 k->types[pick(k->n_types)]);
		}
		if (pick(5) == 0)
			in->aggregator = 1u << pick(3);
		set_ranges(in);
		if (pick(100) == 0) {
			snprintf(g->s, sizeof(g->s), "%s",
				 malformed[pick(sizeof(malformed) / sizeof(malformed[0]))]);
			g->bad = 1;
		} else if (emit(g, in, pick(3) == 0)) {
			return -1;
		}
		g->acc[0] = '\0'; /* a source's list plays no part */
	}
	return 0;
}

static void facts_out(FILE *o, const char *s, const char *acc)
{
	struct migver_info in;
	char ranges[MIGVER_BUF_SIZE];

	if (migver_parse(s, strlen(s), &in, NULL)) {
		fprintf(o, "\"facts\": null, \"error\": \"malformed\"");
		return;
	}
	if (*acc)
		migver_parse_ranges(acc, strlen(acc), &in);
	migver_emit_ranges(&in, ranges, sizeof(ranges));
	fprintf(o, "\"facts\": {\"format\": \"%s\", \"device_api\": \"%s\", "
		   "\"vendor\": \"%04x\", \"device\": \"%04x\", \"pci_id\": \"%04x:%04x\", "
		   "\"type\": \"%s\", \"aggregator\": %u, \"software_version\": \"%u.%u.%u\", "
		   "\"accepted_source_versions\": \"%s\"}",
		migver_format_name(in.format), in.device_api, in.vendor, in.device,
		in.vendor, in.device, in.type, in.aggregator, in.sw.major, in.sw.minor,
		in.sw.patch, ranges);
}

static int write_inventories(const struct fleet *f, const char *sfile,
			     const char *dfile)
{
	FILE *o = fopen(sfile, "w");
	unsigned int i;

	if (!o)
		return -1;
	fprintf(o, "{\"schema\": \"migver/1\", \"command\": \"list\", \"host\": \"bench-src\",\n"
		   " \"module\": {\"loaded\": true, \"version\": \"0.1.0\", \"checker\": \"semver\"},\n"
		   " \"parents\": [],\n \"devices\": [");
	for (i = 0; i < f->nsrc; i++) {
		const struct gen *g = &f->src[i];

		fprintf(o, "%s\n  {\"uuid\": \"%s\", \"parent\": \"%s\", \"type\": \"%s\", "
			   "\"migration_version\": \"%s\", ",
			i ? "," : "", g->id, g->parent, g->type_id, g->s);
		facts_out(o, g->s, "");
		fputc('}', o);
	}
	fprintf(o, "\n ]\n}\n");
	if (fclose(o))
		return -1;

	o = fopen(dfile, "w");
	if (!o)
		return -1;
	fprintf(o, "{\"schema\": \"migver/1\", \"command\": \"list\", \"host\": \"bench-dst\",\n"
		   " \"module\": {\"loaded\": true, \"version\": \"0.1.0\", \"checker\": \"semver\"},\n"
		   " \"parents\": [");
	for (i = 0; i < f->ndst; i++) {
		const struct gen *g = &f->dst[i];
		int first = !i || strcmp(g->parent, f->dst[i - 1].parent);

		if (first)
			fprintf(o, "%s\n  {\"name\": \"%s\", \"types\": [", i ? "]}," : "",
				g->parent);
		fprintf(o, "%s\n   {\"id\": \"%s\", \"available_instances\": 1, "
			   "\"migration_version\": \"%s\", ",
			first ? "" : ",", g->type_id, g->s);
		if (*g->acc)
			fprintf(o, "\"accepted_from\": \"module parameters\", ");
		facts_out(o, g->s, g->acc);
		fprintf(o, ", \"devices\": []}");
	}
	fprintf(o, "%s\n ],\n \"devices\": []\n}\n", f->ndst ? "]}" : "");
	return fclose(o) ? -1 : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The tool's parse: each string once; a target's list from its facts. */
static int parse_fleet(struct fleet *f, int *src_err)
{
	unsigned int i;

	for (i = 0; i < f->nsrc; i++)
		src_err[i] = migver_parse(f->src[i].s, strlen(f->src[i].s),
					  &f->si[i], NULL);
	for (i = 0; i < f->ndst; i++) {
		const struct gen *g = &f->dst[i];

		if (migver_parse(g->s, strlen(g->s), &f->di[i], NULL) ||
		    (*g->acc && migver_parse_ranges(g->acc, strlen(g->acc), &f->di[i])))
			return -1;
	}
	return 0;
}

static int core(struct fleet *f, const char *cname, int rounds)
{
	const struct migver_checker *c = migver_checker_find(cname);
	size_t n = (size_t)f->nsrc * f->ndst, count[MIGVER_REASON_COUNT] = { 0 };
	unsigned char *res = malloc(n + 1);
	int *err = calloc(f->nsrc + 1, sizeof(*err));
	double best = 0;
	unsigned int i, j;
	int r;

	if (!c || !res || !err || parse_fleet(f, err)) {
		fprintf(stderr, "matrix_gen: cannot set up checker %s\n", cname);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now(), t;

		for (i = 0; i < f->nsrc; i++) {
			const struct migver_info *s = &f->si[i];

			for (j = 0; j < f->ndst; j++)
				res[(size_t)i * f->ndst + j] = (unsigned char)(err[i] ?
					MIGVER_REASON_FORMAT : c->check(s, &f->di[j]));
		}
		t = now() - t0;
		if (n / t > best)
			best = n / t;
	}
	for (i = 0; i < n; i++)
		count[res[i]]++;
	printf("core %.0f", best);
	for (r = 0; r < MIGVER_REASON_COUNT; r++)
		printf(" %s=%zu", migver_reason_name(r), count[r]);
	printf("\n");
	free(res);
	free(err);
	return 0;
}

/*
 * time CPU CMD...: run CMD pinned to CPU, its stdout to /dev/null; print
 * "time <wall s> <peak RSS kB> <user s> <sys s> <exit status>", the
 * wall time from fork to wait4, RSS and CPU from wait4's rusage.
 */
static int time_cmd(int cpu, char **cmd)
{
	struct rusage ru;
	cpu_set_t set;
	double t0, t;
	int status, fd;
	pid_t pid;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("matrix_gen: sched_setaffinity");
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 1;
	t = now() - t0;
	printf("time %.6f %ld %.6f %.6f %d\n", t, ru.ru_maxrss,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return 0;
}

int main(int argc, char **argv)
{
	struct fleet f;
	unsigned long nsrc, ndst;

	if (argc > 3 && !strcmp(argv[1], "time"))
		return time_cmd(atoi(argv[2]), argv + 3);
	if (argc < 4)
		goto usage;
	nsrc = strtoul(argv[2], NULL, 10);
	ndst = strtoul(argv[3], NULL, 10);
	if (!nsrc || !ndst || nsrc > 100000 || ndst > 100000)
		goto usage;
	if (make_fleet(&f, nsrc, ndst)) {
		fprintf(stderr, "matrix_gen: generating failed\n");
		return 1;
	}
	if (!strcmp(argv[1], "write") && argc == 6) {
		if (write_inventories(&f, argv[4], argv[5])) {
			perror("matrix_gen: writing");
			return 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "core") && argc == 6 && atoi(argv[5]) > 0)
		return core(&f, argv[4], atoi(argv[5]));
usage:
	fprintf(stderr, "usage: matrix_gen write NSRC NDST SOURCES TARGETS\n"
			"       matrix_gen core NSRC NDST CHECKER ROUNDS\n"
			"       matrix_gen time CPU COMMAND [ARG...]\n");
	return 2;
}
