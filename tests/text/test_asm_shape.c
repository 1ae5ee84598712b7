// SPDX-License-Identifier: MIT
/*
 * The assembler's line shapes (asm_shape.c): operands reduce to their kind
 * (a register to its width, a number with its sign to '#'), blanks and case
 * of registers do not count, the words and punctuation do; a scan gives the
 * statement's bounds and refuses lines that need the full path; the index
 * built from the instruction table finds a line's row.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h" /* before the private header, which poisons unbounded string calls */
#include "../../src/text/text_int.h"

static uint64_t shape(const char *line)
{
	return bk__shape_of(line, line + strlen(line));
}

Test(asm_shape, operands_reduce_to_their_kind)
{
	cr_assert_eq(shape("r0 = 1"), shape("r7 = -12345"));
	cr_assert_eq(shape("r0 = 1"), shape("R3 = 0x10"), "register case and hex do not count");
	cr_assert_eq(shape("*(u64 *)(r1 - 144) = 86"), shape("*(u64*)(r2+8)=-1"),
		     "blanks and the sign of an offset do not count");
	cr_assert_eq(shape("if r1 > 5 goto +3"), shape("if r9 > -1 goto -300"));
}

Test(asm_shape, words_widths_and_punctuation_count)
{
	cr_assert_neq(shape("w0 = 1"), shape("r0 = 1"));
	cr_assert_neq(shape("r0 += 1"), shape("r0 -= 1"));
	cr_assert_neq(shape("r1 = r2"), shape("r1 = 2"));
	cr_assert_neq(shape("*(u64 *)(r1 + 8) = 1"), shape("*(u32 *)(r1 + 8) = 1"));
	cr_assert_neq(shape("call 1"), shape("callx r1"));
}

Test(asm_shape, scan_bounds_and_lines_for_the_full_path)
{
	static const char line[] = "   r0 = 1   # a comment";
	static const char *const full[] = { "r0 = 1; exit", "r0 = 1 // c", "r0 = /* x */ 1" };
	const char *s = NULL, *e = NULL;
	uint64_t h = 0;

	cr_assert(bk__shape_scan(line, line + strlen(line), &h, &s, &e));
	cr_assert_eq(s, line + 3);
	cr_assert_eq(e, line + 9, "the statement ends at its last token, before the comment");
	cr_assert_eq(h, shape("r0 = 1"));

	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
		cr_assert_not(bk__shape_scan(full[i], full[i] + strlen(full[i]), &h, &s, &e), "%s",
			      full[i]);
}

Test(asm_shape, the_index_finds_a_line_s_row)
{
	size_t nrows, n = 0;
	const struct bk_insn_info *tab = bk_insn_table(&nrows);
	struct bk__shapes *t = NULL;
	const uint16_t *rows;
	bool add_k = false;

	cr_assert_eq(bk__shapes_build(tab, nrows, &t), 0);
	rows = bk__shapes_find(t, shape("r3 += 42"), &n);
	cr_assert_not_null(rows);
	for (size_t i = 0; i < n; i++)
		add_k |= tab[rows[i]].opcode == 0x07; /* ALU64 | ADD | K */
	cr_assert(add_k, "r3 += 42 is in a row of BPF_ALU64 | BPF_ADD | BPF_K");
	n = 1;
	cr_assert_null(bk__shapes_find(t, shape("no such instruction here"), &n));
	cr_assert_eq(n, 0);
	free(t);
}
