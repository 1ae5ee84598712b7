// SPDX-License-Identifier: MIT
/*
 * The loader: the structural validator every bpfkit tool shares
 * (bk_insn_validate), then the VM's own rules, then one translation of each
 * slot into the decoded form the interpreter runs (vm_int.h): operation ids
 * straight from the instruction table, immediates sign-extended once, map
 * references turned into host addresses, helpers bound to their functions,
 * and r10-relative stack accesses proven in-frame turned into unchecked forms.
 */
#include <stdlib.h>
#include <string.h>

#include "vm_int.h"

/* Shapes whose dst register is written. */
static bool writes_dst(unsigned shape)
{
	switch (shape) {
	case BK_SHAPE_ALU_IMM:
	case BK_SHAPE_ALU_REG:
	case BK_SHAPE_NEG:
	case BK_SHAPE_MOVSX:
	case BK_SHAPE_END:
	case BK_SHAPE_ASCAST:
	case BK_SHAPE_LDX:
	case BK_SHAPE_LOAD_ACQ:
	case BK_SHAPE_LD_IMM64:
		return true;
	default:
		return false;
	}
}

static unsigned access_size(uint8_t code)
{
	static const unsigned sizes[4] = { 4, 2, 1, 8 }; /* W, H, B, DW */

	return sizes[BK_SIZE(code) >> 3];
}

/* The unchecked r10 form of a load or store, or 0 when it does not apply. */
static uint16_t fp_form(const struct bk_insn *in, unsigned shape)
{
	static const uint16_t ldx[4] = { VM_LDXW_FP, VM_LDXH_FP, VM_LDXB_FP, VM_LDXDW_FP };
	static const uint16_t stx[4] = { VM_STXW_FP, VM_STXH_FP, VM_STXB_FP, VM_STXDW_FP };
	static const uint16_t st[4] = { VM_STW_FP, VM_STH_FP, VM_STB_FP, VM_STDW_FP };
	unsigned s = BK_SIZE(in->code) >> 3;

	if (shape == BK_SHAPE_LDX && in->src_reg == BK_FP && BK_MODE(in->code) == BK_MEM)
		return ldx[s];
	if (shape == BK_SHAPE_STX && in->dst_reg == BK_FP)
		return stx[s];
	if (shape == BK_SHAPE_ST && in->dst_reg == BK_FP)
		return st[s];
	return 0;
}

/* r10 + off must stay in the frame and be aligned, as the kernel demands. */
static int check_fp(const struct bk_insn *in, unsigned shape, struct bk_diag *d)
{
	unsigned size = access_size(in->code);
	bool via_fp = (shape == BK_SHAPE_LDX && in->src_reg == BK_FP) ||
		      ((shape == BK_SHAPE_STX || shape == BK_SHAPE_ST || shape == BK_SHAPE_ATOMIC ||
			shape == BK_SHAPE_STORE_REL) && in->dst_reg == BK_FP) ||
		      (shape == BK_SHAPE_LOAD_ACQ && in->src_reg == BK_FP);

	if (!via_fp)
		return 0;
	if (in->off < -BK_VM_STACK_SIZE || in->off + (int)size > 0)
		return bk__diag(d, -EINVAL,
				"stack access of %u bytes at r10%+d is outside the %d-byte frame",
				size, in->off, BK_VM_STACK_SIZE);
	if (in->off % (int)size)
		return bk__diag(d, -EINVAL, "stack access of %u bytes at r10%+d is misaligned",
				size, in->off);
	return 0;
}

static int bind_helper(struct bk_vm_prog *p, int32_t id, struct vm_insn *out, struct bk_diag *d)
{
	const struct vm_helper *h = bk__vm_helper_find(p->vm, id);
	struct vm_helper *grown;

	if (!h)
		return bk__diag(d, -EINVAL, "call of helper %d: the VM has no such helper", id);
	if (id == BK_FN_tail_call && !strcmp(h->name, "tail_call")) {
		out->op = VM_TAIL_CALL;
		return 0;
	}
	for (size_t i = 0; i < p->nhelpers; i++)
		if (p->helpers[i].id == id) {
			out->imm = (int64_t)i;
			return 0;
		}
	grown = realloc(p->helpers, (p->nhelpers + 1) * sizeof(*grown));
	if (!grown)
		return bk__diag(d, -ENOMEM, "out of memory");
	p->helpers = grown;
	p->helpers[p->nhelpers] = *h;
	out->imm = (int64_t)p->nhelpers++;
	return 0;
}

/* ld_imm64 of a constant, a map or a map value; the rest has no VM meaning. */
static int load_imm64(struct bk_vm_prog *p, const struct bk_insn *in,
		      const struct bk_insn_info *info, struct vm_insn *out, struct bk_diag *d)
{
	struct bk_vm_map *m;
	uint32_t off = (uint32_t)in[1].imm;

	out->op = BK_OP_LD_IMM64;
	out->imm = (int64_t)((uint64_t)(uint32_t)in[0].imm | (uint64_t)off << 32);
	if (info->id == BK_OP_LD_IMM64)
		return 0;
	if (info->id != BK_OP_LD_MAP_FD && info->id != BK_OP_LD_MAP_VALUE)
		return bk__diag(d, -EINVAL, "%s is not supported by the VM (no kernel objects)",
				info->name);
	m = bk__vm_map_by_ref(p->vm, (uint64_t)(uint32_t)in[0].imm);
	if (!m)
		return bk__diag(d, -EINVAL, "%s: %d is not a map of this VM (see bk_vm_map_ref)",
				info->name, in[0].imm);
	if (info->id == BK_OP_LD_MAP_FD) {
		out->imm = (int64_t)(uintptr_t)m;
		return 0;
	}
	if (m->type != BK_VM_MAP_ARRAY || off >= m->value_size)
		return bk__diag(d, -EINVAL,
				"%s: map %s is not an array or offset %u is past its value size",
				info->name, m->name, off);
	out->imm = (int64_t)(uintptr_t)(m->values + off);
	return 0;
}

static int refuse(const struct bk_vm_prog *p, const struct bk_insn *in,
		  const struct bk_insn_info *info, struct bk_diag *d)
{
	unsigned shape = info->shape;

	if (writes_dst(shape) && in->dst_reg == BK_FP)
		return bk__diag(d, -EINVAL, "%s writes r10, the read-only frame pointer",
				info->name);
	if (shape == BK_SHAPE_ATOMIC && (in->imm & BK_FETCH) && in->src_reg == BK_FP)
		return bk__diag(d, -EINVAL, "%s writes r10, the read-only frame pointer",
				info->name);
	if (shape == BK_SHAPE_CALL_KFUNC)
		return bk__diag(d, -EINVAL, "kfunc calls are not supported by the VM");
	if (shape == BK_SHAPE_ASCAST)
		return bk__diag(d, -EINVAL, "addr_space_cast is not supported by the VM (no arenas)");
	if ((shape == BK_SHAPE_LD_ABS || shape == BK_SHAPE_LD_IND) && p->type == BK_VM_XDP)
		return bk__diag(d, -EINVAL, "%s is not allowed in XDP programs", info->name);
	return check_fp(in, shape, d);
}

static int translate(struct bk_vm_prog *p, const struct bk_insn *insns, size_t i,
		     struct bk_diag *d)
{
	const struct bk_insn *in = &insns[i];
	const struct bk_insn_info *info = bk_insn_lookup(in);
	struct vm_insn *out = &p->code[i];
	uint16_t fast;
	int err;

	if (d)
		d->index = (uint32_t)i;
	err = refuse(p, in, info, d);
	if (err)
		return err;
	out->op = info->id;
	out->dst = in->dst_reg;
	out->src = in->src_reg;
	out->off = in->off;
	out->imm = in->imm;
	switch (info->shape) {
	case BK_SHAPE_LD_IMM64:
		return load_imm64(p, in, info, out, d);
	case BK_SHAPE_GOTOL:
	case BK_SHAPE_CALL_LOCAL:
		out->off = in->imm;
		return 0;
	case BK_SHAPE_CALL_HELPER:
		return bind_helper(p, in->imm, out, d);
	default:
		break;
	}
	fast = fp_form(in, info->shape);
	if (fast)
		out->op = fast;
	return 0;
}

struct bk_vm_prog *bk_vm_load(struct bk_vm *vm, const struct bk_insn *insns, size_t n,
			      const struct bk_vm_load_opts *opts, struct bk_diag *diag)
{
	struct bk_vm_prog *p;
	int err;

	if (!vm || bk__opts_check(opts, sizeof(*opts)))
		return bk__err_ptr(bk__diag(diag, -EINVAL, "bad arguments to bk_vm_load"));
	err = bk_insn_validate(insns, n, diag);
	if (err)
		return bk__err_ptr(err);
	p = calloc(1, sizeof(*p));
	if (p)
		p->code = calloc(n, sizeof(*p->code));
	if (!p || !p->code) {
		free(p);
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	}
	p->vm = vm;
	p->n = n;
	p->type = BK_OPT(struct bk_vm_load_opts, opts, type, BK_VM_RAW);
	if (p->type > BK_VM_SOCKET_FILTER) {
		int type = p->type;

		bk_vm_prog_free(p);
		return bk__err_ptr(bk__diag(diag, -EINVAL, "unknown VM program type %d", type));
	}
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *info = bk_insn_lookup(&insns[i]);

		err = translate(p, insns, i, diag);
		if (err) {
			bk_vm_prog_free(p);
			return bk__err_ptr(err);
		}
		if (info->width == 2)
			p->code[++i].op = BK_OP_INVALID;
	}
	if (diag)
		memset(diag, 0, sizeof(*diag));
	return p;
}

void bk_vm_prog_free(struct bk_vm_prog *prog)
{
	if (!prog)
		return;
	free(prog->code);
	free(prog->helpers);
	free(prog);
}
