// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: migver_parse() on gvt strings, <vendor>-<device>-<type>-<MMmmpppp>
 * (README.md, "gvt").  One KTAP line per table entry.
 */
#include <kunit/test.h>
#include <migver/version.h>

#include "helpers.h"

/*
 * What a gvt string states, printed in the structured format: its version
 * @v is also its only accepted source version @acc.
 */
#define GST(pci, type, v, acc)                          \
	"device_api=vfio-pci;pci_id=" pci ";type=" type \
	";aggregator=1;software_version=" v ";accepted_source_versions=" acc
#define T31 "abcdefghijABCDEFGHIJ0123456789_"
#define T32 T31 "x"

static const struct migver_parse_case gvt_cases[] = {
	/* valid */
	PARSE_OK("example", GVT_CANON,
		 GST("8086:591d", "GVTg_V5_8", "1.2.3", "1.2.3"), GVT_CANON),
	PARSE_OK("series-example-0.0.1", "8086-591d-GVTg_V5_8-00000001",
		 GST("8086:591d", "GVTg_V5_8", "0.0.1", "0.0.1"),
		 "8086-591d-GVTg_V5_8-00000001"),
	PARSE_OK("trailing-newline", GVT_CANON "\n",
		 GST("8086:591d", "GVTg_V5_8", "1.2.3", "1.2.3"), GVT_CANON),
	PARSE_OK("upper-hex-ids", "8086-591D-GVTg_V5_1-01020003",
		 GST("8086:591d", "GVTg_V5_1", "1.2.3", "1.2.3"),
		 "8086-591d-GVTg_V5_1-01020003"),
	PARSE_OK("upper-hex-sw", "8086-591d-GVTg_V5_8-0A0B000C",
		 GST("8086:591d", "GVTg_V5_8", "10.11.12", "10.11.12"),
		 "8086-591d-GVTg_V5_8-0a0b000c"),
	PARSE_OK("lower-hex-sw", "8086-591d-GVTg_V5_8-0a0b000c",
		 GST("8086:591d", "GVTg_V5_8", "10.11.12", "10.11.12"),
		 "8086-591d-GVTg_V5_8-0a0b000c"),
	PARSE_OK("all-ff", "FFFF-ffff-t-FFFFFFFF",
		 GST("ffff:ffff", "t", "255.255.65535", "255.255.65535"),
		 "ffff-ffff-t-ffffffff"),
	PARSE_OK("all-zero", "0000-0000-0-00000000",
		 GST("0000:0000", "0", "0.0.0", "0.0.0"),
		 "0000-0000-0-00000000"),
	PARSE_OK("sw-major-only", "8086-591d-GVTg_V5_8-ff000000",
		 GST("8086:591d", "GVTg_V5_8", "255.0.0", "255.0.0"),
		 "8086-591d-GVTg_V5_8-ff000000"),
	PARSE_OK("sw-patch-16bit", "8086-591d-GVTg_V5_8-0000fffe",
		 GST("8086:591d", "GVTg_V5_8", "0.0.65534", "0.0.65534"),
		 "8086-591d-GVTg_V5_8-0000fffe"),
	PARSE_OK("type-1-char", "8086-591d-x-01020003",
		 GST("8086:591d", "x", "1.2.3", "1.2.3"),
		 "8086-591d-x-01020003"),
	PARSE_OK("type-31-chars", "8086-591d-" T31 "-01020003",
		 GST("8086:591d", T31, "1.2.3", "1.2.3"),
		 "8086-591d-" T31 "-01020003"),
	PARSE_OK("type-digits-only", "8086-591d-1234-01020003",
		 GST("8086:591d", "1234", "1.2.3", "1.2.3"),
		 "8086-591d-1234-01020003"),
	PARSE_OK("type-underscores", "8086-591d-___-01020003",
		 GST("8086:591d", "___", "1.2.3", "1.2.3"),
		 "8086-591d-___-01020003"),
	/* len excludes the trailing 'X': the buffer need not end in NUL */
	{ .name = "unterminated-buffer",
	  .in = GVT_CANON "X",
	  .len = sizeof(GVT_CANON) - 1,
	  .st = GST("8086:591d", "GVTg_V5_8", "1.2.3", "1.2.3"),
	  .gvt = GVT_CANON },

	/* framing */
	PARSE_BAD("empty", ""),
	PARSE_BAD("lone-newline", "\n"),
	PARSE_BAD("two-newlines", "\n\n"),
	PARSE_BAD("two-trailing-newlines", GVT_CANON "\n\n"),
	PARSE_BAD("leading-newline", "\n" GVT_CANON),
	PARSE_BAD("crlf", GVT_CANON "\r\n"),
	PARSE_BAD("nul-inside", "8086-591d-GVTg\0V5_8-01020003"),
	PARSE_BAD("nul-at-end", GVT_CANON "\0"),
	PARSE_BAD("nul-before-newline", GVT_CANON "\0\n"),
	PARSE_BAD("leading-space", " " GVT_CANON),
	PARSE_BAD("trailing-space", GVT_CANON " "),
	PARSE_BAD("space-before-newline", GVT_CANON "\x20\n"),
	PARSE_BAD("space-inside", "8086-591d-GVTg V5_8-01020003"),
	PARSE_BAD("tab-inside", "8086-591d-GVTg\tV5_8-01020003"),
	PARSE_BAD("byte-0x80-in-type", "8086-591d-GVTg\x80V5_8-01020003"),
	PARSE_BAD("byte-0xff-in-type", "8086-591d-GVTg_V5_8\xff-01020003"),
	PARSE_BAD("byte-0x01", "8086-591d-GVTg_V5_8-0102\0010003"),
	PARSE_BAD("byte-0x7f", "8086-591d-GVTg_V5_8\x7f-01020003"),

	/* vendor and device */
	PARSE_BAD("vendor-3-digits", "886-591d-GVTg_V5_8-01020003"),
	PARSE_BAD("vendor-5-digits", "18086-591d-GVTg_V5_8-01020003"),
	PARSE_BAD("device-3-digits", "8086-91d-GVTg_V5_8-01020003"),
	PARSE_BAD("device-5-hex-digits", "8086-1591d-GVTg_V5_8-01020003"),
	PARSE_BAD("vendor-0x-prefix", "0x8086-591d-GVTg_V5_8-01020003"),
	PARSE_BAD("vendor-0x-4-chars", "0x86-591d-GVTg_V5_8-01020003"),
	PARSE_BAD("device-0x-prefix", "8086-0x591d-GVTg_V5_8-01020003"),
	PARSE_BAD("vendor-not-hex", "808g-591d-GVTg_V5_8-01020003"),
	PARSE_BAD("device-not-hex", "8086-591z-GVTg_V5_8-01020003"),
	PARSE_BAD("colon-separator", "8086:591d-GVTg_V5_8-01020003"),
	PARSE_BAD("underscore-separators", "8086_591d_GVTg_V5_8_01020003"),

	/* type */
	PARSE_BAD("type-empty", "8086-591d--01020003"),
	PARSE_BAD("type-32-chars", "8086-591d-" T32 "-01020003"),
	PARSE_BAD("type-with-dot", "8086-591d-GVTg.V5_8-01020003"),
	PARSE_BAD("type-with-hyphen", "8086-591d-GVTg-V5_8-01020003"),

	/* software version: exactly 8 hex digits */
	PARSE_BAD("sw-7-digits", "8086-591d-GVTg_V5_8-0102003"),
	PARSE_BAD("sw-9-hex-digits", "8086-591d-GVTg_V5_8-010200030"),
	PARSE_BAD("sw-0x-prefix", "8086-591d-GVTg_V5_8-0x020003"),
	PARSE_BAD("sw-not-hex", "8086-591d-GVTg_V5_8-0102000g"),
	PARSE_BAD("sw-dotted", "8086-591d-GVTg_V5_8-1.2.3"),
	PARSE_BAD("sw-empty", "8086-591d-GVTg_V5_8-"),

	/* field count */
	PARSE_BAD("three-fields", "8086-591d-GVTg_V5_8"),
	PARSE_BAD("five-fields", GVT_CANON "-01020003"),
	PARSE_BAD("trailing-hyphen", GVT_CANON "-"),
	PARSE_BAD("leading-hyphen", "-" GVT_CANON),
	PARSE_BAD("only-hyphens", "---"),
};

KUNIT_ARRAY_PARAM_DESC(gvt, gvt_cases, name);

static void migver_parse_gvt_test(struct kunit *test)
{
	migver_kunit_run_parse(test, test->param_value);
}

static struct kunit_case migver_parse_gvt_cases[] = {
	KUNIT_CASE_PARAM(migver_parse_gvt_test, gvt_gen_params),
	{}
};

static struct kunit_suite migver_parse_gvt_suite = {
	.name = "migver_parse_gvt",
	.test_cases = migver_parse_gvt_cases,
};

kunit_test_suite(migver_parse_gvt_suite);
