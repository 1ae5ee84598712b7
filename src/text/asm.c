// SPDX-License-Identifier: MIT
/*
 * The assembler. Each line is matched against the instruction table's
 * templates for the dialect (a bucket per first word, so a line tries only a
 * handful of rows); placeholders parse operands into a struct bk_decoded and
 * bk_insn_encode() does the rest. Labels are resolved in a second pass. On
 * failure the diagnostic comes from the attempt that got furthest into the
 * line: that is the row the author most likely meant.
 */
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/asm.h>
#include <bpfkit/names.h>

#include "asm_int.h"

/* Input size from which the shape index is built (see asm_shape.c). */
#define SHAPES_MIN_INPUT 16384

/* ---- output, labels, fixups ---- */

int bk__asm_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return bk__err(-ENOMEM);
	*p = np;
	*cap = ncap;
	return 0;
}

int bk__asm_emit(struct asm_state *st, const struct bk_insn *slots, int w)
{
	if (st->n + 2 > st->cap || !st->out || !st->lines) {
		size_t ncap = st->cap ? st->cap * 2 : 256;
		struct bk_insn *out = realloc(st->out, ncap * sizeof(*out));
		uint32_t *lines;

		if (!out)
			return -ENOMEM;
		st->out = out;
		lines = realloc(st->lines, ncap * sizeof(*lines));
		if (!lines)
			return -ENOMEM;
		st->lines = lines;
		st->cap = ncap;
	}
	for (int i = 0; i < w; i++) {
		st->out[st->n] = slots[i];
		st->lines[st->n++] = st->line;
	}
	return 0;
}

int bk__asm_locate(struct asm_state *st, uint32_t col, int err, const char *fmt, ...)
{
	va_list ap;

	if (st->diag) {
		struct bk_diag *d = st->diag;

		d->err = err;
		d->line = st->line;
		d->col = col;
		d->index = (uint32_t)st->n;
		snprintf(d->file, sizeof(d->file), "%s",
			 st->opts && st->opts->file ? st->opts->file : "<input>");
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	return bk__err(err);
}

/* Make secs[i] current: its slots move into st->out/n, the old ones back. */
static void load_section(struct asm_state *st, size_t i)
{
	struct asm_sec *old = &st->secs[st->cur], *new = &st->secs[i];

	old->out = st->out;
	old->lines = st->lines;
	old->n = st->n;
	old->cap = st->cap;
	st->cur = i;
	st->out = new->out;
	st->lines = new->lines;
	st->n = new->n;
	st->cap = new->cap;
}

int bk__asm_section(struct asm_state *st, const char *name, size_t len, bool code)
{
	size_t i;
	int err = st->nsecs ? bk__asm_data_end(st) : 0;

	if (err)
		return err;
	if (len >= sizeof(st->secs[0].name))
		return bk__asm_locate(st, 1, -EINVAL, "section name '%.*s' longer than 63", (int)len,
				      name);
	for (i = 0; i < st->nsecs; i++)
		if (!strncmp(st->secs[i].name, name, len) && !st->secs[i].name[len])
			break;
	if (i == st->nsecs) {
		void *p = st->secs;
		size_t cap = st->nsecs;

		if (bk__asm_grow(&p, &cap, st->nsecs + 1, sizeof(*st->secs)))
			return -ENOMEM;
		st->secs = p;
		memset(&st->secs[i], 0, sizeof(st->secs[i]));
		memcpy(st->secs[i].name, name, len);
		st->secs[i].code = code;
		st->nsecs++;
	}
	load_section(st, i);
	return 0;
}

static int add_fixup(struct asm_state *st, const struct match *m, bool wide, bool call)
{
	void *p = st->fix;

	if (bk__asm_grow(&p, &st->capfix, st->nfix + 1, sizeof(*st->fix)))
		return -ENOMEM;
	st->fix = p;
	st->fix[st->nfix].slot = st->n;
	snprintf(st->fix[st->nfix].label, sizeof(st->fix[0].label), "%s", m->label);
	st->fix[st->nfix].line = st->line;
	st->fix[st->nfix].col = st->sm->cols[m->label_pos];
	st->fix[st->nfix].call = call;
	st->fix[st->nfix].sym = m->sym_ref;
	st->fix[st->nfix].sec = st->cur;
	st->fix[st->nfix++].wide = wide;
	return 0;
}

/* Labels into offsets. A call to a function of another section is -1, to
 * be relocated, as llvm-mc leaves it; a symbol operand only has to exist. */
static int resolve(struct asm_state *st)
{
	load_section(st, st->cur); /* every section's slots in st->secs */
	for (size_t f = 0; f < st->nfix; f++) {
		struct fixup *fx = &st->fix[f];
		long l = bk__asm_find_label(st, fx->label);
		bool here = l >= 0 && st->label_sec[l] == (int32_t)fx->sec;
		int64_t target = here ? (int64_t)st->label_at[l] : -1, rel;
		struct bk_insn *slot = &st->secs[fx->sec].out[fx->slot];

		if (target < 0 && !strcmp(fx->label, "exit") && st->first_exit != SIZE_MAX)
			target = (int64_t)st->first_exit; /* the suite's implicit label */
		st->line = fx->line;
		if (l >= 0 && !here && (fx->call || fx->sym)) {
			if (fx->call)
				slot->imm = -1;
			continue;
		}
		if (fx->sym && l < 0)
			return bk__asm_locate(st, fx->col, -EINVAL,
					      "unknown symbol '%s' (not defined or declared here)",
					      fx->label);
		if (fx->sym)
			continue;
		if (target < 0 && fx->call)
			return bk__asm_locate(st, fx->col, -EINVAL,
				      "unknown helper '%s' (and no function of that name)", fx->label);
		if (target < 0 && l >= 0 && st->label_sec[l] >= 0)
			return bk__asm_locate(st, fx->col, -EINVAL,
					      "label '%s' is in another section ('%s')", fx->label,
					      st->secs[st->label_sec[l]].name);
		if (target < 0)
			return bk__asm_locate(st, fx->col, -EINVAL, "undefined label '%s'", fx->label);
		rel = target - (int64_t)fx->slot - 1;
		if (fx->wide)
			slot->imm = (int32_t)rel;
		else if (rel < INT16_MIN || rel > INT16_MAX)
			return bk__asm_locate(st, fx->col, -EINVAL,
				      "jump to '%s' out of range of a 16-bit offset (%lld)",
				      fx->label, (long long)rel);
		else
			slot->off = (int16_t)rel;
	}
	return 0;
}

/* ---- lines ---- */


/* Whether the word at w (n chars) is a register name rN/wN in any case. */
static bool reg_word(const char *w, size_t n)
{
	if (n < 2 || n > 3 || (bk__lower(w[0]) != 'r' && bk__lower(w[0]) != 'w'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!bk__is_digit(w[i]))
			return false;
	return true;
}

/*
 * The end of the statement starting at p: a comment ('#', "//"; ';' in
 * the conformance dialect), a ';' separator (LLVM), or the line's end.
 * Block comments were blanked out before. *next is where the next
 * statement of the line starts, or NULL.
 */
static const char *stmt_end(const struct asm_state *st, const char *p, const char *e,
			    const char **next)
{
	bool quoted = false;

	*next = NULL;
	for (const char *q = p; q < e; q++) {
		if (*q == '"' || (quoted && *q == '\\')) { /* strings of data directives */
			if (*q == '"')
				quoted = !quoted;
			else
				q++;
			continue;
		}
		if (quoted)
			continue;
		if (*q == '#' || (*q == '/' && q + 1 < e && q[1] == '/'))
			return q;
		if (*q == ';') {
			if (st->dia != BK_DIALECT_CONFORMANCE)
				*next = q + 1;
			return q;
		}
	}
	return e;
}

/* Whether the character at c is escaped: an odd run of backslashes,
 * after p, before it. */
static bool escaped(const char *p, const char *c)
{
	size_t k = 0;

	while (c - k > p && c[-1 - (ptrdiff_t)k] == '\\')
		k++;
	return k % 2 == 1;
}

/*
 * Copy a statement into buf, trimmed, with its source columns. LLVM text is
 * tokens: blanks next to punctuation carry no meaning ("r0=1", "* (u8*)"),
 * so only the blanks between two words are kept, one each, and registers
 * are lower case ("R1"), as llvm-mc reads them. The conformance suite's
 * aliases are rewritten to the table's spelling.
 */
static size_t clean_stmt(const struct asm_state *st, const char *line, const char *p,
			 const char *e, char *buf, struct stmt *sm)
{
	size_t n = 0, i = 0;
	bool llvm = st->dia != BK_DIALECT_CONFORMANCE, quoted = false;

	while (p < e && bk__is_space(*p))
		p++;
	while (e > p && bk__is_space(e[-1]))
		e--;
	sm->orig = p;
	sm->orig_len = (size_t)(e - p);
	if (!llvm) {
		if (e - p > 4 && !strncmp(p, "swap", 4)) {
			sm->cols[n] = (uint32_t)(p - line) + 1;
			buf[n++] = 'b';
		} else if (e - p > 12 && !strncmp(p, "call helper ", 12)) {
			for (; n < 5; n++)
				sm->cols[n] = (uint32_t)(p - line) + 1 + (uint32_t)n;
			memcpy(buf, "call ", 5);
			i = 12;
		} else if (e - p > 13 && !strncmp(p, "call runtime ", 13)) {
			for (; n < 11; n++)
				sm->cols[n] = (uint32_t)(p - line) + 1;
			memcpy(buf, "call kfunc ", 11);
			i = 13;
		}
	}
	for (; p + i < e && n + 1 < MAX_LINE; i++) {
		const char *c = p + i;

		if (*c == '"' || quoted) { /* a string, as written */
			if (*c == '"' && !(quoted && escaped(p, c)))
				quoted = !quoted;
			sm->cols[n] = (uint32_t)(c - line) + 1;
			buf[n++] = *c;
			continue;
		}
		if (llvm && bk__is_space(*c)) {
			/* one blank between words, none beside punctuation */
			if (n && bk__is_word(buf[n - 1]) && c + 1 < e && bk__is_word(c[1])) {
				sm->cols[n] = (uint32_t)(c - line) + 1;
				buf[n++] = ' ';
			}
			continue;
		}
		if (llvm && bk__is_word(*c) && (n == 0 || !bk__is_word(buf[n - 1]))) {
			size_t w = 0;

			while (c + w < e && bk__is_word(c[w]))
				w++;
			if (reg_word(c, w) && n + w < MAX_LINE) {
				for (size_t k = 0; k < w; k++) {
					sm->cols[n] = (uint32_t)(c + k - line) + 1;
					buf[n++] = bk__lower(c[k]);
				}
				i += w - 1;
				continue;
			}
		}
		sm->cols[n] = (uint32_t)(c - line) + 1;
		buf[n++] = *c;
	}
	sm->cols[n] = (uint32_t)(e - line) + 1;
	buf[n] = '\0';
	return p + i < e ? MAX_LINE : n;
}

/* A line matched row r: encode it, with its label fixup. */
static int finish(struct asm_state *st, const struct bk_insn_info *r, struct match *m)
{
	struct bk_insn slots[2];

	if (r->id == BK_OP_LD_IMM64 && m->map_ref) {
		r = bk_insn_info_by_id(BK_OP_LD_MAP_FD);
		m->d.imm = (int32_t)m->d.imm64;
	} else if (r->id == BK_OP_LD_IMM64) {
		m->d.imm = (int32_t)(uint32_t)m->d.imm64;
		m->d.imm2 = (int32_t)(uint32_t)(m->d.imm64 >> 32);
	}
	if (m->call_by_name)
		r = bk_insn_info_by_id(BK_OP_CALL_LOCAL);
	if (m->sym_ref) /* "r1 = counts ll": relocated, zero here as in the object */
		m->d.imm = m->d.imm2 = 0;
	if (m->label[0] && add_fixup(st, m,
				     r->shape != BK_SHAPE_JA && r->shape != BK_SHAPE_JMP_IMM &&
					     r->shape != BK_SHAPE_JMP_REG,
				     m->call_by_name))
		return -ENOMEM;
	if (r->shape == BK_SHAPE_EXIT && st->first_exit == SIZE_MAX)
		st->first_exit = st->n;
	return bk__asm_emit(st, slots, bk_insn_encode(r, &m->d, slots));
}

static int assemble_insn(struct asm_state *st, const char *s, size_t len,
			 const struct stmt *sm)
{
	struct match m = { .s = s, .e = s + len };
	char key[24], w[40];
	size_t b, first, last, tail;
	bool filter = true;

	st->best_pos = st->best_rank = 0;
	st->best_fmt = "%s";
	st->best_what = st->pending_what = NULL;
	st->best_arg[0] = '\0';
	st->best_at = NULL;
	st->best_arg_ptr = NULL;
	if (st->shapes) { /* one probe finds the row of almost every line */
		size_t nr;
		const uint16_t *rows = bk__shapes_find(st->shapes, bk__shape_of(s, s + len), &nr);

		for (size_t i = 0; i < nr; i++)
			if (bk__match_row(st, &m, &st->rows[rows[i]]))
				return finish(st, &st->rows[rows[i]], &m);
	}
	tail = bk__key_of(s, s + len, key, sizeof(key));
	b = first = bk__find_bucket(st, key);
	last = b < st->nbuckets && strcmp(st->buckets[b].key, key) == 0 ? st->buckets[b].end : b;
again:
	for (; b < last; b++) {
		const struct bk_insn_info *r = &st->rows[st->buckets[b].row];

		if (filter && !bk__may_match(st, &st->buckets[b], s, tail, s + len))
			continue;
		if (bk__match_row(st, &m, r))
			return finish(st, r, &m);
	}
	if (filter) { /* no match: try every row, for the best explanation */
		filter = false;
		b = first;
		goto again;
	}
	if (last == first)
		return bk__asm_locate(st, sm->cols[0], -EINVAL, "unknown instruction '%s'",
			      bk__word(s, s + len, w, sizeof(w)));
	if (!st->best_arg_ptr && st->best_at)
		st->best_arg_ptr = bk__word(st->best_at, st->best_end, st->best_arg, sizeof(st->best_arg));
	snprintf(st->best_msg, sizeof(st->best_msg), st->best_fmt,
		 st->best_arg_ptr ? st->best_arg_ptr : "", st->best_what ? st->best_what : "");
	return bk__asm_locate(st, sm->cols[st->best_pos], -EINVAL, "%s in '%.*s'", st->best_msg,
		      (int)sm->orig_len, sm->orig);
}

static int assemble_stmt(struct asm_state *st, char *s, size_t len, const struct stmt *sm)
{
	size_t w = 0;

	while (w < len && bk__is_word(s[w]))
		w++;
	if (st->dia != BK_DIALECT_CONFORMANCE) /* mnemonics in any case: "EXIT" */
		for (size_t k = 0; k < w; k++)
			s[k] = bk__lower(s[k]);
	if (s[0] == '.') /* ".8byte" (the disassembler's raw slots), clang's directives */
		return bk__asm_directive(st, s, len, sm);
	if (st->secs[st->cur].npend) /* an instruction after data that fills no slot */
		return bk__asm_data_end(st);
	return assemble_insn(st, s, len, sm);
}

/* One statement: "name:" labels, possibly followed by an instruction. */
static int assemble_one(struct asm_state *st, char *buf, size_t len, struct stmt *sm)
{
	size_t i = 0;
	int err;

	st->sm = sm;
	while (i < len && bk__is_ident(buf[i]))
		i++;
	if (i > 0 && i < len && buf[i] == ':' && !bk__is_digit(buf[0])) {
		err = bk__asm_add_label(st, buf, i, sm->cols[0]);
		if (err)
			return err;
		i++;
		while (i < len && bk__is_space(buf[i]))
			i++;
		if (i == len)
			return 0;
		memmove(sm->cols, sm->cols + i, (len - i + 1) * sizeof(sm->cols[0]));
		return assemble_stmt(st, buf + i, len - i, sm);
	}
	return assemble_stmt(st, buf, len, sm);
}

static bool has_block(const char *s, size_t n)
{
	for (const char *q = s; n > 1 && (q = memchr(q, '/', n - 1 - (size_t)(q - s))); q++)
		if (q[1] == '*')
			return true;
	return false;
}

/* Blank out block comments, which may span lines, in a copy of the line. */
static const char *strip_blocks(struct asm_state *st, const char *s, const char *e, char *copy,
				size_t size)
{
	size_t n = (size_t)(e - s);
	bool quoted = false;

	if (!st->in_block && !has_block(s, n))
		return s;
	if (n > size)
		n = size;
	memcpy(copy, s, n);
	for (size_t i = 0; i < n; i++) {
		if (!st->in_block && (copy[i] == '"' || (quoted && copy[i] == '\\'))) {
			if (copy[i] == '"')
				quoted = !quoted;
			else
				i++;
		} else if (quoted) {
			continue;
		} else if (st->in_block) {
			if (copy[i] == '*' && i + 1 < n && copy[i + 1] == '/') {
				copy[i] = copy[i + 1] = ' ';
				st->in_block = false;
				i++;
			} else {
				copy[i] = ' ';
			}
		} else if (copy[i] == '/' && i + 1 < n && copy[i + 1] == '*' &&
			   st->dia != BK_DIALECT_CONFORMANCE) {
			copy[i] = copy[i + 1] = ' ';
			st->in_block = true;
			i++;
		} else if (copy[i] == '#' || (copy[i] == '/' && i + 1 < n && copy[i + 1] == '/')) {
			break; /* a line comment hides a later block opener */
		}
	}
	return copy;
}

/*
 * The fast path of a line as written: when its shape names a row and the
 * row's template matches the text, that is the instruction (blanks the
 * template allows are skipped by the matcher; cleaning the text would change
 * nothing). Anything else (labels, case, unusual spacing, comments other
 * than '#', several statements, errors) goes the full way. Returns 1 when
 * the line was assembled, 0 when it was not, or a negative errno.
 */
static int fast_line(struct asm_state *st, const char *p, const char *e)
{
	struct match m;
	size_t nr;
	const uint16_t *rows;
	uint64_t h;

	if (st->in_block || !bk__shape_scan(p, e, &h, &m.s, &m.e) || m.s == m.e)
		return 0;
	rows = bk__shapes_find(st->shapes, h, &nr);
	for (size_t i = 0; i < nr; i++)
		if (bk__match_row(st, &m, &st->rows[rows[i]])) {
			int err = finish(st, &st->rows[rows[i]], &m);

			return err ? err : 1;
		}
	return 0;
}

static int assemble_line(struct asm_state *st, const char *s, const char *e)
{
	char buf[MAX_LINE], copy[MAX_LINE + 2];
	struct stmt sm;
	const char *p, *next;
	int err = 0;

	if (e - s > MAX_LINE)
		return bk__asm_locate(st, 1, -EINVAL, "line longer than %d characters", MAX_LINE);
	p = strip_blocks(st, s, e, copy, sizeof(copy));
	e = p + (e - s); /* the same length, blanks for comments */
	s = p;
	for (; !err && p; p = next) {
		const char *end = stmt_end(st, p, e, &next);
		size_t len;

		len = clean_stmt(st, s, p, end, buf, &sm);
		if (len >= MAX_LINE)
			return bk__asm_locate(st, 1, -EINVAL, "line longer than %d characters", MAX_LINE);
		if (len)
			err = assemble_one(st, buf, len, &sm);
	}
	st->sm = NULL; /* the statement is gone with this frame */
	return err;
}

enum bk_dialect bk_asm_detect(const char *text, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++)
		if (text[i] == '%' && text[i + 1] == 'r' && bk__is_digit(text[i + 2]))
			return BK_DIALECT_CONFORMANCE;
	return BK_DIALECT_LLVM;
}

static void release(struct asm_state *st)
{
	free(st->buckets);
	free(st->fix);
	free(st->label);
	free(st->label_at);
	free(st->label_line);
	free(st->label_col);
	free(st->ht);
	free(st->shapes);
	free(st->label_sec);
}

/* The section whose slots bk_asm() returns: the one asked for, or the only
 * code section holding instructions. Frees the others' slots. */
static int choose(struct asm_state *st, const char *want, size_t *pick)
{
	size_t found = SIZE_MAX, ncode = 0, len = 0;
	char names[200] = "";

	for (size_t i = 0; i < st->nsecs; i++) {
		const struct asm_sec *sec = &st->secs[i];

		if (want ? !strcmp(sec->name, want) : sec->code && sec->n) {
			ncode++;
			if (found == SIZE_MAX)
				found = i;
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						len ? ", " : "", sec->name);
			if (len >= sizeof(names))
				len = sizeof(names) - 1;
		}
	}
	st->line = 1;
	if (want && found == SIZE_MAX)
		return bk__asm_locate(st, 1, -EINVAL, "no section '%s' in the input", want);
	if (found == SIZE_MAX || !st->secs[found].n)
		return bk__asm_locate(st, 1, -EINVAL, "%s", "no instructions");
	if (!want && ncode > 1)
		return bk__asm_locate(st, 1, -EINVAL,
				      "%zu code sections (%s): choose one with the section option",
				      ncode, names);
	*pick = found;
	return 0;
}

int bk_asm(const char *text, size_t len, const struct bk_asm_opts *opts, struct bk_insn **out,
	   size_t *count, struct bk_diag *diag)
{
	struct asm_state st = { .opts = opts, .diag = diag, .first_exit = SIZE_MAX };
	const char *p = text, *end = text + len;
	size_t pick = SIZE_MAX;
	int err = 0;

	if (!out || !count || (!text && len))
		return bk__err(-EINVAL);
	*out = NULL;
	*count = 0;
	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (opts && opts->sz < offsetof(struct bk_asm_opts, lines))
		return bk__err(-EINVAL);
	st.dia = opts && opts->dialect ? opts->dialect : bk_asm_detect(text, len);
	err = bk__build_buckets(&st);
	/* the shape index pays for itself on big inputs only (a few thousand
	 * lines); it changes the speed, never the result */
	if (!err && st.dia != BK_DIALECT_CONFORMANCE && len >= SHAPES_MIN_INPUT) {
		size_t nrows;
		const struct bk_insn_info *rows = bk_insn_table(&nrows);

		err = bk__shapes_build(rows, nrows, &st.shapes);
	}
	if (!err)
		err = bk__asm_section(&st, ".text", 5, true); /* until a directive says otherwise */
	while (!err && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		st.line++;
		err = st.shapes ? fast_line(&st, p, le) : 0;
		if (err == 0)
			err = assemble_line(&st, p, le);
		else if (err > 0)
			err = 0;
		p = le + 1;
	}
	if (st.nsecs) /* the current section's slots back to st.secs, also on error */
		load_section(&st, st.cur);
	if (!err)
		err = bk__asm_data_end(&st);
	if (!err)
		err = resolve(&st); /* also moves the current section's slots to st.secs */
	if (!err)
		err = choose(&st, opts && opts->sz >= offsetof(struct bk_asm_opts, section) +
						     sizeof(opts->section)
					  ? opts->section
					  : NULL,
			     &pick);
	for (size_t i = 0; i < st.nsecs; i++)
		if (err || i != pick) {
			free(st.secs[i].out);
			free(st.secs[i].lines);
		}
	if (!err) {
		st.out = st.secs[pick].out;
		st.lines = st.secs[pick].lines;
		st.n = st.secs[pick].n;
	}
	free(st.secs);
	release(&st);
	if (err)
		return bk__err(err);
	*out = st.out;
	*count = st.n;
	if (opts && opts->sz >= offsetof(struct bk_asm_opts, lines) + sizeof(opts->lines) &&
	    opts->lines)
		*opts->lines = st.lines;
	else
		free(st.lines);
	return 0;
}
