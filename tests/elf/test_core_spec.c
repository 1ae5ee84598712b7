// SPDX-License-Identifier: MIT
/*
 * CO-RE access specs: access strings parsed against the local BTF (every
 * malformed form refused), bit offsets through members, anonymous members
 * and arrays, flexible arrays, and the readable form used in messages.
 */
#include <stddef.h>

#include <criterion/criterion.h>

#include "core_test.h"
#include "../../src/elf/core_int.h"

static struct bk__core_spec spec;
static uint32_t core_a;

static void setup(void)
{
	int id;

	lo = ct_open("core_local");
	id = bk_btf_find(lo->btf, "core_a", BK_BTF_KIND_STRUCT);
	cr_assert_gt(id, 0);
	core_a = (uint32_t)id;
}

static void teardown(void)
{
	ct_close(lo);
	lo = NULL;
}

TestSuite(core_spec, .init = setup, .fini = teardown);

static int parse(uint32_t kind, const char *access)
{
	return bk__core_parse_spec(lo->btf, core_a, kind, access, &spec);
}

/* The local core_a as clang laid it out (BPF target; same as this host for
 * these types): the member indexes of core_local.bpf.c. */
struct local_a {
	int x;
	long y;
	unsigned int bf1 : 3, bf2 : 5;
	int sbf : 9;
	int arr[4];
	struct {
		int in1;
		int in2;
	};
	char *p;
};

Test(core_spec, fields_and_offsets)
{
	char buf[64];

	cr_assert_eq(parse(0, "0:1"), 0);
	cr_expect_eq(spec.bit_offset, offsetof(struct local_a, y) * 8);
	cr_expect_eq(spec.len, 2);
	cr_expect_str_eq(spec.spec[1].name, "y");
	bk__core_spec_str(&spec, buf, sizeof(buf));
	cr_expect_str_eq(buf, "y");
	cr_assert_eq(parse(0, "0:5:2"), 0, "arr[2]");
	cr_expect_eq(spec.bit_offset, (offsetof(struct local_a, arr) + 8) * 8);
	bk__core_spec_str(&spec, buf, sizeof(buf));
	cr_expect_str_eq(buf, "arr[2]");
	cr_assert_eq(parse(0, "0:6:1"), 0, "in2 through the anonymous struct");
	cr_expect_eq(spec.bit_offset, offsetof(struct local_a, in2) * 8);
	cr_expect_eq(spec.len, 2, "the anonymous struct is no step of its own");
	cr_expect_eq(spec.raw_len, 3);
	cr_assert_eq(parse(0, "3:0"), 0, "p[3].x");
	cr_expect_eq(spec.bit_offset, 3 * bk__core_resolve_size(lo->btf, core_a) * 8);
	bk__core_spec_str(&spec, buf, sizeof(buf));
	cr_expect_str_eq(buf, "[3].x");
}

Test(core_spec, malformed_access_strings)
{
	static const char *const bad[] = { "", ":0", "0::1", "0:a", "-1", "0:-1", "0:1:",
					   "0 :1", "99999999999", "0:99", "0:5:4", "0:1:0" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_lt(parse(0, bad[i]), 0, "\"%s\" accepted", bad[i]);
	cr_expect_eq(parse(0, NULL), -EINVAL);
}

Test(core_spec, too_long_access_string)
{
	char s[200] = "0";

	for (int i = 0; i < 70; i++)
		strcat(s, ":0");
	cr_expect_eq(parse(0, s), -E2BIG);
}

Test(core_spec, type_and_enum_kinds)
{
	int e = bk_btf_find(lo->btf, "core_e", BK_BTF_KIND_ENUM);

	cr_expect_eq(parse(8, "0"), 0);
	cr_expect_eq(parse(8, "0:0"), -EINVAL, "type relocations take \"0\" only");
	cr_expect_eq(parse(10, "0"), -EINVAL, "core_a is no enum");
	cr_assert_gt(e, 0);
	cr_expect_eq(bk__core_parse_spec(lo->btf, (uint32_t)e, 11, "1", &spec), 0);
	cr_expect_str_eq(spec.spec[0].name, "E_TWO");
	cr_expect_eq(bk__core_parse_spec(lo->btf, (uint32_t)e, 11, "4", &spec), -EINVAL);
	cr_expect_eq(bk__core_parse_spec(lo->btf, (uint32_t)e, 11, "0:0", &spec), -EINVAL);
	cr_expect_eq(parse(13, "0:0"), -EINVAL, "unknown kind");
}
