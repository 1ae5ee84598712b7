// SPDX-License-Identifier: MIT
/* libFuzzer target: the assembler in both dialects must never crash, leak or
 * read out of bounds; what it accepts must disassemble and re-assemble to the
 * same bytes; what it rejects must say where. The same input read as bytes
 * (its first multiple of 8) must survive disasm then asm unchanged, in both
 * dialects, with and without labels: the disassembler never loses a bit.
 * And bk_disasm() (its fast printer first) prints each slot exactly as
 * bk_disasm_one() (the general printer) does. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/asm.h>
#include <bpfkit/disasm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void append(void *ctx, const char *text, size_t len)
{
	char **buf = ctx;
	size_t have = *buf ? strlen(*buf) : 0;
	char *nb = realloc(*buf, have + len + 1);

	if (!nb)
		abort();
	memcpy(nb + have, text, len);
	nb[have + len] = '\0';
	*buf = nb;
}

static void one(const uint8_t *data, size_t size, enum bk_dialect dia)
{
	struct bk_insn *p = NULL, *q = NULL;
	size_t n, m;
	struct bk_diag d;
	char *text = NULL;

	if (bk_asm((const char *)data, size, BK_OPTS(bk_asm_opts, .dialect = dia), &p, &n, &d)) {
		if (d.line == 0 || d.msg[0] == '\0')
			abort();
		return;
	}
	bk_disasm(p, n, BK_OPTS(bk_disasm_opts, .dialect = dia), append, &text);
	if (!text || bk_asm(text, strlen(text), BK_OPTS(bk_asm_opts, .dialect = dia), &q, &m, &d) ||
	    m != n || memcmp(p, q, n * sizeof(*p)))
		abort();
	free(text);
	free(p);
	free(q);
}

/* The input's first n whole slots, copied to aligned memory. */
static struct bk_insn *slots(const uint8_t *data, size_t n)
{
	struct bk_insn *p = malloc(n * sizeof(*p));

	if (!p)
		abort();
	memcpy(p, data, n * sizeof(*p));
	return p;
}

static void bytes(const uint8_t *data, size_t size, enum bk_dialect dia, bool labels)
{
	size_t n = size / 8, m = 0;
	struct bk_insn *p, *q = NULL;
	char *text = NULL;

	if (!n)
		return;
	p = slots(data, n);
	bk_disasm(p, n, BK_OPTS(bk_disasm_opts, .dialect = dia, .labels = labels), append, &text);
	if (!text || bk_asm(text, strlen(text), BK_OPTS(bk_asm_opts, .dialect = dia), &q, &m, NULL) ||
	    m != n || memcmp(p, q, n * sizeof(*p)))
		abort();
	free(text);
	free(p);
	free(q);
}

/* bk_disasm()'s text equals the lines of bk_disasm_one(), slot by slot. */
static void same_as_general(const uint8_t *data, size_t size, enum bk_dialect dia)
{
	size_t n = size / 8, at = 0;
	struct bk_insn *p;
	char *text = NULL, line[256];

	if (!n)
		return;
	p = slots(data, n);
	bk_disasm(p, n, BK_OPTS(bk_disasm_opts, .dialect = dia), append, &text);
	if (!text)
		abort();
	for (size_t i = 0; i < n;) {
		int w = bk_disasm_one(p, n, i, BK_OPTS(bk_disasm_opts, .dialect = dia), line,
				      sizeof(line));
		size_t len = strlen(line);

		if (strncmp(text + at, line, len) != 0 || text[at + len] != '\n')
			abort();
		at += len + 1;
		i += w > 0 ? (size_t)w : 1;
	}
	if (text[at] != '\0')
		abort();
	free(text);
	free(p);
}

static void discard(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

/* The fast printer's tables are built at the first long disassembly and
 * kept: one now, in each dialect, so that every input, however short, goes
 * through the fast printer too. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct bk_insn zeros[4096];

	(void)argc;
	(void)argv;
	bk_disasm(zeros, 4096, BK_OPTS(bk_disasm_opts, .dialect = BK_DIALECT_LLVM), discard, NULL);
	bk_disasm(zeros, 4096, BK_OPTS(bk_disasm_opts, .dialect = BK_DIALECT_CONFORMANCE), discard,
		  NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	same_as_general(data, size, BK_DIALECT_LLVM);
	same_as_general(data, size, BK_DIALECT_CONFORMANCE);
	one(data, size, BK_DIALECT_LLVM);
	one(data, size, BK_DIALECT_CONFORMANCE);
	for (int labels = 0; labels < 2; labels++) {
		bytes(data, size, BK_DIALECT_LLVM, labels);
		bytes(data, size, BK_DIALECT_CONFORMANCE, labels);
	}
	return 0;
}
