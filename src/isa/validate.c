// SPDX-License-Identifier: MIT
/*
 * Structural validation: everything about a program that can be decided
 * without knowing what the registers hold. The kernel's verifier does the
 * rest; this pass exists so that the VM, the disassembler and users get a
 * precise "insn N: why" instead of a crash or a confusing verifier message.
 *
 * Two passes: the first decodes every slot (opcode, discriminator, reserved
 * fields, registers, ld_imm64 pairs) and marks the second halves of
 * ld_imm64; the second checks control flow against those marks.
 */
#include <errno.h>
#include <stdlib.h>

#include "isa_int.h"

/* Names of the BK_FIELD_* bits, in bit order, and of the discriminators. */
static const char *const field_words[] = { "dst_reg", "src_reg", "off", "imm" };
static const char *const disc_words[] = {
	[BK_DISC_NONE] = "", [BK_DISC_OFF] = "off", [BK_DISC_IMM] = "imm", [BK_DISC_SRC] = "src_reg"
};

/*
 * ld_imm64 pseudo sources whose second slot's imm is reserved: the kernel
 * rejects a nonzero one (map values carry an offset there, BTF ids the fd of
 * a module's BTF, and a plain constant its upper half).
 */
static const uint16_t second_imm_reserved[] = { BK_OP_LD_MAP_FD, BK_OP_LD_FUNC,
						BK_OP_LD_MAP_IDX };

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

static int field_value(const struct bk_insn *in, unsigned bit)
{
	switch (bit) {
	case BK_FIELD_DST:
		return (int)in->dst_reg;
	case BK_FIELD_SRC:
		return (int)in->src_reg;
	case BK_FIELD_OFF:
		return in->off;
	default:
		return in->imm;
	}
}

/* No row matched: an opcode we do not know, or a known opcode whose
 * discriminating field holds a value no row has (div with off 2). */
static int unknown(const struct bk_insn *in, struct bk_diag *d)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	if (in->code == 0)
		return bk__diag(d, -EINVAL, "opcode 0x00 is the second half of ld_imm64, "
					    "but no ld_imm64 precedes it");
	for (size_t i = 0; i < n; i++) {
		unsigned bit;

		if (t[i].opcode != in->code)
			continue;
		bit = t[i].disc == BK_DISC_OFF	 ? BK_FIELD_OFF
		      : t[i].disc == BK_DISC_IMM ? BK_FIELD_IMM
						 : BK_FIELD_SRC;
		return bk__diag(d, -EINVAL, "opcode 0x%02x has no instruction with %s %d",
				in->code, disc_words[t[i].disc], field_value(in, bit));
	}
	return bk__diag(d, -EINVAL, "unknown opcode 0x%02x", in->code);
}

static int check_registers(const struct bk_insn *in, const struct bk_insn_info *info,
			   struct bk_diag *d)
{
	if ((info->fields & BK_FIELD_DST) && in->dst_reg >= BK_MAX_REG)
		return bk__diag(d, -EINVAL, "%s uses register r%u, the highest is r10", info->name,
				(unsigned)in->dst_reg);
	if ((info->fields & BK_FIELD_SRC) && info->disc != BK_DISC_SRC &&
	    in->src_reg >= BK_MAX_REG)
		return bk__diag(d, -EINVAL, "%s uses register r%u, the highest is r10", info->name,
				(unsigned)in->src_reg);
	return 0;
}

/* The second slot of the ld_imm64 at insns[i]; d->index moves to it. */
static int check_second_half(const struct bk_insn *insns, size_t n, size_t i,
			     const struct bk_insn_info *info, struct bk_diag *d)
{
	const struct bk_insn *next;
	unsigned bad = 0;

	if (i + 1 >= n)
		return bk__diag(d, -EINVAL, "ld_imm64 lacks its second half at the end");
	next = &insns[i + 1];
	if (next->code)
		return bk__diag(d, -EINVAL, "%s is followed by opcode 0x%02x instead of its "
					    "second half (opcode 0x00)", info->name, next->code);
	bad = nonzero_reserved(next, BK_FIELD_IMM);
	for (size_t k = 0; !bad && k < sizeof(second_imm_reserved) / sizeof(second_imm_reserved[0]);
	     k++)
		if (info->id == second_imm_reserved[k] && next->imm)
			bad = BK_FIELD_IMM;
	if (!bad)
		return 0;
	if (d)
		d->index = (uint32_t)(i + 1);
	return bk__diag(d, -EINVAL, "the second half of %s has a nonzero reserved field %s (%d)",
			info->name, field_words[field_index(bad)], field_value(next, bad));
}

static int check_slot(const struct bk_insn *insns, size_t n, size_t i,
		      const struct bk_insn_info *info, struct bk_diag *d)
{
	const struct bk_insn *in = &insns[i];
	unsigned bad = nonzero_reserved(in, info->fields);
	int err;

	if (bad)
		return bk__diag(d, -EINVAL, "%s has a nonzero reserved field %s (%d)", info->name,
				field_words[field_index(bad)], field_value(in, bad));
	err = check_registers(in, info, d);
	if (!err && info->width == 2)
		err = check_second_half(insns, n, i, info, d);
	return err;
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
		if (!info)
			return unknown(&insns[i], d);
		err = check_slot(insns, n, i, info, d);
		if (err)
			return err;
		if (info->width == 2)
			is_second[++i] = 1;
	}
	return 0;
}

/* The program must not fall off its end: the last instruction is exit or an
 * unconditional jump (ja or gotol; may_goto falls through, so it does not
 * count). */
static int check_last(const struct bk_insn *insns, size_t last, struct bk_diag *d)
{
	const struct bk_insn_info *info = bk_insn_lookup(&insns[last]);

	if (info->id == BK_OP_EXIT || info->id == BK_OP_JA || info->id == BK_OP_GOTOL)
		return 0;
	if (d)
		d->index = (uint32_t)last;
	return bk__diag(d, -EINVAL,
			"the last instruction is %s; it must be exit or an unconditional jump",
			info->name);
}

/* Second pass: every jump and call lands on the start of an instruction. */
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
		err = bk_insn_decode(insns, n, i, &dec);
		if (!err)
			err = check_target(&dec, i, n, is_second, d);
		if (err)
			return err;
		last = i;
	}
	return check_last(insns, last, d);
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
	if (n == 0)
		return bk__diag(d, -EINVAL, "the program is empty");
	if (!insns)
		return bk__diag(d, -EINVAL, "the program has %zu instructions but no buffer", n);
	is_second = calloc(n, 1);
	if (!is_second)
		return bk__diag(d, -ENOMEM, "out of memory");
	err = check_slots(insns, n, is_second, d);
	if (!err)
		err = check_flow(insns, n, is_second, d);
	free(is_second);
	return err;
}
