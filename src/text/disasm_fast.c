// SPDX-License-Identifier: MIT
/*
 * The disassembler's fast printer: the one-slot rows whose placeholders are
 * all plain numbers (registers, immediates, offsets, relative targets) print
 * here. Anything else (ld_imm64, labels, helper names, an encoding that is
 * not clean) is left to disasm.c, which prints it the general way.
 *
 * Why beside the general printer: on a real program the rows follow each other in no
 * order, and the general printer's work per placeholder (a switch, a number
 * printed digit by digit) was most of the disassembler's time. Here each
 * row is compiled once per program from its template (the instruction table
 * stays the one source) into a short recipe: literal, number, literal, ...
 * Every number is printed by the same few instructions whatever its kind:
 * cut from the slot, its sign turned into a prefix ("-", " + "...), and its
 * digits, below 10000, read whole from a table.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/insn.h>

#include "text_int.h"

/* Numbers a fast row prints: the most any one-slot template has (an atomic
 * with its fetch register, address, offset and source). */
#define MAX_OPS 4
/* Literal runs are copied this many bytes at a time: longer ones go slow. */
#define LIT 32
/* Numbers below this print from the table. */
#define SMALL 10000
/* A discriminator value indexes this many slots per opcode. */
#define DISC_SPAN 512u
/* The pool of literal runs: every run of every row fits. */
#define POOL ((BK_OP__COUNT * (MAX_OPS + 1) + 1) * LIT)

/* The slot fields, read from the slot as one 64-bit number. */
enum { FLD_CODE, FLD_DST, FLD_SRC, FLD_OFF, FLD_IMM, FLD_NONE, FLD__COUNT };

/* How to cut a field from a slot: (((raw >> lo) & mask) ^ sbit) - sbit, its
 * sign bit sbit extended (0 for the unsigned ones). */
struct fld {
	uint32_t mask, sbit;
	uint8_t lo;
};

/* One number of a row: the literal before it, and how it prints. */
struct fop {
	struct fld f;
	uint16_t lit;	 /* the literal: offset in the pool */
	uint8_t litlen;	 /* its length */
	uint8_t plen[2]; /* lengths of pre[0] (value >= 0) and pre[1] (< 0) */
	char pre[2][4];	 /* what comes before the digits: "", "-", "+", " + ", " - " */
};

struct frow {
	uint64_t key;	    /* the discriminator value a slot of the row holds */
	uint64_t zero_bits; /* bits of the slot the template does not print: must be 0 */
	uint8_t rdst, rsrc; /* 1 where dst, src print as registers (must exist) */
	uint8_t nops;	    /* numbers in op[] */
	uint8_t litlen;	    /* the literal after the last number */
	uint16_t lit;
	struct fop op[MAX_OPS];
};

/* Per opcode: its discriminator field (none: mask 0) and where its rows
 * are found: slot[base + (discriminator & (DISC_SPAN - 1))]. */
struct copc {
	struct fld f;
	uint16_t base;
};

struct bk__dfast {
	struct fld fld[FLD__COUNT];
	struct copc code[256];
	uint8_t over;	 /* 15 - the highest register the dialect names */
	bool index;	 /* "%4zu: " before each line */
	struct frow row[BK_OP__COUNT]; /* by id; row 0 (no instruction) matches nothing */
	uint8_t *slot;	 /* row ids */
	size_t nslot;
	uint32_t small[SMALL]; /* the digits of 0..9999, the first in the lowest byte */
	size_t npool;
	char pool[POOL];
};

/* The bits of a slot that an all-ones field f covers, on this host's layout
 * of the struct (bit-fields included). */
static uint64_t field_bits(int f)
{
	struct bk_insn in;
	uint64_t v;

	memset(&in, 0, sizeof(in));
	switch (f) {
	case FLD_CODE: in.code = 0xff; break;
	case FLD_DST: in.dst_reg = 0xf; break;
	case FLD_SRC: in.src_reg = 0xf; break;
	case FLD_OFF: in.off = -1; break;
	case FLD_IMM: in.imm = -1; break;
	default: break;
	}
	memcpy(&v, &in, sizeof(v));
	return v;
}

static void set_fields(struct bk__dfast *t)
{
	for (int f = 0; f < FLD__COUNT; f++) {
		uint64_t b = field_bits(f);
		struct fld *d = &t->fld[f];

		d->lo = b ? (uint8_t)__builtin_ctzll(b) : 0;
		d->mask = (uint32_t)(b >> d->lo);
		/* off and imm are signed, the rest not */
		d->sbit = f == FLD_OFF || f == FLD_IMM ? (d->mask >> 1) + 1 : 0;
	}
}

/* Field d of slot raw, sign-extended where signed (as two's complement). */
static inline uint64_t cut(const struct fld *d, uint64_t raw)
{
	return (((raw >> d->lo) & d->mask) ^ d->sbit) - (uint64_t)d->sbit;
}

/* Add the run s (len bytes) to the pool as the run at *at, *alen. */
static bool set_lit(struct bk__dfast *t, uint16_t *at, uint8_t *alen, const char *s, size_t len)
{
	if (t->npool + len + LIT > POOL || t->npool > UINT16_MAX)
		return false;
	memcpy(t->pool + t->npool, s, len);
	*at = (uint16_t)t->npool;
	*alen = (uint8_t)len;
	t->npool += len;
	return true;
}

/* Prefix k of o: s, of at most 3 characters. */
static void set_pre(struct fop *o, int k, const char *s)
{
	size_t n = strnlen(s, 3);

	memset(o->pre[k], 0, sizeof(o->pre[k]));
	memcpy(o->pre[k], s, n);
	o->plen[k] = (uint8_t)n;
}

/* How placeholder c prints as a number: its field (FLD_*) and prefixes in
 * o, the register letters that end the literal before it in *reg. -1 for a
 * placeholder the fast printer does not print. */
static int number_of(char c, bool conf, struct fop *o, const char **reg)
{
	/* %J and %G are relative targets ("goto +3"): this printer prints no labels */
	static const struct { char c; int field; const char *pos, *neg, *reg; } plain[] = {
		{ 'D', FLD_DST, "", "", "r" }, { 'd', FLD_DST, "", "", "w" },
		{ 'S', FLD_SRC, "", "", "r" }, { 's', FLD_SRC, "", "", "w" },
		{ 'I', FLD_IMM, "", "-", NULL }, { 'J', FLD_OFF, "+", "-", NULL },
		{ 'G', FLD_IMM, "+", "-", NULL },
	};

	*reg = NULL;
	if (c == 'O') { /* the LLVM offset spaces its sign: "r1 + 8" */
		set_pre(o, 0, conf ? "+" : " + ");
		set_pre(o, 1, conf ? "-" : " - ");
		return FLD_OFF;
	}
	for (size_t k = 0; k < sizeof(plain) / sizeof(plain[0]); k++) {
		if (plain[k].c != c)
			continue;
		set_pre(o, 0, plain[k].pos);
		set_pre(o, 1, plain[k].neg);
		*reg = plain[k].reg && conf ? "%r" : plain[k].reg;
		return plain[k].field;
	}
	return -1;
}

/* The BK_FIELD_* bit of field f (0 for the opcode and none). */
static unsigned field_flag(int f)
{
	return f == FLD_DST ? BK_FIELD_DST : f == FLD_SRC ? BK_FIELD_SRC
	       : f == FLD_OFF ? BK_FIELD_OFF : f == FLD_IMM ? BK_FIELD_IMM : 0;
}

/* The bits of the fields in flags (BK_FIELD_*) in a slot. */
static uint64_t slot_bits(unsigned flags)
{
	return (flags & BK_FIELD_DST ? field_bits(FLD_DST) : 0) |
	       (flags & BK_FIELD_SRC ? field_bits(FLD_SRC) : 0) |
	       (flags & BK_FIELD_OFF ? field_bits(FLD_OFF) : 0) |
	       (flags & BK_FIELD_IMM ? field_bits(FLD_IMM) : 0);
}

/*
 * Compile row r's template for dialect dia into f. False when the row needs
 * the general printer: two slots, a placeholder that is not a plain number,
 * more than MAX_OPS numbers or a literal run longer than LIT.
 */
static bool compile(struct bk__dfast *t, struct frow *f, const struct bk_insn_info *r,
		    enum bk_dialect dia)
{
	const char *s = bk__tpl(r, dia);
	bool conf = dia == BK_DIALECT_CONFORMANCE;
	unsigned printed = 0, disc;
	char lit[LIT];
	size_t len = 0;

	memset(f, 0, sizeof(*f));
	if (r->width != 1)
		return false;
	while (*s) {
		const char *reg;
		struct fop *o = &f->op[f->nops < MAX_OPS ? f->nops : 0];
		int fld;

		if (s[0] != '%' || s[1] == '%') { /* literal text ("%%" is '%') */
			if (len == LIT)
				return false;
			lit[len++] = *s;
			s += s[0] == '%' ? 2 : 1;
			continue;
		}
		fld = f->nops < MAX_OPS ? number_of(s[1], conf, o, &reg) : -1;
		if (fld < 0)
			return false;
		for (; reg && *reg; reg++) { /* "r", "w" or "%r" ends the run before a register */
			if (len == LIT)
				return false;
			lit[len++] = *reg;
			f->rdst |= fld == FLD_DST;
			f->rsrc |= fld == FLD_SRC;
		}
		if (!set_lit(t, &o->lit, &o->litlen, lit, len))
			return false;
		o->f = t->fld[fld];
		printed |= field_flag(fld);
		len = 0;
		f->nops++;
		s += 2;
	}
	if (!set_lit(t, &f->lit, &f->litlen, lit, len))
		return false;
	disc = r->disc == BK_DISC_OFF ? BK_FIELD_OFF : r->disc == BK_DISC_IMM ? BK_FIELD_IMM
			: r->disc == BK_DISC_SRC ? BK_FIELD_SRC : 0;
	f->zero_bits = slot_bits((BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF | BK_FIELD_IMM) &
				 ~(printed | disc));
	f->key = (uint64_t)(int64_t)r->dval;
	return true;
}

/* Where row r is found: its slot entry, or -1 when the index cannot hold it
 * (it then prints the general way). kind[opcode] is 0 until the opcode's
 * first row, then FLD_NONE or its discriminator's field. */
static long place(struct bk__dfast *t, const struct bk_insn_info *r, uint8_t *kind,
		  unsigned *nblocks)
{
	struct copc *c = &t->code[r->opcode];
	uint8_t f = r->disc == BK_DISC_OFF ? FLD_OFF : r->disc == BK_DISC_IMM ? FLD_IMM
		    : r->disc == BK_DISC_SRC ? FLD_SRC : FLD_NONE;

	if (!kind[r->opcode]) { /* the opcode's first row */
		if (f != FLD_NONE && 256 + DISC_SPAN * (*nblocks + 1) > t->nslot)
			return -1; /* no block left (the table was not sorted by opcode) */
		kind[r->opcode] = f;
		if (f != FLD_NONE) {
			c->f = t->fld[f];
			c->base = (uint16_t)(256 + DISC_SPAN * (*nblocks)++);
		}
	}
	if (kind[r->opcode] != f)
		return -1; /* rows of one opcode told apart by different fields */
	if (f == FLD_NONE)
		return c->base;
	if (r->dval < 0 || (unsigned)r->dval >= DISC_SPAN)
		return -1;
	return (long)c->base + r->dval;
}

/* small[a]: the digits of a, each entry made from the one of a / 10. */
static void fill_small(uint32_t *small)
{
	small[0] = '0';
	for (uint32_t a = 1; a < SMALL; a++) {
		uint32_t up = small[a / 10], d = '0' + a % 10;

		small[a] = a < 10 ? d : up | d << (8 * (up >> 8 ? up >> 16 ? 3 : 2 : 1));
	}
}

int bk__dfast_new(enum bk_dialect dia, bool helpers, bool index, struct bk__dfast **out)
{
	size_t rows, ndisc = 0;
	const struct bk_insn_info *tab = bk_insn_table(&rows);
	struct bk__dfast *t = malloc(sizeof(*t));
	unsigned nblocks = 0;
	uint8_t kind[256] = { 0 };

	for (size_t k = 0; k < rows; k++) /* opcodes with a discriminator (rows sorted by opcode) */
		ndisc += tab[k].disc != BK_DISC_NONE && (!k || tab[k - 1].opcode != tab[k].opcode);
	if (t) {
		memset(t, 0, offsetof(struct bk__dfast, small)); /* the rest is filled */
		t->nslot = 256 + DISC_SPAN * ndisc;
		t->slot = calloc(t->nslot, 1);
	}
	if (!t || !t->slot) {
		free(t);
		return -ENOMEM;
	}
	set_fields(t);
	fill_small(t->small);
	t->npool = 0;
	t->over = dia == BK_DIALECT_CONFORMANCE ? 5 : 4;
	t->index = index;
	t->row[0].key = (uint64_t)1 << 40; /* no field holds this */
	for (unsigned c = 0; c < 256; c++)
		t->code[c] = (struct copc){ .f = t->fld[FLD_NONE], .base = (uint16_t)c };
	for (size_t k = 0; k < rows; k++) {
		const struct bk_insn_info *r = &tab[k];
		long at = place(t, r, kind, &nblocks);

		if (at < 0 || t->slot[at] || r->id >= BK_OP__COUNT || r->id > UINT8_MAX)
			continue; /* not found here: printed the general way */
		if ((helpers && r->shape == BK_SHAPE_CALL_HELPER) ||
		    !compile(t, &t->row[r->id], r, dia))
			t->row[r->id].key = t->row[0].key;
		t->slot[at] = (uint8_t)r->id;
	}
	memset(t->pool + t->npool, 0, LIT); /* what a literal copy reads past the last run */
	*out = t;
	return 0;
}

void bk__dfast_free(struct bk__dfast *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t);
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

/* Decimal digits of a: log10 from the bit length, then one comparison. */
static inline unsigned ndigits(uint32_t a)
{
	unsigned g = ((32 - (unsigned)__builtin_clz(a | 1)) * 1233) >> 12;

	return g + ((a | 1) >= pow10[g]);
}

/* v < 10^8 as 8 ASCII digits, the first in the lowest byte: the halves,
 * quarters and digits all at once in lanes of one 64-bit number (v * 5243
 * >> 19 is v / 100 below 43699, v * 103 >> 10 is v / 10 below 179). */
static inline uint64_t eight_digits(uint32_t v)
{
	uint64_t x = (v / 10000) | ((uint64_t)(v % 10000) << 32), q;

	q = ((x * 5243) >> 19) & 0x0000007f0000007full;
	x = q | ((x - q * 100) << 16);
	q = ((x * 103) >> 10) & 0x000f000f000f000full;
	x = q | ((x - q * 10) << 8);
	return x | 0x3030303030303030ull;
}

/* Store the len low bytes of v, the lowest first, whatever the host's byte
 * order. */
static inline void store_le(char *p, uint64_t v, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, len);
}

/* The digits of a at p (room for 10 more bytes): the top two digits and the
 * low eight, each shifted past its leading zeros. */
static char *put_big(char *p, uint32_t a)
{
	unsigned n = ndigits(a), hl = n > 8 ? n - 8 : 0;
	uint32_t hi = a / 100000000;
	uint64_t h = (hi / 10) | ((hi % 10) << 8) | 0x3030;

	store_le(p, h >> (8 * (2 - hl)), 2);
	store_le(p + hl, eight_digits(a % 100000000) >> (8 * (n < 8 ? 8 - n : 0)), 8);
	return p + n;
}

/* The digits of a at p (room for 10 more bytes). */
static inline char *put_digits(const struct bk__dfast *t, char *p, uint32_t a)
{
	uint32_t w;

	if (a >= SMALL)
		return put_big(p, a);
	w = t->small[a];
	store_le(p, w, 4);
	return p + ((31 - (unsigned)__builtin_clz(w)) >> 3) + 1;
}

/* Number o of a row, from slot raw. */
static inline char *put_number(const struct bk__dfast *t, char *p, uint64_t raw,
			       const struct fop *o)
{
	uint64_t u = cut(&o->f, raw);
	unsigned neg = (unsigned)(u >> 63);

	memcpy(p, o->pre[neg], 4);
	return put_digits(t, p + o->plen[neg], (uint32_t)(neg ? 0 - u : u));
}

/* The line of slot raw at p, or NULL when the general printer must print
 * it (no fast row, or a field the row does not print is set, or a register
 * the dialect does not name). */
static inline char *put_line(const struct bk__dfast *t, uint64_t raw, char *p)
{
	const struct copc *c = &t->code[cut(&t->fld[FLD_CODE], raw)];
	uint64_t v = cut(&c->f, raw);
	const struct frow *f = &t->row[t->slot[c->base + (v & (DISC_SPAN - 1))]];
	uint64_t dst = cut(&t->fld[FLD_DST], raw), src = cut(&t->fld[FLD_SRC], raw);

	if ((v ^ f->key) | (raw & f->zero_bits) | (((dst + t->over) >> 4) & f->rdst) |
	    (((src + t->over) >> 4) & f->rsrc))
		return NULL;
	for (unsigned k = 0; k < f->nops; k++) {
		memcpy(p, t->pool + f->op[k].lit, LIT);
		p = put_number(t, p + f->op[k].litlen, raw, &f->op[k]);
	}
	memcpy(p, t->pool + f->lit, LIT);
	return p + f->litlen;
}

/* "%4zu: " for i < 2^32. */
static inline char *put_index(const struct bk__dfast *t, char *p, uint32_t i)
{
	unsigned n = i < SMALL ? ndigits(i) : 4;

	store_le(p, 0x20202020, 4); /* four spaces */
	p = put_digits(t, p + 4 - n, i);
	store_le(p, ':' | ' ' << 8, 2);
	return p + 2;
}

size_t bk__dfast_run(const struct bk__dfast *t, const struct bk_insn *insns, size_t n, size_t *i,
		     char *buf, size_t room)
{
	char *p = buf;
	size_t k = *i;

	if (n > UINT32_MAX) /* indices past 32 bits: the general printer */
		return 0;
	for (; k < n && (size_t)(buf + room - p) >= BK__DISASM_LINE; k++) {
		uint64_t raw;
		char *q = t->index ? put_index(t, p, (uint32_t)k) : p;

		memcpy(&raw, &insns[k], sizeof(raw));
		q = put_line(t, raw, q);
		if (!q)
			break;
		*q++ = '\n';
		p = q;
	}
	*i = k;
	return (size_t)(p - buf);
}
