// SPDX-License-Identifier: MIT
/*
 * CO-RE driver: for each record of a section, resolve the relocation
 * against the candidates (every matching candidate must agree, else the
 * relocation is ambiguous), then patch the instruction as libbpf does:
 * ALU/ALU64 immediates, LDX/ST/STX offsets (and the access width when a
 * field's size changed and that is safe), ld_imm64 immediates, each after
 * checking that the instruction holds the local value. What cannot be
 * resolved is poisoned: the instruction becomes a call to helper 0xbad2310,
 * so the verifier says "invalid func unknown#195896080" if it is reachable.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

#define CLS(code) ((code) & 0x07)
#define CLS_LD 0x00
#define CLS_LDX 0x01
#define CLS_ST 0x02
#define CLS_STX 0x03
#define CLS_ALU 0x04
#define CLS_JMP 0x05
#define CLS_ALU64 0x07
#define SRC_X 0x08
#define CALL 0x80
#define LD_IMM64 0x18 /* BPF_LD | BPF_IMM | BPF_DW */

/* One relocation being applied: what error and poison messages name. */
struct relo {
	const struct bk_btf *local;
	const char *sec; /* ELF section name */
	struct bk__core_relo_rec rec;
	size_t no;   /* record number in the section (libbpf's "relo #N") */
	size_t insn; /* instruction index */
	struct bk__core_spec specs[3]; /* local, candidate, chosen target */
	struct bk_diag *diag;
};

/* "<kind> <type kind> <name>.<access>" of the local side, for messages. */
static void relo_name(const struct relo *r, char *buf, size_t size)
{
	struct bk_btf_type t;
	char kind[16] = "", path[128] = "";
	const char *kn;
	size_t i;

	if (bk__core_type(r->local, r->rec.type_id, &t) < 0) {
		snprintf(buf, size, "%s [%u]", bk__core_kind_name(r->rec.kind), r->rec.type_id);
		return;
	}
	kn = bk_btf_kind_name(t.kind);
	for (i = 0; kn[i] && i + 1 < sizeof(kind); i++)
		kind[i] = (char)tolower((unsigned char)kn[i]);
	kind[i] = '\0';
	if (r->specs[0].len)
		bk__core_spec_str(&r->specs[0], path, sizeof(path));
	snprintf(buf, size, "%s %s %s%s%s", bk__core_kind_name(r->rec.kind), kind,
		 t.name[0] ? t.name : "<anon>", path[0] ? "." : "", path);
}

__attribute__((format(printf, 3, 4))) static int fail(const struct relo *r, int err,
						      const char *fmt, ...)
{
	char what[160], name[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	relo_name(r, name, sizeof(name));
	if (r->diag)
		r->diag->index = (uint32_t)r->insn;
	return bk__diag(r->diag, err, "%s: CO-RE relo #%zu (insn %zu): %s: %s", r->sec, r->no,
			r->insn, name, what);
}

/* Try every candidate; keep those that match, all agreeing. */
static int resolve_cands(struct relo *r, struct bk__core_cand_list *cl, struct bk__core_res *res,
			 const char **why)
{
	struct bk__core_spec *local = &r->specs[0], *cand = &r->specs[1], *targ = &r->specs[2];
	size_t kept = 0;

	for (size_t i = 0; i < cl->n; i++) {
		struct bk__core_res cres;
		int m = bk__core_spec_match(local, cl->c[i].btf, cl->c[i].id, cand), err;

		if (m < 0)
			return fail(r, m, "broken target BTF at candidate [%u]", cl->c[i].id);
		if (m == 0)
			continue;
		err = bk__core_calc(r->rec.kind, local, cand, &cres, why);
		if (err)
			return fail(r, err, "%s", *why);
		if (kept == 0) {
			*res = cres;
			*targ = *cand;
		} else if (cand->bit_offset != targ->bit_offset) {
			return fail(r, -EINVAL, "ambiguous: candidates [%u] and [%u] put it at bit %u and %u",
				    cl->c[0].id, cl->c[i].id, targ->bit_offset, cand->bit_offset);
		} else if (cres.poison != res->poison || cres.new_val != res->new_val) {
			return fail(r, -EINVAL, "ambiguous: candidates [%u] and [%u] give %llu and %llu",
				    cl->c[0].id, cl->c[i].id, (unsigned long long)res->new_val,
				    (unsigned long long)cres.new_val);
		}
		cl->c[kept++] = cl->c[i];
	}
	if (kept > 0) {
		cl->n = kept; /* later relocations of this type see only these */
		return 0;
	}
	{
		int err = bk__core_calc(r->rec.kind, local, NULL, res, why);

		return err ? fail(r, err, "%s", *why) : 0;
	}
}

static int resolve(struct relo *r, struct bk__core_cands *cands, struct bk__core_res *res,
		   const char **why)
{
	struct bk__core_cand_list *cl = NULL;
	const char *access = bk_btf_str(r->local, r->rec.access_str_off);
	struct bk_btf_type t;
	int err;

	if (bk__core_type(r->local, r->rec.type_id, &t) < 0 || r->rec.type_id == 0)
		return fail(r, -EINVAL, "type id %u is not in the object's BTF", r->rec.type_id);
	if (!access)
		return fail(r, -EINVAL, "access string offset %u is outside the BTF strings",
			    r->rec.access_str_off);
	if (r->rec.kind != BK__CORE_TYPE_ID_LOCAL) {
		if (!t.name[0])
			return fail(r, -EINVAL, "anonymous types have no CO-RE candidates");
		err = bk__core_cands_get(cands, r->local, r->rec.type_id, &cl);
		if (err)
			return fail(r, err, "candidate search failed");
	}
	err = bk__core_parse_spec(r->local, r->rec.type_id, r->rec.kind, access, &r->specs[0]);
	if (err)
		return fail(r, -EINVAL, "access string \"%s\" does not fit the type (kind %u)",
			    access, r->rec.kind);
	if (r->rec.kind == BK__CORE_TYPE_ID_LOCAL) {
		memset(res, 0, sizeof(*res));
		res->orig_val = res->new_val = r->rec.type_id;
		return 0;
	}
	if (!cl) /* cannot happen: every other kind searched above */
		return fail(r, -EINVAL, "no candidate list");
	return resolve_cands(r, cl, res, why);
}

static void poison_slot(struct bk_insn *insn)
{
	memset(insn, 0, sizeof(*insn));
	insn->code = CLS_JMP | CALL;
	insn->imm = BK__CORE_POISON_IMM;
}

static int insn_bytes(uint8_t code)
{
	static const int8_t bytes[4] = { 4, 2, 1, 8 }; /* W, H, B, DW */

	return bytes[(code >> 3) & 3];
}

static int patch_mem(const struct relo *r, struct bk_insn *insn, const struct bk__core_res *res,
		     bool *poison)
{
	/* BPF_SIZE bits of a 1, 2, 4 or 8-byte access; -1 for other sizes */
	static const int8_t size_bits[9] = { -1, 0x10, 0x08, -1, 0x00, -1, -1, -1, 0x18 };

	if (res->validate && (uint64_t)(int64_t)insn->off != res->orig_val)
		return fail(r, -EINVAL, "instruction offset is %d, expected %llu", insn->off,
			    (unsigned long long)res->orig_val);
	if (res->new_val > SHRT_MAX)
		return fail(r, -ERANGE, "new offset %llu does not fit an instruction",
			    (unsigned long long)res->new_val);
	if (res->fail_memsz) {
		*poison = true;
		return 0;
	}
	insn->off = (int16_t)res->new_val;
	if (res->new_sz == res->orig_sz)
		return 0;
	if (insn_bytes(insn->code) != (int)res->orig_sz)
		return fail(r, -EINVAL, "instruction accesses %d bytes, the field has %u",
			    insn_bytes(insn->code), res->orig_sz);
	if (res->new_sz > 8 || size_bits[res->new_sz] < 0)
		return fail(r, -EINVAL, "the target field's %u bytes cannot be one access",
			    res->new_sz);
	insn->code = (uint8_t)((insn->code & 0xe7) | (uint8_t)size_bits[res->new_sz]);
	return 0;
}

static int patch_ld(const struct relo *r, struct bk_insn *insn, size_t avail,
		    const struct bk__core_res *res)
{
	uint64_t imm;

	if (insn[0].code != LD_IMM64 || avail < 2 || insn[0].src_reg || insn[0].off ||
	    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
		return fail(r, -EINVAL, "not a plain ld_imm64");
	imm = (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
	if (res->validate && imm != res->orig_val)
		return fail(r, -EINVAL, "ld_imm64 holds %llu, expected %llu", (unsigned long long)imm,
			    (unsigned long long)res->orig_val);
	insn[0].imm = (int32_t)(uint32_t)res->new_val;
	insn[1].imm = (int32_t)(uint32_t)(res->new_val >> 32);
	return 0;
}

/* Patch insns[r->insn] (avail slots from it); *poison when it must be poisoned. */
static int patch(const struct relo *r, struct bk_insn *insn, size_t avail,
		 const struct bk__core_res *res, bool *poison)
{
	*poison = res->poison;
	if (*poison)
		return 0;
	switch (CLS(insn->code)) {
	case CLS_ALU:
	case CLS_ALU64:
		if (insn->code & SRC_X)
			return fail(r, -EINVAL, "ALU instruction has no immediate");
		if (res->validate && (uint64_t)(int64_t)insn->imm != res->orig_val)
			return fail(r, -EINVAL, "instruction immediate is %d, expected %llu",
				    insn->imm, (unsigned long long)res->orig_val);
		insn->imm = (int32_t)(uint32_t)res->new_val;
		return 0;
	case CLS_LDX:
	case CLS_ST:
	case CLS_STX:
		return patch_mem(r, insn, res, poison);
	case CLS_LD:
		return patch_ld(r, insn, avail, res);
	default:
		return fail(r, -EINVAL, "instruction code 0x%02x cannot be relocated", insn->code);
	}
}

static int relocate_one(struct relo *r, struct bk_insn *insns, size_t ninsns,
			struct bk__core_cands *cands, bk__core_poison_fn poison, void *ctx)
{
	const char *why = "";
	struct bk__core_res res = { 0 };
	bool poisoned;
	int err;

	if (r->rec.insn_off % sizeof(struct bk_insn))
		return fail(r, -EINVAL, "instruction offset %u is not a multiple of 8",
			    r->rec.insn_off);
	if (r->insn >= ninsns)
		return fail(r, -EINVAL, "instruction offset %u is past the section's %zu instructions",
			    r->rec.insn_off, ninsns);
	if ((err = resolve(r, cands, &res, &why)) < 0)
		return err;
	if ((err = patch(r, &insns[r->insn], ninsns - r->insn, &res, &poisoned)) < 0)
		return err;
	if (!poisoned)
		return 0;
	if (res.fail_memsz)
		why = "the field's size changed and it is not a pointer or an unsigned integer";
	if (insns[r->insn].code == LD_IMM64) {
		if (r->insn + 1 >= ninsns)
			return fail(r, -EINVAL, "ld_imm64 is missing its second slot");
		poison_slot(&insns[r->insn + 1]);
	}
	poison_slot(&insns[r->insn]);
	if (poison) {
		char name[200], msg[300];

		relo_name(r, name, sizeof(name));
		snprintf(msg, sizeof(msg), "relo #%zu: %s: %s", r->no, name, why);
		poison(ctx, r->insn, msg);
	}
	return 0;
}

int bk__core_relocate_sec(const struct bk_btf *local, const struct bk__ext_info *relos,
			  struct bk_insn *insns, size_t ninsns, struct bk__core_cands *cands,
			  bk__core_poison_fn poison, void *ctx, struct bk_diag *diag)
{
	struct relo *r;
	int err = 0;

	if (!local || !relos || (!insns && ninsns) || !cands)
		return bk__diag(diag, -EINVAL, "NULL argument to CO-RE relocation");
	if (relos->rec_size < sizeof(struct bk__core_relo_rec) || (relos->nrec && !relos->recs))
		return bk__diag(diag, -EINVAL, "CO-RE records of section %s are malformed",
				relos->sec ? relos->sec : "?");
	r = calloc(1, sizeof(*r)); /* specs are a few KiB: off the stack */
	if (!r)
		return bk__diag(diag, -ENOMEM, "out of memory for CO-RE relocation");
	r->local = local;
	r->sec = relos->sec ? relos->sec : "?";
	r->diag = diag;
	for (uint32_t i = 0; i < relos->nrec && !err; i++) {
		memcpy(&r->rec, relos->recs + (size_t)i * relos->rec_size, sizeof(r->rec));
		memset(r->specs, 0, sizeof(r->specs));
		r->no = i;
		r->insn = r->rec.insn_off / sizeof(struct bk_insn);
		err = relocate_one(r, insns, ninsns, cands, poison, ctx);
	}
	free(r);
	return err;
}
