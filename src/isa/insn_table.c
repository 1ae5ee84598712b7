// SPDX-License-Identifier: MIT
/*
 * The instruction table's rows and its opcode index, both built at compile
 * time from include/bpfkit/insn_table.def: no lazy initialisation, no global
 * mutable state, safe to use from any thread.
 */
#include <errno.h>
#include <stddef.h>

#include "isa_int.h"

/* Operand fields of each shape; the others must be zero (or hold the row's
 * discriminator, which the validator checks separately). Macros, because the
 * rows below need them in constant expressions. */
#define FIELDS_ALU_IMM (BK_FIELD_DST | BK_FIELD_IMM)
#define FIELDS_ALU_REG (BK_FIELD_DST | BK_FIELD_SRC)
#define FIELDS_NEG (BK_FIELD_DST)
#define FIELDS_MOVSX (BK_FIELD_DST | BK_FIELD_SRC)
#define FIELDS_END (BK_FIELD_DST)
#define FIELDS_ASCAST (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_IMM)
#define FIELDS_JA (BK_FIELD_OFF)
#define FIELDS_GOTOL (BK_FIELD_IMM)
#define FIELDS_JMP_IMM (BK_FIELD_DST | BK_FIELD_OFF | BK_FIELD_IMM)
#define FIELDS_JMP_REG (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_CALL_HELPER (BK_FIELD_IMM)
#define FIELDS_CALL_LOCAL (BK_FIELD_IMM)
#define FIELDS_CALL_KFUNC (BK_FIELD_OFF | BK_FIELD_IMM)
#define FIELDS_CALLX (BK_FIELD_DST)
#define FIELDS_EXIT (0)
#define FIELDS_LDX (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_ST (BK_FIELD_DST | BK_FIELD_OFF | BK_FIELD_IMM)
#define FIELDS_STX (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_ATOMIC (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_LOAD_ACQ (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_STORE_REL (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF)
#define FIELDS_LD_IMM64 (BK_FIELD_DST | BK_FIELD_IMM)
#define FIELDS_LD_ABS (BK_FIELD_IMM)
#define FIELDS_LD_IND (BK_FIELD_SRC | BK_FIELD_IMM)

static const uint8_t shape_fields[BK_SHAPE__COUNT] = {
	[BK_SHAPE_ALU_IMM] = FIELDS_ALU_IMM,
	[BK_SHAPE_ALU_REG] = FIELDS_ALU_REG,
	[BK_SHAPE_NEG] = FIELDS_NEG,
	[BK_SHAPE_MOVSX] = FIELDS_MOVSX,
	[BK_SHAPE_END] = FIELDS_END,
	[BK_SHAPE_ASCAST] = FIELDS_ASCAST,
	[BK_SHAPE_JA] = FIELDS_JA,
	[BK_SHAPE_GOTOL] = FIELDS_GOTOL,
	[BK_SHAPE_JMP_IMM] = FIELDS_JMP_IMM,
	[BK_SHAPE_JMP_REG] = FIELDS_JMP_REG,
	[BK_SHAPE_CALL_HELPER] = FIELDS_CALL_HELPER,
	[BK_SHAPE_CALL_LOCAL] = FIELDS_CALL_LOCAL,
	[BK_SHAPE_CALL_KFUNC] = FIELDS_CALL_KFUNC,
	[BK_SHAPE_CALLX] = FIELDS_CALLX,
	[BK_SHAPE_EXIT] = FIELDS_EXIT,
	[BK_SHAPE_LDX] = FIELDS_LDX,
	[BK_SHAPE_ST] = FIELDS_ST,
	[BK_SHAPE_STX] = FIELDS_STX,
	[BK_SHAPE_ATOMIC] = FIELDS_ATOMIC,
	[BK_SHAPE_LOAD_ACQ] = FIELDS_LOAD_ACQ,
	[BK_SHAPE_STORE_REL] = FIELDS_STORE_REL,
	[BK_SHAPE_LD_IMM64] = FIELDS_LD_IMM64,
	[BK_SHAPE_LD_ABS] = FIELDS_LD_ABS,
	[BK_SHAPE_LD_IND] = FIELDS_LD_IND,
};

static const char *const shape_names[BK_SHAPE__COUNT] = {
	[BK_SHAPE_ALU_IMM] = "alu_imm",	    [BK_SHAPE_ALU_REG] = "alu_reg",
	[BK_SHAPE_NEG] = "neg",		    [BK_SHAPE_MOVSX] = "movsx",
	[BK_SHAPE_END] = "end",		    [BK_SHAPE_ASCAST] = "addr_space_cast",
	[BK_SHAPE_JA] = "ja",		    [BK_SHAPE_GOTOL] = "gotol",
	[BK_SHAPE_JMP_IMM] = "jmp_imm",	    [BK_SHAPE_JMP_REG] = "jmp_reg",
	[BK_SHAPE_CALL_HELPER] = "call_helper", [BK_SHAPE_CALL_LOCAL] = "call_local",
	[BK_SHAPE_CALL_KFUNC] = "call_kfunc", [BK_SHAPE_CALLX] = "callx",
	[BK_SHAPE_EXIT] = "exit",	    [BK_SHAPE_LDX] = "ldx",
	[BK_SHAPE_ST] = "st",		    [BK_SHAPE_STX] = "stx",
	[BK_SHAPE_ATOMIC] = "atomic",	    [BK_SHAPE_LOAD_ACQ] = "load_acquire",
	[BK_SHAPE_STORE_REL] = "store_release", [BK_SHAPE_LD_IMM64] = "ld_imm64",
	[BK_SHAPE_LD_ABS] = "ld_abs",	    [BK_SHAPE_LD_IND] = "ld_ind",
};

static const char *const group_names[BK_GROUP__COUNT] = {
	[BK_GROUP_BASE32] = "base32",	  [BK_GROUP_BASE64] = "base64",
	[BK_GROUP_ATOMIC32] = "atomic32", [BK_GROUP_ATOMIC64] = "atomic64",
	[BK_GROUP_DIVMUL32] = "divmul32", [BK_GROUP_DIVMUL64] = "divmul64",
	[BK_GROUP_PACKET] = "packet",	  [BK_GROUP_EXT] = "ext",
};

/* The discriminating field is an operand too, as far as "must be zero" goes. */
#define DISC_FIELD(DISC)                                                                           \
	(BK_DISC_##DISC == BK_DISC_OFF ? BK_FIELD_OFF                                              \
	 : BK_DISC_##DISC == BK_DISC_IMM ? BK_FIELD_IMM                                            \
	 : BK_DISC_##DISC == BK_DISC_SRC ? BK_FIELD_SRC                                            \
					 : 0)

static const struct bk_insn_info rows[BK_OP__COUNT - 1] = {
#define BK_INSN(ID, OPC, DISC, DVAL, SHAPE, VER, GROUP, CONF, LLVM)                                \
	[BK_OP_##ID - 1] = {                                                                       \
		.id = BK_OP_##ID,                                                                  \
		.opcode = OPC,                                                                     \
		.disc = BK_DISC_##DISC,                                                            \
		.dval = DVAL,                                                                      \
		.shape = BK_SHAPE_##SHAPE,                                                         \
		.version = VER,                                                                    \
		.group = BK_GROUP_##GROUP,                                                         \
		.fields = (uint8_t)(FIELDS_##SHAPE | DISC_FIELD(DISC)),          \
		.width = BK_SHAPE_##SHAPE == BK_SHAPE_LD_IMM64 ? 2 : 1,                            \
		.name = #ID,                                                                       \
		.conf = CONF,                                                                      \
		.llvm = LLVM,                                                                      \
	},
#include <bpfkit/insn_table.def>
#undef BK_INSN
};

/*
 * For each opcode byte, 1 + the index of the LAST row with that opcode, or 0.
 * Rows sharing an opcode are adjacent (the .def is sorted), so a lookup walks
 * back from there. Later designators override earlier ones on purpose, which
 * is exactly "last row wins"; silence the warning for this one table.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#ifdef __clang__
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#endif
static const uint8_t last_row_of[256] = {
#define BK_INSN(ID, OPC, DISC, DVAL, SHAPE, VER, GROUP, CONF, LLVM) [OPC] = BK_OP_##ID,
#include <bpfkit/insn_table.def>
#undef BK_INSN
};
#pragma GCC diagnostic pop

_Static_assert(BK_OP__COUNT - 1 <= 255, "opcode index stores row numbers in a byte");

const struct bk_insn_info *bk_insn_table(size_t *count)
{
	if (count)
		*count = BK_OP__COUNT - 1;
	return rows;
}

const struct bk_insn_info *bk_insn_info_by_id(unsigned id)
{
	if (id == BK_OP_INVALID || id >= BK_OP__COUNT) {
		errno = EINVAL;
		return NULL;
	}
	return &rows[id - 1];
}

static int32_t disc_value(const struct bk_insn *insn, uint8_t disc)
{
	switch (disc) {
	case BK_DISC_OFF:
		return insn->off;
	case BK_DISC_IMM:
		return insn->imm;
	case BK_DISC_SRC:
		return (int32_t)insn->src_reg;
	default:
		return 0;
	}
}

const struct bk_insn_info *bk_insn_lookup(const struct bk_insn *insn)
{
	unsigned last = last_row_of[insn->code];

	for (unsigned i = last; i > 0 && rows[i - 1].opcode == insn->code; i--) {
		const struct bk_insn_info *r = &rows[i - 1];

		if (r->disc == BK_DISC_NONE || disc_value(insn, r->disc) == r->dval)
			return r;
	}
	errno = ENOENT;
	return NULL;
}

const char *bk_insn_group_name(unsigned group)
{
	return group < BK_GROUP__COUNT ? group_names[group] : NULL;
}

const char *bk_insn_shape_name(unsigned shape)
{
	return shape < BK_SHAPE__COUNT ? shape_names[shape] : NULL;
}

uint8_t bk__shape_fields(unsigned shape)
{
	return shape < BK_SHAPE__COUNT ? shape_fields[shape] : 0;
}
