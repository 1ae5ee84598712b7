// SPDX-License-Identifier: MIT
/*
 * Structural validation: everything about a program that can be decided
 * without knowing what the registers hold. The kernel's verifier does the
 * rest; this pass exists so that the VM, the disassembler and users get a
 * precise "insn N: why" instead of a crash or a confusing verifier message.
 */
#include <errno.h>
#include <stdlib.h>

#include "isa_int.h"

static const char *const field_words[] = { "dst_reg", "src_reg", "off", "imm" };

/* Which operand must be zero but is not: a BK_FIELD_* bit, or 0. */
static unsigned nonzero_reserved(const struct bk_insn *in, uint8_t fields)
{
	if (!(fields & BK_FIELD_DST) && in->dst_reg)
		return BK_FIELD_DST;
	if (!(fields & BK_FIELD_SRC) && in->src_reg)
		return BK_FIELD_SRC;
	if (!(fields & BK_FIELD_OFF) && in->off)
		return BK_FIELD_OFF;
	if (!(fields & BK_FIELD_IMM) && in->imm)
		return BK_FIELD_IMM;
	return 0;
}

static unsigned field_index(unsigned bit)
{
	unsigned i = 0;

	while (bit > 1) {
		bit >>= 1;
		i++;
	}
	return i;
}

static int check_slot(const struct bk_insn *insns, size_t n, size_t i,
		      const struct bk_insn_info *info, struct bk_diag *d)
{
	const struct bk_insn *in = &insns[i];
	unsigned bad = nonzero_reserved(in, info->fields);

	if (bad)
		return bk__diag(d, -EINVAL, "%s has a nonzero reserved field %s (%d)", info->name,
				field_words[field_index(bad)],
				bad == BK_FIELD_DST   ? (int)in->dst_reg
				: bad == BK_FIELD_SRC ? (int)in->src_reg
				: bad == BK_FIELD_OFF ? (int)in->off
						      : (int)in->imm);
	if ((info->fields & BK_FIELD_DST) && in->dst_reg >= BK_MAX_REG)
		return bk__diag(d, -EINVAL, "%s uses register r%u, the highest is r10", info->name,
				(unsigned)in->dst_reg);
	if ((info->fields & BK_FIELD_SRC) && info->disc != BK_DISC_SRC &&
	    in->src_reg >= BK_MAX_REG)
		return bk__diag(d, -EINVAL, "%s uses register r%u, the highest is r10", info->name,
				(unsigned)in->src_reg);
	if (info->width == 2) {
		const struct bk_insn *next = &insns[i + 1];

		if (i + 1 >= n)
			return bk__diag(d, -EINVAL, "ld_imm64 lacks its second half at the end");
		if (next->code || next->dst_reg || next->src_reg || next->off)
			return bk__diag(d, -EINVAL,
					"second half of ld_imm64 must have only imm set");
	}
	return 0;
}

static int check_target(const struct bk_decoded *dec, size_t i, size_t n,
			const unsigned char *is_second, struct bk_diag *d)
{
	int64_t t;

	if (!bk_insn_jump_target(dec, i, &t))
		return 0;
	if (t < 0 || t >= (int64_t)n)
		return bk__diag(d, -EINVAL, "%s target %lld is out of range (0 to %zu)",
				dec->info->name, (long long)t, n - 1);
	if (is_second[t])
		return bk__diag(d, -EINVAL, "%s target %lld is the middle of ld_imm64",
				dec->info->name, (long long)t);
	return 0;
}

/* First pass: every slot decodes and has clean reserved fields. */
static int check_slots(const struct bk_insn *insns, size_t n, unsigned char *is_second,
		       struct bk_diag *d)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *info = bk_insn_lookup(&insns[i]);
		int err;

		if (d)
			d->index = (uint32_t)i;
		if (!info) {
			if (insns[i].code == 0)
				return bk__diag(d, -EINVAL,
						"opcode 0x00 is the second half of ld_imm64, "
						"but no ld_imm64 precedes it");
			return bk__diag(d, -EINVAL, "unknown opcode 0x%02x", insns[i].code);
		}
		err = check_slot(insns, n, i, info, d);
		if (err)
			return err;
		if (info->width == 2)
			is_second[++i] = 1;
	}
	return 0;
}

static int check_flow(const struct bk_insn *insns, size_t n, const unsigned char *is_second,
		      struct bk_diag *d)
{
	size_t last = 0;

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded dec;
		int err;

		if (is_second[i])
			continue;
		if (d)
			d->index = (uint32_t)i;
		bk_insn_decode(insns, n, i, &dec);
		err = check_target(&dec, i, n, is_second, d);
		if (err)
			return err;
		last = i;
	}
	{
		const struct bk_insn_info *info = bk_insn_lookup(&insns[last]);
		uint8_t s = info->shape;

		if (s != BK_SHAPE_EXIT && s != BK_SHAPE_GOTOL &&
		    !(s == BK_SHAPE_JA && info->id == BK_OP_JA)) {
			if (d)
				d->index = (uint32_t)last;
			return bk__diag(d, -EINVAL,
					"the last instruction is %s; it must be exit or an "
					"unconditional jump",
					info->name);
		}
	}
	return 0;
}

int bk_insn_validate(const struct bk_insn *insns, size_t n, struct bk_diag *d)
{
	unsigned char *is_second;
	int err;

	if (d) {
		d->err = 0;
		d->index = d->line = d->col = 0;
		d->file[0] = d->msg[0] = '\0';
	}
	if (!insns || n == 0)
		return bk__diag(d, -EINVAL, "the program is empty");
	is_second = calloc(n, 1);
	if (!is_second)
		return bk__diag(d, -ENOMEM, "out of memory");
	err = check_slots(insns, n, is_second, d);
	if (!err)
		err = check_flow(insns, n, is_second, d);
	free(is_second);
	return err;
}
