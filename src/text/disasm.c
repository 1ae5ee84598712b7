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

static void reg(struct out *o, bool conf, char kind, unsigned r)
{
	if (conf)
		put(o, "%%r%u", r);
	else
		put(o, "%c%u", kind, r);
}

static void target(struct out *o, const struct bk_disasm_opts *opts, size_t i, int64_t rel)
{
	if (opts && opts->labels)
		put(o, "L%" PRId64, (int64_t)i + 1 + rel);
	else
		put(o, "%+" PRId64, rel);
}

static void field(struct out *o, char c, const struct bk_decoded *d, bool conf,
		  const struct bk_disasm_opts *opts, size_t i)
{
	switch (c) {
	case 'D': reg(o, conf, 'r', d->dst); break;
	case 'd': reg(o, conf, 'w', d->dst); break;
	case 'S': reg(o, conf, 'r', d->src); break;
	case 's': reg(o, conf, 'w', d->src); break;
	case 'I': put(o, "%d", d->imm); break;
	case 'K':
		if (conf)
			put(o, "0x%" PRIx64, d->imm64);
		else
			put(o, "%" PRId64, (int64_t)d->imm64);
		break;
	case 'N':
		if (d->imm2)
			put(o, ", %d", d->imm2);
		break;
	case 'O':
		if (conf)
			put(o, "%+d", d->off);
		else
			put(o, " %c %d", d->off < 0 ? '-' : '+', d->off < 0 ? -d->off : d->off);
		break;
	case 'J': target(o, opts, i, d->off); break;
	case 'G': target(o, opts, i, d->imm); break;
	case 'A': put(o, "%u, %u", (unsigned)d->imm >> 16, (unsigned)d->imm & 0xffff); break;
	case 'X':
		if (d->imm)
			put(o, " + %d", d->imm);
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
		size_t lit = strcspn(t, "%");

		/* literal runs are copied, not formatted: most of a line is literal */
		if (lit) {
			if (o.n + lit >= o.size)
				lit = o.size - o.n - 1;
			memcpy(o.p + o.n, t, lit);
			o.n += lit;
			o.p[o.n] = '\0';
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

int bk_disasm(const struct bk_insn *insns, size_t n, const struct bk_disasm_opts *opts,
	      bk_sink_fn sink, void *ctx)
{
	unsigned char *labels = NULL;
	int ret = 0;
	char line[256];

	if (!sink || (!insns && n))
		return bk__err(-EINVAL);
	if (opts && opts->labels)
		labels = find_targets(insns, n);
	if (opts && opts->labels && !labels)
		return bk__err(-ENOMEM);
	for (size_t i = 0; i < n;) {
		int w, len = 0;

		if (labels && labels[i]) {
			len = snprintf(line, sizeof(line), "L%zu:\n", i);
			sink(ctx, line, (size_t)len);
		}
		if (opts && opts->index)
			len = snprintf(line, sizeof(line), "%4zu: ", i);
		else
			len = 0;
		w = bk_disasm_one(insns, n, i, opts, line + len, sizeof(line) - (size_t)len - 1);
		if (w < 0) {
			ret = w;
			w = 1;
		}
		len += (int)strlen(line + len);
		line[len++] = '\n';
		sink(ctx, line, (size_t)len);
		i += (size_t)w;
	}
	free(labels);
	if (ret)
		errno = -ret;
	return ret;
}
