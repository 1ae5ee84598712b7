/* SPDX-License-Identifier: MIT */
/*
 * The instruction table as data: logical instruction ids, per-row metadata
 * (mnemonic templates, operand shape, ISA version, conformance group), a
 * decoder that folds overloaded encodings (sdiv, movsx, ld_imm64 pairs...)
 * into one logical instruction, and a structural validator.
 */
#ifndef BPFKIT_INSN_H
#define BPFKIT_INSN_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Logical instruction ids, one per row of src/isa/insn_table.def. */
enum bk_op_id {
	BK_OP_INVALID = 0,
#define BK_INSN(ID, OPC, DISC, DVAL, SHAPE, VER, GROUP, CONF, LLVM) BK_OP_##ID,
#include <bpfkit/insn_table.def>
#undef BK_INSN
	BK_OP__COUNT
};

/* Which field tells apart rows that share an opcode byte. */
enum bk_insn_disc {
	BK_DISC_NONE = 0, /* the opcode alone identifies the row */
	BK_DISC_OFF,	  /* off must equal the row's dval */
	BK_DISC_IMM,	  /* imm must equal the row's dval */
	BK_DISC_SRC,	  /* src_reg must equal the row's dval */
};

/* Operand shapes: which fields are operands; all others must be zero. */
enum bk_insn_shape {
	BK_SHAPE_ALU_IMM,     /* dst op= imm */
	BK_SHAPE_ALU_REG,     /* dst op= src */
	BK_SHAPE_NEG,	      /* dst = -dst */
	BK_SHAPE_MOVSX,	      /* dst = (sN)src, N in off */
	BK_SHAPE_END,	      /* byte swap of dst, width in imm */
	BK_SHAPE_ASCAST,      /* dst = addr_space_cast(src, imm >> 16, imm & 0xffff) */
	BK_SHAPE_JA,	      /* goto pc + 1 + off */
	BK_SHAPE_GOTOL,	      /* goto pc + 1 + imm */
	BK_SHAPE_JMP_IMM,     /* if dst op imm goto pc + 1 + off */
	BK_SHAPE_JMP_REG,     /* if dst op src goto pc + 1 + off */
	BK_SHAPE_CALL_HELPER, /* call helper imm */
	BK_SHAPE_CALL_LOCAL,  /* call pc + 1 + imm */
	BK_SHAPE_CALL_KFUNC,  /* call kernel function with BTF id imm (off: module BTF fd index) */
	BK_SHAPE_CALLX,	      /* call the address in dst */
	BK_SHAPE_EXIT,	      /* return r0 */
	BK_SHAPE_LDX,	      /* dst = *(src + off) */
	BK_SHAPE_ST,	      /* *(dst + off) = imm */
	BK_SHAPE_STX,	      /* *(dst + off) = src */
	BK_SHAPE_ATOMIC,      /* atomic op on *(dst + off) with src (op in imm) */
	BK_SHAPE_LOAD_ACQ,    /* dst = load_acquire(src + off) */
	BK_SHAPE_STORE_REL,   /* store_release(dst + off, src) */
	BK_SHAPE_LD_IMM64,    /* dst = imm64 (two slots, pseudo source in src) */
	BK_SHAPE_LD_ABS,      /* r0 = packet[imm] */
	BK_SHAPE_LD_IND,      /* r0 = packet[src + imm] */
	BK_SHAPE__COUNT
};

/* RFC 9669 conformance groups (and BK_GROUP_EXT for kernel extensions). */
enum bk_insn_group {
	BK_GROUP_BASE32,
	BK_GROUP_BASE64,
	BK_GROUP_ATOMIC32,
	BK_GROUP_ATOMIC64,
	BK_GROUP_DIVMUL32,
	BK_GROUP_DIVMUL64,
	BK_GROUP_PACKET,
	BK_GROUP_EXT,
	BK_GROUP__COUNT
};

/* Bits of bk_insn_info.fields: which instruction fields are operands. */
#define BK_FIELD_DST (1u << 0)
#define BK_FIELD_SRC (1u << 1)
#define BK_FIELD_OFF (1u << 2)
#define BK_FIELD_IMM (1u << 3)

/* One row of the instruction table. */
struct bk_insn_info {
	uint16_t id;	     /* enum bk_op_id */
	uint8_t opcode;	     /* opcode byte */
	uint8_t disc;	     /* enum bk_insn_disc */
	int32_t dval;	     /* discriminator value */
	uint8_t shape;	     /* enum bk_insn_shape */
	uint8_t version;     /* ISA version 1-4 */
	uint8_t group;	     /* enum bk_insn_group */
	uint8_t fields;	     /* BK_FIELD_* operands (the rest must be zero) */
	uint8_t width;	     /* slots: 2 for ld_imm64, else 1 */
	const char *name;    /* identifier, e.g. "ADD64_IMM" */
	const char *conf;    /* bpf_conformance template, e.g. "add %D, %I" */
	const char *llvm;    /* LLVM template, e.g. "%D += %I" */
};

/* A decoded logical instruction (ld_imm64 folded into one). */
struct bk_decoded {
	const struct bk_insn_info *info; /* the row */
	uint8_t dst;			 /* dst_reg */
	uint8_t src;			 /* src_reg */
	int16_t off;			 /* off */
	int32_t imm;			 /* imm of the first slot */
	int32_t imm2;			 /* imm of the second slot (ld_imm64), else 0 */
	uint64_t imm64;			 /* ld_imm64: imm | imm2 << 32; else imm sign-extended */
	uint8_t width;			 /* slots consumed: 1 or 2 */
};

/**
 * bk_insn_table() - the instruction table, one row per logical instruction.
 * Returns the first row and stores the number of rows in *count. The rows are
 * sorted by opcode byte, and row i has id i + 1 (BK_OP_INVALID is not a row).
 */
BK_API const struct bk_insn_info *bk_insn_table(size_t *count);

/**
 * bk_insn_info_by_id() - the row of a logical instruction id.
 * Returns NULL (errno = EINVAL) for BK_OP_INVALID or an out-of-range id.
 */
BK_API const struct bk_insn_info *bk_insn_info_by_id(unsigned id);

/**
 * bk_insn_lookup() - the row an encoded instruction slot belongs to.
 * Matches the opcode byte and, for overloaded opcodes, the discriminating
 * field. Does not check reserved fields (bk_insn_validate() does). Returns
 * NULL (errno = ENOENT) when no row matches.
 */
BK_API const struct bk_insn_info *bk_insn_lookup(const struct bk_insn *insn);

/**
 * bk_insn_decode() - decode the logical instruction at insns[i].
 * Folds ld_imm64's two slots into one result of width 2. Returns 0, or
 * -ENOENT for an unknown encoding, -EINVAL for a ld_imm64 whose second slot
 * is missing (i + 1 == n). errno is set on failure.
 */
BK_API int bk_insn_decode(const struct bk_insn *insns, size_t n, size_t i, struct bk_decoded *out);

/**
 * bk_insn_encode() - encode a logical instruction into one or two slots.
 * The inverse of bk_insn_decode(): info selects the row and the discriminator
 * is written from it; d's operand fields fill the rest. out must have room
 * for info->width slots. Returns the number of slots written, or -EINVAL.
 */
BK_API int bk_insn_encode(const struct bk_insn_info *info, const struct bk_decoded *d,
			  struct bk_insn *out);

/**
 * bk_insn_jump_target() - the absolute target index of a jump or call.
 * For jumps (off), gotol, local calls and ld_imm64 func references (imm)
 * at index i, stores i + 1 + offset in *target and returns 1; returns 0 for
 * instructions that do not transfer control to an index.
 */
BK_API int bk_insn_jump_target(const struct bk_decoded *d, size_t i, int64_t *target);

/**
 * bk_insn_validate() - structural check of a program.
 * Reports the first of: an unknown opcode or discriminator (div with off 2),
 * a register above r10, a nonzero reserved field (including the second slot's
 * imm of a map fd, map index or function reference), a lone, truncated or
 * malformed half of ld_imm64, a jump or call out of range or into the middle
 * of ld_imm64, and a last instruction that is not exit, ja or gotol. Slots
 * are checked before control flow. Returns 0, or -EINVAL with errno
 * set and diag (if not NULL) holding the instruction index and a sentence.
 * It checks structure only; the kernel's verifier checks semantics.
 */
BK_API int bk_insn_validate(const struct bk_insn *insns, size_t n, struct bk_diag *diag);

/** bk_insn_group_name() - "base32", "atomic64", ..., "ext"; NULL if out of range. */
BK_API const char *bk_insn_group_name(unsigned group);

/** bk_insn_shape_name() - "alu_imm", "jmp_reg", ...; NULL if out of range. */
BK_API const char *bk_insn_shape_name(unsigned shape);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_INSN_H */
