// SPDX-License-Identifier: MIT
/* The disassembler's fast printer (src/text/disasm_fast.c): whole programs
 * printed by bk_disasm() (which takes the fast printer where it can) are the
 * lines bk_disasm_one() prints for each slot (the general printer, which
 * test_disasm.c checks against llvm-objdump-19), for every row, numbers at
 * the edges of each digit count, and encodings the fast printer must leave
 * to the general one (reserved fields set, registers the dialect lacks). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/disasm.h>

#include "text_test.h"

/* Values at the edges: every digit count, both signs, the extremes. */
static const int64_t edges[] = {
	0,	    1,		9,	   10,	       99,	  100,	     999,
	1000,	    9999,	10000,	   99999,      100000,	  999999,    1000000,
	9999999,    10000000,	99999999,  100000000,  999999999, 1000000000, INT32_MAX,
	-1,	    -9,		-10,	   -9999,      -10000,	  -99999999, -100000000,
	-999999999, -1000000000, INT32_MIN + 1, INT32_MIN, INT16_MAX, INT16_MIN, -8,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

/* Slots of every row with operands from edges[] and registers r0..r15 (the
 * fields a row does not have mostly zero, sometimes not). */
static struct bk_insn *edge_program(size_t *out_n)
{
	size_t rows, n = 0;
	const struct bk_insn_info *t = bk_insn_table(&rows);
	struct bk_insn *p = calloc(2 * rows * NEDGES * 2, sizeof(*p));
	uint64_t seed = 3;

	cr_assert_not_null(p);
	for (size_t k = 0; k < 2 * rows; k++) { /* each row twice, other operands */
		const struct bk_insn_info *r = &t[k % rows];

		for (size_t e = 0; e < NEDGES; e++) {
			uint32_t x = bk_test_rand(&seed);
			struct bk_insn *in = &p[n];
			bool stray = x % 16 == 0; /* a field the row does not have set */

			in->code = r->opcode;
			in->dst_reg = (r->fields & BK_FIELD_DST) || stray ? (x >> 4) % 16 : 0;
			in->src_reg = (r->fields & BK_FIELD_SRC) || stray ? (x >> 8) % 16 : 0;
			in->off = (r->fields & BK_FIELD_OFF) || stray
					  ? (int16_t)edges[(e + x % 5) % NEDGES] : 0;
			in->imm = (r->fields & BK_FIELD_IMM) || stray ? (int32_t)edges[e] : 0;
			if (r->disc == BK_DISC_OFF && x % 8)
				in->off = (int16_t)r->dval;
			else if (r->disc == BK_DISC_IMM && x % 8)
				in->imm = r->dval;
			else if (r->disc == BK_DISC_SRC && x % 8)
				in->src_reg = (unsigned)r->dval & 0xf;
			n++;
			if (r->width == 2) /* its second slot: imm only */
				p[n++] = (struct bk_insn){ .imm = (int32_t)edges[NEDGES - 1 - e] };
		}
	}
	*out_n = n;
	return p;
}

/* The text the general printer gives, line by line, with "%4zu: " when
 * index is set. */
static char *general_text(const struct bk_insn *p, size_t n, const struct bk_disasm_opts *o)
{
	size_t cap = n * 200 + 1, len = 0;
	char *text = malloc(cap), line[300];

	cr_assert_not_null(text);
	for (size_t i = 0; i < n;) {
		int w = bk_disasm_one(p, n, i, o, line, sizeof(line));

		if (o->index)
			len += (size_t)snprintf(text + len, cap - len, "%4zu: ", i);
		len += (size_t)snprintf(text + len, cap - len, "%s\n", line);
		i += w > 0 ? (size_t)w : 1;
	}
	return text;
}

Test(disasm_fast, every_row_prints_as_the_general_printer_does, .timeout = 60)
{
	size_t n;
	struct bk_insn *p = edge_program(&n);

	cr_assert_gt(n, 10000, "indices of five digits are printed too");
	for (int dia = BK_DIALECT_AUTO; dia <= BK_DIALECT_CONFORMANCE; dia++)
		for (int m = 0; m < 4; m++) {
			struct bk_disasm_opts o = { .sz = sizeof(o), .dialect = (enum bk_dialect)dia,
						    .index = m & 1, .helper_names = m & 2 };
			char *fast = NULL, *slow = general_text(p, n, &o);
			int ret = bk_disasm(p, n, &o, bk_test_append, &fast);

			cr_assert_eq(ret, -EINVAL, "some slots are not clean");
			cr_assert_not_null(fast);
			for (size_t k = 0, line = 1, bol = 0; fast[k] || slow[k]; k++) {
				if (fast[k] != slow[k])
					cr_assert_fail("dialect %d opts %d, line %zu:\n%.*s\nnot\n%.*s",
						       dia, m, line, (int)strcspn(fast + bol, "\n"),
						       fast + bol, (int)strcspn(slow + bol, "\n"),
						       slow + bol);
				if (fast[k] == '\n') {
					line++;
					bol = k + 1;
				}
			}
			free(fast);
			free(slow);
		}
	free(p);
}

Test(disasm_fast, random_programs_print_as_the_general_printer_does)
{
	for (int dia = BK_DIALECT_LLVM; dia <= BK_DIALECT_CONFORMANCE; dia++) {
		size_t n;
		struct bk_insn *p = bk_test_random_program(20000, 11 + (uint64_t)dia, false, &n);
		struct bk_disasm_opts o = { .sz = sizeof(o), .dialect = (enum bk_dialect)dia };
		char *fast = NULL, *slow = general_text(p, n, &o);

		cr_assert_eq(bk_disasm(p, n, &o, bk_test_append, &fast), 0);
		cr_assert_str_eq(fast, slow);
		free(fast);
		free(slow);
		free(p);
	}
}
