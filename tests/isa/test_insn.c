// SPDX-License-Identifier: MIT
/*
 * Decoding, encoding and the LLVM 19 cross-check: every row of the table that
 * llvm-mc can assemble is rendered from its LLVM template with concrete
 * operands, all rows are assembled in one llvm-mc-19 run, and the bytes in
 * the object's .text must equal what bk_insn_encode() produces, row by row.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"

/* Operands every row is rendered and encoded with. */
static struct bk_decoded operands(const struct bk_insn_info *r)
{
	struct bk_decoded d = { .dst = 1, .src = 2, .off = 8, .imm = 5, .imm2 = 0 };

	if (!(r->fields & BK_FIELD_DST))
		d.dst = 0;
	if (!(r->fields & BK_FIELD_SRC))
		d.src = 0;
	if (!(r->fields & BK_FIELD_OFF))
		d.off = 0;
	if (!(r->fields & BK_FIELD_IMM))
		d.imm = 0;
	if (r->shape == BK_SHAPE_JA || r->shape == BK_SHAPE_JMP_IMM || r->shape == BK_SHAPE_JMP_REG)
		d.off = 3;
	if (r->shape == BK_SHAPE_LD_IMM64 && r->dval == 0) {
		d.imm = 0x23456789;
		d.imm2 = 1;
	}
	if (r->shape == BK_SHAPE_ASCAST)
		d.imm = 1 << 16; /* addr_space_cast(r2, 1, 0) */
	if (r->shape == BK_SHAPE_LD_IND)
		d.imm = 0; /* LLVM spells only skb[reg] */
	return d;
}

/* Rows whose LLVM text is lossy or that LLVM 19 cannot assemble. */
static bool llvm_can_assemble(const struct bk_insn_info *r)
{
	switch (r->shape) {
	case BK_SHAPE_LOAD_ACQ:
	case BK_SHAPE_STORE_REL:
	case BK_SHAPE_CALL_LOCAL: /* LLVM prints "call N" for src 0, 1 and 2 alike */
	case BK_SHAPE_CALL_KFUNC:
		return false;
	case BK_SHAPE_LD_IMM64:
		return r->dval == 0; /* ld_pseudo does not carry the second slot */
	default:
		return true;
	}
}

/* Render a template the way LLVM writes it. */
static void render(const char *tpl, const struct bk_decoded *d, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = tpl; *p && n + 32 < size; p++) {
		if (*p != '%') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'D': n += (size_t)sprintf(out + n, "r%u", d->dst); break;
		case 'd': n += (size_t)sprintf(out + n, "w%u", d->dst); break;
		case 'S': n += (size_t)sprintf(out + n, "r%u", d->src); break;
		case 's': n += (size_t)sprintf(out + n, "w%u", d->src); break;
		case 'I': n += (size_t)sprintf(out + n, "%d", d->imm); break;
		case 'O': n += (size_t)sprintf(out + n, " + %d", d->off); break;
		case 'J': n += (size_t)sprintf(out + n, "%+d", d->off); break;
		case 'G': n += (size_t)sprintf(out + n, "%+d", d->imm); break;
		case 'K':
			n += (size_t)sprintf(out + n, "%llu",
					     (unsigned long long)((uint64_t)(uint32_t)d->imm |
								  (uint64_t)(uint32_t)d->imm2 << 32));
			break;
		case 'N': n += (size_t)sprintf(out + n, "%d", d->imm2); break;
		case 'A': n += (size_t)sprintf(out + n, "%d, %d", d->imm >> 16, d->imm & 0xffff); break;
		case 'X': break;
		case '%': out[n++] = '%'; break;
		default: out[n++] = *p; break;
		}
	}
	out[n] = '\0';
}

/* The .text section of an ELF64 little-endian object, malloc'd. */
static uint8_t *elf_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *img, *text = NULL;
	long size;
	Elf64_Ehdr *eh;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	img = malloc((size_t)size);
	cr_assert_eq(fread(img, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	eh = (Elf64_Ehdr *)img;
	cr_assert(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) <= (uint64_t)size);
	{
		Elf64_Shdr *sh = (Elf64_Shdr *)(img + eh->e_shoff);
		const char *names = (const char *)img + sh[eh->e_shstrndx].sh_offset;

		for (int i = 0; i < eh->e_shnum; i++) {
			if (strcmp(names + sh[i].sh_name, ".text") != 0)
				continue;
			*len = sh[i].sh_size;
			text = malloc(*len);
			memcpy(text, img + sh[i].sh_offset, *len);
		}
	}
	free(img);
	cr_assert_not_null(text, "no .text in %s", path);
	return text;
}

Test(insn_llvm, builder_bytes_equal_llvm_mc_19_for_every_row, .timeout = 60)
{
	char dir[] = "/tmp/bk-insn-XXXXXX", src[64], obj[64], cmd[256], line[128];
	size_t n, count = 0, text_len = 0, pos = 0;
	const struct bk_insn_info *t = bk_insn_table(&n);
	uint8_t *text;
	FILE *f;

	BK_REQUIRE_TOOL("llvm-mc-19");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/all.s", dir);
	snprintf(obj, sizeof(obj), "%s/all.o", dir);
	f = fopen(src, "w");
	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = operands(&t[i]);

		if (!llvm_can_assemble(&t[i]))
			continue;
		render(t[i].llvm, &d, line, sizeof(line));
		fprintf(f, "%s\n", line);
		count++;
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s -o %s 2>&1",
		 src, obj);
	{
		char *out = NULL;
		int st = bk_test_run(cmd, &out);

		cr_assert_eq(st, 0, "llvm-mc-19 rejected our rendering:\n%s", out);
		free(out);
	}
	text = elf_text(obj, &text_len);
	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = operands(&t[i]);
		struct bk_insn mine[2];
		int w;

		if (!llvm_can_assemble(&t[i]))
			continue;
		w = bk_insn_encode(&t[i], &d, mine);
		render(t[i].llvm, &d, line, sizeof(line));
		cr_assert_leq(pos + (size_t)w * 8, text_len);
		cr_assert_arr_eq(text + pos, mine, (size_t)w * 8, "%s: bytes differ for '%s'",
				 t[i].name, line);
		pos += (size_t)w * 8;
	}
	cr_assert_eq(pos, text_len);
	cr_assert_gt(count, 160, "only %zu rows cross-checked", count);
	free(text);
	unlink(src);
	unlink(obj);
	rmdir(dir);
}

/* The rows LLVM cannot check, against RFC 9669 / the kernel's definitions. */
Test(insn_llvm, rows_llvm_cannot_assemble_match_the_specification)
{
	static const struct {
		unsigned id;
		uint8_t code;
		uint8_t src;
		int32_t imm;
	} facts[] = {
		{ BK_OP_LOAD_ACQ_B, 0xd3, 0, 0x100 },	 { BK_OP_LOAD_ACQ_H, 0xcb, 0, 0x100 },
		{ BK_OP_LOAD_ACQ_W, 0xc3, 0, 0x100 },	 { BK_OP_LOAD_ACQ_DW, 0xdb, 0, 0x100 },
		{ BK_OP_STORE_REL_B, 0xd3, 0, 0x110 },	 { BK_OP_STORE_REL_DW, 0xdb, 0, 0x110 },
		{ BK_OP_CALL_LOCAL, 0x85, 1, 0 },	 { BK_OP_CALL_KFUNC, 0x85, 2, 0 },
		{ BK_OP_LD_MAP_FD, 0x18, 1, 0 },	 { BK_OP_LD_MAP_VALUE, 0x18, 2, 0 },
		{ BK_OP_LD_BTF_ID, 0x18, 3, 0 },	 { BK_OP_LD_FUNC, 0x18, 4, 0 },
		{ BK_OP_LD_MAP_IDX, 0x18, 5, 0 },	 { BK_OP_LD_MAP_IDX_VALUE, 0x18, 6, 0 },
	};

	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct bk_insn_info *r = bk_insn_info_by_id(facts[i].id);
		struct bk_decoded d = { 0 };
		struct bk_insn out[2];

		bk_insn_encode(r, &d, out);
		cr_assert_eq(out[0].code, facts[i].code, "%s", r->name);
		cr_assert_eq(out[0].src_reg, facts[i].src, "%s", r->name);
		if (facts[i].imm)
			cr_assert_eq(out[0].imm, facts[i].imm, "%s", r->name);
	}
}

Test(insn, decode_folds_ld_imm64_and_reports_truncation)
{
	const struct bk_insn p[] = { BK_LD_IMM64(BK_R3, 0xfedcba9876543210ull), BK_EXIT() };
	struct bk_decoded d;

	cr_assert_eq(bk_insn_decode(p, 3, 0, &d), 0);
	cr_assert_eq(d.info->id, BK_OP_LD_IMM64);
	cr_assert_eq(d.width, 2);
	cr_assert_eq(d.dst, 3);
	cr_assert_eq(d.imm64, 0xfedcba9876543210ull);
	cr_assert_eq(bk_insn_decode(p, 1, 0, &d), -EINVAL);
	cr_assert_eq(bk_insn_decode(p, 3, 2, &d), 0);
	cr_assert_eq(d.info->id, BK_OP_EXIT);
	cr_assert_eq(bk_insn_decode(p, 3, 3, &d), -EINVAL);
}

Test(insn, decode_then_encode_is_identity_for_every_row)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = operands(&t[i]), back;
		struct bk_insn enc[2], re[2];
		int w = bk_insn_encode(&t[i], &d, enc);

		cr_assert_eq(bk_insn_decode(enc, (size_t)w, 0, &back), 0, "%s", t[i].name);
		cr_assert_eq(back.info, &t[i], "%s decoded as %s", t[i].name, back.info->name);
		cr_assert_eq(bk_insn_encode(back.info, &back, re), w);
		cr_assert_arr_eq(enc, re, (size_t)w * 8, "%s", t[i].name);
	}
}

Test(insn, jump_targets)
{
	const struct bk_insn p[] = { BK_JA(2), BK_GOTOL(-1), BK_CALL_LOCAL(3), BK_LD_FUNC(BK_R1, 1),
				     BK_MOV64_IMM(BK_R0, 0) };
	struct bk_decoded d;
	int64_t target;

	bk_insn_decode(p, 6, 0, &d);
	cr_assert(bk_insn_jump_target(&d, 0, &target) && target == 3);
	bk_insn_decode(p, 6, 1, &d);
	cr_assert(bk_insn_jump_target(&d, 1, &target) && target == 1);
	bk_insn_decode(p, 6, 2, &d);
	cr_assert(bk_insn_jump_target(&d, 2, &target) && target == 6);
	bk_insn_decode(p, 6, 3, &d);
	cr_assert(bk_insn_jump_target(&d, 3, &target) && target == 5);
	bk_insn_decode(p, 6, 5, &d);
	cr_assert_not(bk_insn_jump_target(&d, 5, &target));
}
