// SPDX-License-Identifier: MIT
/*
 * Map keys and values as their BTF types describe them, for the "formatted"
 * member bpftool adds to map dumps of maps with BTF: ints as numbers, bools
 * as true/false, bitfields as "0x.." strings, enums by enumerator name,
 * printable NUL-terminated char arrays as strings, structs as objects,
 * arrays as arrays, pointers as numbers. Types it cannot print the way
 * bpftool does (floats, global-data sections, anonymous members...) make
 * bk_cli_btf_printable() false, and the caller leaves "formatted" out rather
 * than print something different.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "btf_fmt.h"

#define MAX_DEPTH 16

/* Byte size of a type, 0 when unknown. */
static uint64_t type_size(const struct bk_btf *btf, uint32_t id, int depth)
{
	struct bk_btf_type t;
	struct bk_btf_array a;
	int r = bk_btf_resolve(btf, id);

	if (r <= 0 || depth > MAX_DEPTH || bk_btf_type_by_id(btf, (uint32_t)r, &t))
		return 0;
	switch (t.kind) {
	case BK_BTF_KIND_INT:
	case BK_BTF_KIND_ENUM:
	case BK_BTF_KIND_ENUM64:
	case BK_BTF_KIND_STRUCT:
	case BK_BTF_KIND_UNION:
		return t.size_or_type;
	case BK_BTF_KIND_PTR:
		return sizeof(void *);
	case BK_BTF_KIND_ARRAY:
		bk_btf_array_info(btf, (uint32_t)r, &a);
		return (uint64_t)a.nelems * type_size(btf, a.type, depth + 1);
	default:
		return 0;
	}
}

bool bk_cli_btf_printable(const struct bk_btf *btf, uint32_t id, int depth)
{
	struct bk_btf_type t;
	struct bk_btf_member m;
	struct bk_btf_array a;
	int r = bk_btf_resolve(btf, id);

	if (r <= 0 || depth > MAX_DEPTH || bk_btf_type_by_id(btf, (uint32_t)r, &t))
		return false;
	switch (t.kind) {
	case BK_BTF_KIND_INT:
		return t.size_or_type <= 16;
	case BK_BTF_KIND_PTR:
		return true;
	case BK_BTF_KIND_ENUM:
	case BK_BTF_KIND_ENUM64:
		return t.size_or_type >= 1 && t.size_or_type <= 8;
	case BK_BTF_KIND_ARRAY:
		return !bk_btf_array_info(btf, (uint32_t)r, &a) &&
		       bk_cli_btf_printable(btf, a.type, depth + 1) &&
		       type_size(btf, a.type, 0) > 0;
	case BK_BTF_KIND_STRUCT:
	case BK_BTF_KIND_UNION:
		for (uint32_t i = 0; bk_btf_member(btf, (uint32_t)r, i, &m) == 0; i++)
			if (!m.name[0] || (!m.bitfield_size &&
					   !bk_cli_btf_printable(btf, m.type, depth + 1)))
				return false;
		return true;
	default:
		return false;
	}
}

/* Bits [off, off + n) of data, little-endian host order, n <= 64. */
static uint64_t bits_at(const uint8_t *data, uint64_t off, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t b = off + i;

		v |= (uint64_t)((data[b / 8] >> (b % 8)) & 1) << i;
	}
	return v;
}

static void hex_string(struct bk_json *j, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	bk_json_string(j, buf);
}

static uint64_t load_uint(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size > 8 ? 8 : size); /* little-endian host */
	return v;
}

static int64_t sign_extend(uint64_t v, uint32_t size)
{
	unsigned shift = 64 - 8 * size;

	return size >= 8 ? (int64_t)v : (int64_t)(v << shift) >> shift;
}

static void emit_int(struct bk_json *j, const struct bk_btf *btf, uint32_t id, uint32_t size,
		     const uint8_t *p)
{
	struct bk_btf_int in;

	bk_btf_int_info(btf, id, &in);
	if (in.bit_offset || in.bits != size * 8) {
		hex_string(j, bits_at(p, in.bit_offset, in.bits > 64 ? 64 : in.bits));
	} else if (size == 16) {
		char buf[40];

		/* 128-bit: hex, high half first */
		snprintf(buf, sizeof(buf), "0x%llx%016llx",
			 (unsigned long long)load_uint(p + 8, 8), (unsigned long long)load_uint(p, 8));
		bk_json_string(j, buf);
	} else if (in.encoding & BK_BTF_INT_BOOL) {
		bk_json_bool(j, load_uint(p, size) != 0);
	} else if (in.encoding & BK_BTF_INT_SIGNED) {
		bk_json_int(j, sign_extend(load_uint(p, size), size));
	} else {
		bk_json_uint(j, load_uint(p, size));
	}
}

static void emit_enum(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t,
		      const uint8_t *p)
{
	struct bk_btf_enumerator e;
	uint64_t raw = load_uint(p, t->size_or_type);
	int64_t v = t->kind_flag ? sign_extend(raw, t->size_or_type) : (int64_t)raw;

	for (uint32_t i = 0; bk_btf_enumerator(btf, t->id, i, &e) == 0; i++) {
		if (e.value == v) {
			bk_json_string(j, e.name);
			return;
		}
	}
	if (t->kind_flag)
		bk_json_int(j, v);
	else
		bk_json_uint(j, raw);
}

/* A printable, NUL-terminated array of char (not through typedefs). */
static bool char_string(const struct bk_btf *btf, const struct bk_btf_array *a, const uint8_t *p)
{
	struct bk_btf_type et;
	struct bk_btf_int in;
	uint32_t i;

	if (bk_btf_type_by_id(btf, a->type, &et) || et.kind != BK_BTF_KIND_INT ||
	    et.size_or_type != 1 || !a->nelems || bk_btf_int_info(btf, a->type, &in))
		return false;
	if (!(in.encoding & BK_BTF_INT_CHAR) && strcmp(et.name, "char") != 0)
		return false;
	for (i = 0; i < a->nelems && p[i]; i++)
		if (!isprint(p[i]))
			return false;
	return i < a->nelems;
}

void bk_cli_btf_emit(struct bk_json *j, const struct bk_btf *btf, uint32_t id, const uint8_t *p)
{
	struct bk_btf_type t;
	struct bk_btf_member m;
	struct bk_btf_array a;
	uint64_t esz;
	int r = bk_btf_resolve(btf, id);

	if (r <= 0 || bk_btf_type_by_id(btf, (uint32_t)r, &t)) {
		bk_json_null(j);
		return;
	}
	switch (t.kind) {
	case BK_BTF_KIND_INT:
		emit_int(j, btf, t.id, t.size_or_type, p);
		break;
	case BK_BTF_KIND_PTR:
		bk_json_uint(j, load_uint(p, sizeof(void *)));
		break;
	case BK_BTF_KIND_ENUM:
	case BK_BTF_KIND_ENUM64:
		emit_enum(j, btf, &t, p);
		break;
	case BK_BTF_KIND_ARRAY:
		bk_btf_array_info(btf, t.id, &a);
		if (char_string(btf, &a, p)) {
			bk_json_string(j, (const char *)p);
			break;
		}
		esz = type_size(btf, a.type, 0);
		bk_json_array_begin(j);
		for (uint32_t i = 0; i < a.nelems; i++)
			bk_cli_btf_emit(j, btf, a.type, p + i * esz);
		bk_json_array_end(j);
		break;
	case BK_BTF_KIND_STRUCT:
	case BK_BTF_KIND_UNION:
		bk_json_object_begin(j);
		for (uint32_t i = 0; bk_btf_member(btf, t.id, i, &m) == 0; i++) {
			bk_json_key(j, m.name);
			if (m.bitfield_size)
				hex_string(j, bits_at(p, m.bit_offset, m.bitfield_size));
			else
				bk_cli_btf_emit(j, btf, m.type, p + m.bit_offset / 8);
		}
		bk_json_object_end(j);
		break;
	default:
		bk_json_null(j);
		break;
	}
}
