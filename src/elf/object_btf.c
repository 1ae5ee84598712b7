// SPDX-License-Identifier: MIT
/*
 * The object's .BTF as the kernel accepts it, built with the BTF writer
 * from a copy of the object's own (same type ids, same strings, so the
 * func_info and line_info records and the maps' type ids stay valid).
 * clang leaves what only the loader knows, and the kernel refuses externs;
 * like libbpf we fix:
 *  - each DATASEC of a section: its size, each entry the offset of its
 *    symbol, entries in offset order;
 *  - .kconfig: entries at their layout offsets; extern VARs become
 *    allocated globals;
 *  - .ksyms: variables presented as allocated ints, kfunc entries replaced
 *    by one such variable ("dummy_ksym"), extern FUNCs made global with
 *    named parameters (a global FUNC's must be);
 *  - global functions of hidden visibility get static linkage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object_int.h"

struct entry {
	uint32_t type, offset, size;
};

static int by_offset(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* DATASEC sec redefined with n entries (sorted by offset) and size. */
static int rewrite_datasec(struct bk_btf_builder *b, const struct bk_btf_type *sec,
			   struct entry *e, uint32_t n, uint32_t size)
{
	int err, r;

	if (n > 1)
		qsort(e, n, sizeof(*e), by_offset);
	err = bk_btf_builder_redefine(b, sec->id);
	if (!err && (r = bk_btf_add_datasec(b, sec->name, size)) < 0)
		err = r;
	for (uint32_t i = 0; i < n && !err; i++)
		err = bk_btf_add_datasec_var(b, e[i].type, e[i].offset, e[i].size);
	return err;
}

/* The entries of DATASEC id as they are in the object. */
static struct entry *entries(const struct bk_btf *btf, const struct bk_btf_type *sec)
{
	struct entry *e = calloc(sec->vlen ? sec->vlen : 1, sizeof(*e));
	struct bk_btf_var_secinfo vs;

	for (uint32_t i = 0; e && i < sec->vlen; i++)
		if (!bk_btf_datasec_var(btf, sec->id, i, &vs))
			e[i] = (struct entry){ vs.type, vs.offset, vs.size };
	return e;
}

/* A data section's DATASEC: its size and its variables' offsets from the ELF. */
static int fix_data(struct bk_object *obj, struct bk_btf_builder *b, const struct bk_btf_type *sec,
		    struct entry *e, size_t esec)
{
	const struct bk__elf_sym *sym;
	struct bk_btf_type v;

	for (uint32_t i = 0; i < sec->vlen; i++)
		if (!bk_btf_type_by_id(obj->btf, e[i].type, &v) && v.kind == BK_BTF_KIND_VAR &&
		    (sym = bk__elf_sym_in(&obj->elf, esec, v.name)))
			e[i].offset = (uint32_t)sym->value;
	return rewrite_datasec(b, sec, e, sec->vlen, (uint32_t)obj->elf.secs[esec].size);
}

static int fix_kconfig(struct bk_object *obj, struct bk_btf_builder *b,
		       const struct bk_btf_type *sec, struct entry *e)
{
	struct bk_object_map *m = bk_object_map_by_name(obj, ".kconfig");
	struct bk_btf_type v;
	int err = 0;

	for (uint32_t i = 0; i < sec->vlen && !err; i++) {
		const struct bk__ext *x;

		bk_btf_type_by_id(obj->btf, e[i].type, &v);
		x = bk__obj_ext_by_name(obj, v.name);
		if (x)
			e[i].offset = x->kcfg_off;
		err = bk_btf_builder_set_linkage(b, e[i].type, BK_BTF_VAR_GLOBAL_ALLOCATED);
	}
	return err ? err : rewrite_datasec(b, sec, e, sec->vlen, m ? m->def.value_size : 0);
}

/* A 32-bit INT of the object's BTF, or one added. */
static int int32_type(const struct bk_object *obj, struct bk_btf_builder *b)
{
	struct bk_btf_int in;

	for (uint32_t id = 1; id <= bk_btf_type_count(obj->btf); id++)
		if (!bk_btf_int_info(obj->btf, id, &in) && in.bits == 32)
			return (int)id;
	return bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
}

/* An extern FUNC made global: linkage, and names for its prototype's parameters. */
static int fix_extern_func(const struct bk_object *obj, struct bk_btf_builder *b,
			   const struct bk_btf_type *fn)
{
	struct bk_btf_type proto;
	struct bk_btf_param p;
	char name[32];
	int err = bk_btf_builder_set_linkage(b, fn->id, BK_BTF_FUNC_GLOBAL), r;

	if (err || bk_btf_type_by_id(obj->btf, fn->size_or_type, &proto) ||
	    proto.kind != BK_BTF_KIND_FUNC_PROTO)
		return err;
	err = bk_btf_builder_redefine(b, proto.id);
	if (!err && (r = bk_btf_add_func_proto(b, proto.size_or_type)) < 0)
		err = r;
	for (uint32_t i = 0; i < proto.vlen && !err; i++) {
		bk_btf_param(obj->btf, proto.id, i, &p);
		snprintf(name, sizeof(name), "arg%u", i);
		err = bk_btf_add_param(b, p.name[0] || !p.type ? p.name : name, p.type);
	}
	return err;
}

static int fix_ksyms(const struct bk_object *obj, struct bk_btf_builder *b,
		     const struct bk_btf_type *sec, struct entry *e)
{
	int i32 = int32_type(obj, b), dummy = 0, err = 0;
	struct bk_btf_type t;

	if (i32 < 0)
		return i32;
	for (uint32_t i = 0; i < sec->vlen && !err; i++) {
		bk_btf_type_by_id(obj->btf, e[i].type, &t);
		if (t.kind == BK_BTF_KIND_FUNC) {
			err = fix_extern_func(obj, b, &t);
			if (!err && !dummy)
				dummy = bk_btf_add_var(b, "dummy_ksym", (uint32_t)i32,
						       BK_BTF_VAR_GLOBAL_ALLOCATED);
			if (dummy < 0)
				err = dummy;
			e[i].type = (uint32_t)dummy;
		} else {
			err = bk_btf_builder_set_linkage(b, t.id, BK_BTF_VAR_GLOBAL_ALLOCATED);
			if (!err)
				err = bk_btf_builder_set_size_or_type(b, t.id, (uint32_t)i32);
		}
		e[i].offset = 4 * i;
		e[i].size = 4;
	}
	return err ? err : rewrite_datasec(b, sec, e, sec->vlen, 4 * sec->vlen);
}

static int fix_datasec(struct bk_object *obj, struct bk_btf_builder *b, uint32_t id)
{
	struct bk_btf_type sec;
	struct entry *e;
	size_t esec;
	int err = 0;

	bk_btf_type_by_id(obj->btf, id, &sec);
	esec = bk__elf_sec_by_name(&obj->elf, sec.name);
	if (strcmp(sec.name, ".ksyms") != 0 && strcmp(sec.name, ".kconfig") != 0 && !esec)
		return 0; /* a DATASEC of nothing we load (e.g. "license"): the kernel takes it as is */
	e = entries(obj->btf, &sec);
	if (!e)
		return -ENOMEM;
	if (!strcmp(sec.name, ".ksyms"))
		err = fix_ksyms(obj, b, &sec, e);
	else if (!strcmp(sec.name, ".kconfig"))
		err = fix_kconfig(obj, b, &sec, e);
	else
		err = fix_data(obj, b, &sec, e, esec);
	free(e);
	return err;
}

/* FUNCs of hidden global functions: static linkage (libbpf). */
static int hidden_funcs_static(struct bk_object *obj, struct bk_btf_builder *b)
{
	for (size_t i = 0; i < obj->nfuncs; i++) {
		int id = obj->progs[i].btf_static ?
				 bk_btf_find(obj->btf, obj->progs[i].name, BK_BTF_KIND_FUNC) : 0;

		if (id > 0 && bk_btf_builder_set_linkage(b, (uint32_t)id, BK_BTF_FUNC_STATIC))
			return -EINVAL;
	}
	return 0;
}

int bk__obj_btf_prepare(struct bk_object *obj)
{
	struct bk_btf_builder *b;
	struct bk_diag d = { 0 };
	int err = 0;

	if (!obj->btf)
		return 0;
	b = bk_btf_builder_from(obj->btf);
	if (!b)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	for (uint32_t id = 1; id <= bk_btf_type_count(obj->btf) && !err; id++) {
		struct bk_btf_type t;

		bk_btf_type_by_id(obj->btf, id, &t);
		if (t.kind == BK_BTF_KIND_DATASEC)
			err = fix_datasec(obj, b, id);
		else if (t.kind == BK_BTF_KIND_VAR &&
			 bk_btf_var_linkage(obj->btf, id) == BK_BTF_VAR_GLOBAL_EXTERN)
			err = bk_btf_builder_set_linkage(b, id, BK_BTF_VAR_GLOBAL_ALLOCATED);
	}
	if (!err)
		err = hidden_funcs_static(obj, b);
	if (!err) {
		obj->btf_raw = bk_btf_builder_encode(b, &obj->btf_raw_size, &d);
		if (!obj->btf_raw)
			err = -errno;
	}
	bk_btf_builder_free(b);
	if (err)
		return bk__odiag(obj, err, "the object's BTF: cannot fix it up for the kernel%s%s",
				 d.msg[0] ? ": " : "", d.msg);
	return 0;
}
