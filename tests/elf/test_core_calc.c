// SPDX-License-Identifier: MIT
/*
 * CO-RE values, end to end: core_local.bpf.c relocated against the .BTF of
 * core_target.bpf.c. Every expected value comes from the host compiler
 * laying out the same core_target.h (offsetof, sizeof, and real bitfield
 * reads through the relocated shifts), never from the code under test.
 */
#include <stddef.h>

#include <criterion/criterion.h>

#include "core_test.h"
#include "core_progs/core_target.h"

TestSuite(core_calc, .init = ct_open_both, .fini = ct_close_both);

/* Relocate sec; return its one relocated instruction (by value). */
static struct bk_insn relocated(const char *sec, struct bk_insn *second)
{
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn *insns, r;
	size_t n, at = ct_only_relo_insn(lo, sec);
	int err = ct_relocate(lo, sec, tg->btf, &insns, &n, &p, &d);

	cr_assert_eq(err, 0, "%s: %s", sec, d.msg);
	cr_assert_eq(p.calls, 0, "%s poisoned: %s", sec, p.what);
	r = insns[at];
	if (second)
		*second = at + 1 < n ? insns[at + 1] : (struct bk_insn){ 0 };
	free(insns);
	return r;
}

static int64_t imm_of(const char *sec)
{
	struct bk_insn hi, i = relocated(sec, &hi);

	if (i.code == 0x18) /* ld_imm64: both halves */
		return (int64_t)(((uint64_t)(uint32_t)hi.imm << 32) | (uint32_t)i.imm);
	cr_assert(i.code == 0xb7 || i.code == 0xb4, "%s: not a mov imm (0x%x)", sec, i.code);
	return i.imm;
}

Test(core_calc, field_offsets_and_sizes)
{
	cr_expect_eq(imm_of("s_off_x"), offsetof(struct core_a, x));
	cr_expect_eq(imm_of("s_off_y"), offsetof(struct core_a, y));
	cr_expect_eq(imm_of("s_size_y"), sizeof(long));
	cr_expect_eq(imm_of("s_off_arr2"), offsetof(struct core_a, arr) + 2 * sizeof(int));
	cr_expect_eq(imm_of("s_size_arr"), sizeof(((struct core_a *)0)->arr));
	cr_expect_eq(imm_of("s_off_in2"), offsetof(struct core_a, in2));
}

Test(core_calc, exists_and_signed)
{
	cr_expect_eq(imm_of("s_exists_x"), 1);
	cr_expect_eq(imm_of("s_exists_missing"), 0);
	cr_expect_eq(imm_of("s_signed_sg"), 1, "int in the target, unsigned locally");
	cr_expect_eq(imm_of("s_signed_sbf"), 1);
}

/* Read a bitfield of buf as BPF_CORE_READ_BITFIELD does with the relocated
 * offset, size and shifts. */
static int64_t read_bitfield(const void *buf, const char *name, bool is_signed)
{
	char sec[64];
	uint64_t v = 0;
	int64_t off, size, lsh, rsh;

	snprintf(sec, sizeof(sec), "s_%s_off", name);
	off = imm_of(sec);
	snprintf(sec, sizeof(sec), "s_%s_size", name);
	size = imm_of(sec);
	snprintf(sec, sizeof(sec), "s_%s_lshift", name);
	lsh = imm_of(sec);
	snprintf(sec, sizeof(sec), "s_%s_rshift", name);
	rsh = imm_of(sec);
	cr_assert(size == 1 || size == 2 || size == 4 || size == 8);
	cr_assert(off >= 0 && off + size <= (int64_t)sizeof(struct core_a));
	memcpy(&v, (const uint8_t *)buf + off, (size_t)size); /* little-endian host */
	v <<= lsh;
	if (is_signed)
		return (int64_t)v >> rsh;
	return (int64_t)(v >> rsh);
}

Test(core_calc, bitfields_read_back_through_relocated_shifts)
{
	struct core_a t;

	memset(&t, 0xff, sizeof(t)); /* neighbours all ones: a wrong mask shows */
	t.bf1 = 5;
	t.bf2 = 17;
	t.sbf = -3;
	cr_expect_eq(read_bitfield(&t, "bf1", false), 5);
	cr_expect_eq(read_bitfield(&t, "bf2", false), 17);
	cr_expect_eq(read_bitfield(&t, "sbf", true), -3);
	memset(&t, 0, sizeof(t));
	t.bf1 = 6;
	t.bf2 = 1;
	t.sbf = 200;
	cr_expect_eq(read_bitfield(&t, "bf1", false), 6);
	cr_expect_eq(read_bitfield(&t, "bf2", false), 1);
	cr_expect_eq(read_bitfield(&t, "sbf", true), 200);
}

static struct bk_insn mem_insn(const char *sec)
{
	return relocated(sec, NULL);
}

Test(core_calc, load_store_offsets)
{
	struct bk_insn i;

	i = mem_insn("s_ldx_x");
	cr_expect_eq(i.off, offsetof(struct core_a, x));
	cr_expect_eq(i.code, 0x61, "still a 4-byte load");
	i = mem_insn("s_ldx_y");
	cr_expect_eq(i.off, offsetof(struct core_a, y));
	cr_expect_eq(i.code, 0x79);
	i = mem_insn("s_ldx_p");
	cr_expect_eq(i.off, offsetof(struct core_a, p));
	i = mem_insn("s_stx_x");
	cr_expect_eq(i.off, offsetof(struct core_a, x));
	cr_expect_eq(i.code, 0x63);
	i = mem_insn("s_st_in1");
	cr_expect_eq(i.off, offsetof(struct core_a, in1));
}

Test(core_calc, flexible_array_index_past_its_bound)
{
	cr_expect_eq(mem_insn("s_flex3").off, offsetof(struct core_flex, data) + 3 * sizeof(int));
}

Test(core_calc, unsigned_field_grown_in_target_widens_the_load)
{
	struct bk_insn i = mem_insn("s_ldx_u16");

	cr_expect_eq(i.off, offsetof(struct core_a, u16f));
	cr_expect_eq(i.code, 0x61, "u16 load (0x69) must become a u32 load, got 0x%x", i.code);
}

Test(core_calc, flavors)
{
	cr_expect_eq(mem_insn("s_flavor_v2").off, offsetof(struct core_a, x),
		     "core_a___v2 relocates against core_a");
	cr_expect_eq(mem_insn("s_flavor_two").off, offsetof(struct core_f___one, a),
		     "core_f matches both flavors, which agree");
}

Test(core_calc, types)
{
	struct bk_insn hi;
	struct bk_insn first;
	int local_id = bk_btf_find(lo->btf, "core_a", BK_BTF_KIND_STRUCT);
	int targ_id = bk_btf_find(tg->btf, "core_a", BK_BTF_KIND_STRUCT);

	cr_expect_eq(imm_of("s_type_exists_a"), 1);
	cr_expect_eq(imm_of("s_type_exists_none"), 0);
	cr_expect_eq(imm_of("s_type_size_a"), sizeof(struct core_a));
	cr_expect_eq(imm_of("s_type_size_none"), 0);
	cr_expect_eq(imm_of("s_type_matches_m"), 1);
	cr_expect_eq(imm_of("s_type_matches_nm"), 0, "long locally, int in the target");
	cr_assert_gt(local_id, 0);
	cr_assert_gt(targ_id, 0);
	first = relocated("s_type_id_local", &hi);
	cr_expect_eq(first.code, 0x18);
	cr_expect_eq(first.imm, local_id);
	cr_expect_eq(hi.imm, 0);
	first = relocated("s_type_id_target", &hi);
	cr_expect_eq(first.imm, targ_id);
	cr_expect_eq(hi.imm, 0);
}

Test(core_calc, enum_values)
{
	struct bk_insn first, hi;

	cr_expect_eq(imm_of("s_enum_exists_one"), 1);
	cr_expect_eq(imm_of("s_enum_exists_gone"), 0);
	first = relocated("s_enum_value_one", &hi);
	cr_expect_eq(first.code, 0x18);
	cr_expect_eq(first.imm, E_ONE);
	cr_expect_eq(hi.imm, 0);
	first = relocated("s_enum_value_two", &hi);
	cr_expect_eq(first.imm, E_TWO);
	first = relocated("s_enum_value_neg", &hi);
	cr_expect_eq(first.imm, E_NEG);
	cr_expect_eq(hi.imm, -1, "a negative enumerator sign-extends to 64 bits");
}
