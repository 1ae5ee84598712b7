// SPDX-License-Identifier: MIT
/* `bpfkit isa [--json]` through the built binary: one entry per row of the
 * instruction table, plain mnemonics, integer opcodes, and every opcode of
 * RFC 9669 plus the legacy packet loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"
#include "json_mini.h"

static char *run_cli(const char *args)
{
	char cmd[1024], *out = NULL;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bk_test_cli(), args);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "bpfkit %s: %s", args, out ? out : "");
	return out;
}

/* Every opcode byte RFC 9669 defines, from its encoding rules, and the
 * legacy packet loads (ld_abs/ld_ind of B, H, W). */
static void rfc9669_opcodes(bool want[256])
{
	static const uint8_t alu[] = { BK_ADD, BK_SUB, BK_MUL, BK_DIV, BK_OR,  BK_AND,
				       BK_LSH, BK_RSH, BK_MOD, BK_XOR, BK_MOV, BK_ARSH };
	static const uint8_t jmp[] = { BK_JEQ,  BK_JGT, BK_JGE, BK_JSET, BK_JNE, BK_JSGT,
				       BK_JSGE, BK_JLT, BK_JLE, BK_JSLT, BK_JSLE };
	static const uint8_t sizes[] = { BK_B, BK_H, BK_W, BK_DW };

	memset(want, 0, 256);
	for (size_t i = 0; i < sizeof(alu); i++)
		for (int x = 0; x <= BK_X; x += BK_X)
			want[BK_ALU | alu[i] | x] = want[BK_ALU64 | alu[i] | x] = true;
	for (size_t i = 0; i < sizeof(jmp); i++)
		for (int x = 0; x <= BK_X; x += BK_X)
			want[BK_JMP | jmp[i] | x] = want[BK_JMP32 | jmp[i] | x] = true;
	want[BK_ALU | BK_NEG] = want[BK_ALU64 | BK_NEG] = true;
	want[BK_ALU | BK_END | BK_TO_LE] = want[BK_ALU | BK_END | BK_TO_BE] = true;
	want[BK_ALU64 | BK_END] = true;
	want[BK_JMP | BK_JA] = want[BK_JMP32 | BK_JA] = true;
	want[BK_JMP | BK_CALL] = want[BK_JMP | BK_EXIT] = true;
	want[BK_LD | BK_IMM | BK_DW] = true;
	want[BK_STX | BK_ATOMIC | BK_W] = want[BK_STX | BK_ATOMIC | BK_DW] = true;
	for (size_t i = 0; i < sizeof(sizes); i++) {
		want[BK_LDX | BK_MEM | sizes[i]] = want[BK_ST | BK_MEM | sizes[i]] = true;
		want[BK_STX | BK_MEM | sizes[i]] = true;
		if (sizes[i] != BK_DW)
			want[BK_LDX | BK_MEMSX | sizes[i]] = want[BK_LD | BK_ABS | sizes[i]] =
				want[BK_LD | BK_IND | sizes[i]] = true;
	}
}

static const char *mnemonic_of(const struct jm *doc, const char *name)
{
	for (int i = 0; i < doc->n; i++) {
		const struct jm *o = doc->kids[i], *nm = jm_get(o, "name");

		if (nm && strcmp(nm->str, name) == 0)
			return jm_get(o, "mnemonic")->str;
	}
	cr_assert_fail("no row %s in bpfkit isa --json", name);
	return NULL;
}

Test(cmd_isa, json_has_plain_mnemonics_integer_opcodes_and_every_rfc9669_opcode)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);
	char *out = run_cli("isa --json");
	struct jm *doc = jm_parse(out);
	bool want[256], have[256] = { false };

	cr_assert_not_null(doc, "not JSON: %.200s", out);
	cr_assert_eq(doc->type, JM_ARR);
	cr_assert_eq((size_t)doc->n, n, "%d entries for %zu rows", doc->n, n);
	for (int i = 0; i < doc->n; i++) {
		const struct jm *o = doc->kids[i];
		const struct jm *m = jm_get(o, "mnemonic"), *op = jm_get(o, "opcode"),
				*v = jm_get(o, "version"), *g = jm_get(o, "group");

		cr_assert(m && op && v && g, "entry %d lacks a field", i);
		cr_assert(m->type == JM_STR && op->type == JM_NUM && v->type == JM_NUM &&
			  g->type == JM_STR);
		cr_assert(m->str[0] && !strpbrk(m->str, "%[],") &&
				  m->str[strlen(m->str) - 1] != ' ',
			  "mnemonic '%s' is not plain", m->str);
		cr_assert(op->num >= 0 && op->num <= 255 && op->num == (int)op->num);
		cr_assert_eq((int)op->num, t[i].opcode, "entry %d", i);
		cr_assert_eq((unsigned)v->num, t[i].version, "entry %d", i);
		cr_assert_str_eq(g->str, bk_insn_group_name(t[i].group));
		have[(int)op->num] = true;
	}
	rfc9669_opcodes(want);
	for (int c = 0; c < 256; c++)
		cr_assert(!want[c] || have[c], "opcode 0x%02x is not listed", c);
	cr_assert_str_eq(mnemonic_of(doc, "ADD64_IMM"), "add");
	cr_assert_str_eq(mnemonic_of(doc, "ADD32_REG"), "add32");
	cr_assert_str_eq(mnemonic_of(doc, "ATOMIC32_FETCH_ADD"), "lock fetch add32");
	cr_assert_str_eq(mnemonic_of(doc, "LDXW"), "ldxw");
	cr_assert_str_eq(mnemonic_of(doc, "LD_IMM64"), "lddw");
	cr_assert_str_eq(mnemonic_of(doc, "LD_MAP_FD"), "lddw");
	cr_assert_str_eq(mnemonic_of(doc, "GOTOL"), "ja32");
	cr_assert_str_eq(mnemonic_of(doc, "CALL_HELPER"), "call");
	cr_assert_str_eq(mnemonic_of(doc, "EXIT"), "exit");
	cr_assert_str_eq(mnemonic_of(doc, "LD_IND_H"), "ldindh");
	cr_assert_str_eq(mnemonic_of(doc, "BE64"), "be64");
	jm_free(doc);
	free(out);
}

Test(cmd_isa, text_has_one_line_per_row)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);
	char *out = run_cli("isa"), *save = NULL;
	char *line = strtok_r(out, "\n", &save);
	size_t i = 0;

	cr_assert_not_null(line);
	cr_assert(strncmp(line, "MNEMONIC", 8) == 0, "header: %s", line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		unsigned opcode, version;
		char group[16];

		cr_assert_lt(i, n, "more lines than rows");
		/* the mnemonic may hold spaces ("lock fetch add32"): read after it */
		cr_assert_eq(sscanf(line + 19, "0x%x v%u %15s", &opcode, &version, group), 3,
			     "line %zu: %s", i, line);
		cr_assert_eq(opcode, t[i].opcode, "line %zu: %s", i, line);
		cr_assert_eq(version, t[i].version, "line %zu: %s", i, line);
		cr_assert_str_eq(group, bk_insn_group_name(t[i].group), "line %zu", i);
		i++;
	}
	cr_assert_eq(i, n);
	free(out);
}
