// SPDX-License-Identifier: MIT
/*
 * Relocations of the code sections, applied once at load time when map fds
 * and extern values are known:
 *   ld_imm64 of a map definition      -> src BPF_PSEUDO_MAP_FD, imm = map fd
 *   ld_imm64 of global data           -> src BPF_PSEUDO_MAP_VALUE, imm = map fd,
 *                                        second imm = offset (symbol + addend)
 *   ld_imm64 of a __kconfig extern    -> .kconfig map value at its offset
 *   ld_imm64 of a __ksym variable     -> src BPF_PSEUDO_BTF_ID (typed) or its address
 *   call of a kfunc                   -> src BPF_PSEUDO_KFUNC_CALL, imm = BTF id
 *   call / ld_imm64 of a function     -> remembered as a .text target for layout
 * then CO-RE relocations from .BTF.ext. The call targets follow libbpf:
 * target = symbol offset / 8 + imm + 1 for calls (imm is -1 against a global
 * function, the function's offset - 1 against the section symbol).
 */
#include <stdlib.h>
#include <string.h>

#include <bpfkit/map.h>

#include "btf_ext.h"
#include "core.h"
#include "object_int.h"


#define INSN_SZ 8
/* libbpf turns a call to a missing __weak kfunc into this helper call. */
#define POISON_CALL_KFUNC_BASE 2002000000

static bool is_ld_imm64(const struct bk_insn *i)
{
	return i->code == (BK_LD | BK_DW | BK_IMM);
}

static bool is_call(const struct bk_insn *i)
{
	return i->code == (BK_JMP | 0x80);
}

static int reloc_map(struct bk_object *obj, const char *sec, size_t idx, struct bk_insn *insn,
		     const struct bk__elf_sym *sym)
{
	struct bk_object_map *m = bk__obj_map_at_sec(obj, sym->shndx, sym->value);

	if (!m || !m->map)
		return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: no map at '%s'+%llu",
				 sec, idx, obj->elf.secs[sym->shndx].name,
				 (unsigned long long)sym->value);
	if (m->kind >= BK__MAP_DATA) {
		int64_t off = (int64_t)insn[0].imm + (sym->type == BK__STT_SECTION ? 0 : (int64_t)sym->value);

		if (off < 0 || (uint64_t)off >= m->def.value_size)
			return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: offset %lld outside '%s'",
					 sec, idx, (long long)off, m->name);
		insn[0].src_reg = BK_PSEUDO_MAP_VALUE;
		insn[1].imm = (int32_t)off;
	} else {
		insn[0].src_reg = BK_PSEUDO_MAP_FD;
		insn[1].imm = 0;
	}
	insn[0].imm = bk_map_fd(m->map);
	return 0;
}

static int reloc_extern_ld(struct bk_object *obj, struct bk_insn *insn, const struct bk__ext *e)
{
	struct bk_object_map *kc;

	switch (e->kind) {
	case 0:
		kc = bk_object_map_by_name(obj, ".kconfig");
		if (!kc || !kc->map)
			return bk__odiag(obj, -EINVAL, "extern '%s': no .kconfig map", e->name);
		insn[0].src_reg = BK_PSEUDO_MAP_VALUE;
		insn[0].imm = bk_map_fd(kc->map);
		insn[1].imm = (int32_t)e->kcfg_off;
		return 0;
	case 1:
	case 2: /* bpf_ksym_exists(kfunc): its BTF id, or 0 when a __weak one is missing */
		if ((e->type_id || e->kind == 2) && e->resolved) {
			insn[0].src_reg = BK_PSEUDO_BTF_ID;
			insn[0].imm = (int32_t)e->kern_btf_id;
			insn[1].imm = e->kern_btf_fd;
		} else {
			insn[0].imm = (int32_t)(uint32_t)e->addr;
			insn[1].imm = (int32_t)(uint32_t)(e->addr >> 32);
		}
		return 0;
	default:
		return bk__odiag(obj, -EINVAL, "extern '%s': unknown kind", e->name);
	}
}

static int reloc_kfunc(struct bk_object *obj, struct bk_insn *insn, const struct bk__ext *e)
{
	if (e->kind != 2)
		return bk__odiag(obj, -EINVAL, "extern '%s': called but not a function", e->name);
	if (!e->resolved) {
		memset(insn, 0, sizeof(*insn));
		insn->code = BK_JMP | 0x80;
		insn->imm = POISON_CALL_KFUNC_BASE + (int32_t)(e - obj->exts);
		return 0;
	}
	insn->src_reg = BK_PSEUDO_KFUNC_CALL;
	insn->imm = (int32_t)e->kern_btf_id;
	insn->off = e->fd_index; /* 0: vmlinux, else the module's BTF fd in the fd_array */
	return 0;
}

static int reloc_func(struct bk_object *obj, struct bk__code_sec *c, size_t idx,
		      const struct bk__elf_sym *sym)
{
	struct bk_insn *insn = &c->insns[idx];
	int64_t target;

	if (sym->shndx != obj->text_sec || !obj->text_sec)
		return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: call into section '%s'; subprograms live in .text",
				 obj->elf.secs[c->sec].name, idx, obj->elf.secs[sym->shndx].name);
	if (sym->value >= obj->elf.secs[obj->text_sec].size) /* also keeps the sums below in range */
		return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: symbol '%s' outside .text",
				 obj->elf.secs[c->sec].name, idx, sym->name);
	if (is_call(insn))
		target = (int64_t)(sym->value / INSN_SZ) + insn->imm + 1;
	else
		target = ((int64_t)sym->value + insn->imm) / INSN_SZ;
	if (target < 0 || (uint64_t)target >= obj->elf.secs[obj->text_sec].size / INSN_SZ)
		return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: call target %lld outside .text",
				 obj->elf.secs[c->sec].name, idx, (long long)target);
	c->target[idx] = target;
	if (!is_call(insn))
		insn->src_reg = BK_PSEUDO_FUNC;
	return 0;
}

static int reloc_one(struct bk_object *obj, struct bk__code_sec *c, const struct bk__elf_rel *r)
{
	const char *sec = obj->elf.secs[c->sec].name;
	const struct bk__elf_sym *sym = &obj->elf.syms[r->sym];
	size_t idx = r->offset / INSN_SZ;
	struct bk_insn *insn;

	if (r->type == BK__R_BPF_NONE || r->type == BK__R_BPF_64_NODYLD32)
		return 0;
	if (r->offset % INSN_SZ || idx >= c->n)
		return bk__odiag(obj, -EINVAL, "section '%s': relocation at byte %llu outside its instructions",
				 sec, (unsigned long long)r->offset);
	insn = &c->insns[idx];
	if (!is_call(insn) && !(is_ld_imm64(insn) && idx + 1 < c->n))
		return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: relocation of '%s' on an instruction that is neither ld_imm64 nor call",
				 sec, idx, sym->name);
	if (sym->shndx == BK__SHN_UNDEF) {
		const struct bk__ext *e = bk__obj_ext_by_name(obj, sym->name);

		if (!e)
			return bk__odiag(obj, -EINVAL, "section '%s': instruction %zu: unknown extern '%s'",
					 sec, idx, sym->name);
		return is_call(insn) ? reloc_kfunc(obj, insn, e) : reloc_extern_ld(obj, insn, e);
	}
	if (sym->shndx == obj->text_sec || is_call(insn))
		return reloc_func(obj, c, idx, sym);
	return reloc_map(obj, sec, idx, insn, sym);
}

/* Calls within the same section without a relocation (static functions of .text). */
static void local_calls(struct bk_object *obj, struct bk__code_sec *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct bk_insn *insn = &c->insns[i];

		if (c->target[i] < 0 && c->sec == obj->text_sec && is_call(insn) &&
		    insn->src_reg == BK_PSEUDO_CALL)
			c->target[i] = (int64_t)i + insn->imm + 1;
	}
}

static int reloc_sec(struct bk_object *obj, struct bk__code_sec *c)
{
	struct bk__elf_rel r;
	int err;

	c->target = malloc((c->n ? c->n : 1) * sizeof(*c->target));
	if (!c->target)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++)
		c->target[i] = -1;
	for (size_t s = 1; s < obj->elf.nsecs; s++) {
		if (obj->elf.secs[s].type != BK__SHT_REL || obj->elf.secs[s].info != c->sec)
			continue;
		for (size_t i = 0; i < bk__elf_nrels(&obj->elf, s); i++) {
			if (bk__elf_rel(&obj->elf, s, i, &r))
				return bk__odiag(obj, -EINVAL, "section '%s': relocation %zu names no symbol",
						 obj->elf.secs[s].name, i);
			err = reloc_one(obj, c, &r);
			if (err)
				return err;
		}
	}
	local_calls(obj, c);
	return 0;
}

/* Remember why: a verifier complaint about this instruction names it. */
static void core_poisoned(void *ctx, size_t insn, const char *what)
{
	struct bk__code_sec *c = ctx;

	if (insn >= c->n)
		return;
	if (!c->poison)
		c->poison = calloc(c->n, sizeof(*c->poison));
	if (c->poison && !c->poison[insn])
		c->poison[insn] = strdup(what);
	bk__debug("CO-RE: instruction %zu poisoned: %s", insn, what);
}

/* Is byte offset off of section sec inside a program that will not be loaded? */
static bool in_skipped_prog(const struct bk_object *obj, size_t sec, uint32_t off)
{
	for (size_t i = 0; i < obj->nprogs; i++) {
		const struct bk_object_prog *p = &obj->progs[i];

		if (p->sec == sec && !p->autoload && off / INSN_SZ >= p->off &&
		    off / INSN_SZ < p->off + p->len)
			return true;
	}
	return false;
}

/* The section's records without those of programs left out (as libbpf relocates
 * only what it loads); *keep is malloc'd when some were dropped. */
static const struct bk__ext_info *loaded_only(const struct bk_object *obj, size_t sec,
					      const struct bk__ext_info *all, struct bk__ext_info *keep)
{
	uint8_t *recs = NULL;
	uint32_t n = 0, off;

	for (uint32_t i = 0; i < all->nrec; i++) {
		memcpy(&off, all->recs + (size_t)i * all->rec_size, sizeof(off));
		if (in_skipped_prog(obj, sec, off))
			continue;
		if (!recs && !(recs = malloc((size_t)all->nrec * all->rec_size)))
			return NULL;
		memcpy(recs + (size_t)n++ * all->rec_size, all->recs + (size_t)i * all->rec_size,
		       all->rec_size);
	}
	if (n == all->nrec) {
		free(recs);
		return all;
	}
	*keep = *all;
	keep->nrec = n;
	keep->recs = recs;
	return keep;
}

static int core_sec(struct bk_object *obj, struct bk__code_sec *c, struct bk__core_cands **cands,
		    struct bk_btf **custom)
{
	const struct bk__ext_info *all, *relos;
	struct bk__ext_info keep = { 0 };
	struct bk_diag d = { 0 };
	const char *sec = obj->elf.secs[c->sec].name;
	int err;

	all = obj->ext ? bk__btf_ext_find(obj->ext, 2, sec) : NULL;
	if (!all || !all->nrec)
		return 0;
	relos = loaded_only(obj, c->sec, all, &keep);
	if (!relos)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	if (!*cands) {
		const char *path = obj->opts.btf_custom_path;
		struct bk__core_target t = { 0 };

		/* as libbpf: a custom target BTF replaces the kernel's */
		if (path && !(*custom = bk_btf_load_file(path, &d)))
			err = bk__odiag(obj, -errno, "CO-RE target BTF %s: %s", path, d.msg);
		else if (!path && !bk__obj_vmlinux(obj))
			err = -errno;
		else
			err = 0;
		t.btf = path ? *custom : bk__obj_vmlinux(obj);
		if (!err && !(*cands = bk__core_cands_new(&t, 1)))
			err = bk__odiag(obj, -ENOMEM, "out of memory");
		if (err) {
			free((void *)keep.recs);
			return err;
		}
	}
	err = bk__core_relocate_sec(obj->btf, relos, c->insns, c->n, *cands, core_poisoned, c, &d);
	free((void *)keep.recs);
	if (err)
		return bk__odiag(obj, err, "section '%s': CO-RE: %s", sec, d.msg);
	return 0;
}

int bk__obj_relocate_sections(struct bk_object *obj)
{
	struct bk__core_cands *cands = NULL;
	struct bk_btf *custom = NULL;
	int err = 0;

	for (size_t i = 0; i < obj->ncode && !err; i++) {
		err = reloc_sec(obj, &obj->code[i]);
		if (!err)
			err = core_sec(obj, &obj->code[i], &cands, &custom);
	}
	bk__core_cands_free(cands);
	bk_btf_free(custom);
	return err;
}
