// SPDX-License-Identifier: MIT
/*
 * BTF as text, one type a line (plus one tab-indented line per member,
 * enumerator, parameter or section entry), in the format `bpftool btf dump
 * file X` prints, so the two can be compared line for line:
 *
 *   [1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)
 *   [6] STRUCT 'pkt' size=16 vlen=3
 *   	'fl' type_id=1 bits_offset=32 bitfield_size=3
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "../common/common_int.h"
#include "btf_int.h"

static const char *anon(const char *s)
{
	return s[0] ? s : "(anon)";
}

static const char *linkage_name(uint32_t l)
{
	static const char *const names[] = { "static", "global", "extern" };

	return l < 3 ? names[l] : "(unknown)";
}

static const char *int_encoding(uint32_t enc)
{
	switch (enc) {
	case 0: return "(none)";
	case BK_BTF_INT_SIGNED: return "SIGNED";
	case BK_BTF_INT_CHAR: return "CHAR";
	case BK_BTF_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

static void dump_members(FILE *out, const struct bk_btf *b, const uint8_t *r)
{
	bool kflag = bk__rd32(r + 4) >> 31;
	const uint8_t *m = r + BK__BTF_TYPE_SZ;

	for (uint32_t i = 0; i < bk__btf_vlen(r); i++, m += 12) {
		uint32_t off = bk__rd32(m + 8), bits = kflag ? off >> 24 : 0;

		fprintf(out, "\n\t'%s' type_id=%u bits_offset=%u", anon(bk__btf_s(b, bk__rd32(m))),
			bk__rd32(m + 4), kflag ? off & 0xffffff : off);
		if (bits)
			fprintf(out, " bitfield_size=%u", bits);
	}
}

static void dump_enum(FILE *out, const struct bk_btf *b, const uint8_t *r, bool is64)
{
	bool sgn = bk__rd32(r + 4) >> 31;
	const uint8_t *e = r + BK__BTF_TYPE_SZ;

	fprintf(out, " encoding=%s size=%u vlen=%u", sgn ? "SIGNED" : "UNSIGNED", bk__rd32(r + 8),
		bk__btf_vlen(r));
	for (uint32_t i = 0; i < bk__btf_vlen(r); i++, e += is64 ? 12 : 8) {
		const char *n = anon(bk__btf_s(b, bk__rd32(e)));
		uint32_t lo = bk__rd32(e + 4);

		if (!is64) {
			if (sgn)
				fprintf(out, "\n\t'%s' val=%d", n, (int32_t)lo);
			else
				fprintf(out, "\n\t'%s' val=%u", n, lo);
			continue;
		}
		uint64_t v = (uint64_t)bk__rd32(e + 8) << 32 | lo;

		if (sgn)
			fprintf(out, "\n\t'%s' val=%" PRId64 "LL", n, (int64_t)v);
		else
			fprintf(out, "\n\t'%s' val=%" PRIu64 "ULL", n, v);
	}
}

static void dump_proto(FILE *out, const struct bk_btf *b, const uint8_t *r)
{
	const uint8_t *p = r + BK__BTF_TYPE_SZ;

	fprintf(out, " ret_type_id=%u vlen=%u", bk__rd32(r + 8), bk__btf_vlen(r));
	for (uint32_t i = 0; i < bk__btf_vlen(r); i++, p += 8)
		fprintf(out, "\n\t'%s' type_id=%u", anon(bk__btf_s(b, bk__rd32(p))), bk__rd32(p + 4));
}

static void dump_datasec(FILE *out, const struct bk_btf *b, const uint8_t *r)
{
	const uint8_t *v = r + BK__BTF_TYPE_SZ;

	fprintf(out, " size=%u vlen=%u", bk__rd32(r + 8), bk__btf_vlen(r));
	for (uint32_t i = 0; i < bk__btf_vlen(r); i++, v += 12) {
		uint32_t t = bk__rd32(v);

		fprintf(out, "\n\ttype_id=%u offset=%u size=%u", t, bk__rd32(v + 4), bk__rd32(v + 8));
		if (t && t <= b->nr_types) {
			const uint8_t *vr = bk__btf_rec(b, t);

			fprintf(out, " (%s '%s')", bk_btf_kind_name((int)bk__btf_kind(vr)),
				anon(bk__btf_rname(b, vr)));
		}
	}
}

/* One type, without the final newline. */
static void dump_one(FILE *out, const struct bk_btf *b, uint32_t id)
{
	const uint8_t *r = bk__btf_rec(b, id);
	uint32_t kind = bk__btf_kind(r), sot = bk__rd32(r + 8), w;

	fprintf(out, "[%u] %s '%s'", id, bk_btf_kind_name((int)kind), anon(bk__btf_rname(b, r)));
	switch (kind) {
	case BK_BTF_KIND_INT:
		w = bk__rd32(r + 12);
		fprintf(out, " size=%u bits_offset=%u nr_bits=%u encoding=%s", sot, (w >> 16) & 0xff,
			w & 0xff, int_encoding((w >> 24) & 0xf));
		break;
	case BK_BTF_KIND_PTR: case BK_BTF_KIND_CONST: case BK_BTF_KIND_VOLATILE:
	case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_TYPEDEF: case BK_BTF_KIND_TYPE_TAG:
		fprintf(out, " type_id=%u", sot);
		break;
	case BK_BTF_KIND_ARRAY:
		fprintf(out, " type_id=%u index_type_id=%u nr_elems=%u", bk__rd32(r + 12),
			bk__rd32(r + 16), bk__rd32(r + 20));
		break;
	case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		fprintf(out, " size=%u vlen=%u", sot, bk__btf_vlen(r));
		dump_members(out, b, r);
		break;
	case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
		dump_enum(out, b, r, kind == BK_BTF_KIND_ENUM64);
		break;
	case BK_BTF_KIND_FWD:
		fprintf(out, " fwd_kind=%s", bk__rd32(r + 4) >> 31 ? "union" : "struct");
		break;
	case BK_BTF_KIND_FUNC:
		fprintf(out, " type_id=%u linkage=%s", sot, linkage_name(bk__btf_vlen(r)));
		break;
	case BK_BTF_KIND_FUNC_PROTO:
		dump_proto(out, b, r);
		break;
	case BK_BTF_KIND_VAR:
		fprintf(out, " type_id=%u, linkage=%s", sot, linkage_name(bk__rd32(r + 12)));
		break;
	case BK_BTF_KIND_DATASEC:
		dump_datasec(out, b, r);
		break;
	case BK_BTF_KIND_FLOAT:
		fprintf(out, " size=%u", sot);
		break;
	case BK_BTF_KIND_DECL_TAG:
		fprintf(out, " type_id=%u component_idx=%d", sot, (int32_t)bk__rd32(r + 12));
		break;
	default:
		break;
	}
}

int bk_btf_dump_raw(const struct bk_btf *btf, FILE *out, uint32_t id)
{
	uint32_t first = id, last = id;

	if (!btf || !out)
		return bk__err(-EINVAL);
	if (id == 0) {
		first = btf->start_id;
		last = btf->nr_types;
	} else if (id > btf->nr_types) {
		return bk__err(-ENOENT);
	}
	for (uint32_t i = first; i <= last && i; i++) {
		dump_one(out, btf, i);
		fputc('\n', out);
	}
	return ferror(out) ? bk__err(-EIO) : 0;
}

int bk_btf_decl_tag(const struct bk_btf *btf, uint32_t id, int32_t *component_idx)
{
	if (!btf || !component_idx || id == 0 || id > btf->nr_types ||
	    bk__btf_kind(bk__btf_rec(btf, id)) != BK_BTF_KIND_DECL_TAG)
		return bk__err(-EINVAL);
	*component_idx = (int32_t)bk__rd32(bk__btf_rec(btf, id) + 12);
	return 0;
}
