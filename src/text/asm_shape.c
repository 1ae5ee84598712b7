// SPDX-License-Identifier: MIT
/*
 * The assembler's fast path: a hash on the shape of a line. A line's shape
 * is its token sequence with every register reduced to its width ("r" or
 * "w"), every number (with its sign) to "#" and blanks dropped:
 * "*(u64 *)(r1 - 144) = 86" has the shape "*(u64*)(r#)=#". Each row of the
 * instruction table is rendered with sample operands (every choice of its
 * optional parts) and hashed the same way, so a line finds the one or two
 * rows it can be in a single probe; the template matcher then reads the
 * operands and has the last word. Lines the hash does not know (labels,
 * names, errors) take the bucket path. The table stays the only source.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text_int.h"

#define SHAPE_ROWS 4 /* rows sharing one shape, most a shape ever has */

struct shape_ent {
	uint64_t h;
	uint16_t rows[SHAPE_ROWS];
	uint8_t n;
};

struct bk__shapes {
	size_t cap; /* a power of two */
	struct shape_ent ent[];
};

/* Character classes for the scan: a table, as the scan is per character. */
#define K_DIGIT 1
#define K_ALPHA 2
#define K_WORD 4  /* alnum, '_', '.', '$' */
#define K_SPACE 8
#define K_STOP 16 /* '#', '/', ';': a comment or statement boundary may start */

static const unsigned char kind[256] = {
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  8,  8,  8,  8,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 8,  0,  0, 16,  4,  0,  0,  0,  0,  0,  0,  0,  0,  0,  4, 16,
	 5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  0, 16,  0,  0,  0,  0,
	 0,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,
	 6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  0,  0,  0,  0,  4,
	 0,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,
	 6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

static uint64_t mix(uint64_t h, char c)
{
	return (h ^ (unsigned char)c) * 1099511628211ull; /* FNV-1a */
}

/*
 * The shape hash of the statement at p..e, which ends at a '#' comment. Stores
 * the trimmed statement's bounds in *s and *end. Returns false when the line
 * needs the full path: a "//" or block comment, or a ';' between statements.
 */
bool bk__shape_scan(const char *p, const char *e, uint64_t *hash, const char **s,
		    const char **end)
{
	uint64_t h = 14695981039346656037ull;
	const char *last = p;

	while (p < e && (kind[(unsigned char)*p] & K_SPACE))
		p++;
	*s = p;
	while (p < e) {
		unsigned char c = (unsigned char)*p;
		unsigned k = kind[c];
		const char *w = p;

		if (k & K_SPACE) {
			p++;
			continue;
		}
		if (k & K_STOP) {
			if (c == '#')
				break;
			if (c == ';' || (p + 1 < e && (p[1] == '/' || p[1] == '*')))
				return false;
		}
		if (c == '+' || c == '-') { /* a signed number: "-5", "r1 - 144" */
			const char *q = p + 1;

			while (q < e && (kind[(unsigned char)*q] & K_SPACE))
				q++;
			if (q < e && (kind[(unsigned char)*q] & K_DIGIT))
				k = kind[(unsigned char)*q], w = p = q;
		}
		if (!(k & K_WORD)) {
			h = mix(h, (char)c);
			last = ++p;
			continue;
		}
		while (p < e && (kind[(unsigned char)*p] & K_WORD))
			p++;
		last = p;
		if (kind[(unsigned char)*w] & K_DIGIT) {
			h = mix(h, '#');
		} else if (p - w >= 2 && p - w <= 3 && (*w == 'r' || *w == 'w' || *w == 'R' ||
							*w == 'W') &&
			   (kind[(unsigned char)w[1]] & K_DIGIT) &&
			   (p - w == 2 || (kind[(unsigned char)w[2]] & K_DIGIT))) {
			h = mix(h, (char)(*w | 32));
		} else {
			for (; w < p; w++)
				h = mix(h, *w);
		}
	}
	*end = last;
	*hash = h;
	return true;
}

uint64_t bk__shape_of(const char *p, const char *e)
{
	uint64_t h = 0;
	const char *s, *end;

	bk__shape_scan(p, e, &h, &s, &end);
	return h;
}

static int insert(struct bk__shapes *t, uint64_t h, uint16_t row)
{
	size_t k = h & (t->cap - 1);

	while (t->ent[k].n && t->ent[k].h != h)
		k = (k + 1) & (t->cap - 1);
	t->ent[k].h = h;
	for (unsigned i = 0; i < t->ent[k].n; i++)
		if (t->ent[k].rows[i] == row)
			return 0;
	if (t->ent[k].n == SHAPE_ROWS)
		return 0; /* more rows than kept: the bucket path finds the rest */
	t->ent[k].rows[t->ent[k].n++] = row;
	return 0;
}

/*
 * A sample line of template t for one choice of its optional parts (bit 0:
 * ", N" of %N/%M present; bit 1: " + N" of %X present; bit 2: 32-bit
 * registers spelled rN where the row allows it).
 */
static void render(const struct bk_insn_info *r, const char *t, unsigned choice, char *buf,
		   size_t size)
{
	size_t n = 0;
	bool r_ok = bk__r_for_w(r) && (choice & 4);

	for (; *t && n + 8 < size; t++) {
		const char *s = NULL;

		if (*t != '%') {
			buf[n++] = *t;
			continue;
		}
		switch (*++t) {
		case 'D': case 'S': s = "r1"; break;
		case 'd': case 's': s = r_ok ? "r1" : "w1"; break;
		case 'I': case 'K': s = "1"; break;
		case 'O': case 'J': case 'G': s = "+1"; break;
		case 'A': s = "1, 1"; break;
		case 'N': case 'M': s = choice & 1 ? ", 1" : ""; break;
		case 'X': s = choice & 2 ? " + 1" : ""; break;
		case '%': s = "%"; break;
		default: s = ""; break;
		}
		memcpy(buf + n, s, strlen(s));
		n += strlen(s);
	}
	buf[n] = '\0';
}

int bk__shapes_build(const struct bk_insn_info *rows, size_t nrows, struct bk__shapes **out)
{
	struct bk__shapes *t;
	size_t cap = 1024;

	while (cap < nrows * 16)
		cap *= 2;
	t = calloc(1, sizeof(*t) + cap * sizeof(t->ent[0]));
	if (!t)
		return -ENOMEM;
	t->cap = cap;
	for (size_t i = 0; i < nrows; i++)
		for (unsigned choice = 0; choice < 8; choice++) {
			char buf[160] = { 0 };

			render(&rows[i], rows[i].llvm, choice, buf, sizeof(buf));
			insert(t, bk__shape_of(buf, buf + strlen(buf)), (uint16_t)i);
		}
	*out = t;
	return 0;
}

const uint16_t *bk__shapes_find(const struct bk__shapes *t, uint64_t h, size_t *n)
{
	size_t k = h & (t->cap - 1);

	while (t->ent[k].n) {
		if (t->ent[k].h == h) {
			*n = t->ent[k].n;
			return t->ent[k].rows;
		}
		k = (k + 1) & (t->cap - 1);
	}
	*n = 0;
	return NULL;
}
