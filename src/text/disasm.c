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

static void target(struct out *o, const struct bk_disasm_opts *opts, size_t i, int64_t rel)
{
	if (opts && opts->labels) {
		put_bytes(o, "L", 1);
		put_i64(o, (int64_t)i + 1 + rel, false);
	} else {
		put_i64(o, rel, true);
	}
}

static void field(struct out *o, char c, const struct bk_decoded *d, bool conf,
		  const struct bk_disasm_opts *opts, size_t i)
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
	case 'O':
		if (conf) {
			put_i64(o, d->off, true);
		} else {
			put_bytes(o, d->off < 0 ? " - " : " + ", 3);
			put_u64(o, (uint64_t)(d->off < 0 ? -(int32_t)d->off : d->off));
		}
		break;
	case 'J': target(o, opts, i, d->off); break;
	case 'G': target(o, opts, i, d->imm); break;
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

int bk_disasm_one(const struct bk_insn *insns, size_t n, size_t i,
		  const struct bk_disasm_opts *opts, char *buf, size_t size)
{
	enum bk_dialect dia = opts ? opts->dialect : BK_DIALECT_LLVM;
	bool conf = dia == BK_DIALECT_CONFORMANCE;
	struct out o = { buf, 0, size };
	struct bk_decoded d;
	const char *t;

	if (!buf || !size)
		return bk__err(-EINVAL);
	buf[0] = '\0';
	if (i >= n)
		return bk__err(-EINVAL);
	if (bk_insn_decode(insns, n, i, &d) < 0) {
		uint64_t raw;

		memcpy(&raw, &insns[i], 8);
		put(&o, ".quad 0x%016" PRIx64 " # unknown opcode 0x%02x", raw, insns[i].code);
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
			field(&o, t[1], &d, conf, opts, i);
		t += t[1] ? 2 : 1;
	}
	if (opts && opts->helper_names && d.info->shape == BK_SHAPE_CALL_HELPER &&
	    bk_helper_name(d.imm))
		put(&o, " # bpf_%s", bk_helper_name(d.imm));
	return d.width;
}

/* Which indices are jump targets, for label lines. */
static unsigned char *find_targets(const struct bk_insn *insns, size_t n)
{
	unsigned char *is = calloc(n + 1, 1);

	for (size_t i = 0; is && i < n; i++) {
		struct bk_decoded d;
		int64_t t;

		if (bk_insn_decode(insns, n, i, &d) < 0)
			continue;
		if (bk_insn_jump_target(&d, i, &t) && t >= 0 && (size_t)t <= n)
			is[t] = 1;
		i += d.width - 1;
	}
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
#define BK__DISASM_LINE 320

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
	unsigned char *labels = NULL;
	struct chunk *c;
	int ret = 0;

	if (!sink || (!insns && n))
		return bk__err(-EINVAL);
	c = malloc(sizeof(*c));
	if (!c)
		return bk__err(-ENOMEM);
	c->n = 0;
	c->sink = sink;
	c->ctx = ctx;
	if (opts && opts->labels)
		labels = find_targets(insns, n);
	if (opts && opts->labels && !labels) {
		free(c);
		return bk__err(-ENOMEM);
	}
	for (size_t i = 0; i < n;) {
		char *line = room(c);
		size_t len = 0;
		int w;

		if (labels && labels[i])
			len = put_prefix(line, i, true);
		if (opts && opts->index)
			len += put_prefix(line + len, i, false);
		w = bk_disasm_one(insns, n, i, opts, line + len, BK__DISASM_LINE - len - 1);
		if (w < 0) {
			ret = w;
			w = 1;
		}
		len += strlen(line + len);
		line[len++] = '\n';
		c->n += len;
		i += (size_t)w;
	}
	flush(c);
	free(c);
	free(labels);
	if (ret)
		errno = -ret;
	return ret;
}
