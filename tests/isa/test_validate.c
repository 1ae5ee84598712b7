// SPDX-License-Identifier: MIT
/* The structural validator: one test per error kind, index and message. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void expect(const struct bk_insn *p, size_t n, unsigned index, const char *msg)
{
	struct bk_diag d;

	cr_assert_eq(bk_insn_validate(p, n, &d), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.err, -EINVAL);
	cr_assert_str_eq(d.msg, msg);
	cr_assert_eq(d.index, index, "index %u for '%s'", d.index, d.msg);
}

Test(validate, unknown_opcode)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0xff, 0, 0, 0, 0),
				     BK_EXIT() };
	expect(p, LEN(p), 1, "unknown opcode 0xff");
}

Test(validate, unknown_discriminator)
{
	const struct bk_insn p[] = { BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_K, 0, 0, 2, 3), BK_EXIT() };
	expect(p, LEN(p), 0, "unknown opcode 0x37");
}

Test(validate, register_above_r10)
{
	const struct bk_insn p[] = { BK_MOV64_REG(BK_R0, 11), BK_EXIT() };
	const struct bk_insn q[] = { BK_MOV64_IMM(12, 0), BK_EXIT() };

	expect(p, LEN(p), 0, "MOV64_REG uses register r11, the highest is r10");
	expect(q, LEN(q), 0, "MOV64_IMM uses register r12, the highest is r10");
}

Test(validate, nonzero_reserved_fields)
{
	const struct bk_insn src[] = { BK_RAW_INSN(BK_ALU64 | BK_ADD | BK_K, 0, 3, 0, 1),
				       BK_EXIT() };
	const struct bk_insn off[] = { BK_RAW_INSN(BK_ALU64 | BK_ADD | BK_X, 0, 1, 5, 0),
				       BK_EXIT() };
	const struct bk_insn imm[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0x95, 0, 0, 0, 7) };
	const struct bk_insn dst[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0x95, 2, 0, 0, 0) };

	expect(src, LEN(src), 0, "ADD64_IMM has a nonzero reserved field src_reg (3)");
	expect(off, LEN(off), 0, "ADD64_REG has a nonzero reserved field off (5)");
	expect(imm, LEN(imm), 1, "EXIT has a nonzero reserved field imm (7)");
	expect(dst, LEN(dst), 1, "EXIT has a nonzero reserved field dst_reg (2)");
}

Test(validate, lone_second_half_of_ld_imm64)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0, 0, 0, 0, 5),
				     BK_EXIT() };
	expect(p, LEN(p), 1,
	       "opcode 0x00 is the second half of ld_imm64, but no ld_imm64 precedes it");
}

Test(validate, ld_imm64_truncated_or_malformed)
{
	const struct bk_insn cut[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(),
				       BK_RAW_INSN(0x18, 1, 0, 0, 5) };
	const struct bk_insn bad[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5), BK_RAW_INSN(0, 1, 0, 0, 0),
				       BK_EXIT() };

	expect(cut, LEN(cut), 2, "ld_imm64 lacks its second half at the end");
	expect(bad, LEN(bad), 0, "second half of ld_imm64 must have only imm set");
}

Test(validate, jumps_out_of_range)
{
	const struct bk_insn fwd[] = { BK_JA(5), BK_EXIT() };
	const struct bk_insn back[] = { BK_MOV64_IMM(BK_R0, 0), BK_JMP_IMM(BK_JEQ, 0, 0, -3),
					BK_EXIT() };
	const struct bk_insn call[] = { BK_CALL_LOCAL(10), BK_EXIT() };
	const struct bk_insn gotol[] = { BK_MOV64_IMM(BK_R0, 0), BK_GOTOL(-5) };

	expect(fwd, LEN(fwd), 0, "JA target 6 is out of range (0 to 1)");
	expect(back, LEN(back), 1, "JEQ64_IMM target -1 is out of range (0 to 2)");
	expect(call, LEN(call), 0, "CALL_LOCAL target 11 is out of range (0 to 1)");
	expect(gotol, LEN(gotol), 1, "GOTOL target -3 is out of range (0 to 1)");
}

Test(validate, jump_into_the_middle_of_ld_imm64)
{
	const struct bk_insn p[] = { BK_JA(1), BK_LD_IMM64(BK_R0, 1), BK_EXIT() };
	expect(p, LEN(p), 0, "JA target 2 is the middle of ld_imm64");
}

Test(validate, missing_final_exit)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0) };
	const struct bk_insn q[] = { BK_MOV64_IMM(BK_R0, 0), BK_JMP_IMM(BK_JEQ, 0, 0, -2) };

	expect(p, LEN(p), 0,
	       "the last instruction is MOV64_IMM; it must be exit or an unconditional jump");
	expect(q, LEN(q), 1,
	       "the last instruction is JEQ64_IMM; it must be exit or an unconditional jump");
}

Test(validate, empty_program)
{
	struct bk_diag d;

	cr_assert_eq(bk_insn_validate(NULL, 0, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "the program is empty");
}

Test(validate, one_valid_instance_of_every_row_passes)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = { .dst = 1, .src = 2 };
		struct bk_insn p[4];
		struct bk_diag diag;
		int w;

		if (!(t[i].fields & BK_FIELD_DST))
			d.dst = 0;
		if (!(t[i].fields & BK_FIELD_SRC))
			d.src = 0;
		if (t[i].shape == BK_SHAPE_LD_IMM64 && t[i].dval == BK_PSEUDO_FUNC)
			d.imm = 1; /* target: the exit after it */
		w = bk_insn_encode(&t[i], &d, p);
		p[w] = (struct bk_insn)BK_EXIT();
		if (t[i].shape == BK_SHAPE_CALL_LOCAL)
			p[w + 1] = (struct bk_insn)BK_EXIT(); /* call +0: the next one */
		cr_assert_eq(bk_insn_validate(p, (size_t)w + 1 + (t[i].shape == BK_SHAPE_CALL_LOCAL),
					      &diag),
			     0, "%s: insn %u: %s", t[i].name, diag.index, diag.msg);
	}
}
