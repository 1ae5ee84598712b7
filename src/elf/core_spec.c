// SPDX-License-Identifier: MIT
/*
 * CO-RE access specs: a record's access string ("0:1:2", indexes from the
 * root type through members and array elements) parsed against the local
 * BTF, then matched against a candidate target type by member name,
 * searching through anonymous structs and unions, checking array bounds.
 * Steps and errors are libbpf's, except that negative or overflowing indexes
 * are refused where libbpf would read out of bounds.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

/* "0:1:2" into spec->raw; -EINVAL for anything but ':'-separated numbers. */
static int parse_raw(const char *s, struct bk__core_spec *spec)
{
	if (!*s || *s == ':')
		return -EINVAL;
	while (*s) {
		char *end;
		long v;

		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = strtol(s, &end, 10);
		if (v > INT_MAX)
			return -EINVAL;
		if (spec->raw_len == BK__CORE_SPEC_MAX)
			return -E2BIG;
		spec->raw[spec->raw_len++] = (uint32_t)v;
		s = end;
		if (*s && *s != ':')
			return -EINVAL;
	}
	return 0;
}

/* A zero-length array that is the last member of the struct holding it:
 * indexes past its bounds are fine (libbpf's is_flex_arr). */
static bool is_flex(const struct bk_btf *btf, const struct bk__core_acc *prev, uint32_t nelems)
{
	struct bk_btf_type t;

	if (!prev->name || nelems > 0 || bk__core_type(btf, prev->type_id, &t) < 0)
		return false;
	return prev->idx + 1 == t.vlen;
}

static int push_acc(struct bk__core_spec *spec, uint32_t type_id, uint32_t idx, const char *name)
{
	if (spec->len == BK__CORE_SPEC_MAX)
		return -E2BIG;
	spec->spec[spec->len].type_id = type_id;
	spec->spec[spec->len].idx = idx;
	spec->spec[spec->len].name = name;
	spec->len++;
	return 0;
}

/* One raw step after the root, from type id (modifiers not yet skipped). */
static int parse_step(const struct bk_btf *btf, struct bk__core_spec *spec, uint32_t *id,
		      uint32_t idx)
{
	struct bk_btf_type t;
	int r = bk__core_skip(btf, *id, &t);

	if (r < 0)
		return -EINVAL;
	*id = (uint32_t)r;
	if (bk__core_is_composite(t.kind)) {
		struct bk_btf_member m;

		if (idx >= t.vlen || bk_btf_member(btf, *id, idx, &m) < 0)
			return -EINVAL;
		spec->bit_offset += m.bit_offset;
		if (m.name[0] && push_acc(spec, *id, idx, m.name) < 0)
			return -E2BIG;
		*id = m.type;
		return 0;
	}
	if (t.kind == BK_BTF_KIND_ARRAY) {
		struct bk_btf_array a;
		struct bk_btf_type et;
		int64_t sz;

		if (bk_btf_array_info(btf, *id, &a) < 0 || (r = bk__core_skip(btf, a.type, &et)) < 0)
			return -EINVAL;
		*id = (uint32_t)r;
		if (spec->len == 0 ||
		    (!is_flex(btf, &spec->spec[spec->len - 1], a.nelems) && idx >= a.nelems))
			return -EINVAL;
		if (push_acc(spec, *id, idx, NULL) < 0)
			return -E2BIG;
		sz = bk__core_resolve_size(btf, *id);
		if (sz < 0)
			return (int)sz;
		spec->bit_offset += (uint32_t)((uint64_t)idx * (uint64_t)sz * 8);
		return 0;
	}
	return -EINVAL; /* only structs, unions and arrays have parts */
}

int bk__core_parse_spec(const struct bk_btf *local, uint32_t type_id, uint32_t kind,
			const char *access, struct bk__core_spec *spec)
{
	enum bk__core_class cls = bk__core_kind_class(kind);
	struct bk_btf_type t;
	uint32_t id;
	int64_t sz;
	int r;

	memset(spec, 0, sizeof(*spec));
	spec->btf = local;
	spec->root_type_id = type_id;
	spec->kind = kind;
	if (!access || !*access || *access == ':')
		return -EINVAL;
	if (cls == BK__CORE_CLASS_TYPE)
		return strcmp(access, "0") ? -EINVAL : 0;
	if ((r = parse_raw(access, spec)) < 0)
		return r;
	if ((r = bk__core_skip(local, type_id, &t)) < 0)
		return -EINVAL;
	id = (uint32_t)r;
	push_acc(spec, id, spec->raw[0], NULL);
	if (cls == BK__CORE_CLASS_ENUMVAL) {
		if (!bk__core_is_enum(t.kind) || spec->raw_len > 1 || spec->raw[0] >= t.vlen)
			return -EINVAL;
		spec->spec[0].name = bk__core_enum_name(local, id, spec->raw[0]);
		return spec->spec[0].name ? 0 : -EINVAL;
	}
	if (cls != BK__CORE_CLASS_FIELD)
		return -EINVAL;
	sz = bk__core_resolve_size(local, id);
	if (sz < 0)
		return (int)sz;
	spec->bit_offset = (uint32_t)((uint64_t)spec->raw[0] * (uint64_t)sz * 8);
	for (int i = 1; i < spec->raw_len; i++)
		if ((r = parse_step(local, spec, &id, spec->raw[i])) < 0)
			return r;
	return 0;
}

/*
 * Find the local member named by lacc in target type tid, descending into
 * anonymous members; record every raw step in targ. 1 found (and
 * field-compatible), 0 not, -errno. *next is the found member's type.
 */
static int match_member(const struct bk_btf *lb, const struct bk__core_acc *lacc,
			const struct bk_btf *tb, uint32_t tid, struct bk__core_spec *targ,
			uint32_t *next)
{
	struct bk_btf_member lm;
	struct bk_btf_type t;
	int r = bk__core_skip(tb, tid, &t);

	if (r < 0)
		return -EINVAL;
	tid = (uint32_t)r;
	if (!bk__core_is_composite(t.kind))
		return 0;
	if (bk_btf_member(lb, lacc->type_id, lacc->idx, &lm) < 0)
		return -EINVAL;
	for (uint32_t i = 0; i < t.vlen; i++) {
		struct bk_btf_member m;

		if (bk_btf_member(tb, tid, i, &m) < 0)
			return -EINVAL;
		if (targ->raw_len == BK__CORE_SPEC_MAX)
			return -E2BIG;
		/* Speculate on this member; undone below when it is not the one. */
		targ->bit_offset += m.bit_offset;
		targ->raw[targ->raw_len++] = i;
		if (!m.name[0]) {
			int found = match_member(lb, lacc, tb, m.type, targ, next);

			if (found)
				return found;
		} else if (strcmp(lm.name, m.name) == 0) {
			int found;

			if (push_acc(targ, tid, i, m.name) < 0)
				return -E2BIG;
			*next = m.type;
			found = bk__core_fields_compat(lb, lm.type, tb, m.type);
			if (!found)
				targ->len--;
			return found;
		}
		targ->bit_offset -= m.bit_offset;
		targ->raw_len--;
	}
	return 0;
}

static int match_enumval(const struct bk__core_spec *local, const struct bk_btf *tb,
			 uint32_t tid, struct bk__core_spec *targ)
{
	struct bk_btf_type t;
	int r = bk__core_skip(tb, tid, &t);

	if (r < 0 || !bk__core_is_enum(t.kind))
		return 0;
	for (uint32_t i = 0; i < t.vlen; i++) {
		const char *name = bk__core_enum_name(tb, (uint32_t)r, i);

		if (name && bk__core_essent_eq(local->spec[0].name, name)) {
			push_acc(targ, (uint32_t)r, i, name);
			targ->raw[targ->raw_len++] = i;
			return 1;
		}
	}
	return 0;
}

/* An array step (or the root) of the local spec, at target type tid. */
static int match_index(const struct bk_btf *tb, const struct bk__core_acc *lacc, int i,
		       uint32_t *tid, struct bk__core_spec *targ)
{
	struct bk_btf_type t;
	int64_t sz;
	int r;

	if (i > 0) {
		struct bk_btf_array a;

		if ((r = bk__core_skip(tb, *tid, &t)) < 0)
			return -EINVAL;
		if (t.kind != BK_BTF_KIND_ARRAY)
			return 0;
		if (bk_btf_array_info(tb, (uint32_t)r, &a) < 0)
			return -EINVAL;
		if (!is_flex(tb, &targ->spec[targ->len - 1], a.nelems) && lacc->idx >= a.nelems)
			return 0;
		if ((r = bk__core_skip(tb, a.type, &t)) < 0)
			return -EINVAL;
		*tid = (uint32_t)r;
	}
	if (targ->raw_len == BK__CORE_SPEC_MAX)
		return -E2BIG;
	push_acc(targ, *tid, lacc->idx, NULL);
	targ->raw[targ->raw_len++] = lacc->idx;
	sz = bk__core_resolve_size(tb, *tid);
	if (sz < 0)
		return (int)sz;
	targ->bit_offset += (uint32_t)((uint64_t)lacc->idx * (uint64_t)sz * 8);
	return 1;
}

int bk__core_spec_match(const struct bk__core_spec *local, const struct bk_btf *tb,
			uint32_t tid, struct bk__core_spec *targ)
{
	enum bk__core_class cls = bk__core_kind_class(local->kind);

	memset(targ, 0, sizeof(*targ));
	targ->btf = tb;
	targ->root_type_id = tid;
	targ->kind = local->kind;
	if (cls == BK__CORE_CLASS_TYPE) {
		if (local->kind == BK__CORE_TYPE_MATCHES)
			return bk__core_types_match(local->btf, local->root_type_id, tb, tid,
						    false, 32);
		return bk__core_types_compat(local->btf, local->root_type_id, tb, tid, 32);
	}
	if (cls == BK__CORE_CLASS_ENUMVAL)
		return match_enumval(local, tb, tid, targ);
	if (cls != BK__CORE_CLASS_FIELD)
		return -EINVAL;
	for (int i = 0; i < local->len; i++) {
		const struct bk__core_acc *lacc = &local->spec[i];
		struct bk_btf_type t;
		int r = bk__core_skip(tb, tid, &t);

		if (r < 0)
			return -EINVAL;
		tid = (uint32_t)r;
		if (lacc->name)
			r = match_member(local->btf, lacc, tb, tid, targ, &tid);
		else
			r = match_index(tb, lacc, i, &tid, targ);
		if (r <= 0)
			return r;
	}
	return 1;
}

void bk__core_spec_str(const struct bk__core_spec *spec, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < spec->len && n < size; i++) {
		const struct bk__core_acc *a = &spec->spec[i];
		int w;

		if (a->name)
			w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", a->name);
		else if (i > 0 || a->idx > 0)
			w = snprintf(buf + n, size - n, "[%u]", a->idx);
		else
			continue;
		if (w < 0)
			break;
		n += (size_t)w;
	}
}
