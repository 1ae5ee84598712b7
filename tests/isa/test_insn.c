// SPDX-License-Identifier: MIT
/*
 * Decoding and encoding, and the LLVM 19 cross-check: every row of the table
 * that llvm-mc-19 can assemble is rendered from its LLVM template with two
 * sets of concrete operands, all of them are assembled in one llvm-mc-19 run,
 * and the bytes of the object's .text must equal what bk_insn_encode()
 * produces, row by row. llvm-objdump-19 must then print each instruction back
 * exactly as our template renders it. The rows LLVM 19 cannot assemble are
 * checked against the specification's bytes, written out below.
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

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LLVM_TRIPLE "bpfeb" /* so that .text holds our host's layout */
#else
#define LLVM_TRIPLE "bpfel"
#endif

#define NVARIANTS 2

/* Operands a row is rendered and encoded with: variant 0 small and positive,
 * variant 1 high registers and negative values (nibble order, sign, width). */
static struct bk_decoded operands(const struct bk_insn_info *r, int variant)
{
	struct bk_decoded d = { .dst = 1, .src = 2, .off = 8, .imm = 5 };

	if (variant) {
		d.dst = 9;
		d.src = 10;
		d.off = -300;
		d.imm = -77777;
	}
	if (!(r->fields & BK_FIELD_DST))
		d.dst = 0;
	if (!(r->fields & BK_FIELD_SRC))
		d.src = 0;
	if (!(r->fields & BK_FIELD_OFF))
		d.off = 0;
	if (!(r->fields & BK_FIELD_IMM))
		d.imm = 0;
	switch (r->shape) {
	case BK_SHAPE_LD_IMM64:
		if (r->dval == 0) /* a constant that needs both halves */
			d.imm2 = variant ? -2 : 1;
		else if (variant) /* llvm-objdump prints ld_pseudo's imm unsigned */
			d.imm = 77777;
		break;
	case BK_SHAPE_ASCAST:
		d.imm = variant ? 1 : 1 << 16; /* addr_space_cast(src, 0, 1) / (src, 1, 0) */
		break;
	case BK_SHAPE_LD_IND:
		d.imm = 0; /* LLVM spells only skb[reg] */
		break;
	case BK_SHAPE_LD_ABS:
		d.imm = variant ? 1514 : 5; /* LLVM takes no negative packet offset */
		break;
	case BK_SHAPE_GOTOL:
		/* llvm-mc-19 parses a literal gotol target as 16 bits; the 32-bit
		 * range is checked against the specification below */
		if (variant)
			d.imm = -30000;
		break;
	default:
		break;
	}
	return d;
}

/* Rows LLVM 19 cannot assemble from our LLVM text. */
static bool llvm_can_assemble(const struct bk_insn_info *r)
{
	switch (r->shape) {
	case BK_SHAPE_LOAD_ACQ:	  /* LLVM 20 and later */
	case BK_SHAPE_STORE_REL:
	case BK_SHAPE_CALL_LOCAL: /* llvm-mc takes "call pc+N" for a symbol plus N */
	case BK_SHAPE_CALL_KFUNC: /* only through a relocation against an extern */
		return false;
	default:
		return true;
	}
}

/* Render an LLVM template the way llvm-objdump-19 writes it. */
static void render(const char *tpl, const struct bk_decoded *d, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = tpl; *p && n + 40 < size; p++) {
		char *o = out + n;

		if (*p != '%') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'D': n += (size_t)sprintf(o, "r%u", d->dst); break;
		case 'd': n += (size_t)sprintf(o, "w%u", d->dst); break;
		case 'S': n += (size_t)sprintf(o, "r%u", d->src); break;
		case 's': n += (size_t)sprintf(o, "w%u", d->src); break;
		case 'I': n += (size_t)sprintf(o, "%d", d->imm); break;
		case 'O': n += (size_t)sprintf(o, " %c %d", d->off < 0 ? '-' : '+', abs(d->off)); break;
		case 'J': n += (size_t)sprintf(o, "%+d", d->off); break;
		case 'G': n += (size_t)sprintf(o, "%+d", d->imm); break;
		case 'K':
			n += (size_t)sprintf(o, "%lld", /* llvm-objdump prints it signed */
					     (long long)((uint64_t)(uint32_t)d->imm |
							 (uint64_t)(uint32_t)d->imm2 << 32));
			break;
		case 'N':
			if (d->imm2)
				n += (size_t)sprintf(o, ", %d", d->imm2);
			break;
		case 'A': n += (size_t)sprintf(o, "%d, %d", d->imm >> 16, d->imm & 0xffff); break;
		case 'X':
			if (d->imm)
				n += (size_t)sprintf(o, " + %d", d->imm);
			break;
		case '%': out[n++] = '%'; break;
		default: cr_assert_fail("unknown placeholder %%%c in '%s'", *p, tpl);
		}
	}
	out[n] = '\0';
}

/* The .text section of an ELF64 object in host byte order, malloc'd: a
 * minimal section-table walk with every offset bounds-checked. */
static uint8_t *elf_text(const char *path, size_t *len)
{
	size_t size;
	uint8_t *img = (uint8_t *)bk_test_read_file(path, &size), *text = NULL;
	Elf64_Ehdr eh;
	const char *names;

	cr_assert_geq(size, sizeof(eh));
	memcpy(&eh, img, sizeof(eh));
	cr_assert(memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64);
	cr_assert_eq(eh.e_shentsize, sizeof(Elf64_Shdr));
	cr_assert(eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) <= size);
	cr_assert_lt(eh.e_shstrndx, eh.e_shnum);
	{
		Elf64_Shdr strtab;

		memcpy(&strtab, img + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr),
		       sizeof(strtab));
		cr_assert(strtab.sh_offset + strtab.sh_size <= size && strtab.sh_size > 0);
		cr_assert_eq(img[strtab.sh_offset + strtab.sh_size - 1], '\0');
		names = (const char *)img + strtab.sh_offset;
		for (unsigned i = 0; i < eh.e_shnum; i++) {
			Elf64_Shdr sh;

			memcpy(&sh, img + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof(sh));
			if (sh.sh_name >= strtab.sh_size || strcmp(names + sh.sh_name, ".text") != 0)
				continue;
			cr_assert(sh.sh_offset + sh.sh_size <= size);
			*len = sh.sh_size;
			text = malloc(sh.sh_size ? sh.sh_size : 1);
			memcpy(text, img + sh.sh_offset, sh.sh_size);
		}
	}
	free(img);
	cr_assert_not_null(text, "no .text in %s", path);
	return text;
}

/* Scratch directory with the assembly of every row LLVM can assemble. */
struct llvm_run {
	char dir[32], src[64], obj[64];
	size_t rows; /* instructions written */
};

static void assemble_all(struct llvm_run *run)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);
	char cmd[512], line[160], *out = NULL;
	FILE *f;
	int st;

	strcpy(run->dir, "/tmp/bk-insn-XXXXXX");
	cr_assert_not_null(mkdtemp(run->dir));
	snprintf(run->src, sizeof(run->src), "%s/all.s", run->dir);
	snprintf(run->obj, sizeof(run->obj), "%s/all.o", run->dir);
	f = fopen(run->src, "w");
	cr_assert_not_null(f);
	run->rows = 0;
	for (int v = 0; v < NVARIANTS; v++)
		for (size_t i = 0; i < n; i++) {
			struct bk_decoded d = operands(&t[i], v);

			if (!llvm_can_assemble(&t[i]))
				continue;
			render(t[i].llvm, &d, line, sizeof(line));
			fprintf(f, "%s\n", line);
			run->rows++;
		}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "llvm-mc-19 -triple " LLVM_TRIPLE " -mcpu=v4 -filetype=obj %s -o %s 2>&1",
		 run->src, run->obj);
	st = bk_test_run(cmd, &out);
	cr_assert_eq(st, 0, "llvm-mc-19 rejected our rendering:\n%s", out);
	free(out);
}

static void cleanup(struct llvm_run *run)
{
	unlink(run->src);
	unlink(run->obj);
	rmdir(run->dir);
}

Test(insn_llvm, builder_bytes_equal_llvm_mc_19_for_every_row, .timeout = 60)
{
	size_t n, text_len = 0, pos = 0;
	const struct bk_insn_info *t = bk_insn_table(&n);
	struct llvm_run run;
	uint8_t *text;

	BK_REQUIRE_TOOL("llvm-mc-19");
	assemble_all(&run);
	text = elf_text(run.obj, &text_len);
	for (int v = 0; v < NVARIANTS; v++)
		for (size_t i = 0; i < n; i++) {
			struct bk_decoded d = operands(&t[i], v);
			struct bk_insn mine[2];
			char line[160];
			int w;

			if (!llvm_can_assemble(&t[i]))
				continue;
			w = bk_insn_encode(&t[i], &d, mine);
			cr_assert_eq(w, t[i].width);
			render(t[i].llvm, &d, line, sizeof(line));
			cr_assert_leq(pos + (size_t)w * 8, text_len);
			cr_assert_arr_eq(text + pos, mine, (size_t)w * 8,
					 "%s: our bytes differ from llvm-mc-19's for '%s'", t[i].name,
					 line);
			pos += (size_t)w * 8;
		}
	cr_assert_eq(pos, text_len, "llvm-mc-19 emitted more than we encoded");
	/* all but the 8 load-acquire/store-release rows, the local and the kfunc call */
	cr_assert_eq(run.rows, (n - 10) * NVARIANTS);
	free(text);
	cleanup(&run);
}

/* Strip llvm-objdump's trailing " <.text+0x..>" label and turn tabs to spaces. */
static void normalise(char *s)
{
	char *lt = strstr(s, " <.text");

	if (lt)
		*lt = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\t')
			*p = ' ';
}

Test(insn_llvm, llvm_objdump_19_prints_what_our_templates_render, .timeout = 60)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);
	struct llvm_run run;
	char cmd[256], *out = NULL, *save = NULL, *l;
	int st;

	BK_REQUIRE_TOOL("llvm-mc-19");
	BK_REQUIRE_TOOL("llvm-objdump-19");
	assemble_all(&run);
	snprintf(cmd, sizeof(cmd),
		 "llvm-objdump-19 -d --mcpu=v4 --no-show-raw-insn --no-print-imm-hex "
		 "--no-leading-addr %s 2>&1",
		 run.obj);
	st = bk_test_run(cmd, &out);
	cr_assert_eq(st, 0, "%s", out);
	l = strstr(out, "<.text>:\n");
	cr_assert_not_null(l, "%s", out);
	l = strtok_r(l + 9, "\n", &save);
	for (int v = 0; v < NVARIANTS; v++)
		for (size_t i = 0; i < n; i++) {
			struct bk_decoded d = operands(&t[i], v);
			char want[160];

			if (!llvm_can_assemble(&t[i]))
				continue;
			/* llvm-objdump prints only the first slot's imm of ld_pseudo */
			if (t[i].shape == BK_SHAPE_LD_IMM64 && t[i].dval)
				d.imm2 = 0;
			render(t[i].llvm, &d, want, sizeof(want));
			while (l && strspn(l, " \t") == strlen(l))
				l = strtok_r(NULL, "\n", &save);
			cr_assert_not_null(l, "llvm-objdump-19 stopped before %s", t[i].name);
			l += strspn(l, " \t");
			normalise(l);
			cr_assert_str_eq(l, want, "%s: llvm-objdump-19 prints '%s', we render '%s'",
					 t[i].name, l, want);
			l = strtok_r(NULL, "\n", &save);
		}
	free(out);
	cleanup(&run);
}

/* LE bytes of one slot, from its fields: the order of RFC 9669 section 3. */
static void le_bytes(const struct bk_insn *in, uint8_t out[8])
{
	uint16_t off = (uint16_t)in->off;
	uint32_t imm = (uint32_t)in->imm;

	out[0] = in->code;
	out[1] = (uint8_t)(in->src_reg << 4 | in->dst_reg);
	out[2] = (uint8_t)off;
	out[3] = (uint8_t)(off >> 8);
	for (int i = 0; i < 4; i++)
		out[4 + i] = (uint8_t)(imm >> (8 * i));
}

/*
 * The rows LLVM 19 cannot assemble, against the specification's encodings
 * (RFC 9669 sections 3, 4.3.2 and 5.4 for calls and ld_imm64; the kernel's
 * uapi for load-acquire 0x100 and store-release 0x110 in an atomic's imm),
 * the ld_imm64 pseudo sources with a second-slot value, and a gotol beyond
 * the 16 bits llvm-mc-19 parses.
 */
Test(insn_llvm, rows_llvm_cannot_assemble_match_the_specification)
{
	static const struct {
		unsigned id;
		struct bk_decoded d;
		uint8_t bytes[16];
	} facts[] = {
		{ BK_OP_LOAD_ACQ_B, { .dst = 1, .src = 2, .off = 8 },
		  { 0xd3, 0x21, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00 } },
		{ BK_OP_LOAD_ACQ_H, { .dst = 1, .src = 2, .off = 8 },
		  { 0xcb, 0x21, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00 } },
		{ BK_OP_LOAD_ACQ_W, { .dst = 0, .src = 10, .off = -8 },
		  { 0xc3, 0xa0, 0xf8, 0xff, 0x00, 0x01, 0x00, 0x00 } },
		{ BK_OP_LOAD_ACQ_DW, { .dst = 9, .src = 1, .off = 256 },
		  { 0xdb, 0x19, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 } },
		{ BK_OP_STORE_REL_B, { .dst = 1, .src = 2, .off = -4 },
		  { 0xd3, 0x21, 0xfc, 0xff, 0x10, 0x01, 0x00, 0x00 } },
		{ BK_OP_STORE_REL_H, { .dst = 10, .src = 3, .off = -2 },
		  { 0xcb, 0x3a, 0xfe, 0xff, 0x10, 0x01, 0x00, 0x00 } },
		{ BK_OP_STORE_REL_W, { .dst = 1, .src = 2, .off = 0 },
		  { 0xc3, 0x21, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00 } },
		{ BK_OP_STORE_REL_DW, { .dst = 6, .src = 7, .off = 16 },
		  { 0xdb, 0x76, 0x10, 0x00, 0x10, 0x01, 0x00, 0x00 } },
		{ BK_OP_GOTOL, { .imm = -70000 }, { 0x06, 0x00, 0x00, 0x00, 0x90, 0xee, 0xfe, 0xff } },
		{ BK_OP_CALL_LOCAL, { .imm = -3 }, { 0x85, 0x10, 0x00, 0x00, 0xfd, 0xff, 0xff, 0xff } },
		{ BK_OP_CALL_KFUNC, { .imm = 12345 },
		  { 0x85, 0x20, 0x00, 0x00, 0x39, 0x30, 0x00, 0x00 } },
		{ BK_OP_CALL_KFUNC, { .off = 2, .imm = 7 }, /* off: index of a module BTF fd */
		  { 0x85, 0x20, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00 } },
		{ BK_OP_LD_MAP_VALUE, { .dst = 1, .imm = 7, .imm2 = 40 },
		  { 0x18, 0x21, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00 } },
		{ BK_OP_LD_MAP_IDX_VALUE, { .dst = 2, .imm = 3, .imm2 = 4096 },
		  { 0x18, 0x62, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00 } },
		{ BK_OP_LD_FUNC, { .dst = 3, .imm = -6 },
		  { 0x18, 0x43, 0x00, 0x00, 0xfa, 0xff, 0xff, 0xff,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	};

	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct bk_insn_info *r = bk_insn_info_by_id(facts[i].id);
		struct bk_insn out[2];
		uint8_t got[16] = { 0 };
		int w = bk_insn_encode(r, &facts[i].d, out);

		cr_assert_eq(w, r->width, "%s", r->name);
		for (int s = 0; s < w; s++)
			le_bytes(&out[s], got + 8 * s);
		cr_assert_arr_eq(got, facts[i].bytes, 16, "%s (fact %zu): bytes differ", r->name,
				 i);
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
	cr_assert_eq((uint32_t)d.imm, 0x76543210u);
	cr_assert_eq((uint32_t)d.imm2, 0xfedcba98u);
	cr_assert_eq(d.imm64, 0xfedcba9876543210ull);
	errno = 0;
	cr_assert_eq(bk_insn_decode(p, 1, 0, &d), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(bk_insn_decode(p, 3, 2, &d), 0);
	cr_assert_eq(d.info->id, BK_OP_EXIT);
	cr_assert_eq(d.width, 1);
	cr_assert_eq(bk_insn_decode(p, 3, 3, &d), -EINVAL);
	cr_assert_eq(bk_insn_decode(NULL, 3, 0, &d), -EINVAL);
}

Test(insn, decode_sign_extends_imm_and_reports_unknown_opcodes)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R1, -2), BK_RAW_INSN(0xff, 0, 0, 0, 0),
				     BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_K, 1, 0, 2, 3) };
	struct bk_decoded d;

	cr_assert_eq(bk_insn_decode(p, 3, 0, &d), 0);
	cr_assert_eq(d.imm64, UINT64_MAX - 1);
	errno = 0;
	cr_assert_eq(bk_insn_decode(p, 3, 1, &d), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_insn_decode(p, 3, 2, &d), -ENOENT, "div with off 2 is no instruction");
}

Test(insn, decode_then_encode_is_identity_for_every_row)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (int v = 0; v < NVARIANTS; v++)
		for (size_t i = 0; i < n; i++) {
			struct bk_decoded d = operands(&t[i], v), back;
			struct bk_insn enc[2], re[2];
			int w = bk_insn_encode(&t[i], &d, enc);

			cr_assert_eq(w, t[i].width);
			cr_assert_eq(bk_insn_decode(enc, (size_t)w, 0, &back), 0, "%s", t[i].name);
			cr_assert_eq(back.info, &t[i], "%s decoded as %s", t[i].name,
				     back.info->name);
			cr_assert(back.dst == d.dst && back.src == (t[i].disc == BK_DISC_SRC
									    ? (uint8_t)t[i].dval
									    : d.src),
				  "%s: registers", t[i].name);
			if (t[i].disc != BK_DISC_OFF)
				cr_assert_eq(back.off, d.off, "%s: off", t[i].name);
			if (t[i].disc != BK_DISC_IMM)
				cr_assert_eq(back.imm, d.imm, "%s: imm", t[i].name);
			cr_assert_eq(back.imm2, t[i].width == 2 ? d.imm2 : 0, "%s: imm2", t[i].name);
			cr_assert_eq(back.width, w);
			cr_assert_eq(bk_insn_encode(back.info, &back, re), w);
			cr_assert_arr_eq(enc, re, (size_t)w * 8, "%s", t[i].name);
		}
}

Test(insn, encode_writes_the_discriminator_from_the_row)
{
	struct bk_decoded d = { .dst = 1, .src = 2, .off = 77, .imm = 99 };
	struct bk_insn out[2];

	cr_assert_eq(bk_insn_encode(bk_insn_info_by_id(BK_OP_SDIV64_REG), &d, out), 1);
	cr_assert(out[0].code == 0x3f && out[0].off == 1 && out[0].src_reg == 2);
	cr_assert_eq(bk_insn_encode(bk_insn_info_by_id(BK_OP_ATOMIC64_XCHG), &d, out), 1);
	cr_assert(out[0].code == 0xdb && out[0].imm == 0xe1 && out[0].off == 77);
	cr_assert_eq(bk_insn_encode(bk_insn_info_by_id(BK_OP_LD_BTF_ID), &d, out), 2);
	cr_assert(out[0].src_reg == BK_PSEUDO_BTF_ID && out[0].imm == 99 && out[1].code == 0);
	cr_assert_eq(bk_insn_encode(NULL, &d, out), -EINVAL);
	cr_assert_eq(bk_insn_encode(bk_insn_info_by_id(BK_OP_EXIT), NULL, out), -EINVAL);
}

Test(insn, jump_targets)
{
	const struct bk_insn p[] = {
		BK_JA(2),				/* 0 -> 3 */
		BK_GOTOL(-1),				/* 1 -> 1 */
		BK_CALL_LOCAL(3),			/* 2 -> 6 */
		BK_LD_FUNC(BK_R1, 1),			/* 3 -> 5 (width 2) */
		BK_MOV64_IMM(BK_R0, 0),			/* 5: no target */
		BK_JMP32_REG(BK_JSLT, BK_R1, BK_R2, -6), /* 6 -> 1 */
		BK_MAY_GOTO_INSN(0),			/* 7 -> 8 */
		BK_LD_MAP_FD(BK_R1, 4),			/* 8: not a code reference */
		BK_CALL_HELPER(5),			/* 10: no target */
		BK_JMP_IMM(BK_JEQ, BK_R1, 0, -11),	/* 11 -> 1 */
		BK_EXIT(),				/* 12: no target */
	};
	static const struct {
		size_t at;
		int has;
		int64_t target;
	} want[] = { { 0, 1, 3 },  { 1, 1, 1 },	 { 2, 1, 6 },  { 3, 1, 5 },  { 5, 0, 0 },
		     { 6, 1, 1 },  { 7, 1, 8 },	 { 8, 0, 0 },  { 10, 0, 0 }, { 11, 1, 1 },
		     { 12, 0, 0 } };
	const size_t n = sizeof(p) / sizeof(p[0]);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct bk_decoded d;
		int64_t target = -999;

		cr_assert_eq(bk_insn_decode(p, n, want[i].at, &d), 0, "insn %zu", want[i].at);
		cr_assert_eq(bk_insn_jump_target(&d, want[i].at, &target), want[i].has,
			     "insn %zu (%s)", want[i].at, d.info->name);
		if (want[i].has)
			cr_assert_eq(target, want[i].target, "insn %zu (%s): target %lld",
				     want[i].at, d.info->name, (long long)target);
		else
			cr_assert_eq(target, -999, "insn %zu: target written", want[i].at);
	}
}
