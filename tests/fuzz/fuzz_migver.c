// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the version-string core (src/core): parser,
 * emitters, checkers.  Every property is checked with abort() so that a
 * violation is a crash libFuzzer keeps, next to the sanitizers' findings.
 *
 * Differential: migver_parse() and the semver and range primitives must
 * answer every input exactly as the multi-pass parser they replaced
 * (parse_ref.c): the same return value, the same reason string, the same
 * facts; a failed parse leaves all zeroes and a successful one sets every
 * fact whatever the result held before (it is filled with a byte of the
 * input first).
 *
 * Input: SOURCE bytes, optionally 0xff, TARGET bytes.  Without a 0xff the
 * input is both source and target.  The raw bytes also feed the semver and
 * range primitives and, reinterpreted, a hand-made struct migver_info.
 *
 * Every checker of the table (include/migver/checkers.h, however many lines
 * it has) is held to the rule all share: a target that accepts nothing
 * refuses as unsupported; otherwise what migver_classify() calls a hardware
 * or type difference is refused with that reason, and anything else is
 * either compatible or a software refusal (checkers differ only in their
 * software-version rule).  The built-in ones are then checked in detail.
 *
 * Symmetry, which holds and is asserted (both sides parsed, both accepting):
 *   gvt     verdict and reason symmetric: it is migver_classify(), which
 *           compares the facts for equality and nothing else.
 *   strict  verdict and reason symmetric when both sides were parsed from
 *           the same format (then both print in it and equality of strings
 *           is symmetric; classify is symmetric).  Not across formats: a
 *           structured target's accepted list is invisible in gvt.
 *   semver  not symmetric (ranges are one-way), but fully predictable from
 *           migver_classify() and migver_accepts(), which is asserted.
 */
#include <stdlib.h>
#include <migver/version.h>
#include <migver/check.h>

#include "parse_ref.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* Lines of include/migver/checkers.h: the table must have exactly these. */
#define MIGVER_CHECKER(name) +1
enum {
	N_CHECKERS = 0
#include <migver/checkers.h>
};
#undef MIGVER_CHECKER

static bool is_reason(enum migver_reason r)
{
	return (unsigned int)r < MIGVER_REASON_COUNT;
}

/* Emit into an exact-size heap buffer, so ASan sees any overrun. */
static void emit_sized(const struct migver_info *x, enum migver_format fmt,
		       const char *want, int wlen, size_t size)
{
	char *buf = malloc(size ? size : 1);
	int ret;

	CHECK(buf);
	if (size)
		memset(buf, 'X', size);
	ret = migver_emit(x, fmt, buf, size);
	if (wlen < 0) {
		CHECK(ret == wlen);
	} else if (size > (size_t)wlen) {
		CHECK(ret == wlen);
		CHECK(!memcmp(buf, want, (size_t)wlen + 1));
	} else {
		CHECK(ret == -ENOSPC);
	}
	if (size && ret < 0)
		CHECK(buf[0] == '\0');
	free(buf);
}

/* migver_emit_same() answers as comparing the printed strings would. */
static void check_emit_same(const struct migver_info *a,
			    const struct migver_info *b)
{
	char x[MIGVER_BUF_SIZE], y[MIGVER_BUF_SIZE];
	int f;

	for (f = 0; f < MIGVER_FMT_COUNT; f++) {
		int lx = migver_emit(a, f, x, sizeof(x));
		int ly = migver_emit(b, f, y, sizeof(y));

		CHECK(migver_emit_same(a, b, f) ==
		      (lx >= 0 && ly >= 0 && !strcmp(x, y)));
		CHECK(migver_emit_same(a, a, f) == (lx >= 0));
		CHECK((migver_emit_check(a, f) == 0) == (lx >= 0));
	}
}

/* The verdict of the built-in checker @name, which must be in the table. */
static enum migver_reason verdict(const enum migver_reason *r, const char *name)
{
	size_t i;

	for (i = 0; i < N_CHECKERS; i++)
		if (!strcmp(migver_checker_at(i)->name, name))
			return r[i];
	CHECK(!"built-in checker missing from the table");
	return MIGVER_REASON_COUNT;
}

/* Every checker on one pair; results must be consistent with each other. */
static void check_pair(const struct migver_info *s, const struct migver_info *d)
{
	enum migver_reason r[N_CHECKERS], cls = migver_classify(s, d);
	enum migver_reason semver, gvt, strict;
	size_t i, n = migver_checker_count();

	check_emit_same(s, d);

	CHECK(n == N_CHECKERS);
	CHECK(!migver_checker_at(n));
	for (i = 0; i < n; i++) {
		const struct migver_checker *c = migver_checker_at(i);
		int err;

		CHECK(c && migver_checker_find(c->name) == c);
		r[i] = MIGVER_REASON_COUNT; /* overwritten by the check */
		err = migver_check(c, s, d, &r[i]);
		CHECK(is_reason(r[i]));
		CHECK(err == migver_reason_errno(r[i]));
		CHECK(r[i] != MIGVER_REASON_FORMAT);
		CHECK(!d->n_accept == (r[i] == MIGVER_REASON_UNSUPPORTED));
		/* the rule every checker shares, whatever its software rule */
		if (!d->n_accept)
			continue;
		if (cls == MIGVER_REASON_HARDWARE || cls == MIGVER_REASON_TYPE)
			CHECK(r[i] == cls);
		else
			CHECK(r[i] == MIGVER_COMPATIBLE ||
			      r[i] == MIGVER_REASON_SOFTWARE);
	}
	if (!d->n_accept)
		return;
	semver = verdict(r, "semver");
	gvt = verdict(r, "gvt");
	strict = verdict(r, "strict");

	/* semver: classify's hardware/type, then the target's ranges */
	if (cls == MIGVER_REASON_HARDWARE || cls == MIGVER_REASON_TYPE)
		CHECK(semver == cls);
	else
		CHECK(semver == (migver_accepts(d, &s->sw) ?
					 MIGVER_COMPATIBLE :
					 MIGVER_REASON_SOFTWARE));

	/* gvt: classify, i.e. every fact but the accepted list equal */
	CHECK(gvt == cls);

	/* strict: any difference classify sees refuses, with its reason */
	if (cls != MIGVER_COMPATIBLE)
		CHECK(strict == cls);
	/* strict compatible implies gvt compatible */
	if (strict == MIGVER_COMPATIBLE)
		CHECK(gvt == MIGVER_COMPATIBLE);
	/* structured strings carry everything: strict == equality of facts */
	if (s->format == MIGVER_FMT_STRUCTURED)
		CHECK((strict == MIGVER_COMPATIBLE) == migver_info_equal(s, d));

	/* swapped */
	if (s->n_accept) {
		enum migver_reason q;

		migver_check(&migver_checker_gvt, d, s, &q);
		CHECK(q == gvt);
		migver_check(&migver_checker_strict, d, s, &q);
		if (s->format == d->format)
			CHECK(q == strict);
	}
}

/* Full round trip of one parsed info in its own format and in the other. */
static void round_trip(const struct migver_info *x, const char *in,
		       size_t inlen)
{
	struct migver_info y, z;
	char c[MIGVER_BUF_SIZE], c2[MIGVER_BUF_SIZE];
	const char *why = "unset";
	int len, len2;
	enum migver_format other;
	char *copy;

	CHECK(!migver_info_validate(x));
	CHECK((unsigned int)x->format < MIGVER_FMT_COUNT);
	len = migver_emit(x, x->format, c, sizeof(c));
	CHECK(len > 0 && (size_t)len == strlen(c) && len <= MIGVER_MAX_LEN);
	CHECK((size_t)len <= inlen); /* canonical form never grows */
	CHECK(!migver_parse(c, (size_t)len, &y, &why));
	CHECK(!why);
	CHECK(migver_info_equal(x, &y) && y.format == x->format);
	len2 = migver_emit(&y, y.format, c2, sizeof(c2));
	CHECK(len2 == len && !strcmp(c, c2));

	emit_sized(x, x->format, c, len, 0);
	emit_sized(x, x->format, c, len, 1);
	emit_sized(x, x->format, c, len, (size_t)len / 2);
	emit_sized(x, x->format, c, len, (size_t)len);
	emit_sized(x, x->format, c, len, (size_t)len + 1);

	/* One echo newline is accepted; a second is not. */
	copy = malloc(inlen + 2);
	CHECK(copy);
	memcpy(copy, in, inlen);
	if (in[inlen - 1] != '\n') {
		copy[inlen] = '\n';
		CHECK(!migver_parse(copy, inlen + 1, &z, NULL));
		CHECK(migver_info_equal(x, &z) && z.format == x->format);
		copy[inlen + 1] = '\n';
		CHECK(migver_parse(copy, inlen + 2, &z, NULL) == -EINVAL);
	} else {
		copy[inlen] = '\n';
		CHECK(migver_parse(copy, inlen + 1, &z, NULL) == -EINVAL);
	}
	free(copy);

	/* The other format: printable or -ERANGE, and then consistent. */
	other = x->format == MIGVER_FMT_GVT ? MIGVER_FMT_STRUCTURED :
					      MIGVER_FMT_GVT;
	len2 = migver_emit(x, other, c2, sizeof(c2));
	if (other == MIGVER_FMT_STRUCTURED) {
		CHECK(len2 > 0);
	} else {
		CHECK(len2 > 0 || (len2 == -ERANGE &&
				   (x->sw.major > 255 || x->sw.minor > 255 ||
				    x->aggregator != 1 ||
				    strcmp(x->device_api, "vfio-pci"))));
	}
	emit_sized(x, other, c2, len2, (size_t)(len2 > 0 ? len2 : 3));
	if (len2 > 0) {
		CHECK(!migver_parse(c2, (size_t)len2, &z, NULL));
		CHECK(z.format == other);
		if (other == MIGVER_FMT_STRUCTURED) {
			/* gvt -> structured loses nothing */
			CHECK(migver_info_equal(x, &z));
		} else {
			/* structured -> gvt keeps what gvt compares */
			enum migver_reason r;

			CHECK(x->vendor == z.vendor && x->device == z.device &&
			      !strcmp(x->type, z.type) &&
			      !migver_semver_cmp(&x->sw, &z.sw));
			migver_check(&migver_checker_strict, &z, x, &r);
			CHECK(r == (x->n_accept ? MIGVER_COMPATIBLE :
						  MIGVER_REASON_UNSUPPORTED));
		}
	}

	/* Against itself */
	{
		enum migver_reason r;

		migver_check(&migver_checker_semver, x, &y, &r);
		CHECK((r == MIGVER_COMPATIBLE) ==
		      (x->n_accept && migver_accepts(x, &x->sw)));
		if (x->format == MIGVER_FMT_GVT)
			CHECK(r == MIGVER_COMPATIBLE);
		migver_check(&migver_checker_gvt, x, &y, &r);
		CHECK((r == MIGVER_COMPATIBLE) == !!x->n_accept);
		migver_check(&migver_checker_strict, x, &y, &r);
		CHECK((r == MIGVER_COMPATIBLE) == !!x->n_accept);
	}
}

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* migver_parse() against the reference parser, on one buffer. */
static void differential(const char *buf, size_t len, u8 poison)
{
	struct migver_info a, b;
	const char *wa = "unset", *wb = "unset";
	int ra, rb;
	size_t i;

	memset(&a, poison, sizeof(a));
	ra = migver_parse(buf, len, &a, &wa);
	rb = migver_parse_ref(buf, len, &b, &wb);
	CHECK(ra == rb);
	CHECK(!wa == !wb);
	if (wa && strcmp(wa, wb)) {
		fprintf(stderr, "reason \"%s\", reference \"%s\"\n", wa, wb);
		CHECK(!"same reason as the reference parser");
	}
	if (ra) {
		CHECK(all_zero(&a, sizeof(a)));
		return;
	}
	CHECK(a.format == b.format && migver_info_equal(&a, &b));
	/* info_equal() ignores an open range's hi; the parser still sets it */
	for (i = 0; i < b.n_accept; i++)
		CHECK(!migver_semver_cmp(&a.accept[i].hi, &b.accept[i].hi));
	memset(&a, poison ^ 0xff, sizeof(a));
	CHECK(migver_parse(buf, len, &a, NULL) == 0);
	CHECK(a.format == b.format && migver_info_equal(&a, &b));
}

/* The primitives on raw bytes: their parse must be exactly invertible. */
static void primitives(const char *s, size_t len)
{
	struct migver_semver v, vr;
	struct migver_info a, b;
	char buf[MIGVER_BUF_SIZE];
	int n, ret;

	ret = migver_parse_semver(s, len, &v);
	CHECK(ret == migver_parse_semver_ref(s, len, &vr));
	CHECK(!memcmp(&v, &vr, sizeof(v)));
	memset(&a, 0x5a, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	ret = migver_parse_ranges(s, len, &a);
	CHECK(ret == migver_parse_ranges_ref(s, len, &b));
	CHECK(a.n_accept == b.n_accept &&
	      !memcmp(a.accept, b.accept, sizeof(a.accept)));

	if (!migver_parse_semver(s, len, &v)) {
		n = scnprintf(buf, sizeof(buf), "%u.%u.%u", v.major, v.minor,
			      v.patch);
		CHECK((size_t)n == len && !memcmp(buf, s, len));
	}
	memset(&a, 0, sizeof(a));
	if (!migver_parse_ranges(s, len, &a)) {
		CHECK(a.n_accept <= MIGVER_MAX_RANGES);
		n = migver_emit_ranges(&a, buf, sizeof(buf));
		CHECK(n > 0 && (size_t)n <= len);
		memset(&b, 0, sizeof(b));
		CHECK(!migver_parse_ranges(buf, (size_t)n, &b));
		CHECK(!memcmp(a.accept, b.accept, sizeof(a.accept)) &&
		      a.n_accept == b.n_accept);
		emit_sized(&a, MIGVER_FMT_STRUCTURED, NULL, -EINVAL, 0);
	} else {
		CHECK(!a.n_accept);
	}
}

/*
 * A hand-made info from raw bytes (strings maybe unterminated, counts out of
 * range): emit must refuse cleanly or print something that parses back.
 */
static void raw_info(const u8 *data, size_t size)
{
	struct migver_info x, y;
	char buf[MIGVER_BUF_SIZE];
	size_t i;
	int fmt, n;

	memset(&x, 0, sizeof(x));
	memcpy(&x, data, size < sizeof(x) ? size : sizeof(x));
	x.format = (enum migver_format)(data[0] % 3);
	for (i = 0; i < MIGVER_MAX_RANGES; i++)
		x.accept[i].open_hi = *(const u8 *)&x.accept[i].open_hi & 1;
	for (fmt = 0; fmt < 3; fmt++) {
		n = migver_emit(&x, (enum migver_format)fmt, buf, sizeof(buf));
		CHECK(n == -EINVAL || n == -ERANGE || n > 0);
		if (n < 0)
			continue;
		CHECK(!migver_parse(buf, (size_t)n, &y, NULL));
		CHECK(y.format == (enum migver_format)fmt);
		if (fmt == MIGVER_FMT_STRUCTURED)
			CHECK(migver_info_equal(&x, &y));
	}
	/* Checkers need a source that prints in its own format. */
	if (x.n_accept && migver_emit(&x, x.format, buf, sizeof(buf)) > 0)
		check_pair(&x, &x);
}

static const char *split(const u8 *data, size_t size, size_t *slen,
			 const char **dst, size_t *dlen)
{
	const u8 *sep = memchr(data, 0xff, size);

	if (!sep) {
		*slen = size;
		*dst = (const char *)data;
		*dlen = size;
	} else {
		*slen = (size_t)(sep - data);
		*dst = (const char *)sep + 1;
		*dlen = size - *slen - 1;
	}
	return (const char *)data;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct migver_info s, d;
	const char *sb, *db, *why;
	size_t slen, dlen;
	int sret, dret, ret;
	enum migver_reason r;

	if (!size)
		return 0;
	sb = split(data, size, &slen, &db, &dlen);

	differential(sb, slen, data[size / 2]);
	if (db != sb)
		differential(db, dlen, data[size - 1]);

	why = NULL;
	sret = migver_parse(sb, slen, &s, &why);
	CHECK(sret == 0 || sret == -EINVAL);
	CHECK(sret ? why && *why : !why);
	if (sret) {
		struct migver_info zero;

		memset(&zero, 0, sizeof(zero));
		CHECK(!memcmp(&s, &zero, sizeof(s)));
	}
	dret = migver_parse(db, dlen, &d, NULL);
	CHECK(dret == 0 || dret == -EINVAL);

	if (!sret)
		round_trip(&s, sb, slen);
	primitives(sb, slen);
	raw_info(data, size);

	if (!dret) {
		size_t i;

		for (i = 0; i < migver_checker_count(); i++) {
			const struct migver_checker *c = migver_checker_at(i);

			why = "unset";
			ret = migver_check_string(c, sb, slen, &d, &r, &why);
			CHECK(is_reason(r) && ret == migver_reason_errno(r));
			if (sret) {
				CHECK(r == MIGVER_REASON_FORMAT && why && *why);
			} else {
				enum migver_reason r2;

				CHECK(!why);
				migver_check(c, &s, &d, &r2);
				CHECK(r2 == r);
			}
		}
		if (!sret)
			check_pair(&s, &d);
	}
	return 0;
}
