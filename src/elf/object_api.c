// SPDX-License-Identifier: MIT
/*
 * The object's public surface: getters and setters of programs and maps,
 * the initial contents of prog arrays and map-in-maps (.rel.maps), the
 * attach target's BTF id, and close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf_ext.h"
#include "core.h"
#include "object_int.h"
#include "sec_def.h"


#define BUSY_IF_LOADED(o)                                                                          \
	do {                                                                                       \
		if ((o)->loaded)                                                                   \
			return bk__odiag((o), -EBUSY, "object '%s' is loaded already", (o)->name); \
	} while (0)

const char *bk_object_name(const struct bk_object *obj) { return obj->name; }
const char *bk_object_license(const struct bk_object *obj) { return obj->license; }
const struct bk_btf *bk_object_btf(const struct bk_object *obj) { return obj->btf; }
size_t bk_object_prog_count(const struct bk_object *obj) { return obj->nprogs; }
size_t bk_object_map_count(const struct bk_object *obj) { return obj->nmaps; }
size_t bk_object_extern_count(const struct bk_object *obj) { return obj->nexts; }

struct bk_object_prog *bk_object_prog_at(const struct bk_object *obj, size_t i)
{
	return i < obj->nprogs ? &obj->progs[i] : bk__err_ptr(-ENOENT);
}

struct bk_object_prog *bk_object_prog_by_name(const struct bk_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->nprogs; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return bk__err_ptr(-ENOENT);
}

const char *bk_object_prog_name(const struct bk_object_prog *p) { return p->name; }
const char *bk_object_prog_section(const struct bk_object_prog *p)
{
	return p->obj->elf.secs[p->sec].name;
}
enum bk_prog_type bk_object_prog_type(const struct bk_object_prog *p) { return p->type; }
uint32_t bk_object_prog_expected_attach_type(const struct bk_object_prog *p)
{
	return p->expected_attach_type;
}
uint32_t bk_object_prog_flags(const struct bk_object_prog *p) { return p->flags; }
bool bk_object_prog_autoload(const struct bk_object_prog *p) { return p->autoload; }
struct bk_prog *bk_object_prog_prog(const struct bk_object_prog *p) { return p->prog; }

const struct bk_insn *bk_object_prog_insns(const struct bk_object_prog *p, size_t *count)
{
	const struct bk__code_sec *c;

	if (p->insns) {
		*count = p->ninsns;
		return p->insns;
	}
	c = bk__obj_code(p->obj, p->sec);
	*count = p->len;
	return c->insns + p->off;
}

int bk_object_prog_set_autoload(struct bk_object_prog *p, bool autoload)
{
	BUSY_IF_LOADED(p->obj);
	p->autoload = autoload;
	return 0;
}

int bk_object_prog_set_type(struct bk_object_prog *p, enum bk_prog_type type)
{
	BUSY_IF_LOADED(p->obj);
	p->type = type;
	return 0;
}

int bk_object_prog_set_expected_attach_type(struct bk_object_prog *p, uint32_t type)
{
	BUSY_IF_LOADED(p->obj);
	p->expected_attach_type = type;
	return 0;
}

int bk_object_prog_set_attach_target(struct bk_object_prog *p, int target_fd, const char *name)
{
	char *copy = NULL;

	BUSY_IF_LOADED(p->obj);
	if (name && !(copy = strdup(name)))
		return bk__err(-ENOMEM);
	free(p->attach_target);
	p->attach_target = copy;
	p->attach_target_fd = target_fd;
	return 0;
}

/* libbpf's naming of attach targets in the kernel's BTF, per expected attach type. */
static int find_target(struct bk_object *obj, struct bk_object_prog *p, const char *name)
{
	static const struct { const char *prefix; uint32_t eat; int kind; } rules[] = {
		{ "btf_trace_", BK_ATTACH_TRACE_RAW_TP, BK_BTF_KIND_TYPEDEF },
		{ "bpf_lsm_", BK_ATTACH_LSM_MAC, BK_BTF_KIND_FUNC },
		{ "bpf_lsm_", BK_ATTACH_LSM_CGROUP, BK_BTF_KIND_FUNC },
		{ "bpf_iter_", BK_ATTACH_TRACE_ITER, BK_BTF_KIND_FUNC },
	};
	const char *prefix = "";
	int kind = BK_BTF_KIND_FUNC, err;
	struct bk_btf_kernel_type kt;
	char full[256];

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].eat == p->expected_attach_type)
			prefix = rules[i].prefix, kind = rules[i].kind;
	snprintf(full, sizeof(full), "%s%s", prefix, name);
	err = bk__obj_kernel_find(obj, full, kind, &kt);
	if (err == -ENOENT)
		return bk__odiag(obj, -ESRCH, "program '%s': attach target '%s' (%s) is not in the kernel's BTF",
				 p->name, name, full);
	if (err)
		return err;
	p->attach_target_fd = kt.btf_fd; /* a module's BTF object, 0 for vmlinux */
	return (int)kt.type_id;
}

int bk__obj_attach_btf_id(struct bk_object *obj, struct bk_object_prog *p, uint32_t *id)
{
	const char *name;
	int r;

	*id = 0;
	if (!p->def && !p->type)
		return bk__odiag(obj, -EINVAL, "program '%s': section '%s' names no program type libbpf knows",
				 p->name, bk_object_prog_section(p));
	if (p->type == BK_PROG_TYPE_STRUCT_OPS) {
		*id = p->struct_ops_btf_id;
		return *id ? 0 : bk__odiag(obj, -EINVAL, "program '%s': no struct_ops variable points to it",
					   p->name);
	}
	if (!p->def || !(p->def->flags & BK__SEC_ATTACH_BTF) || p->attach_target_fd > 0)
		return 0;
	name = p->attach_target ? p->attach_target : bk__sec_target(p->def, bk_object_prog_section(p));
	if (!name || !name[0])
		return bk__odiag(obj, -EINVAL, "program '%s': section '%s' names no attach target",
				 p->name, bk_object_prog_section(p));
	r = find_target(obj, p, name);
	if (r < 0)
		return r;
	*id = (uint32_t)r;
	return 0;
}

/* ---- maps ---- */

struct bk_object_map *bk_object_map_at(const struct bk_object *obj, size_t i)
{
	return i < obj->nmaps ? &obj->maps[i] : bk__err_ptr(-ENOENT);
}

struct bk_object_map *bk_object_map_by_name(const struct bk_object *obj, const char *name)
{
	for (size_t i = 0; name && i < obj->nmaps; i++)
		if (!strcmp(obj->maps[i].name, name) || !strcmp(obj->maps[i].kname, name))
			return &obj->maps[i];
	return bk__err_ptr(-ENOENT);
}

const char *bk_object_map_name(const struct bk_object_map *m) { return m->name; }
const char *bk_object_map_kernel_name(const struct bk_object_map *m) { return m->kname; }
void bk_object_map_def(const struct bk_object_map *m, struct bk_object_map_def *out) { *out = m->def; }
bool bk_object_map_is_data(const struct bk_object_map *m) { return m->kind >= BK__MAP_DATA; }
struct bk_map *bk_object_map_map(const struct bk_object_map *m) { return m->map; }

int bk_object_map_set_max_entries(struct bk_object_map *m, uint32_t n)
{
	BUSY_IF_LOADED(m->obj);
	if (!n || m->kind >= BK__MAP_DATA)
		return bk__odiag(m->obj, -EINVAL, "map '%s': max_entries %u", m->name, n);
	m->def.max_entries = n;
	return 0;
}

int bk_object_map_set_value_size(struct bk_object_map *m, uint32_t size)
{
	BUSY_IF_LOADED(m->obj);
	if (!size || m->kind >= BK__MAP_DATA)
		return bk__odiag(m->obj, -EINVAL, "map '%s': value size %u cannot be set", m->name,
				 size);
	m->def.value_size = size;
	m->def.btf_value_type_id = 0;
	return 0;
}

int bk_object_map_set_flags(struct bk_object_map *m, uint32_t flags)
{
	BUSY_IF_LOADED(m->obj);
	m->def.map_flags = flags;
	return 0;
}

int bk_object_map_set_initial_value(struct bk_object_map *m, const void *data, size_t size)
{
	BUSY_IF_LOADED(m->obj);
	if (!m->image || size != m->def.value_size || !data)
		return bk__odiag(m->obj, -EINVAL, "map '%s': initial value of %zu bytes, the value is %u",
				 m->name, size, m->def.value_size);
	memcpy(m->image, data, size);
	return 0;
}

void *bk_object_map_data(struct bk_object_map *m, size_t *size)
{
	if (m->kind < BK__MAP_DATA)
		return bk__err_ptr(-EINVAL);
	if (size)
		*size = m->def.value_size;
	if (!m->obj->loaded)
		return m->image;
	if (!m->mmaped && m->map && (m->def.map_flags & BK_F_MMAPABLE)) {
		m->mmaped = bk_map_mmap(m->map); /* mapped at first use, kept until close */
		if (!m->mmaped) {
			bk__odiag(m->obj, -errno, "map '%s': mmap: %s", m->name, strerror(errno));
			return NULL;
		}
	}
	return m->mmaped ? m->mmaped : bk__err_ptr(-ENODATA);
}

int bk_object_map_reuse_fd(struct bk_object_map *m, int fd)
{
	BUSY_IF_LOADED(m->obj);
	if (fd <= 0)
		return bk__err(-EBADF);
	m->reuse_fd = fd;
	return 0;
}

int bk_object_map_set_pin_path(struct bk_object_map *m, const char *path)
{
	char *copy;

	BUSY_IF_LOADED(m->obj);
	copy = path ? strdup(path) : NULL;
	if (path && !copy)
		return bk__err(-ENOMEM);
	free(m->pin_path);
	m->pin_path = copy;
	return 0;
}

int bk_object_extern_at(const struct bk_object *obj, size_t i, const char **name,
			const char **kind, bool *weak)
{
	static const char *const kinds[] = { "kconfig", "ksym", "kfunc" };

	if (i >= obj->nexts)
		return bk__err(-ENOENT);
	*name = obj->exts[i].name;
	*kind = kinds[obj->exts[i].kind];
	*weak = obj->exts[i].weak;
	return 0;
}

void bk_object_stats(const struct bk_object *obj, struct bk_object_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->sections = obj->elf.nsecs ? obj->elf.nsecs - 1 : 0;
	out->code_sections = obj->ncode;
	out->subprograms = obj->nfuncs - obj->nprogs;
	out->btf = obj->btf != NULL;
	out->btf_ext = obj->ext != NULL;
	for (size_t s = 1; s < obj->elf.nsecs; s++)
		if (obj->elf.secs[s].type == BK__SHT_REL &&
		    bk__obj_code((struct bk_object *)obj, obj->elf.secs[s].info))
			out->relocations += bk__elf_nrels(&obj->elf, s);
	for (size_t i = 0; obj->ext && i < obj->ext->ncore; i++)
		out->core_relocations += obj->ext->core[i].nrec;
}

/* ---- .rel.maps: initial contents of prog arrays and map-in-maps ---- */

static struct bk_object_map *map_of_def(struct bk_object *obj, uint64_t off)
{
	for (size_t i = 0; i < obj->nmaps; i++) {
		struct bk_object_map *m = &obj->maps[i];

		if (m->kind == BK__MAP_USER && off >= m->sec_off && off < m->sec_off + m->sec_size)
			return m;
	}
	return NULL;
}

static int init_slot(struct bk_object *obj, const struct bk__elf_rel *r)
{
	const struct bk__elf_sym *sym = &obj->elf.syms[r->sym];
	struct bk_object_map *m = map_of_def(obj, r->offset), *inner;
	struct bk_object_prog *p;
	uint32_t slot;
	int fd;

	if (!m || !m->values_off || r->offset < m->sec_off + m->values_off)
		return bk__odiag(obj, -EINVAL, "section '.rel.maps': entry at %llu is in no map's values",
				 (unsigned long long)r->offset);
	slot = (uint32_t)((r->offset - m->sec_off - m->values_off) / 8);
	if (m->def.type == BK_MAP_TYPE_PROG_ARRAY) {
		p = bk_object_prog_by_name(obj, sym->name);
		if (!p)
			return bk__odiag(obj, -EINVAL, "map '%s': slot %u names '%s', not a program",
					 m->name, slot, sym->name);
		if (!p->prog)
			return 0; /* not loaded (autoload off): libbpf leaves the slot empty too */
		fd = bk_prog_fd(p->prog);
	} else {
		inner = bk_object_map_by_name(obj, sym->name);
		if (!inner || !inner->map)
			return bk__odiag(obj, -EINVAL, "map '%s': slot %u names '%s', not a map",
					 m->name, slot, sym->name);
		fd = bk_map_fd(inner->map);
	}
	if (bk_map_update_fd(m->map, &slot, sizeof(slot), fd, 0))
		return bk__odiag(obj, -errno, "map '%s': slot %u <- '%s': %s", m->name, slot,
				 sym->name, strerror(errno));
	return 0;
}

int bk__obj_maps_finish(struct bk_object *obj)
{
	struct bk__elf_rel r;
	int err;

	for (size_t s = 1; obj->maps_sec && s < obj->elf.nsecs; s++) {
		if (obj->elf.secs[s].type != BK__SHT_REL || obj->elf.secs[s].info != obj->maps_sec)
			continue;
		for (size_t i = 0; i < bk__elf_nrels(&obj->elf, s); i++) {
			if (bk__elf_rel(&obj->elf, s, i, &r))
				return bk__odiag(obj, -EINVAL, "section '.rel.maps': bad relocation %zu", i);
			err = init_slot(obj, &r);
			if (err)
				return err;
		}
	}
	return 0;
}

void bk_object_close(struct bk_object *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->nfuncs; i++) {
		struct bk_object_prog *p = &obj->progs[i];

		bk_link_close(p->link);
		bk_prog_close(p->prog);
		free(p->insns);
		free(p->name);
		free(p->attach_target);
	}
	for (size_t i = 0; i < obj->nmaps; i++) {
		bk_map_close(obj->maps[i].map);
		free(obj->maps[i].name);
		free(obj->maps[i].image);
		free(obj->maps[i].pin_path);
	}
	for (size_t i = 0; i < obj->ncode; i++) {
		for (size_t k = 0; obj->code[i].poison && k < obj->code[i].n; k++)
			free(obj->code[i].poison[k]);
		free(obj->code[i].poison);
		free(obj->code[i].insns);
		free(obj->code[i].target);
	}
	if (obj->btf_fd >= 0)
		close(obj->btf_fd);
	bk__btf_ext_free(obj->ext);
	bk_btf_free(obj->btf);
	bk_btf_kernel_close(obj->kernel);
	free(obj->fd_array);
	bk__elf_free(&obj->elf);
	free(obj->btf_raw);
	free(obj->progs);
	free(obj->maps);
	free(obj->code);
	free(obj->exts);
	free(obj);
}
