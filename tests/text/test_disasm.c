// SPDX-License-Identifier: MIT
/* The disassembler: llvm-objdump-19's text for random encodings of every
 * instruction LLVM decodes exactly; labels, helper names, bad slots. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/asm.h>
#include <bpfkit/disasm.h>

#include "../lib/bk_test.h"
#include "text_test.h"

/* Collapse runs of whitespace, as the comparison prescribes. */
static void squeeze(char *s)
{
	char *o = s, *start = s;
	bool pending = false;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			pending = o > start; /* never a leading space */
			continue;
		}
		if (pending)
			*o++ = ' ';
		pending = false;
		*o++ = *s;
	}
	*o = '\0';
}

Test(disasm_llvm, text_equals_llvm_objdump_19_for_random_encodings, .timeout = 120)
{
	char dir[] = "/tmp/bk-dis-XXXXXX", src[64], obj[80], cmd[512];
	size_t n;
	struct bk_insn *p = bk_test_random_program(3000, 99, true, &n);
	char *out = NULL, *line, *save = NULL;
	size_t i = 0, compared = 0;
	FILE *f;

	BK_REQUIRE_TOOL("llvm-objdump-19");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/q.s", dir);
	snprintf(obj, sizeof(obj), "%s/q.o", dir);
	f = fopen(src, "w");
	for (size_t k = 0; k < n; k++) {
		uint64_t w;

		memcpy(&w, &p[k], 8);
		fprintf(f, ".quad 0x%016" PRIx64 "\n", w);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s -o %s && "
		 "llvm-objdump-19 -d --mcpu=v4 --no-print-imm-hex --no-show-raw-insn %s",
		 src, obj, obj);
	cr_assert_eq(bk_test_run(cmd, &out), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *annot, mine[200];
		int w;

		const char *num = line + strspn(line, " ");

		/* instruction lines are "   12:\ttext"; skip "0000... <.text>:" */
		if (!colon || !isdigit((unsigned char)*num) || num + strspn(num, "0123456789") != colon)
			continue;
		annot = strstr(colon, " <.text"); /* llvm's "<.text+0x10>" jump annotation */
		if (annot)
			*annot = '\0';
		squeeze(colon + 1);
		w = bk_disasm_one(p, n, i, NULL, mine, sizeof(mine));
		cr_assert_gt(w, 0);
		squeeze(mine);
		cr_assert_str_eq(mine, colon + 1, "slot %zu: ours [%s], llvm [%s]", i, mine, colon + 1);
		i += (size_t)w;
		compared++;
	}
	cr_assert_eq(i, n, "llvm printed %zu of %zu slots", i, n);
	cr_assert_gt(compared, 2000);
	free(out);
	free(p);
	unlink(src);
	unlink(obj);
	rmdir(dir);
}

Test(disasm, random_programs_of_all_rows_round_trip_in_both_dialects)
{
	for (int dia = BK_DIALECT_LLVM; dia <= BK_DIALECT_CONFORMANCE; dia++) {
		size_t n, m;
		struct bk_insn *p = bk_test_random_program(5000, 7 + (uint64_t)dia, false, &n), *back;
		char *text = bk_test_disasm_text(p, n, (enum bk_dialect)dia);
		struct bk_diag d;

		cr_assert_eq(bk_asm(text, strlen(text),
				    BK_OPTS(bk_asm_opts, .dialect = (enum bk_dialect)dia), &back, &m,
				    &d),
			     0, "%u:%u %s", d.line, d.col, d.msg);
		cr_assert_eq(m, n);
		cr_assert_arr_eq(back, p, n * 8);
		free(back);
		free(text);
		free(p);
	}
}

Test(disasm, labels_and_helper_names_still_assemble)
{
	const struct bk_insn p[] = {
		BK_MOV64_IMM(BK_R1, 2), BK_JMP_IMM(BK_JEQ, BK_R1, 0, 2), BK_CALL_HELPER(5),
		BK_JA(-4), BK_EXIT(),
	};
	char *text = NULL;
	struct bk_insn *back;
	size_t n;

	cr_assert_eq(bk_disasm(p, 5, BK_OPTS(bk_disasm_opts, .labels = true, .helper_names = true),
			       bk_test_append, &text),
		     0);
	cr_assert_str_eq(text, "L0:\nr1 = 2\nif r1 == 0 goto L4\ncall 5 # bpf_ktime_get_ns\n"
			       "goto L0\nL4:\nexit\n");
	cr_assert_eq(bk_asm(text, strlen(text), NULL, &back, &n, NULL), 0);
	cr_assert_arr_eq(back, p, sizeof(p));
	free(back);
	free(text);
}

Test(disasm, slots_that_do_not_decode_are_printed_raw)
{
	const struct bk_insn p[] = { BK_RAW_INSN(0xff, 1, 2, 3, 4), BK_EXIT() };
	const struct bk_insn cut[] = { BK_RAW_INSN(0x18, 1, 0, 0, 4) };
	char *text = NULL, buf[100];

	cr_assert_eq(bk_disasm(p, 2, BK_OPTS(bk_disasm_opts, .index = true), bk_test_append, &text),
		     -EINVAL);
	cr_assert_str_eq(text, "   0: .8byte 0x00000004000321ff # unknown opcode 0xff\n   1: exit\n");
	free(text);
	cr_assert_eq(bk_disasm_one(cut, 1, 0, NULL, buf, sizeof(buf)), -EINVAL,
		     "a truncated ld_imm64");
	cr_assert_eq(bk_disasm_one(p, 2, 2, NULL, buf, sizeof(buf)), -EINVAL);
}

/* Disassemble p in a dialect (labels or not), assemble the text back: the
 * same bytes, whatever they were. */
static void round_trip(const struct bk_insn *p, size_t n, enum bk_dialect dia, bool labels)
{
	char *text = NULL;
	struct bk_insn *back = NULL;
	struct bk_diag d;
	size_t m = 0;

	bk_disasm(p, n, BK_OPTS(bk_disasm_opts, .dialect = dia, .labels = labels), bk_test_append,
		  &text);
	cr_assert_not_null(text);
	cr_assert_eq(bk_asm(text, strlen(text), BK_OPTS(bk_asm_opts, .dialect = dia), &back, &m, &d),
		     0, "dialect %d labels %d: %u:%u %s", dia, labels, d.line, d.col, d.msg);
	cr_assert_eq(m, n);
	for (size_t i = 0; i < n; i++)
		cr_assert(!memcmp(&back[i], &p[i], 8), "dialect %d labels %d: slot %zu differs",
			  dia, labels, i);
	free(back);
	free(text);
}

static void round_trip_all(const struct bk_insn *p, size_t n)
{
	for (int dia = BK_DIALECT_LLVM; dia <= BK_DIALECT_CONFORMANCE; dia++)
		for (int labels = 0; labels < 2; labels++)
			round_trip(p, n, (enum bk_dialect)dia, labels);
}

Test(disasm, any_bytes_round_trip_in_both_dialects_with_and_without_labels, .timeout = 60)
{
	uint64_t seed = 42;
	size_t n, valid;
	struct bk_insn *p = bk_test_random_program(20000, 5, false, &valid);

	/* valid slots with one field disturbed now and then (reserved fields,
	 * registers past r10, broken ld_imm64 halves), then plain noise */
	n = valid;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = bk_test_rand(&seed);
		uint8_t *b = (uint8_t *)&p[i];

		if (r % 4 == 0)
			b[1 + (r >> 8) % 7] ^= (uint8_t)(1u << ((r >> 16) % 8));
		if (r % 97 == 1)
			b[0] = (uint8_t)(r >> 24);
	}
	round_trip_all(p, n);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8; k += 4) {
			uint32_t r = bk_test_rand(&seed);

			memcpy((uint8_t *)&p[i] + k, &r, 4);
		}
	round_trip_all(p, n);
	free(p);
}

Test(disasm, invalid_encodings_print_as_data_saying_what_is_wrong)
{
	const struct bk_insn p[] = {
		BK_RAW_INSN(0x07, 1, 0, 4, 1),	  /* r1 += 1 with off 4 */
		BK_RAW_INSN(0x95, 0, 0, 0, 7),	  /* exit with an imm */
		BK_RAW_INSN(0x18, 1, 0, 2, 1),	  /* ld_imm64 with an off */
		BK_RAW_INSN(0, 0, 0, 0, 0),
		BK_RAW_INSN(0xbf, 12, 1, 0, 0),	  /* r12 = r1 */
		BK_RAW_INSN(0x18, 1, 0, 0, 1),	  /* ld_imm64 ... */
		BK_RAW_INSN(0, 3, 0, 0, 0),	  /* ... whose second half has a dst */
		BK_RAW_INSN(0x18, 1, 0, 0, 1),	  /* truncated */
	};
	const char *want[] = {
		".8byte 0x0000000100040107 # alu_imm: off must be 0",
		".8byte 0x0000000700000095 # exit: imm must be 0",
		".8byte 0x0000000100020118 # ld_imm64: off must be 0",
		".8byte 0x0000000000000000 # opcode 0x00 without a ld_imm64 before it",
		".8byte 0x0000000000001cbf # alu_reg: no register r12",
		".8byte 0x0000000100000118 # ld_imm64: second slot dst_reg must be 0",
		".8byte 0x0000000000000300 # opcode 0x00 without a ld_imm64 before it",
		".8byte 0x0000000100000118 # ld_imm64: second slot missing (the program ends)",
	};
	char buf[200];
	size_t n = sizeof(p) / sizeof(p[0]);

	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(bk_disasm_one(p, n, i, NULL, buf, sizeof(buf)), -EINVAL, "slot %zu", i);
		cr_assert_str_eq(buf, want[i]);
	}
	round_trip_all(p, n);
}

Test(disasm, kfunc_module_index_and_btf_id_module_fd_are_kept)
{
	const struct bk_insn p[] = {
		BK_RAW_INSN(0x85, 0, BK_PSEUDO_KFUNC_CALL, 3, 1234),
		BK_RAW_INSN(0x18, 2, BK_PSEUDO_BTF_ID, 0, 77), BK_RAW_INSN(0, 0, 0, 0, 5),
		BK_EXIT(),
	};
	char *text = NULL;

	cr_assert_eq(bk_disasm(p, 4, NULL, bk_test_append, &text), 0);
	cr_assert_str_eq(text, "call kfunc 1234, 3\nld_pseudo r2, 3, 77, 5\nexit\n");
	free(text);
	round_trip_all(p, 4);
}

Test(disasm, labels_of_local_calls_and_odd_targets_reassemble)
{
	const struct bk_insn p[] = {
		BK_RAW_INSN(0x85, 0, BK_PSEUDO_CALL, 0, 3), /* call a function at 4 */
		BK_JA(5),				    /* just past the end: 7 */
		BK_JA(-9),				    /* before the start */
		BK_JA(1),				    /* into a ld_imm64 */
		BK_RAW_INSN(0x18, 0, 0, 0, 1), BK_RAW_INSN(0, 0, 0, 0, 0), BK_EXIT(),
	};
	char *text = NULL;

	cr_assert_eq(bk_disasm(p, 7, BK_OPTS(bk_disasm_opts, .labels = true), bk_test_append,
			       &text),
		     0);
	cr_assert_str_eq(text, "call L4\ngoto L7\ngoto -9\ngoto +1\nL4:\nr0 = 1 ll\nexit\nL7:\n");
	free(text);
	text = NULL;
	cr_assert_eq(bk_disasm(p, 7, BK_OPTS(bk_disasm_opts, .labels = true,
					     .dialect = BK_DIALECT_CONFORMANCE),
			       bk_test_append, &text),
		     0);
	cr_assert_str_eq(text, "call local L4\nja L7\nja -9\nja +1\nL4:\nlddw %r0, 0x1\nexit\nL7:\n");
	free(text);
	round_trip_all(p, 7);
}
