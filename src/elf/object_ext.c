// SPDX-License-Identifier: MIT
/*
 * Externs: undefined symbols the object's BTF places in DATASEC ".kconfig"
 * (kernel configuration values, read at load into a ".kconfig" data map)
 * or ".ksyms" (kernel variables, typed or not, and kfuncs). Their layout in
 * the .kconfig map follows libbpf: sorted by alignment (largest first),
 * then size (smallest first), then name, each placed at its alignment.
 */
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"
#include "object_int.h"

/* Find name among the entries of DATASEC sec_name; its type id or 0. */
static uint32_t in_datasec(const struct bk_btf *btf, const char *sec_name, const char *name)
{
	struct bk_btf_var_secinfo vs;
	struct bk_btf_type t, v;
	int sec = bk_btf_find(btf, sec_name, BK_BTF_KIND_DATASEC);

	if (sec <= 0)
		return 0;
	bk_btf_type_by_id(btf, (uint32_t)sec, &t);
	for (uint32_t i = 0; i < t.vlen; i++)
		if (!bk_btf_datasec_var(btf, (uint32_t)sec, i, &vs) &&
		    !bk_btf_type_by_id(btf, vs.type, &v) && strcmp(v.name, name) == 0)
			return vs.type;
	return 0;
}

/* libbpf's alignment of a kconfig value: its size for scalars, 1 for char arrays. */
static uint32_t kcfg_align(enum bk__kcfg_kind kind, uint32_t size)
{
	if (kind == BK__KCFG_CHAR_ARR)
		return 1;
	return size > 8 ? 8 : (size ? size : 1);
}

static int kcfg_cmp(const void *a, const void *b)
{
	const struct bk__ext *x = a, *y = b;
	uint32_t ax, ay;

	/* libbpf's order: kconfig before ksyms (variables and kfuncs alike) */
	if ((x->kind != 0) != (y->kind != 0))
		return x->kind == 0 ? -1 : 1;
	if (x->kind == 0) {
		ax = (uint32_t)x->addr; /* alignment, kept in addr until layout */
		ay = (uint32_t)y->addr;
		if (ax != ay)
			return ax > ay ? -1 : 1;
		if (x->kcfg_size != y->kcfg_size)
			return x->kcfg_size < y->kcfg_size ? -1 : 1;
	}
	return strcmp(x->name, y->name);
}

static int classify(struct bk_object *obj, struct bk__ext *e)
{
	struct bk_btf_type t;
	enum bk__kcfg_kind kk;
	bool sgn;
	uint32_t id;
	int r;

	if ((id = in_datasec(obj->btf, ".kconfig", e->name))) {
		bk_btf_type_by_id(obj->btf, id, &t);
		e->kind = 0;
		e->btf_id = id;
		e->type_id = t.size_or_type;
		if (bk__kcfg_kind_of(obj->btf, e->type_id, &kk, &e->kcfg_size, &sgn))
			return bk__odiag(obj, -EOPNOTSUPP, "extern '%s': a .kconfig type libbpf does not support either",
					 e->name);
		e->addr = kcfg_align(kk, e->kcfg_size);
		return 0;
	}
	if (!(id = in_datasec(obj->btf, ".ksyms", e->name)))
		return bk__odiag(obj, -EOPNOTSUPP, "extern '%s': neither __kconfig nor __ksym (not in the BTF's .kconfig or .ksyms)",
				 e->name);
	bk_btf_type_by_id(obj->btf, id, &t);
	e->btf_id = id;
	e->type_id = t.size_or_type;
	if (t.kind == BK_BTF_KIND_FUNC) {
		e->kind = 2;
		return 0;
	}
	e->kind = 1;
	r = bk_btf_resolve(obj->btf, e->type_id);
	if (r == 0) /* `extern const void sym __ksym;`: untyped, an address */
		e->type_id = 0;
	return 0;
}

static int layout_kconfig(struct bk_object *obj)
{
	struct bk_object_map *m;
	uint32_t off = 0;
	bool any = false;

	for (size_t i = 0; i < obj->nexts; i++) {
		struct bk__ext *e = &obj->exts[i];
		uint32_t align = (uint32_t)e->addr;

		if (e->kind != 0)
			continue;
		off = (off + align - 1) / align * align;
		e->kcfg_off = off;
		off += e->kcfg_size;
		e->addr = 0;
		any = true;
	}
	if (!any)
		return 0;
	m = bk__obj_add_data_map(obj, ".kconfig", BK__MAP_KCONFIG, 0, off);
	return m ? 0 : -errno;
}

int bk__obj_collect_externs(struct bk_object *obj)
{
	size_t n = 0;
	int err;

	for (size_t i = 0; i < obj->elf.nsyms; i++) {
		const struct bk__elf_sym *s = &obj->elf.syms[i];

		if (s->shndx == BK__SHN_UNDEF && s->name[0] &&
		    (s->bind == BK__STB_GLOBAL || s->bind == BK__STB_WEAK))
			n++;
	}
	if (!n)
		return 0;
	if (!obj->btf)
		return bk__odiag(obj, -EINVAL, "externs need the object's BTF (compile with -g)");
	obj->exts = calloc(n, sizeof(*obj->exts));
	if (!obj->exts)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	for (size_t i = 0; i < obj->elf.nsyms; i++) {
		const struct bk__elf_sym *s = &obj->elf.syms[i];
		struct bk__ext *e = &obj->exts[obj->nexts];

		if (s->shndx != BK__SHN_UNDEF || !s->name[0] ||
		    (s->bind != BK__STB_GLOBAL && s->bind != BK__STB_WEAK))
			continue;
		e->name = s->name;
		e->weak = s->bind == BK__STB_WEAK;
		obj->nexts++;
		err = classify(obj, e);
		if (err)
			return err;
	}
	if (obj->nexts > 1)
		qsort(obj->exts, obj->nexts, sizeof(*obj->exts), kcfg_cmp);
	return layout_kconfig(obj);
}

const struct bk__ext *bk__obj_ext_by_name(const struct bk_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->nexts; i++)
		if (strcmp(obj->exts[i].name, name) == 0)
			return &obj->exts[i];
	return NULL;
}
