// SPDX-License-Identifier: MIT
/*
 * The assembler's matcher: a statement against one template of the
 * instruction table. Placeholders parse operands into a struct bk_decoded;
 * literal runs must appear as written (a template blank stands for any
 * blanks). A failed attempt records how far it got, so the attempt that got
 * furthest explains the line. Also the buckets: rows by their first word.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/asm.h>
#include <bpfkit/names.h>

#include "asm_int.h"

void bk__skip_ws(struct match *m)
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
const char *bk__word(const char *p, const char *e, char *buf, size_t size)
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
bool bk__parse_num(struct asm_state *st, struct match *m, long long lo, unsigned long long hi,
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
		if (!bk__parse_num(st, m, wide ? INT32_MIN : INT16_MIN, wide ? INT32_MAX : INT16_MAX,
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
	if (!bk__parse_num(st, m, INT32_MIN, decimal_max(st, start, m->e), "a 32-bit field", &v))
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
	if (st->dia != BK_DIALECT_CONFORMANCE && m->p < m->e &&
	    (bk__is_alpha(*m->p) || *m->p == '_' || *m->p == '.')) {
		/* "r1 = counts ll": a symbol, zero here and relocated in an object */
		m->label_pos = (size_t)(m->p - m->s);
		if (!parse_ident(m, m->label, sizeof(m->label)) || (m->p < m->e && bk__is_ident(*m->p)))
			return fail(st, m, m->s + m->label_pos, "%s", "symbol name too long");
		m->sym_ref = true;
		m->d.imm64 = 0;
		return true;
	}
	/* "r0 = N ll": a bad N is about ld_imm64, not the mov that also fits */
	st->bonus = m->e - m->s > 2 && m->e[-1] == 'l' && m->e[-2] == 'l' ? 2 : 0;
	if (!bk__parse_num(st, m, INT64_MIN, UINT64_MAX, "64 bits", &v))
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

	bk__skip_ws(m);
	if (m->p >= m->e || *m->p != lead) {
		m->p = save;
		*out = 0;
		return true;
	}
	m->p++;
	bk__skip_ws(m);
	if (!bk__parse_num(st, m, lo, hi, "the field", &v))
		return false;
	*out = (int32_t)v;
	return true;
}

static bool parse_off(struct asm_state *st, struct match *m)
{
	const char *save = m->p;
	int neg;
	uint64_t v = 0;

	bk__skip_ws(m);
	if ((m->p >= m->e || (*m->p != '+' && *m->p != '-')) && st->dia != BK_DIALECT_CONFORMANCE)
		return fail(st, m, m->p, "%s", "expected '+ OFFSET' or '- OFFSET'");
	if (m->p >= m->e || (*m->p != '+' && *m->p != '-')) {
		m->p = save; /* "[%r1]": offset 0 */
		m->d.off = 0;
		return true;
	}
	neg = *m->p++ == '-';
	bk__skip_ws(m);
	if (!bk__parse_num(st, m, 0, 32768, "a 16-bit offset", &v))
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

		if (!bk__parse_num(st, m, 0, 0xffff, "a 16-bit address space", &a))
			return false;
		bk__skip_ws(m);
		if (m->p >= m->e || *m->p != ',')
			return fail(st, m, m->p, "%s", "expected ','");
		m->p++;
		bk__skip_ws(m);
		if (!bk__parse_num(st, m, 0, 0xffff, "a 16-bit address space", &b))
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

bool bk__match_row(struct asm_state *st, struct match *m, const struct bk_insn_info *r)
{
	const char *t = bk__tpl(r, st->dia);

	memset(&m->d, 0, sizeof(m->d));
	m->map_ref = false;
	m->label[0] = '\0';
	m->call_by_name = false;
	m->sym_ref = false;
	m->seen = 0;
	m->p = m->s;
	for (; *t; t++) {
		if (*t == ' ') {
			bk__skip_ws(m);
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
	bk__skip_ws(m);
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
size_t bk__key_of(const char *s, const char *e, char *key, size_t size)
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
bool bk__may_match(const struct asm_state *st, const struct bucket *b, const char *s,
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

int bk__build_buckets(struct asm_state *st)
{
	size_t n;

	st->rows = bk_insn_table(&n);
	st->buckets = calloc(n, sizeof(*st->buckets));
	if (!st->buckets)
		return bk__err(-ENOMEM);
	for (size_t i = 0; i < n; i++) {
		const char *t = bk__tpl(&st->rows[i], st->dia);

		size_t k = bk__key_of(t, t + strlen(t), st->buckets[i].key, sizeof(st->buckets[i].key));

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
size_t bk__find_bucket(const struct asm_state *st, const char *key)
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

