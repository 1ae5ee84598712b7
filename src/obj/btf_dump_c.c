// SPDX-License-Identifier: MIT
/*
 * BTF as C (a vmlinux.h): every named type, in an order a C compiler
 * accepts. Types are visited in id order; each visit first orders what the
 * type needs defined before it (a depth-first walk: members and array
 * elements are strong dependencies, pointers weak ones that a forward
 * declaration satisfies), queueing named definitions; the queue is then
 * emitted, forward-declaring a struct or union met again while it is being
 * emitted. Anonymous structs, unions and enums are written inline where
 * used; an anonymous enum nothing refers to is written on its own. Two
 * types of one name get "___2", "___3"... suffixes in the order they are
 * first written, as bpftool does, so both definitions survive.
 *
 * Malformed BTF (ids out of range, reference loops, absurd nesting) stops
 * the dump with an error instead of recursing without end, and so does BTF
 * whose anonymous types nest into output 64 times its size (or into walks
 * 16 times its number of types).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "../common/common_int.h"
#include "btf_dump_c.h"

/* ---- output ------------------------------------------------------------- */

static void flush(struct cdump *d)
{
	if (d->nbuf && fwrite(d->buf, 1, d->nbuf, d->out) != d->nbuf && !d->err)
		d->err = -EIO;
	d->nbuf = 0;
}

static void put_n(struct cdump *d, const char *s, size_t n)
{
	d->written += n;
	if (d->written > d->limit && !d->err)
		d->err = -E2BIG;
	if (d->err)
		return;
	if (d->nbuf + n > CD_BUF)
		flush(d);
	if (n > CD_BUF) {
		if (fwrite(s, 1, n, d->out) != n && !d->err)
			d->err = -EIO;
		return;
	}
	memcpy(d->buf + d->nbuf, s, n);
	d->nbuf += n;
}

void cd_put(struct cdump *d, const char *s)
{
	put_n(d, s, strlen(s));
}

void cd_putf(struct cdump *d, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put_n(d, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void cd_indent(struct cdump *d, int lvl)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	while (lvl > 0) {
		int k = lvl > 16 ? 16 : lvl;

		put_n(d, tabs, (size_t)k);
		lvl -= k;
	}
}

const uint8_t *cd_rec(struct cdump *d, uint32_t id)
{
	if (id == 0 || id > d->n) {
		if (!d->err)
			d->err = -EINVAL;
		return NULL;
	}
	return bk__btf_rec(d->b, id);
}

/* ---- names -------------------------------------------------------------- */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int map_grow(struct namemap *m)
{
	struct namemap nm = { 0 };

	nm.cap = m->cap ? m->cap * 2 : 1024;
	nm.keys = calloc(nm.cap, sizeof(*nm.keys));
	nm.counts = calloc(nm.cap, sizeof(*nm.counts));
	if (!nm.keys || !nm.counts) {
		free(nm.keys);
		free(nm.counts);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < m->cap; i++) {
		uint32_t j;

		if (!m->keys[i])
			continue;
		j = hash_str(m->keys[i]) & (nm.cap - 1);
		while (nm.keys[j])
			j = (j + 1) & (nm.cap - 1);
		nm.keys[j] = m->keys[i];
		nm.counts[j] = m->counts[i];
	}
	nm.n = m->n;
	free(m->keys);
	free(m->counts);
	*m = nm;
	return 0;
}

uint32_t cd_name_dups(struct cdump *d, struct namemap *m, const char *name)
{
	uint32_t j;

	if ((m->n + 1) * 2 > m->cap && map_grow(m)) {
		d->err = -ENOMEM;
		return 1;
	}
	j = hash_str(name) & (m->cap - 1);
	while (m->keys[j] && strcmp(m->keys[j], name) != 0)
		j = (j + 1) & (m->cap - 1);
	if (!m->keys[j]) {
		m->keys[j] = name;
		m->n++;
	}
	return ++m->counts[j];
}

static const char *resolve_name(struct cdump *d, uint32_t id, struct namemap *m)
{
	const uint8_t *r = cd_rec(d, id);
	struct tstate *s;
	const char *name;
	uint32_t kind, dups;

	if (!r)
		return "";
	name = bk__btf_rname(d->b, r);
	s = &d->st[id];
	if (!name[0])
		return "";
	if (s->name_resolved)
		return d->names[id] ? d->names[id] : name;
	s->name_resolved = 1;
	kind = bk__btf_kind(r);
	if (kind == BK_BTF_KIND_FWD || (kind == BK_BTF_KIND_ENUM && bk__btf_vlen(r) == 0))
		return name; /* declarations only: they clash with nothing */
	dups = cd_name_dups(d, m, name);
	if (dups > 1) {
		size_t len = strlen(name) + 16;

		d->names[id] = malloc(len);
		if (!d->names[id]) {
			d->err = -ENOMEM;
			return name;
		}
		snprintf(d->names[id], len, "%s___%u", name, dups);
	}
	return d->names[id] ? d->names[id] : name;
}

const char *cd_type_name(struct cdump *d, uint32_t id)
{
	return resolve_name(d, id, &d->types);
}

const char *cd_ident_name(struct cdump *d, uint32_t id)
{
	return resolve_name(d, id, &d->idents);
}

/* ---- ordering ----------------------------------------------------------- */

static void mark(struct cdump *d, uint32_t id)
{
	if (id <= d->n)
		d->st[id].referenced = 1;
}

/* Which types something refers to: an unreferenced anonymous enum is
 * written on its own, a referenced one inline where it is used. */
static void mark_referenced(struct cdump *d)
{
	for (uint32_t id = 1; id <= d->n; id++) {
		const uint8_t *r = bk__btf_rec(d->b, id), *v = r + BK__BTF_TYPE_SZ;
		uint32_t kind = bk__btf_kind(r), vlen = bk__btf_vlen(r);

		switch (kind) {
		case BK_BTF_KIND_INT: case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
		case BK_BTF_KIND_FWD: case BK_BTF_KIND_FLOAT:
			break;
		case BK_BTF_KIND_ARRAY:
			mark(d, bk__rd32(v));
			mark(d, bk__rd32(v + 4));
			break;
		case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
			for (uint32_t i = 0; i < vlen; i++)
				mark(d, bk__rd32(v + i * 12 + 4));
			break;
		case BK_BTF_KIND_FUNC_PROTO:
			mark(d, bk__rd32(r + 8));
			for (uint32_t i = 0; i < vlen; i++)
				mark(d, bk__rd32(v + i * 8 + 4));
			break;
		case BK_BTF_KIND_DATASEC:
			for (uint32_t i = 0; i < vlen; i++)
				mark(d, bk__rd32(v + i * 12));
			break;
		default:
			mark(d, bk__rd32(r + 8));
			break;
		}
	}
}

static void enqueue(struct cdump *d, uint32_t id)
{
	if (d->nq == d->capq) {
		size_t cap = d->capq ? d->capq * 2 : 256;
		uint32_t *q = realloc(d->queue, cap * sizeof(*q));

		if (!q) {
			d->err = -ENOMEM;
			return;
		}
		d->queue = q;
		d->capq = cap;
	}
	d->queue[d->nq++] = id;
}

static bool is_composite(uint32_t kind)
{
	return kind == BK_BTF_KIND_STRUCT || kind == BK_BTF_KIND_UNION;
}

static int order(struct cdump *d, uint32_t id, bool through_ptr);

static int order_members(struct cdump *d, uint32_t id, const uint8_t *r)
{
	struct tstate *s = &d->st[id];

	s->order = ST_BUSY;
	for (uint32_t i = 0; i < bk__btf_vlen(r); i++)
		if (order(d, bk__rd32(r + BK__BTF_TYPE_SZ + i * 12 + 4), false) < 0)
			return -1;
	if (bk__rd32(r))
		enqueue(d, id);
	s->order = ST_DONE;
	return 1;
}

static int order_proto(struct cdump *d, const uint8_t *r, bool through_ptr)
{
	int strong = order(d, bk__rd32(r + 8), through_ptr), err;

	if (strong < 0)
		return strong;
	for (uint32_t i = 0; i < bk__btf_vlen(r); i++) {
		err = order(d, bk__rd32(r + BK__BTF_TYPE_SZ + i * 8 + 4), through_ptr);
		if (err < 0)
			return err;
		strong |= err;
	}
	return strong;
}

/* 1: id is ordered and may be used by value; 0: only a declaration was
 * needed (through a pointer); -1: error (d->err). */
static int order_kind(struct cdump *d, uint32_t id, const uint8_t *r, bool through_ptr)
{
	struct tstate *s = &d->st[id];
	int strong;

	switch (bk__btf_kind(r)) {
	case BK_BTF_KIND_INT: case BK_BTF_KIND_FLOAT:
		s->order = ST_DONE;
		return 0;
	case BK_BTF_KIND_PTR:
		strong = order(d, bk__rd32(r + 8), true);
		s->order = ST_DONE;
		return strong;
	case BK_BTF_KIND_ARRAY:
		return order(d, bk__rd32(r + 12), false);
	case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		/* Through a pointer a named one needs only a declaration. */
		if (through_ptr && bk__rd32(r))
			return 0;
		return order_members(d, id, r);
	case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64: case BK_BTF_KIND_FWD:
		if (bk__rd32(r) || !s->referenced)
			enqueue(d, id);
		s->order = ST_DONE;
		return 1;
	case BK_BTF_KIND_TYPEDEF:
		strong = order(d, bk__rd32(r + 8), through_ptr);
		if (strong <= 0 && (strong < 0 || through_ptr))
			return strong;
		enqueue(d, id);
		s->order = ST_DONE;
		return 1;
	case BK_BTF_KIND_VOLATILE: case BK_BTF_KIND_CONST: case BK_BTF_KIND_RESTRICT:
	case BK_BTF_KIND_TYPE_TAG:
		return order(d, bk__rd32(r + 8), through_ptr);
	case BK_BTF_KIND_FUNC_PROTO:
		return order_proto(d, r, through_ptr);
	default: /* FUNC, VAR, DATASEC, DECL_TAG: nothing to write in C */
		s->order = ST_DONE;
		return 0;
	}
}

static int order(struct cdump *d, uint32_t id, bool through_ptr)
{
	const uint8_t *r;
	struct tstate *s;
	int ret;

	if (id == 0)
		return 0;
	r = cd_rec(d, id);
	if (!r)
		return -1;
	s = &d->st[id];
	if (s->order == ST_DONE)
		return 1;
	if (s->order == ST_BUSY) {
		/* A loop a forward declaration breaks, else BTF C cannot express. */
		if (is_composite(bk__btf_kind(r)) && through_ptr && bk__rd32(r))
			return 0;
		d->err = -ELOOP;
		return -1;
	}
	if (++d->depth > CD_MAX_DEPTH) {
		d->err = -ELOOP;
		return -1;
	}
	ret = order_kind(d, id, r, through_ptr);
	d->depth--;
	return d->err ? -1 : ret;
}

/* ---- emitting ----------------------------------------------------------- */

static bool skipped_typedef(struct cdump *d, uint32_t id)
{
	/* The compiler's own type: redefining it is an error. */
	return strcmp(bk__btf_rname(d->b, bk__btf_rec(d->b, id)), "__builtin_va_list") == 0;
}

static void emit(struct cdump *d, uint32_t id, uint32_t cont);

/* id is being written and is met again (through a pointer). */
static void emit_again(struct cdump *d, uint32_t id, const uint8_t *r, uint32_t cont)
{
	struct tstate *s = &d->st[id];

	if (s->fwd_emitted)
		return;
	if (is_composite(bk__btf_kind(r))) {
		if (id == cont)
			return; /* a struct referring to itself needs nothing */
		if (!bk__rd32(r)) {
			d->err = -ELOOP; /* an anonymous loop: no C for it */
			return;
		}
		cd_struct_fwd(d, id);
		cd_put(d, ";\n\n");
		s->fwd_emitted = 1;
	} else if (bk__btf_kind(r) == BK_BTF_KIND_TYPEDEF) {
		if (!skipped_typedef(d, id)) {
			cd_typedef_def(d, id, 0);
			cd_put(d, ";\n\n");
		}
		s->fwd_emitted = 1;
	}
}

static void emit_composite(struct cdump *d, uint32_t id, const uint8_t *r, uint32_t cont)
{
	struct tstate *s = &d->st[id];
	bool top = cont == 0, named = bk__rd32(r) != 0;

	s->emit = ST_BUSY;
	if (top || !named) {
		/* Its members are written out: declare what they need first. */
		uint32_t inner = named ? id : cont;

		for (uint32_t i = 0; i < bk__btf_vlen(r) && !d->err; i++)
			emit(d, bk__rd32(r + BK__BTF_TYPE_SZ + i * 12 + 4), inner);
	} else if (!s->fwd_emitted && id != cont) {
		cd_struct_fwd(d, id);
		cd_put(d, ";\n\n");
		s->fwd_emitted = 1;
	}
	if (top) {
		cd_struct_def(d, id, 0);
		cd_put(d, ";\n\n");
		s->emit = ST_DONE;
	} else {
		s->emit = ST_NONE;
	}
}

static void emit_kind(struct cdump *d, uint32_t id, const uint8_t *r, uint32_t cont)
{
	struct tstate *s = &d->st[id];

	switch (bk__btf_kind(r)) {
	case BK_BTF_KIND_INT: case BK_BTF_KIND_FLOAT:
		s->emit = ST_DONE;
		break;
	case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
		if (cont == 0) {
			cd_enum_def(d, id, 0);
			cd_put(d, ";\n\n");
		}
		s->emit = ST_DONE;
		break;
	case BK_BTF_KIND_PTR: case BK_BTF_KIND_VOLATILE: case BK_BTF_KIND_CONST:
	case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_TYPE_TAG:
		emit(d, bk__rd32(r + 8), cont);
		break;
	case BK_BTF_KIND_ARRAY:
		emit(d, bk__rd32(r + 12), cont);
		break;
	case BK_BTF_KIND_FWD:
		cd_putf(d, "%s %s;\n\n", bk__rd32(r + 4) >> 31 ? "union" : "struct",
			bk__btf_rname(d->b, r));
		s->emit = ST_DONE;
		break;
	case BK_BTF_KIND_TYPEDEF:
		s->emit = ST_BUSY;
		emit(d, bk__rd32(r + 8), id);
		if (!s->fwd_emitted && !skipped_typedef(d, id) && !d->err) {
			cd_typedef_def(d, id, 0);
			cd_put(d, ";\n\n");
		}
		s->emit = ST_DONE;
		break;
	case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		emit_composite(d, id, r, cont);
		break;
	case BK_BTF_KIND_FUNC_PROTO:
		emit(d, bk__rd32(r + 8), cont);
		for (uint32_t i = 0; i < bk__btf_vlen(r) && !d->err; i++)
			emit(d, bk__rd32(r + BK__BTF_TYPE_SZ + i * 8 + 4), cont);
		break;
	default:
		break;
	}
}

static void emit(struct cdump *d, uint32_t id, uint32_t cont)
{
	const uint8_t *r;

	if (id == 0 || d->err)
		return;
	r = cd_rec(d, id);
	if (!r || d->st[id].emit == ST_DONE)
		return;
	if (d->st[id].emit == ST_BUSY) {
		emit_again(d, id, r, cont);
		return;
	}
	if (++d->depth > CD_MAX_DEPTH) {
		d->err = -ELOOP;
		return;
	}
	if (++d->steps > d->max_steps) {
		d->err = -E2BIG;
		return;
	}
	emit_kind(d, id, r, cont);
	d->depth--;
}

/* Order id and what it needs, then write them. */
static void dump_type(struct cdump *d, uint32_t id)
{
	d->nq = 0;
	d->depth = 0;
	if (order(d, id, false) < 0)
		return;
	for (size_t i = 0; i < d->nq && !d->err; i++) {
		d->depth = 0;
		emit(d, d->queue[i], 0);
	}
}

/* ---- the public call ---------------------------------------------------- */

static void cd_free(struct cdump *d)
{
	if (d->names)
		for (uint32_t i = 0; i <= d->n; i++)
			free(d->names[i]);
	free(d->names);
	free(d->st);
	free(d->queue);
	free(d->decl);
	free(d->types.keys);
	free(d->types.counts);
	free(d->idents.keys);
	free(d->idents.counts);
	free(d->buf);
}

static const char header[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n\n";
static const char footer[] = "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			     "#pragma clang attribute pop\n"
			     "#endif\n\n"
			     "#endif /* __VMLINUX_H__ */\n";

int bk_btf_dump_c(const struct bk_btf *btf, FILE *out, const struct bk_btf_dump_c_opts *opts)
{
	struct cdump d = { 0 };
	uint32_t root = BK_OPT(struct bk_btf_dump_c_opts, opts, root_id, 0);
	bool bare = BK_OPT(struct bk_btf_dump_c_opts, opts, no_header, false);
	int err = bk__opts_check(opts, sizeof(*opts));

	if (err)
		return err;
	if (!btf || !out)
		return bk__err(-EINVAL);
	if (root > btf->nr_types)
		return bk__err(-ENOENT);
	d.b = btf;
	d.n = btf->nr_types;
	d.out = out;
	/* Anonymous types are written inline wherever used, so BTF can ask for
	 * output exponential in its size; real BTF needs about its own size
	 * (vmlinux: 5.5 MB of BTF, 6 MB of C). */
	d.limit = 64 * (uint64_t)btf->size + (1u << 20);
	for (const struct bk_btf *base = btf->base; base; base = base->base)
		d.limit += 64 * (uint64_t)base->size;
	/* Types already written cost no step: vmlinux takes 60k for 150k types. */
	d.max_steps = 16 * (uint64_t)d.n + 65536;
	d.st = calloc((size_t)d.n + 1, sizeof(*d.st));
	d.names = calloc((size_t)d.n + 1, sizeof(*d.names));
	d.buf = malloc(CD_BUF);
	if (!d.st || !d.names || !d.buf) {
		cd_free(&d);
		return bk__err(-ENOMEM);
	}
	mark_referenced(&d);
	if (!bare)
		cd_put(&d, header);
	if (root) {
		dump_type(&d, root);
	} else {
		/* Split BTF too: its C needs its base's types. */
		for (uint32_t id = 1; id <= d.n && !d.err; id++)
			dump_type(&d, id);
	}
	if (!bare && !d.err)
		cd_put(&d, footer);
	flush(&d);
	err = d.err;
	cd_free(&d);
	return err ? bk__err(err) : 0;
}
