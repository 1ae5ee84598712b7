// SPDX-License-Identifier: MIT
/*
 * The maps an object defines, read at open time:
 *  - BTF-defined maps in ".maps": each variable is a struct whose members
 *    encode the definition in their types (`int (*type)[BPF_MAP_TYPE_HASH]`
 *    is a pointer to an array whose length is the value; `key`/`value` are
 *    pointers to the key and value types; `values` an array of pointers to
 *    the inner map's definition or to a program prototype);
 *  - legacy "maps" sections of struct bpf_map_def { type, key_size,
 *    value_size, max_entries, map_flags } records, one per symbol;
 *  - global data: .data*, .rodata*, .bss* sections become one-element
 *    arrays named as libbpf names them.
 * Order as libbpf's: .maps, then data sections in section order (then
 * .kconfig, added with the externs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object_int.h"

#define MAP_DEF_LEGACY_SIZE 20u
#define MAX_RESOLVE_DEPTH 32
#define MAX_DATA_SECTION (256u << 20)

struct bk_object_map *bk__obj_add_map(struct bk_object *obj, const char *name,
				      enum bk__map_kind kind)
{
	struct bk_object_map *grown = realloc(obj->maps, (obj->nmaps + 1) * sizeof(*grown));
	struct bk_object_map *m;

	if (!grown) {
		bk__odiag(obj, -ENOMEM, "out of memory");
		return NULL;
	}
	obj->maps = grown;
	m = &obj->maps[obj->nmaps];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (!m->name) {
		bk__odiag(obj, -ENOMEM, "out of memory");
		return NULL;
	}
	m->obj = obj;
	m->kind = kind;
	obj->nmaps++;
	return m;
}

/* The byte size of a type (libbpf's btf__resolve_size), or -EINVAL. */
static int64_t type_size(const struct bk_btf *btf, uint32_t id, int depth)
{
	struct bk_btf_type t;
	struct bk_btf_array a;
	int64_t elem;
	int r = bk_btf_resolve(btf, id);

	if (r <= 0 || depth > MAX_RESOLVE_DEPTH || bk_btf_type_by_id(btf, (uint32_t)r, &t))
		return -EINVAL;
	switch (t.kind) {
	case BK_BTF_KIND_INT: case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
	case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64: case BK_BTF_KIND_FLOAT:
	case BK_BTF_KIND_DATASEC:
		return t.size_or_type;
	case BK_BTF_KIND_PTR:
		return 8;
	case BK_BTF_KIND_ARRAY:
		if (bk_btf_array_info(btf, t.id, &a))
			return -EINVAL;
		elem = type_size(btf, a.type, depth + 1);
		return elem < 0 ? elem : elem * a.nelems;
	default:
		return -EINVAL;
	}
}

/* The id a PTR member points to (through modifiers), or 0. */
static uint32_t ptr_target(const struct bk_btf *btf, uint32_t id)
{
	struct bk_btf_type t;
	int r = bk_btf_resolve(btf, id);

	if (r <= 0 || bk_btf_type_by_id(btf, (uint32_t)r, &t) || t.kind != BK_BTF_KIND_PTR)
		return 0;
	return t.size_or_type;
}

/* `int (*name)[N]`: N. */
static int int_field(struct bk_object *obj, const char *map, const struct bk_btf_member *m,
		     uint32_t *out)
{
	struct bk_btf_type t;
	struct bk_btf_array a;
	uint32_t to = ptr_target(obj->btf, m->type);

	if (!to || bk_btf_type_by_id(obj->btf, to, &t) || t.kind != BK_BTF_KIND_ARRAY ||
	    bk_btf_array_info(obj->btf, to, &a))
		return bk__odiag(obj, -EINVAL, "map '%s': attribute '%s' is not a pointer to an array",
				 map, m->name);
	*out = a.nelems;
	return 0;
}

/* map_extra: `int (*)[N]`, or an enum of one enumerator (__ulong) for 64 bits. */
static int long_field(struct bk_object *obj, const char *map, const struct bk_btf_member *m,
		      uint64_t *out)
{
	struct bk_btf_type t;
	struct bk_btf_enumerator e;
	uint32_t v = 0;
	int r = bk_btf_resolve(obj->btf, m->type);

	if (r > 0 && !bk_btf_type_by_id(obj->btf, (uint32_t)r, &t) &&
	    (t.kind == BK_BTF_KIND_ENUM || t.kind == BK_BTF_KIND_ENUM64)) {
		if (t.vlen != 1 || bk_btf_enumerator(obj->btf, t.id, 0, &e))
			return bk__odiag(obj, -EINVAL, "map '%s': attribute '%s': invalid __ulong",
					 map, m->name);
		*out = (uint64_t)e.value;
		return 0;
	}
	if (int_field(obj, map, m, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

static int sized_type(struct bk_object *obj, const char *map, const struct bk_btf_member *m,
		      uint32_t *size, uint32_t *type_id)
{
	uint32_t to = ptr_target(obj->btf, m->type);
	int64_t sz = to ? type_size(obj->btf, to, 0) : -EINVAL;

	if (sz < 0 || sz > UINT32_MAX)
		return bk__odiag(obj, -EINVAL, "map '%s': %s: cannot size the type it points to",
				 map, m->name);
	if (*size && *size != (uint32_t)sz)
		return bk__odiag(obj, -EINVAL, "map '%s': conflicting %s size %u != %lld", map,
				 m->name, *size, (long long)sz);
	*size = (uint32_t)sz;
	*type_id = to;
	return 0;
}

static int parse_def(struct bk_object *obj, const char *map, uint32_t struct_id,
		     struct bk_object_map_def *def, struct bk_object_map_def *inner, bool *has_inner);

/* `values`: the last member, a zero-length array of pointers to an inner map
 * definition (map-in-map) or to a program prototype (prog array). */
static int values_field(struct bk_object *obj, const char *map, const struct bk_btf_member *m,
			struct bk_object_map_def *def, struct bk_object_map_def *inner,
			bool *has_inner)
{
	struct bk_btf_array a;
	struct bk_btf_type t;
	bool mim = def->type == BK_MAP_TYPE_ARRAY_OF_MAPS || def->type == BK_MAP_TYPE_HASH_OF_MAPS;
	uint32_t to;
	char inner_name[160];
	int r;

	if (!inner)
		return bk__odiag(obj, -EOPNOTSUPP, "map '%s': multi-level inner maps are not supported", map);
	if (!mim && def->type != BK_MAP_TYPE_PROG_ARRAY)
		return bk__odiag(obj, -EOPNOTSUPP, "map '%s': 'values' needs a map-in-map or a prog array", map);
	if (def->value_size && def->value_size != 4)
		return bk__odiag(obj, -EINVAL, "map '%s': conflicting value size %u != 4", map,
				 def->value_size);
	def->value_size = 4;
	r = bk_btf_resolve(obj->btf, m->type);
	if (r <= 0 || bk_btf_array_info(obj->btf, (uint32_t)r, &a) || a.nelems)
		return bk__odiag(obj, -EINVAL, "map '%s': 'values' is not a zero-sized array", map);
	to = ptr_target(obj->btf, a.type);
	r = to ? bk_btf_resolve(obj->btf, to) : -EINVAL;
	if (r <= 0 || bk_btf_type_by_id(obj->btf, (uint32_t)r, &t))
		return bk__odiag(obj, -EINVAL, "map '%s': 'values' is not an array of pointers", map);
	if (!mim)
		return t.kind == BK_BTF_KIND_FUNC_PROTO ? 0 :
		       bk__odiag(obj, -EINVAL, "map '%s': prog array values must be functions", map);
	if (t.kind != BK_BTF_KIND_STRUCT)
		return bk__odiag(obj, -EINVAL, "map '%s': inner map definition is not a struct", map);
	snprintf(inner_name, sizeof(inner_name), "%s.inner", map);
	*has_inner = true;
	return parse_def(obj, inner_name, t.id, inner, NULL, NULL);
}

static int member(struct bk_object *obj, const char *map, const struct bk_btf_member *m,
		  bool last, struct bk_object_map_def *def, struct bk_object_map_def *inner,
		  bool *has_inner)
{
	const char *n = m->name;

	if (!strcmp(n, "type"))
		return int_field(obj, map, m, &def->type);
	if (!strcmp(n, "max_entries"))
		return int_field(obj, map, m, &def->max_entries);
	if (!strcmp(n, "map_flags"))
		return int_field(obj, map, m, &def->map_flags);
	if (!strcmp(n, "numa_node"))
		return int_field(obj, map, m, &def->numa_node);
	if (!strcmp(n, "map_extra"))
		return long_field(obj, map, m, &def->map_extra);
	if (!strcmp(n, "key"))
		return sized_type(obj, map, m, &def->key_size, &def->btf_key_type_id);
	if (!strcmp(n, "value"))
		return sized_type(obj, map, m, &def->value_size, &def->btf_value_type_id);
	if (!strcmp(n, "key_size") || !strcmp(n, "value_size")) {
		uint32_t *dst = n[0] == 'k' ? &def->key_size : &def->value_size;
		uint32_t v;

		if (int_field(obj, map, m, &v))
			return -EINVAL;
		if (*dst && *dst != v)
			return bk__odiag(obj, -EINVAL, "map '%s': conflicting %s %u != %u", map, n,
					 *dst, v);
		*dst = v;
		return 0;
	}
	if (!strcmp(n, "values")) {
		if (!last)
			return bk__odiag(obj, -EINVAL, "map '%s': 'values' must be the last member", map);
		return values_field(obj, map, m, def, inner, has_inner);
	}
	if (!strcmp(n, "pinning")) {
		if (!inner)
			return bk__odiag(obj, -EINVAL, "map '%s': an inner map cannot be pinned", map);
		if (int_field(obj, map, m, &def->pinning))
			return -EINVAL;
		if (def->pinning > BK_PIN_BY_NAME)
			return bk__odiag(obj, -EINVAL, "map '%s': invalid pinning value %u", map,
					 def->pinning);
		return 0;
	}
	return bk__odiag(obj, -EOPNOTSUPP, "map '%s': unknown attribute '%s'", map, n);
}

static int parse_def(struct bk_object *obj, const char *map, uint32_t struct_id,
		     struct bk_object_map_def *def, struct bk_object_map_def *inner, bool *has_inner)
{
	struct bk_btf_type t;
	struct bk_btf_member m;
	int err;

	bk_btf_type_by_id(obj->btf, struct_id, &t);
	for (uint32_t i = 0; i < t.vlen; i++) {
		if (bk_btf_member(obj->btf, struct_id, i, &m))
			return bk__odiag(obj, -EINVAL, "map '%s': invalid member #%u", map, i);
		err = member(obj, map, &m, i + 1 == t.vlen, def, inner, has_inner);
		if (err)
			return err;
	}
	if (def->type == BK_MAP_TYPE_UNSPEC)
		return bk__odiag(obj, -EINVAL, "map '%s': map type is not specified", map);
	return 0;
}

/* libbpf rounds a ring buffer's size up to a power-of-2 number of pages. */
static uint32_t ringbuf_size(uint32_t sz)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (sz == 0 || (sz % page == 0 && ((sz / page) & (sz / page - 1)) == 0))
		return sz;
	for (uint64_t mul = 1; mul * page <= UINT32_MAX; mul <<= 1)
		if (mul * page > sz)
			return (uint32_t)(mul * page);
	return sz;
}

static void finish_def(struct bk_object_map_def *def)
{
	if (def->type == BK_MAP_TYPE_RINGBUF || def->type == BK_MAP_TYPE_USER_RINGBUF)
		def->max_entries = ringbuf_size(def->max_entries);
}

static int set_pin_by_name(struct bk_object *obj, struct bk_object_map *m)
{
	const char *root = obj->opts.pin_root_path ? obj->opts.pin_root_path : "/sys/fs/bpf";
	size_t len = strlen(root) + strlen(m->name) + 2;

	m->pin_path = malloc(len);
	if (!m->pin_path)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	snprintf(m->pin_path, len, "%s/%s", root, m->name);
	return 0;
}

/* Byte offset of the `values` member (where .rel.maps gives initial contents). */
static uint32_t values_offset(const struct bk_btf *btf, uint32_t def_id)
{
	struct bk_btf_member m;

	for (uint32_t i = 0; !bk_btf_member(btf, def_id, i, &m); i++)
		if (!strcmp(m.name, "values"))
			return m.bit_offset / 8;
	return 0;
}

static int btf_map(struct bk_object *obj, const struct bk_btf_var_secinfo *vs)
{
	const struct bk__elf_sec *sec = &obj->elf.secs[obj->maps_sec];
	const struct bk__elf_sym *sym;
	struct bk_btf_type var;
	struct bk_object_map *m;
	int def_id, err;

	if (bk_btf_type_by_id(obj->btf, vs->type, &var) || var.kind != BK_BTF_KIND_VAR ||
	    !var.name[0])
		return bk__odiag(obj, -EINVAL, "section '.maps': entry %u is not a named variable",
				 vs->type);
	if (vs->size > sec->size)
		return bk__odiag(obj, -EINVAL, "map '%s': definition larger than section '.maps'", var.name);
	if (bk_btf_var_linkage(obj->btf, var.id) != BK_BTF_VAR_GLOBAL_ALLOCATED)
		return bk__odiag(obj, -EOPNOTSUPP, "map '%s': maps must be global variables", var.name);
	def_id = bk_btf_resolve(obj->btf, var.size_or_type);
	if (def_id <= 0 || bk_btf_type_by_id(obj->btf, (uint32_t)def_id, &var) ||
	    var.kind != BK_BTF_KIND_STRUCT)
		return bk__odiag(obj, -EINVAL, "section '.maps': entry %u is not a struct", vs->type);
	bk_btf_type_by_id(obj->btf, vs->type, &var);
	m = bk__obj_add_map(obj, var.name, BK__MAP_USER);
	if (!m)
		return -ENOMEM;
	m->sec = obj->maps_sec;
	/* clang leaves DATASEC offsets 0: the ELF symbol says where the definition is */
	sym = bk__elf_sym_in(&obj->elf, obj->maps_sec, m->name);
	m->sec_off = sym ? sym->value : vs->offset;
	m->sec_size = vs->size;
	err = parse_def(obj, m->name, (uint32_t)def_id, &m->def, &m->inner, &m->has_inner);
	if (err)
		return err;
	m->values_off = values_offset(obj->btf, (uint32_t)def_id);
	finish_def(&m->def);
	finish_def(&m->inner);
	bk__strcut(m->kname, sizeof(m->kname), m->name);
	return m->def.pinning == BK_PIN_BY_NAME ? set_pin_by_name(obj, m) : 0;
}

static int collect_btf_maps(struct bk_object *obj)
{
	struct bk_btf_var_secinfo vs;
	struct bk_btf_type t;
	int sec, err;

	if (!obj->maps_sec)
		return 0;
	if (!obj->btf)
		return bk__odiag(obj, -EINVAL, "section '.maps' needs the object's BTF (compile with -g)");
	sec = bk_btf_find(obj->btf, ".maps", BK_BTF_KIND_DATASEC);
	if (sec <= 0)
		return bk__odiag(obj, -EINVAL, "section '.maps': no DATASEC '.maps' in the BTF");
	bk_btf_type_by_id(obj->btf, (uint32_t)sec, &t);
	for (uint32_t i = 0; i < t.vlen; i++) {
		err = bk_btf_datasec_var(obj->btf, (uint32_t)sec, i, &vs);
		if (!err)
			err = btf_map(obj, &vs);
		if (err)
			return err;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	const struct bk__elf_sym *const *x = a, *const *y = b;

	return (*x)->value < (*y)->value ? -1 : (*x)->value > (*y)->value;
}

static int legacy_map(struct bk_object *obj, const struct bk__elf_sym *sym, uint64_t def_size)
{
	const struct bk__elf_sec *sec = &obj->elf.secs[obj->legacy_maps_sec];
	struct bk_object_map *m;
	const uint8_t *p;

	if (sym->value > sec->size || def_size > sec->size - sym->value || !sec->data)
		return bk__odiag(obj, -EINVAL, "map '%s': definition outside section 'maps'", sym->name);
	m = bk__obj_add_map(obj, sym->name, BK__MAP_LEGACY);
	if (!m)
		return -ENOMEM;
	p = sec->data + sym->value;
	m->sec = obj->legacy_maps_sec;
	m->sec_off = sym->value;
	m->sec_size = def_size;
	m->def.type = bk__elf_u32(&obj->elf, p);
	m->def.key_size = bk__elf_u32(&obj->elf, p + 4);
	m->def.value_size = bk__elf_u32(&obj->elf, p + 8);
	m->def.max_entries = bk__elf_u32(&obj->elf, p + 12);
	m->def.map_flags = bk__elf_u32(&obj->elf, p + 16);
	finish_def(&m->def);
	bk__strcut(m->kname, sizeof(m->kname), m->name);
	return 0;
}

static int collect_legacy_maps(struct bk_object *obj)
{
	const struct bk__elf_sym **syms;
	size_t n = 0;
	uint64_t def_size;
	int err = 0;

	if (!obj->legacy_maps_sec)
		return 0;
	syms = calloc(obj->elf.nsyms + 1, sizeof(*syms));
	if (!syms)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	for (size_t i = 0; i < obj->elf.nsyms; i++)
		if (obj->elf.syms[i].shndx == obj->legacy_maps_sec &&
		    obj->elf.syms[i].bind == BK__STB_GLOBAL && obj->elf.syms[i].name[0])
			syms[n++] = &obj->elf.syms[i];
	if (n > 1)
		qsort(syms, n, sizeof(*syms), cmp_u64);
	def_size = n ? obj->elf.secs[obj->legacy_maps_sec].size / n : 0;
	if (n && (def_size < MAP_DEF_LEGACY_SIZE || obj->elf.secs[obj->legacy_maps_sec].size % n))
		err = bk__odiag(obj, -EINVAL, "section 'maps': %zu definitions of unequal or short size",
				n);
	for (size_t i = 0; i < n && !err; i++)
		err = legacy_map(obj, syms[i], def_size);
	free(syms);
	return err;
}

/* libbpf's internal map name: as much of the object name as fits before
 * the section name (7 characters reserved for it), none for a section with
 * a second dot, and only characters the kernel accepts. */
static void internal_name(const struct bk_object *obj, const char *real, char out[16])
{
	size_t sfx = strlen(real) > 7 ? strlen(real) : 7;
	size_t pfx;

	if (sfx > 15)
		sfx = 15;
	pfx = strchr(real + 1, '.') ? 0 : 15 - sfx;
	if (pfx > strlen(obj->name))
		pfx = strlen(obj->name);
	memcpy(out, obj->name, pfx);
	bk__strcut(out + pfx, 16 - pfx, real);
	for (char *c = out; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '.'))
			*c = '_';
}

/* A data map is mmap-able (libbpf 1.2+) when its DATASEC has a global variable. */
static bool has_global_var(const struct bk_btf *btf, uint32_t sec)
{
	struct bk_btf_var_secinfo vs;
	struct bk_btf_type t;

	bk_btf_type_by_id(btf, sec, &t);
	for (uint32_t i = 0; i < t.vlen; i++)
		if (!bk_btf_datasec_var(btf, sec, i, &vs) &&
		    bk_btf_var_linkage(btf, vs.type) > BK_BTF_VAR_STATIC)
			return true;
	return false;
}

struct bk_object_map *bk__obj_add_data_map(struct bk_object *obj, const char *real,
					   enum bk__map_kind kind, size_t sec, uint64_t size)
{
	struct bk_object_map *m;
	int ds = obj->btf ? bk_btf_find(obj->btf, real, BK_BTF_KIND_DATASEC) : -ENOENT;

	/* The kernel takes array values up to KMALLOC_MAX_SIZE (4 MiB on x86-64);
	 * refusing far beyond that keeps a hostile .bss from costing gigabytes. */
	if (size > MAX_DATA_SECTION) {
		bk__odiag(obj, -E2BIG, "section '%s': %llu bytes, more than a map value can hold", real,
			  (unsigned long long)size);
		return NULL;
	}
	m = bk__obj_add_map(obj, real, kind);
	if (!m)
		return NULL;
	m->sec = sec;
	m->sec_size = size;
	m->def.type = BK_MAP_TYPE_ARRAY;
	m->def.key_size = 4;
	m->def.value_size = (uint32_t)size;
	m->def.max_entries = 1;
	if (kind == BK__MAP_RODATA || kind == BK__MAP_KCONFIG)
		m->def.map_flags = BK_F_RDONLY_PROG;
	if (ds > 0) {
		m->def.btf_value_type_id = (uint32_t)ds;
		if (has_global_var(obj->btf, (uint32_t)ds))
			m->def.map_flags |= BK_F_MMAPABLE;
	}
	internal_name(obj, real, m->kname);
	m->image = calloc(1, size ? size : 1);
	if (!m->image) {
		bk__odiag(obj, -ENOMEM, "out of memory");
		return NULL;
	}
	if (sec && obj->elf.secs[sec].data)
		memcpy(m->image, obj->elf.secs[sec].data, size);
	return m;
}

static bool has_prefix(const char *name, const char *base)
{
	size_t n = strlen(base);

	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static int collect_data_maps(struct bk_object *obj)
{
	for (size_t i = 1; i < obj->elf.nsecs; i++) {
		const struct bk__elf_sec *s = &obj->elf.secs[i];
		enum bk__map_kind kind;

		if (s->size == 0)
			continue;
		if (s->type == BK__SHT_PROGBITS && !(s->flags & BK__SHF_EXECINSTR) &&
		    has_prefix(s->name, ".data"))
			kind = BK__MAP_DATA;
		else if (s->type == BK__SHT_PROGBITS && !(s->flags & BK__SHF_EXECINSTR) &&
			 has_prefix(s->name, ".rodata"))
			kind = BK__MAP_RODATA;
		else if (s->type == BK__SHT_NOBITS && has_prefix(s->name, ".bss"))
			kind = BK__MAP_BSS;
		else
			continue;
		if (!bk__obj_add_data_map(obj, s->name, kind, i, s->size))
			return -errno;
	}
	return 0;
}

int bk__obj_collect_maps(struct bk_object *obj)
{
	int err = collect_btf_maps(obj);

	if (!err)
		err = collect_legacy_maps(obj);
	if (!err)
		err = collect_data_maps(obj);
	return err;
}

struct bk_object_map *bk__obj_map_at_sec(struct bk_object *obj, size_t sec, uint64_t off)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		struct bk_object_map *m = &obj->maps[i];

		if (m->sec != sec)
			continue;
		if (m->kind >= BK__MAP_DATA || m->sec_off == off)
			return m;
	}
	return NULL;
}
