// SPDX-License-Identifier: MIT
/*
 * Decode and encode logical instructions. ld_imm64 is one logical instruction
 * of width 2, so no caller ever has to remember that it is inside one.
 */
#include <errno.h>
#include <string.h>

#include "isa_int.h"

int bk_insn_decode(const struct bk_insn *insns, size_t n, size_t i, struct bk_decoded *out)
{
	const struct bk_insn *in;
	const struct bk_insn_info *info;

	if (!insns || !out || i >= n)
		return bk__err(-EINVAL);
	in = &insns[i];
	info = bk_insn_lookup(in);
	if (!info)
		return bk__err(-ENOENT);
	/* every field assigned, no memset: the disassembler decodes each slot */
	out->info = info;
	out->dst = (uint8_t)in->dst_reg;
	out->src = (uint8_t)in->src_reg;
	out->off = in->off;
	out->imm = in->imm;
	out->imm2 = 0;
	out->imm64 = (uint64_t)(int64_t)in->imm;
	out->width = info->width;
	if (info->width == 2) {
		if (i + 1 >= n)
			return bk__err(-EINVAL);
		out->imm2 = insns[i + 1].imm;
		out->imm64 = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)out->imm2 << 32;
	}
	return 0;
}

int bk_insn_encode(const struct bk_insn_info *info, const struct bk_decoded *d,
		   struct bk_insn *out)
{
	struct bk_insn first;

	if (!info || !d || !out)
		return bk__err(-EINVAL);
	first = bk_insn_make(info->opcode, d->dst, d->src, d->off, d->imm);
	switch (info->disc) {
	case BK_DISC_OFF:
		first.off = (int16_t)info->dval;
		break;
	case BK_DISC_IMM:
		first.imm = info->dval;
		break;
	case BK_DISC_SRC:
		first.src_reg = (unsigned)info->dval & 0xf;
		break;
	default:
		break;
	}
	out[0] = first;
	if (info->width == 2)
		out[1] = bk_insn_make(0, 0, 0, 0, d->imm2);
	return info->width;
}

int bk_insn_jump_target(const struct bk_decoded *d, size_t i, int64_t *target)
{
	int64_t base = (int64_t)i + 1;

	switch (d->info->shape) {
	case BK_SHAPE_JA:
	case BK_SHAPE_JMP_IMM:
	case BK_SHAPE_JMP_REG:
		*target = base + d->off;
		return 1;
	case BK_SHAPE_GOTOL:
	case BK_SHAPE_CALL_LOCAL:
		*target = base + d->imm;
		return 1;
	case BK_SHAPE_LD_IMM64:
		if (d->src != BK_PSEUDO_FUNC)
			return 0;
		*target = base + d->imm;
		return 1;
	default:
		return 0;
	}
}
