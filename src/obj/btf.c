// SPDX-License-Identifier: MIT
/*
 * Raw BTF reader: validate once, then look up without further checks.
 *
 * Raw BTF layout (all fields in host byte order, offsets in bytes):
 *
 *   0        2     3     4         8          12         16        20        24
 *   +--------+-----+-----+---------+----------+----------+---------+---------+
 *   | magic  | ver |flags| hdr_len | type_off | type_len | str_off | str_len |
 *   | 0xeb9f |  1  |  0  |  >= 24  |          |          |         |         |
 *   +--------+-----+-----+---------+----------+----------+---------+---------+
 *   hdr_len bytes of header (a longer header's unknown tail must be zero), then
 *   the data area; type_off and str_off are relative to the end of the header:
 *
 *   [ header ][ ... type section (type_len) ... ][ string section (str_len) ]
 *
 * The type section is a sequence of variable-length records; type ids are
 * implicit, the first record being id 1 (id 0 is void):
 *
 *   struct { u32 name_off; u32 info; u32 size_or_type; }  then kind-specific data
 *   info: bits 0-15 vlen, bits 24-28 kind, bit 31 kind_flag
 *
 * The string section starts and ends with '\0', so every name_off below
 * str_len names a terminated string, and offset 0 is the empty name.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/btf.h>

#include "../common/common_int.h"

#define BTF_MAGIC 0xeb9f
#define BTF_MAGIC_SWAPPED 0x9feb
#define BTF_HDR_MIN 24u
#define BTF_TYPE_SZ 12u

struct bk_btf {
	uint8_t *data;	     /* owned copy of the whole raw BTF */
	size_t size;	     /* bytes in data */
	const uint8_t *types; /* type section inside data */
	uint32_t types_len;
	const char *strs; /* string section inside data */
	uint32_t strs_len;
	uint32_t *offs; /* offs[id] = offset of type id in types; offs[0] unused */
	uint32_t nr_types;
};

/* Bytes after the 12-byte common record: fixed part plus vlen times a record,
 * and whether each vlen record starts with a name_off to be checked. */
static const struct kind_shape {
	const char *name;
	uint8_t fixed;
	uint8_t per_vlen;
	bool vlen_named;
} kinds[BK_BTF_KIND_MAX + 1] = {
	[BK_BTF_KIND_UNKN] = { "UNKN", 0, 0, false },
	[BK_BTF_KIND_INT] = { "INT", 4, 0, false },
	[BK_BTF_KIND_PTR] = { "PTR", 0, 0, false },
	[BK_BTF_KIND_ARRAY] = { "ARRAY", 12, 0, false },
	[BK_BTF_KIND_STRUCT] = { "STRUCT", 0, 12, true },
	[BK_BTF_KIND_UNION] = { "UNION", 0, 12, true },
	[BK_BTF_KIND_ENUM] = { "ENUM", 0, 8, true },
	[BK_BTF_KIND_FWD] = { "FWD", 0, 0, false },
	[BK_BTF_KIND_TYPEDEF] = { "TYPEDEF", 0, 0, false },
	[BK_BTF_KIND_VOLATILE] = { "VOLATILE", 0, 0, false },
	[BK_BTF_KIND_CONST] = { "CONST", 0, 0, false },
	[BK_BTF_KIND_RESTRICT] = { "RESTRICT", 0, 0, false },
	[BK_BTF_KIND_FUNC] = { "FUNC", 0, 0, false },
	[BK_BTF_KIND_FUNC_PROTO] = { "FUNC_PROTO", 0, 8, true },
	[BK_BTF_KIND_VAR] = { "VAR", 4, 0, false },
	[BK_BTF_KIND_DATASEC] = { "DATASEC", 0, 12, false },
	[BK_BTF_KIND_FLOAT] = { "FLOAT", 0, 0, false },
	[BK_BTF_KIND_DECL_TAG] = { "DECL_TAG", 4, 0, false },
	[BK_BTF_KIND_TYPE_TAG] = { "TYPE_TAG", 0, 0, false },
	[BK_BTF_KIND_ENUM64] = { "ENUM64", 0, 12, true },
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == BK_BTF_KIND_MAX + 1, "one row per kind");

/* Unaligned-safe reads: the fuzzer and callers may hand any alignment. */
static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int bad(struct bk_diag *d, uint32_t at, int err, const char *what)
{
	if (d)
		d->index = at;
	return bk__diag(d, err, "BTF byte %u: %s", at, what);
}

struct hdr {
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

static int check_header(const uint8_t *p, size_t size, struct hdr *h, struct bk_diag *d)
{
	uint64_t area;

	if (size < 8)
		return bad(d, 0, -EINVAL, "shorter than the BTF header");
	if (rd16(p) == BTF_MAGIC_SWAPPED)
		return bad(d, 0, -EOPNOTSUPP, "BTF in the other byte order is not supported");
	if (rd16(p) != BTF_MAGIC)
		return bad(d, 0, -EINVAL, "bad magic (expected 0xeb9f)");
	if (p[2] != 1)
		return bad(d, 2, -EINVAL, "unsupported BTF version (expected 1)");
	if (p[3] != 0)
		return bad(d, 3, -EINVAL, "unsupported header flags");
	h->hdr_len = rd32(p + 4);
	if (h->hdr_len < BTF_HDR_MIN || h->hdr_len > size)
		return bad(d, 4, -EINVAL, "header length out of range");
	/* A newer, longer header is fine as long as we lose nothing by ignoring it. */
	for (uint32_t i = BTF_HDR_MIN; i < h->hdr_len; i++)
		if (p[i])
			return bad(d, i, -EINVAL, "unknown non-zero header field");
	h->type_off = rd32(p + 8);
	h->type_len = rd32(p + 12);
	h->str_off = rd32(p + 16);
	h->str_len = rd32(p + 20);
	area = size - h->hdr_len;
	if ((uint64_t)h->type_off + h->type_len > area || h->type_off % 4)
		return bad(d, 8, -EINVAL, "type section out of bounds or misaligned");
	if ((uint64_t)h->str_off + h->str_len > area)
		return bad(d, 16, -EINVAL, "string section out of bounds");
	if (h->str_off < (uint64_t)h->type_off + h->type_len &&
	    h->type_off < (uint64_t)h->str_off + h->str_len && h->type_len && h->str_len)
		return bad(d, 16, -EINVAL, "type and string sections overlap");
	return 0;
}

static int check_strings(const struct bk_btf *b, uint32_t at, struct bk_diag *d)
{
	if (b->strs_len == 0 || !b->strs || b->strs[0] != '\0')
		return bad(d, at, -EINVAL, "string section must start with an empty string");
	if (b->strs[b->strs_len - 1] != '\0')
		return bad(d, at + b->strs_len - 1, -EINVAL, "string section is not terminated");
	return 0;
}

/* Check one type record at offset off; on success *next is the following one. */
static int check_type(const struct bk_btf *b, uint32_t off, uint32_t base, uint32_t *next,
		      struct bk_diag *d)
{
	const uint8_t *t = b->types + off;
	uint32_t info, kind, vlen, extra;
	const struct kind_shape *ks;

	if (b->types_len - off < BTF_TYPE_SZ)
		return bad(d, base + off, -EINVAL, "truncated type record");
	info = rd32(t + 4);
	kind = (info >> 24) & 0x1f;
	vlen = info & 0xffff;
	if (kind == BK_BTF_KIND_UNKN || kind > BK_BTF_KIND_MAX)
		return bad(d, base + off, -EINVAL, "unknown type kind");
	if (rd32(t) >= b->strs_len)
		return bad(d, base + off, -EINVAL, "type name offset beyond the string section");
	ks = &kinds[kind];
	extra = ks->fixed + vlen * (uint32_t)ks->per_vlen; /* at most 65535 * 12: no overflow */
	if (b->types_len - off - BTF_TYPE_SZ < extra)
		return bad(d, base + off, -EINVAL, "type record runs past the type section");
	for (uint32_t i = 0; ks->vlen_named && i < vlen; i++) {
		uint32_t at = off + BTF_TYPE_SZ + ks->fixed + i * ks->per_vlen;

		if (rd32(b->types + at) >= b->strs_len)
			return bad(d, base + at, -EINVAL, "member name offset beyond the string section");
	}
	*next = off + BTF_TYPE_SZ + extra;
	return 0;
}

static int index_types(struct bk_btf *b, uint32_t base, struct bk_diag *d)
{
	uint32_t off = 0;
	int err;

	/* At most one type per 12 bytes: allocate the index once. */
	b->offs = calloc((size_t)b->types_len / BTF_TYPE_SZ + 1, sizeof(*b->offs));
	if (!b->offs)
		return bk__diag(d, -ENOMEM, "out of memory indexing BTF types");
	while (off < b->types_len) {
		uint32_t next = b->types_len;

		err = check_type(b, off, base, &next, d);
		if (err)
			return err;
		b->offs[++b->nr_types] = off;
		off = next;
	}
	return 0;
}

/* Parse buf (size bytes), taking ownership of it whatever the result. */
static struct bk_btf *parse_owned(uint8_t *buf, size_t size, struct bk_diag *d)
{
	struct bk_btf *b;
	struct hdr h = { 0 };
	int err;

	err = check_header(buf, size, &h, d);
	if (err) {
		free(buf);
		return bk__err_ptr(err);
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		free(buf);
		bk__diag(d, -ENOMEM, "out of memory");
		return bk__err_ptr(-ENOMEM);
	}
	b->data = buf;
	b->size = size;
	b->types = buf + h.hdr_len + h.type_off;
	b->types_len = h.type_len;
	b->strs = (const char *)buf + h.hdr_len + h.str_off;
	b->strs_len = h.str_len;
	err = check_strings(b, h.hdr_len + h.str_off, d);
	if (!err)
		err = index_types(b, h.hdr_len + h.type_off, d);
	if (err) {
		bk_btf_free(b);
		return bk__err_ptr(err);
	}
	return b;
}

static void diag_reset(struct bk_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}

struct bk_btf *bk_btf_parse(const void *data, size_t size, struct bk_diag *diag)
{
	uint8_t *copy;

	diag_reset(diag);
	if (!data && size)
		return bk__err_ptr(bk__diag(diag, -EINVAL, "NULL BTF buffer"));
	copy = malloc(size ? size : 1);
	if (!copy)
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	if (size)
		memcpy(copy, data, size);
	return parse_owned(copy, size, diag);
}

/* Read a whole file; sysfs files report a size but we do not rely on it. */
static int read_all(int fd, uint8_t **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t got;

		if (n == cap) {
			uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*out = buf;
	*len = n;
	return 0;
}

struct bk_btf *bk_btf_load_file(const char *path, struct bk_diag *diag)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int fd, err;

	diag_reset(diag);
	if (!path)
		return bk__err_ptr(bk__diag(diag, -EINVAL, "NULL path"));
	if (diag)
		snprintf(diag->file, sizeof(diag->file), "%s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bk__err_ptr(bk__diag(diag, -errno, "cannot open %s", path));
	err = read_all(fd, &buf, &len);
	close(fd);
	if (err)
		return bk__err_ptr(bk__diag(diag, err, "cannot read %s", path));
	return parse_owned(buf, len, diag);
}

void bk_btf_free(struct bk_btf *btf)
{
	if (!btf)
		return;
	free(btf->offs);
	free(btf->data);
	free(btf);
}

uint32_t bk_btf_type_count(const struct bk_btf *btf)
{
	return btf ? btf->nr_types : 0;
}

static const uint8_t *type_rec(const struct bk_btf *b, uint32_t id)
{
	return b->types + b->offs[id];
}

int bk_btf_type_by_id(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *out)
{
	const uint8_t *t;
	uint32_t info;

	if (!btf || !out)
		return bk__err(-EINVAL);
	if (id > btf->nr_types)
		return bk__err(-ENOENT);
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->name = "";
	if (id == 0)
		return 0; /* void */
	t = type_rec(btf, id);
	info = rd32(t + 4);
	out->kind = (enum bk_btf_kind)((info >> 24) & 0x1f);
	out->name = btf->strs + rd32(t);
	out->vlen = info & 0xffff;
	out->kind_flag = info >> 31;
	out->size_or_type = rd32(t + 8);
	return 0;
}

static bool kind_matches(int want, uint32_t kind)
{
	return want == BK_BTF_KIND_ANY || (uint32_t)want == kind;
}

int bk_btf_find(const struct bk_btf *btf, const char *name, int kind)
{
	if (!btf || !name || !name[0])
		return bk__err(-EINVAL);
	/* A linear scan: vmlinux has ~150k types and probing asks a handful of
	 * names once per process, so an index would cost more than it saves. */
	for (uint32_t id = 1; id <= btf->nr_types; id++) {
		const uint8_t *t = type_rec(btf, id);

		if (kind_matches(kind, (rd32(t + 4) >> 24) & 0x1f) &&
		    strcmp(btf->strs + rd32(t), name) == 0)
			return (int)id;
	}
	return bk__err(-ENOENT);
}

int bk_btf_enumerator(const struct bk_btf *btf, uint32_t id, uint32_t idx,
		      struct bk_btf_enumerator *out)
{
	struct bk_btf_type ty;
	const uint8_t *e;

	if (!out || bk_btf_type_by_id(btf, id, &ty))
		return bk__err(-EINVAL);
	if (ty.kind != BK_BTF_KIND_ENUM && ty.kind != BK_BTF_KIND_ENUM64)
		return bk__err(-EINVAL);
	if (idx >= ty.vlen)
		return bk__err(-ENOENT);
	e = type_rec(btf, id) + BTF_TYPE_SZ + idx * (uint32_t)kinds[ty.kind].per_vlen;
	out->name = btf->strs + rd32(e);
	if (ty.kind == BK_BTF_KIND_ENUM64) {
		out->value = (int64_t)(((uint64_t)rd32(e + 8) << 32) | rd32(e + 4));
	} else {
		uint32_t v = rd32(e + 4);

		/* kind_flag marks a signed enum (Linux 6.0); older BTF leaves it 0. */
		out->value = ty.kind_flag ? (int64_t)(int32_t)v : (int64_t)v;
	}
	return 0;
}

static int kind_of(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *t)
{
	if (!btf || bk_btf_type_by_id(btf, id, t))
		return -1;
	return (int)t->kind;
}

int bk_btf_member(const struct bk_btf *btf, uint32_t id, uint32_t idx, struct bk_btf_member *out)
{
	struct bk_btf_type t;
	const uint8_t *m;
	uint32_t off;
	int k = kind_of(btf, id, &t);

	if (!out || (k != BK_BTF_KIND_STRUCT && k != BK_BTF_KIND_UNION))
		return bk__err(-EINVAL);
	if (idx >= t.vlen)
		return bk__err(-ENOENT);
	m = type_rec(btf, id) + BTF_TYPE_SZ + idx * 12u;
	out->name = btf->strs + rd32(m);
	out->type = rd32(m + 4);
	off = rd32(m + 8);
	/* kind_flag: the offset word packs bitfield_size (8 bits) over the offset. */
	out->bit_offset = t.kind_flag ? off & 0xffffff : off;
	out->bitfield_size = t.kind_flag ? off >> 24 : 0;
	return 0;
}

int bk_btf_array_info(const struct bk_btf *btf, uint32_t id, struct bk_btf_array *out)
{
	struct bk_btf_type t;
	const uint8_t *a;

	if (!out || kind_of(btf, id, &t) != BK_BTF_KIND_ARRAY)
		return bk__err(-EINVAL);
	a = type_rec(btf, id) + BTF_TYPE_SZ;
	out->type = rd32(a);
	out->index_type = rd32(a + 4);
	out->nelems = rd32(a + 8);
	return 0;
}

int bk_btf_int_info(const struct bk_btf *btf, uint32_t id, struct bk_btf_int *out)
{
	struct bk_btf_type t;
	uint32_t v;

	if (!out || kind_of(btf, id, &t) != BK_BTF_KIND_INT)
		return bk__err(-EINVAL);
	/* bits 24-27 encoding, 16-23 offset, 0-7 width (up to 128) */
	v = rd32(type_rec(btf, id) + BTF_TYPE_SZ);
	out->encoding = (v >> 24) & 0xf;
	out->bit_offset = (v >> 16) & 0xff;
	out->bits = v & 0xff;
	return 0;
}

int bk_btf_resolve(const struct bk_btf *btf, uint32_t id)
{
	struct bk_btf_type t;

	for (int i = 0; i < 32; i++) {
		int k = kind_of(btf, id, &t);

		if (k < 0)
			return bk__err(-EINVAL);
		if (k != BK_BTF_KIND_TYPEDEF && k != BK_BTF_KIND_CONST &&
		    k != BK_BTF_KIND_VOLATILE && k != BK_BTF_KIND_RESTRICT &&
		    k != BK_BTF_KIND_TYPE_TAG)
			return (int)id;
		id = t.size_or_type;
	}
	return bk__err(-EINVAL);
}

static int enum_lookup(const struct bk_btf *btf, uint32_t id, const char *name, int64_t *value)
{
	struct bk_btf_enumerator en;
	struct bk_btf_type ty;

	if (bk_btf_type_by_id(btf, id, &ty))
		return -ENOENT;
	for (uint32_t i = 0; i < ty.vlen; i++) {
		if (bk_btf_enumerator(btf, id, i, &en))
			return -ENOENT;
		if (strcmp(en.name, name) == 0) {
			if (value)
				*value = en.value;
			return 0;
		}
	}
	return -ENOENT;
}

int bk_btf_enum_value(const struct bk_btf *btf, const char *enum_name, const char *name,
		      int64_t *value)
{
	if (!btf || !enum_name || !name)
		return bk__err(-EINVAL);
	for (uint32_t id = 1; id <= btf->nr_types; id++) {
		const uint8_t *t = type_rec(btf, id);
		uint32_t kind = (rd32(t + 4) >> 24) & 0x1f;

		if (kind != BK_BTF_KIND_ENUM && kind != BK_BTF_KIND_ENUM64)
			continue;
		if (strcmp(btf->strs + rd32(t), enum_name) == 0 &&
		    enum_lookup(btf, id, name, value) == 0)
			return 0;
	}
	return bk__err(-ENOENT);
}

const char *bk_btf_kind_name(int kind)
{
	if (kind < 0 || kind > BK_BTF_KIND_MAX)
		return "UNKN";
	return kinds[kind].name;
}

const char *bk_btf_str(const struct bk_btf *btf, uint32_t off)
{
	if (!btf || off >= btf->strs_len)
		return NULL;
	return btf->strs + off;
}

/* The idx-th vlen record of id when id has kind want, else NULL (errno set). */
static const uint8_t *vlen_rec(const struct bk_btf *btf, uint32_t id, uint32_t idx, int want)
{
	struct bk_btf_type t;

	if (kind_of(btf, id, &t) != want) {
		bk__err(-EINVAL);
		return NULL;
	}
	if (idx >= t.vlen) {
		bk__err(-ENOENT);
		return NULL;
	}
	return type_rec(btf, id) + BTF_TYPE_SZ + idx * (uint32_t)kinds[want].per_vlen;
}

int bk_btf_param(const struct bk_btf *btf, uint32_t id, uint32_t idx, struct bk_btf_param *out)
{
	const uint8_t *p = vlen_rec(btf, id, idx, BK_BTF_KIND_FUNC_PROTO);

	if (!p || !out)
		return p ? bk__err(-EINVAL) : -errno;
	out->name = btf->strs + rd32(p);
	out->type = rd32(p + 4);
	return 0;
}

int bk_btf_var_linkage(const struct bk_btf *btf, uint32_t id)
{
	struct bk_btf_type t;

	if (kind_of(btf, id, &t) != BK_BTF_KIND_VAR)
		return bk__err(-EINVAL);
	return (int)rd32(type_rec(btf, id) + BTF_TYPE_SZ);
}

int bk_btf_datasec_var(const struct bk_btf *btf, uint32_t id, uint32_t idx,
		       struct bk_btf_var_secinfo *out)
{
	const uint8_t *p = vlen_rec(btf, id, idx, BK_BTF_KIND_DATASEC);

	if (!p || !out)
		return p ? bk__err(-EINVAL) : -errno;
	out->type = rd32(p);
	out->offset = rd32(p + 4);
	out->size = rd32(p + 8);
	return 0;
}

const void *bk_btf_raw(const struct bk_btf *btf, size_t *size)
{
	if (!btf)
		return NULL;
	if (size)
		*size = btf->size;
	return btf->data;
}
