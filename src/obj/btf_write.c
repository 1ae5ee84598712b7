// SPDX-License-Identifier: MIT
/*
 * BTF writer: types kept as their raw records (12-byte common part plus the
 * kind's data), one growable word array for all of them, and a per-id
 * (offset, length) index, so encoding is a concatenation. Members and the
 * like append to the type added last; a record that is no longer at the end
 * of the word array (redefined, or patched after other adds) is first moved
 * there, the old words left as garbage (cheap, and encoding skips them).
 *
 * Strings: one section, deduplicated through an open-addressing hash of
 * offsets. A builder made from a parsed BTF keeps that section byte for byte
 * so offsets other data hold stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "../common/common_int.h"
#include "btf_int.h"

#define MAX_VLEN 0xffffu

struct trec {
	size_t off; /* in words */
	uint32_t len;
};

struct bk_btf_builder {
	uint32_t *w; /* records of every type, back to back (plus garbage) */
	size_t nw, capw;
	struct trec *t; /* t[i]: own type start_id + i */
	uint32_t nt, capt;
	char *s; /* own string section */
	uint32_t slen, scap;
	uint32_t *hash; /* own string offset + 1, 0 = empty slot */
	uint32_t hcap, hn;
	uint32_t hashed; /* s[0, hashed) is in the hash; a copied section waits for a lookup */
	const char *src; /* the strings of the BTF this builder copies, or NULL */
	uint32_t src_len;
	const struct bk_btf *base;
	uint32_t start_id, start_str;
	uint32_t cur;	/* the type members and the like go to, 0: none */
	uint32_t redef; /* the id the next add defines, 0: append */
};

/* ---- growth ------------------------------------------------------------- */

static int grow(void **p, size_t elem, size_t need, size_t *cap)
{
	size_t n = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	np = realloc(*p, n * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = n;
	return 0;
}

static int grow32(void **p, size_t elem, uint32_t need, uint32_t *cap)
{
	size_t c = *cap;
	int err;

	if (need > UINT32_MAX / 2)
		return -E2BIG;
	err = grow(p, elem, need, &c);
	*cap = (uint32_t)c;
	return err;
}

/* ---- strings ------------------------------------------------------------ */

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int hash_put(struct bk_btf_builder *b, uint32_t off);

static int hash_resize(struct bk_btf_builder *b, uint32_t cap)
{
	uint32_t *old = b->hash, oldcap = b->hcap;

	b->hash = calloc(cap, sizeof(*b->hash));
	if (!b->hash) {
		b->hash = old;
		return -ENOMEM;
	}
	b->hcap = cap;
	b->hn = 0;
	for (uint32_t i = 0; i < oldcap; i++)
		if (old[i])
			hash_put(b, old[i] - 1);
	free(old);
	return 0;
}

/* Slot of string s: where it is, or the empty slot where it would go. */
static uint32_t *hash_slot(const struct bk_btf_builder *b, const char *s)
{
	uint32_t i = str_hash(s) & (b->hcap - 1);

	while (b->hash[i] && strcmp(b->s + b->hash[i] - 1, s) != 0)
		i = (i + 1) & (b->hcap - 1);
	return &b->hash[i];
}

static int hash_put(struct bk_btf_builder *b, uint32_t off)
{
	uint32_t *slot;

	if ((b->hn + 1) * 4 >= b->hcap * 3) {
		int err = hash_resize(b, b->hcap ? b->hcap * 2 : 1024);

		if (err)
			return err;
	}
	slot = hash_slot(b, b->s + off);
	if (!*slot) { /* the first of equal strings keeps the index */
		*slot = off + 1;
		b->hn++;
	}
	return 0;
}

/* Index the strings not yet in the hash. */
static int hash_pending(struct bk_btf_builder *b)
{
	while (b->hashed < b->slen) {
		int err = hash_put(b, b->hashed);

		if (err)
			return err;
		b->hashed += (uint32_t)strlen(b->s + b->hashed) + 1;
	}
	return 0;
}

/*
 * A string of the copied BTF's own section keeps its offset: fixing up an
 * object's BTF re-adds names it already has, and so never needs the hash.
 * The copy is compared, not just the address, so a source freed since
 * cannot mislead.
 */
static bool src_offset(const struct bk_btf_builder *b, const char *s, uint32_t *off)
{
	uintptr_t p = (uintptr_t)s, lo = (uintptr_t)b->src;

	if (!b->src || p < lo || p >= lo + b->src_len)
		return false;
	*off = (uint32_t)(p - lo);
	return strcmp(b->s + *off, s) == 0;
}

int bk_btf_builder_str(struct bk_btf_builder *b, const char *s)
{
	size_t n;
	uint32_t off, *slot;
	int err;

	if (!b || !s)
		return bk__err(-EINVAL);
	if (!s[0] && (b->base || (b->slen && b->s[0] == '\0')))
		return 0; /* "" is offset 0, the base's for split BTF */
	if (src_offset(b, s, &off))
		return (int)(b->start_str + off);
	err = hash_pending(b);
	if (err)
		return bk__err(err);
	if (b->hcap) {
		slot = hash_slot(b, s);
		if (*slot)
			return (int)(b->start_str + *slot - 1);
	}
	n = strlen(s) + 1;
	if (n > INT32_MAX - (size_t)b->start_str - b->slen)
		return bk__err(-E2BIG);
	err = grow32((void **)&b->s, 1, b->slen + (uint32_t)n, &b->scap);
	if (err)
		return bk__err(err);
	off = b->slen;
	memcpy(b->s + off, s, n);
	b->slen += (uint32_t)n;
	err = hash_put(b, off);
	if (err)
		return bk__err(err);
	b->hashed = b->slen;
	return (int)(b->start_str + off);
}

/* Offset of an optional name: NULL and "" are anonymous. */
static int name_off(struct bk_btf_builder *b, const char *name)
{
	return bk_btf_builder_str(b, name ? name : "");
}

/* ---- construction ------------------------------------------------------- */

static struct bk_btf_builder *builder_alloc(const struct bk_btf *base)
{
	struct bk_btf_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return bk__err_ptr(-ENOMEM);
	b->base = base;
	b->start_id = base ? base->nr_types + 1 : 1;
	b->start_str = base ? base->start_str + base->strs_len : 0;
	return b;
}

struct bk_btf_builder *bk_btf_builder_new(void)
{
	struct bk_btf_builder *b = builder_alloc(NULL);

	if (b && bk_btf_builder_str(b, "") < 0) { /* the leading empty string */
		bk_btf_builder_free(b);
		return bk__err_ptr(-ENOMEM);
	}
	return b;
}

struct bk_btf_builder *bk_btf_builder_new_split(const struct bk_btf *base)
{
	if (!base)
		return bk__err_ptr(-EINVAL);
	return builder_alloc(base);
}

/* Copy btf's own string section as it is; it is indexed at the first
 * lookup of a string it does not hold by address (hash_pending). */
static int copy_strings(struct bk_btf_builder *b, const struct bk_btf *btf)
{
	int err = grow32((void **)&b->s, 1, btf->strs_len ? btf->strs_len : 1, &b->scap);

	if (err)
		return err;
	memcpy(b->s, btf->strs, btf->strs_len);
	b->slen = btf->strs_len;
	b->src = (const char *)btf->strs;
	b->src_len = btf->strs_len;
	return 0;
}

static int copy_types(struct bk_btf_builder *b, const struct bk_btf *btf)
{
	size_t words = btf->types_len / 4;
	int err = grow((void **)&b->w, 4, words ? words : 1, &b->capw);

	if (!err)
		err = grow32((void **)&b->t, sizeof(*b->t), btf->nr_own ? btf->nr_own : 1, &b->capt);
	if (err)
		return err;
	memcpy(b->w, btf->types, btf->types_len);
	b->nw = words;
	for (uint32_t i = 1; i <= btf->nr_own; i++) {
		const uint8_t *r = btf->types + btf->offs[i];
		uint32_t len = BK__BTF_TYPE_SZ + bk__btf_extra(bk__btf_kind(r), bk__btf_vlen(r));

		b->t[i - 1] = (struct trec){ btf->offs[i] / 4, len / 4 };
	}
	b->nt = btf->nr_own;
	return 0;
}

struct bk_btf_builder *bk_btf_builder_from(const struct bk_btf *btf)
{
	struct bk_btf_builder *b;
	int err;

	if (!btf)
		return bk__err_ptr(-EINVAL);
	b = builder_alloc(btf->base);
	if (!b)
		return NULL;
	err = copy_strings(b, btf);
	if (!err)
		err = copy_types(b, btf);
	if (err) {
		bk_btf_builder_free(b);
		return bk__err_ptr(err);
	}
	return b;
}

void bk_btf_builder_free(struct bk_btf_builder *b)
{
	if (!b)
		return;
	free(b->w);
	free(b->t);
	free(b->s);
	free(b->hash);
	free(b);
}

uint32_t bk_btf_builder_count(const struct bk_btf_builder *b)
{
	return b ? b->start_id - 1 + b->nt : 0;
}

/* ---- records ------------------------------------------------------------ */

static struct trec *trec_of(const struct bk_btf_builder *b, uint32_t id)
{
	if (!b || id < b->start_id || id - b->start_id >= b->nt)
		return NULL;
	return &b->t[id - b->start_id];
}

static uint32_t *rec(const struct bk_btf_builder *b, uint32_t id)
{
	return b->w + trec_of(b, id)->off;
}

/* Start a record of 3 + extra words for the next type (or the redefined one). */
static int new_rec(struct bk_btf_builder *b, uint32_t kind, int name, bool kflag,
		   uint32_t size_or_type, uint32_t extra)
{
	uint32_t id;
	struct trec *tr;
	int err;

	if (name < 0)
		return name;
	err = grow((void **)&b->w, 4, b->nw + 3 + extra, &b->capw);
	if (err)
		return bk__err(err);
	if (b->redef) {
		id = b->redef;
		b->redef = 0;
	} else {
		if (b->start_id + (uint64_t)b->nt >= INT32_MAX)
			return bk__err(-E2BIG);
		err = grow32((void **)&b->t, sizeof(*b->t), b->nt + 1, &b->capt);
		if (err)
			return bk__err(err);
		id = b->start_id + b->nt++;
	}
	tr = trec_of(b, id);
	*tr = (struct trec){ b->nw, 3 + extra };
	b->w[b->nw] = (uint32_t)name;
	b->w[b->nw + 1] = (kflag ? 1u << 31 : 0) | kind << 24;
	b->w[b->nw + 2] = size_or_type;
	memset(b->w + b->nw + 3, 0, extra * 4);
	b->nw += 3 + extra;
	b->cur = id;
	return (int)id;
}

static bool named(const char *name)
{
	return name && name[0];
}

static bool pow2_upto(uint32_t v, uint32_t max)
{
	return v && v <= max && !(v & (v - 1));
}

int bk_btf_add_int(struct bk_btf_builder *b, const char *name, uint32_t size, uint32_t encoding)
{
	int id;

	if (!b || !named(name) || !pow2_upto(size, 16) || encoding > 7 ||
	    __builtin_popcount(encoding) > 1)
		return bk__err(-EINVAL);
	id = new_rec(b, BK_BTF_KIND_INT, name_off(b, name), false, size, 1);
	if (id > 0)
		rec(b, (uint32_t)id)[3] = encoding << 24 | size * 8;
	return id;
}

int bk_btf_add_float(struct bk_btf_builder *b, const char *name, uint32_t size)
{
	if (!b || !named(name) || (size != 2 && size != 4 && size != 8 && size != 12 && size != 16))
		return bk__err(-EINVAL);
	return new_rec(b, BK_BTF_KIND_FLOAT, name_off(b, name), false, size, 0);
}

static int add_ref(struct bk_btf_builder *b, uint32_t kind, const char *name, uint32_t type)
{
	if (!b)
		return bk__err(-EINVAL);
	return new_rec(b, kind, name_off(b, name), false, type, 0);
}

int bk_btf_add_ptr(struct bk_btf_builder *b, uint32_t type)
{
	return add_ref(b, BK_BTF_KIND_PTR, NULL, type);
}

int bk_btf_add_modifier(struct bk_btf_builder *b, int kind, uint32_t type)
{
	if (kind != BK_BTF_KIND_CONST && kind != BK_BTF_KIND_VOLATILE && kind != BK_BTF_KIND_RESTRICT)
		return bk__err(-EINVAL);
	return add_ref(b, (uint32_t)kind, NULL, type);
}

int bk_btf_add_typedef(struct bk_btf_builder *b, const char *name, uint32_t type)
{
	return named(name) ? add_ref(b, BK_BTF_KIND_TYPEDEF, name, type) : bk__err(-EINVAL);
}

int bk_btf_add_type_tag(struct bk_btf_builder *b, const char *value, uint32_t type)
{
	return named(value) ? add_ref(b, BK_BTF_KIND_TYPE_TAG, value, type) : bk__err(-EINVAL);
}

int bk_btf_add_array(struct bk_btf_builder *b, uint32_t elem, uint32_t index_type, uint32_t nelems)
{
	int id;

	if (!b)
		return bk__err(-EINVAL);
	id = new_rec(b, BK_BTF_KIND_ARRAY, 0, false, 0, 3);
	if (id > 0) {
		uint32_t *r = rec(b, (uint32_t)id);

		r[3] = elem;
		r[4] = index_type;
		r[5] = nelems;
	}
	return id;
}

int bk_btf_add_struct(struct bk_btf_builder *b, const char *name, uint32_t size)
{
	return b ? new_rec(b, BK_BTF_KIND_STRUCT, name_off(b, name), false, size, 0)
		 : bk__err(-EINVAL);
}

int bk_btf_add_union(struct bk_btf_builder *b, const char *name, uint32_t size)
{
	return b ? new_rec(b, BK_BTF_KIND_UNION, name_off(b, name), false, size, 0)
		 : bk__err(-EINVAL);
}

/* Append n zeroed words to the current type when it has one of the kinds
 * (a mask), bumping its vlen. Returns where they are, or NULL with errno set. */
static uint32_t *add_vlen(struct bk_btf_builder *b, uint32_t kinds, uint32_t n)
{
	struct trec *tr = trec_of(b, b ? b->cur : 0);
	uint32_t *r;
	int err;

	if (!tr || !(kinds & 1u << bk__btf_kind((const uint8_t *)(b->w + tr->off))))
		return bk__err_ptr(-EINVAL);
	if ((b->w[tr->off + 1] & MAX_VLEN) == MAX_VLEN)
		return bk__err_ptr(-E2BIG);
	err = grow((void **)&b->w, 4, b->nw + tr->len + n, &b->capw);
	if (err)
		return bk__err_ptr(err);
	if (tr->off + tr->len != b->nw) { /* move it to the end, where it can grow */
		memmove(b->w + b->nw, b->w + tr->off, tr->len * 4);
		tr->off = b->nw;
		b->nw += tr->len;
	}
	r = b->w + tr->off;
	r[1]++;
	r += tr->len;
	memset(r, 0, n * 4);
	tr->len += n;
	b->nw += n;
	return r;
}

#define K(kind) (1u << BK_BTF_KIND_##kind)

int bk_btf_add_member(struct bk_btf_builder *b, const char *name, uint32_t type,
		      uint32_t bit_offset, uint32_t bitfield_size)
{
	int off = name_off(b, name);
	uint32_t *m, *r;

	if (off < 0)
		return off;
	if (bitfield_size > 255 || (bitfield_size && bit_offset > 0xffffff))
		return bk__err(-EINVAL);
	m = add_vlen(b, K(STRUCT) | K(UNION), 3);
	if (!m)
		return -errno;
	r = rec(b, b->cur);
	if (bitfield_size && !(r[1] >> 31)) {
		/* Switch the type to kind_flag offsets; earlier members had no
		 * bitfield size, so their words stay as they are unless too large. */
		for (uint32_t *p = r + 5; p < m; p += 3)
			if (*p > 0xffffff)
				return bk__err(-EINVAL);
		r[1] |= 1u << 31;
	}
	if ((r[1] >> 31) && bit_offset > 0xffffff)
		return bk__err(-EINVAL);
	m[0] = (uint32_t)off;
	m[1] = type;
	m[2] = (r[1] >> 31) ? bitfield_size << 24 | bit_offset : bit_offset;
	return 0;
}

static int add_enum_kind(struct bk_btf_builder *b, uint32_t kind, const char *name, uint32_t size,
			 bool is_signed)
{
	if (!b || !pow2_upto(size, 8))
		return bk__err(-EINVAL);
	return new_rec(b, kind, name_off(b, name), is_signed, size, 0);
}

int bk_btf_add_enum(struct bk_btf_builder *b, const char *name, uint32_t size, bool is_signed)
{
	return add_enum_kind(b, BK_BTF_KIND_ENUM, name, size, is_signed);
}

int bk_btf_add_enum64(struct bk_btf_builder *b, const char *name, uint32_t size, bool is_signed)
{
	return add_enum_kind(b, BK_BTF_KIND_ENUM64, name, size, is_signed);
}

int bk_btf_add_enumerator(struct bk_btf_builder *b, const char *name, int64_t value)
{
	struct trec *tr = trec_of(b, b ? b->cur : 0);
	uint32_t *e, kind, n;
	bool sgn;
	int off;

	if (!tr || !named(name))
		return bk__err(-EINVAL);
	kind = bk__btf_kind((const uint8_t *)(b->w + tr->off));
	sgn = b->w[tr->off + 1] >> 31;
	if (kind == BK_BTF_KIND_ENUM &&
	    (sgn ? value < INT32_MIN || value > INT32_MAX : value < 0 || value > UINT32_MAX))
		return bk__err(-EINVAL);
	n = kind == BK_BTF_KIND_ENUM64 ? 3 : 2;
	off = name_off(b, name);
	if (off < 0)
		return off;
	e = add_vlen(b, K(ENUM) | K(ENUM64), n);
	if (!e)
		return -errno;
	e[0] = (uint32_t)off;
	e[1] = (uint32_t)(uint64_t)value;
	if (n == 3)
		e[2] = (uint32_t)((uint64_t)value >> 32);
	return 0;
}

int bk_btf_add_fwd(struct bk_btf_builder *b, const char *name, bool is_union)
{
	if (!b || !named(name))
		return bk__err(-EINVAL);
	return new_rec(b, BK_BTF_KIND_FWD, name_off(b, name), is_union, 0, 0);
}

int bk_btf_add_func_proto(struct bk_btf_builder *b, uint32_t ret)
{
	return add_ref(b, BK_BTF_KIND_FUNC_PROTO, NULL, ret);
}

int bk_btf_add_param(struct bk_btf_builder *b, const char *name, uint32_t type)
{
	int off = name_off(b, name);
	uint32_t *p;

	if (off < 0)
		return off;
	p = add_vlen(b, K(FUNC_PROTO), 2);
	if (!p)
		return -errno;
	p[0] = (uint32_t)off;
	p[1] = type;
	return 0;
}

int bk_btf_add_func(struct bk_btf_builder *b, const char *name, uint32_t linkage, uint32_t proto)
{
	int id;

	if (!named(name) || linkage > BK_BTF_FUNC_EXTERN)
		return bk__err(-EINVAL);
	id = add_ref(b, BK_BTF_KIND_FUNC, name, proto);
	if (id > 0)
		rec(b, (uint32_t)id)[1] |= linkage; /* FUNC keeps its linkage in vlen */
	return id;
}

int bk_btf_add_var(struct bk_btf_builder *b, const char *name, uint32_t type, uint32_t linkage)
{
	int id;

	if (!b || !named(name) || linkage > BK_BTF_VAR_GLOBAL_EXTERN)
		return bk__err(-EINVAL);
	id = new_rec(b, BK_BTF_KIND_VAR, name_off(b, name), false, type, 1);
	if (id > 0)
		rec(b, (uint32_t)id)[3] = linkage;
	return id;
}

int bk_btf_add_datasec(struct bk_btf_builder *b, const char *name, uint32_t size)
{
	if (!b || !named(name))
		return bk__err(-EINVAL);
	return new_rec(b, BK_BTF_KIND_DATASEC, name_off(b, name), false, size, 0);
}

int bk_btf_add_datasec_var(struct bk_btf_builder *b, uint32_t type, uint32_t offset, uint32_t size)
{
	uint32_t *v = add_vlen(b, K(DATASEC), 3);

	if (!v)
		return -errno;
	v[0] = type;
	v[1] = offset;
	v[2] = size;
	return 0;
}

int bk_btf_add_decl_tag(struct bk_btf_builder *b, const char *value, uint32_t type,
			int32_t component_idx)
{
	int id;

	if (!b || !named(value) || component_idx < -1)
		return bk__err(-EINVAL);
	id = new_rec(b, BK_BTF_KIND_DECL_TAG, name_off(b, value), false, type, 1);
	if (id > 0)
		rec(b, (uint32_t)id)[3] = (uint32_t)component_idx;
	return id;
}

/* ---- changing types ----------------------------------------------------- */

int bk_btf_builder_redefine(struct bk_btf_builder *b, uint32_t id)
{
	if (!trec_of(b, id))
		return bk__err(-ENOENT);
	b->redef = id;
	return 0;
}

int bk_btf_builder_set_name(struct bk_btf_builder *b, uint32_t id, const char *name)
{
	int off;

	if (!trec_of(b, id))
		return bk__err(-ENOENT);
	off = name_off(b, name);
	if (off < 0)
		return off;
	rec(b, id)[0] = (uint32_t)off;
	return 0;
}

int bk_btf_builder_set_size_or_type(struct bk_btf_builder *b, uint32_t id, uint32_t value)
{
	uint32_t kind;

	if (!trec_of(b, id))
		return bk__err(-ENOENT);
	kind = bk__btf_kind((const uint8_t *)rec(b, id));
	if (kind == BK_BTF_KIND_ARRAY || kind == BK_BTF_KIND_FWD)
		return bk__err(-EINVAL);
	rec(b, id)[2] = value;
	return 0;
}

int bk_btf_builder_set_linkage(struct bk_btf_builder *b, uint32_t id, uint32_t linkage)
{
	uint32_t *r, kind;

	if (!trec_of(b, id))
		return bk__err(-ENOENT);
	r = rec(b, id);
	kind = bk__btf_kind((const uint8_t *)r);
	if (kind == BK_BTF_KIND_FUNC && linkage <= BK_BTF_FUNC_EXTERN)
		r[1] = (r[1] & ~MAX_VLEN) | linkage;
	else if (kind == BK_BTF_KIND_VAR && linkage <= BK_BTF_VAR_GLOBAL_EXTERN)
		r[3] = linkage;
	else
		return bk__err(-EINVAL);
	return 0;
}

int bk_btf_builder_set_datasec_var(struct bk_btf_builder *b, uint32_t id, uint32_t idx,
				   uint32_t offset, uint32_t size)
{
	uint32_t *r;

	if (!trec_of(b, id))
		return bk__err(-ENOENT);
	r = rec(b, id);
	if (bk__btf_kind((const uint8_t *)r) != BK_BTF_KIND_DATASEC || idx >= (r[1] & MAX_VLEN))
		return bk__err(-EINVAL);
	r[3 + idx * 3 + 1] = offset;
	r[3 + idx * 3 + 2] = size;
	return 0;
}

/* ---- encoding ----------------------------------------------------------- */

/* The first referenced id of type id beyond max, 0 when all are in range. */
static uint32_t bad_ref(const struct bk_btf_builder *b, uint32_t id, uint32_t max)
{
	const uint32_t *r = rec(b, id);
	uint32_t kind = bk__btf_kind((const uint8_t *)r), vlen = r[1] & MAX_VLEN;

	switch (kind) {
	case BK_BTF_KIND_PTR: case BK_BTF_KIND_TYPEDEF: case BK_BTF_KIND_VOLATILE:
	case BK_BTF_KIND_CONST: case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_FUNC:
	case BK_BTF_KIND_VAR: case BK_BTF_KIND_DECL_TAG: case BK_BTF_KIND_TYPE_TAG:
	case BK_BTF_KIND_FUNC_PROTO:
		if (r[2] > max)
			return r[2];
		break;
	case BK_BTF_KIND_ARRAY:
		return r[3] > max ? r[3] : r[4] > max ? r[4] : 0;
	default:
		break;
	}
	for (uint32_t i = 0; i < vlen; i++) {
		uint32_t t = kind == BK_BTF_KIND_STRUCT || kind == BK_BTF_KIND_UNION ? r[3 + i * 3 + 1]
			     : kind == BK_BTF_KIND_FUNC_PROTO			       ? r[3 + i * 2 + 1]
			     : kind == BK_BTF_KIND_DATASEC			       ? r[3 + i * 3]
										       : 0;

		if (t > max)
			return t;
	}
	return 0;
}

void *bk_btf_builder_encode(const struct bk_btf_builder *b, size_t *size, struct bk_diag *diag)
{
	uint32_t max = bk_btf_builder_count(b), tlen = 0, hdr[6];
	uint8_t *out, *p;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!b || !size)
		return bk__err_ptr(bk__diag(diag, -EINVAL, "NULL builder or size"));
	for (uint32_t i = 0; i < b->nt; i++) {
		uint32_t id = b->start_id + i, ref = bad_ref(b, id, max);

		if (ref)
			return bk__err_ptr(bk__diag(diag, -EINVAL,
						    "BTF type %u refers to type %u, beyond the last (%u)",
						    id, ref, max));
		if (tlen > UINT32_MAX / 2)
			return bk__err_ptr(bk__diag(diag, -E2BIG, "BTF too large"));
		tlen += b->t[i].len * 4;
	}
	out = malloc((size_t)BK__BTF_HDR + tlen + b->slen);
	if (!out)
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	hdr[0] = BK__BTF_MAGIC | 1u << 16; /* magic, version 1, flags 0 */
	hdr[1] = BK__BTF_HDR;
	hdr[2] = 0;
	hdr[3] = tlen;
	hdr[4] = tlen;
	hdr[5] = b->slen;
	memcpy(out, hdr, sizeof(hdr));
	p = out + BK__BTF_HDR;
	for (uint32_t i = 0; i < b->nt; i++) {
		memcpy(p, b->w + b->t[i].off, b->t[i].len * 4);
		p += b->t[i].len * 4;
	}
	if (b->slen)
		memcpy(p, b->s, b->slen);
	*size = BK__BTF_HDR + (size_t)tlen + b->slen;
	return out;
}

struct bk_btf *bk_btf_builder_parse(const struct bk_btf_builder *b, struct bk_diag *diag)
{
	size_t size;
	void *raw = bk_btf_builder_encode(b, &size, diag);
	struct bk_btf *btf;
	int err;

	if (!raw)
		return NULL;
	btf = bk_btf_parse_split(raw, size, b->base, diag);
	err = errno;
	free(raw);
	errno = err;
	return btf;
}

bool bk__btf_builder_split(const struct bk_btf_builder *b)
{
	return b && b->base;
}
