// SPDX-License-Identifier: MIT
/*
 * CO-RE type relations, libbpf's three of them:
 *  - fields compatible (a matched member's type may be read as the local
 *    one: any struct/union, pointers, floats, ints that are not old-style
 *    bitfield ints, enums and forwards of the same essential name or
 *    anonymous, arrays of compatible elements);
 *  - types compatible (TYPE_EXISTS, TYPE_SIZE, TYPE_ID_TARGET: same kind
 *    recursively through pointers, arrays and function prototypes);
 *  - types match (TYPE_MATCHES: the stricter, structural relation: names,
 *    int size and sign, array lengths, every local member and enumerator
 *    present in the target).
 * Each returns 1 (yes), 0 (no) or -EINVAL (broken BTF, recursion too deep).
 */
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

static bool int_plain(const struct bk_btf *btf, uint32_t id)
{
	struct bk_btf_int i;

	return bk_btf_int_info(btf, id, &i) == 0 && i.bit_offset == 0;
}

int bk__core_fields_compat(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			   uint32_t tid)
{
	for (int depth = 0; depth < 32; depth++) {
		struct bk_btf_type lt, tt;
		struct bk_btf_array la, ta;
		int l = bk__core_skip(lb, lid, &lt), t = bk__core_skip(tb, tid, &tt);

		if (l < 0 || t < 0)
			return -EINVAL;
		if (bk__core_is_composite(lt.kind) && bk__core_is_composite(tt.kind))
			return 1;
		if (!bk__core_kind_compat(lt.kind, tt.kind))
			return 0;
		switch (lt.kind) {
		case BK_BTF_KIND_PTR:
		case BK_BTF_KIND_FLOAT:
			return 1;
		case BK_BTF_KIND_FWD:
		case BK_BTF_KIND_ENUM:
		case BK_BTF_KIND_ENUM64:
			return !lt.name[0] || !tt.name[0] || bk__core_essent_eq(lt.name, tt.name);
		case BK_BTF_KIND_INT:
			return int_plain(lb, (uint32_t)l) && int_plain(tb, (uint32_t)t);
		case BK_BTF_KIND_ARRAY:
			if (bk_btf_array_info(lb, (uint32_t)l, &la) < 0 ||
			    bk_btf_array_info(tb, (uint32_t)t, &ta) < 0)
				return -EINVAL;
			lid = la.type;
			tid = ta.type;
			break;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* The return type (in *lid, *tid) and, checked here, the parameters of two
 * prototypes for the compat relation. */
static int protos_compat(const struct bk_btf *lb, const struct bk_btf_type *lt, uint32_t *lid,
			 const struct bk_btf *tb, const struct bk_btf_type *tt, uint32_t *tid,
			 int level)
{
	if (lt->vlen != tt->vlen)
		return 0;
	for (uint32_t i = 0; i < lt->vlen; i++) {
		struct bk_btf_param lp, tp;
		struct bk_btf_type x;
		int l, t, r;

		if (level <= 0)
			return -EINVAL;
		if (bk_btf_param(lb, *lid, i, &lp) < 0 || bk_btf_param(tb, *tid, i, &tp) < 0)
			return -EINVAL;
		l = bk__core_skip(lb, lp.type, &x);
		t = bk__core_skip(tb, tp.type, &x);
		if (l < 0 || t < 0)
			return -EINVAL;
		r = bk__core_types_compat(lb, (uint32_t)l, tb, (uint32_t)t, level - 1);
		if (r <= 0)
			return r;
	}
	*lid = lt->size_or_type;
	*tid = tt->size_or_type;
	return 1;
}

int bk__core_types_compat(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			  uint32_t tid, int level)
{
	struct bk_btf_type lt, tt;

	/* The candidates' names already match; their own kinds must too. */
	if (bk__core_type(lb, lid, &lt) < 0 || bk__core_type(tb, tid, &tt) < 0)
		return -EINVAL;
	if (!bk__core_kind_compat(lt.kind, tt.kind))
		return 0;
	for (int depth = 0; depth < 32; depth++) {
		struct bk_btf_array la, ta;
		int l = bk__core_skip(lb, lid, &lt), t = bk__core_skip(tb, tid, &tt), r;

		if (l < 0 || t < 0)
			return -EINVAL;
		lid = (uint32_t)l;
		tid = (uint32_t)t;
		if (!bk__core_kind_compat(lt.kind, tt.kind))
			return 0;
		switch (lt.kind) {
		case BK_BTF_KIND_UNKN:
		case BK_BTF_KIND_STRUCT:
		case BK_BTF_KIND_UNION:
		case BK_BTF_KIND_ENUM:
		case BK_BTF_KIND_ENUM64:
		case BK_BTF_KIND_FWD:
			return 1;
		case BK_BTF_KIND_INT:
			return int_plain(lb, lid) && int_plain(tb, tid);
		case BK_BTF_KIND_PTR:
			lid = lt.size_or_type;
			tid = tt.size_or_type;
			break;
		case BK_BTF_KIND_ARRAY:
			if (bk_btf_array_info(lb, lid, &la) < 0 || bk_btf_array_info(tb, tid, &ta) < 0)
				return -EINVAL;
			lid = la.type;
			tid = ta.type;
			break;
		case BK_BTF_KIND_FUNC_PROTO:
			r = protos_compat(lb, &lt, &lid, tb, &tt, &tid, level);
			if (r <= 0)
				return r;
			break;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* Names equal after flavors are stripped; an anonymous target matches only
 * an anonymous local. */
static bool names_match(const char *l, const char *t)
{
	if (!t[0])
		return !l[0];
	return bk__core_essent_eq(l, t);
}

static int enums_match(const struct bk_btf *lb, const struct bk_btf_type *lt,
		       const struct bk_btf *tb, const struct bk_btf_type *tt)
{
	if (lt->size_or_type != tt->size_or_type || lt->vlen > tt->vlen)
		return 0;
	for (uint32_t i = 0; i < lt->vlen; i++) {
		const char *ln = bk__core_enum_name(lb, lt->id, i);
		bool found = false;

		if (!ln)
			return -EINVAL;
		for (uint32_t j = 0; j < tt->vlen && !found; j++) {
			const char *tn = bk__core_enum_name(tb, tt->id, j);

			found = tn && names_match(ln, tn);
		}
		if (!found)
			return 0;
	}
	return 1;
}

static int composites_match(const struct bk_btf *lb, const struct bk_btf_type *lt,
			    const struct bk_btf *tb, const struct bk_btf_type *tt, bool behind_ptr,
			    int level)
{
	if (lt->vlen > tt->vlen)
		return 0;
	for (uint32_t i = 0; i < lt->vlen; i++) {
		struct bk_btf_member lm, tm;
		bool found = false;

		if (bk_btf_member(lb, lt->id, i, &lm) < 0)
			return -EINVAL;
		for (uint32_t j = 0; j < tt->vlen && !found; j++) {
			int r;

			if (bk_btf_member(tb, tt->id, j, &tm) < 0)
				return -EINVAL;
			if (!names_match(lm.name, tm.name))
				continue;
			r = bk__core_types_match(lb, lm.type, tb, tm.type, behind_ptr, level - 1);
			if (r < 0)
				return r;
			found = r > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* A struct/union or forward (local lk, kind flag lf) against the target. */
static int aggregate_match(const struct bk_btf *lb, const struct bk_btf_type *lt,
			   const struct bk_btf *tb, const struct bk_btf_type *tt, bool behind_ptr,
			   int level)
{
	enum bk_btf_kind lk = lt->kind, tk = tt->kind;

	if (lk == BK_BTF_KIND_FWD) {
		if (tk == BK_BTF_KIND_FWD)
			return lt->kind_flag == tt->kind_flag;
		/* a forward's kind flag says union (1) or struct (0) */
		return behind_ptr && ((tk == BK_BTF_KIND_STRUCT && !lt->kind_flag) ||
				      (tk == BK_BTF_KIND_UNION && lt->kind_flag));
	}
	if (behind_ptr) {
		if (lk == tk)
			return 1;
		return tk == BK_BTF_KIND_FWD && (lk == BK_BTF_KIND_UNION) == tt->kind_flag;
	}
	if (lk != tk)
		return 0;
	return composites_match(lb, lt, tb, tt, behind_ptr, level);
}

static int int_match(const struct bk_btf *lb, const struct bk_btf_type *lt,
		     const struct bk_btf *tb, const struct bk_btf_type *tt)
{
	struct bk_btf_int li, ti;

	if (tt->kind != BK_BTF_KIND_INT)
		return 0;
	if (bk_btf_int_info(lb, lt->id, &li) < 0 || bk_btf_int_info(tb, tt->id, &ti) < 0)
		return -EINVAL;
	return lt->size_or_type == tt->size_or_type &&
	       (li.encoding & BK_BTF_INT_SIGNED) == (ti.encoding & BK_BTF_INT_SIGNED);
}

/* Parameters of two prototypes for the match relation; the return types are
 * left to the caller. */
static int protos_match(const struct bk_btf *lb, const struct bk_btf_type *lt,
			const struct bk_btf *tb, const struct bk_btf_type *tt, bool behind_ptr,
			int level)
{
	if (tt->kind != BK_BTF_KIND_FUNC_PROTO || lt->vlen != tt->vlen)
		return 0;
	for (uint32_t i = 0; i < lt->vlen; i++) {
		struct bk_btf_param lp, tp;
		int r;

		if (bk_btf_param(lb, lt->id, i, &lp) < 0 || bk_btf_param(tb, tt->id, i, &tp) < 0)
			return -EINVAL;
		r = bk__core_types_match(lb, lp.type, tb, tp.type, behind_ptr, level - 1);
		if (r <= 0)
			return r;
	}
	return 1;
}

int bk__core_types_match(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			 uint32_t tid, bool behind_ptr, int level)
{
	if (level <= 0)
		return -EINVAL;
	for (int depth = 0; depth < 32; depth++) {
		struct bk_btf_type lt, tt;
		struct bk_btf_array la, ta;
		int l = bk__core_skip(lb, lid, &lt), t = bk__core_skip(tb, tid, &tt), r;

		if (l < 0 || t < 0)
			return -EINVAL;
		if (!names_match(lt.name, tt.name))
			return 0;
		switch (lt.kind) {
		case BK_BTF_KIND_UNKN:
			return tt.kind == BK_BTF_KIND_UNKN;
		case BK_BTF_KIND_FWD:
		case BK_BTF_KIND_STRUCT:
		case BK_BTF_KIND_UNION:
			return aggregate_match(lb, &lt, tb, &tt, behind_ptr, level);
		case BK_BTF_KIND_ENUM:
		case BK_BTF_KIND_ENUM64:
			return bk__core_is_enum(tt.kind) ? enums_match(lb, &lt, tb, &tt) : 0;
		case BK_BTF_KIND_INT:
			return int_match(lb, &lt, tb, &tt);
		case BK_BTF_KIND_PTR:
			if (tt.kind != BK_BTF_KIND_PTR)
				return 0;
			behind_ptr = true;
			lid = lt.size_or_type;
			tid = tt.size_or_type;
			break;
		case BK_BTF_KIND_ARRAY:
			if (tt.kind != BK_BTF_KIND_ARRAY)
				return 0;
			if (bk_btf_array_info(lb, lt.id, &la) < 0 || bk_btf_array_info(tb, tt.id, &ta) < 0)
				return -EINVAL;
			if (la.nelems != ta.nelems)
				return 0;
			lid = la.type;
			tid = ta.type;
			break;
		case BK_BTF_KIND_FUNC_PROTO:
			r = protos_match(lb, &lt, tb, &tt, behind_ptr, level);
			if (r <= 0)
				return r;
			lid = lt.size_or_type;
			tid = tt.size_or_type;
			break;
		default:
			return 0;
		}
	}
	return -EINVAL;
}
