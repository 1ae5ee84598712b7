// SPDX-License-Identifier: MIT
/*
 * Printing instructions by filling the instruction table's templates. The
 * placeholder meanings are documented at the top of insn_table.def; the two
 * dialects differ only in how registers, offsets and 64-bit values look.
 *
 * Speed: each template is split once per program into literal runs and
 * placeholders (struct row_fmt), and a line is written through a bare
 * cursor into room known to be enough (LINE_MAX_TEXT), never through
 * printf or a bounds check per byte. Whole programs print most rows through
 * the fast printer of disasm_fast.c; this one prints what it leaves.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/disasm.h>
#include <bpfkit/names.h>

#include "text_int.h"

/* The longest instruction text: the longest template (under 60 bytes) with
 * numbers of up to 20 digits, or a raw line with its reason. */
#define LINE_MAX_TEXT 256

/* A template split into literal runs and placeholders. */
struct row_fmt {
	struct seg {
		char lit[32]; /* literal text, copied 32 bytes at a time */
		uint8_t len;  /* its length */
		char ph;      /* the placeholder after it, or 0 */
	} seg[8];
	uint8_t nseg;
	uint8_t zero;	/* BK_FIELD_* bits the slot must hold as 0 */
	uint64_t zero_bits; /* the same as bits of the slot read as a number */
	uint8_t regs;	/* BK_FIELD_DST/SRC bits printed as registers */
	uint8_t imm2;	/* the second slot's imm is printed */
	uint8_t top;	/* the highest register the dialect names */
	bool ready;
};

/* Everything prepared once per program. */
struct fmt_table {
	struct row_fmt row[BK_OP__COUNT];
	/* the row of each opcode that alone decides it (no discriminator) */
	const struct bk_insn_info *by_code[256];
	/* the rows of an opcode with a discriminator: first and count */
	const struct bk_insn_info *first[256];
	uint8_t nrows[256];
	/* the options, read once */
	enum bk_dialect dia;
	bool conf, helpers;
};

/* The options into ft, read once per program rather than per slot. */
static void set_opts(struct fmt_table *ft, const struct bk_disasm_opts *opts)
{
	ft->dia = opts ? opts->dialect : BK_DIALECT_LLVM;
	ft->conf = ft->dia == BK_DIALECT_CONFORMANCE;
	ft->helpers = opts && opts->helper_names;
}

/* What a printed line knows beyond the slot: which indices carry labels
 * (NULL: any index of the program may, for bk_disasm_one()). */
struct where {
	size_t i, n;
	const unsigned char *labels;
};

static char *put_str(char *p, const char *s, size_t len)
{
	while (len--)
		*p++ = *s++;
	return p;
}

static const char digit_pairs[] = "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
				  "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* Decimal digits of u. */
static unsigned digits32(uint32_t u)
{
	return u < 10 ? 1 : u < 100 ? 2 : u < 1000 ? 3 : u < 10000 ? 4 : u < 100000 ? 5
	       : u < 1000000 ? 6 : u < 10000000 ? 7 : u < 100000000 ? 8 : u < 1000000000 ? 9
	       : 10;
}

static char *put_u64(char *p, uint64_t v)
{
	char *e;
	uint32_t u;

	if (v < 10) { /* most numbers of a program are small */
		*p++ = (char)('0' + v);
		return p;
	}
	if (v > UINT32_MAX) { /* rare: the top digits first, then nine more */
		uint64_t hi = v / 1000000000;

		p = put_u64(p, hi);
		v -= hi * 1000000000;
		e = p + 9;
		for (unsigned k = 0; k < 9; k++, v /= 10)
			p[8 - k] = (char)('0' + v % 10);
		return e;
	}
	u = (uint32_t)v;
	e = p + digits32(u); /* written backwards, straight into the line */
	p = e;
	for (; u >= 100; u /= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (u % 100), 2);
	}
	if (u >= 10)
		memcpy(p - 2, digit_pairs + 2 * u, 2);
	else
		p[-1] = (char)('0' + u);
	return e;
}

/* A signed decimal; plus writes '+' before non-negative values. */
static char *put_i64(char *p, int64_t v, bool plus)
{
	if (v < 0)
		*p++ = '-';
	else if (plus)
		*p++ = '+';
	return put_u64(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

static char *put_hex(char *p, uint64_t v)
{
	char tmp[16];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*p++ = '0';
	*p++ = 'x';
	return put_str(p, tmp + i, sizeof(tmp) - i);
}

static char *reg(char *p, bool conf, char kind, unsigned r)
{
	if (conf) {
		*p++ = '%';
		*p++ = 'r';
	} else {
		*p++ = kind;
	}
	if (r >= 10) {
		*p++ = (char)('0' + r / 10);
		r %= 10;
	}
	*p++ = (char)('0' + r);
	return p;
}

static char *target(char *p, const char *line, const struct bk_disasm_opts *opts,
		    const struct where *w, int64_t rel)
{
	int64_t t = (int64_t)w->i + 1 + rel;
	bool in = t >= 0 && (size_t)t <= w->n;

	if (opts && opts->labels && in && (!w->labels || w->labels[t])) {
		/* LLVM's "call pc+N" names a label bare: "call L7" */
		if (p - line >= 2 && p[-2] == 'p' && p[-1] == 'c')
			p -= 2;
		*p++ = 'L';
		return put_i64(p, t, false);
	}
	return put_i64(p, rel, true);
}

static char *field(char *p, const char *line, char c, const struct bk_decoded *d, bool conf,
		   const struct bk_disasm_opts *opts, const struct where *w)
{
	switch (c) {
	case 'D': return reg(p, conf, 'r', d->dst);
	case 'd': return reg(p, conf, 'w', d->dst);
	case 'S': return reg(p, conf, 'r', d->src);
	case 's': return reg(p, conf, 'w', d->src);
	case 'I': return put_i64(p, d->imm, false);
	case 'K': return conf ? put_hex(p, d->imm64) : put_i64(p, (int64_t)d->imm64, false);
	case 'N':
		if (!d->imm2)
			return p;
		return put_i64(put_str(p, ", ", 2), d->imm2, false);
	case 'M':
		if (!d->off)
			return p;
		return put_i64(put_str(p, ", ", 2), d->off, false);
	case 'O':
		if (conf)
			return put_i64(p, d->off, true);
		p = put_str(p, d->off < 0 ? " - " : " + ", 3);
		return put_u64(p, (uint64_t)(d->off < 0 ? -(int32_t)d->off : d->off));
	case 'J': return target(p, line, opts, w, d->off);
	case 'G': return target(p, line, opts, w, d->imm);
	case 'A':
		p = put_u64(p, (uint32_t)d->imm >> 16);
		return put_u64(put_str(p, ", ", 2), (uint32_t)d->imm & 0xffff);
	case 'X':
		if (!d->imm)
			return p;
		return put_i64(put_str(p, " + ", 3), d->imm, false);
	default: return p;
	}
}

/* Fields a template prints: BK_FIELD_* bits, and IMM2 for the second
 * slot's imm. Whatever a line does not print must be zero in the slot, or
 * the text would re-assemble to other bytes. */
#define IMM2 (1u << 4)

static unsigned printed_fields(const char *t)
{
	unsigned f = 0;

	for (; (t = strchr(t, '%')); t += 2) {
		switch (t[1]) {
		case 'D': case 'd': f |= BK_FIELD_DST; break;
		case 'S': case 's': f |= BK_FIELD_SRC; break;
		case 'O': case 'J': case 'M': f |= BK_FIELD_OFF; break;
		case 'I': case 'G': case 'A': case 'X': f |= BK_FIELD_IMM; break;
		case 'K': f |= BK_FIELD_IMM | IMM2; break;
		case 'N': f |= IMM2; break;
		case '\0': return f;
		default: break;
		}
	}
	return f;
}

static const char *const field_words[] = { "dst_reg", "src_reg", "off", "imm" };

/* The first field set in bad (BK_FIELD_* bits) that is nonzero in in. */
static int nonzero(const struct bk_insn *in, unsigned bad)
{
	const int v[4] = { (int)in->dst_reg, (int)in->src_reg, in->off, in->imm };

	for (int k = 0; k < 4; k++)
		if ((bad & (1u << k)) && v[k])
			return k;
	return -1;
}

/* The second slot of a ld_imm64: opcode and everything but imm zero. */
static bool bad_second(const struct bk_insn *in, unsigned printed, char *why, size_t size)
{
	int k = nonzero(in, BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF |
				    (printed & IMM2 ? 0 : BK_FIELD_IMM));

	if (in->code)
		snprintf(why, size, "ld_imm64: second slot has opcode 0x%02x, must be 0x00",
			 in->code);
	else if (k >= 0)
		snprintf(why, size, "ld_imm64: second slot %s must be 0", field_words[k]);
	return in->code || k >= 0;
}

/*
 * Why the decoded slot cannot print as an instruction that re-assembles to
 * the same bytes, in why; false when it can.
 */
static bool unprintable(const struct bk_insn *insns, size_t n, size_t i, const struct bk_decoded *d,
			const char *tpl, char *why, size_t size)
{
	const struct bk_insn *in = &insns[i];
	const struct bk_insn_info *r = d->info;
	unsigned printed = printed_fields(tpl), disc;
	/* r11 is LLVM's (the kernel's hidden AX), not the conformance suite's */
	unsigned top = tpl == r->conf ? 10 : 11;
	const char *shape = bk_insn_shape_name(r->shape);
	int k;

	disc = r->disc == BK_DISC_OFF ? BK_FIELD_OFF : r->disc == BK_DISC_IMM ? BK_FIELD_IMM
			: r->disc == BK_DISC_SRC ? BK_FIELD_SRC : 0;
	k = nonzero(in, (BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF | BK_FIELD_IMM) &
				~(printed | disc));
	if (k >= 0) {
		snprintf(why, size, "%s: %s must be 0", shape, field_words[k]);
		return true;
	}
	if ((printed & BK_FIELD_DST) && in->dst_reg > top) {
		snprintf(why, size, "%s: no register r%u", shape, (unsigned)in->dst_reg);
		return true;
	}
	if ((printed & BK_FIELD_SRC) && in->src_reg > top) {
		snprintf(why, size, "%s: no register r%u", shape, (unsigned)in->src_reg);
		return true;
	}
	return r->width == 2 && i + 1 < n && bad_second(&insns[i + 1], printed, why, size);
}

/* Why a slot does not decode at all. */
static void undecodable(const struct bk_insn *insns, size_t n, size_t i, int err, char *why,
			size_t size)
{
	const struct bk_insn *in = &insns[i];
	size_t rows;
	const struct bk_insn_info *t = bk_insn_table(&rows);

	(void)n;
	if (err == -EINVAL) {
		snprintf(why, size, "%s", "ld_imm64: second slot missing (the program ends)");
		return;
	}
	if (in->code == 0) {
		snprintf(why, size, "%s", "opcode 0x00 without a ld_imm64 before it");
		return;
	}
	for (size_t k = 0; k < rows; k++) {
		if (t[k].opcode != in->code)
			continue;
		snprintf(why, size, "opcode 0x%02x has no instruction with %s %d", in->code,
			 t[k].disc == BK_DISC_OFF ? "off" : t[k].disc == BK_DISC_IMM ? "imm" : "src_reg",
			 t[k].disc == BK_DISC_OFF   ? in->off
			 : t[k].disc == BK_DISC_IMM ? in->imm
						    : (int)in->src_reg);
		return;
	}
	snprintf(why, size, "unknown opcode 0x%02x", in->code);
}


/* Split row r's template for dialect dia into f. */
static void prepare(struct row_fmt *f, const struct bk_insn_info *r, enum bk_dialect dia)
{
	const char *t = bk__tpl(r, dia);
	unsigned printed = printed_fields(t), disc;

	f->nseg = 0;
	while (*t && f->nseg < sizeof(f->seg) / sizeof(f->seg[0])) {
		struct seg *sg = &f->seg[f->nseg++];

		memset(sg, 0, sizeof(*sg));
		while (*t && sg->len < sizeof(sg->lit)) { /* a literal run ("%%" is '%') */
			if (t[0] == '%' && t[1] == '%') {
				sg->lit[sg->len++] = '%';
				t += 2;
			} else if (t[0] == '%') {
				break;
			} else {
				sg->lit[sg->len++] = *t++;
			}
		}
		if (t[0] == '%' && t[1] && t[1] != '%') { /* then its placeholder */
			sg->ph = t[1];
			t += 2;
		} else if (t[0] == '%' && !t[1]) {
			t++;
		}
	}
	disc = r->disc == BK_DISC_OFF ? BK_FIELD_OFF : r->disc == BK_DISC_IMM ? BK_FIELD_IMM
			: r->disc == BK_DISC_SRC ? BK_FIELD_SRC : 0;
	f->zero = (uint8_t)((BK_FIELD_DST | BK_FIELD_SRC | BK_FIELD_OFF | BK_FIELD_IMM) &
			    ~(printed | disc));
	{
		struct bk_insn m = { 0 };

		/* the mask of those fields, whichever way the host lays them out */
		m.dst_reg = f->zero & BK_FIELD_DST ? 0xf : 0;
		m.src_reg = f->zero & BK_FIELD_SRC ? 0xf : 0;
		m.off = f->zero & BK_FIELD_OFF ? -1 : 0;
		m.imm = f->zero & BK_FIELD_IMM ? -1 : 0;
		memcpy(&f->zero_bits, &m, 8);
	}
	f->regs = (uint8_t)(printed & (BK_FIELD_DST | BK_FIELD_SRC));
	f->imm2 = (printed & IMM2) != 0;
	f->top = dia == BK_DIALECT_CONFORMANCE ? 10 : 11;
	f->ready = true;
}

/* Whether the fast checks pass: nothing unprinted is set, registers exist,
 * a ld_imm64's second slot is clean. unprintable() says why when not. */
static bool clean(const struct row_fmt *f, const struct bk_insn *insns, size_t n, size_t i,
		  unsigned width)
{
	const struct bk_insn *in = &insns[i], *nx;
	uint64_t raw;

	memcpy(&raw, in, 8);
	if (raw & f->zero_bits)
		return false;
	if (((f->regs & BK_FIELD_DST) && in->dst_reg > f->top) ||
	    ((f->regs & BK_FIELD_SRC) && in->src_reg > f->top))
		return false;
	if (width < 2 || i + 1 >= n)
		return true;
	nx = &insns[i + 1];
	return !nx->code && !nx->dst_reg && !nx->src_reg && !nx->off && (f->imm2 || !nx->imm);
}

/* A slot as data the assembler reads back to the same bytes. */
static char *raw_line(char *p, const struct bk_insn *in, const char *why)
{
	uint64_t raw;
	char hex[17];

	memcpy(&raw, in, 8);
	snprintf(hex, sizeof(hex), "%016" PRIx64, raw);
	p = put_str(p, ".8byte 0x", 9);
	p = put_str(p, hex, 16);
	p = put_str(p, " # ", 3);
	return put_str(p, why, strnlen(why, 120));
}

/*
 * The text of the slot at w->i into line (room for LINE_MAX_TEXT bytes, not
 * terminated); *end is set past it. Returns the slots it takes, or -EINVAL
 * for a slot printed as raw data.
 */
static inline int print_slot(const struct bk_insn *insns, const struct where *w,
		      const struct bk_disasm_opts *opts, struct fmt_table *ft, char *line,
		      char **end)
{
	enum bk_dialect dia = ft->dia;
	bool conf = ft->conf;
	const struct bk_insn *in = &insns[w->i];
	const struct bk_insn_info *info = ft->by_code[in->code];
	struct bk_decoded d;
	struct row_fmt *f;
	char why[96], *p = line;
	int err = 0;

	if (!info && ft->nrows[in->code]) { /* a discriminated opcode of one slot */
		const struct bk_insn_info *r = ft->first[in->code];

		for (unsigned k = 0; k < ft->nrows[in->code]; k++, r++) {
			int32_t v = r->disc == BK_DISC_OFF ? in->off
				    : r->disc == BK_DISC_IMM ? in->imm
							     : (int32_t)in->src_reg;

			if (v == r->dval) {
				info = r;
				break;
			}
		}
	}
	if (info) { /* the common case, decoded in place */
		d = (struct bk_decoded){ .info = info, .dst = (uint8_t)in->dst_reg,
					 .src = (uint8_t)in->src_reg, .off = in->off,
					 .imm = in->imm, .imm64 = (uint64_t)(int64_t)in->imm,
					 .width = 1 };
	} else {
		err = bk_insn_decode(insns, w->n, w->i, &d);
	}
	if (err < 0) {
		undecodable(insns, w->n, w->i, err, why, sizeof(why));
		*end = raw_line(line, &insns[w->i], why);
		return -EINVAL;
	}
	f = &ft->row[d.info->id];
	if (!f->ready)
		prepare(f, d.info, dia);
	if (!clean(f, insns, w->n, w->i, d.width)) {
		unprintable(insns, w->n, w->i, &d, bk__tpl(d.info, dia), why, sizeof(why));
		*end = raw_line(line, &insns[w->i], why);
		return -EINVAL;
	}
	for (unsigned k = 0; k < f->nseg; k++) {
		const struct seg *sg = &f->seg[k];

		memcpy(p, sg->lit, sizeof(sg->lit)); /* the line has room: the padded run */
		p += sg->len;
		if (sg->ph)
			p = field(p, line, sg->ph, &d, conf, opts, w);
	}
	if (ft->helpers && d.info->shape == BK_SHAPE_CALL_HELPER &&
	    bk_helper_name(d.imm)) {
		const char *name = bk_helper_name(d.imm);

		p = put_str(p, " # bpf_", 7);
		p = put_str(p, name, strnlen(name, 100));
	}
	*end = p;
	return d.width;
}

int bk_disasm_one(const struct bk_insn *insns, size_t n, size_t i,
		  const struct bk_disasm_opts *opts, char *buf, size_t size)
{
	struct where w = { i, n, NULL };
	struct fmt_table *ft;
	char line[LINE_MAX_TEXT], *end;
	size_t len;
	int ret;

	if (!buf || !size)
		return bk__err(-EINVAL);
	buf[0] = '\0';
	if (!insns || i >= n)
		return bk__err(-EINVAL);
	ft = calloc(1, sizeof(*ft)); /* by_code left empty: one slot, decoded the long way */
	if (!ft)
		return bk__err(-ENOMEM);
	set_opts(ft, opts);
	ret = print_slot(insns, &w, opts, ft, line, &end);
	free(ft);
	len = (size_t)(end - line) < size ? (size_t)(end - line) : size - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	return ret < 0 ? bk__err(ret) : ret;
}

/* by_code: the opcodes one row decides alone (no discriminator, one slot). */
static void index_codes(struct fmt_table *ft)
{
	size_t rows;
	const struct bk_insn_info *t = bk_insn_table(&rows);

	for (size_t k = 0; k < rows; k++) {
		uint8_t c = t[k].opcode;

		if (t[k].disc == BK_DISC_NONE && t[k].width == 1) {
			ft->by_code[c] = &t[k];
		} else if (t[k].width == 1 && t[k].disc != BK_DISC_NONE) {
			if (!ft->nrows[c])
				ft->first[c] = &t[k]; /* rows of an opcode are adjacent */
			ft->nrows[c]++;
		}
	}
}

/* Which indices are jump targets that start a printed line, for labels:
 * a target off the program or inside a slot printed with its neighbour
 * stays a number. Index n (just past the end) may carry a label too. */
static unsigned char *find_targets(const struct bk_insn *insns, size_t n,
				   const struct bk_disasm_opts *opts, struct fmt_table *fmts)
{
	unsigned char *starts = calloc(n + 1, 1), *is = calloc(n + 1, 1);
	char line[LINE_MAX_TEXT], *end;

	for (size_t i = 0; starts && is && i < n;) {
		struct where w = { i, n, NULL };
		int width = print_slot(insns, &w, opts, fmts, line, &end);

		starts[i] = width > 0 ? 2 : 1; /* 2: a valid instruction starts here */
		i += width > 0 ? (size_t)width : 1;
	}
	if (starts)
		starts[n] = 1;
	for (size_t i = 0; starts && is && i < n; i++) {
		struct bk_decoded d;
		int64_t t;

		if (starts[i] != 2 || bk_insn_decode(insns, n, i, &d) < 0)
			continue;
		if (bk_insn_jump_target(&d, i, &t) && t >= 0 && (size_t)t <= n && starts[t])
			is[t] = 1;
	}
	if (!starts) {
		free(is);
		return NULL;
	}
	free(starts);
	return is;
}

/* Lines gathered into one sink call per chunk: a call (and for a FILE
 * sink, a lock) per line cost more than the formatting. */
struct chunk {
	char buf[65536];
	size_t n;
	bk_sink_fn sink;
	void *ctx;
};

static void flush(struct chunk *c)
{
	if (c->n)
		c->sink(c->ctx, c->buf, c->n);
	c->n = 0;
}

/* Room for one more line of at most BK__DISASM_LINE bytes. */

static char *room(struct chunk *c)
{
	if (c->n + BK__DISASM_LINE > sizeof(c->buf))
		flush(c);
	return c->buf + c->n;
}

/* "L<i>:\n" and "%4zu: " without printf. */
static char *put_prefix(char *p, size_t i, bool label)
{
	if (label) {
		*p++ = 'L';
		p = put_u64(p, i);
		return put_str(p, ":\n", 2);
	}
	for (size_t w = i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4; w < 4; w++)
		*p++ = ' ';
	p = put_u64(p, i);
	return put_str(p, ": ", 2);
}

/*
 * The fast printer's tables, one set per option combination, built at the
 * first disassembly long enough to pay for them and kept for the process.
 * Building costs about 60 us, what printing some 2000 slots the general way
 * costs more than the fast way: a short program (a verifier complaint, one
 * object's few programs) prints the general way and builds nothing.
 */
#define FAST_MIN_SLOTS 2048
static _Atomic(struct bk__dfast *) fast_cache[2][2][2];

static const struct bk__dfast *fast_tables(const struct fmt_table *ft,
					   const struct bk_disasm_opts *opts, size_t n)
{
	bool conf = ft->dia == BK_DIALECT_CONFORMANCE;
	_Atomic(struct bk__dfast *) *slot = &fast_cache[conf][ft->helpers][opts->index];
	struct bk__dfast *t = atomic_load_explicit(slot, memory_order_acquire), *none = NULL;

	if (t || opts->labels || n < FAST_MIN_SLOTS)
		return opts->labels ? NULL : t;
	if (bk__dfast_new(ft->dia, ft->helpers, opts->index, &t) < 0)
		return NULL; /* only an optimisation: everything prints the general way */
	if (!atomic_compare_exchange_strong_explicit(slot, &none, t, memory_order_acq_rel,
						     memory_order_acquire)) {
		bk__dfast_free(t); /* another thread built the same: use its */
		t = none;
	}
	return t;
}

int bk_disasm(const struct bk_insn *insns, size_t n, const struct bk_disasm_opts *opts,
	      bk_sink_fn sink, void *ctx)
{
	struct bk_disasm_opts dflt = { .sz = sizeof(dflt) };
	unsigned char *labels = NULL;
	const struct bk__dfast *fast;
	struct fmt_table *fmts;
	struct chunk *c;
	int ret = 0;

	if (!sink || (!insns && n))
		return bk__err(-EINVAL);
	if (!opts)
		opts = &dflt;
	c = malloc(sizeof(*c));
	fmts = calloc(1, sizeof(*fmts));
	if (!c || !fmts) {
		free(c);
		free(fmts);
		return bk__err(-ENOMEM);
	}
	index_codes(fmts);
	set_opts(fmts, opts);
	c->n = 0;
	c->sink = sink;
	c->ctx = ctx;
	if (opts->labels) {
		labels = find_targets(insns, n, opts, fmts);
		if (!labels) {
			free(c);
			free(fmts);
			return bk__err(-ENOMEM);
		}
	}
	/* without labels, the rows the fast printer knows print there; it
	 * stops at the others */
	fast = fast_tables(fmts, opts, n);
	for (size_t i = 0; i < n;) {
		struct where wh = { i, n, labels };
		char *p, *start;
		int w;

		if (fast) { /* the lines it prints, then the one it stops at here */
			c->n += bk__dfast_run(fast, insns, n, &i, c->buf + c->n, sizeof(c->buf) - c->n);
			if (i == n)
				break;
			wh.i = i;
		}
		p = room(c);
		start = p;
		if (labels && labels[i])
			p = put_prefix(p, i, true);
		if (opts->index)
			p = put_prefix(p, i, false);
		w = print_slot(insns, &wh, opts, fmts, p, &p);
		if (w < 0) {
			ret = w;
			w = 1;
		}
		*p++ = '\n';
		c->n += (size_t)(p - start);
		i += (size_t)w;
	}
	if (labels && labels[n]) { /* a jump just past the last instruction */
		char *p = room(c);

		c->n += (size_t)(put_prefix(p, n, true) - p);
	}
	flush(c);
	free(c);
	free(fmts);
	free(labels);
	if (ret)
		errno = -ret;
	return ret;
}
