// SPDX-License-Identifier: MIT
/*
 * Printing instructions by filling the instruction table's templates. The
 * placeholder meanings are documented at the top of insn_table.def; the two
 * dialects differ only in how registers, offsets and 64-bit values look.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/disasm.h>
#include <bpfkit/names.h>

#include "text_int.h"

/* The longest line: a label line, an index and an instruction. */
#define BK__DISASM_LINE 320

struct out {
	char *p;
	size_t n, size;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->n >= o->size)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->p + o->n, o->size - o->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		o->n = o->n + (size_t)w < o->size ? o->n + (size_t)w : o->size - 1;
}

/* Bytes straight into the line: printf's machinery was most of the
 * disassembler's time, for text that is a handful of digits. */
static void put_bytes(struct out *o, const char *s, size_t len)
{
	if (o->n + len >= o->size)
		len = o->n + 1 < o->size ? o->size - o->n - 1 : 0;
	memcpy(o->p + o->n, s, len);
	o->n += len;
	o->p[o->n] = '\0';
}

static void put_u64(struct out *o, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_bytes(o, tmp + i, sizeof(tmp) - i);
}

/* A signed decimal; plus writes '+' before non-negative values. */
static void put_i64(struct out *o, int64_t v, bool plus)
{
	if (v < 0 || plus)
		put_bytes(o, v < 0 ? "-" : "+", 1);
	put_u64(o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

static void reg(struct out *o, bool conf, char kind, unsigned r)
{
	if (conf)
		put_bytes(o, "%r", 2);
	else
		put_bytes(o, &kind, 1);
	put_u64(o, r);
}

/* What a printed line knows beyond the slot: which indices carry labels
 * (NULL: any index of the program may, for bk_disasm_one()). */
struct where {
	size_t i, n;
	const unsigned char *labels;
};

static void target(struct out *o, const struct bk_disasm_opts *opts, const struct where *w,
		   int64_t rel)
{
	int64_t t = (int64_t)w->i + 1 + rel;
	bool in = t >= 0 && (size_t)t <= w->n;

	if (opts && opts->labels && in && (!w->labels || w->labels[t])) {
		/* LLVM's "call pc+N" names a label bare: "call L7" */
		if (o->n >= 2 && !memcmp(o->p + o->n - 2, "pc", 2))
			o->n -= 2;
		put_bytes(o, "L", 1);
		put_i64(o, t, false);
	} else {
		put_i64(o, rel, true);
	}
}

static void field(struct out *o, char c, const struct bk_decoded *d, bool conf,
		  const struct bk_disasm_opts *opts, const struct where *w)
{
	switch (c) {
	case 'D': reg(o, conf, 'r', d->dst); break;
	case 'd': reg(o, conf, 'w', d->dst); break;
	case 'S': reg(o, conf, 'r', d->src); break;
	case 's': reg(o, conf, 'w', d->src); break;
	case 'I': put_i64(o, d->imm, false); break;
	case 'K':
		if (conf)
			put(o, "0x%" PRIx64, d->imm64);
		else
			put_i64(o, (int64_t)d->imm64, false);
		break;
	case 'N':
		if (d->imm2) {
			put_bytes(o, ", ", 2);
			put_i64(o, d->imm2, false);
		}
		break;
	case 'M':
		if (d->off) {
			put_bytes(o, ", ", 2);
			put_i64(o, d->off, false);
		}
		break;
	case 'O':
		if (conf) {
			put_i64(o, d->off, true);
		} else {
			put_bytes(o, d->off < 0 ? " - " : " + ", 3);
			put_u64(o, (uint64_t)(d->off < 0 ? -(int32_t)d->off : d->off));
		}
		break;
	case 'J': target(o, opts, w, d->off); break;
	case 'G': target(o, opts, w, d->imm); break;
	case 'A': put(o, "%u, %u", (unsigned)d->imm >> 16, (unsigned)d->imm & 0xffff); break;
	case 'X':
		if (d->imm) {
			put_bytes(o, " + ", 3);
			put_i64(o, d->imm, false);
		}
		break;
	case '%': put(o, "%%"); break;
	default: put(o, "%%%c", c); break;
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

/* A slot as data the assembler reads back to the same bytes. */
static void raw_line(struct out *o, const struct bk_insn *in, const char *why)
{
	uint64_t raw;

	memcpy(&raw, in, 8);
	o->n = 0;
	put(o, ".8byte 0x%016" PRIx64 " # %s", raw, why);
}

static int disasm_slot(const struct bk_insn *insns, const struct where *w,
		       const struct bk_disasm_opts *opts, char *buf, size_t size)
{
	enum bk_dialect dia = opts ? opts->dialect : BK_DIALECT_LLVM;
	bool conf = dia == BK_DIALECT_CONFORMANCE;
	struct out o = { buf, 0, size };
	struct bk_decoded d;
	const char *t;
	char why[96];
	int err;

	buf[0] = '\0';
	err = bk_insn_decode(insns, w->n, w->i, &d);
	if (err < 0) {
		undecodable(insns, w->n, w->i, err, why, sizeof(why));
		raw_line(&o, &insns[w->i], why);
		return bk__err(-EINVAL);
	}
	if (unprintable(insns, w->n, w->i, &d, bk__tpl(d.info, dia), why, sizeof(why))) {
		raw_line(&o, &insns[w->i], why);
		return bk__err(-EINVAL);
	}
	for (t = bk__tpl(d.info, dia); *t;) {
		size_t lit = 0;

		while (t[lit] && t[lit] != '%')
			lit++;
		/* literal runs are copied, not formatted: most of a line is literal */
		if (lit) {
			put_bytes(&o, t, lit);
			t += lit;
			continue;
		}
		if (t[1])
			field(&o, t[1], &d, conf, opts, w);
		t += t[1] ? 2 : 1;
	}
	if (opts && opts->helper_names && d.info->shape == BK_SHAPE_CALL_HELPER &&
	    bk_helper_name(d.imm))
		put(&o, " # bpf_%s", bk_helper_name(d.imm));
	return d.width;
}

int bk_disasm_one(const struct bk_insn *insns, size_t n, size_t i,
		  const struct bk_disasm_opts *opts, char *buf, size_t size)
{
	struct where w = { i, n, NULL };

	if (!buf || !size)
		return bk__err(-EINVAL);
	buf[0] = '\0';
	if (!insns || i >= n)
		return bk__err(-EINVAL);
	return disasm_slot(insns, &w, opts, buf, size);
}

/* Which indices are jump targets that start a printed line, for labels:
 * a target off the program or inside a slot printed with its neighbour
 * stays a number. Index n (just past the end) may carry a label too. */
static unsigned char *find_targets(const struct bk_insn *insns, size_t n,
				   const struct bk_disasm_opts *opts)
{
	unsigned char *starts = calloc(n + 1, 1), *is = calloc(n + 1, 1);
	char buf[BK__DISASM_LINE];

	for (size_t i = 0; starts && is && i < n;) {
		struct where w = { i, n, NULL };
		int width = disasm_slot(insns, &w, opts, buf, sizeof(buf));

		starts[i] = 1;
		i += width > 0 ? (size_t)width : 1;
	}
	if (starts)
		starts[n] = 1;
	for (size_t i = 0; starts && is && i < n; i++) {
		struct bk_decoded d;
		int64_t t;
		char why[96];

		if (!starts[i] || bk_insn_decode(insns, n, i, &d) < 0 ||
		    unprintable(insns, n, i, &d, bk__tpl(d.info, opts->dialect), why, sizeof(why)))
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
	char buf[16384];
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
static size_t put_prefix(char *p, size_t i, bool label)
{
	struct out o = { p, 0, 32 };

	if (label) {
		put_bytes(&o, "L", 1);
		put_u64(&o, i);
		put_bytes(&o, ":\n", 2);
		return o.n;
	}
	for (size_t w = i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4; w < 4; w++)
		put_bytes(&o, " ", 1);
	put_u64(&o, i);
	put_bytes(&o, ": ", 2);
	return o.n;
}

int bk_disasm(const struct bk_insn *insns, size_t n, const struct bk_disasm_opts *opts,
	      bk_sink_fn sink, void *ctx)
{
	struct bk_disasm_opts dflt = { .sz = sizeof(dflt) };
	unsigned char *labels = NULL;
	struct chunk *c;
	int ret = 0;

	if (!sink || (!insns && n))
		return bk__err(-EINVAL);
	if (!opts)
		opts = &dflt;
	c = malloc(sizeof(*c));
	if (!c)
		return bk__err(-ENOMEM);
	c->n = 0;
	c->sink = sink;
	c->ctx = ctx;
	if (opts->labels)
		labels = find_targets(insns, n, opts);
	if (opts->labels && !labels) {
		free(c);
		return bk__err(-ENOMEM);
	}
	for (size_t i = 0; i < n;) {
		struct where wh = { i, n, labels };
		char *line = room(c);
		size_t len = 0;
		int w;

		if (labels && labels[i])
			len = put_prefix(line, i, true);
		if (opts->index)
			len += put_prefix(line + len, i, false);
		w = disasm_slot(insns, &wh, opts, line + len, BK__DISASM_LINE - len - 1);
		if (w < 0) {
			ret = w;
			w = 1;
		}
		len += strlen(line + len);
		line[len++] = '\n';
		c->n += len;
		i += (size_t)w;
	}
	if (labels && labels[n]) /* a jump just past the last instruction */
		c->n += put_prefix(room(c), n, true);
	flush(c);
	free(c);
	free(labels);
	if (ret)
		errno = -ret;
	return ret;
}
