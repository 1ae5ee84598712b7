// SPDX-License-Identifier: MIT
/* The structural validator: one test per error kind, asserting the index and
 * the exact message, and valid programs of every instruction. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void expect(const struct bk_insn *p, size_t n, unsigned index, const char *msg)
{
	struct bk_diag d;

	memset(&d, 0x55, sizeof(d));
	errno = 0;
	cr_assert_eq(bk_insn_validate(p, n, &d), -EINVAL, "expected '%s'", msg);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.err, -EINVAL);
	cr_assert_str_eq(d.msg, msg);
	cr_assert_eq(d.index, index, "index %u for '%s'", d.index, d.msg);
	/* the same without a diagnostic */
	errno = 0;
	cr_assert_eq(bk_insn_validate(p, n, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
}

static void expect_ok(const struct bk_insn *p, size_t n)
{
	struct bk_diag d;

	memset(&d, 0x55, sizeof(d));
	cr_assert_eq(bk_insn_validate(p, n, &d), 0, "insn %u: %s", d.index, d.msg);
	cr_assert_eq(d.err, 0);
	cr_assert_str_eq(d.msg, "");
}

Test(validate, unknown_opcode)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0xff, 0, 0, 0, 0),
				     BK_EXIT() };
	/* ld_abs of DW exists in the seed's builders but not in eBPF */
	const struct bk_insn q[] = { BK_LD_ABS(BK_DW, 0), BK_EXIT() };

	expect(p, LEN(p), 1, "unknown opcode 0xff");
	expect(q, LEN(q), 0, "unknown opcode 0x38");
}

Test(validate, unknown_discriminator)
{
	const struct bk_insn div[] = { BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_K, 0, 0, 2, 3),
				       BK_EXIT() };
	const struct bk_insn movsx[] = { BK_MOVSX32_REG(BK_R1, BK_R2, 32), BK_EXIT() };
	const struct bk_insn atomic[] = { BK_ATOMIC_OP(BK_W, BK_SUB, BK_R1, BK_R2, 0), BK_EXIT() };
	const struct bk_insn bswap[] = { BK_BSWAP(BK_R1, 8), BK_EXIT() };
	const struct bk_insn call[] = { BK_RAW_INSN(BK_JMP | BK_CALL, 0, 3, 0, 1), BK_EXIT() };
	const struct bk_insn ld[] = { BK_LD_IMM64_RAW(BK_R1, 7, 0), BK_EXIT() };

	expect(div, LEN(div), 0, "opcode 0x37 has no instruction with off 2");
	expect(movsx, LEN(movsx), 0, "opcode 0xbc has no instruction with off 32");
	expect(atomic, LEN(atomic), 0, "opcode 0xc3 has no instruction with imm 16");
	expect(bswap, LEN(bswap), 0, "opcode 0xd7 has no instruction with imm 8");
	expect(call, LEN(call), 0, "opcode 0x85 has no instruction with src_reg 3");
	expect(ld, LEN(ld), 0, "opcode 0x18 has no instruction with src_reg 7");
}

Test(validate, register_above_r10)
{
	const struct bk_insn src[] = { BK_MOV64_REG(BK_R0, 11), BK_EXIT() };
	const struct bk_insn dst[] = { BK_MOV64_IMM(12, 0), BK_EXIT() };
	const struct bk_insn mem[] = { BK_MOV64_IMM(BK_R0, 0), BK_STX_MEM(BK_W, 15, BK_R1, 0),
				       BK_EXIT() };
	const struct bk_insn ind[] = { BK_LD_IND(BK_B, 13, 0), BK_EXIT() };

	expect(src, LEN(src), 0, "MOV64_REG uses register r11, the highest is r10");
	expect(dst, LEN(dst), 0, "MOV64_IMM uses register r12, the highest is r10");
	expect(mem, LEN(mem), 1, "STXW uses register r15, the highest is r10");
	expect(ind, LEN(ind), 0, "LD_IND_B uses register r13, the highest is r10");
}

Test(validate, nonzero_reserved_fields)
{
	const struct bk_insn src[] = { BK_RAW_INSN(BK_ALU64 | BK_ADD | BK_K, 0, 3, 0, 1),
				       BK_EXIT() };
	const struct bk_insn off[] = { BK_RAW_INSN(BK_ALU64 | BK_ADD | BK_X, 0, 1, 5, 0),
				       BK_EXIT() };
	const struct bk_insn imm[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0x95, 0, 0, 0, 7) };
	const struct bk_insn dst[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0x95, 2, 0, 0, 0) };
	const struct bk_insn neg_off[] = { BK_RAW_INSN(BK_JMP | BK_CALL, 0, 0, -1, 1),
					   BK_EXIT() };
	const struct bk_insn ja_imm[] = { BK_RAW_INSN(BK_JMP | BK_JA, 0, 0, 0, 9) };
	const struct bk_insn gotol_off[] = { BK_RAW_INSN(BK_JMP32 | BK_JA, 0, 0, 1, 0),
					     BK_EXIT() };
	const struct bk_insn abs_dst[] = { BK_RAW_INSN(BK_LD | BK_W | BK_ABS, 4, 0, 0, 2),
					   BK_EXIT() };
	const struct bk_insn ldx_imm[] = { BK_RAW_INSN(BK_LDX | BK_W | BK_MEM, 0, 1, 0, 4),
					   BK_EXIT() };
	const struct bk_insn st_src[] = { BK_RAW_INSN(BK_ST | BK_W | BK_MEM, 10, 1, -4, 0),
					  BK_EXIT() };

	expect(src, LEN(src), 0, "ADD64_IMM has a nonzero reserved field src_reg (3)");
	expect(off, LEN(off), 0, "ADD64_REG has a nonzero reserved field off (5)");
	expect(imm, LEN(imm), 1, "EXIT has a nonzero reserved field imm (7)");
	expect(dst, LEN(dst), 1, "EXIT has a nonzero reserved field dst_reg (2)");
	expect(neg_off, LEN(neg_off), 0, "CALL_HELPER has a nonzero reserved field off (-1)");
	expect(ja_imm, LEN(ja_imm), 0, "JA has a nonzero reserved field imm (9)");
	expect(gotol_off, LEN(gotol_off), 0, "GOTOL has a nonzero reserved field off (1)");
	expect(abs_dst, LEN(abs_dst), 0, "LD_ABS_W has a nonzero reserved field dst_reg (4)");
	expect(ldx_imm, LEN(ldx_imm), 0, "LDXW has a nonzero reserved field imm (4)");
	expect(st_src, LEN(st_src), 0, "STW has a nonzero reserved field src_reg (1)");
}

Test(validate, lone_second_half_of_ld_imm64)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0, 0, 0, 0, 5),
				     BK_EXIT() };
	const struct bk_insn first[] = { BK_RAW_INSN(0, 0, 0, 0, 0), BK_EXIT() };

	expect(p, LEN(p), 1,
	       "opcode 0x00 is the second half of ld_imm64, but no ld_imm64 precedes it");
	expect(first, LEN(first), 0,
	       "opcode 0x00 is the second half of ld_imm64, but no ld_imm64 precedes it");
}

Test(validate, ld_imm64_truncated_at_the_end)
{
	const struct bk_insn cut[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(),
				       BK_RAW_INSN(0x18, 1, 0, 0, 5) };
	const struct bk_insn only[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5) };

	expect(cut, LEN(cut), 2, "ld_imm64 lacks its second half at the end");
	expect(only, LEN(only), 0, "ld_imm64 lacks its second half at the end");
}

Test(validate, malformed_second_half_of_ld_imm64)
{
	const struct bk_insn code[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5), BK_EXIT(), BK_EXIT() };
	const struct bk_insn dst[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5), BK_RAW_INSN(0, 1, 0, 0, 0),
				       BK_EXIT() };
	const struct bk_insn src[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5), BK_RAW_INSN(0, 0, 2, 0, 0),
				       BK_EXIT() };
	const struct bk_insn off[] = { BK_RAW_INSN(0x18, 1, 0, 0, 5), BK_RAW_INSN(0, 0, 0, 3, 0),
				       BK_EXIT() };
	const struct bk_insn fd[] = { BK_LD_PSEUDO(BK_R1, BK_PSEUDO_MAP_FD, 4, 8), BK_EXIT() };
	const struct bk_insn fn[] = { BK_LD_PSEUDO(BK_R1, BK_PSEUDO_FUNC, 1, -1), BK_EXIT() };
	/* the second half's imm is an operand for a constant and a map value */
	const struct bk_insn fine[] = { BK_LD_IMM64(BK_R1, -1), BK_LD_MAP_VALUE(BK_R2, 4, 8),
					BK_LD_MAP_IDX_VALUE(BK_R3, 0, 16), BK_EXIT() };

	expect(code, LEN(code), 0,
	       "LD_IMM64 is followed by opcode 0x95 instead of its second half (opcode 0x00)");
	expect(dst, LEN(dst), 1, "the second half of LD_IMM64 has a nonzero reserved field "
				 "dst_reg (1)");
	expect(src, LEN(src), 1, "the second half of LD_IMM64 has a nonzero reserved field "
				 "src_reg (2)");
	expect(off, LEN(off), 1, "the second half of LD_IMM64 has a nonzero reserved field off (3)");
	expect(fd, LEN(fd), 1, "the second half of LD_MAP_FD has a nonzero reserved field imm (8)");
	expect(fn, LEN(fn), 1, "the second half of LD_FUNC has a nonzero reserved field imm (-1)");
	expect_ok(fine, LEN(fine));
}

Test(validate, jumps_out_of_range_both_directions)
{
	const struct bk_insn fwd[] = { BK_JA(5), BK_EXIT() };
	const struct bk_insn end[] = { BK_JMP_IMM(BK_JEQ, BK_R1, 0, 1), BK_EXIT() };
	const struct bk_insn back[] = { BK_MOV64_IMM(BK_R0, 0), BK_JMP_IMM(BK_JEQ, 0, 0, -3),
					BK_EXIT() };
	const struct bk_insn j32[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(),
				       BK_JMP32_REG(BK_JSLT, BK_R1, BK_R2, -32768), BK_EXIT() };
	const struct bk_insn mg[] = { BK_MAY_GOTO_INSN(2), BK_EXIT() };

	expect(fwd, LEN(fwd), 0, "JA target 6 is out of range (0 to 1)");
	expect(end, LEN(end), 0, "JEQ64_IMM target 2 is out of range (0 to 1)");
	expect(back, LEN(back), 1, "JEQ64_IMM target -1 is out of range (0 to 2)");
	expect(j32, LEN(j32), 2, "JSLT32_REG target -32765 is out of range (0 to 3)");
	expect(mg, LEN(mg), 0, "MAY_GOTO target 3 is out of range (0 to 1)");
}

Test(validate, local_call_and_gotol_out_of_range)
{
	const struct bk_insn call[] = { BK_CALL_LOCAL(10), BK_EXIT() };
	const struct bk_insn back[] = { BK_MOV64_IMM(BK_R0, 0), BK_CALL_LOCAL(-3), BK_EXIT() };
	const struct bk_insn gotol[] = { BK_MOV64_IMM(BK_R0, 0), BK_GOTOL(-5) };
	const struct bk_insn far[] = { BK_GOTOL(100000), BK_EXIT() };
	const struct bk_insn func[] = { BK_LD_FUNC(BK_R1, 4), BK_EXIT() };

	expect(call, LEN(call), 0, "CALL_LOCAL target 11 is out of range (0 to 1)");
	expect(back, LEN(back), 1, "CALL_LOCAL target -1 is out of range (0 to 2)");
	expect(gotol, LEN(gotol), 1, "GOTOL target -3 is out of range (0 to 1)");
	expect(far, LEN(far), 0, "GOTOL target 100001 is out of range (0 to 1)");
	expect(func, LEN(func), 0, "LD_FUNC target 5 is out of range (0 to 2)");
}

Test(validate, jump_into_the_middle_of_ld_imm64)
{
	const struct bk_insn fwd[] = { BK_JA(1), BK_LD_IMM64(BK_R0, 1), BK_EXIT() };
	const struct bk_insn back[] = { BK_LD_IMM64(BK_R0, 1), BK_JMP_REG(BK_JNE, 0, 1, -2),
					BK_EXIT() };
	const struct bk_insn call[] = { BK_CALL_LOCAL(1), BK_LD_MAP_FD(BK_R1, 3), BK_EXIT() };
	const struct bk_insn gotol[] = { BK_LD_IMM64(BK_R0, 1), BK_GOTOL(-2), BK_EXIT() };

	expect(fwd, LEN(fwd), 0, "JA target 2 is the middle of ld_imm64");
	expect(back, LEN(back), 2, "JNE64_REG target 1 is the middle of ld_imm64");
	expect(call, LEN(call), 0, "CALL_LOCAL target 2 is the middle of ld_imm64");
	expect(gotol, LEN(gotol), 2, "GOTOL target 1 is the middle of ld_imm64");
}

Test(validate, missing_final_exit_or_ja)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0) };
	const struct bk_insn q[] = { BK_MOV64_IMM(BK_R0, 0), BK_JMP_IMM(BK_JEQ, 0, 0, -2) };
	const struct bk_insn call[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(), BK_CALL_HELPER(1) };
	const struct bk_insn ld[] = { BK_EXIT(), BK_LD_IMM64(BK_R0, 7) };
	const struct bk_insn mg[] = { BK_MOV64_IMM(BK_R0, 0), BK_MAY_GOTO_INSN(-2) };
	const struct bk_insn ja[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(), BK_JA(-3) };
	const struct bk_insn gotol[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT(), BK_GOTOL(-2) };

	expect(p, LEN(p), 0,
	       "the last instruction is MOV64_IMM; it must be exit or an unconditional jump");
	expect(q, LEN(q), 1,
	       "the last instruction is JEQ64_IMM; it must be exit or an unconditional jump");
	expect(call, LEN(call), 2,
	       "the last instruction is CALL_HELPER; it must be exit or an unconditional jump");
	expect(ld, LEN(ld), 1,
	       "the last instruction is LD_IMM64; it must be exit or an unconditional jump");
	expect(mg, LEN(mg), 1,
	       "the last instruction is MAY_GOTO; it must be exit or an unconditional jump");
	expect_ok(ja, LEN(ja));
	expect_ok(gotol, LEN(gotol));
}

Test(validate, empty_program)
{
	const struct bk_insn one[] = { BK_EXIT() };
	struct bk_diag d;

	cr_assert_eq(bk_insn_validate(NULL, 0, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "the program is empty");
	cr_assert_eq(d.index, 0);
	cr_assert_eq(bk_insn_validate(one, 0, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "the program is empty");
	cr_assert_eq(bk_insn_validate(NULL, 3, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "the program has 3 instructions but no buffer");
	expect_ok(one, 1);
}

/* The first error wins, in program order. */
Test(validate, reports_the_first_error)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_JA(10),
				     BK_RAW_INSN(0xff, 0, 0, 0, 0) };

	/* slots are checked before control flow: the bad opcode at 2 comes first */
	expect(p, LEN(p), 2, "unknown opcode 0xff");
}

Test(validate, one_valid_instance_of_every_row_passes)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = { .dst = 10, .src = 10, .off = -8, .imm = -1, .imm2 = 0 };
		struct bk_insn p[4];
		size_t len;
		int w;

		if (!(t[i].fields & BK_FIELD_DST))
			d.dst = 0;
		if (!(t[i].fields & BK_FIELD_SRC))
			d.src = 0;
		if (!(t[i].fields & BK_FIELD_OFF))
			d.off = 0;
		if (!(t[i].fields & BK_FIELD_IMM))
			d.imm = 0;
		switch (t[i].shape) {
		case BK_SHAPE_JA:
		case BK_SHAPE_JMP_IMM:
		case BK_SHAPE_JMP_REG:
			d.off = 0; /* the next instruction */
			break;
		case BK_SHAPE_GOTOL:
		case BK_SHAPE_CALL_LOCAL:
			d.imm = 0;
			break;
		case BK_SHAPE_LD_IMM64:
			d.imm = t[i].dval == BK_PSEUDO_FUNC ? 1 : 3; /* func: the exit after it */
			d.imm2 = t[i].dval == BK_PSEUDO_MAP_VALUE ? 64 : 0;
			break;
		default:
			break;
		}
		w = bk_insn_encode(&t[i], &d, p);
		cr_assert_gt(w, 0);
		p[w] = (struct bk_insn)BK_EXIT();
		len = (size_t)w + 1;
		{
			struct bk_diag diag;

			cr_assert_eq(bk_insn_validate(p, len, &diag), 0, "%s: insn %u: %s",
				     t[i].name, diag.index, diag.msg);
		}
	}
}

Test(validate, a_real_program_passes)
{
	/* look up key 0 in map fd 4, return the value's first word or 0 */
	static const struct bk_insn prog[] = {
		BK_ST_MEM(BK_W, BK_R10, -4, 0),
		BK_MOV64_REG(BK_R2, BK_R10),
		BK_ALU64_IMM(BK_ADD, BK_R2, -4),
		BK_LD_MAP_FD(BK_R1, 4),
		BK_CALL_HELPER(1),
		BK_JMP_IMM(BK_JEQ, BK_R0, 0, 2),
		BK_LDX_MEM(BK_W, BK_R0, BK_R0, 0),
		BK_EXIT(),
		BK_MOV64_IMM(BK_R0, 0),
		BK_EXIT(),
	};

	expect_ok(prog, LEN(prog));
}
