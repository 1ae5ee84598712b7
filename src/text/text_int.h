/* SPDX-License-Identifier: MIT */
/* Private to src/text: template access shared by the printer and parser. */
#ifndef BK_TEXT_INT_H
#define BK_TEXT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <bpfkit/asm.h>
#include <bpfkit/insn.h>

#include "../common/common_int.h"

/* The row's template for a dialect (AUTO reads as LLVM). */
static inline const char *bk__tpl(const struct bk_insn_info *r, enum bk_dialect d)
{
	return d == BK_DIALECT_CONFORMANCE ? r->conf : r->llvm;
}

/* Character classes by arithmetic: the <ctype.h> calls (through the locale)
 * were a fifth of the assembler's time. */
static inline bool bk__is_digit(char c)
{
	return (unsigned)(c - '0') < 10;
}

static inline bool bk__is_alpha(char c)
{
	return (unsigned)((c | 32) - 'a') < 26;
}

static inline bool bk__is_space(char c)
{
	return c == ' ' || (unsigned)(c - '\t') < 5;
}

static inline char bk__lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A character of a label or mnemonic. */
static inline bool bk__is_ident(char c)
{
	return bk__is_alpha(c) || bk__is_digit(c) || c == '_' || c == '.';
}

/* A character of an LLVM token word (identifiers, numbers, '$'). */
static inline bool bk__is_word(char c)
{
	return bk__is_ident(c) || c == '$';
}

/* Memory operands: their 32-bit forms still take a 64-bit base register. */
static inline bool bk__is_mem(const struct bk_insn_info *r)
{
	return r->shape == BK_SHAPE_LDX || r->shape == BK_SHAPE_STX ||
	       r->shape == BK_SHAPE_LOAD_ACQ || r->shape == BK_SHAPE_STORE_REL;
}

/* Where a 32-bit register may be spelled rN: memory operands, and LLVM's
 * old "lock *(u32 *)(r2 + 16) += r9" (its XADDW spelling). */
static inline bool bk__r_for_w(const struct bk_insn_info *r)
{
	return bk__is_mem(r) || r->id == BK_OP_ATOMIC32_ADD;
}

/* The assembler's hash of line shapes (asm_shape.c). */
struct bk__shapes;

/* The shape hash of a line (LLVM dialect): see asm_shape.c. */
uint64_t bk__shape_of(const char *s, const char *e);

/* The same in one pass over a raw line, finding the statement's bounds;
 * false when the line needs the full path (see asm_shape.c). */
bool bk__shape_scan(const char *p, const char *e, uint64_t *hash, const char **s,
		    const char **end);

/* Build the shape index of the table's LLVM templates; free() it. */
int bk__shapes_build(const struct bk_insn_info *rows, size_t nrows, struct bk__shapes **out);

/* The rows (indices into the table, in table order) of shape hash h, *n of
 * them; NULL when none. */
const uint16_t *bk__shapes_find(const struct bk__shapes *t, uint64_t h, size_t *n);

/* The room a printed line may take: a label line, an index and an
 * instruction, and the bytes the fast printer writes past its end. */
#define BK__DISASM_LINE 320

/* The disassembler's fast printer (disasm_fast.c): the rows it prints,
 * compiled from the table once per process and option set (disasm.c
 * keeps them). */
struct bk__dfast;

/* Compile the table for a dialect, for printing without labels; helpers:
 * helper calls are annotated (the general printer does that); index: lines
 * start with "%4zu: ". 0 or -ENOMEM. */
int bk__dfast_new(enum bk_dialect dia, bool helpers, bool index, struct bk__dfast **out);

void bk__dfast_free(struct bk__dfast *t);

/* Print the slots from *i on, one line each, into buf (room bytes) while
 * they are rows it prints and a line's room is left; *i is moved past them.
 * Returns the bytes written. */
size_t bk__dfast_run(const struct bk__dfast *t, const struct bk_insn *insns, size_t n, size_t *i,
		     char *buf, size_t room);

#endif /* BK_TEXT_INT_H */
