// SPDX-License-Identifier: MIT
/* The encoding and the builders: exact bytes, and every test of the seed
 * module (Zig's std.os.linux.BPF "insn bitsize" and "opcodes"). */
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/isa.h>

static void bytes_of(struct bk_insn i, uint8_t out[8])
{
	memcpy(out, &i, 8);
}

Test(isa, insn_is_64_bits)
{
	cr_assert_eq(sizeof(struct bk_insn) * 8, 64);
}

Test(isa, exact_bytes_match_the_kernel_encoding)
{
	uint8_t b[8];

	/* r3 = *(u32 *)(r7 - 2): code, dst/src nibbles, off, imm */
	bytes_of((struct bk_insn)BK_LDX_MEM(BK_W, BK_R3, BK_R7, -2), b);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint8_t want[8] = { 0x61, 0x73, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00 };
#else
	const uint8_t want[8] = { 0x61, 0x37, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00 };
#endif
	cr_assert_arr_eq(b, want, 8);
	bytes_of((struct bk_insn)BK_MOV64_IMM(BK_R1, 0x12345678), b);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint8_t want2[8] = { 0xb7, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 };
#else
	const uint8_t want2[8] = { 0xb7, 0x10, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };
#endif
	cr_assert_arr_eq(b, want2, 8);
}

/* The builders are constant expressions: usable in a static const array. */
static const struct bk_insn static_prog[] = {
	BK_LD_IMM64(BK_R1, 0x123456789abcdef0ull),
	BK_LD_MAP_FD(BK_R2, 7),
	BK_CALL_HELPER(1),
	BK_EXIT(),
};

Test(isa, builders_are_constant_expressions_and_ld_imm64_takes_two_slots)
{
	cr_assert_eq(sizeof(static_prog) / sizeof(static_prog[0]), 6);
	cr_assert_eq(static_prog[0].code, 0x18);
	cr_assert_eq(static_prog[0].dst_reg, 1);
	cr_assert_eq((uint32_t)static_prog[0].imm, 0x9abcdef0u);
	cr_assert_eq(static_prog[1].code, 0);
	cr_assert_eq((uint32_t)static_prog[1].imm, 0x12345678u);
	cr_assert_eq(static_prog[2].src_reg, BK_PSEUDO_MAP_FD);
	cr_assert_eq(static_prog[2].imm, 7);
	cr_assert_eq(static_prog[4].code, 0x85);
	cr_assert_eq(static_prog[4].imm, 1);
	cr_assert_eq(static_prog[5].code, 0x95);
}

#define OPC(want, ...)                                                                             \
	do {                                                                                       \
		const struct bk_insn i_ = __VA_ARGS__;                                             \
		cr_assert_eq(i_.code, want, "%s: 0x%02x, expected 0x%02x", #__VA_ARGS__, i_.code,  \
			     want);                                                                \
	} while (0)

Test(isa, seed_opcodes_alu)
{
	OPC(0x07, BK_ALU64_IMM(BK_ADD, BK_R1, 0));
	OPC(0x0f, BK_ALU64_REG(BK_ADD, BK_R1, BK_R2));
	OPC(0x17, BK_ALU64_IMM(BK_SUB, BK_R1, 0));
	OPC(0x1f, BK_ALU64_REG(BK_SUB, BK_R1, BK_R2));
	OPC(0x27, BK_ALU64_IMM(BK_MUL, BK_R1, 0));
	OPC(0x2f, BK_ALU64_REG(BK_MUL, BK_R1, BK_R2));
	OPC(0x37, BK_ALU64_IMM(BK_DIV, BK_R1, 0));
	OPC(0x3f, BK_ALU64_REG(BK_DIV, BK_R1, BK_R2));
	OPC(0x47, BK_ALU64_IMM(BK_OR, BK_R1, 0));
	OPC(0x4f, BK_ALU64_REG(BK_OR, BK_R1, BK_R2));
	OPC(0x57, BK_ALU64_IMM(BK_AND, BK_R1, 0));
	OPC(0x5f, BK_ALU64_REG(BK_AND, BK_R1, BK_R2));
	OPC(0x67, BK_ALU64_IMM(BK_LSH, BK_R1, 0));
	OPC(0x6f, BK_ALU64_REG(BK_LSH, BK_R1, BK_R2));
	OPC(0x77, BK_ALU64_IMM(BK_RSH, BK_R1, 0));
	OPC(0x7f, BK_ALU64_REG(BK_RSH, BK_R1, BK_R2));
	OPC(0x87, BK_NEG64(BK_R1));
	OPC(0x97, BK_ALU64_IMM(BK_MOD, BK_R1, 0));
	OPC(0x9f, BK_ALU64_REG(BK_MOD, BK_R1, BK_R2));
	OPC(0xa7, BK_ALU64_IMM(BK_XOR, BK_R1, 0));
	OPC(0xaf, BK_ALU64_REG(BK_XOR, BK_R1, BK_R2));
	OPC(0xb7, BK_MOV64_IMM(BK_R1, 0));
	OPC(0xbf, BK_MOV64_REG(BK_R1, BK_R2));
	OPC(0xc7, BK_ALU64_IMM(BK_ARSH, BK_R1, 0));
	OPC(0xcf, BK_ALU64_REG(BK_ARSH, BK_R1, BK_R2));
	/* the same through the inline functions */
	cr_assert_eq(bk_insn_alu64_imm(BK_ADD, BK_R1, 0).code, 0x07);
	cr_assert_eq(bk_insn_alu64_reg(BK_ADD, BK_R1, BK_R2).code, 0x0f);
	cr_assert_eq(bk_insn_mov64_imm(BK_R1, 0).code, 0xb7);
	cr_assert_eq(bk_insn_mov64_reg(BK_R1, BK_R2).code, 0xbf);
}

Test(isa, seed_opcodes_atomic_and_byteswap)
{
	const struct bk_insn le16 = BK_LE(BK_R1, 16), le32 = BK_LE(BK_R1, 32),
			     le64 = BK_LE(BK_R1, 64), be16 = BK_BE(BK_R1, 16),
			     be32 = BK_BE(BK_R1, 32), be64 = BK_BE(BK_R1, 64);

	OPC(0xdb, BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R1, BK_R2, 0)); /* xadd */
	cr_assert_eq(le16.code, 0xd4);
	cr_assert_eq(le16.imm, 16);
	cr_assert_eq(le32.code, 0xd4);
	cr_assert_eq(le32.imm, 32);
	cr_assert_eq(le64.code, 0xd4);
	cr_assert_eq(le64.imm, 64);
	cr_assert_eq(be16.code, 0xdc);
	cr_assert_eq(be16.imm, 16);
	cr_assert_eq(be32.code, 0xdc);
	cr_assert_eq(be32.imm, 32);
	cr_assert_eq(be64.code, 0xdc);
	cr_assert_eq(be64.imm, 64);
}

Test(isa, seed_opcodes_memory)
{
	const struct bk_insn ld_dw[2] = { BK_LD_IMM64(BK_R1, 0) };
	const struct bk_insn ld_map[2] = { BK_LD_MAP_FD(BK_R1, 0) };

	cr_assert_eq(ld_dw[0].code, 0x18);
	cr_assert_eq(ld_dw[1].code, 0x00);
	cr_assert_eq(ld_map[0].code, 0x18);
	cr_assert_eq(ld_map[0].src_reg, BK_PSEUDO_MAP_FD);
	cr_assert_eq(ld_map[1].code, 0x00);
	OPC(0x38, BK_LD_ABS(BK_DW, 0));
	OPC(0x20, BK_LD_ABS(BK_W, 0));
	OPC(0x28, BK_LD_ABS(BK_H, 0));
	OPC(0x30, BK_LD_ABS(BK_B, 0));
	OPC(0x58, BK_LD_IND(BK_DW, BK_R2, 0));
	OPC(0x40, BK_LD_IND(BK_W, BK_R2, 0));
	OPC(0x48, BK_LD_IND(BK_H, BK_R2, 0));
	OPC(0x50, BK_LD_IND(BK_B, BK_R2, 0));
	OPC(0x79, BK_LDX_MEM(BK_DW, BK_R1, BK_R2, 0));
	OPC(0x61, BK_LDX_MEM(BK_W, BK_R1, BK_R2, 0));
	OPC(0x69, BK_LDX_MEM(BK_H, BK_R1, BK_R2, 0));
	OPC(0x71, BK_LDX_MEM(BK_B, BK_R1, BK_R2, 0));
	OPC(0x62, BK_ST_MEM(BK_W, BK_R1, 0, 0));
	OPC(0x6a, BK_ST_MEM(BK_H, BK_R1, 0, 0));
	OPC(0x72, BK_ST_MEM(BK_B, BK_R1, 0, 0));
	OPC(0x63, BK_STX_MEM(BK_W, BK_R1, BK_R2, 0));
	OPC(0x6b, BK_STX_MEM(BK_H, BK_R1, BK_R2, 0));
	OPC(0x73, BK_STX_MEM(BK_B, BK_R1, BK_R2, 0));
	OPC(0x7b, BK_STX_MEM(BK_DW, BK_R1, BK_R2, 0));
	cr_assert_eq(bk_insn_ldx(BK_DW, 1, 2, 0).code, 0x79);
	cr_assert_eq(bk_insn_st(BK_W, 1, 0, 0).code, 0x62);
	cr_assert_eq(bk_insn_stx(BK_B, 1, 0, 2).code, 0x73);
}

Test(isa, seed_opcodes_jumps)
{
	OPC(0x05, BK_JA(0));
	OPC(0x15, BK_JMP_IMM(BK_JEQ, BK_R1, 0, 0));
	OPC(0x1d, BK_JMP_REG(BK_JEQ, BK_R1, BK_R2, 0));
	OPC(0x25, BK_JMP_IMM(BK_JGT, BK_R1, 0, 0));
	OPC(0x2d, BK_JMP_REG(BK_JGT, BK_R1, BK_R2, 0));
	OPC(0x35, BK_JMP_IMM(BK_JGE, BK_R1, 0, 0));
	OPC(0x3d, BK_JMP_REG(BK_JGE, BK_R1, BK_R2, 0));
	OPC(0x45, BK_JMP_IMM(BK_JSET, BK_R1, 0, 0));
	OPC(0x4d, BK_JMP_REG(BK_JSET, BK_R1, BK_R2, 0));
	OPC(0x55, BK_JMP_IMM(BK_JNE, BK_R1, 0, 0));
	OPC(0x5d, BK_JMP_REG(BK_JNE, BK_R1, BK_R2, 0));
	OPC(0x65, BK_JMP_IMM(BK_JSGT, BK_R1, 0, 0));
	OPC(0x6d, BK_JMP_REG(BK_JSGT, BK_R1, BK_R2, 0));
	OPC(0x75, BK_JMP_IMM(BK_JSGE, BK_R1, 0, 0));
	OPC(0x7d, BK_JMP_REG(BK_JSGE, BK_R1, BK_R2, 0));
	OPC(0xa5, BK_JMP_IMM(BK_JLT, BK_R1, 0, 0));
	OPC(0xad, BK_JMP_REG(BK_JLT, BK_R1, BK_R2, 0));
	OPC(0xb5, BK_JMP_IMM(BK_JLE, BK_R1, 0, 0));
	OPC(0xbd, BK_JMP_REG(BK_JLE, BK_R1, BK_R2, 0));
	OPC(0xc5, BK_JMP_IMM(BK_JSLT, BK_R1, 0, 0));
	OPC(0xcd, BK_JMP_REG(BK_JSLT, BK_R1, BK_R2, 0));
	OPC(0xd5, BK_JMP_IMM(BK_JSLE, BK_R1, 0, 0));
	OPC(0xdd, BK_JMP_REG(BK_JSLE, BK_R1, BK_R2, 0));
	OPC(0x85, BK_CALL_HELPER(0));
	OPC(0x95, BK_EXIT());
	cr_assert_eq(bk_insn_call(1).code, 0x85);
	cr_assert_eq(bk_insn_exit().code, 0x95);
	cr_assert_eq(bk_insn_jmp_imm(BK_JEQ, 1, 0, 0).code, 0x15);
	cr_assert_eq(bk_insn_jmp_reg(BK_JSLE, 1, 2, 0).code, 0xdd);
}

Test(isa, v4_and_extension_builders_fill_every_field)
{
	const struct bk_insn sdiv = BK_SDIV64_REG(BK_R3, BK_R4), smod = BK_SMOD32_IMM(BK_R3, -5),
			     movsx = BK_MOVSX64_REG(BK_R1, BK_R2, 16),
			     bswap = BK_BSWAP(BK_R5, 64), gotol = BK_GOTOL(-70000),
			     j32 = BK_JMP32_IMM(BK_JSGT, BK_R1, -3, 2),
			     lacq = BK_LOAD_ACQUIRE(BK_W, BK_R0, BK_R1, 8),
			     srel = BK_STORE_RELEASE(BK_B, BK_R1, BK_R2, -4),
			     cmpx = BK_ATOMIC_OP(BK_W, BK_CMPXCHG, BK_R10, BK_R1, -8),
			     call = BK_CALL_LOCAL(-3), kf = BK_CALL_KFUNC(12345),
			     cx = BK_CALLX(BK_R2), ldsx = BK_LDX_MEMSX(BK_B, BK_R0, BK_R1, 3);
	const struct bk_insn mv[2] = { BK_LD_MAP_VALUE(BK_R1, 4, 16) };

	cr_assert(sdiv.code == 0x3f && sdiv.off == 1 && sdiv.dst_reg == 3 && sdiv.src_reg == 4);
	cr_assert(smod.code == 0x94 && smod.off == 1 && smod.imm == -5);
	cr_assert(movsx.code == 0xbf && movsx.off == 16);
	cr_assert(bswap.code == 0xd7 && bswap.imm == 64);
	cr_assert(gotol.code == 0x06 && gotol.imm == -70000 && gotol.off == 0);
	cr_assert(j32.code == 0x66 && j32.imm == -3 && j32.off == 2);
	cr_assert(lacq.code == 0xc3 && lacq.imm == 0x100 && lacq.off == 8);
	cr_assert(srel.code == 0xd3 && srel.imm == 0x110 && srel.off == -4);
	cr_assert(cmpx.code == 0xc3 && cmpx.imm == 0xf1 && cmpx.dst_reg == 10);
	cr_assert(call.code == 0x85 && call.src_reg == 1 && call.imm == -3);
	cr_assert(kf.src_reg == 2 && kf.imm == 12345);
	cr_assert(cx.code == 0x8d && cx.dst_reg == 2);
	cr_assert(ldsx.code == 0x91 && ldsx.off == 3);
	cr_assert(mv[0].src_reg == BK_PSEUDO_MAP_VALUE && mv[0].imm == 4 && mv[1].imm == 16);
}
