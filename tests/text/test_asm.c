// SPDX-License-Identifier: MIT
/* The assembler: every row in both dialects, labels, names, and errors with
 * their exact file:line:col; plus llvm-mc-19 agreement on random programs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/asm.h>
#include <bpfkit/disasm.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"
#include "text_test.h"

static struct bk_insn *assemble(const char *text, enum bk_dialect d, size_t *n)
{
	struct bk_insn *out = NULL;
	struct bk_diag diag;
	char where[300];
	int err = bk_asm(text, strlen(text), BK_OPTS(bk_asm_opts, .dialect = d), &out, n, &diag);

	cr_assert_eq(err, 0, "%s", bk_diag_format(&diag, where, sizeof(where)));
	return out;
}

Test(asm, every_row_round_trips_through_disasm_in_both_dialects)
{
	size_t n;
	const struct bk_insn_info *t = bk_insn_table(&n);

	for (int dia = BK_DIALECT_LLVM; dia <= BK_DIALECT_CONFORMANCE; dia++)
		for (size_t i = 0; i < n; i++) {
			struct bk_decoded d = bk_test_operands(&t[i]);
			struct bk_insn enc[2], *back;
			char text[200];
			size_t cnt;
			int w = bk_insn_encode(&t[i], &d, enc);

			bk_disasm_one(enc, (size_t)w, 0,
				      BK_OPTS(bk_disasm_opts, .dialect = (enum bk_dialect)dia), text,
				      sizeof(text));
			back = assemble(text, (enum bk_dialect)dia, &cnt);
			cr_assert_eq(cnt, (size_t)w, "%s: '%s'", t[i].name, text);
			cr_assert_arr_eq(back, enc, (size_t)w * 8, "%s: '%s'", t[i].name, text);
			free(back);
		}
}

Test(asm, labels_comments_and_both_spellings_of_helpers)
{
	const char *src = "# count down\n"
			  "  r1 = 3 # three\n"
			  "loop: r1 -= 1 // body\n"
			  "  if r1 != 0 goto loop\n"
			  "  call bpf_ktime_get_ns\n"
			  "  call ktime_get_ns\n"
			  "  call 5\n"
			  "  exit\n";
	size_t n;
	struct bk_insn *p = assemble(src, BK_DIALECT_AUTO, &n);

	cr_assert_eq(n, 7);
	cr_assert_eq(p[2].code, BK_JMP | BK_JNE | BK_K);
	cr_assert_eq(p[2].off, -2);
	for (int i = 3; i < 6; i++)
		cr_assert(p[i].code == 0x85 && p[i].imm == 5);
	free(p);
}

Test(asm, conformance_conventions)
{
	const char *src = "mov %r0, 1\n"
			  "jne %r0, 2, exit\n" /* the suite's implicit label: the first exit */
			  "call local f\n"
			  "swap16 %r0\n"
			  "call helper 5\n"
			  "lddw %r1, 0xffffffffffffffff\n"
			  "exit\n"
			  "f:\n"
			  "mov32 %r0, -1\n"
			  "exit\n";
	size_t n;
	struct bk_insn *p = assemble(src, BK_DIALECT_AUTO, &n);

	cr_assert_eq(n, 10);
	cr_assert_eq(p[1].off, 5, "jne to the first exit at 7");
	cr_assert(p[2].src_reg == BK_PSEUDO_CALL && p[2].imm == 5);
	cr_assert(p[3].code == 0xd7 && p[3].imm == 16);
	cr_assert(p[4].code == 0x85 && p[4].src_reg == 0 && p[4].imm == 5);
	cr_assert(p[5].imm == -1 && p[6].imm == -1);
	cr_assert(p[8].code == 0xb4 && p[8].imm == -1);
	free(p);
}

static int resolve_map(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "counts") ? -ENOENT : 42;
}

Test(asm, maps_by_name_are_resolved_by_the_caller)
{
	const char *src = "r1 = map[counts] ll\nr0 = 0\nexit\n";
	struct bk_insn *p;
	size_t n;
	struct bk_diag d;

	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .map_fd = resolve_map), &p, &n,
			    &d),
		     0, "%s", d.msg);
	cr_assert(p[0].code == 0x18 && p[0].src_reg == BK_PSEUDO_MAP_FD && p[0].imm == 42);
	free(p);
	cr_assert_eq(bk_asm("r1 = map[nope] ll\nexit", 22,
			    BK_OPTS(bk_asm_opts, .map_fd = resolve_map), &p, &n, &d),
		     -EINVAL);
	cr_assert_str_eq(d.msg, "unknown map 'nope' in 'r1 = map[nope] ll'");
}

static void expect_error(const char *src, const char *where)
{
	struct bk_insn *p = (struct bk_insn *)1;
	size_t n;
	struct bk_diag d;
	char buf[300];

	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .file = "prog.s"), &p, &n, &d),
		     -EINVAL);
	cr_assert_null(p);
	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)), where);
}

Test(asm, errors_say_file_line_col_and_what)
{
	expect_error("r0 = 0\nmvo r1, 2\n", "prog.s:2:1: unknown instruction 'mvo'");
	expect_error("r0 = 0\n  r12 = 5\nexit", "prog.s:2:3: bad register 'r12' in 'r12 = 5'");
	expect_error("r1 = 5000000000\n",
		     "prog.s:1:6: immediate 5000000000 out of range for a 32-bit field in "
		     "'r1 = 5000000000'");
	expect_error("goto foo\nexit\n", "prog.s:1:6: undefined label 'foo'");
	expect_error("a: r0 = 0\n a: exit\n", "prog.s:2:2: duplicate label 'a' (first defined at 1:1)");
	expect_error("r1 += r2 r3\n", "prog.s:1:10: unexpected 'r3' after the instruction in "
				      "'r1 += r2 r3'");
	expect_error("lddw %r0\nexit\n", "prog.s:1:9: expected ',' in 'lddw %r0'");
	expect_error("# nothing\n", "prog.s:1:1: no instructions");
	expect_error("call x23456789012345678901234567890123456789012345678901234567890123456\n",
		     "prog.s:1:6: unknown helper "
		     "'x23456789012345678901234567890123456789012345678901234567890123' in "
		     "'call x23456789012345678901234567890123456789012345678901234567890123456'");
	expect_error("r0 = 0\ncall bpf_no_such_helper\nexit\n",
		     "prog.s:2:6: unknown helper 'bpf_no_such_helper' (and no function of that name)");
}

Test(asm, call_by_name_of_a_function_in_the_program_is_a_local_call)
{
	const char *src = "call helper_like\n"
			  "call bpf_ktime_get_ns\n"
			  "exit\n"
			  "helper_like:\n"
			  "r0 = 1\n"
			  "exit\n";
	size_t n;
	struct bk_insn *p = assemble(src, BK_DIALECT_LLVM, &n);

	cr_assert_eq(n, 5);
	cr_assert(p[0].code == 0x85 && p[0].src_reg == BK_PSEUDO_CALL && p[0].imm == 2,
		  "call pc+2 to the label");
	cr_assert(p[1].code == 0x85 && p[1].src_reg == 0 && p[1].imm == 5, "a helper stays a helper");
	free(p);
}

Test(asm, jump_out_of_16_bit_range)
{
	size_t len = 40000 * 7 + 64;
	char *src = malloc(len), *p = src;
	struct bk_insn *out;
	size_t n;
	struct bk_diag d;

	p += sprintf(p, "goto far\n");
	for (int i = 0; i < 40000; i++)
		p += sprintf(p, "r0 = 0\n");
	sprintf(p, "far: exit\n");
	cr_assert_eq(bk_asm(src, strlen(src), NULL, &out, &n, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "jump to 'far' out of range of a 16-bit offset (40000)");
	cr_assert_eq(d.line, 1);
	cr_assert_eq(d.col, 6);
	free(src);
}

Test(asm, source_lines_of_each_slot)
{
	const char *src = "\nr1 = 1 ll\n\nexit\n";
	uint32_t *lines = NULL;
	struct bk_insn *p;
	size_t n;

	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .lines = &lines), &p, &n, NULL),
		     0);
	cr_assert_eq(n, 3);
	cr_assert(lines[0] == 2 && lines[1] == 2 && lines[2] == 4);
	free(lines);
	free(p);
}

/* llvm-mc-19 and bk_asm on the same thousands of random instructions. */
Test(asm_llvm, random_programs_assemble_to_the_same_bytes, .timeout = 120)
{
	char dir[] = "/tmp/bk-asm-XXXXXX", src[64], obj[80], cmd[256];
	size_t count = 4000, n, text_len;
	struct bk_insn *insns = bk_test_random_program(count, 1234, true, &count);
	struct bk_insn *ours;
	char *text = bk_test_disasm_text(insns, count, BK_DIALECT_LLVM);
	uint8_t *llvm_bytes;
	FILE *f;

	BK_REQUIRE_TOOL("llvm-mc-19");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/r.s", dir);
	snprintf(obj, sizeof(obj), "%s/r.o", dir);
	f = fopen(src, "w");
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s -o %s", src,
		 obj);
	cr_assert_eq(system(cmd), 0);
	llvm_bytes = bk_test_elf_text(obj, &text_len);
	ours = assemble(text, BK_DIALECT_LLVM, &n);
	cr_assert_eq(n * 8, text_len);
	cr_assert_arr_eq(ours, llvm_bytes, text_len);
	cr_assert_arr_eq(ours, insns, text_len);
	free(ours);
	free(llvm_bytes);
	free(text);
	free(insns);
	unlink(src);
	unlink(obj);
	rmdir(dir);
}

Test(asm, tied_operands_must_name_the_same_register)
{
	static const char *const bad[][2] = {
		{ "r0 = bswap16 r1", "prog.s:1:14: 'r1' must be the same register" },
		{ "r0 = be16 r1", "prog.s:1:11: 'r1' must be the same register" },
		{ "r0 = le32 r1", "prog.s:1:11: 'r1' must be the same register" },
		{ "r0 = -r1", "prog.s:1:7: 'r1' must be the same register" },
		{ "w0 = -w1", "prog.s:1:7: 'w1' must be the same register" },
		{ "r0 = atomic_fetch_add((u64 *)(r2 + 0), r1)",
		  "prog.s:1:40: 'r1' must be the same register" },
		{ "w0 = xchg32_32(r2 + 0, w1)", "prog.s:1:24: 'w1' must be the same register" },
		{ "lddw %r0, 1\nneg %r1\n", NULL },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]) && bad[i][1]; i++) {
		struct bk_insn *p;
		size_t n;
		struct bk_diag d;
		char buf[300];

		cr_assert_eq(bk_asm(bad[i][0], strlen(bad[i][0]),
				    BK_OPTS(bk_asm_opts, .file = "prog.s"), &p, &n, &d),
			     -EINVAL, "%s", bad[i][0]);
		bk_diag_format(&d, buf, sizeof(buf));
		cr_assert(!strncmp(buf, bad[i][1], strlen(bad[i][1])), "%s: %s", bad[i][0], buf);
	}
	/* the same register twice is fine */
	{
		size_t n;
		struct bk_insn *p = assemble("r3 = be16 r3\nw4 = -w4\n"
					     "r5 = atomic_fetch_add((u64 *)(r2 + 0), r5)\n",
					     BK_DIALECT_LLVM, &n);

		cr_assert_eq(n, 3);
		cr_assert(p[0].dst_reg == 3 && p[1].dst_reg == 4 && p[2].src_reg == 5);
		free(p);
	}
}

Test(asm, numbers_that_do_not_fit_are_errors)
{
	expect_error("r0 = 0x10000000000000000 ll\n",
		     "prog.s:1:6: immediate 0x10000000000000000 out of range for 64 bits in "
		     "'r0 = 0x10000000000000000 ll'");
	expect_error("lddw %r0, 18446744073709551616\nexit\n",
		     "prog.s:1:11: immediate 18446744073709551616 out of range for 64 bits in "
		     "'lddw %r0, 18446744073709551616'");
	expect_error("r0 = 99999999999999999999999\n",
		     "prog.s:1:6: immediate 99999999999999999999999 out of range for a 32-bit field "
		     "in 'r0 = 99999999999999999999999'");
	expect_error(".8byte 0x10000000000000000\n",
		     "prog.s:1:8: immediate 0x10000000000000000 out of range for 64 bits in "
		     "'.8byte 0x10000000000000000'");
}

Test(asm, raw_slots_and_the_local_call_spelling)
{
	size_t n;
	struct bk_insn *p = assemble(".8byte 0x0000000700000095, 1\n.quad -1\n"
				     "call pc+1\ncall pc-2\nexit\n",
				     BK_DIALECT_LLVM, &n);
	uint64_t w[3];

	cr_assert_eq(n, 6);
	memcpy(w, p, sizeof(w));
	cr_assert(w[0] == 0x0000000700000095ull && w[1] == 1 && w[2] == ~0ull);
	cr_assert(p[3].code == 0x85 && p[3].src_reg == BK_PSEUDO_CALL && p[3].imm == 1);
	cr_assert(p[4].src_reg == BK_PSEUDO_CALL && p[4].imm == -2);
	free(p);
	p = assemble(".8byte 0x95\n", BK_DIALECT_CONFORMANCE, &n);
	cr_assert(n == 1 && p[0].code == 0x95);
	free(p);
}

Test(asm, many_labels_assemble_in_linear_time, .timeout = 10)
{
	size_t count = 200000, n;
	char *src = malloc(count * 32), *q = src;
	struct bk_insn *p;

	/* every line a label and a jump 100 lines ahead (or back at the end):
	 * with a linear search per label this took minutes */
	for (size_t i = 0; i < count; i++)
		q += sprintf(q, "L%zu: goto L%zu\n", i, i + 100 < count ? i + 100 : i - 100);
	p = assemble(src, BK_DIALECT_LLVM, &n);
	cr_assert_eq(n, count);
	cr_assert(p[0].off == 99 && p[count - 1].off == -101);
	free(p);
	free(src);
}

Test(asm, conformance_decimal_immediates_are_signed_32_bit)
{
	size_t n;
	struct bk_insn *p = assemble("mov32 %r0, 0x80000000\nmov32 %r0, -2147483648\n"
				     "mov32 %r0, 2147483647\nlddw %r0, 2147483648\nexit\n",
				     BK_DIALECT_CONFORMANCE, &n);

	cr_assert(p[0].imm == INT32_MIN && p[1].imm == INT32_MIN && p[2].imm == INT32_MAX);
	cr_assert(p[3].imm == INT32_MIN && p[4].imm == 0);
	free(p);
	expect_error("mov32 %r0, 2147483648\n",
		     "prog.s:1:12: immediate 2147483648 out of range for a 32-bit field in "
		     "'mov32 %r0, 2147483648'");
}

/* Lines in LLVM's syntax with the freedom llvm-mc-19 allows (spacing, case,
 * octal/binary, ';' between statements, block comments, r11), from LLVM's
 * own MC tests for BPF and edge cases: the same bytes as llvm-mc-19. */
static const char *const llvm_accepts[] = {
	"r0=1",
	"r1 +=1",
	"r1 + = 1",
	"r1 s>>= 1",
	"r1 s >>= 1",
	"r1 s>> = 1",
	"*(u8*)(r2+42) = r1",
	"* ( u8 * ) ( r2 + 42 ) = r1",
	"r0 = * (u8 *)skb[0]",
	"r1 = (s8) r2",
	"r1 = ( s8 ) r2",
	"r1 = - r1",
	"goto+1",
	"R1 = 1",
	"EXIT",
	"Exit",
	"r1 = 010",
	"r1 = 0b101",
	"r1 = 1 // c",
	"r1 = 1 # c",
	"/* x */ r1 = 1",
	"r1 = 1 /* x */",
	"lock *(u32 *)(r2 + 16) += r9",
	"lock *(u32 *)(r2 + 16) += w9",
	"lock *(u64 *)(r2 + 16) += r9",
	"r1 = -1 ll",
	"r1 = 0xffffffff",
	"w1 = 0xffffffff",
	"w1 = -1",
	"call -1",
	"call 0x10",
	"if r1==1 goto+1",
	"if r1 s>= 1 goto +1",
	"if r1 s >= 1 goto +1",
	"if w1 < w2 goto -3",
	"r1 = be16 r1",
	"r1 = le64 r1",
	"w1 = -w1",
	"r1 = *(u8 *)(r2 - 0)",
	"r1 = *(u8 *)(r2 + 0x10)",
	"r1 = *(u64 *)(r10 - 8)",
	"w1 = *(u32 *)(r10 - 8)",
	"r1 = *(u32 *)(r10 - 8)",
	"*(u64 *)(r10 - 8) = 5",
	"*(u32 *)(r10 - 8) = -5",
	"r0 = *(u16 *)skb[r1]",
	"r0 = atomic_fetch_add((u64 *)(r2 + 0), r0)",
	"w0 = atomic_fetch_add((u32 *)(r2 + 0), w0)",
	"r0 = xchg_64(r2 + 0, r0)",
	"w0 = xchg32_32(r2 + 0, w0)",
	"r0 = cmpxchg_64(r2 + 0, r0, r3)",
	"w0 = cmpxchg32_32(r2 + 0, w0, w3)",
	"r1 = (s16)r2",
	"w1 = (s8)w2",
	"r1 = (s32)r2",
	"gotol +5",
	"may_goto +3",
	"callx r1",
	"r1 s/= 3",
	"r1 s%= r2",
	"w1 %= w2",
	"r1 = addr_space_cast(r2, 0, 1)",
	"r1 = bswap64 r1",
	"r0 = *(s8 *)(r1 + 0)",
	"ld_pseudo r1, 2, 3",
	"r1=r2",
	"r1=-5",
	"r1 = -0x10",
	"r1 = +5",
	"r1 -= -1",
	"w1 = w2",
	"r1 = 1 ll",
	"r1 = 0x7fffffffffffffff ll",
	"  r0 = * (u8 *)skb[0]",
	"  r0 = *(u16 *)skb[2]",
	"  r0 = * (u32*)skb[4]",
	"  r0 = * (u8 *)skb[r0]",
	"  r0 = *  (u16 *)skb[r1]",
	"  r0 = *(u32 *)skb[r2]",
	"  r9 = 0xffffffff ll",
	"  r9 = 8589934591 ll",
	"  r9 = 0x1ffffffff ll",
	"  r5 = *(u8 *)(r0 + 0)",
	"  r8 = *(u64 *)(r3 - 30)",
	"  *(u64 *)(r3 - 30) = r10",
	"  lock *(u64 *)(r3 - 30) += r10",
	"  if r2 >= 0xffffffff goto +1",
	"  if r4 s> 0xffffffff goto +1",
	"  r2 *= -4",
	"  r5 &= 0xFF",
	"  r10 s>>= 64",
	"  r9 = 0xffffffff",
	"r11 = 1",
	"r1 = r11",
	"w11 = 1",
	"*(u64 *)(r11 - 8) = r1",
	"Llabel0 :",
	"r1 = 1; r2 = 2 ;; exit",
	"r1 = 1 /* a */ ; /* b */ r2 = 2",
	"/* x */ r1 = 1 # y",
};

/* ... and what llvm-mc-19 rejects, we reject. */
static const char *const llvm_rejects[] = {
	"lock *(u32 *)(r2 + 16) |= r9",
	"lock *(u32 *)(r2 + 16) ^= r9",
	"IF r1 == 1 GOTO +1",
	"r1 = 1 LL",
	"w1 = -w2",
	"r1 = r2 ll",
	"go to +1",
	"r1 = 09",
	"r1 = 10h",
	"r1 = 1 ; comment?",
	"r1 = 18446744073709551616 ll",
	"r1 = *(u8 *)(r2 + -1)",
	"r1 = *(u8 *)(r2)",
	"r1 = r1 + 0",
	"w1 = r2",
	"r1 = w2",
	"if r1 == w2 goto +1",
	"goto +32768",
	"goto -32769",
	"r1 = *(u8 *)(r2 + 32768)",
	"r1 = *(u8 *)(r2 - 32769)",
	"call",
	"exit 1",
	"r1 = be16 w1",
	"r1 =",
	"= 1",
	"r1 == 1",
	"if r1 = 1 goto +1",
	"r1 = (s8)w2",
	"r1 = (u8)r2",
	"r1 = bswap8 r1",
	"r1 = le128 r1",
	"w1 = le16 w1",
	"r1 = *(u8 *)skb[0]",
	"r0 = *(u64 *)skb[0]",
	"r1 s= 1",
	"lock *(u16 *)(r1 + 0) += r2",
	"r1 = r2 + r3",
	"callx 1",
	"callx w1",
	"may_goto r1",
	"gotol r1",
	"r1 = 0b2",
	"r1 = 0x",
	"r1 = 1.5",
};

/* The documented differences: numbers that do not fit are errors (LLVM
 * truncates them), ld_ind keeps its legacy imm ("skb[r1 + 4]", LLVM has no
 * spelling), and "call pc+N" is a local call (LLVM reads a symbol "pc"). */
static const char *const ours_only[][2] = {
	{ "r1 = 4294967296", NULL },
	{ "r1 = -2147483649", NULL },
	{ "*(u8 *)(r2 + 1) = 0x100000000", NULL },
	{ "r0 = *(u16 *)skb[r1 + 4]", "\x48\x10\x00\x00\x04\x00\x00\x00" },
	{ "call pc+7", "\x85\x10\x00\x00\x07\x00\x00\x00" },
};

static int llvm_mc(const char *text, const char *dir, uint8_t **bytes, size_t *len)
{
	char src[80], obj[80], cmd[400];
	FILE *f;
	int rc;

	snprintf(src, sizeof(src), "%s/l.s", dir);
	snprintf(obj, sizeof(obj), "%s/l.o", dir);
	f = fopen(src, "w");
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "llvm-mc-19 -triple bpfel -mcpu=v4 -filetype=obj %s -o %s 2>/dev/null", src, obj);
	rc = system(cmd);
	if (rc == 0)
		*bytes = bk_test_elf_text(obj, len);
	unlink(src);
	unlink(obj);
	return rc;
}

Test(asm_llvm, what_llvm_mc_accepts_we_accept_with_the_same_bytes, .timeout = 120)
{
	char dir[] = "/tmp/bk-llvm-XXXXXX";
	size_t n_acc = sizeof(llvm_accepts) / sizeof(llvm_accepts[0]), total = 0, len, n;
	char *all = calloc(1, 16384);
	uint8_t *ref = NULL;
	struct bk_insn *ours;

	BK_REQUIRE_TOOL("llvm-mc-19");
	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < n_acc; i++) {
		uint8_t *one = NULL;
		size_t one_len = 0;

		strcat(strcat(all, llvm_accepts[i]), "\n");
		if (strchr(llvm_accepts[i], ':'))
			continue; /* a label alone assembles to nothing */
		cr_assert_eq(llvm_mc(llvm_accepts[i], dir, &one, &one_len), 0, "%s", llvm_accepts[i]);
		ours = assemble(llvm_accepts[i], BK_DIALECT_LLVM, &n);
		cr_assert_eq(n * 8, one_len, "%s", llvm_accepts[i]);
		cr_assert_arr_eq(ours, one, one_len, "%s", llvm_accepts[i]);
		free(ours);
		free(one);
	}
	cr_assert_eq(llvm_mc(all, dir, &ref, &len), 0);
	ours = assemble(all, BK_DIALECT_LLVM, &total);
	cr_assert_eq(total * 8, len);
	cr_assert_arr_eq(ours, ref, len);
	free(ours);
	free(ref);
	for (size_t i = 0; i < sizeof(llvm_rejects) / sizeof(llvm_rejects[0]); i++) {
		struct bk_diag d;

		cr_assert_neq(llvm_mc(llvm_rejects[i], dir, &ref, &len), 0, "llvm: %s", llvm_rejects[i]);
		cr_assert_eq(bk_asm(llvm_rejects[i], strlen(llvm_rejects[i]),
				    BK_OPTS(bk_asm_opts, .dialect = BK_DIALECT_LLVM, .file = "l.s"),
				    &ours, &n, &d),
			     -EINVAL, "ours accepted: %s", llvm_rejects[i]);
		cr_assert(d.line == 1 && d.col >= 1 && d.msg[0], "%s", llvm_rejects[i]);
	}
	for (size_t i = 0; i < sizeof(ours_only) / sizeof(ours_only[0]); i++) {
		int err = bk_asm(ours_only[i][0], strlen(ours_only[i][0]),
				 BK_OPTS(bk_asm_opts, .dialect = BK_DIALECT_LLVM), &ours, &n, NULL);

		cr_assert_eq(err, ours_only[i][1] ? 0 : -EINVAL, "%s", ours_only[i][0]);
		if (!err) {
			cr_assert_arr_eq(ours, ours_only[i][1], 8, "%s", ours_only[i][0]);
			free(ours);
		}
	}
	rmdir(dir);
	free(all);
}

Test(asm, statements_comments_and_columns_in_llvm_syntax)
{
	size_t n;
	struct bk_insn *p = assemble("/* a block\n comment */ r1 = 010 ; r2 = 0b11 /* x */ ;"
				     " EXIT\nLend :\n",
				     BK_DIALECT_LLVM, &n);

	cr_assert_eq(n, 3);
	cr_assert(p[0].imm == 8 && p[1].imm == 3 && p[2].code == 0x95);
	free(p);
	/* columns point into the original line, whatever the spacing */
	expect_error("r1 = 1 ;  r2 =  * ( u8 * ) ( r12 + 0 )\n",
		     "prog.s:1:30: bad register 'r12' in 'r2 =  * ( u8 * ) ( r12 + 0 )'");
	expect_error("r1 = 1 # ; r2 = r12\nr0 = 09\n",
		     "prog.s:2:6: expected a number, found '09' in 'r0 = 09'");
}

/* Found by fuzz_asm: an error after some slots leaked the section's slots
 * (make check SAN=1 tells). */
Test(asm, an_error_after_instructions_frees_them)
{
	static const char src[] = "r1 = 5\nloop: r1 -= 1\n\x10 abc\njne %r0, %r1, eexit\n";
	struct bk_insn *p = NULL;
	size_t n;

	cr_assert_eq(bk_asm(src, sizeof(src) - 1, NULL, &p, &n, NULL), -EINVAL);
	cr_assert_null(p);
}
