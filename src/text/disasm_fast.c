// SPDX-License-Identifier: MIT
/*
 * The disassembler's fast path: the one-slot rows whose every placeholder is
 * a plain number (a register, an immediate, an offset, a relative target)
 * print here, without a branch that depends on the instruction. Anything
 * else (ld_imm64, labels, helper names, an encoding that is not clean) is
 * left to disasm.c, which prints it the general way.
 *
 * Why: on a real program the rows follow each other in no order the branch
 * predictor can learn, and a mispredicted branch per placeholder and per
 * digit was most of the disassembler's time. So every row is compiled once
 * per program from its template (the instruction table stays the one source)
 * into the same straight-line recipe: literal, number, literal, number, ...,
 * padded to MAX_OPS numbers that print nothing; and a number is printed from
 * its field by the same code whatever its kind and size.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/insn.h>

#include "text_int.h"

/* Numbers a fast row prints: the most any one-slot template has (an atomic
 * with its fetch register, address, offset and source). */
#define MAX_OPS 4
/* Literal runs are copied this many bytes at a time: longer ones go slow. */
#define LIT 32

/* The slot fields, read from the slot as one 64-bit number. */
enum { FLD_CODE, FLD_DST, FLD_SRC, FLD_OFF, FLD_IMM, FLD_NONE, FLD__COUNT };

/* One number of a row: the literal before it, and how it prints. */
struct fop {
	uint64_t mask, sbit; /* its field (see struct fld), copied here */
	uint8_t lo;
	uint8_t field;	   /* FLD_* */
	uint16_t lit;	   /* the literal: offset in the pool */
	uint8_t litlen;	   /* its length */
	uint8_t plen[2];   /* lengths of pre[0] (value >= 0) and pre[1] (< 0) */
	char pre[2][4];	   /* what comes before the digits: "", "-", "+", " + ", " - " */
};

struct frow {
	struct fop op[MAX_OPS];
	uint8_t nops;	     /* numbers in op[] */
	uint16_t lit;	     /* the literal after the last number */
	uint8_t litlen;
	bool fast;	     /* whether this row prints here */
	uint8_t regs;	     /* BK_FIELD_DST/SRC printed as registers */
	int32_t dval;	     /* the discriminator value the slot must hold */
	uint64_t zero_bits;  /* bits of the slot the template does not print: must be 0 */
};

struct bk__dfast {
	struct fld {
		uint64_t mask, sbit; /* the field's mask (after the shift), its sign bit */
		uint8_t lo;	     /* its lowest bit */
	} fld[FLD__COUNT];
	/* row of a slot: slot[base[code] + (discriminator & 511)], 0 for none;
	 * an opcode without discriminator has one entry (base = code), one with
	 * a discriminator 512 after the first 256 */
	uint16_t base[256];
	uint8_t cfield[256]; /* FLD_* of the discriminator, FLD_NONE without */
	uint8_t top;	     /* the highest register the dialect names */
	bool index;	     /* "%4zu: " before each line */
	uint16_t pairs[100]; /* "00" to "99" as numbers, the first digit lowest */
	struct frow row[BK_OP__COUNT];
	uint8_t *slot;
	char *pool;	     /* the literals, LIT bytes of slack at the end */
	size_t npool, cap;
};

#define DISC_SPAN 512u

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
		d->mask = b >> d->lo;
		/* off and imm are signed, the rest not */
		d->sbit = f == FLD_OFF || f == FLD_IMM ? (d->mask >> 1) + 1 : 0;
	}
}

/* Field f of slot raw, sign-extended where signed (as two's complement). */
static inline uint64_t get(const struct bk__dfast *t, uint64_t raw, unsigned f)
{
	const struct fld *d = &t->fld[f];

	return (((raw >> d->lo) & d->mask) ^ d->sbit) - d->sbit;
}

/* Add len bytes of s to the pool; the offset, or -1 when it is full. */
static int pool_add(struct bk__dfast *t, const char *s, size_t len)
{
	size_t at = t->npool;

	if (at + len + LIT > t->cap || at > UINT16_MAX)
		return -1;
	memcpy(t->pool + at, s, len);
	t->npool += len;
	return (int)at;
}

/* Prefix k of o: s, of at most 3 characters. */
static void set_pre(struct fop *o, int k, const char *s)
{
	size_t n = strnlen(s, 3);

	memset(o->pre[k], 0, sizeof(o->pre[k]));
	memcpy(o->pre[k], s, n);
	o->plen[k] = (uint8_t)n;
}

/* How placeholder c prints as a number: its field and prefixes, and the
 * register letters that go at the end of the literal before it. False for
 * a placeholder the fast path does not print. */
static bool number_of(char c, bool conf, struct fop *o, const char **reg)
{
	static const struct { char c; uint8_t field; const char *pos, *neg, *reg; } plain[] = {
		{ 'D', FLD_DST, "", "", "r" }, { 'd', FLD_DST, "", "", "w" },
		{ 'S', FLD_SRC, "", "", "r" }, { 's', FLD_SRC, "", "", "w" },
		{ 'I', FLD_IMM, "", "-", NULL }, { 'J', FLD_OFF, "+", "-", NULL },
		{ 'G', FLD_IMM, "+", "-", NULL },
	};

	if (c == 'O') { /* the LLVM offset spaces its sign: "r1 + 8" */
		o->field = FLD_OFF;
		set_pre(o, 0, conf ? "+" : " + ");
		set_pre(o, 1, conf ? "-" : " - ");
		*reg = NULL;
		return true;
	}
	for (size_t k = 0; k < sizeof(plain) / sizeof(plain[0]); k++) {
		if (plain[k].c != c)
			continue;
		o->field = plain[k].field;
		set_pre(o, 0, plain[k].pos);
		set_pre(o, 1, plain[k].neg);
		*reg = plain[k].reg && conf ? "%r" : plain[k].reg;
		return true;
	}
	return false;
}


/* The BK_FIELD_* bit of field f (0 for the opcode and none). */
static unsigned field_flag(unsigned f)
{
	return f == FLD_DST ? BK_FIELD_DST : f == FLD_SRC ? BK_FIELD_SRC
	       : f == FLD_OFF ? BK_FIELD_OFF : f == FLD_IMM ? BK_FIELD_IMM : 0;
}

/* Put the literal run lit into the pool as the run at *at, *len. */
static bool set_lit(struct bk__dfast *t, uint16_t *at, uint8_t *len, const char *lit, size_t n)
{
	int k = pool_add(t, lit, n);

	*at = (uint16_t)(k < 0 ? 0 : k);
	*len = (uint8_t)n;
	return k >= 0;
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
 * Compile row r's template for dialect dia into f, or leave f->fast false
 * when the row needs the general printer: two slots, a placeholder that is
 * not a plain number (or %J/%G printed as labels: jumps false), more than
 * MAX_OPS numbers or a literal run longer than LIT.
 */
static void compile(struct bk__dfast *t, struct frow *f, const struct bk_insn_info *r,
		    enum bk_dialect dia, bool jumps)
{
	const char *s = bk__tpl(r, dia);
	bool conf = dia == BK_DIALECT_CONFORMANCE;
	unsigned nops = 0, printed = 0, disc;
	char lit[LIT];
	size_t len = 0;

	memset(f, 0, sizeof(*f));
	if (r->width != 1)
		return;
	while (*s) {
		const char *reg = NULL;
		struct fop *o = &f->op[nops < MAX_OPS ? nops : 0];

		if (s[0] != '%' || s[1] == '%') { /* literal text ("%%" is '%') */
			if (len == LIT)
				return;
			lit[len++] = *s;
			s += s[0] == '%' ? 2 : 1;
			continue;
		}
		if (nops == MAX_OPS || !number_of(s[1], conf, o, &reg) ||
		    (!jumps && (s[1] == 'J' || s[1] == 'G')))
			return;
		for (; reg && *reg; reg++) { /* "r", "w" or "%r" ends the run before a register */
			if (len == LIT)
				return;
			lit[len++] = *reg;
			f->regs |= (uint8_t)field_flag(o->field);
		}
		if (!set_lit(t, &o->lit, &o->litlen, lit, len))
			return;
		o->lo = t->fld[o->field].lo;
		o->mask = t->fld[o->field].mask;
		o->sbit = t->fld[o->field].sbit;
		printed |= field_flag(o->field);
		len = 0;
		nops++;
		s += 2;
	}
	f->nops = (uint8_t)nops;
	if (!set_lit(t, &f->lit, &f->litlen, lit, len))
		return;
	disc = r->disc == BK_DISC_OFF ? BK_FIELD_OFF : r->disc == BK_DISC_IMM ? BK_FIELD_IMM
			: r->disc == BK_DISC_SRC ? BK_FIELD_SRC : 0;
	f->zero_bits = slot_bits((BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF | BK_FIELD_IMM) &
				 ~(printed | disc));
	f->dval = r->dval;
	f->fast = true;
}

/* Where row r is found: the slot entry for its opcode and discriminator, or
 * -1 when the index cannot hold it (it then prints the general way). */
static long place(struct bk__dfast *t, const struct bk_insn_info *r, unsigned *nblocks)
{
	unsigned c = r->opcode;
	uint8_t f = r->disc == BK_DISC_OFF ? FLD_OFF : r->disc == BK_DISC_IMM ? FLD_IMM
		    : r->disc == BK_DISC_SRC ? FLD_SRC : FLD_NONE;

	if (f == FLD_NONE)
		return t->cfield[c] == FLD_NONE ? (long)c : -1;
	if (t->cfield[c] == FLD_NONE) { /* the opcode's first row: its block */
		if (t->slot[c])
			return -1;
		t->cfield[c] = f;
		t->base[c] = (uint16_t)(256 + DISC_SPAN * (*nblocks)++);
	}
	if (t->cfield[c] != f || r->dval < 0 || (unsigned)r->dval >= DISC_SPAN)
		return -1;
	return (long)t->base[c] + r->dval;
}

int bk__dfast_new(enum bk_dialect dia, bool jumps, bool helpers, bool index,
		  struct bk__dfast **out)
{
	size_t rows, ndisc = 0;
	const struct bk_insn_info *tab = bk_insn_table(&rows);
	struct bk__dfast *t;
	unsigned nblocks = 0;

	for (size_t k = 0; k < rows; k++) /* an upper bound of the opcodes with a discriminator */
		ndisc += tab[k].disc != BK_DISC_NONE;
	t = calloc(1, sizeof(*t));
	if (t) {
		t->cap = (rows * (MAX_OPS + 1) + 1) * LIT;
		t->pool = malloc(t->cap);
		t->slot = calloc(256 + DISC_SPAN * ndisc, 1);
	}
	if (!t || !t->pool || !t->slot) {
		bk__dfast_free(t);
		return -ENOMEM;
	}
	set_fields(t);
	t->top = dia == BK_DIALECT_CONFORMANCE ? 10 : 11;
	t->index = index;
	for (unsigned k = 0; k < 100; k++)
		t->pairs[k] = (uint16_t)(('0' + k / 10) | ('0' + k % 10) << 8);
	for (unsigned c = 0; c < 256; c++) {
		t->base[c] = (uint16_t)c;
		t->cfield[c] = FLD_NONE;
	}
	for (size_t k = 0; k < rows; k++) {
		const struct bk_insn_info *r = &tab[k];
		long at = place(t, r, &nblocks);

		if (at < 0 || t->slot[at] || r->id >= BK_OP__COUNT || r->id > UINT8_MAX)
			continue; /* not found here: printed the general way */
		if (!(helpers && r->shape == BK_SHAPE_CALL_HELPER))
			compile(t, &t->row[r->id], r, dia, jumps);
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
	free(t->pool);
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

/* Store v's bytes lowest first, whatever the host's byte order. */
static inline void store_le(char *p, uint64_t v, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
	memcpy(p, (const char *)&v + 8 - len, len);
#else
	memcpy(p, &v, len);
#endif
}

/* The n decimal digits of a at p (room for 10 more bytes): the top two
 * digits and the low eight each shifted past their leading zeros. */
static inline char *put_digits(char *p, uint32_t a, unsigned n)
{
	uint32_t hi = a / 100000000;
	uint64_t h = (hi / 10) | ((hi % 10) << 8) | 0x3030;
	unsigned hl = n > 8 ? n - 8 : 0;

	store_le(p, h >> (8 * (2 - hl)), 2);
	store_le(p + hl, eight_digits(a % 100000000) >> (8 * (n < 8 ? 8 - n : 0)), 8);
	return p + n;
}

/* Number o of a row from slot raw. Most numbers of a program have at most
 * four digits: two pairs from a table, shifted past the leading zeros. */
static inline char *put_number(const struct bk__dfast *t, char *p, uint64_t raw,
			       const struct fop *o)
{
	uint64_t u = (((raw >> o->lo) & o->mask) ^ o->sbit) - o->sbit;
	unsigned neg = (unsigned)(u >> 63);
	uint32_t a = (uint32_t)(neg ? 0 - u : u);
	unsigned n = ndigits(a);

	memcpy(p, o->pre[neg], 4);
	p += o->plen[neg];
	if (a < 10000) {
		uint32_t hi = (a * 5243) >> 19;
		uint32_t w = t->pairs[hi] | (uint32_t)t->pairs[a - hi * 100] << 16;

		store_le(p, w >> (8 * (4 - n)), 4);
	} else {
		put_digits(p, a, n);
	}
	return p + n;
}

/* The line of slot raw at p, or NULL when the general printer must print
 * it (no fast row, or a field the row does not print is set). */
static inline char *put_line(const struct bk__dfast *t, uint64_t raw, char *p)
{
	unsigned code = (unsigned)get(t, raw, FLD_CODE);
	uint64_t v = get(t, raw, t->cfield[code]);
	const struct frow *f = &t->row[t->slot[t->base[code] + (v & (DISC_SPAN - 1))]];
	uint64_t dst = get(t, raw, FLD_DST), src = get(t, raw, FLD_SRC);
	bool bad = !f->fast || v != (uint64_t)(int64_t)f->dval || (raw & f->zero_bits) ||
		   ((f->regs & BK_FIELD_DST) && dst > t->top) ||
		   ((f->regs & BK_FIELD_SRC) && src > t->top);

	if (bad)
		return NULL;
	for (unsigned k = 0; k < f->nops; k++) {
		memcpy(p, t->pool + f->op[k].lit, LIT);
		p = put_number(t, p + f->op[k].litlen, raw, &f->op[k]);
	}
	memcpy(p, t->pool + f->lit, LIT);
	return p + f->litlen;
}

/* "%4zu: " for i < 2^32. */
static inline char *put_index(char *p, uint32_t i)
{
	unsigned n = ndigits(i);

	memcpy(p, "    ", 4);
	p = put_digits(p + (n < 4 ? 4 - n : 0), i, n);
	memcpy(p, ": ", 2);
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
		char *q = t->index ? put_index(p, (uint32_t)k) : p;

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
