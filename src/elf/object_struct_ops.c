// SPDX-License-Identifier: MIT
/*
 * struct_ops: a variable in ".struct_ops" or ".struct_ops.link" (a struct of
 * the kernel, such as tcp_congestion_ops, whose function pointers name
 * programs of "struct_ops/..." sections) becomes a BPF_MAP_TYPE_STRUCT_OPS
 * map, as libbpf makes it: its value type is the kernel's
 * "bpf_struct_ops_<struct>", and each program it points to loads with the
 * kernel struct as attach BTF id and the member's index as expected attach
 * type. Registration (the map update with the programs' fds) is an attach,
 * which bpfkit leaves to the caller: it changes the machine (a TCP
 * congestion control, a scheduler).
 */
#include <stdio.h>
#include <string.h>

#include "object_int.h"


static bool is_struct_ops_sec(const char *name)
{
	return !strcmp(name, ".struct_ops") || !strcmp(name, ".struct_ops.link");
}

static int add_var(struct bk_object *obj, size_t sec, const struct bk_btf_var_secinfo *vs)
{
	const struct bk__elf_sym *sym;
	struct bk_btf_type var, st;
	struct bk_object_map *m;
	int sid;

	if (bk_btf_type_by_id(obj->btf, vs->type, &var) || var.kind != BK_BTF_KIND_VAR)
		return bk__odiag(obj, -EINVAL, "section '%s': entry %u is not a variable",
				 obj->elf.secs[sec].name, vs->type);
	sid = bk_btf_resolve(obj->btf, var.size_or_type);
	if (sid <= 0 || bk_btf_type_by_id(obj->btf, (uint32_t)sid, &st) ||
	    st.kind != BK_BTF_KIND_STRUCT || !st.name[0])
		return bk__odiag(obj, -EINVAL, "struct_ops '%s': not a named struct", var.name);
	m = bk__obj_add_map(obj, var.name, BK__MAP_STRUCT_OPS);
	if (!m)
		return -errno;
	m->sec = sec;
	m->sec_size = st.size_or_type;
	m->local_type = (uint32_t)sid;
	sym = bk__elf_sym_in(&obj->elf, sec, var.name);
	m->sec_off = sym ? sym->value : 0;
	m->def.type = BK_MAP_TYPE_STRUCT_OPS;
	m->def.key_size = 4;
	m->def.max_entries = 1;
	if (!strcmp(obj->elf.secs[sec].name, ".struct_ops.link"))
		m->def.map_flags = BK_F_LINK;
	bk__strcut(m->kname, sizeof(m->kname), m->name);
	return 0;
}

int bk__obj_collect_struct_ops(struct bk_object *obj)
{
	struct bk_btf_var_secinfo vs;
	struct bk_btf_type t;
	int ds, err;

	for (size_t s = 1; s < obj->elf.nsecs; s++) {
		if (!is_struct_ops_sec(obj->elf.secs[s].name))
			continue;
		if (!obj->btf)
			return bk__odiag(obj, -EINVAL, "section '%s' needs the object's BTF",
					 obj->elf.secs[s].name);
		ds = bk_btf_find(obj->btf, obj->elf.secs[s].name, BK_BTF_KIND_DATASEC);
		if (ds <= 0)
			return bk__odiag(obj, -EINVAL, "section '%s': no DATASEC in the BTF",
					 obj->elf.secs[s].name);
		bk_btf_type_by_id(obj->btf, (uint32_t)ds, &t);
		for (uint32_t i = 0; i < t.vlen; i++) {
			err = bk_btf_datasec_var(obj->btf, (uint32_t)ds, i, &vs);
			if (!err)
				err = add_var(obj, s, &vs);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The member of the local struct at byte offset off, its name, or NULL. */
static const char *member_at(const struct bk_btf *btf, uint32_t sid, uint64_t off)
{
	struct bk_btf_member mb;

	for (uint32_t i = 0; !bk_btf_member(btf, sid, i, &mb); i++)
		if (mb.bit_offset / 8 == off && !mb.bitfield_size)
			return mb.name;
	return NULL;
}

/* Index of the member named name in kernel struct kid, or -ENOENT. */
static int kernel_member(const struct bk_btf *vml, uint32_t kid, const char *name)
{
	struct bk_btf_member mb;

	for (uint32_t i = 0; !bk_btf_member(vml, kid, i, &mb); i++)
		if (!strcmp(mb.name, name))
			return (int)i;
	return -ENOENT;
}

/* Kernel types of map m: its struct and the bpf_struct_ops_ wrapper (value type). */
static int kernel_types(struct bk_object *obj, struct bk_object_map *m, struct bk_btf *vml,
			uint32_t *kid)
{
	struct bk_btf_type local, wrap;
	char wrap_name[160];
	int k, w;

	bk_btf_type_by_id(obj->btf, m->local_type, &local);
	k = bk_btf_find(vml, local.name, BK_BTF_KIND_STRUCT);
	snprintf(wrap_name, sizeof(wrap_name), "bpf_struct_ops_%s", local.name);
	w = bk_btf_find(vml, wrap_name, BK_BTF_KIND_STRUCT);
	if (k <= 0 || w <= 0)
		return bk__odiag(obj, -EOPNOTSUPP, "struct_ops '%s': the kernel has no struct_ops of type '%s'",
				 m->name, local.name);
	bk_btf_type_by_id(vml, (uint32_t)w, &wrap);
	m->def.value_size = wrap.size_or_type;
	m->def.btf_value_type_id = 0;
	m->kern_value_type = (uint32_t)w;
	*kid = (uint32_t)k;
	return 0;
}

/* Each relocation of the struct_ops section names a program for a member. */
static int bind_progs(struct bk_object *obj, size_t rel_sec, struct bk_btf *vml)
{
	struct bk__elf_rel r;

	for (size_t i = 0; i < bk__elf_nrels(&obj->elf, rel_sec); i++) {
		const struct bk__elf_sym *sym;
		struct bk_object_map *m = NULL;
		struct bk_object_prog *p;
		const char *member;
		uint32_t kid = 0;
		int idx, err;

		if (bk__elf_rel(&obj->elf, rel_sec, i, &r))
			return bk__odiag(obj, -EINVAL, "section '%s': bad relocation %zu",
					 obj->elf.secs[rel_sec].name, i);
		sym = &obj->elf.syms[r.sym];
		for (size_t k = 0; k < obj->nmaps; k++)
			if (obj->maps[k].kind == BK__MAP_STRUCT_OPS &&
			    obj->maps[k].sec == obj->elf.secs[rel_sec].info &&
			    r.offset >= obj->maps[k].sec_off &&
			    r.offset < obj->maps[k].sec_off + obj->maps[k].sec_size)
				m = &obj->maps[k];
		p = bk_object_prog_by_name(obj, sym->name);
		if (!m || !p)
			return bk__odiag(obj, -EINVAL, "section '%s': relocation at %llu names no struct_ops member program",
					 obj->elf.secs[rel_sec].name, (unsigned long long)r.offset);
		member = member_at(obj->btf, m->local_type, r.offset - m->sec_off);
		err = kernel_types(obj, m, vml, &kid);
		if (err)
			return err;
		idx = member ? kernel_member(vml, kid, member) : -ENOENT;
		if (idx < 0)
			return bk__odiag(obj, -EOPNOTSUPP, "struct_ops '%s': member '%s' is not in the kernel's struct",
					 m->name, member ? member : "?");
		p->struct_ops_btf_id = kid;
		p->expected_attach_type = (uint32_t)idx;
	}
	return 0;
}

int bk__obj_prepare_struct_ops(struct bk_object *obj)
{
	struct bk_btf *vml = NULL;
	uint32_t kid = 0;
	int err;

	for (size_t i = 0; i < obj->nmaps; i++) {
		if (obj->maps[i].kind != BK__MAP_STRUCT_OPS)
			continue;
		if (!vml && !(vml = bk__obj_vmlinux(obj)))
			return -errno;
		err = kernel_types(obj, &obj->maps[i], vml, &kid);
		if (err)
			return err;
	}
	for (size_t s = 1; vml && s < obj->elf.nsecs; s++) {
		if (obj->elf.secs[s].type != BK__SHT_REL || obj->elf.secs[s].info >= obj->elf.nsecs ||
		    !is_struct_ops_sec(obj->elf.secs[obj->elf.secs[s].info].name))
			continue;
		err = bind_progs(obj, s, vml);
		if (err)
			return err;
	}
	/* as libbpf 1.4+: a struct_ops program no variable points to is not loaded */
	for (size_t i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].type == BK_PROG_TYPE_STRUCT_OPS && !obj->progs[i].struct_ops_btf_id)
			obj->progs[i].autoload = false;
	return 0;
}
