// SPDX-License-Identifier: MIT
/*
 * The instructions of one loaded program, laid out as libbpf lays them out
 * so that the kernel's tag is the same: the entry function, then every
 * subprogram it reaches, each appended when first referenced, walking
 * depth-first (a subprogram's own calls are resolved as soon as it is
 * appended). Calls and ld_imm64 of functions get pc-relative immediates.
 * The .BTF.ext func_info and line_info records of each placed function are
 * gathered in the same order with instruction offsets rebased.
 */
#include <stdlib.h>
#include <string.h>

#include "btf_ext.h"
#include "object_int.h"

#define INSN_SZ 8

/* The .text function containing instruction target, or NULL. */
static struct bk_object_prog *subprog_at(struct bk_object *obj, int64_t target)
{
	for (size_t i = obj->nprogs; i < obj->nfuncs; i++) {
		struct bk_object_prog *sp = &obj->progs[i];

		if ((uint64_t)target >= sp->off && (uint64_t)target < sp->off + sp->len)
			return sp;
	}
	return NULL;
}

static int append(struct bk_object_prog *p, const struct bk_object_prog *fn)
{
	struct bk__code_sec *c = bk__obj_code(p->obj, fn->sec);
	struct bk_insn *grown = realloc(p->insns, (p->ninsns + fn->len) * sizeof(*grown));

	if (!grown)
		return bk__odiag(p->obj, -ENOMEM, "out of memory");
	p->insns = grown;
	memcpy(p->insns + p->ninsns, c->insns + fn->off, fn->len * sizeof(*grown));
	p->ninsns += fn->len;
	return 0;
}

static int walk(struct bk_object_prog *p, struct bk_object_prog *fn, size_t base, int depth)
{
	struct bk__code_sec *c = bk__obj_code(p->obj, fn->sec);
	int err;

	if (depth > 64)
		return bk__odiag(p->obj, -ELOOP, "program '%s': subprogram calls nest too deep", p->name);
	if (!p->insns)
		return bk__odiag(p->obj, -EINVAL, "program '%s': nothing laid out", p->name);
	for (size_t i = 0; i < fn->len; i++) {
		int64_t target = c->target[fn->off + i];
		struct bk_object_prog *sp;
		int64_t rel;

		if (target < 0)
			continue;
		sp = subprog_at(p->obj, target);
		if (!sp)
			return bk__odiag(p->obj, -EINVAL, "program '%s': instruction %zu calls .text instruction %lld, which is in no function",
					 p->name, base + i, (long long)target);
		if (!sp->placed) {
			sp->placed = true;
			sp->sub_off = p->ninsns;
			err = append(p, sp);
			if (!err)
				err = walk(p, sp, sp->sub_off, depth + 1);
			if (err)
				return err;
		}
		rel = (int64_t)sp->sub_off + (target - (int64_t)sp->off) - (int64_t)(base + i) - 1;
		p->insns[base + i].imm = (int32_t)rel;
	}
	return 0;
}

int bk__obj_layout(struct bk_object *obj, struct bk_object_prog *p)
{
	for (size_t i = obj->nprogs; i < obj->nfuncs; i++)
		obj->progs[i].placed = false;
	free(p->insns);
	p->insns = NULL;
	p->ninsns = 0;
	p->sub_off = 0;
	if (append(p, p))
		return -ENOMEM;
	return walk(p, p, 0, 0);
}

bool bk__obj_origin(const struct bk_object_prog *p, size_t idx, struct bk__code_sec **c,
		    size_t *sec_idx)
{
	const struct bk_object *obj = p->obj;

	if (idx < p->len) {
		*c = bk__obj_code((struct bk_object *)obj, p->sec);
		*sec_idx = p->off + idx;
		return *c != NULL;
	}
	for (size_t i = obj->nprogs; i < obj->nfuncs; i++) {
		const struct bk_object_prog *sp = &obj->progs[i];

		if (sp->placed && idx >= sp->sub_off && idx < sp->sub_off + sp->len) {
			*c = bk__obj_code((struct bk_object *)obj, sp->sec);
			*sec_idx = sp->off + (idx - sp->sub_off);
			return *c != NULL;
		}
	}
	return false;
}

/* The records of one kind for program p, rebased: malloc'd into *out. */
static int gather_one(struct bk_object_prog *p, const struct bk_object_prog *fn, size_t base,
		      const struct bk__ext_info *info, uint8_t **buf, uint32_t *cnt)
{
	uint64_t lo = fn->off * INSN_SZ, hi = (fn->off + fn->len) * INSN_SZ;

	for (uint32_t i = 0; i < info->nrec; i++) {
		const uint8_t *rec = info->recs + (size_t)i * info->rec_size;
		uint32_t off;
		uint8_t *grown;

		memcpy(&off, rec, sizeof(off));
		if (off < lo || off >= hi)
			continue;
		grown = realloc(*buf, ((size_t)*cnt + 1) * info->rec_size);
		if (!grown)
			return bk__odiag(p->obj, -ENOMEM, "out of memory");
		*buf = grown;
		memcpy(grown + (size_t)*cnt * info->rec_size, rec, info->rec_size);
		off = (uint32_t)(base + (off - lo) / INSN_SZ);
		memcpy(grown + (size_t)*cnt * info->rec_size, &off, sizeof(off));
		(*cnt)++;
	}
	return 0;
}

int bk__obj_gather_ext(struct bk_object_prog *p, int which, uint8_t **buf, uint32_t *cnt,
		       uint32_t *rec_size)
{
	struct bk_object *obj = p->obj;
	const struct bk__ext_info *info;
	struct bk_object_prog *order[2] = { p, NULL };
	int err;

	*buf = NULL;
	*cnt = 0;
	*rec_size = 0;
	if (!obj->ext)
		return 0;
	info = bk__btf_ext_find(obj->ext, which, obj->elf.secs[p->sec].name);
	if (info) {
		*rec_size = info->rec_size;
		err = gather_one(p, order[0], 0, info, buf, cnt);
		if (err)
			return err;
	}
	/* subprograms in placement order */
	for (size_t placed = 1; placed;) {
		placed = 0;
		for (size_t i = obj->nprogs; i < obj->nfuncs; i++) {
			struct bk_object_prog *sp = &obj->progs[i];

			if (!sp->placed || sp->sub_off == 0 || (order[1] && sp->sub_off <= order[1]->sub_off))
				continue;
			if (!placed || sp->sub_off < order[0]->sub_off)
				order[0] = sp, placed = 1;
		}
		if (!placed)
			break;
		order[1] = order[0];
		info = bk__btf_ext_find(obj->ext, which, obj->elf.secs[order[0]->sec].name);
		if (!info)
			continue;
		if (*rec_size && *rec_size != info->rec_size)
			return bk__odiag(obj, -EINVAL, ".BTF.ext: record sizes differ between sections");
		*rec_size = info->rec_size;
		err = gather_one(p, order[0], order[0]->sub_off, info, buf, cnt);
		if (err)
			return err;
	}
	return 0;
}
