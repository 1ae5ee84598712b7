// SPDX-License-Identifier: MIT
/* The instruction table's invariants: sorted, unique, self-consistent. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"

Test(insn_table, rows_sorted_by_opcode_and_ids_dense)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	cr_assert_gt(n, 170, "the table has %zu rows, expected every instruction", n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(t[i].id, i + 1, "row %zu (%s) has id %u", i, t[i].name, t[i].id);
		if (i > 0)
			cr_assert_leq(t[i - 1].opcode, t[i].opcode, "%s is out of opcode order",
				      t[i].name);
		cr_assert_eq(bk_insn_info_by_id(t[i].id), &t[i]);
	}
}

Test(insn_table, rows_sharing_an_opcode_use_one_discriminator_and_distinct_values)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 1; i < n; i++) {
		if (t[i].opcode != t[i - 1].opcode)
			continue;
		cr_assert_neq(t[i].disc, BK_DISC_NONE, "%s shares opcode 0x%02x without a "
			      "discriminator", t[i].name, t[i].opcode);
		cr_assert_eq(t[i].disc, t[i - 1].disc, "%s and %s discriminate differently",
			     t[i].name, t[i - 1].name);
		cr_assert_neq(t[i].dval, t[i - 1].dval, "%s and %s are indistinguishable",
			      t[i].name, t[i - 1].name);
	}
}

Test(insn_table, encode_then_lookup_finds_the_same_row)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d = { .dst = 1, .src = 2, .off = 0, .imm = 0 };
		struct bk_insn buf[2];

		cr_assert_eq(bk_insn_encode(&t[i], &d, buf), t[i].width);
		cr_assert_eq(bk_insn_lookup(&buf[0]), &t[i], "row %s did not come back", t[i].name);
	}
}

Test(insn_table, unknown_encodings_are_not_found)
{
	struct bk_insn sdiv_off2 = BK_RAW_INSN(BK_ALU64 | BK_DIV | BK_K, 1, 0, 2, 3);
	struct bk_insn bad = BK_RAW_INSN(0xff, 0, 0, 0, 0);

	cr_assert_null(bk_insn_lookup(&sdiv_off2));
	cr_assert_null(bk_insn_lookup(&bad));
	cr_assert_null(bk_insn_info_by_id(BK_OP_INVALID));
	cr_assert_null(bk_insn_info_by_id(BK_OP__COUNT));
}

Test(insn_table, group_and_shape_names)
{
	cr_assert_str_eq(bk_insn_group_name(BK_GROUP_ATOMIC64), "atomic64");
	cr_assert_str_eq(bk_insn_shape_name(BK_SHAPE_LD_IMM64), "ld_imm64");
	cr_assert_null(bk_insn_group_name(BK_GROUP__COUNT));
}

/* Every opcode byte RFC 9669 defines (plus the kernel's), derived from the
 * encoding rules rather than listed from the table, must be in the table. */
Test(insn_table, every_rfc9669_opcode_is_present)
{
	static const uint8_t alu_ops[] = { BK_ADD, BK_SUB, BK_MUL, BK_DIV, BK_OR, BK_AND, BK_LSH,
					   BK_RSH, BK_MOD, BK_XOR, BK_MOV, BK_ARSH };
	static const uint8_t jmp_ops[] = { BK_JEQ, BK_JGT, BK_JGE, BK_JSET, BK_JNE, BK_JSGT,
					   BK_JSGE, BK_JLT, BK_JLE, BK_JSLT, BK_JSLE };
	static const uint8_t sizes[] = { BK_B, BK_H, BK_W, BK_DW };
	bool want[256] = { false }, have[256] = { false };
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++)
		have[t[i].opcode] = true;
	for (size_t i = 0; i < sizeof(alu_ops); i++)
		for (int x = 0; x <= BK_X; x += BK_X) {
			want[BK_ALU | alu_ops[i] | x] = want[BK_ALU64 | alu_ops[i] | x] = true;
		}
	want[BK_ALU | BK_NEG] = want[BK_ALU64 | BK_NEG] = true;
	want[BK_ALU | BK_END | BK_TO_LE] = want[BK_ALU | BK_END | BK_TO_BE] = true;
	want[BK_ALU64 | BK_END] = true;
	for (size_t i = 0; i < sizeof(jmp_ops); i++)
		for (int x = 0; x <= BK_X; x += BK_X)
			want[BK_JMP | jmp_ops[i] | x] = want[BK_JMP32 | jmp_ops[i] | x] = true;
	want[BK_JMP | BK_JA] = want[BK_JMP32 | BK_JA] = true;
	want[BK_JMP | BK_CALL] = want[BK_JMP | BK_EXIT] = true;
	for (size_t i = 0; i < sizeof(sizes); i++) {
		want[BK_LDX | BK_MEM | sizes[i]] = want[BK_ST | BK_MEM | sizes[i]] = true;
		want[BK_STX | BK_MEM | sizes[i]] = true;
		if (sizes[i] != BK_DW)
			want[BK_LDX | BK_MEMSX | sizes[i]] = want[BK_LD | BK_ABS | sizes[i]] =
				want[BK_LD | BK_IND | sizes[i]] = true;
	}
	want[BK_STX | BK_ATOMIC | BK_W] = want[BK_STX | BK_ATOMIC | BK_DW] = true;
	want[BK_LD | BK_IMM | BK_DW] = true;
	for (int op = 0; op < 256; op++)
		cr_assert(!want[op] || have[op], "opcode 0x%02x is missing from the table", op);
}

/* RFC 9669's conformance group of a row, from the encoding rules of its
 * sections 4 and 5 (not from the table), or EXT for what the RFC lacks. */
static unsigned rfc_group(const struct bk_insn_info *r)
{
	uint8_t c = r->opcode, cls = BK_CLASS(c), op = BK_OP(c);
	bool dw = BK_SIZE(c) == BK_DW;

	if (r->shape == BK_SHAPE_LOAD_ACQ || r->shape == BK_SHAPE_STORE_REL ||
	    r->shape == BK_SHAPE_CALLX || r->shape == BK_SHAPE_ASCAST || op == BK_JCOND)
		return BK_GROUP_EXT;
	switch (cls) {
	case BK_ALU:
	case BK_ALU64:
		if (op == BK_MUL || op == BK_DIV || op == BK_MOD)
			return cls == BK_ALU64 ? BK_GROUP_DIVMUL64 : BK_GROUP_DIVMUL32;
		if (op == BK_END) /* by width, whatever the class */
			return r->dval == 64 ? BK_GROUP_BASE64 : BK_GROUP_BASE32;
		return cls == BK_ALU64 ? BK_GROUP_BASE64 : BK_GROUP_BASE32;
	case BK_JMP:
		return op == BK_JA || op == BK_CALL || op == BK_EXIT ? BK_GROUP_BASE32
								     : BK_GROUP_BASE64;
	case BK_JMP32:
		return BK_GROUP_BASE32;
	case BK_LD:
		return BK_MODE(c) == BK_IMM ? BK_GROUP_BASE64 : BK_GROUP_PACKET;
	case BK_STX:
		if (BK_MODE(c) == BK_ATOMIC)
			return dw ? BK_GROUP_ATOMIC64 : BK_GROUP_ATOMIC32;
		return dw ? BK_GROUP_BASE64 : BK_GROUP_BASE32;
	default: /* LDX, ST */
		return dw ? BK_GROUP_BASE64 : BK_GROUP_BASE32;
	}
}

/* The first LLVM -mcpu version with the row: v2 jlt/jle/jslt/jsle, v3 JMP32
 * and atomics other than add, v4 sdiv/smod/movsx/ldsx/bswap/gotol; kernel
 * extensions are marked 4. */
static unsigned first_version(const struct bk_insn_info *r)
{
	uint8_t c = r->opcode, cls = BK_CLASS(c), op = BK_OP(c);

	if (rfc_group(r) == BK_GROUP_EXT)
		return 4;
	switch (cls) {
	case BK_JMP32:
		return op == BK_JA ? 4 : 3;
	case BK_JMP:
		return op == BK_JLT || op == BK_JLE || op == BK_JSLT || op == BK_JSLE ? 2 : 1;
	case BK_ALU:
	case BK_ALU64:
		if (r->disc == BK_DISC_OFF && r->dval != 0)
			return 4; /* sdiv, smod, movsx */
		return cls == BK_ALU64 && op == BK_END ? 4 : 1;
	case BK_LDX:
		return BK_MODE(c) == BK_MEMSX ? 4 : 1;
	case BK_STX:
		return BK_MODE(c) == BK_ATOMIC && r->dval != BK_ADD ? 3 : 1;
	default:
		return 1;
	}
}

Test(insn_table, groups_and_versions_follow_rfc9669)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(t[i].group, rfc_group(&t[i]), "%s is in %s, RFC 9669 says %s",
			     t[i].name, bk_insn_group_name(t[i].group),
			     bk_insn_group_name(rfc_group(&t[i])));
		cr_assert_eq(t[i].version, first_version(&t[i]), "%s is v%u, expected v%u",
			     t[i].name, t[i].version, first_version(&t[i]));
	}
	/* a few spelled out, as RFC 9669 states them */
	cr_assert_eq(bk_insn_info_by_id(BK_OP_LE64)->group, BK_GROUP_BASE64);
	cr_assert_eq(bk_insn_info_by_id(BK_OP_BSWAP16)->group, BK_GROUP_BASE32);
	cr_assert_eq(bk_insn_info_by_id(BK_OP_CALL_KFUNC)->group, BK_GROUP_BASE32);
	cr_assert_eq(bk_insn_info_by_id(BK_OP_GOTOL)->group, BK_GROUP_BASE32);
	cr_assert_eq(bk_insn_info_by_id(BK_OP_LD_ABS_W)->group, BK_GROUP_PACKET);
	cr_assert_eq(bk_insn_info_by_id(BK_OP_LOAD_ACQ_DW)->group, BK_GROUP_EXT);
}

/* The ISA layer builds on any OS: its sources include only these C library
 * headers (no <unistd.h>, <sys/...>, <linux/...>: no syscalls). */
static bool portable_header(const char *h)
{
	static const char *const ok[] = { "errno.h",  "stdarg.h", "stdbool.h", "stddef.h",
					  "stdint.h", "stdlib.h", "string.h" };

	if (strncmp(h, "bpfkit/", 7) == 0)
		return true;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(h, ok[i]) == 0)
			return true;
	return false;
}

static int check_includes(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int system = 0;

	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		char h[128];

		if (sscanf(line, " #include <%127[^>]>", h) != 1)
			continue;
		cr_assert(portable_header(h), "%s includes <%s>", path, h);
		system++;
	}
	fclose(f);
	return system;
}

Test(insn_table, isa_layer_includes_only_portable_c_headers)
{
	static const char *const dirs[] = { "src/isa", "src/common" };
	char path[1024];
	int files = 0;

	for (size_t k = 0; k < 2; k++) {
		DIR *dir;
		struct dirent *e;

		snprintf(path, sizeof(path), "%s/%s", bk_test_srcdir(), dirs[k]);
		dir = opendir(path);
		cr_assert_not_null(dir, "%s", path);
		while ((e = readdir(dir))) {
			size_t len = strlen(e->d_name);

			/* src/common: only the header the ISA layer includes */
			if (k == 1 && strcmp(e->d_name, "common_int.h") != 0)
				continue;
			if (len < 3 || (strcmp(e->d_name + len - 2, ".c") != 0 &&
					strcmp(e->d_name + len - 2, ".h") != 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", bk_test_srcdir(), dirs[k],
				 e->d_name);
			check_includes(path);
			files++;
		}
		closedir(dir);
	}
	cr_assert_geq(files, 5);
	snprintf(path, sizeof(path), "%s/include/bpfkit/isa.h", bk_test_srcdir());
	check_includes(path);
	snprintf(path, sizeof(path), "%s/include/bpfkit/insn.h", bk_test_srcdir());
	check_includes(path);
}
