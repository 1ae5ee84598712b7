// SPDX-License-Identifier: MIT
/* CO-RE: the small BTF questions every other core module asks (essential
 * names, modifiers skipped, sizes, kind classes), answered as libbpf does. */
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

/* "X___Y" with X and Y not underscores marks a flavor: the essential name
 * ends before the last such "___". */
size_t bk__core_essent_len(const char *name)
{
	size_t n = strlen(name);

	if (n < 5)
		return n;
	for (size_t i = n - 4; i-- > 0;) {
		const char *s = name + i;

		if (s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] != '_')
			return i + 1;
	}
	return n;
}

bool bk__core_essent_eq(const char *a, const char *b)
{
	size_t la = bk__core_essent_len(a);

	return la == bk__core_essent_len(b) && strncmp(a, b, la) == 0;
}

int bk__core_type(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *t)
{
	return bk_btf_type_by_id(btf, id, t) < 0 ? -EINVAL : 0;
}

int bk__core_skip(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *t)
{
	int r = bk_btf_resolve(btf, id);

	if (r < 0 || bk_btf_type_by_id(btf, (uint32_t)r, t) < 0)
		return -EINVAL;
	return r;
}

int64_t bk__core_resolve_size(const struct bk_btf *btf, uint32_t id)
{
	uint64_t nelems = 1, size;
	struct bk_btf_type t;
	struct bk_btf_array a;

	for (int depth = 0; depth < 32; depth++) {
		if (id == 0 || bk_btf_type_by_id(btf, id, &t) < 0)
			return -EINVAL;
		switch (t.kind) {
		case BK_BTF_KIND_INT:
		case BK_BTF_KIND_STRUCT:
		case BK_BTF_KIND_UNION:
		case BK_BTF_KIND_ENUM:
		case BK_BTF_KIND_ENUM64:
		case BK_BTF_KIND_DATASEC:
		case BK_BTF_KIND_FLOAT:
			size = t.size_or_type;
			goto done;
		case BK_BTF_KIND_PTR:
			size = 8; /* BPF and every 64-bit kernel this loads on */
			goto done;
		case BK_BTF_KIND_TYPEDEF:
		case BK_BTF_KIND_VOLATILE:
		case BK_BTF_KIND_CONST:
		case BK_BTF_KIND_RESTRICT:
		case BK_BTF_KIND_VAR:
		case BK_BTF_KIND_DECL_TAG:
		case BK_BTF_KIND_TYPE_TAG:
			id = t.size_or_type;
			break;
		case BK_BTF_KIND_ARRAY:
			if (bk_btf_array_info(btf, id, &a) < 0)
				return -EINVAL;
			if (nelems && a.nelems > UINT32_MAX / nelems)
				return -E2BIG;
			nelems *= a.nelems;
			id = a.type;
			break;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
done:
	if (nelems && size > UINT32_MAX / nelems)
		return -E2BIG;
	return (int64_t)(nelems * size);
}

bool bk__core_is_enum(enum bk_btf_kind k)
{
	return k == BK_BTF_KIND_ENUM || k == BK_BTF_KIND_ENUM64;
}

bool bk__core_is_composite(enum bk_btf_kind k)
{
	return k == BK_BTF_KIND_STRUCT || k == BK_BTF_KIND_UNION;
}

bool bk__core_kind_compat(enum bk_btf_kind a, enum bk_btf_kind b)
{
	return a == b || (bk__core_is_enum(a) && bk__core_is_enum(b));
}

const char *bk__core_enum_name(const struct bk_btf *btf, uint32_t id, uint32_t idx)
{
	struct bk_btf_enumerator e;

	return bk_btf_enumerator(btf, id, idx, &e) < 0 ? NULL : e.name;
}

static const char *const kind_names[BK__CORE_KIND_COUNT] = {
	[BK__CORE_FIELD_BYTE_OFFSET] = "byte_off",
	[BK__CORE_FIELD_BYTE_SIZE] = "byte_sz",
	[BK__CORE_FIELD_EXISTS] = "field_exists",
	[BK__CORE_FIELD_SIGNED] = "signed",
	[BK__CORE_FIELD_LSHIFT_U64] = "lshift_u64",
	[BK__CORE_FIELD_RSHIFT_U64] = "rshift_u64",
	[BK__CORE_TYPE_ID_LOCAL] = "local_type_id",
	[BK__CORE_TYPE_ID_TARGET] = "target_type_id",
	[BK__CORE_TYPE_EXISTS] = "type_exists",
	[BK__CORE_TYPE_SIZE] = "type_size",
	[BK__CORE_ENUMVAL_EXISTS] = "enumval_exists",
	[BK__CORE_ENUMVAL_VALUE] = "enumval_value",
	[BK__CORE_TYPE_MATCHES] = "type_matches",
};

static const enum bk__core_class kind_classes[BK__CORE_KIND_COUNT] = {
	[BK__CORE_FIELD_BYTE_OFFSET] = BK__CORE_CLASS_FIELD,
	[BK__CORE_FIELD_BYTE_SIZE] = BK__CORE_CLASS_FIELD,
	[BK__CORE_FIELD_EXISTS] = BK__CORE_CLASS_FIELD,
	[BK__CORE_FIELD_SIGNED] = BK__CORE_CLASS_FIELD,
	[BK__CORE_FIELD_LSHIFT_U64] = BK__CORE_CLASS_FIELD,
	[BK__CORE_FIELD_RSHIFT_U64] = BK__CORE_CLASS_FIELD,
	[BK__CORE_TYPE_ID_LOCAL] = BK__CORE_CLASS_TYPE,
	[BK__CORE_TYPE_ID_TARGET] = BK__CORE_CLASS_TYPE,
	[BK__CORE_TYPE_EXISTS] = BK__CORE_CLASS_TYPE,
	[BK__CORE_TYPE_SIZE] = BK__CORE_CLASS_TYPE,
	[BK__CORE_ENUMVAL_EXISTS] = BK__CORE_CLASS_ENUMVAL,
	[BK__CORE_ENUMVAL_VALUE] = BK__CORE_CLASS_ENUMVAL,
	[BK__CORE_TYPE_MATCHES] = BK__CORE_CLASS_TYPE,
};

const char *bk__core_kind_name(uint32_t kind)
{
	return kind < BK__CORE_KIND_COUNT ? kind_names[kind] : "unknown";
}

enum bk__core_class bk__core_kind_class(uint32_t kind)
{
	return kind < BK__CORE_KIND_COUNT ? kind_classes[kind] : BK__CORE_CLASS_NONE;
}
