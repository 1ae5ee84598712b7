// SPDX-License-Identifier: MIT
/*
 * Assembler directives, as clang -S writes them. Sections: ".text",
 * ".data", ".bss", ".section NAME[,"flags"[,@type]]" (executable when its
 * flags hold 'x', or, without flags, when its name is .text or .text.*).
 * Data (".byte" to ".quad", ".ascii", ".asciz", ".zero") is honoured in code
 * sections, where it fills 8-byte slots; in data sections it is skipped, as
 * are directives that only describe (".globl", ".type", ".size", ".file",
 * ".loc", ".cfi_*", ".addrsig", ".ident"): none of them changes a byte of
 * code. Anything else is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

/* Directives that describe and are skipped; 1: they declare a symbol. */
static const struct {
	const char *name;
	bool declares;
} described[] = {
	{ ".globl", true },  { ".global", true }, { ".weak", true },	 { ".extern", true },
	{ ".type", true },   { ".hidden", false }, { ".protected", false }, { ".internal", false },
	{ ".local", false }, { ".size", false },  { ".file", false },	 { ".loc", false },
	{ ".ident", false }, { ".addrsig", false }, { ".addrsig_sym", false },
};

/* ".p2align N" / ".balign N" / ".align N": a code section's slots are 8-byte
 * aligned already; padding beyond that would be bytes we cannot vouch for. */
static int align(struct asm_state *st, const char *s, size_t len, size_t w, const char *dir,
		 const struct stmt *sm)
{
	struct match m = { .s = s, .e = s + len, .p = s + w };
	const struct asm_sec *sec = &st->secs[st->cur];
	uint64_t v = 0, bytes;

	if (!sec->code)
		return 0;
	bk__skip_ws(&m);
	if (!bk__parse_num(st, &m, 0, 64, "an alignment", &v))
		return bk__asm_locate(st, sm->cols[w], -EINVAL, "bad alignment in '%.*s'",
				      (int)sm->orig_len, sm->orig);
	bytes = !strcmp(dir, ".p2align") ? (v < 63 ? 1ull << v : 0) : v;
	if (bytes && ((uint64_t)st->n * 8 + sec->npend) % bytes == 0)
		return 0;
	return bk__asm_locate(st, sm->cols[0], -EINVAL,
			      "alignment to %llu bytes would pad the code in '%.*s'",
			      (unsigned long long)bytes, (int)sm->orig_len, sm->orig);
}

/* Data directives: the size of each value, 0 for strings and fills. */
static const struct {
	const char *name;
	unsigned size;
} data_dirs[] = {
	{ ".byte", 1 },	 { ".2byte", 2 }, { ".short", 2 }, { ".half", 2 },  { ".4byte", 4 },
	{ ".long", 4 },	 { ".int", 4 },	  { ".word", 4 },  { ".8byte", 8 }, { ".quad", 8 },
	{ ".dword", 8 }, { ".ascii", 0 }, { ".asciz", 0 }, { ".string", 0 }, { ".zero", 0 },
	{ ".space", 0 }, { ".skip", 0 },  { ".uleb128", 0 }, { ".sleb128", 0 },
};

int bk__asm_data(struct asm_state *st, const uint8_t *b, size_t n)
{
	struct asm_sec *sec = &st->secs[st->cur];

	for (size_t i = 0; i < n; i++) {
		if (sec->npend == 0)
			sec->pend_line = st->line;
		sec->pend[sec->npend++] = b[i];
		if (sec->npend == 8) {
			struct bk_insn slot;
			int err;

			memcpy(&slot, sec->pend, 8);
			sec->npend = 0;
			err = bk__asm_emit(st, &slot, 1);
			if (err)
				return err;
		}
	}
	return 0;
}

int bk__asm_data_end(struct asm_state *st)
{
	struct asm_sec *sec = &st->secs[st->cur];

	if (!sec->code || !sec->npend)
		return 0;
	st->line = sec->pend_line;
	return bk__asm_locate(st, 1, -EINVAL,
			      "data in code section '%s' ends %u bytes into an 8-byte slot",
			      sec->name, sec->npend);
}

/* A quoted string at p (cleaned text keeps quoted text as written). */
static int string(struct asm_state *st, const char **pp, const char *e, bool zero,
		  const struct stmt *sm, const char *s)
{
	const char *p = *pp;

	if (p >= e || *p != '"')
		return bk__asm_locate(st, sm->cols[p - s], -EINVAL, "expected a string in '%.*s'",
				      (int)sm->orig_len, sm->orig);
	for (p++; p < e && *p != '"'; p++) {
		uint8_t c = (uint8_t)*p;
		int err;

		if (c == '\\' && p + 1 < e) {
			static const char esc[] = "n\nt\tr\r0\0\\\\\"\"";
			const char *k = memchr(esc, *++p, sizeof(esc) - 1);

			if (!k || (k - esc) % 2)
				return bk__asm_locate(st, sm->cols[p - s], -EINVAL,
						      "unknown escape '\\%c' in '%.*s'", *p,
						      (int)sm->orig_len, sm->orig);
			c = (uint8_t)k[1];
		}
		err = bk__asm_data(st, &c, 1);
		if (err)
			return err;
	}
	if (p >= e)
		return bk__asm_locate(st, sm->cols[p - s], -EINVAL, "unterminated string in '%.*s'",
				      (int)sm->orig_len, sm->orig);
	*pp = p + 1;
	return zero ? bk__asm_data(st, (const uint8_t *)"", 1) : 0;
}

/* One value of a data directive in a code section. */
static int value(struct asm_state *st, struct match *m, const char *dir, unsigned size,
		 const struct stmt *sm)
{
	uint64_t v = 0;
	uint8_t b[8];

	if (!strcmp(dir, ".ascii") || !strcmp(dir, ".asciz") || !strcmp(dir, ".string"))
		return string(st, &m->p, m->e, dir[5] != 'i', sm, m->s);
	st->best_rank = 0;
	st->best_what = st->pending_what = NULL;
	st->best_at = NULL;
	if (!bk__parse_num(st, m, size == 8 || !size ? INT64_MIN : -(1ll << (8 * size - 1)),
			   size == 8 || !size ? UINT64_MAX : (1ull << (8 * size)) - 1,
			   size == 1 ? "8 bits" : size == 2 ? "16 bits" : size == 4 ? "32 bits"
			   : size == 8 ? "64 bits" : "a count", &v)) {
		snprintf(st->best_msg, sizeof(st->best_msg), st->best_fmt,
			 bk__word(st->best_at ? st->best_at : m->p, m->e, st->best_arg,
				  sizeof(st->best_arg)),
			 st->best_what ? st->best_what : "");
		return bk__asm_locate(st, sm->cols[st->best_pos], -EINVAL, "%s in '%.*s'",
				      st->best_msg, (int)sm->orig_len, sm->orig);
	}
	if (!size) { /* .zero / .space / .skip N: N zero bytes */
		int err = 0;

		if (v > (64u << 20))
			return bk__asm_locate(st, sm->cols[0], -EINVAL, "%s of %llu bytes in '%.*s'",
					      dir, (unsigned long long)v, (int)sm->orig_len,
					      sm->orig);
		for (uint64_t i = 0; i < v && !err; i++)
			err = bk__asm_data(st, (const uint8_t *)"", 1);
		return err;
	}
	for (unsigned k = 0; k < size; k++)
		b[k] = (uint8_t)(v >> (8 * k)); /* little-endian, as the target */
	return bk__asm_data(st, b, size);
}

static int data(struct asm_state *st, const char *s, size_t len, size_t w, const char *dir,
		unsigned size, const struct stmt *sm)
{
	struct match m = { .s = s, .e = s + len, .p = s + w };

	if (!st->secs[st->cur].code)
		return 0; /* data sections: nothing of the program */
	if (!strcmp(dir, ".uleb128") || !strcmp(dir, ".sleb128"))
		return bk__asm_locate(st, sm->cols[0], -EINVAL, "%s in a code section in '%.*s'",
				      dir, (int)sm->orig_len, sm->orig);
	for (;;) {
		int err;

		bk__skip_ws(&m);
		err = value(st, &m, dir, size, sm);
		if (err)
			return err;
		bk__skip_ws(&m);
		if (m.p >= m.e)
			return 0;
		if (*m.p != ',' ||
		    (!size && strncmp(dir, ".asci", 5) != 0 && strcmp(dir, ".string") != 0))
			return bk__asm_locate(st, sm->cols[m.p - s], -EINVAL,
					      "expected ',' or the end of the line in '%.*s'",
					      (int)sm->orig_len, sm->orig);
		m.p++;
	}
}

/* ".section NAME[,"flags"...]": flags with 'x' (or, without flags, a
 * .text name) make it code. */
static int section(struct asm_state *st, const char *s, size_t len, size_t w,
		   const struct stmt *sm)
{
	const char *p = s + w, *e = s + len, *name;
	size_t n;
	bool code;

	while (p < e && *p == ' ')
		p++;
	name = p;
	if (p < e && *p == '"') { /* a quoted name */
		const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));

		if (!q)
			return bk__asm_locate(st, sm->cols[p - s], -EINVAL,
					      "unterminated section name in '%.*s'",
					      (int)sm->orig_len, sm->orig);
		name = p + 1;
		n = (size_t)(q - name);
		p = q + 1;
	} else {
		while (p < e && *p != ',' && *p != ' ')
			p++;
		n = (size_t)(p - name);
	}
	if (!n)
		return bk__asm_locate(st, sm->cols[name - s], -EINVAL,
				      "expected a section name in '%.*s'", (int)sm->orig_len, sm->orig);
	while (p < e && *p == ' ')
		p++;
	if (p < e && *p == ',') {
		const char *f = p + 1, *q;

		while (f < e && *f == ' ')
			f++;
		q = f < e && *f == '"' ? memchr(f + 1, '"', (size_t)(e - f - 1)) : NULL;
		code = q && memchr(f + 1, 'x', (size_t)(q - f - 1));
	} else {
		code = (n == 5 && !memcmp(name, ".text", 5)) || (n > 6 && !memcmp(name, ".text.", 6));
	}
	return bk__asm_section(st, name, n, code);
}

static int declare(struct asm_state *st, const char *s, size_t len, size_t w, const struct stmt *sm)
{
	const char *p = s + w, *e = s + len;

	while (p < e && *p == ' ')
		p++;
	while (p < e) { /* ".globl a, b" and ".type a,@function" */
		const char *n = p;
		int err;

		while (p < e && bk__is_word(*p))
			p++;
		if (p == n)
			break;
		err = bk__asm_declare(st, n, (size_t)(p - n), sm->cols[n - s]);
		if (err || p >= e || *p != ',' || (p + 1 < e && p[1] == '@'))
			return err;
		p++;
		while (p < e && *p == ' ')
			p++;
	}
	return 0;
}

int bk__asm_directive(struct asm_state *st, const char *s, size_t len, const struct stmt *sm)
{
	char dir[24];
	size_t w = 1;

	while (w < len && bk__is_word(s[w]))
		w++;
	snprintf(dir, sizeof(dir), "%.*s", (int)w, s);
	if (!strcmp(dir, ".text") || !strcmp(dir, ".data") || !strcmp(dir, ".bss"))
		return bk__asm_section(st, dir, w, dir[1] == 't');
	if (!strcmp(dir, ".section"))
		return section(st, s, len, w, sm);
	if (!strncmp(dir, ".cfi_", 5))
		return 0;
	if (!strcmp(dir, ".p2align") || !strcmp(dir, ".balign") || !strcmp(dir, ".align"))
		return align(st, s, len, w, dir, sm);
	for (size_t i = 0; i < sizeof(described) / sizeof(described[0]); i++)
		if (!strcmp(dir, described[i].name))
			return described[i].declares ? declare(st, s, len, w, sm) : 0;
	for (size_t i = 0; i < sizeof(data_dirs) / sizeof(data_dirs[0]); i++)
		if (!strcmp(dir, data_dirs[i].name))
			return data(st, s, len, w, dir, data_dirs[i].size, sm);
	return bk__asm_locate(st, sm->cols[0], -EINVAL, "unknown directive '%s' in '%.*s'", dir,
			      (int)sm->orig_len, sm->orig);
}
