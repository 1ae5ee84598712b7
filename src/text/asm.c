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

#include "text_int.h"

#define MAX_LINE 512

struct fixup {
	size_t slot;	  /* instruction to patch */
	char label[64];	  /* target name */
	uint32_t line, col;
	bool wide;	  /* imm (gotol, call) rather than off */
	bool call;	  /* "call NAME" that named no helper: a function or nothing */
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
	uint8_t seen;	   /* TIE_DST/TIE_SRC: that register was already read */
};

#define TIE_DST 1
#define TIE_SRC 2



static void skip_ws(struct match *m)
{
	while (m->p < m->e && (*m->p == ' ' || *m->p == '\t'))
		m->p++;
}

/* The length of the token at p: a word or number (with its sign), or a run
 * of punctuation. */
static size_t token_len(const char *p, const char *e)
{
	size_t n = 0;

	if (p < e && (*p == '-' || *p == '+'))
		n++;
	if (p + n < e && bk__is_word(p[n])) {
		while (p + n < e && bk__is_word(p[n]))
			n++;
		return n;
	}
	while (p + n < e && !bk__is_space(p[n]) && !bk__is_word(p[n]) && p[n] != ',')
		n++;
	return n;
}

/* A word of the input for messages: up to the next space or comma. */
static const char *word(const char *p, const char *e, char *buf, size_t size)
{
	size_t n = 0;

	n = token_len(p, e);
	if (n + 1 > size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/*
 * Record why this attempt failed. The attempt that got furthest explains the
 * line; a semantic complaint (bad register, value out of range) ranks just
 * past the token it is about, so it wins over another row's mere syntax
 * mismatch at the same place.
 */
static bool fail_ranked(struct asm_state *st, struct match *m, const char *at, size_t rank,
			const char *fmt, const char *arg)
{
	/* Only pointers are kept (into the line, the static templates, or the
	 * caller's name buffer, copied here only for those rare messages); the
	 * message is formatted once, at the end, for the winner: failing
	 * attempts are the common case. */
	rank += st->bonus;
	st->bonus = 0;
	if (rank >= st->best_rank) {
		st->best_rank = rank;
		st->best_pos = (size_t)(at - m->s);
		st->best_at = at;
		st->best_end = m->e;
		st->best_fmt = fmt;
		st->best_what = st->pending_what;
		st->best_arg_ptr = arg;
		if (arg && st->copy_arg) {
			size_t n = strnlen(arg, sizeof(st->best_arg) - 1);

			memcpy(st->best_arg, arg, n);
			st->best_arg[n] = '\0';
			st->best_arg_ptr = st->best_arg;
		}
	}
	st->pending_what = NULL;
	st->copy_arg = false;
	return false;
}

static bool fail(struct asm_state *st, struct match *m, const char *at, const char *fmt,
		 const char *arg)
{
	return fail_ranked(st, m, at, (size_t)(at - m->s), fmt, arg);
}

/* A semantic error about the token starting at at. */
static bool fail_token(struct asm_state *st, struct match *m, const char *at, const char *fmt,
		       const char *arg)
{
	size_t len = 0;

	len = token_len(at, m->e);
	return fail_ranked(st, m, at, (size_t)(at - m->s) + len + 1, fmt, arg);
}

static bool parse_reg(struct asm_state *st, struct match *m, char kind, bool r_ok, uint8_t *reg)
{
	const char *start = m->p;
	unsigned v = 0;
	int digits = 0;

	if (st->dia == BK_DIALECT_CONFORMANCE) {
		if (m->e - m->p < 2 || m->p[0] != '%' || m->p[1] != 'r')
			return fail(st, m, start, "expected a register %%rN, found '%s'",
				    NULL);
		m->p += 2;
	} else {
		if (m->p >= m->e || (*m->p != kind && !(r_ok && *m->p == 'r')))
			return fail(st, m, start, kind == 'w' ? "expected a register wN, found '%s'"
							      : "expected a register rN, found '%s'",
				    NULL);
		m->p++;
	}
	while (m->p < m->e && bk__is_digit(*m->p) && digits < 4) {
		v = v * 10 + (unsigned)(*m->p++ - '0');
		digits++;
	}
	/* LLVM also names r11, the kernel's hidden AX register; RFC 9669 does not */
	if (!digits || (m->p < m->e && bk__is_ident(*m->p)) ||
	    v > (st->dia == BK_DIALECT_CONFORMANCE ? 10u : 11u))
		return fail_token(st, m, start, "bad register '%s'", NULL);
	*reg = (uint8_t)v;
	return true;
}

/* The value of digit c in base, or base when c is no such digit. */
static unsigned digit_of(char c, unsigned base)
{
	unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		     : c >= 'a' && c <= 'z' ? (unsigned)(c - 'a' + 10)
		     : c >= 'A' && c <= 'Z' ? (unsigned)(c - 'A' + 10)
					    : 99;

	return v < base ? v : base;
}

/*
 * A number: [-]decimal, [-]0x hex, and in the LLVM dialect also LLVM's
 * 0b binary and 0-prefixed octal, within [lo, hi]. A value that does not
 * fit 64 bits is an error, never a wrapped or saturated value.
 */
static bool parse_num(struct asm_state *st, struct match *m, long long lo, unsigned long long hi,
		      const char *what, uint64_t *out)
{
	const char *start = m->p;
	bool neg = false, over = false;
	unsigned long long v = 0;
	int digits = 0;
	unsigned base = 10, dv;

	if (m->p < m->e && (*m->p == '-' || *m->p == '+'))
		neg = *m->p++ == '-';
	if (m->e - m->p > 2 && m->p[0] == '0' && (m->p[1] == 'x' || m->p[1] == 'X')) {
		base = 16;
		m->p += 2;
	} else if (st->dia != BK_DIALECT_CONFORMANCE && m->e - m->p > 2 && m->p[0] == '0' &&
		   (m->p[1] == 'b' || m->p[1] == 'B')) {
		base = 2;
		m->p += 2;
	} else if (st->dia != BK_DIALECT_CONFORMANCE && m->e - m->p > 1 && m->p[0] == '0' &&
		   m->p[1] >= '0' && m->p[1] <= '9') {
		base = 8; /* LLVM reads "010" as 8 */
	}
	for (; m->p < m->e && (dv = digit_of(*m->p, base)) < base; m->p++, digits++) {
		if (v > (~0ull - dv) / base)
			over = true;
		v = v * base + dv;
	}
	if (!digits && !(start < m->e && bk__is_digit(start[start[0] == '-' || start[0] == '+'])))
		return fail(st, m, start, "expected a number, found '%s'", NULL);
	if (!digits || (m->p < m->e && bk__is_ident(*m->p))) /* "09", "0x", "12ab" */
		return fail_token(st, m, start, "expected a number, found '%s'", NULL);
	if (over || (!neg && v > hi) || (neg && v > (unsigned long long)-(lo + 1) + 1)) {
		st->pending_what = what; /* the fmt's second %s, see fail_ranked() */
		return fail_token(st, m, start, "immediate %s out of range for %s", NULL);
	}
	*out = neg ? (uint64_t)0 - v : v;
	return true;
}

static bool parse_ident(struct match *m, char *buf, size_t size)
{
	size_t n = 0;

	if (m->p >= m->e || !(bk__is_alpha(*m->p) || *m->p == '_' || *m->p == '.'))
		return false;
	while (m->p < m->e && bk__is_ident(*m->p) && n + 1 < size)
		buf[n++] = *m->p++;
	buf[n] = '\0';
	return true;
}

/* %J / %G: a signed offset, or a label resolved later. */
static bool parse_target(struct asm_state *st, struct match *m, bool wide, int64_t *rel)
{
	uint64_t v = 0;

	if (m->p < m->e && (*m->p == '+' || *m->p == '-')) {
		if (!parse_num(st, m, wide ? INT32_MIN : INT16_MIN, wide ? INT32_MAX : INT16_MAX,
			       wide ? "a 32-bit offset" : "a 16-bit offset", &v))
			return false;
		*rel = (int64_t)v;
		return true;
	}
	m->label_pos = (size_t)(m->p - m->s);
	if (!parse_ident(m, m->label, sizeof(m->label)))
		return fail(st, m, m->p, "%s", "expected a jump offset (+N/-N) or a label");
	*rel = 0;
	return true;
}

/* The largest 32-bit immediate: bpf_conformance's assembler reads decimal
 * ones as signed (2147483648 is an error there) and hex ones as raw bits. */
static unsigned long long decimal_max(const struct asm_state *st, const char *p, const char *e)
{
	if (st->dia != BK_DIALECT_CONFORMANCE)
		return UINT32_MAX;
	if (p < e && (*p == '-' || *p == '+'))
		p++;
	return e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') ? UINT32_MAX : INT32_MAX;
}

static bool parse_imm(struct asm_state *st, struct match *m, const struct bk_insn_info *r)
{
	char name[64];
	const char *start = m->p;
	uint64_t v = 0;

	if (r->shape == BK_SHAPE_CALL_HELPER && parse_ident(m, name, sizeof(name))) {
		int id = bk_helper_by_name(name);

		if (id < 0) { /* "call f" of a function in the program, as LLVM writes it */
			if (m->p < m->e && bk__is_ident(*m->p)) /* longer than any name we keep */
				return st->copy_arg = true,
				       fail_token(st, m, start, "unknown helper '%s'", name);
			m->label_pos = (size_t)(start - m->s);
			memcpy(m->label, name, strlen(name) + 1);
			m->call_by_name = true;
			return true;
		}
		m->d.imm = id;
		return true;
	}
	if (!parse_num(st, m, INT32_MIN, decimal_max(st, start, m->e), "a 32-bit field", &v))
		return false;
	m->d.imm = (int32_t)(uint32_t)v;
	return true;
}

static bool parse_imm64(struct asm_state *st, struct match *m)
{
	uint64_t v = 0;

	if (m->e - m->p > 4 && !strncmp(m->p, "map[", 4)) {
		char name[64];
		const char *start = m->p;
		int fd;

		m->p += 4;
		if (!parse_ident(m, name, sizeof(name)) || m->p >= m->e || *m->p != ']')
			return fail(st, m, start, "%s", "expected map[NAME]");
		m->p++;
		if (!st->opts || !st->opts->map_fd)
			return fail(st, m, start, "map '%s' cannot be resolved: no map resolver",
				    name);
		fd = st->opts->map_fd(st->opts->map_ctx, name);
		if (fd < 0)
			return st->copy_arg = true,
		       fail_token(st, m, start, "unknown map '%s'", name);
		m->map_ref = true;
		m->d.imm64 = (uint64_t)fd;
		return true;
	}
	/* "r0 = N ll": a bad N is about ld_imm64, not the mov that also fits */
	st->bonus = m->e - m->s > 2 && m->e[-1] == 'l' && m->e[-2] == 'l' ? 2 : 0;
	if (!parse_num(st, m, INT64_MIN, UINT64_MAX, "64 bits", &v))
		return false;
	st->bonus = 0;
	m->d.imm64 = v;
	return true;
}

/* Optional parts: "+ N" of ld_ind, ", N" of map values, the offset of [reg]. */
static bool parse_optional(struct asm_state *st, struct match *m, char lead, int32_t *out,
			   long long lo, unsigned long long hi)
{
	const char *save = m->p;
	uint64_t v = 0;

	skip_ws(m);
	if (m->p >= m->e || *m->p != lead) {
		m->p = save;
		*out = 0;
		return true;
	}
	m->p++;
	skip_ws(m);
	if (!parse_num(st, m, lo, hi, "the field", &v))
		return false;
	*out = (int32_t)v;
	return true;
}

static bool parse_off(struct asm_state *st, struct match *m)
{
	const char *save = m->p;
	int neg;
	uint64_t v = 0;

	skip_ws(m);
	if ((m->p >= m->e || (*m->p != '+' && *m->p != '-')) && st->dia != BK_DIALECT_CONFORMANCE)
		return fail(st, m, m->p, "%s", "expected '+ OFFSET' or '- OFFSET'");
	if (m->p >= m->e || (*m->p != '+' && *m->p != '-')) {
		m->p = save; /* "[%r1]": offset 0 */
		m->d.off = 0;
		return true;
	}
	neg = *m->p++ == '-';
	skip_ws(m);
	if (!parse_num(st, m, 0, 32768, "a 16-bit offset", &v))
		return false;
	if ((!neg && v > 32767))
		return fail(st, m, save, "%s", "offset out of range for a 16-bit field");
	m->d.off = (int16_t)(neg ? -(int64_t)v : (int64_t)v);
	return true;
}


/*
 * A register placeholder. A template naming a register twice ("%D = le16 %D",
 * "%S = atomic_fetch_add(..., %S)") encodes it once: the second spelling
 * must name the same register, else the text says one thing and the bytes
 * another.
 */
static bool tied_reg(struct asm_state *st, struct match *m, char kind, bool r_ok, uint8_t *reg,
		     uint8_t tie)
{
	const char *start = m->p;
	uint8_t v;

	if (!(m->seen & tie)) {
		m->seen |= tie;
		return parse_reg(st, m, kind, r_ok, reg);
	}
	if (!parse_reg(st, m, kind, r_ok, &v))
		return false;
	if (v != *reg)
		return fail_token(st, m, start,
				  "'%s' must be the same register as the other one of this "
				  "instruction (its encoding holds one)",
				  NULL);
	return true;
}


static bool placeholder(struct asm_state *st, struct match *m, const struct bk_insn_info *r,
			char c)
{
	bool mem = bk__r_for_w(r);
	int64_t rel;
	int32_t v32;

	switch (c) {
	case 'D': return tied_reg(st, m, 'r', false, &m->d.dst, TIE_DST);
	case 'd': return tied_reg(st, m, 'w', mem, &m->d.dst, TIE_DST);
	case 'S': return tied_reg(st, m, 'r', false, &m->d.src, TIE_SRC);
	case 's': return tied_reg(st, m, 'w', mem, &m->d.src, TIE_SRC);
	case 'I': return parse_imm(st, m, r);
	case 'K': return parse_imm64(st, m);
	case 'O': return parse_off(st, m);
	case 'J':
		if (!parse_target(st, m, false, &rel))
			return false;
		m->d.off = (int16_t)rel;
		return true;
	case 'G':
		if (!parse_target(st, m, true, &rel))
			return false;
		m->d.imm = (int32_t)rel;
		return true;
	case 'N':
		if (!parse_optional(st, m, ',', &v32, INT32_MIN, UINT32_MAX))
			return false;
		m->d.imm2 = v32;
		return true;
	case 'X': return parse_optional(st, m, '+', &m->d.imm, INT32_MIN, UINT32_MAX);
	case 'M':
		if (!parse_optional(st, m, ',', &v32, INT16_MIN, INT16_MAX))
			return false;
		m->d.off = (int16_t)v32;
		return true;
	case 'A': {
		uint64_t a = 0, b = 0;

		if (!parse_num(st, m, 0, 0xffff, "a 16-bit address space", &a))
			return false;
		skip_ws(m);
		if (m->p >= m->e || *m->p != ',')
			return fail(st, m, m->p, "%s", "expected ','");
		m->p++;
		skip_ws(m);
		if (!parse_num(st, m, 0, 0xffff, "a 16-bit address space", &b))
			return false;
		m->d.imm = (int32_t)(a << 16 | b);
		return true;
	}
	default:
		return m->p < m->e && *m->p++ == c;
	}
}

/*
 * Match the run of literal template characters at *t (up to a blank or a
 * placeholder), leaving *t on its last character. The cursor lives in a
 * local: written back through m on every character, it cost a stalled
 * store-to-load forward each time (a fifth of the assembler's time).
 */
static bool match_literal(struct match *m, const char **t)
{
	const char *p = m->p, *e = m->e, *c = *t;

	for (;;) {
		if (p >= e || *p != *c) {
			m->p = p;
			*t = c;
			return false;
		}
		p++;
		if (!c[1] || c[1] == ' ' || c[1] == '%')
			break;
		c++;
	}
	m->p = p;
	*t = c;
	return true;
}

static bool match_row(struct asm_state *st, struct match *m, const struct bk_insn_info *r)
{
	const char *t = bk__tpl(r, st->dia);

	memset(&m->d, 0, sizeof(m->d));
	m->map_ref = false;
	m->label[0] = '\0';
	m->call_by_name = false;
	m->seen = 0;
	m->p = m->s;
	for (; *t; t++) {
		if (*t == ' ') {
			skip_ws(m);
			continue;
		}
		if (*t == '%' && t[1] && t[1] != '%') {
			if (!placeholder(st, m, r, *++t))
				return false;
			continue;
		}
		if (*t == '%')
			t++;
		if (!match_literal(m, &t))
			return fail(st, m, m->p, "expected '%.1s'", t);
	}
	skip_ws(m);
	if (m->p < m->e && *m->p == '<') /* llvm-objdump's "<.text+0x10>" */
		m->p = m->e;
	if (m->p < m->e) {
		return fail(st, m, m->p, "unexpected '%s' after the instruction",
			    NULL);
	}
	return true;
}

/* ---- buckets: rows by their first word (a register counts as "R <op>") ---- */

/* Length of a register at s (rN, wN, %rN, or a template's %D/%d/%S/%s), or 0. */
static size_t reg_token(const char *s, const char *e)
{
	size_t i = 0;

	if (e - s >= 2 && s[0] == '%' && (s[1] == 'D' || s[1] == 'd' || s[1] == 'S' || s[1] == 's'))
		return 2; /* a template placeholder */
	if (e - s >= 2 && s[0] == '%' && s[1] == 'r')
		i = 2;
	else if (e - s >= 2 && (s[0] == 'r' || s[0] == 'w'))
		i = 1;
	else
		return 0;
	if (i >= (size_t)(e - s) || !bk__is_digit(s[i]))
		return 0;
	while (s + i < e && bk__is_digit(s[i]))
		i++;
	return s + i == e || !bk__is_ident(s[i]) ? i : 0;
}

/*
 * The bucket key of a line or template; returns how much of s it used. A
 * line starting with a register is keyed "R" and its operator up to the
 * '=' ("R=", "Rs>>="), any other by its first word ("if", "lock") or, for
 * punctuation ("*(u8 *)..."), its first character. Blanks do not count.
 */
static size_t key_of(const char *s, const char *e, char *key, size_t size)
{
	size_t r = reg_token(s, e), n = 0;
	const char *p = s;

	if (r) {
		key[n++] = 'R';
		for (p = s + r; p < e && n + 1 < size; p++) {
			if (*p == ' ' || *p == '\t')
				continue;
			if (p[0] == '%' && p + 1 < e && p[1] == '%')
				p++; /* a template's literal '%' */
			key[n++] = *p;
			if (*p == '=') {
				p++;
				break;
			}
		}
	} else {
		while (p < e && bk__is_word(*p) && n + 1 < size)
			key[n++] = *p++;
		if (!n && p < e)
			key[n++] = *p++;
	}
	key[n] = '\0';
	return (size_t)(p - s);
}

/*
 * What a placeholder's text starts with, in the LLVM dialect: 'r' or 'w'
 * for a register of that width ('R' either: 32-bit memory operands take a
 * 64-bit base), 'n' for a number, 0 when anything may follow.
 */
static char placeholder_class(const struct bk_insn_info *r, char c)
{
	bool mem = bk__r_for_w(r);

	switch (c) {
	case 'D':
	case 'S':
		return 'r';
	case 'd':
	case 's':
		return mem ? 'R' : 'w';
	case 'I':
		return r->shape == BK_SHAPE_CALL_HELPER ? 0 : 'n';
	default:
		return 0;
	}
}

/* Fill the bucket's prefilter from its template (t) and the key's length. */
static void set_prefilter(struct bucket *b, const struct bk_insn_info *r, const char *t,
			  size_t key_len)
{
	const char *tail = t + key_len;
	size_t n = 0;

	b->first = t[0] == '%' && key_len > 2 ? placeholder_class(r, t[1]) : 0;
	for (; *tail && n + 1 < sizeof(b->lit); tail++) {
		if (tail[0] == '%' && tail[1] == '%') {
			b->lit[n++] = *++tail;
			continue;
		}
		if (tail[0] == '%') {
			b->next = placeholder_class(r, tail[1]);
			break;
		}
		b->lit[n++] = *tail;
	}
	b->lit[n] = '\0';
}

/* Whether character c can start a placeholder of class k. */
static bool class_ok(char k, char c)
{
	switch (k) {
	case 'r':
	case 'w':
		return c == k;
	case 'R':
		return c == 'r' || c == 'w';
	case 'n':
		return (c >= '0' && c <= '9') || c == '-' || c == '+';
	default:
		return true;
	}
}

/* Whether a line (s..e, its key tail characters long) can match the
 * bucket entry at all. The conformance dialect spells registers "%rN" and
 * numbers alike in both widths, so only literals filter there. */
static bool may_match(const struct asm_state *st, const struct bucket *b, const char *s,
		      size_t tail, const char *e)
{
	bool llvm = st->dia != BK_DIALECT_CONFORMANCE;
	const char *p = s + tail;

	if (llvm && b->first && !class_ok(b->first, *s))
		return false;
	for (const char *l = b->lit; *l; l++) {
		if (*l == ' ') {
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
		} else if (p >= e || *p++ != *l) {
			return false;
		}
	}
	return !llvm || p >= e || class_ok(b->next, *p);
}

static int cmp_bucket(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (int)x->row - (int)y->row;
}

static int build_buckets(struct asm_state *st)
{
	size_t n;

	st->rows = bk_insn_table(&n);
	st->buckets = calloc(n, sizeof(*st->buckets));
	if (!st->buckets)
		return bk__err(-ENOMEM);
	for (size_t i = 0; i < n; i++) {
		const char *t = bk__tpl(&st->rows[i], st->dia);

		size_t k = key_of(t, t + strlen(t), st->buckets[i].key, sizeof(st->buckets[i].key));

		set_prefilter(&st->buckets[i], &st->rows[i], t, k);
		st->buckets[i].row = (uint16_t)i;
	}
	qsort(st->buckets, n, sizeof(*st->buckets), cmp_bucket);
	for (size_t i = n; i-- > 0;)
		st->buckets[i].end = (uint16_t)(i + 1 < n && !strcmp(st->buckets[i].key,
								     st->buckets[i + 1].key)
							 ? st->buckets[i + 1].end
							 : i + 1);
	st->nbuckets = n;
	return 0;
}

/* First bucket entry with key, or nbuckets. */
static size_t find_bucket(const struct asm_state *st, const char *key)
{
	size_t lo = 0, hi = st->nbuckets;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(st->buckets[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- output, labels, fixups ---- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
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

static int emit(struct asm_state *st, const struct bk_insn *slots, int w)
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

static int locate(struct asm_state *st, uint32_t col, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int locate(struct asm_state *st, uint32_t col, int err, const char *fmt, ...)
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

static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* The hash slot holding label name, or the empty slot where it would go. */
static size_t label_slot(const struct asm_state *st, const char *name, size_t len)
{
	size_t mask = st->htcap - 1, k = name_hash(name, len) & mask;

	while (st->ht[k]) {
		const char *l = st->label[st->ht[k] - 1];

		if (!strncmp(l, name, len) && l[len] == '\0')
			return k;
		k = (k + 1) & mask;
	}
	return k;
}

/* The number of label name, or -1. */
static long find_label(const struct asm_state *st, const char *name)
{
	size_t k;

	if (!st->htcap)
		return -1;
	k = label_slot(st, name, strlen(name));
	return st->ht[k] ? (long)st->ht[k] - 1 : -1;
}

/* Keep the hash at most half full: lookups stay O(1), labels linear. */
static int grow_hash(struct asm_state *st)
{
	size_t ncap = st->htcap ? st->htcap * 2 : 256;
	uint32_t *old = st->ht;
	size_t ocap = st->htcap;

	if (2 * (st->nlabel + 1) <= st->htcap)
		return 0;
	st->ht = calloc(ncap, sizeof(*st->ht));
	if (!st->ht) {
		st->ht = old;
		return bk__err(-ENOMEM);
	}
	st->htcap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i]) {
			const char *l = st->label[old[i] - 1];

			st->ht[label_slot(st, l, strlen(l))] = old[i];
		}
	free(old);
	return 0;
}

static int add_label(struct asm_state *st, const char *name, size_t len, uint32_t col)
{
	void *p;
	size_t cap, k;

	if (len >= sizeof(st->label[0]))
		return locate(st, col, -EINVAL, "label '%.*s' is longer than 63 characters",
			      (int)len, name);
	if (st->htcap) {
		k = label_slot(st, name, len);
		if (st->ht[k]) {
			size_t i = st->ht[k] - 1;

			return locate(st, col, -EINVAL,
				      "duplicate label '%.*s' (first defined at %u:%u)", (int)len,
				      name, st->label_line[i], st->label_col[i]);
		}
	}
	if (st->nlabel >= UINT32_MAX - 1 || grow_hash(st))
		return -ENOMEM;
	cap = st->caplabel;
	p = st->label;
	if (grow(&p, &cap, st->nlabel + 1, sizeof(st->label[0])))
		return -ENOMEM;
	st->label = p;
	cap = st->caplabel;
	p = st->label_at;
	if (grow(&p, &cap, st->nlabel + 1, sizeof(size_t)))
		return -ENOMEM;
	st->label_at = p;
	cap = st->caplabel;
	p = st->label_line;
	if (grow(&p, &cap, st->nlabel + 1, sizeof(uint32_t)))
		return -ENOMEM;
	st->label_line = p;
	cap = st->caplabel;
	p = st->label_col;
	if (grow(&p, &cap, st->nlabel + 1, sizeof(uint32_t)))
		return -ENOMEM;
	st->label_col = p;
	st->caplabel = cap;
	memcpy(st->label[st->nlabel], name, len);
	st->label[st->nlabel][len] = '\0';
	st->label_at[st->nlabel] = st->n;
	st->label_line[st->nlabel] = st->line;
	st->label_col[st->nlabel] = col;
	st->ht[label_slot(st, name, len)] = (uint32_t)++st->nlabel;
	return 0;
}

static int add_fixup(struct asm_state *st, const struct match *m, bool wide, bool call)
{
	void *p = st->fix;

	if (grow(&p, &st->capfix, st->nfix + 1, sizeof(*st->fix)))
		return -ENOMEM;
	st->fix = p;
	st->fix[st->nfix].slot = st->n;
	snprintf(st->fix[st->nfix].label, sizeof(st->fix[0].label), "%s", m->label);
	st->fix[st->nfix].line = st->line;
	st->fix[st->nfix].col = st->sm->cols[m->label_pos];
	st->fix[st->nfix].call = call;
	st->fix[st->nfix++].wide = wide;
	return 0;
}

static int resolve(struct asm_state *st)
{
	for (size_t f = 0; f < st->nfix; f++) {
		struct fixup *fx = &st->fix[f];
		long l = find_label(st, fx->label);
		int64_t target = l >= 0 ? (int64_t)st->label_at[l] : -1, rel;

		if (target < 0 && !strcmp(fx->label, "exit") && st->first_exit != SIZE_MAX)
			target = (int64_t)st->first_exit; /* the suite's implicit label */
		st->line = fx->line;
		if (target < 0 && fx->call)
			return locate(st, fx->col, -EINVAL,
				      "unknown helper '%s' (and no function of that name)", fx->label);
		if (target < 0)
			return locate(st, fx->col, -EINVAL, "undefined label '%s'", fx->label);
		rel = target - (int64_t)fx->slot - 1;
		if (fx->wide)
			st->out[fx->slot].imm = (int32_t)rel;
		else if (rel < INT16_MIN || rel > INT16_MAX)
			return locate(st, fx->col, -EINVAL,
				      "jump to '%s' out of range of a 16-bit offset (%lld)",
				      fx->label, (long long)rel);
		else
			st->out[fx->slot].off = (int16_t)rel;
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
	*next = NULL;
	for (const char *q = p; q < e; q++) {
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
	bool llvm = st->dia != BK_DIALECT_CONFORMANCE;

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
	if (m->label[0] && add_fixup(st, m,
				     r->shape != BK_SHAPE_JA && r->shape != BK_SHAPE_JMP_IMM &&
					     r->shape != BK_SHAPE_JMP_REG,
				     m->call_by_name))
		return -ENOMEM;
	if (r->shape == BK_SHAPE_EXIT && st->first_exit == SIZE_MAX)
		st->first_exit = st->n;
	return emit(st, slots, bk_insn_encode(r, &m->d, slots));
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
			if (match_row(st, &m, &st->rows[rows[i]]))
				return finish(st, &st->rows[rows[i]], &m);
	}
	tail = key_of(s, s + len, key, sizeof(key));
	b = first = find_bucket(st, key);
	last = b < st->nbuckets && strcmp(st->buckets[b].key, key) == 0 ? st->buckets[b].end : b;
again:
	for (; b < last; b++) {
		const struct bk_insn_info *r = &st->rows[st->buckets[b].row];

		if (filter && !may_match(st, &st->buckets[b], s, tail, s + len))
			continue;
		if (match_row(st, &m, r))
			return finish(st, r, &m);
	}
	if (filter) { /* no match: try every row, for the best explanation */
		filter = false;
		b = first;
		goto again;
	}
	if (last == first)
		return locate(st, sm->cols[0], -EINVAL, "unknown instruction '%s'",
			      word(s, s + len, w, sizeof(w)));
	if (!st->best_arg_ptr && st->best_at)
		st->best_arg_ptr = word(st->best_at, st->best_end, st->best_arg, sizeof(st->best_arg));
	snprintf(st->best_msg, sizeof(st->best_msg), st->best_fmt,
		 st->best_arg_ptr ? st->best_arg_ptr : "", st->best_what ? st->best_what : "");
	return locate(st, sm->cols[st->best_pos], -EINVAL, "%s in '%.*s'", st->best_msg,
		      (int)sm->orig_len, sm->orig);
}

/* ".8byte N[, N]..." / ".quad": raw slots, the disassembler's spelling of a
 * slot that is no valid instruction. Each value is a slot's little-endian
 * encoding read as a number. */
static int assemble_quad(struct asm_state *st, const char *s, size_t len, size_t skip,
			 const struct stmt *sm)
{
	struct match m = { .s = s, .e = s + len, .p = s + skip };

	for (;;) {
		struct bk_insn slot;
		uint64_t v;
		int err;

		skip_ws(&m);
		st->best_rank = 0;
		st->best_what = st->pending_what = NULL;
		if (!parse_num(st, &m, INT64_MIN, UINT64_MAX, "64 bits", &v)) {
			snprintf(st->best_msg, sizeof(st->best_msg), st->best_fmt,
				 word(st->best_at, st->best_end, st->best_arg, sizeof(st->best_arg)),
				 st->best_what ? st->best_what : "");
			return locate(st, sm->cols[st->best_pos], -EINVAL, "%s in '%.*s'",
				      st->best_msg, (int)sm->orig_len, sm->orig);
		}
		memcpy(&slot, &v, 8);
		err = emit(st, &slot, 1);
		if (err)
			return err;
		skip_ws(&m);
		if (m.p >= m.e)
			return 0;
		if (*m.p != ',')
			return locate(st, sm->cols[m.p - s], -EINVAL,
				      "expected ',' or the end of the line in '%.*s'",
				      (int)sm->orig_len, sm->orig);
		m.p++;
	}
}

static int assemble_stmt(struct asm_state *st, char *s, size_t len, const struct stmt *sm)
{
	size_t w = 0;

	while (w < len && bk__is_word(s[w]))
		w++;
	if (st->dia != BK_DIALECT_CONFORMANCE) /* mnemonics in any case: "EXIT" */
		for (size_t k = 0; k < w; k++)
			s[k] = bk__lower(s[k]);
	if ((w == 6 && !strncmp(s, ".8byte", 6)) || (w == 5 && !strncmp(s, ".quad", 5)))
		return assemble_quad(st, s, len, w, sm);
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
		err = add_label(st, buf, i, sm->cols[0]);
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

	if (!st->in_block && !has_block(s, n))
		return s;
	if (n > size)
		n = size;
	memcpy(copy, s, n);
	for (size_t i = 0; i < n; i++) {
		if (st->in_block) {
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
		if (match_row(st, &m, &st->rows[rows[i]])) {
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
		return locate(st, 1, -EINVAL, "line longer than %d characters", MAX_LINE);
	p = strip_blocks(st, s, e, copy, sizeof(copy));
	e = p + (e - s); /* the same length, blanks for comments */
	s = p;
	for (; !err && p; p = next) {
		const char *end = stmt_end(st, p, e, &next);
		size_t len;

		len = clean_stmt(st, s, p, end, buf, &sm);

		if (len >= MAX_LINE)
			return locate(st, 1, -EINVAL, "line longer than %d characters", MAX_LINE);
		if (len)
			err = assemble_one(st, buf, len, &sm);
	}
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
}

int bk_asm(const char *text, size_t len, const struct bk_asm_opts *opts, struct bk_insn **out,
	   size_t *count, struct bk_diag *diag)
{
	struct asm_state st = { .opts = opts, .diag = diag, .first_exit = SIZE_MAX };
	const char *p = text, *end = text + len;
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
	err = build_buckets(&st);
	if (!err && st.dia != BK_DIALECT_CONFORMANCE) {
		size_t nrows;
		const struct bk_insn_info *rows = bk_insn_table(&nrows);

		err = bk__shapes_build(rows, nrows, &st.shapes);
	}
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
	if (!err && st.n == 0) {
		st.line = 1;
		err = locate(&st, 1, -EINVAL, "%s", "no instructions");
	}
	if (!err)
		err = resolve(&st);
	release(&st);
	if (err) {
		free(st.out);
		free(st.lines);
		return bk__err(err);
	}
	*out = st.out;
	*count = st.n;
	if (opts && opts->sz >= offsetof(struct bk_asm_opts, lines) + sizeof(opts->lines) &&
	    opts->lines)
		*opts->lines = st.lines;
	else
		free(st.lines);
	return 0;
}
