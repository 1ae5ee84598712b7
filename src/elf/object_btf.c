// SPDX-License-Identifier: MIT
/*
 * The object's .BTF as the kernel accepts it. clang leaves what only the
 * loader knows: DATASEC sizes and variable offsets of data sections (0 in
 * the object), and externs (VARs of linkage extern, FUNCs of linkage
 * extern in .ksyms), which the kernel refuses. Like libbpf we fix these in
 * place on a copy, keeping every type id, so the func_info and line_info
 * records and the maps' key/value type ids stay valid:
 *  - each DATASEC of a section gets its size, each entry the offset of its
 *    symbol;
 *  - .kconfig entries get their layout offsets; extern VARs become
 *    allocated globals;
 *  - .ksyms entries (which the kernel would check as VARs) point at
 *    allocated int-sized VARs, extern FUNCs become global functions.
 */
#include <stdlib.h>
#include <string.h>

#include "object_int.h"

#define HDR_TYPE_OFF 8
#define HDR_STR_OFF 16
#define TYPE_HDR 12

struct raw {
	uint8_t *p;
	size_t size;
	uint32_t types;	  /* offset of the type section */
	uint32_t *offs;	  /* offs[id]: offset of type id, from the start of p */
	uint32_t n;
};

static uint32_t rd(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void wr(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Offsets of every type record, recomputed from the kinds (bk_btf checked them). */
static int index_raw(struct bk_object *obj, struct raw *r)
{
	uint32_t hdr = rd(r->p + 4), off, end;

	r->types = hdr + rd(r->p + HDR_TYPE_OFF);
	end = r->types + rd(r->p + HDR_TYPE_OFF + 4);
	r->n = bk_btf_type_count(obj->btf);
	r->offs = calloc(r->n + 1, sizeof(*r->offs));
	if (!r->offs)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	off = r->types;
	for (uint32_t id = 1; id <= r->n && off < end; id++) {
		struct bk_btf_type t;
		uint32_t extra = 0;

		r->offs[id] = off;
		bk_btf_type_by_id(obj->btf, id, &t);
		switch (t.kind) {
		case BK_BTF_KIND_INT: case BK_BTF_KIND_VAR: case BK_BTF_KIND_DECL_TAG:
			extra = 4; break;
		case BK_BTF_KIND_ARRAY:
			extra = 12; break;
		case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION: case BK_BTF_KIND_DATASEC:
		case BK_BTF_KIND_ENUM64:
			extra = 12 * t.vlen; break;
		case BK_BTF_KIND_ENUM: case BK_BTF_KIND_FUNC_PROTO:
			extra = 8 * t.vlen; break;
		default:
			break;
		}
		off += TYPE_HDR + extra;
	}
	return 0;
}

/* The value of the ELF symbol named name in section sec (its offset there). */
static bool sym_offset(const struct bk_object *obj, size_t sec, const char *name, uint64_t *off)
{
	for (size_t i = 0; i < obj->elf.nsyms; i++) {
		const struct bk__elf_sym *s = &obj->elf.syms[i];

		if (s->shndx == sec && strcmp(s->name, name) == 0) {
			*off = s->value;
			return true;
		}
	}
	return false;
}

static void set_var_linkage(struct raw *r, uint32_t id, uint32_t linkage)
{
	wr(r->p + r->offs[id] + TYPE_HDR, linkage);
}

/* An allocated int-sized VAR to stand in for .ksyms entries: any VAR of the object. */
static uint32_t stand_in_var(const struct bk_object *obj)
{
	struct bk_btf_type t;

	for (uint32_t id = 1; id <= bk_btf_type_count(obj->btf); id++)
		if (!bk_btf_type_by_id(obj->btf, id, &t) && t.kind == BK_BTF_KIND_VAR &&
		    bk_btf_var_linkage(obj->btf, id) != BK_BTF_VAR_GLOBAL_EXTERN)
			return id;
	return 0;
}

static uint32_t var_size(const struct bk_object *obj, uint32_t var)
{
	struct bk_btf_type t;
	int r;

	bk_btf_type_by_id(obj->btf, var, &t);
	r = bk_btf_resolve(obj->btf, t.size_or_type);
	if (r <= 0 || bk_btf_type_by_id(obj->btf, (uint32_t)r, &t))
		return 8;
	return t.kind == BK_BTF_KIND_PTR ? 8 : t.size_or_type;
}

/* The kernel wants named parameters on a global FUNC; clang leaves an extern's
 * unnamed: lend them the function's own name (an identifier already in the
 * string section, so no string is added and no offset moves). */
static void name_params(const struct bk_object *obj, struct raw *r, uint32_t func, uint32_t proto)
{
	struct bk_btf_type pt;
	uint32_t name_off = rd(r->p + r->offs[func]);

	if (bk_btf_type_by_id(obj->btf, proto, &pt) || pt.kind != BK_BTF_KIND_FUNC_PROTO)
		return;
	for (uint32_t i = 0; i < pt.vlen; i++) {
		uint8_t *param = r->p + r->offs[proto] + TYPE_HDR + 8 * i;

		if (rd(param) == 0 && rd(param + 4) != 0)
			wr(param, name_off);
	}
}

/* A 32-bit INT of the object's BTF (what libbpf types .ksyms variables as), or 0. */
static uint32_t int32_type(const struct bk_object *obj)
{
	struct bk_btf_int in;

	for (uint32_t id = 1; id <= bk_btf_type_count(obj->btf); id++)
		if (!bk_btf_int_info(obj->btf, id, &in) && in.bits == 32)
			return id;
	return 0;
}

static int fix_ksyms(struct bk_object *obj, struct raw *r, uint32_t sec, uint32_t vlen)
{
	uint32_t off = 0, stand_in = stand_in_var(obj), int32 = int32_type(obj);

	for (uint32_t i = 0; i < vlen; i++) {
		uint8_t *e = r->p + r->offs[sec] + TYPE_HDR + 12 * i;
		uint32_t id = rd(e);
		struct bk_btf_type t;

		bk_btf_type_by_id(obj->btf, id, &t);
		if (t.kind == BK_BTF_KIND_FUNC) {
			uint32_t info = rd(r->p + r->offs[id] + 4);

			name_params(obj, r, id, t.size_or_type);
			/* linkage extern (2) -> global (1), kept in the vlen bits */
			wr(r->p + r->offs[id] + 4, (info & ~0xffffu) | BK_BTF_FUNC_GLOBAL);
			if (!stand_in)
				return bk__odiag(obj, -EOPNOTSUPP, "BTF: kfunc '%s' needs a variable in the object to stand for it in .ksyms",
						 t.name);
			id = stand_in;
			wr(e, id);
		} else {
			/* the kernel checks .ksyms variables as allocated ints, as libbpf presents them */
			if (!int32)
				return bk__odiag(obj, -EOPNOTSUPP, "BTF: no 32-bit int type to present __ksym '%s' with",
						 t.name);
			set_var_linkage(r, id, BK_BTF_VAR_GLOBAL_ALLOCATED);
			wr(r->p + r->offs[id] + 8, int32);
		}
		{
			uint32_t size = t.kind == BK_BTF_KIND_FUNC ? var_size(obj, id) : 4;

			wr(e + 4, off);
			wr(e + 8, size);
			off += size;
		}
	}
	wr(r->p + r->offs[sec] + 8, off);
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	uint32_t x = rd((const uint8_t *)a + 4), y = rd((const uint8_t *)b + 4);

	return (x > y) - (x < y);
}

/* The kernel wants a DATASEC's entries in offset order (libbpf sorts them too). */
static void sort_entries(struct raw *r, uint32_t sec, uint32_t vlen)
{
	qsort(r->p + r->offs[sec] + TYPE_HDR, vlen, 12, by_offset);
}

static int fix_datasec(struct bk_object *obj, struct raw *r, uint32_t sec)
{
	struct bk_btf_type t, v;
	size_t esec;
	uint64_t off;

	bk_btf_type_by_id(obj->btf, sec, &t);
	if (!strcmp(t.name, ".ksyms"))
		return fix_ksyms(obj, r, sec, t.vlen);
	if (!strcmp(t.name, ".kconfig")) {
		struct bk_object_map *m = bk_object_map_by_name(obj, ".kconfig");

		wr(r->p + r->offs[sec] + 8, m ? m->def.value_size : 0);
		for (uint32_t i = 0; i < t.vlen; i++) {
			uint8_t *e = r->p + r->offs[sec] + TYPE_HDR + 12 * i;
			const struct bk__ext *x;

			bk_btf_type_by_id(obj->btf, rd(e), &v);
			x = bk__obj_ext_by_name(obj, v.name);
			set_var_linkage(r, rd(e), BK_BTF_VAR_GLOBAL_ALLOCATED);
			if (x)
				wr(e + 4, x->kcfg_off);
		}
		sort_entries(r, sec, t.vlen);
		return 0;
	}
	esec = bk__elf_sec_by_name(&obj->elf, t.name);
	if (!esec)
		return 0; /* a DATASEC of nothing we load (e.g. "license"): the kernel takes it as is */
	wr(r->p + r->offs[sec] + 8, (uint32_t)obj->elf.secs[esec].size);
	for (uint32_t i = 0; i < t.vlen; i++) {
		uint8_t *e = r->p + r->offs[sec] + TYPE_HDR + 12 * i;

		bk_btf_type_by_id(obj->btf, rd(e), &v);
		if (v.kind == BK_BTF_KIND_VAR && sym_offset(obj, esec, v.name, &off))
			wr(e + 4, (uint32_t)off);
	}
	sort_entries(r, sec, t.vlen);
	return 0;
}

/* FUNCs of hidden global functions get static linkage (kept in the vlen bits). */
static void hidden_funcs_static(struct bk_object *obj, struct raw *r)
{
	for (size_t i = 0; i < obj->nfuncs; i++) {
		int id;

		if (!obj->progs[i].btf_static)
			continue;
		id = bk_btf_find(obj->btf, obj->progs[i].name, BK_BTF_KIND_FUNC);
		if (id > 0)
			wr(r->p + r->offs[id] + 4, rd(r->p + r->offs[id] + 4) & ~0xffffu);
	}
}

int bk__obj_btf_prepare(struct bk_object *obj)
{
	const void *src;
	struct raw r = { 0 };
	int err = 0;

	if (!obj->btf)
		return 0;
	src = bk_btf_raw(obj->btf, &r.size);
	r.p = malloc(r.size);
	if (!r.p)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	memcpy(r.p, src, r.size);
	err = index_raw(obj, &r);
	for (uint32_t id = 1; id <= r.n && !err; id++) {
		struct bk_btf_type t;

		bk_btf_type_by_id(obj->btf, id, &t);
		if (t.kind == BK_BTF_KIND_DATASEC)
			err = fix_datasec(obj, &r, id);
		else if (t.kind == BK_BTF_KIND_VAR &&
			 bk_btf_var_linkage(obj->btf, id) == BK_BTF_VAR_GLOBAL_EXTERN)
			set_var_linkage(&r, id, BK_BTF_VAR_GLOBAL_ALLOCATED);
	}
	if (!err)
		hidden_funcs_static(obj, &r);
	free(r.offs);
	if (err) {
		free(r.p);
		return err;
	}
	obj->btf_raw = r.p;
	obj->btf_raw_size = r.size;
	return 0;
}
