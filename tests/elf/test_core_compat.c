// SPDX-License-Identifier: MIT
/*
 * CO-RE type relations through TYPE_MATCHES and TYPE_EXISTS/TYPE_SIZE
 * relocations of core_local.bpf.c against core_target.bpf.c: forward
 * declarations behind pointers, enum/enum64 sizes and enumerator names,
 * int signedness, array lengths, function prototypes, struct vs union.
 * The same relocations are compared with libbpf in test_core_relo.c.
 */
#include <criterion/criterion.h>

#include "core_test.h"
#include "core_progs/core_target.h"

TestSuite(core_compat, .init = ct_open_both, .fini = ct_close_both);

static int64_t value(const char *sec)
{
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn *insns;
	size_t n, at = ct_only_relo_insn(lo, sec);
	int64_t v;

	cr_assert_eq(ct_relocate(lo, sec, tg->btf, &insns, &n, &p, &d), 0, "%s: %s", sec, d.msg);
	cr_assert_eq(p.calls, 0);
	v = insns[at].imm;
	free(insns);
	return v;
}

Test(core_compat, matches_forwards_behind_pointers)
{
	cr_expect_eq(value("s_tm_ptr"), 1, "struct and union forwards match their definitions");
	cr_expect_eq(value("s_tm_ptr2"), 0, "a struct forward does not match a union");
}

Test(core_compat, matches_enums_by_size_and_names)
{
	cr_expect_eq(value("s_tm_e4"), 0, "4-byte enum vs 8-byte enum64");
	cr_expect_eq(value("s_tm_e"), 1, "every local name present, values ignored");
	cr_expect_eq(value("s_tm_emiss"), 0, "TMM_Z is missing in the target");
}

Test(core_compat, matches_members_structurally)
{
	cr_expect_eq(value("s_tm_sign"), 0, "unsigned vs signed int");
	cr_expect_eq(value("s_tm_arr"), 0, "int[4] vs int[5]");
	cr_expect_eq(value("s_tm_fn"), 1, "same prototype");
	cr_expect_eq(value("s_tm_fn2"), 0, "two parameters vs one");
	cr_expect_eq(value("s_tm_union"), 0, "a struct locally, a union in the target");
}

Test(core_compat, exists_follows_the_looser_relation)
{
	cr_expect_eq(value("s_te_union"), 0, "candidates have the local kind: no union");
	cr_expect_eq(value("s_te_fnp"), 0, "prototypes differ in parameter count");
	cr_expect_eq(value("s_te_fnp_same"), 1);
	cr_expect_eq(value("s_te_e4"), 1, "enum and enum64 stand for each other");
	cr_expect_eq(value("s_ts_e4"), sizeof(enum core_tm_e4));
}
