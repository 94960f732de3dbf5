// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: migver_parse() on structured strings, ';'-separated key=value
 * fields (README.md, "structured" and the grammar).  One KTAP line per
 * table entry.
 */
#include <kunit/test.h>
#include <migver/version.h>

#include "helpers.h"

#define GVT_120 "8086-591d-GVTg_V5_8-01020000"
#define T31 "abcdefghijABCDEFGHIJ0123456789_"
#define K31 "abcdefghijklmnopqrstuvwxyz_0123"
/* ST_CANON with the field @f replaced by @r (the other five unchanged) */
#define ST_NO_API ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC
#define ST_API_IS(v) "device_api=" v ";" ST_NO_API
#define ST_PCI_IS(v) \
	ST_API ";pci_id=" v ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC
#define ST_TYPE_IS(v) \
	ST_API ";" ST_PCI ";type=" v ";" ST_AGG ";" ST_SW ";" ST_ACC
#define ST_AGG_IS(v) \
	ST_API ";" ST_PCI ";" ST_TYPE ";aggregator=" v ";" ST_SW ";" ST_ACC
#define ST_SW_IS(v) ST_WITH(v, "0.0.0-")
#define ST_ACC_IS(v) ST_WITH("1.2.0", v)
#define R8 "1.0.0,2.0.0,3.0.0,4.0.0,5.0.0,6.0.0,7.0.0,8.0.0"

static const struct migver_parse_case st_cases[] = {
	/* valid, canonical or made canonical */
	PARSE_OK("canonical", ST_CANON, ST_CANON, GVT_120),
	PARSE_OK("trailing-newline", ST_CANON "\n", ST_CANON, GVT_120),
	PARSE_OK("fields-reversed",
		 ST_ACC ";" ST_SW ";" ST_AGG ";" ST_TYPE ";" ST_PCI ";" ST_API,
		 ST_CANON, GVT_120),
	PARSE_OK("fields-shuffled",
		 ST_TYPE ";" ST_SW ";" ST_API ";" ST_ACC ";" ST_AGG ";" ST_PCI,
		 ST_CANON, GVT_120),
	PARSE_OK("pci-id-upper-hex", ST_PCI_IS("ABCD:EF01"),
		 ST_PCI_IS("abcd:ef01"), "abcd-ef01-GVTg_V5_8-01020000"),
	PARSE_OK("pci-id-mixed-case", ST_PCI_IS("8086:591D"), ST_CANON,
		 GVT_120),
	PARSE_OK("unknown-field-dropped", ST_CANON ";future_key=some-value",
		 ST_CANON, GVT_120),
	PARSE_OK("unknown-field-first", "x=1;" ST_CANON, ST_CANON, GVT_120),
	PARSE_OK("unknown-fields-two", "a=1;" ST_CANON ";b=2", ST_CANON,
		 GVT_120),
	PARSE_OK("unknown-key-31", K31 "=v;" ST_CANON, ST_CANON, GVT_120),
	PARSE_OK("unknown-value-symbols",
		 "z9_=!\"#$%&'()*+,-./:<>?@[\\]^`{|}~;" ST_CANON, ST_CANON,
		 GVT_120),
	PARSE_OK_NOGVT("device-api-other", ST_API_IS("vfio-ccw"),
		       ST_API_IS("vfio-ccw")),
	PARSE_OK_NOGVT("device-api-15", ST_API_IS("a23456789012345"),
		       ST_API_IS("a23456789012345")),
	PARSE_OK_NOGVT("device-api-1", ST_API_IS("v"), ST_API_IS("v")),
	PARSE_OK("type-31", ST_TYPE_IS(T31), ST_TYPE_IS(T31),
		 "8086-591d-" T31 "-01020000"),
	PARSE_OK_NOGVT("aggregator-64", ST_AGG_IS("64"), ST_AGG_IS("64")),
	PARSE_OK_NOGVT("aggregator-2", ST_AGG_IS("2"), ST_AGG_IS("2")),
	PARSE_OK("sw-zero", ST_SW_IS("0.0.0"), ST_SW_IS("0.0.0"),
		 "8086-591d-GVTg_V5_8-00000000"),
	PARSE_OK("sw-gvt-max", ST_SW_IS("255.255.65535"),
		 ST_SW_IS("255.255.65535"), "8086-591d-GVTg_V5_8-ffffffff"),
	PARSE_OK_NOGVT("sw-max", ST_SW_IS("65535.65535.65535"),
		       ST_SW_IS("65535.65535.65535")),
	PARSE_OK_NOGVT("sw-major-256", ST_SW_IS("256.0.0"),
		       ST_SW_IS("256.0.0")),
	PARSE_OK_NOGVT("sw-minor-256", ST_SW_IS("0.256.0"),
		       ST_SW_IS("0.256.0")),
	PARSE_OK("accept-none", ST_ACC_IS("none"), ST_ACC_IS("none"), GVT_120),
	PARSE_OK("accept-single", ST_ACC_IS("1.2.0"), ST_ACC_IS("1.2.0"),
		 GVT_120),
	PARSE_OK("accept-v-v-printed-v", ST_ACC_IS("1.1.0-1.1.0"),
		 ST_ACC_IS("1.1.0"), GVT_120),
	PARSE_OK("accept-open", ST_ACC_IS("2.1.0-"), ST_ACC_IS("2.1.0-"),
		 GVT_120),
	PARSE_OK("accept-order-kept", ST_ACC_IS("3.0.0,1.0.0-2.0.0,0.1.0-"),
		 ST_ACC_IS("3.0.0,1.0.0-2.0.0,0.1.0-"), GVT_120),
	PARSE_OK("accept-overlap-kept", ST_ACC_IS("1.0.0-2.0.0,1.5.0"),
		 ST_ACC_IS("1.0.0-2.0.0,1.5.0"), GVT_120),
	PARSE_OK("accept-8-ranges", ST_ACC_IS(R8), ST_ACC_IS(R8), GVT_120),
	PARSE_OK("accept-max", ST_ACC_IS("0.0.0-65535.65535.65535"),
		 ST_ACC_IS("0.0.0-65535.65535.65535"), GVT_120),

	/* framing */
	PARSE_BAD("lone-newline", "\n"),
	PARSE_BAD("two-trailing-newlines", ST_CANON "\n\n"),
	PARSE_BAD("newline-inside", ST_API ";\n" ST_NO_API),
	PARSE_BAD("nul-inside", ST_API ";" ST_PCI "\0;" ST_TYPE ";" ST_AGG
				       ";" ST_SW ";" ST_ACC),
	PARSE_BAD("nul-at-end", ST_CANON "\0"),
	PARSE_BAD("leading-space", " " ST_CANON),
	PARSE_BAD("trailing-space", ST_CANON " "),
	PARSE_BAD("space-after-semicolon", ST_API "; " ST_NO_API),
	PARSE_BAD("space-around-equals", "device_api = vfio-pci;" ST_NO_API),
	PARSE_BAD("tab-separator", ST_API "\t" ST_NO_API),
	PARSE_BAD("byte-0x80-unknown", ST_CANON ";x=\x80"),
	PARSE_BAD("byte-0xff-type", ST_TYPE_IS("GVTg\xff")),
	PARSE_BAD("byte-0x1b-unknown", ST_CANON ";x=\x1b[0m"),

	/* field list */
	PARSE_BAD("only-equals", "="),
	PARSE_BAD("missing-device-api", ST_NO_API),
	PARSE_BAD("missing-pci-id",
		  ST_API ";" ST_TYPE ";" ST_AGG ";" ST_SW ";" ST_ACC),
	PARSE_BAD("missing-type",
		  ST_API ";" ST_PCI ";" ST_AGG ";" ST_SW ";" ST_ACC),
	PARSE_BAD("missing-aggregator",
		  ST_API ";" ST_PCI ";" ST_TYPE ";" ST_SW ";" ST_ACC),
	PARSE_BAD("missing-sw",
		  ST_API ";" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_ACC),
	PARSE_BAD("missing-accepted",
		  ST_API ";" ST_PCI ";" ST_TYPE ";" ST_AGG ";" ST_SW),
	PARSE_BAD("duplicate-known-same", ST_CANON ";" ST_TYPE),
	PARSE_BAD("duplicate-known-other", ST_CANON ";type=GVTg_V5_4"),
	PARSE_BAD("duplicate-unknown", "x=1;" ST_CANON ";x=1"),
	PARSE_BAD("empty-field", ST_API ";;" ST_NO_API),
	PARSE_BAD("leading-semicolon", ";" ST_CANON),
	PARSE_BAD("trailing-semicolon", ST_CANON ";"),
	PARSE_BAD("field-without-equals", ST_CANON ";foo"),
	PARSE_BAD("comma-separator", ST_API "," ST_NO_API),
	PARSE_BAD("known-key-upper", "DEVICE_API=vfio-pci;" ST_NO_API),
	PARSE_BAD("unknown-empty-value", ST_CANON ";x="),
	PARSE_BAD("unknown-value-equals", ST_CANON ";x=a=b"),
	PARSE_BAD("unknown-empty-key", ST_CANON ";=v"),
	PARSE_BAD("unknown-key-32", K31 "x=v;" ST_CANON),
	PARSE_BAD("unknown-key-digit-first", "9x=v;" ST_CANON),
	PARSE_BAD("unknown-key-upper", "Xy=v;" ST_CANON),
	PARSE_BAD("unknown-key-hyphen", "x-y=v;" ST_CANON),
	PARSE_BAD("known-value-empty", ST_TYPE_IS("")),

	/* device_api */
	PARSE_BAD("device-api-16", ST_API_IS("a234567890123456")),
	PARSE_BAD("device-api-upper", ST_API_IS("VFIO-pci")),
	PARSE_BAD("device-api-digit-first", ST_API_IS("1vfio")),
	PARSE_BAD("device-api-hyphen-first", ST_API_IS("-vfio")),
	PARSE_BAD("device-api-underscore", ST_API_IS("vfio_pci")),

	/* pci_id */
	PARSE_BAD("pci-id-0x", ST_PCI_IS("0x8086:591d")),
	PARSE_BAD("pci-id-0x-device", ST_PCI_IS("8086:0x591d")),
	PARSE_BAD("pci-id-hyphen", ST_PCI_IS("8086-591d")),
	PARSE_BAD("pci-id-3-digits", ST_PCI_IS("886:591d")),
	PARSE_BAD("pci-id-5-hex-digits", ST_PCI_IS("8086:1591d")),
	PARSE_BAD("pci-id-not-hex", ST_PCI_IS("8086:591g")),
	PARSE_BAD("pci-id-extra-colon", ST_PCI_IS("8086:591d:")),

	/* type */
	PARSE_BAD("type-32", ST_TYPE_IS(T31 "x")),
	PARSE_BAD("type-hyphen", ST_TYPE_IS("GVTg-V5_8")),
	PARSE_BAD("type-dot", ST_TYPE_IS("GVTg.V5")),

	/* aggregator: decimal 1-64 */
	PARSE_BAD("aggregator-0", ST_AGG_IS("0")),
	PARSE_BAD("aggregator-65", ST_AGG_IS("65")),
	PARSE_BAD("aggregator-leading-zero", ST_AGG_IS("01")),
	PARSE_BAD("aggregator-plus", ST_AGG_IS("+1")),
	PARSE_BAD("aggregator-negative", ST_AGG_IS("-1")),
	PARSE_BAD("aggregator-hex", ST_AGG_IS("0x1")),
	PARSE_BAD("aggregator-huge", ST_AGG_IS("99999999999")),
	PARSE_BAD("aggregator-2-pow-32-plus-1", ST_AGG_IS("4294967297")),

	/* software_version */
	PARSE_BAD("sw-major-65536", ST_SW_IS("65536.0.0")),
	PARSE_BAD("sw-minor-65536", ST_SW_IS("0.65536.0")),
	PARSE_BAD("sw-patch-65536", ST_SW_IS("0.0.65536")),
	PARSE_BAD("sw-huge", ST_SW_IS("99999999999.0.0")),
	PARSE_BAD("sw-2-pow-32", ST_SW_IS("4294967296.0.0")),
	PARSE_BAD("sw-leading-zero", ST_SW_IS("01.2.0")),
	PARSE_BAD("sw-leading-zero-patch", ST_SW_IS("1.2.00")),
	PARSE_BAD("sw-two-parts", ST_SW_IS("1.2")),
	PARSE_BAD("sw-four-parts", ST_SW_IS("1.2.0.0")),
	PARSE_BAD("sw-empty-part", ST_SW_IS("1..0")),
	PARSE_BAD("sw-negative", ST_SW_IS("-1.0.0")),
	PARSE_BAD("sw-v-prefix", ST_SW_IS("v1.2.0")),
	PARSE_BAD("sw-gvt-hex", ST_SW_IS("01020000")),

	/* accepted_source_versions */
	PARSE_BAD("accept-none-upper", ST_ACC_IS("NONE")),
	PARSE_BAD("accept-none-and-range", ST_ACC_IS("none,1.0.0")),
	PARSE_BAD("accept-reversed", ST_ACC_IS("1.2.0-1.0.0")),
	PARSE_BAD("accept-reversed-patch", ST_ACC_IS("1.0.1-1.0.0")),
	PARSE_BAD("accept-9-ranges", ST_ACC_IS(R8 ",9.0.0")),
	PARSE_BAD("accept-empty-last", ST_ACC_IS("1.0.0,")),
	PARSE_BAD("accept-empty-first", ST_ACC_IS(",1.0.0")),
	PARSE_BAD("accept-empty-middle", ST_ACC_IS("1.0.0,,2.0.0")),
	PARSE_BAD("accept-open-low", ST_ACC_IS("-1.0.0")),
	PARSE_BAD("accept-lone-hyphen", ST_ACC_IS("-")),
	PARSE_BAD("accept-double-hyphen", ST_ACC_IS("1.0.0--2.0.0")),
	PARSE_BAD("accept-three-bounds", ST_ACC_IS("1.0.0-2.0.0-3.0.0")),
	PARSE_BAD("accept-overflow", ST_ACC_IS("1.0.0-65536.0.0")),
	PARSE_BAD("accept-leading-zero", ST_ACC_IS("1.0.0-1.02.0")),
	PARSE_BAD("accept-space", ST_ACC_IS("1.0.0, 2.0.0")),
};

KUNIT_ARRAY_PARAM_DESC(st, st_cases, name);

static void migver_parse_structured_test(struct kunit *test)
{
	migver_kunit_run_parse(test, test->param_value);
}

static struct kunit_case migver_parse_structured_cases[] = {
	KUNIT_CASE_PARAM(migver_parse_structured_test, st_gen_params),
	{}
};

static struct kunit_suite migver_parse_structured_suite = {
	.name = "migver_parse_structured",
	.test_cases = migver_parse_structured_cases,
};

kunit_test_suite(migver_parse_structured_suite);
