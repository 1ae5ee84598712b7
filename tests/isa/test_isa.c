// SPDX-License-Identifier: MIT
/*
 * The encoding and the builders of include/bpfkit/isa.h: the exact bytes of
 * struct bk_insn on this host, every test of the seed module (Zig's
 * std.os.linux.BPF "insn bitsize" and "opcodes"), and one test per builder
 * family checking every field (code, dst, src, off, imm) byte for byte.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/abi.h>
#include <bpfkit/btf.h>
#include <bpfkit/isa.h>

#include "../lib/bk_test.h"

/*
 * The 8 bytes the kernel's struct bpf_insn holds for these fields on this
 * host, computed from the layout rules rather than from our struct: code in
 * byte 0; dst in the low nibble of byte 1 and src in the high one on
 * little-endian hosts (swapped on big-endian ones); off and imm in host order.
 */
static void kernel_bytes(uint8_t code, unsigned dst, unsigned src, int16_t off, int32_t imm,
			 uint8_t out[8])
{
	uint16_t o = (uint16_t)off;
	uint32_t m = (uint32_t)imm;

	out[0] = code;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	out[1] = (uint8_t)(dst << 4 | src);
	out[2] = (uint8_t)(o >> 8);
	out[3] = (uint8_t)o;
	for (int i = 0; i < 4; i++)
		out[7 - i] = (uint8_t)(m >> (8 * i));
#else
	out[1] = (uint8_t)(src << 4 | dst);
	out[2] = (uint8_t)o;
	out[3] = (uint8_t)(o >> 8);
	for (int i = 0; i < 4; i++)
		out[4 + i] = (uint8_t)(m >> (8 * i));
#endif
}

static void expect_insn(struct bk_insn insn, const char *what, uint8_t code, unsigned dst,
			unsigned src, int16_t off, int32_t imm)
{
	uint8_t got[8], want[8];

	memcpy(got, &insn, sizeof(got));
	kernel_bytes(code, dst, src, off, imm, want);
	cr_assert_arr_eq(got, want, 8,
			 "%s: bytes %02x %02x %02x %02x %02x %02x %02x %02x, expected code 0x%02x "
			 "dst %u src %u off %d imm %d",
			 what, got[0], got[1], got[2], got[3], got[4], got[5], got[6], got[7], code,
			 dst, src, off, imm);
}

/* EXPECT(builder(...), code, dst, src, off, imm): exact bytes of one slot. */
#define EXPECT(INSN, CODE, DST, SRC, OFF, IMM)                                                    \
	expect_insn((struct bk_insn)INSN, #INSN, CODE, DST, SRC, OFF, IMM)
/* The same for a value that is already a struct bk_insn (inline functions). */
#define EXPECT_V(INSN, CODE, DST, SRC, OFF, IMM) expect_insn(INSN, #INSN, CODE, DST, SRC, OFF, IMM)

/* ---- the encoding ------------------------------------------------------- */

Test(isa, insn_is_64_bits)
{
	cr_assert_eq(sizeof(struct bk_insn) * 8, 64); /* the seed's "insn bitsize" */
	cr_assert_eq(_Alignof(struct bk_insn), 4);
}

Test(isa, exact_bytes_match_the_kernel_encoding)
{
	const struct bk_insn ldx = BK_LDX_MEM(BK_W, BK_R3, BK_R7, -2);
	const struct bk_insn mov = BK_MOV64_IMM(BK_R1, 0x12345678);
	uint8_t b[8];

	/* Written out by hand for both byte orders, independently of kernel_bytes(). */
	memcpy(b, &ldx, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	const uint8_t want[8] = { 0x61, 0x37, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00 };
	const uint8_t want2[8] = { 0xb7, 0x10, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };
#else
	const uint8_t want[8] = { 0x61, 0x73, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00 };
	const uint8_t want2[8] = { 0xb7, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 };
#endif
	cr_assert_arr_eq(b, want, 8);
	memcpy(b, &mov, 8);
	cr_assert_arr_eq(b, want2, 8);
	/* Register fields hold exactly 4 bits each, with no spill into each other. */
	EXPECT(BK_RAW_INSN(0xff, 15, 15, -1, -1), 0xff, 15, 15, -1, -1);
	EXPECT(BK_RAW_INSN(0, 15, 0, 0, 0), 0, 15, 0, 0, 0);
	EXPECT(BK_RAW_INSN(0, 0, 15, 0, 0), 0, 0, 15, 0, 0);
	EXPECT(BK_RAW_INSN(0, 0, 0, INT16_MIN, INT32_MIN), 0, 0, 0, INT16_MIN, INT32_MIN);
	EXPECT_V(bk_insn_make(0x07, 10, 9, 0x1234, 0x7abbccdd), 0x07, 10, 9, 0x1234, 0x7abbccdd);
}

/* The builders are constant expressions: usable in a static const array. */
static const struct bk_insn static_prog[] = {
	BK_LD_IMM64(BK_R1, 0x123456789abcdef0ull),
	BK_LD_MAP_FD(BK_R2, 7),
	BK_MOV64_IMM(BK_R0, 0),
	BK_JMP32_IMM(BK_JSGT, BK_R1, -3, +2),
	BK_ALU32_REG(BK_ADD, BK_R1, BK_R2),
	BK_LDX_MEM(BK_W, BK_R0, BK_R1, 4),
	BK_CALL_HELPER(BK_FN_map_lookup_elem),
	BK_EXIT(),
};

Test(isa, builders_are_constant_expressions)
{
	cr_assert_eq(sizeof(static_prog) / sizeof(static_prog[0]), 10);
	EXPECT_V(static_prog[0], 0x18, 1, 0, 0, (int32_t)0x9abcdef0);
	EXPECT_V(static_prog[1], 0x00, 0, 0, 0, 0x12345678);
	EXPECT_V(static_prog[2], 0x18, 2, BK_PSEUDO_MAP_FD, 0, 7);
	EXPECT_V(static_prog[3], 0x00, 0, 0, 0, 0);
	EXPECT_V(static_prog[4], 0xb7, 0, 0, 0, 0);
	EXPECT_V(static_prog[5], 0x66, 1, 0, 2, -3);
	EXPECT_V(static_prog[6], 0x0c, 1, 2, 0, 0);
	EXPECT_V(static_prog[7], 0x61, 0, 1, 4, 0);
	EXPECT_V(static_prog[8], 0x85, 0, 0, 0, 1);
	EXPECT_V(static_prog[9], 0x95, 0, 0, 0, 0);
}

/* ---- every test of the seed module ------------------------------------- */

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
	cr_assert_eq(bk_insn_alu64_imm(BK_ARSH, BK_R1, 0).code, 0xc7);
	cr_assert_eq(bk_insn_alu64_reg(BK_XOR, BK_R1, BK_R2).code, 0xaf);
	cr_assert_eq(bk_insn_mov64_imm(BK_R1, 0).code, 0xb7);
	cr_assert_eq(bk_insn_mov64_reg(BK_R1, BK_R2).code, 0xbf);
}

Test(isa, seed_opcodes_atomic_and_byteswap)
{
	const struct bk_insn le16 = BK_LE(BK_R1, 16), le32 = BK_LE(BK_R1, 32),
			     le64 = BK_LE(BK_R1, 64), be16 = BK_BE(BK_R1, 16),
			     be32 = BK_BE(BK_R1, 32), be64 = BK_BE(BK_R1, 64);

	OPC(0xdb, BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R1, BK_R2, 0)); /* the seed's xadd */
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

	cr_assert_eq(ld_dw[0].code, 0x18);  /* ld_dw1 */
	cr_assert_eq(ld_dw[1].code, 0x00);  /* ld_dw2 */
	cr_assert_eq(ld_map[0].code, 0x18); /* ld_map_fd1 */
	cr_assert_eq(ld_map[0].src_reg, BK_PSEUDO_MAP_FD);
	cr_assert_eq(ld_map[1].code, 0x00); /* ld_map_fd2 */
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
	cr_assert_eq(bk_insn_ldx(BK_W, 1, 2, 0).code, 0x61);
	cr_assert_eq(bk_insn_st(BK_W, 1, 0, 0).code, 0x62);
	cr_assert_eq(bk_insn_stx(BK_B, 1, 0, 2).code, 0x73);
	cr_assert_eq(bk_insn_stx(BK_DW, 1, 0, 2).code, 0x7b);
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
	OPC(0xa5, BK_JMP_IMM(BK_JLT, BK_R1, 0, 0));
	OPC(0xad, BK_JMP_REG(BK_JLT, BK_R1, BK_R2, 0));
	OPC(0xb5, BK_JMP_IMM(BK_JLE, BK_R1, 0, 0));
	OPC(0xbd, BK_JMP_REG(BK_JLE, BK_R1, BK_R2, 0));
	OPC(0x45, BK_JMP_IMM(BK_JSET, BK_R1, 0, 0));
	OPC(0x4d, BK_JMP_REG(BK_JSET, BK_R1, BK_R2, 0));
	OPC(0x55, BK_JMP_IMM(BK_JNE, BK_R1, 0, 0));
	OPC(0x5d, BK_JMP_REG(BK_JNE, BK_R1, BK_R2, 0));
	OPC(0x65, BK_JMP_IMM(BK_JSGT, BK_R1, 0, 0));
	OPC(0x6d, BK_JMP_REG(BK_JSGT, BK_R1, BK_R2, 0));
	OPC(0x75, BK_JMP_IMM(BK_JSGE, BK_R1, 0, 0));
	OPC(0x7d, BK_JMP_REG(BK_JSGE, BK_R1, BK_R2, 0));
	OPC(0xc5, BK_JMP_IMM(BK_JSLT, BK_R1, 0, 0));
	OPC(0xcd, BK_JMP_REG(BK_JSLT, BK_R1, BK_R2, 0));
	OPC(0xd5, BK_JMP_IMM(BK_JSLE, BK_R1, 0, 0));
	OPC(0xdd, BK_JMP_REG(BK_JSLE, BK_R1, BK_R2, 0));
	OPC(0x85, BK_CALL_HELPER(0)); /* the seed's call(.unspec) */
	OPC(0x95, BK_EXIT());
	cr_assert_eq(bk_insn_call(0).code, 0x85);
	cr_assert_eq(bk_insn_exit().code, 0x95);
	cr_assert_eq(bk_insn_jmp_imm(BK_JEQ, 1, 0, 0).code, 0x15);
	cr_assert_eq(bk_insn_jmp_reg(BK_JSLE, 1, 2, 0).code, 0xdd);
}

/* The seed's other names: FROM_LE/FROM_BE (aliases of TO_LE/TO_BE) and MAXINSNS. */
Test(isa, seed_byte_order_aliases_and_maxinsns)
{
	cr_assert_eq(BK_FROM_LE, 0x00);
	cr_assert_eq(BK_FROM_BE, 0x08);
	cr_assert_eq(BK_FROM_LE, BK_TO_LE);
	cr_assert_eq(BK_FROM_BE, BK_TO_BE);
	OPC(0xdc, BK_ENDIAN(BK_FROM_BE, BK_R1, 16));
	OPC(0xd4, BK_ENDIAN(BK_FROM_LE, BK_R1, 64));
	cr_assert_eq(BK_MAXINSNS, 4096);
}

/*
 * The seed's btf part: the on-disk records (kernel UAPI layout) and linkage
 * values, and the header checked against the running kernel's own BTF.
 */
Test(isa, seed_btf_on_disk_records)
{
	struct bk_btf_header h;
	FILE *f;

	cr_assert_eq(sizeof(struct bk_btf_header), 24);
	cr_assert_eq(offsetof(struct bk_btf_header, magic), 0);
	cr_assert_eq(offsetof(struct bk_btf_header, version), 2);
	cr_assert_eq(offsetof(struct bk_btf_header, flags), 3);
	cr_assert_eq(offsetof(struct bk_btf_header, hdr_len), 4);
	cr_assert_eq(offsetof(struct bk_btf_header, type_off), 8);
	cr_assert_eq(offsetof(struct bk_btf_header, type_len), 12);
	cr_assert_eq(offsetof(struct bk_btf_header, str_off), 16);
	cr_assert_eq(offsetof(struct bk_btf_header, str_len), 20);
	cr_assert_eq(sizeof(struct bk_btf_raw_param), 8);
	cr_assert_eq(offsetof(struct bk_btf_raw_param, type), 4);
	cr_assert_eq(sizeof(struct bk_btf_raw_var), 4);
	cr_assert_eq(sizeof(struct bk_btf_var_secinfo), 12);
	cr_assert_eq(offsetof(struct bk_btf_var_secinfo, offset), 4);
	cr_assert_eq(offsetof(struct bk_btf_var_secinfo, size), 8);
	cr_assert_eq(sizeof(struct bk_btf_raw_decl_tag), 4);
	cr_assert_eq(BK_BTF_MAGIC, 0xeb9f);
	cr_assert_eq(BK_BTF_VERSION, 1);
	cr_assert_eq(BK_BTF_VAR_STATIC, 0);
	cr_assert_eq(BK_BTF_VAR_GLOBAL_ALLOCATED, 1);
	cr_assert_eq(BK_BTF_VAR_GLOBAL_EXTERN, 2);
	cr_assert_eq(BK_BTF_FUNC_STATIC, 0);
	cr_assert_eq(BK_BTF_FUNC_GLOBAL, 1);
	cr_assert_eq(BK_BTF_FUNC_EXTERN, 2);

	f = fopen("/sys/kernel/btf/vmlinux", "rbe");
	if (!f)
		BK_SKIP_FEATURE("BTF (/sys/kernel/btf/vmlinux)");
	cr_assert_eq(fread(&h, sizeof(h), 1, f), 1);
	fclose(f);
	cr_assert_eq(h.magic, BK_BTF_MAGIC);
	cr_assert_eq(h.version, BK_BTF_VERSION);
	cr_assert_eq(h.hdr_len, sizeof(h));
	cr_assert_eq(h.type_off, 0);
	cr_assert_eq(h.str_off, h.type_len, "vmlinux's strings follow its types");
	cr_assert_gt(h.str_len, 0);
}

/* ---- one test per builder family, every field -------------------------- */

static const uint8_t alu_ops[] = { BK_ADD, BK_SUB, BK_MUL, BK_DIV, BK_OR,  BK_AND,
				   BK_LSH, BK_RSH, BK_MOD, BK_XOR, BK_MOV, BK_ARSH };

Test(isa, alu_builders_fill_dst_src_imm)
{
	for (size_t i = 0; i < sizeof(alu_ops); i++) {
		uint8_t op = alu_ops[i];

		EXPECT_V(((struct bk_insn)BK_ALU64_IMM(op, BK_R9, -123456)), 0x07 | op, 9, 0, 0,
			 -123456);
		EXPECT_V(((struct bk_insn)BK_ALU64_REG(op, BK_R3, BK_R10)), 0x0f | op, 3, 10, 0, 0);
		EXPECT_V(((struct bk_insn)BK_ALU32_IMM(op, BK_R0, 0x7fffffff)), 0x04 | op, 0, 0, 0,
			 0x7fffffff);
		EXPECT_V(((struct bk_insn)BK_ALU32_REG(op, BK_R8, BK_R1)), 0x0c | op, 8, 1, 0, 0);
		EXPECT_V(bk_insn_alu64_imm(op, 9, -123456), 0x07 | op, 9, 0, 0, -123456);
		EXPECT_V(bk_insn_alu64_reg(op, 3, 10), 0x0f | op, 3, 10, 0, 0);
		EXPECT_V(bk_insn_alu32_imm(op, 0, 0x7fffffff), 0x04 | op, 0, 0, 0, 0x7fffffff);
		EXPECT_V(bk_insn_alu32_reg(op, 8, 1), 0x0c | op, 8, 1, 0, 0);
	}
	EXPECT(BK_MOV64_IMM(BK_R7, -1), 0xb7, 7, 0, 0, -1);
	EXPECT(BK_MOV64_REG(BK_R6, BK_R10), 0xbf, 6, 10, 0, 0);
	EXPECT(BK_MOV32_IMM(BK_R5, 42), 0xb4, 5, 0, 0, 42);
	EXPECT(BK_MOV32_REG(BK_R4, BK_R2), 0xbc, 4, 2, 0, 0);
	EXPECT(BK_NEG64(BK_R3), 0x87, 3, 0, 0, 0);
	EXPECT(BK_NEG32(BK_R9), 0x84, 9, 0, 0, 0);
	EXPECT_V(bk_insn_mov64_imm(7, -1), 0xb7, 7, 0, 0, -1);
	EXPECT_V(bk_insn_mov64_reg(6, 10), 0xbf, 6, 10, 0, 0);
}

Test(isa, signed_division_and_modulo_set_off_1)
{
	EXPECT(BK_SDIV64_IMM(BK_R1, -7), 0x37, 1, 0, 1, -7);
	EXPECT(BK_SDIV64_REG(BK_R2, BK_R3), 0x3f, 2, 3, 1, 0);
	EXPECT(BK_SDIV32_IMM(BK_R4, 9), 0x34, 4, 0, 1, 9);
	EXPECT(BK_SDIV32_REG(BK_R5, BK_R6), 0x3c, 5, 6, 1, 0);
	EXPECT(BK_SMOD64_IMM(BK_R7, -3), 0x97, 7, 0, 1, -3);
	EXPECT(BK_SMOD64_REG(BK_R8, BK_R9), 0x9f, 8, 9, 1, 0);
	EXPECT(BK_SMOD32_IMM(BK_R0, 1000), 0x94, 0, 0, 1, 1000);
	EXPECT(BK_SMOD32_REG(BK_R1, BK_R10), 0x9c, 1, 10, 1, 0);
}

Test(isa, sign_extending_moves_put_the_width_in_off)
{
	EXPECT(BK_MOVSX64_REG(BK_R1, BK_R2, 8), 0xbf, 1, 2, 8, 0);
	EXPECT(BK_MOVSX64_REG(BK_R3, BK_R4, 16), 0xbf, 3, 4, 16, 0);
	EXPECT(BK_MOVSX64_REG(BK_R5, BK_R6, 32), 0xbf, 5, 6, 32, 0);
	EXPECT(BK_MOVSX32_REG(BK_R7, BK_R8, 8), 0xbc, 7, 8, 8, 0);
	EXPECT(BK_MOVSX32_REG(BK_R9, BK_R0, 16), 0xbc, 9, 0, 16, 0);
	/* kernel extension: dst = addr_space_cast(src, 1, 0), off 1, imm = dst_as << 16 | src_as */
	EXPECT(BK_ADDR_SPACE_CAST(BK_R1, BK_R2, 1, 0), 0xbf, 1, 2, 1, 0x10000);
	EXPECT(BK_ADDR_SPACE_CAST(BK_R3, BK_R4, 0, 1), 0xbf, 3, 4, 1, 1);
}

Test(isa, byte_swaps_put_the_width_in_imm)
{
	static const int widths[] = { 16, 32, 64 };

	for (size_t i = 0; i < 3; i++) {
		int w = widths[i];

		EXPECT_V(((struct bk_insn)BK_LE(BK_R3, w)), 0xd4, 3, 0, 0, w);
		EXPECT_V(((struct bk_insn)BK_BE(BK_R4, w)), 0xdc, 4, 0, 0, w);
		EXPECT_V(((struct bk_insn)BK_BSWAP(BK_R5, w)), 0xd7, 5, 0, 0, w);
		EXPECT_V(((struct bk_insn)BK_ENDIAN(BK_TO_BE, BK_R6, w)), 0xdc, 6, 0, 0, w);
	}
}

static const uint8_t jmp_ops[] = { BK_JEQ,  BK_JGT,  BK_JGE, BK_JSET, BK_JNE,  BK_JSGT,
				   BK_JSGE, BK_JLT, BK_JLE, BK_JSLT, BK_JSLE };

Test(isa, jump_builders_fill_dst_src_off_imm)
{
	for (size_t i = 0; i < sizeof(jmp_ops); i++) {
		uint8_t op = jmp_ops[i];

		EXPECT_V(((struct bk_insn)BK_JMP_IMM(op, BK_R1, -5, -300)), 0x05 | op, 1, 0, -300,
			 -5);
		EXPECT_V(((struct bk_insn)BK_JMP_REG(op, BK_R9, BK_R10, 32767)), 0x0d | op, 9, 10,
			 32767, 0);
		EXPECT_V(((struct bk_insn)BK_JMP32_IMM(op, BK_R2, 0x12345, 7)), 0x06 | op, 2, 0, 7,
			 0x12345);
		EXPECT_V(((struct bk_insn)BK_JMP32_REG(op, BK_R3, BK_R4, -32768)), 0x0e | op, 3, 4,
			 -32768, 0);
		EXPECT_V(bk_insn_jmp_imm(op, 1, -5, -300), 0x05 | op, 1, 0, -300, -5);
		EXPECT_V(bk_insn_jmp_reg(op, 9, 10, 32767), 0x0d | op, 9, 10, 32767, 0);
	}
	EXPECT(BK_JMP32_IMM(BK_JSGT, BK_R1, -3, +2), 0x66, 1, 0, 2, -3);
	EXPECT(BK_JA(-5), 0x05, 0, 0, -5, 0);
	EXPECT(BK_GOTOL(100000), 0x06, 0, 0, 0, 100000); /* off stays 0: the target is in imm */
	EXPECT(BK_GOTOL(-70000), 0x06, 0, 0, 0, -70000);
	EXPECT(BK_MAY_GOTO_INSN(3), 0xe5, 0, BK_MAY_GOTO, 3, 0);
}

Test(isa, call_builders_use_src_for_the_kind_of_call)
{
	EXPECT(BK_CALL_HELPER(BK_FN_map_lookup_elem), 0x85, 0, BK_PSEUDO_HELPER_CALL, 0, 1);
	EXPECT(BK_CALL_HELPER(BK_FN_trace_printk), 0x85, 0, 0, 0, 6);
	EXPECT(BK_CALL_LOCAL(-3), 0x85, 0, BK_PSEUDO_CALL, 0, -3);
	EXPECT(BK_CALL_LOCAL(12), 0x85, 0, 1, 0, 12);
	EXPECT(BK_CALL_KFUNC(12345), 0x85, 0, BK_PSEUDO_KFUNC_CALL, 0, 12345);
	EXPECT(BK_CALLX(BK_R2), 0x8d, 2, 0, 0, 0);
	EXPECT(BK_EXIT(), 0x95, 0, 0, 0, 0);
	EXPECT_V(bk_insn_call(BK_FN_ringbuf_output), 0x85, 0, 0, 0, 130);
	EXPECT_V(bk_insn_exit(), 0x95, 0, 0, 0, 0);
	cr_assert_eq(BK_PSEUDO_HELPER_CALL, 0);
	cr_assert_eq(BK_PSEUDO_CALL, 1);
	cr_assert_eq(BK_PSEUDO_KFUNC_CALL, 2);
}

Test(isa, memory_builders_fill_dst_src_off_imm)
{
	static const struct {
		uint8_t size, ldx, ldxsx, st, stx;
	} s[] = {
		{ BK_B, 0x71, 0x91, 0x72, 0x73 },
		{ BK_H, 0x69, 0x89, 0x6a, 0x6b },
		{ BK_W, 0x61, 0x81, 0x62, 0x63 },
		{ BK_DW, 0x79, 0, 0x7a, 0x7b },
	};

	for (size_t i = 0; i < 4; i++) {
		EXPECT_V(((struct bk_insn)BK_LDX_MEM(s[i].size, BK_R0, BK_R10, -8)), s[i].ldx, 0, 10,
			 -8, 0);
		EXPECT_V(((struct bk_insn)BK_STX_MEM(s[i].size, BK_R10, BK_R7, -16)), s[i].stx, 10,
			 7, -16, 0);
		EXPECT_V(((struct bk_insn)BK_ST_MEM(s[i].size, BK_R10, -24, -2)), s[i].st, 10, 0,
			 -24, -2);
		EXPECT_V(bk_insn_ldx(s[i].size, 0, 10, -8), s[i].ldx, 0, 10, -8, 0);
		EXPECT_V(bk_insn_stx(s[i].size, 10, -16, 7), s[i].stx, 10, 7, -16, 0);
		EXPECT_V(bk_insn_st(s[i].size, 10, -24, -2), s[i].st, 10, 0, -24, -2);
		if (s[i].ldxsx)
			EXPECT_V(((struct bk_insn)BK_LDX_MEMSX(s[i].size, BK_R3, BK_R1, 300)),
				 s[i].ldxsx, 3, 1, 300, 0);
	}
}

Test(isa, atomic_builders_put_the_operation_in_imm)
{
	static const struct {
		int32_t op, imm;
	} ops[] = {
		{ BK_ADD, 0x00 },
		{ BK_ADD | BK_FETCH, 0x01 },
		{ BK_OR, 0x40 },
		{ BK_OR | BK_FETCH, 0x41 },
		{ BK_AND, 0x50 },
		{ BK_AND | BK_FETCH, 0x51 },
		{ BK_XOR, 0xa0 },
		{ BK_XOR | BK_FETCH, 0xa1 },
		{ BK_XCHG, 0xe1 },
		{ BK_CMPXCHG, 0xf1 },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		EXPECT_V(((struct bk_insn)BK_ATOMIC_OP(BK_W, ops[i].op, BK_R10, BK_R1, -8)), 0xc3,
			 10, 1, -8, ops[i].imm);
		EXPECT_V(((struct bk_insn)BK_ATOMIC_OP(BK_DW, ops[i].op, BK_R2, BK_R3, 16)), 0xdb,
			 2, 3, 16, ops[i].imm);
	}
}

Test(isa, load_acquire_and_store_release)
{
	static const struct {
		uint8_t size, code;
	} s[] = { { BK_B, 0xd3 }, { BK_H, 0xcb }, { BK_W, 0xc3 }, { BK_DW, 0xdb } };

	for (size_t i = 0; i < 4; i++) {
		/* dst = load_acquire(src + off): the loaded register is dst */
		EXPECT_V(((struct bk_insn)BK_LOAD_ACQUIRE(s[i].size, BK_R0, BK_R1, 8)), s[i].code,
			 0, 1, 8, 0x100);
		/* store_release(dst + off, src) */
		EXPECT_V(((struct bk_insn)BK_STORE_RELEASE(s[i].size, BK_R1, BK_R2, -4)), s[i].code,
			 1, 2, -4, 0x110);
	}
}

Test(isa, ld_imm64_builders_fill_two_slots)
{
	const struct bk_insn imm[2] = { BK_LD_IMM64(BK_R1, 0x123456789abcdef0ull) };
	const struct bk_insn neg[2] = { BK_LD_IMM64(BK_R9, -2) };
	const struct bk_insn raw[2] = { BK_LD_IMM64_RAW(BK_R4, 15, 0x8000000000000001ull) };
	const struct bk_insn fd[2] = { BK_LD_MAP_FD(BK_R1, 7) };
	const struct bk_insn val[2] = { BK_LD_MAP_VALUE(BK_R2, 8, 40) };
	const struct bk_insn btf[2] = { BK_LD_BTF_ID(BK_R3, 1234) };
	const struct bk_insn fn[2] = { BK_LD_FUNC(BK_R4, -6) };
	const struct bk_insn idx[2] = { BK_LD_MAP_IDX(BK_R5, 2) };
	const struct bk_insn ival[2] = { BK_LD_MAP_IDX_VALUE(BK_R6, 3, 4096) };
	struct bk_insn fnc[2];

	EXPECT_V(imm[0], 0x18, 1, 0, 0, (int32_t)0x9abcdef0);
	EXPECT_V(imm[1], 0x00, 0, 0, 0, 0x12345678);
	EXPECT_V(neg[0], 0x18, 9, 0, 0, -2);
	EXPECT_V(neg[1], 0x00, 0, 0, 0, -1);
	EXPECT_V(raw[0], 0x18, 4, 15, 0, 1);
	EXPECT_V(raw[1], 0x00, 0, 0, 0, INT32_MIN);
	EXPECT_V(fd[0], 0x18, 1, BK_PSEUDO_MAP_FD, 0, 7);
	EXPECT_V(fd[1], 0x00, 0, 0, 0, 0);
	EXPECT_V(val[0], 0x18, 2, BK_PSEUDO_MAP_VALUE, 0, 8);
	EXPECT_V(val[1], 0x00, 0, 0, 0, 40);
	EXPECT_V(btf[0], 0x18, 3, BK_PSEUDO_BTF_ID, 0, 1234);
	EXPECT_V(btf[1], 0x00, 0, 0, 0, 0);
	EXPECT_V(fn[0], 0x18, 4, BK_PSEUDO_FUNC, 0, -6);
	EXPECT_V(fn[1], 0x00, 0, 0, 0, 0);
	EXPECT_V(idx[0], 0x18, 5, BK_PSEUDO_MAP_IDX, 0, 2);
	EXPECT_V(idx[1], 0x00, 0, 0, 0, 0);
	EXPECT_V(ival[0], 0x18, 6, BK_PSEUDO_MAP_IDX_VALUE, 0, 3);
	EXPECT_V(ival[1], 0x00, 0, 0, 0, 4096);
	/* the pseudo-source values are the kernel's */
	cr_assert(BK_PSEUDO_MAP_FD == 1 && BK_PSEUDO_MAP_VALUE == 2 && BK_PSEUDO_BTF_ID == 3 &&
		  BK_PSEUDO_FUNC == 4 && BK_PSEUDO_MAP_IDX == 5 && BK_PSEUDO_MAP_IDX_VALUE == 6);
	bk_insn_ld_imm64(fnc, 7, BK_PSEUDO_MAP_VALUE, 0xfedcba9876543210ull);
	EXPECT_V(fnc[0], 0x18, 7, 2, 0, 0x76543210);
	EXPECT_V(fnc[1], 0x00, 0, 0, 0, (int32_t)0xfedcba98);
}

Test(isa, legacy_packet_loads)
{
	EXPECT(BK_LD_ABS(BK_W, 14), 0x20, 0, 0, 0, 14);
	EXPECT(BK_LD_ABS(BK_H, 12), 0x28, 0, 0, 0, 12);
	EXPECT(BK_LD_ABS(BK_B, 23), 0x30, 0, 0, 0, 23);
	EXPECT(BK_LD_IND(BK_W, BK_R7, 4), 0x40, 0, 7, 0, 4);
	EXPECT(BK_LD_IND(BK_H, BK_R6, -2), 0x48, 0, 6, 0, -2);
	EXPECT(BK_LD_IND(BK_B, BK_R8, 0), 0x50, 0, 8, 0, 0);
}

Test(isa, field_macros_take_opcodes_apart)
{
	const uint8_t c = BK_STX | BK_DW | BK_ATOMIC, j = BK_JMP32 | BK_JSLE | BK_X;

	cr_assert_eq(BK_CLASS(c), BK_STX);
	cr_assert_eq(BK_SIZE(c), BK_DW);
	cr_assert_eq(BK_MODE(c), BK_ATOMIC);
	cr_assert_eq(BK_CLASS(j), BK_JMP32);
	cr_assert_eq(BK_OP(j), BK_JSLE);
	cr_assert_eq(BK_SRC(j), BK_X);
	cr_assert_eq(BK_XADD, BK_ATOMIC);
	cr_assert_eq(BK_FP, BK_R10);
}
