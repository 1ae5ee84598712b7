/* SPDX-License-Identifier: MIT */
/* Shared by the text tests: operands, random programs, LLVM object reading. */
#ifndef BK_TEXT_TEST_H
#define BK_TEXT_TEST_H

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/disasm.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"

/* Fixed operands that exercise every field a row has. */
static inline struct bk_decoded bk_test_operands(const struct bk_insn_info *r)
{
	struct bk_decoded d = { .dst = 1, .src = 2, .off = -8, .imm = 5 };

	if (!(r->fields & BK_FIELD_DST))
		d.dst = 0;
	if (!(r->fields & BK_FIELD_SRC))
		d.src = 0;
	if (!(r->fields & BK_FIELD_OFF))
		d.off = 0;
	if (!(r->fields & BK_FIELD_IMM))
		d.imm = 0;
	if (r->id == BK_OP_LD_IMM64 || r->id == BK_OP_LD_MAP_VALUE ||
	    r->id == BK_OP_LD_MAP_IDX_VALUE || r->id == BK_OP_LD_BTF_ID)
		d.imm2 = 3;
	return d;
}

/* Rows whose LLVM text LLVM 19 reads and writes without losing a field. */
static inline bool bk_test_llvm_exact(const struct bk_insn_info *r)
{
	switch (r->shape) {
	case BK_SHAPE_LOAD_ACQ:
	case BK_SHAPE_STORE_REL:
	case BK_SHAPE_CALL_LOCAL:
	case BK_SHAPE_CALL_KFUNC:
		return false;
	case BK_SHAPE_LD_IMM64:
		return r->id == BK_OP_LD_IMM64;
	default:
		return true;
	}
}

static inline uint32_t bk_test_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* count random instructions over all (or LLVM-exact) rows; *out_n slots. */
static inline struct bk_insn *bk_test_random_program(size_t count, uint64_t seed, bool llvm_only,
						     size_t *out_n)
{
	size_t n, used = 0;
	const struct bk_insn_info *t = bk_insn_table(&n);
	struct bk_insn *p = calloc(count * 2, sizeof(*p));

	for (size_t k = 0; k < count; k++) {
		const struct bk_insn_info *r = &t[k % n]; /* every row, in turn */
		struct bk_decoded d = { 0 };

		if (llvm_only && !bk_test_llvm_exact(r))
			continue;
		d.dst = (uint8_t)(bk_test_rand(&seed) % 11);
		d.src = (uint8_t)(bk_test_rand(&seed) % 11);
		d.off = (int16_t)bk_test_rand(&seed);
		d.imm = (int32_t)bk_test_rand(&seed);
		d.imm2 = (int32_t)bk_test_rand(&seed);
		if (!(r->fields & BK_FIELD_DST))
			d.dst = 0;
		if (!(r->fields & BK_FIELD_SRC))
			d.src = 0;
		if (!(r->fields & BK_FIELD_OFF))
			d.off = 0;
		if (!(r->fields & BK_FIELD_IMM) || r->shape == BK_SHAPE_LD_IND)
			d.imm = 0;
		if (r->shape == BK_SHAPE_GOTOL && llvm_only)
			d.imm = (int16_t)d.imm; /* llvm-mc 19 parses only 16-bit gotol operands */
		if (r->shape == BK_SHAPE_LD_IMM64 && r->id != BK_OP_LD_IMM64 &&
		    r->id != BK_OP_LD_MAP_VALUE && r->id != BK_OP_LD_MAP_IDX_VALUE &&
		    r->id != BK_OP_LD_BTF_ID)
			d.imm2 = 0;
		used += (size_t)bk_insn_encode(r, &d, p + used);
	}
	*out_n = used;
	return p;
}

static inline void bk_test_append(void *ctx, const char *text, size_t len)
{
	char **buf = ctx;
	size_t have = *buf ? strlen(*buf) : 0;

	*buf = realloc(*buf, have + len + 1);
	memcpy(*buf + have, text, len);
	(*buf)[have + len] = '\0';
}

static inline char *bk_test_disasm_text(const struct bk_insn *p, size_t n, enum bk_dialect d)
{
	char *text = NULL;

	cr_assert_eq(bk_disasm(p, n, BK_OPTS(bk_disasm_opts, .dialect = d), bk_test_append, &text),
		     0);
	return text;
}

/* Section want of an ELF64 object, malloc'd; NULL when absent. */
static inline uint8_t *bk_test_elf_section(const char *path, const char *want, size_t *len)
{
	uint8_t *img = (uint8_t *)bk_test_read_file(path, NULL), *text = NULL;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;

	eh = (const Elf64_Ehdr *)img;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		const char *name = (const char *)img + sh[eh->e_shstrndx].sh_offset + sh[i].sh_name;

		if (!strcmp(name, want)) {
			*len = sh[i].sh_size;
			text = malloc(*len + 1);
			memcpy(text, img + sh[i].sh_offset, *len);
		}
	}
	free(img);
	return text;
}

/* The .text section of an ELF64 object, malloc'd. */
static inline uint8_t *bk_test_elf_text(const char *path, size_t *len)
{
	uint8_t *text = bk_test_elf_section(path, ".text", len);

	cr_assert_not_null(text, "no .text in %s", path);
	return text;
}

#endif /* BK_TEXT_TEST_H */
