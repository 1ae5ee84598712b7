// SPDX-License-Identifier: MIT
/*
 * CO-RE values: what the instruction holds for the local BTF (orig) and
 * what it must hold for the target (new), per relocation kind, with
 * libbpf's rules for bitfields (the smallest aligned load covering the
 * bits, shifts to extract them), array elements, enumerator values (a
 * 32-bit enumerator sign-extends, as libbpf's s32 does) and load sizes.
 */
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

#define POISON 1 /* internal: "poison the instruction", not an error */

/* The last step is an array element (or the root): offset and size only. */
static int calc_elem(uint32_t kind, const struct bk__core_spec *spec, uint64_t *val,
		     uint32_t *field_sz, uint32_t *type_id, const char **why)
{
	const struct bk__core_acc *acc = &spec->spec[spec->len - 1];
	int64_t sz = bk__core_resolve_size(spec->btf, acc->type_id);

	if (kind != BK__CORE_FIELD_BYTE_OFFSET && kind != BK__CORE_FIELD_BYTE_SIZE) {
		*why = "this relocation kind cannot apply to an array element";
		return -EINVAL;
	}
	if (sz < 0) {
		*why = "array element has no size";
		return -EINVAL;
	}
	if (kind == BK__CORE_FIELD_BYTE_SIZE) {
		*val = (uint64_t)sz;
		return 0;
	}
	*val = spec->bit_offset / 8;
	*field_sz = (uint32_t)sz;
	*type_id = acc->type_id;
	return 0;
}

/* Byte offset and size of the load that covers a bitfield: the member's own
 * type size, doubled until the bits fit in one aligned load. */
static int bitfield_load(uint32_t bit_off, uint32_t bit_sz, uint32_t *byte_off, uint32_t *byte_sz,
			 const char **why)
{
	if (*byte_sz == 0) {
		*why = "bitfield of a sizeless type";
		return -EINVAL;
	}
	*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	while (bit_off + bit_sz - *byte_off * 8 > *byte_sz * 8) {
		if (*byte_sz >= 8) {
			*why = "bitfield cannot be read with one 64-bit load";
			return -E2BIG;
		}
		*byte_sz *= 2;
		*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	}
	return 0;
}

static bool is_signed(const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_int i;

	if (bk__core_is_enum(t->kind))
		return t->kind_flag;
	return t->kind == BK_BTF_KIND_INT && bk_btf_int_info(btf, t->id, &i) == 0 &&
	       (i.encoding & BK_BTF_INT_SIGNED);
}

/* One side of a field relocation; spec NULL is "no target". validate is
 * only given for the local side. */
static int calc_field(uint32_t kind, const struct bk__core_spec *spec, uint64_t *val,
		      uint32_t *field_sz, uint32_t *type_id, bool *validate, const char **why)
{
	uint32_t byte_off, byte_sz, bit_off, bit_sz;
	const struct bk__core_acc *acc;
	struct bk_btf_member m;
	struct bk_btf_type mt;
	bool bitfield;
	int mid;

	*field_sz = 0;
	if (kind == BK__CORE_FIELD_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (!spec)
		return POISON;
	acc = &spec->spec[spec->len - 1];
	if (!acc->name) {
		if (validate)
			*validate = true;
		return calc_elem(kind, spec, val, field_sz, type_id, why);
	}
	if (bk_btf_member(spec->btf, acc->type_id, acc->idx, &m) < 0 ||
	    (mid = bk__core_skip(spec->btf, m.type, &mt)) < 0) {
		*why = "member type is broken";
		return -EINVAL;
	}
	bit_off = spec->bit_offset;
	bit_sz = m.bitfield_size;
	bitfield = bit_sz > 0;
	if (bitfield) {
		int err;

		byte_sz = mt.size_or_type;
		if ((err = bitfield_load(bit_off, bit_sz, &byte_off, &byte_sz, why)) < 0)
			return err;
	} else {
		int64_t sz = bk__core_resolve_size(spec->btf, (uint32_t)mid);

		if (sz < 0) {
			*why = "field has no size";
			return -EINVAL;
		}
		byte_sz = (uint32_t)sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}
	/* A bitfield's offset and size may be computed differently by the
	 * compiler; only its signedness and right shift are certain. */
	if (validate)
		*validate = !bitfield || kind == BK__CORE_FIELD_SIGNED ||
			    kind == BK__CORE_FIELD_RSHIFT_U64;
	switch (kind) {
	case BK__CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*field_sz = byte_sz;
			*type_id = (uint32_t)mid;
		}
		return 0;
	case BK__CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		return 0;
	case BK__CORE_FIELD_SIGNED:
		*val = is_signed(spec->btf, &mt);
		return 0;
	case BK__CORE_FIELD_LSHIFT_U64:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
#else
		*val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#endif
		return 0;
	case BK__CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		return 0;
	default:
		*why = "unknown relocation kind";
		return -EOPNOTSUPP;
	}
}

static int calc_type(uint32_t kind, const struct bk__core_spec *spec, uint64_t *val,
		     bool *validate, const char **why)
{
	int64_t sz;

	if (validate)
		*validate = kind != BK__CORE_TYPE_ID_TARGET || !spec;
	if (!spec) {
		*val = 0; /* a missing type reads as 0 for every type kind */
		return 0;
	}
	switch (kind) {
	case BK__CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id; /* ids change when objects are linked: not checked */
		return 0;
	case BK__CORE_TYPE_EXISTS:
	case BK__CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BK__CORE_TYPE_SIZE:
		sz = bk__core_resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0) {
			*why = "type has no size";
			return -EINVAL;
		}
		*val = (uint64_t)sz;
		return 0;
	default:
		*why = "unknown relocation kind";
		return -EOPNOTSUPP;
	}
}

static int calc_enumval(uint32_t kind, const struct bk__core_spec *spec, uint64_t *val,
			const char **why)
{
	struct bk_btf_enumerator e;
	struct bk_btf_type t;

	if (kind == BK__CORE_ENUMVAL_EXISTS) {
		*val = spec != NULL;
		return 0;
	}
	if (kind != BK__CORE_ENUMVAL_VALUE) {
		*why = "unknown relocation kind";
		return -EOPNOTSUPP;
	}
	if (!spec)
		return POISON;
	if (bk__core_type(spec->btf, spec->spec[0].type_id, &t) < 0 ||
	    bk_btf_enumerator(spec->btf, spec->spec[0].type_id, spec->spec[0].idx, &e) < 0) {
		*why = "enumerator is broken";
		return -EINVAL;
	}
	if (t.kind == BK_BTF_KIND_ENUM)
		*val = (uint64_t)(int64_t)(int32_t)(uint32_t)e.value;
	else
		*val = (uint64_t)e.value;
	return 0;
}

/* Whether a load/store of a field whose size differs in the target can just
 * change width: pointers, and unsigned ints (zero extension keeps the value). */
static bool memsz_adjustable(const struct bk__core_spec *l, uint32_t lid,
			     const struct bk__core_spec *t, uint32_t tid)
{
	struct bk_btf_type lt, tt;
	struct bk_btf_int li, ti;

	if (bk__core_type(l->btf, lid, &lt) < 0 || bk__core_type(t->btf, tid, &tt) < 0)
		return false;
	if (lt.kind == BK_BTF_KIND_PTR && tt.kind == BK_BTF_KIND_PTR)
		return true;
	if (lt.kind != BK_BTF_KIND_INT || tt.kind != BK_BTF_KIND_INT)
		return false;
	if (bk_btf_int_info(l->btf, lid, &li) < 0 || bk_btf_int_info(t->btf, tid, &ti) < 0)
		return false;
	return li.encoding != BK_BTF_INT_SIGNED && ti.encoding != BK_BTF_INT_SIGNED;
}

int bk__core_calc(uint32_t kind, const struct bk__core_spec *local,
		  const struct bk__core_spec *targ, struct bk__core_res *res, const char **why)
{
	enum bk__core_class cls = bk__core_kind_class(kind);
	int err;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	switch (cls) {
	case BK__CORE_CLASS_FIELD:
		err = calc_field(kind, local, &res->orig_val, &res->orig_sz, &res->orig_type_id,
				 &res->validate, why);
		if (!err)
			err = calc_field(kind, targ, &res->new_val, &res->new_sz,
					 &res->new_type_id, NULL, why);
		if (!err && res->orig_sz != res->new_sz)
			res->fail_memsz = !memsz_adjustable(local, res->orig_type_id, targ,
							    res->new_type_id);
		break;
	case BK__CORE_CLASS_TYPE:
		err = calc_type(kind, local, &res->orig_val, &res->validate, why);
		if (!err)
			err = calc_type(kind, targ, &res->new_val, NULL, why);
		break;
	case BK__CORE_CLASS_ENUMVAL:
		err = calc_enumval(kind, local, &res->orig_val, why);
		if (!err)
			err = calc_enumval(kind, targ, &res->new_val, why);
		break;
	default:
		*why = "unknown relocation kind";
		return -EOPNOTSUPP;
	}
	if (err == POISON) {
		res->poison = true;
		*why = cls == BK__CORE_CLASS_FIELD ? "no matching field in the target"
						   : "no matching enumerator in the target";
		return 0;
	}
	return err;
}
