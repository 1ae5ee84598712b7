/* SPDX-License-Identifier: MIT */
/* Private to the assembler: its state and what its files share. asm.c reads
 * lines, directives, labels and drives; asm_match.c matches a statement
 * against the table's templates; asm_shape.c is the fast path's index. */
#ifndef BK_ASM_INT_H
#define BK_ASM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text_int.h"

#define MAX_LINE 512

struct fixup {
	size_t slot;	  /* instruction to patch */
	char label[64];	  /* target name */
	uint32_t line, col;
	bool wide;	  /* imm (gotol, call) rather than off */
	bool call;	  /* "call NAME" that named no helper: a function or nothing */
	bool sym;	  /* a symbol operand: only checked to exist */
	size_t sec;	  /* the section of the slot */
};

struct bucket {
	char key[24];
	uint16_t row;
	uint16_t end; /* one past the last entry with the same key */
	/* A prefilter: the template's literal text right after the key (a
	 * space stands for any blanks) and what kind of operand follows it.
	 * Most rows of a big bucket ("R =": 43 rows) differ right there. */
	char lit[21];
	char next;  /* what the next placeholder takes first: see class_ok() */
	char first; /* the same for a register the line starts with, or 0 */
};

/* The statement being assembled: its original text (for messages) and the
 * source column of each character of its cleaned copy. */
struct stmt {
	const char *orig;
	size_t orig_len;
	uint32_t cols[MAX_LINE + 1];
};

/* A section of the input: ".text" until a directive says otherwise. */
struct asm_sec {
	char name[64];
	bool code;		/* executable: its statements are instructions */
	struct bk_insn *out;	/* its slots */
	uint32_t *lines;	/* source line of each slot */
	size_t n, cap;
	uint8_t pend[8];	/* data bytes of a slot not yet complete */
	unsigned npend;
	uint32_t pend_line;	/* where that slot's data began */
};

struct asm_state {
	enum bk_dialect dia;
	const struct bk_asm_opts *opts;
	struct bk_diag *diag;
	const struct bk_insn_info *rows;
	struct bucket *buckets;
	size_t nbuckets;
	struct bk_insn *out;
	uint32_t *lines;
	size_t n, cap;
	struct fixup *fix;
	size_t nfix, capfix;
	char (*label)[64];
	size_t *label_at;
	uint32_t *label_line, *label_col;
	size_t nlabel, caplabel;
	uint32_t *ht;	   /* open-addressing index of labels: label number + 1, or 0 */
	size_t htcap;	   /* a power of two, at least twice nlabel */
	size_t first_exit; /* for the conformance "exit" label */
	struct asm_sec *secs; /* every section seen; secs[cur]'s slots live in out/n */
	size_t nsecs, cur;
	int32_t *label_sec; /* the section of each label; -1: only declared (.globl) */
	bool in_block;	   /* inside a block comment that began on an earlier line */
	const struct stmt *sm; /* the statement being assembled */
	struct bk__shapes *shapes; /* LLVM dialect: rows by the shape of a line */
	uint32_t line;
	/* the furthest failure of the current line */
	size_t best_pos, best_rank;
	const char *best_fmt;
	const char *best_what, *pending_what;
	char best_arg[64];
	const char *best_at, *best_end, *best_arg_ptr;
	bool copy_arg; /* the next failure's arg lives on a stack frame */
	size_t bonus;  /* added to the next failure's rank: the likelier row */
	char best_msg[160];
};

/* One operand-matching attempt of a line against a template. */
struct match {
	const char *s, *e; /* the line */
	const char *p;	   /* cursor */
	struct bk_decoded d;
	bool map_ref;	   /* %K was map[NAME] */
	char label[64];	   /* %J/%G named a label */
	size_t label_pos;
	bool call_by_name; /* "call NAME", NAME not a helper: a local call to a label */
	bool sym_ref;	   /* %K was a symbol ("r1 = counts ll"): 0, relocated */
	uint8_t seen;	   /* TIE_DST/TIE_SRC: that register was already read */
};

#define TIE_DST 1
#define TIE_SRC 2




/* Skip blanks at the match cursor. */
void bk__skip_ws(struct match *m);

/* The token at p (a word, a number with its sign, or punctuation) copied
 * into buf for messages. */
const char *bk__word(const char *p, const char *e, char *buf, size_t size);

/* A number at the cursor within [lo, hi]; what names the field in errors. */
bool bk__parse_num(struct asm_state *st, struct match *m, long long lo, unsigned long long hi,
		   const char *what, uint64_t *out);

/* Whether the statement m->s..m->e is row r; operands land in m. A failure
 * is recorded in st when it explains the line better than earlier ones. */
bool bk__match_row(struct asm_state *st, struct match *m, const struct bk_insn_info *r);

/* The rows by bucket key (first word, or "R" and the operator). */
int bk__build_buckets(struct asm_state *st);
size_t bk__key_of(const char *s, const char *e, char *key, size_t size);
size_t bk__find_bucket(const struct asm_state *st, const char *key);
bool bk__may_match(const struct asm_state *st, const struct bucket *b, const char *s,
		   size_t tail, const char *e);

/* asm.c, for asm_dir.c: */
int bk__asm_emit(struct asm_state *st, const struct bk_insn *slots, int w);
int bk__asm_locate(struct asm_state *st, uint32_t col, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Declare a symbol (.globl NAME): known, even if defined nowhere here. */
int bk__asm_declare(struct asm_state *st, const char *name, size_t len, uint32_t col);
/* Grow array *p (of elem-byte items, *cap of them) to hold need: 0 or -ENOMEM. */
int bk__asm_grow(void **p, size_t *cap, size_t need, size_t elem);
/* Define label name (len bytes) at the current slot: 0 or an error at col. */
int bk__asm_add_label(struct asm_state *st, const char *name, size_t len, uint32_t col);
/* The number of label name, or -1. */
long bk__asm_find_label(const struct asm_state *st, const char *name);
/* Make the section called name (code or data) the current one. */
int bk__asm_section(struct asm_state *st, const char *name, size_t len, bool code);

/* asm_dir.c: a statement starting with '.' (s is cleaned, len > 0). */
int bk__asm_directive(struct asm_state *st, const char *s, size_t len, const struct stmt *sm);
/* Data bytes into the current section (code: they fill slots). */
int bk__asm_data(struct asm_state *st, const uint8_t *b, size_t n);
/* A code section's data must end on a slot boundary. */
int bk__asm_data_end(struct asm_state *st);

#endif /* BK_ASM_INT_H */
