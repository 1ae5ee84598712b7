/* SPDX-License-Identifier: MIT */
/*
 * The eBPF instruction encoding (RFC 9669 plus the kernel's extensions):
 * struct bk_insn, the opcode field constants, and builders for every
 * instruction. Pure data: no syscalls, builds on any OS.
 *
 * Opcode byte layout:
 *
 *   ALU/ALU64/JMP/JMP32:  +--------+---+-------+     LD/LDX/ST/STX:  +-----+------+-------+
 *                         | op (4) | s | class |                     | mode| size | class |
 *                         +--------+---+-------+                     +-----+------+-------+
 *                          7      4  3  2     0                       7   5 4    3 2     0
 *
 * s is the source bit (BK_K: imm, BK_X: src_reg). Each instruction is 8 bytes;
 * ld_imm64 takes two slots, the second holding the upper 32 bits in imm.
 */
#ifndef BPFKIT_ISA_H
#define BPFKIT_ISA_H

#include <stdint.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One instruction slot. The 4-bit register fields are bitfields on purpose:
 * the kernel's struct bpf_insn declares them the same way, so the compiler
 * places them exactly as the kernel does on little- and big-endian hosts
 * (dst_reg is the low nibble of byte 1 on little-endian, the high on big).
 */
struct bk_insn {
	uint8_t code;		 /* opcode */
	unsigned int dst_reg : 4; /* destination register */
	unsigned int src_reg : 4; /* source register */
	int16_t off;		 /* signed offset */
	int32_t imm;		 /* signed immediate constant */
};

#ifdef __cplusplus /* C++ spells C11's _Static_assert static_assert */
static_assert(sizeof(struct bk_insn) == 8, "struct bk_insn must be 8 bytes");
#else
_Static_assert(sizeof(struct bk_insn) == 8, "struct bk_insn must be 8 bytes");
#endif

/* Registers. R10 is the read-only frame pointer. */
enum bk_reg {
	BK_R0 = 0, BK_R1, BK_R2, BK_R3, BK_R4, BK_R5,
	BK_R6, BK_R7, BK_R8, BK_R9, BK_R10,
	BK_FP = BK_R10,
	BK_MAX_REG = 11,
};

/* Instruction classes (low 3 bits). */
#define BK_LD    0x00
#define BK_LDX   0x01
#define BK_ST    0x02
#define BK_STX   0x03
#define BK_ALU   0x04
#define BK_JMP   0x05
#define BK_JMP32 0x06
#define BK_ALU64 0x07
/* Classic BPF names of classes 6 and 7, as the seed spells them. */
#define BK_RET   0x06
#define BK_MISC  0x07
#define BK_CLASS(code) ((code) & 0x07)

/* Load/store sizes (bits 3-4). */
#define BK_W  0x00
#define BK_H  0x08
#define BK_B  0x10
#define BK_DW 0x18
#define BK_SIZE(code) ((code) & 0x18)

/* Load/store modes (bits 5-7). */
#define BK_IMM    0x00
#define BK_ABS    0x20
#define BK_IND    0x40
#define BK_MEM    0x60
#define BK_LEN    0x80 /* classic BPF only */
#define BK_MSH    0xa0 /* classic BPF only */
#define BK_MEMSX  0x80
#define BK_ATOMIC 0xc0
#define BK_XADD   0xc0 /* old name of BK_ATOMIC */
#define BK_MODE(code) ((code) & 0xe0)

/* ALU operations (bits 4-7). */
#define BK_ADD  0x00
#define BK_SUB  0x10
#define BK_MUL  0x20
#define BK_DIV  0x30
#define BK_OR   0x40
#define BK_AND  0x50
#define BK_LSH  0x60
#define BK_RSH  0x70
#define BK_NEG  0x80
#define BK_MOD  0x90
#define BK_XOR  0xa0
#define BK_MOV  0xb0
#define BK_ARSH 0xc0
#define BK_END  0xd0

/*
 * Jump operations (bits 4-7). An enum rather than macros: BK_JA and BK_EXIT
 * are also the names of function-like builders, BK_JA(off) and BK_EXIT(), and
 * a function-like macro is only expanded when a '(' follows, so the bare names
 * fall through to these constants.
 */
enum bk_jmp_op {
	BK_JA = 0x00,
	BK_JEQ = 0x10,
	BK_JGT = 0x20,
	BK_JGE = 0x30,
	BK_JSET = 0x40,
	BK_JNE = 0x50,
	BK_JSGT = 0x60,
	BK_JSGE = 0x70,
	BK_CALL = 0x80,
	BK_EXIT = 0x90,
	BK_JLT = 0xa0,
	BK_JLE = 0xb0,
	BK_JSLT = 0xc0,
	BK_JSLE = 0xd0,
	BK_JCOND = 0xe0, /* kernel extension (Linux 6.9): may_goto */
};
#define BK_OP(code) ((code) & 0xf0)

/* Source bit. */
#define BK_K 0x00
#define BK_X 0x08
#define BK_SRC(code) ((code) & 0x08)

/* Byte order of BK_END (in the source bit). */
#define BK_TO_LE 0x00
#define BK_TO_BE 0x08
/* The same bits read as "from": converting is symmetric. */
#define BK_FROM_LE BK_TO_LE
#define BK_FROM_BE BK_TO_BE

/* Atomic operations (imm of BK_STX|BK_ATOMIC). */
#define BK_FETCH       0x01
#define BK_XCHG        (0xe0 | BK_FETCH)
#define BK_CMPXCHG     (0xf0 | BK_FETCH)
#define BK_LOAD_ACQ    0x100 /* Linux 6.15 */
#define BK_STORE_REL   0x110 /* Linux 6.15 */

/* Pseudo sources of ld_imm64 (src_reg). */
#define BK_PSEUDO_MAP_FD        1
#define BK_PSEUDO_MAP_VALUE     2
#define BK_PSEUDO_BTF_ID        3
#define BK_PSEUDO_FUNC          4
#define BK_PSEUDO_MAP_IDX       5
#define BK_PSEUDO_MAP_IDX_VALUE 6

/* Pseudo sources of call (src_reg). */
#define BK_PSEUDO_HELPER_CALL 0
#define BK_PSEUDO_CALL        1
#define BK_PSEUDO_KFUNC_CALL  2

/* src_reg of BK_JMP|BK_JCOND. */
#define BK_MAY_GOTO 0

/* ------------------------------------------------------------------------ */
/* Builders. Each expands to a braced initializer, so it can be used in a
 * static const array; ld_imm64 builders expand to two initializers. */

#define BK_RAW_INSN(CODE, DST, SRC, OFF, IMM)                                      \
	{ .code = (uint8_t)(CODE), .dst_reg = (unsigned int)(DST) & 0xf,          \
	  .src_reg = (unsigned int)(SRC) & 0xf, .off = (int16_t)(OFF),            \
	  .imm = (int32_t)(IMM) }

/* ALU: dst op= imm / dst op= src (64 and 32 bit). */
#define BK_ALU64_IMM(OP, DST, IMM) BK_RAW_INSN(BK_ALU64 | (OP) | BK_K, DST, 0, 0, IMM)
#define BK_ALU64_REG(OP, DST, SRC) BK_RAW_INSN(BK_ALU64 | (OP) | BK_X, DST, SRC, 0, 0)
#define BK_ALU32_IMM(OP, DST, IMM) BK_RAW_INSN(BK_ALU | (OP) | BK_K, DST, 0, 0, IMM)
#define BK_ALU32_REG(OP, DST, SRC) BK_RAW_INSN(BK_ALU | (OP) | BK_X, DST, SRC, 0, 0)

/* Signed division and modulo: BK_DIV/BK_MOD with off = 1 (v4). */
#define BK_SDIV64_IMM(DST, IMM) BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_K, DST, 0, 1, IMM)
#define BK_SDIV64_REG(DST, SRC) BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_X, DST, SRC, 1, 0)
#define BK_SDIV32_IMM(DST, IMM) BK_RAW_INSN(BK_ALU | BK_DIV | BK_K, DST, 0, 1, IMM)
#define BK_SDIV32_REG(DST, SRC) BK_RAW_INSN(BK_ALU | BK_DIV | BK_X, DST, SRC, 1, 0)
#define BK_SMOD64_IMM(DST, IMM) BK_RAW_INSN(BK_ALU64 | BK_MOD | BK_K, DST, 0, 1, IMM)
#define BK_SMOD64_REG(DST, SRC) BK_RAW_INSN(BK_ALU64 | BK_MOD | BK_X, DST, SRC, 1, 0)
#define BK_SMOD32_IMM(DST, IMM) BK_RAW_INSN(BK_ALU | BK_MOD | BK_K, DST, 0, 1, IMM)
#define BK_SMOD32_REG(DST, SRC) BK_RAW_INSN(BK_ALU | BK_MOD | BK_X, DST, SRC, 1, 0)

/* Moves. */
#define BK_MOV64_IMM(DST, IMM) BK_ALU64_IMM(BK_MOV, DST, IMM)
#define BK_MOV64_REG(DST, SRC) BK_ALU64_REG(BK_MOV, DST, SRC)
#define BK_MOV32_IMM(DST, IMM) BK_ALU32_IMM(BK_MOV, DST, IMM)
#define BK_MOV32_REG(DST, SRC) BK_ALU32_REG(BK_MOV, DST, SRC)
/* Sign-extending moves (v4): BITS is 8, 16 or 32 (64-bit), 8 or 16 (32-bit). */
#define BK_MOVSX64_REG(DST, SRC, BITS) BK_RAW_INSN(BK_ALU64 | BK_MOV | BK_X, DST, SRC, BITS, 0)
#define BK_MOVSX32_REG(DST, SRC, BITS) BK_RAW_INSN(BK_ALU | BK_MOV | BK_X, DST, SRC, BITS, 0)
/* Kernel extension: address-space cast, dst = addr_space_cast(src, dst_as, src_as). */
#define BK_ADDR_SPACE_CAST(DST, SRC, DST_AS, SRC_AS)                                \
	BK_RAW_INSN(BK_ALU64 | BK_MOV | BK_X, DST, SRC, 1, ((DST_AS) << 16) | (SRC_AS))

/* Negation. */
#define BK_NEG64(DST) BK_RAW_INSN(BK_ALU64 | BK_NEG | BK_K, DST, 0, 0, 0)
#define BK_NEG32(DST) BK_RAW_INSN(BK_ALU | BK_NEG | BK_K, DST, 0, 0, 0)

/* Byte swaps: BITS is 16, 32 or 64. */
#define BK_ENDIAN(ORDER, DST, BITS) BK_RAW_INSN(BK_ALU | BK_END | (ORDER), DST, 0, 0, BITS)
#define BK_LE(DST, BITS) BK_ENDIAN(BK_TO_LE, DST, BITS)
#define BK_BE(DST, BITS) BK_ENDIAN(BK_TO_BE, DST, BITS)
#define BK_BSWAP(DST, BITS) BK_RAW_INSN(BK_ALU64 | BK_END | BK_TO_LE, DST, 0, 0, BITS)

/* Jumps. OFF counts instructions after the jump. */
#define BK_JMP_IMM(OP, DST, IMM, OFF) BK_RAW_INSN(BK_JMP | (OP) | BK_K, DST, 0, OFF, IMM)
#define BK_JMP_REG(OP, DST, SRC, OFF) BK_RAW_INSN(BK_JMP | (OP) | BK_X, DST, SRC, OFF, 0)
#define BK_JMP32_IMM(OP, DST, IMM, OFF) BK_RAW_INSN(BK_JMP32 | (OP) | BK_K, DST, 0, OFF, IMM)
#define BK_JMP32_REG(OP, DST, SRC, OFF) BK_RAW_INSN(BK_JMP32 | (OP) | BK_X, DST, SRC, OFF, 0)
#define BK_JA(OFF) BK_RAW_INSN(BK_JMP | BK_JA, 0, 0, OFF, 0)
/* gotol: unconditional jump with a 32-bit offset in imm (v4). */
#define BK_GOTOL(IMM) BK_RAW_INSN(BK_JMP32 | BK_JA, 0, 0, 0, IMM)
/* may_goto: kernel extension (Linux 6.9), jump after the loop budget runs out. */
#define BK_MAY_GOTO_INSN(OFF) BK_RAW_INSN(BK_JMP | BK_JCOND, 0, BK_MAY_GOTO, OFF, 0)

/* Calls and exit. */
#define BK_CALL_HELPER(ID) BK_RAW_INSN(BK_JMP | BK_CALL, 0, BK_PSEUDO_HELPER_CALL, 0, ID)
#define BK_CALL_LOCAL(IMM) BK_RAW_INSN(BK_JMP | BK_CALL, 0, BK_PSEUDO_CALL, 0, IMM)
#define BK_CALL_KFUNC(BTF_ID) BK_RAW_INSN(BK_JMP | BK_CALL, 0, BK_PSEUDO_KFUNC_CALL, 0, BTF_ID)
/* callx: call through a register (LLVM encodes the register in dst_reg). */
#define BK_CALLX(REG) BK_RAW_INSN(BK_JMP | BK_CALL | BK_X, REG, 0, 0, 0)
#define BK_EXIT() BK_RAW_INSN(BK_JMP | BK_EXIT, 0, 0, 0, 0)

/* Memory: dst = *(SIZE *)(src + off), *(SIZE *)(dst + off) = src / imm. */
#define BK_LDX_MEM(SIZE, DST, SRC, OFF) BK_RAW_INSN(BK_LDX | (SIZE) | BK_MEM, DST, SRC, OFF, 0)
#define BK_LDX_MEMSX(SIZE, DST, SRC, OFF) BK_RAW_INSN(BK_LDX | (SIZE) | BK_MEMSX, DST, SRC, OFF, 0)
#define BK_STX_MEM(SIZE, DST, SRC, OFF) BK_RAW_INSN(BK_STX | (SIZE) | BK_MEM, DST, SRC, OFF, 0)
#define BK_ST_MEM(SIZE, DST, OFF, IMM) BK_RAW_INSN(BK_ST | (SIZE) | BK_MEM, DST, 0, OFF, IMM)

/* Atomics: SIZE is BK_W or BK_DW (BK_B/BK_H too for load-acquire/store-release). */
#define BK_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)                                      \
	BK_RAW_INSN(BK_STX | (SIZE) | BK_ATOMIC, DST, SRC, OFF, OP)
#define BK_LOAD_ACQUIRE(SIZE, DST, SRC, OFF) BK_ATOMIC_OP(SIZE, BK_LOAD_ACQ, DST, SRC, OFF)
#define BK_STORE_RELEASE(SIZE, DST, SRC, OFF) BK_ATOMIC_OP(SIZE, BK_STORE_REL, DST, SRC, OFF)

/*
 * ld_imm64: two slots. BK_LD_IMM64 splits a 64-bit constant over both imm
 * fields. The pseudo sources carry a 32-bit value in the first slot and, for
 * map values, an offset in the second; otherwise the second must be zero, so
 * they are not built through the 64-bit split (a negative BK_LD_FUNC offset
 * would otherwise sign-extend into the second slot, which the kernel rejects).
 */
#define BK_LD_IMM64_RAW(DST, SRC, IMM)                                             \
	BK_RAW_INSN(BK_LD | BK_DW | BK_IMM, DST, SRC, 0, (uint32_t)((uint64_t)(IMM))), \
	BK_RAW_INSN(0, 0, 0, 0, (uint32_t)((uint64_t)(IMM) >> 32))
#define BK_LD_IMM64(DST, IMM) BK_LD_IMM64_RAW(DST, 0, IMM)
/* A pseudo source: IMM in the first slot, NEXT_IMM in the second. */
#define BK_LD_PSEUDO(DST, SRC, IMM, NEXT_IMM)                                      \
	BK_RAW_INSN(BK_LD | BK_DW | BK_IMM, DST, SRC, 0, IMM),                     \
	BK_RAW_INSN(0, 0, 0, 0, NEXT_IMM)
#define BK_LD_MAP_FD(DST, FD) BK_LD_PSEUDO(DST, BK_PSEUDO_MAP_FD, FD, 0)
#define BK_LD_MAP_IDX(DST, IDX) BK_LD_PSEUDO(DST, BK_PSEUDO_MAP_IDX, IDX, 0)
#define BK_LD_BTF_ID(DST, ID) BK_LD_PSEUDO(DST, BK_PSEUDO_BTF_ID, ID, 0)
/* dst = address of the subprogram at pc + 1 + OFF. */
#define BK_LD_FUNC(DST, OFF) BK_LD_PSEUDO(DST, BK_PSEUDO_FUNC, OFF, 0)
/* map value: first slot holds the map fd (or index), second the offset. */
#define BK_LD_MAP_VALUE_RAW(DST, SRC, MAP, OFF) BK_LD_PSEUDO(DST, SRC, MAP, OFF)
#define BK_LD_MAP_VALUE(DST, FD, OFF) BK_LD_PSEUDO(DST, BK_PSEUDO_MAP_VALUE, FD, OFF)
#define BK_LD_MAP_IDX_VALUE(DST, IDX, OFF) BK_LD_PSEUDO(DST, BK_PSEUDO_MAP_IDX_VALUE, IDX, OFF)

/* Legacy packet loads: r0 = ntoh(*(SIZE *)(skb->data + imm [+ src])). */
#define BK_LD_ABS(SIZE, IMM) BK_RAW_INSN(BK_LD | (SIZE) | BK_ABS, 0, 0, 0, IMM)
#define BK_LD_IND(SIZE, SRC, IMM) BK_RAW_INSN(BK_LD | (SIZE) | BK_IND, 0, SRC, 0, IMM)

/* ------------------------------------------------------------------------ */
/* The same builders as functions, for use in expressions. */

/**
 * bk_insn_make() - build one instruction slot from its five fields.
 * Register numbers are masked to 4 bits; callers that need range checks use
 * bk_insn_validate() on the finished program.
 */
static inline struct bk_insn bk_insn_make(uint8_t code, unsigned dst, unsigned src, int16_t off,
					  int32_t imm)
{
	struct bk_insn i; /* field by field: C++ before C++20 has no designated initializers */

	i.code = code;
	i.dst_reg = dst & 0xf;
	i.src_reg = src & 0xf;
	i.off = off;
	i.imm = imm;
	return i;
}

/** bk_insn_alu64_imm() - dst op= imm, 64-bit (op is BK_ADD ... BK_ARSH). */
static inline struct bk_insn bk_insn_alu64_imm(uint8_t op, unsigned dst, int32_t imm)
{
	return bk_insn_make(BK_ALU64 | op | BK_K, dst, 0, 0, imm);
}

/** bk_insn_alu64_reg() - dst op= src, 64-bit. */
static inline struct bk_insn bk_insn_alu64_reg(uint8_t op, unsigned dst, unsigned src)
{
	return bk_insn_make(BK_ALU64 | op | BK_X, dst, src, 0, 0);
}

/** bk_insn_alu32_imm() - dst op= imm, 32-bit (upper half of dst zeroed). */
static inline struct bk_insn bk_insn_alu32_imm(uint8_t op, unsigned dst, int32_t imm)
{
	return bk_insn_make(BK_ALU | op | BK_K, dst, 0, 0, imm);
}

/** bk_insn_alu32_reg() - dst op= src, 32-bit. */
static inline struct bk_insn bk_insn_alu32_reg(uint8_t op, unsigned dst, unsigned src)
{
	return bk_insn_make(BK_ALU | op | BK_X, dst, src, 0, 0);
}

/** bk_insn_mov64_imm() - dst = imm (sign-extended to 64 bits). */
static inline struct bk_insn bk_insn_mov64_imm(unsigned dst, int32_t imm)
{
	return bk_insn_alu64_imm(BK_MOV, dst, imm);
}

/** bk_insn_mov64_reg() - dst = src. */
static inline struct bk_insn bk_insn_mov64_reg(unsigned dst, unsigned src)
{
	return bk_insn_alu64_reg(BK_MOV, dst, src);
}

/** bk_insn_jmp_imm() - if (dst op imm) goto pc + 1 + off, 64-bit compare. */
static inline struct bk_insn bk_insn_jmp_imm(uint8_t op, unsigned dst, int32_t imm, int16_t off)
{
	return bk_insn_make(BK_JMP | op | BK_K, dst, 0, off, imm);
}

/** bk_insn_jmp_reg() - if (dst op src) goto pc + 1 + off, 64-bit compare. */
static inline struct bk_insn bk_insn_jmp_reg(uint8_t op, unsigned dst, unsigned src, int16_t off)
{
	return bk_insn_make(BK_JMP | op | BK_X, dst, src, off, 0);
}

/** bk_insn_ldx() - dst = *(size *)(src + off); size is BK_B/H/W/DW. */
static inline struct bk_insn bk_insn_ldx(uint8_t size, unsigned dst, unsigned src, int16_t off)
{
	return bk_insn_make(BK_LDX | size | BK_MEM, dst, src, off, 0);
}

/** bk_insn_stx() - *(size *)(dst + off) = src. */
static inline struct bk_insn bk_insn_stx(uint8_t size, unsigned dst, int16_t off, unsigned src)
{
	return bk_insn_make(BK_STX | size | BK_MEM, dst, src, off, 0);
}

/** bk_insn_st() - *(size *)(dst + off) = imm. */
static inline struct bk_insn bk_insn_st(uint8_t size, unsigned dst, int16_t off, int32_t imm)
{
	return bk_insn_make(BK_ST | size | BK_MEM, dst, 0, off, imm);
}

/** bk_insn_call() - call helper function number id. */
static inline struct bk_insn bk_insn_call(int32_t id)
{
	return bk_insn_make(BK_JMP | BK_CALL, 0, BK_PSEUDO_HELPER_CALL, 0, id);
}

/** bk_insn_exit() - return r0 to the caller. */
static inline struct bk_insn bk_insn_exit(void)
{
	return bk_insn_make(BK_JMP | BK_EXIT, 0, 0, 0, 0);
}

/**
 * bk_insn_ld_imm64() - fill two slots with dst = imm64 (src_reg = pseudo).
 * out must have room for two instructions.
 */
static inline void bk_insn_ld_imm64(struct bk_insn out[2], unsigned dst, unsigned pseudo,
				    uint64_t imm)
{
	out[0] = bk_insn_make(BK_LD | BK_DW | BK_IMM, dst, pseudo, 0, (int32_t)(uint32_t)imm);
	out[1] = bk_insn_make(0, 0, 0, 0, (int32_t)(uint32_t)(imm >> 32));
}

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_ISA_H */
