// SPDX-License-Identifier: MIT
/*
 * CO-RE candidates: every target type whose essential name (flavor suffix
 * stripped) equals the local type's and whose kind is compatible, in the
 * main target first and in module targets only when the main one has none
 * (libbpf's order, ascending ids). vmlinux has ~150k types, so each target
 * gets a hash index by essential name, built once on first use, instead of a
 * scan per local type; the per-local-type lists are cached and narrowed by
 * the relocations that use them, as libbpf's candidate cache is.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "core_int.h"

struct ent {
	uint32_t id, hash, next; /* next: entry index + 1, 0 ends the chain */
};

struct tindex {
	bool built;
	uint32_t mask; /* buckets - 1 */
	uint32_t *head; /* entry index + 1 */
	struct ent *ents;
};

struct cache_ent {
	const struct bk_btf *local;
	uint32_t local_id;
	struct bk__core_cand_list list;
};

struct bk__core_cands {
	struct bk__core_target *targets;
	struct tindex *idx;
	size_t n;
	struct cache_ent *cache;
	size_t ncache, capcache;
};

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

struct bk__core_cands *bk__core_cands_new(const struct bk__core_target *targets, size_t n)
{
	struct bk__core_cands *c;

	if (!targets || n == 0)
		return bk__err_ptr(-EINVAL);
	for (size_t i = 0; i < n; i++)
		if (!targets[i].btf)
			return bk__err_ptr(-EINVAL);
	c = calloc(1, sizeof(*c));
	if (!c)
		return bk__err_ptr(-ENOMEM);
	c->targets = calloc(n, sizeof(*c->targets));
	c->idx = calloc(n, sizeof(*c->idx));
	if (!c->targets || !c->idx) {
		bk__core_cands_free(c);
		return bk__err_ptr(-ENOMEM);
	}
	memcpy(c->targets, targets, n * sizeof(*targets));
	c->n = n;
	return c;
}

void bk__core_cands_free(struct bk__core_cands *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->idx && i < c->n; i++) {
		free(c->idx[i].head);
		free(c->idx[i].ents);
	}
	for (size_t i = 0; i < c->ncache; i++)
		free(c->cache[i].list.c);
	free(c->cache);
	free(c->idx);
	free(c->targets);
	free(c);
}

/* First id of a target's own types: module BTF is split BTF whose ids
 * continue the main target's, so its search starts past them (as libbpf's). */
static uint32_t first_id(const struct bk__core_cands *c, size_t t)
{
	uint32_t base = bk_btf_type_count(c->targets[0].btf);

	if (t > 0 && bk_btf_type_count(c->targets[t].btf) > base)
		return base + 1;
	return 1;
}

/* Kinds no C expression has, so no clang relocation starts from them; about
 * half of vmlinux (functions). The index leaves them out; a hand-made
 * record naming one still gets libbpf's answer, from a linear scan. */
static bool unindexed(enum bk_btf_kind k)
{
	return k == BK_BTF_KIND_FUNC || k == BK_BTF_KIND_VAR || k == BK_BTF_KIND_DATASEC ||
	       k == BK_BTF_KIND_DECL_TAG;
}

static int index_build(struct bk__core_cands *c, size_t t)
{
	const struct bk_btf *btf = c->targets[t].btf;
	struct tindex *x = &c->idx[t];
	uint32_t last = bk_btf_type_count(btf), first = first_id(c, t), nb = 16;
	uint32_t nents = 0;

	while (nb < last - first + 1 && nb < (1u << 30))
		nb <<= 1;
	x->head = calloc(nb, sizeof(*x->head));
	x->ents = calloc((size_t)last - first + 1, sizeof(*x->ents));
	if (!x->head || !x->ents) {
		free(x->head);
		free(x->ents);
		x->head = NULL;
		x->ents = NULL;
		return -ENOMEM;
	}
	x->mask = nb - 1;
	/* Descending ids pushed at the head leave every chain ascending. */
	for (uint32_t id = last; id >= first && id > 0; id--) {
		struct bk_btf_type ty;
		struct ent *e;
		uint32_t h;

		if (bk_btf_type_by_id(btf, id, &ty) < 0 || !ty.name[0] || unindexed(ty.kind))
			continue;
		h = name_hash(ty.name, bk__core_essent_len(ty.name));
		e = &x->ents[nents++];
		e->id = id;
		e->hash = h;
		e->next = x->head[h & x->mask];
		x->head[h & x->mask] = nents;
	}
	x->built = true;
	return 0;
}

static int list_push(struct bk__core_cand_list *l, size_t *cap, const struct bk_btf *btf,
		     uint32_t id)
{
	if (l->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct bk__core_cand *p = realloc(l->c, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->c = p;
		*cap = ncap;
	}
	l->c[l->n].btf = btf;
	l->c[l->n].id = id;
	l->n++;
	return 0;
}

/* Candidate test: a compatible kind and the same essential name. */
static bool is_cand(const struct bk_btf_type *ty, enum bk_btf_kind lkind, const char *lname)
{
	return bk__core_kind_compat(ty->kind, lkind) && ty->name[0] &&
	       bk__core_essent_eq(ty->name, lname);
}

/* The unindexed kinds: every type of the target, in id order. */
static int add_cands_scan(struct bk__core_cands *c, size_t t, enum bk_btf_kind lkind,
			  const char *lname, struct bk__core_cand_list *l, size_t *cap)
{
	const struct bk_btf *btf = c->targets[t].btf;
	uint32_t last = bk_btf_type_count(btf);
	int err;

	for (uint32_t id = first_id(c, t); id <= last && id > 0; id++) {
		struct bk_btf_type ty;

		if (bk_btf_type_by_id(btf, id, &ty) == 0 && is_cand(&ty, lkind, lname) &&
		    (err = list_push(l, cap, btf, id)) < 0)
			return err;
	}
	return 0;
}

/* Append target t's candidates for a local type of kind lkind named lname. */
static int add_cands(struct bk__core_cands *c, size_t t, enum bk_btf_kind lkind,
		     const char *lname, struct bk__core_cand_list *l, size_t *cap)
{
	const struct bk_btf *btf = c->targets[t].btf;
	size_t len = bk__core_essent_len(lname);
	uint32_t h = name_hash(lname, len);
	struct tindex *x = &c->idx[t];
	int err;

	if (unindexed(lkind))
		return add_cands_scan(c, t, lkind, lname, l, cap);
	if (!x->built && (err = index_build(c, t)) < 0)
		return err;
	for (uint32_t i = x->head[h & x->mask]; i; i = x->ents[i - 1].next) {
		const struct ent *e = &x->ents[i - 1];
		struct bk_btf_type ty;

		if (e->hash != h || bk_btf_type_by_id(btf, e->id, &ty) < 0 ||
		    !is_cand(&ty, lkind, lname))
			continue;
		if ((err = list_push(l, cap, btf, e->id)) < 0)
			return err;
	}
	return 0;
}

static int cache_add(struct bk__core_cands *c, const struct bk_btf *local, uint32_t id,
		     struct cache_ent **out)
{
	if (c->ncache == c->capcache) {
		size_t ncap = c->capcache ? c->capcache * 2 : 16;
		struct cache_ent *p = realloc(c->cache, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->cache = p;
		c->capcache = ncap;
	}
	*out = &c->cache[c->ncache++];
	memset(*out, 0, sizeof(**out));
	(*out)->local = local;
	(*out)->local_id = id;
	return 0;
}

int bk__core_cands_get(struct bk__core_cands *c, const struct bk_btf *local, uint32_t local_id,
		       struct bk__core_cand_list **out)
{
	struct bk_btf_type lt;
	struct cache_ent *ce;
	size_t cap = 0;
	int err = 0;

	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i].local == local && c->cache[i].local_id == local_id) {
			*out = &c->cache[i].list;
			return 0;
		}
	if (bk_btf_type_by_id(local, local_id, &lt) < 0 || !lt.name[0])
		return -EINVAL;
	if ((err = cache_add(c, local, local_id, &ce)) < 0)
		return err;
	err = add_cands(c, 0, lt.kind, lt.name, &ce->list, &cap);
	if (!err && ce->list.n == 0)
		for (size_t t = 1; !err && t < c->n; t++)
			err = add_cands(c, t, lt.kind, lt.name, &ce->list, &cap);
	if (err) { /* forget the partial list: the next call starts over */
		free(ce->list.c);
		c->ncache--;
		return err;
	}
	*out = &ce->list;
	return 0;
}
