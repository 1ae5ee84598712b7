// SPDX-License-Identifier: MIT
/* CO-RE BTF helpers: essential names (flavors), sizes as libbpf resolves
 * them, kind classes and names. */
#include <criterion/criterion.h>

#include "core_test.h"
#include "core_progs/core_target.h"
#include "../../src/elf/core_int.h"

Test(core_btf, essential_names)
{
	static const struct {
		const char *name;
		size_t len;
	} cases[] = {
		{ "task_struct", 11 },	  { "task_struct___2", 11 }, { "a___b___c", 5 },
		{ "a____b", 6 },	  { "___x", 4 },	     { "x___", 4 },
		{ "a___b", 1 },		  { "", 0 },		     { "ab_", 3 },
		{ "sk___flavor_x", 2 },	  { "a__b", 4 },	     { "a___b_", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(bk__core_essent_len(cases[i].name), cases[i].len, "%s",
			     cases[i].name);
	cr_expect(bk__core_essent_eq("core_f___one", "core_f___two"));
	cr_expect(bk__core_essent_eq("core_f", "core_f___two"));
	cr_expect(!bk__core_essent_eq("core_f", "core_fx"));
}

Test(core_btf, sizes_follow_modifiers_arrays_and_pointers)
{
	struct ct_obj *target = ct_open("core_target");
	int a = bk_btf_find(target->btf, "core_a", BK_BTF_KIND_STRUCT);
	int fnp = bk_btf_find(target->btf, "core_fnp", BK_BTF_KIND_TYPEDEF);
	int var = bk_btf_find(target->btf, "g_a", BK_BTF_KIND_VAR);
	struct bk_btf_member m;

	cr_assert_gt(a, 0);
	cr_expect_eq(bk__core_resolve_size(target->btf, (uint32_t)a), sizeof(struct core_a));
	cr_expect_eq(bk__core_resolve_size(target->btf, (uint32_t)var), sizeof(struct core_a));
	cr_expect_eq(bk__core_resolve_size(target->btf, (uint32_t)fnp), sizeof(void *));
	for (uint32_t i = 0; bk_btf_member(target->btf, (uint32_t)a, i, &m) == 0; i++)
		if (strcmp(m.name, "arr") == 0)
			cr_expect_eq(bk__core_resolve_size(target->btf, m.type), sizeof(int) * 8);
	cr_expect_eq(bk__core_resolve_size(target->btf, 0), -EINVAL, "void has no size");
	cr_expect_eq(bk__core_resolve_size(target->btf, 0x7fffffff), -EINVAL);
	ct_close(target);
}

Test(core_btf, kinds)
{
	cr_expect_str_eq(bk__core_kind_name(0), "byte_off");
	cr_expect_str_eq(bk__core_kind_name(12), "type_matches");
	cr_expect_str_eq(bk__core_kind_name(13), "unknown");
	cr_expect_eq(bk__core_kind_class(5), BK__CORE_CLASS_FIELD);
	cr_expect_eq(bk__core_kind_class(9), BK__CORE_CLASS_TYPE);
	cr_expect_eq(bk__core_kind_class(11), BK__CORE_CLASS_ENUMVAL);
	cr_expect_eq(bk__core_kind_class(12), BK__CORE_CLASS_TYPE);
	cr_expect_eq(bk__core_kind_class(100), BK__CORE_CLASS_NONE);
	cr_expect(bk__core_kind_compat(BK_BTF_KIND_ENUM, BK_BTF_KIND_ENUM64));
	cr_expect(!bk__core_kind_compat(BK_BTF_KIND_STRUCT, BK_BTF_KIND_UNION));
}
