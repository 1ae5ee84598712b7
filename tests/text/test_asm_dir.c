// SPDX-License-Identifier: MIT
/* Assembler directives: clang -S output at every -mcpu assembles, section by
 * section, to llvm-mc-19's bytes; data directives fill code slots; what a
 * directive cannot honour is an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/asm.h>

#include "../lib/bk_test.h"
#include "text_test.h"

static const char prog_c[] =
	"#define SEC(x) __attribute__((section(x), used))\n"
	"struct { int x; } counts SEC(\".maps\");\n"
	"static void *(*lookup)(void *map, const void *key) = (void *)1;\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n"
	"int counter = 7;\n"
	"const char msg[] = \"a;b # \\\"c\\\" /* d */\\n\";\n"
	"static __attribute__((noinline)) int sub(int a) { return a * 3 + counter; }\n"
	"SEC(\"xdp\") int prog(int *ctx) {\n"
	"	int k = 0; long *v = lookup(&counts, &k);\n"
	"	if (v) *v += sub(ctx[1] - ctx[0]);\n"
	"	for (int i = 0; i < 4; i++) if (ctx[i] > 5) k += i;\n"
	"	return msg[k & 3] + 2;\n"
	"}\n"
	"SEC(\"tc\") int prog2(void *ctx) { return sub(3); }\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(asm_dir, clang_output_assembles_to_llvm_mc_bytes_per_section, .timeout = 120)
{
	static const char *const cpus[] = { "v1", "v2", "v3", "v4" };
	static const char *const secs[] = { ".text", "xdp", "tc" };
	char dir[] = "/tmp/bk-clang-XXXXXX", cmd[1024];
	int compared = 0;

	BK_REQUIRE_TOOL("clang-19");
	BK_REQUIRE_TOOL("llvm-mc-19");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/p.c", dir);
	write_file(cmd, prog_c);
	for (size_t c = 0; c < 4; c++) {
		char *text;

		snprintf(cmd, sizeof(cmd),
			 "clang-19 -O2 -g -target bpf -mcpu=%s -S %s/p.c -o %s/p.s && "
			 "llvm-mc-19 -triple bpfel -mcpu=%s -filetype=obj %s/p.s -o %s/p.o 2>/dev/null",
			 cpus[c], dir, dir, cpus[c], dir, dir);
		if (system(cmd) != 0)
			continue; /* clang -S text llvm-mc itself rejects: nothing to compare */
		snprintf(cmd, sizeof(cmd), "%s/p.s", dir);
		text = bk_test_read_file(cmd, NULL);
		for (size_t k = 0; k < 3; k++) {
			struct bk_insn *p;
			struct bk_diag d;
			size_t n, len;
			uint8_t *ref;

			snprintf(cmd, sizeof(cmd), "%s/p.o", dir);
			ref = bk_test_elf_section(cmd, secs[k], &len);
			cr_assert_not_null(ref, "%s: no %s", cpus[c], secs[k]);
			cr_assert_eq(bk_asm(text, strlen(text),
					    BK_OPTS(bk_asm_opts, .section = secs[k], .file = "p.s"), &p,
					    &n, &d),
				     0, "%s %s: %u:%u %s", cpus[c], secs[k], d.line, d.col, d.msg);
			cr_assert_eq(n * 8, len, "%s %s", cpus[c], secs[k]);
			cr_assert_arr_eq(p, ref, len, "%s %s", cpus[c], secs[k]);
			compared++;
			free(p);
			free(ref);
		}
		free(text);
	}
	cr_assert_geq(compared, 6, "at least two -mcpu levels compared");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static void expect_error(const char *src, const char *section, const char *msg)
{
	struct bk_insn *p = NULL;
	size_t n;
	struct bk_diag d;
	char buf[300];

	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .file = "x.s", .section = section),
			    &p, &n, &d),
		     -EINVAL, "%s", src);
	cr_assert_null(p);
	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)), msg);
}

Test(asm_dir, sections_calls_symbols_and_data)
{
	static const char src[] = "\t.text\n"
				  "\t.globl f\n"
				  "\t.type f,@function\n"
				  "f:\n"
				  "\tcall g\n"
				  "\tcall h # another section: relocated, -1\n"
				  "\tr1 = counts ll\n"
				  "\texit\n"
				  "g:\texit\n"
				  "\t.byte 0x95, 0\n"
				  "\t.short 0\n"
				  "\t.long 0\n"
				  "\t.section xdp,\"ax\",@progbits\n"
				  "h:\texit\n"
				  "\t.section .maps,\"aw\",@progbits\n"
				  "counts:\n"
				  "\t.long .Lx - .Ly # data sections are skipped\n";
	struct bk_insn *p;
	size_t n;

	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .section = ".text"), &p, &n, NULL),
		     0);
	cr_assert_eq(n, 7);
	cr_assert(p[0].code == 0x85 && p[0].src_reg == 1 && p[0].imm == 4, "call g resolved");
	cr_assert(p[1].code == 0x85 && p[1].src_reg == 1 && p[1].imm == -1, "call h relocated");
	cr_assert(p[2].code == 0x18 && p[2].imm == 0 && p[3].imm == 0, "symbol: zero");
	cr_assert(p[6].code == 0x95, "data directives fill a slot");
	free(p);
	cr_assert_eq(bk_asm(src, strlen(src), BK_OPTS(bk_asm_opts, .section = "xdp"), &p, &n, NULL),
		     0);
	cr_assert(n == 1 && p[0].code == 0x95);
	free(p);
	expect_error(src, NULL, "x.s:1:1: 2 code sections (.text, xdp): choose one with the "
				"section option");
	expect_error(src, "nope", "x.s:1:1: no section 'nope' in the input");
	expect_error("r1 = nothing ll\nexit\n", NULL,
		     "x.s:1:6: unknown symbol 'nothing' (not defined or declared here)");
	expect_error("\t.byte 1\nexit\n", NULL,
		     "x.s:1:1: data in code section '.text' ends 1 bytes into an 8-byte slot");
	expect_error("\t.frobnicate 3\nexit\n", NULL,
		     "x.s:1:2: unknown directive '.frobnicate' in '.frobnicate 3'");
	expect_error("\t.byte 256\nexit\n", NULL,
		     "x.s:1:8: immediate 256 out of range for 8 bits in '.byte 256'");
	expect_error("\t.p2align 4\nexit\n\t.p2align 4\n", NULL,
		     "x.s:3:2: alignment to 16 bytes would pad the code in '.p2align 4'");
	expect_error("goto L\n.section b,\"ax\"\nL: exit\n", NULL,
		     "x.s:1:6: label 'L' is in another section ('b')");
}

Test(asm_dir, strings_keep_their_bytes)
{
	static const char src[] = "\t.ascii \"a;b #c\\\"\\n\"\n\t.asciz \"x/*yzzz\"\n\texit\n";
	struct bk_insn *p;
	size_t n;

	cr_assert_eq(bk_asm(src, strlen(src), NULL, &p, &n, NULL), 0);
	cr_assert_eq(n, 3);
	cr_assert_arr_eq(p, "a;b #c\"\nx/*yzzz", 16);
	cr_assert_eq(p[2].code, 0x95);
	free(p);
}
