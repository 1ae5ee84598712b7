// SPDX-License-Identifier: MIT
/*
 * Walking a map that may change meanwhile.
 *
 * Batch path (hash and array types): the kernel copies each hash bucket
 * whole under its lock and resumes at the next bucket, so an entry that stays
 * in the map is read exactly once, whatever else is added or deleted. Array
 * keys never vanish, so their batches resume right too. Other types with
 * batch commands (LPM tries...) get the kernel's generic batch, which resumes
 * from the last key with get_next_key and so restarts from the first key when
 * that key has been deleted meanwhile: they take the path below instead.
 *
 * get_next_key path (every other type): when the current key has been
 * deleted, the kernel restarts from the first key (hash maps, LPM tries).
 * Two measures keep the walk right: the next key is fetched *before* the
 * current one is handed out, so the caller deleting the current key (the
 * usual pattern) never causes a restart; and every key handed out is kept
 * in a set, so when a restart happens anyway (someone else deleted the key
 * we stand on) the keys already seen are skipped instead of repeated.
 */
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

#define DEFAULT_BATCH 4096u
#define NOT_SUPPORTED 524 /* the kernel's internal ENOTSUPP leaks out of bpf() */

_Static_assert(sizeof(struct bk_map_iter_opts) ==
		       BK_OPTS_KNOWN(bk_map_iter_opts, bk_map_iter_opts__last_field),
	       "bk_map_iter_opts has padding");

/* Types whose batch reads resume safely while the map changes. */
static bool batch_safe(uint32_t type)
{
	static const uint32_t types[] = {
		BK_MAP_TYPE_HASH,	   BK_MAP_TYPE_PERCPU_HASH, BK_MAP_TYPE_LRU_HASH,
		BK_MAP_TYPE_LRU_PERCPU_HASH, BK_MAP_TYPE_HASH_OF_MAPS, BK_MAP_TYPE_ARRAY,
		BK_MAP_TYPE_PERCPU_ARRAY,
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i] == type)
			return true;
	return false;
}

/* Keys handed out by the get_next_key path: open addressing over an arena. */
struct seen_set {
	uint8_t *keys;	  /* n keys of key_size bytes */
	uint32_t *slots;  /* index + 1 into keys, 0 when empty */
	size_t n, cap, nslots;
	size_t key_size;
};

struct bk_map_iter {
	const struct bk_map *map;
	bool batch, keys_only, started, done;
	uint32_t room;	/* entries the batch buffers hold */
	struct bk_map_batch_cursor cur;
	uint8_t *keys, *values;
	uint32_t n, pos; /* entries in the buffers, next to hand out */
	/* get_next_key path: keys[0] current, keys[key_size] next */
	bool have_next;
	struct seen_set seen;
};

static uint64_t hash_key(const uint8_t *k, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h;
}

/* Slot of key: where it is, or the empty slot where it would go. */
static size_t seen_slot(const struct seen_set *s, const uint8_t *key)
{
	size_t i = (size_t)hash_key(key, s->key_size) & (s->nslots - 1);

	while (s->slots[i] &&
	       memcmp(s->keys + (size_t)(s->slots[i] - 1) * s->key_size, key, s->key_size) != 0)
		i = (i + 1) & (s->nslots - 1);
	return i;
}

static int seen_grow(struct seen_set *s)
{
	size_t nslots = s->nslots ? s->nslots * 2 : 256;
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	uint8_t *keys = realloc(s->keys, nslots / 2 * s->key_size);

	if (!slots || !keys) {
		free(slots);
		if (keys)
			s->keys = keys;
		return bk__err(-ENOMEM);
	}
	free(s->slots);
	s->keys = keys;
	s->slots = slots;
	s->nslots = nslots;
	s->cap = nslots / 2; /* load factor at most 1/2 */
	for (size_t k = 0; k < s->n; k++)
		s->slots[seen_slot(s, s->keys + k * s->key_size)] = (uint32_t)(k + 1);
	return 0;
}

/* 1 if key was new (now recorded), 0 if seen before, or -errno. */
static int seen_add(struct seen_set *s, const uint8_t *key)
{
	size_t i;

	if (s->n == s->cap && seen_grow(s))
		return -ENOMEM;
	i = seen_slot(s, key);
	if (s->slots[i])
		return 0;
	memcpy(s->keys + s->n * s->key_size, key, s->key_size);
	s->slots[i] = (uint32_t)(++s->n);
	return 1;
}

static int alloc_buffers(struct bk_map_iter *it, uint32_t room)
{
	const struct bk_map *map = it->map;
	uint8_t *keys = malloc((size_t)room * (map->key_size ? map->key_size : 1));
	uint8_t *values = malloc((size_t)room * (map->value_buf ? map->value_buf : 1));

	if (!keys || !values) {
		free(keys);
		free(values);
		return bk__err(-ENOMEM);
	}
	free(it->keys);
	free(it->values);
	it->keys = keys;
	it->values = values;
	it->room = room;
	return 0;
}

struct bk_map_iter *bk_map_iter_new(const struct bk_map *map, const struct bk_map_iter_opts *opts)
{
	struct bk_map_iter *it;
	uint32_t flags, room;
	int err = bk__obj_opts_check(opts, BK_OPTS_KNOWN(bk_map_iter_opts,
							  bk_map_iter_opts__last_field));

	if (err)
		return bk__err_ptr(err);
	if (!map || !map->key_size)
		return bk__err_ptr(-EINVAL); /* keyless maps have nothing to walk */
	flags = BK_OBJ_OPT(bk_map_iter_opts, opts, flags, 0);
	room = BK_OBJ_OPT(bk_map_iter_opts, opts, batch, 0);
	it = calloc(1, sizeof(*it));
	if (!it)
		return bk__err_ptr(-ENOMEM);
	it->map = map;
	it->batch = !(flags & BK_MAP_ITER_NO_BATCH) && batch_safe(map->type);
	it->keys_only = flags & BK_MAP_ITER_KEYS_ONLY;
	it->seen.key_size = map->key_size;
	/* get_next_key needs two keys and one value: room for 2 suffices. */
	err = alloc_buffers(it, it->batch ? (room ? room : DEFAULT_BATCH) : 2);
	if (err) {
		free(it);
		return bk__err_ptr(err);
	}
	return it;
}

void bk_map_iter_free(struct bk_map_iter *it)
{
	if (!it)
		return;
	free(it->keys);
	free(it->values);
	free(it->seen.keys);
	free(it->seen.slots);
	free(it);
}

/* Refill the batch buffers; 0 with it->n entries, or -errno. */
static int batch_fill(struct bk_map_iter *it)
{
	for (;;) {
		uint32_t n = it->room;
		int err = bk_map_lookup_batch(it->map, &it->cur, it->keys, it->values, &n, NULL);

		if (err == -ENOSPC && it->room < UINT32_MAX / 2) {
			/* One bucket larger than the buffers: grow them. */
			err = alloc_buffers(it, it->room * 2);
			if (err)
				return err;
			continue;
		}
		if (err)
			return err;
		it->n = n;
		it->pos = 0;
		return 0;
	}
}

static int batch_next(struct bk_map_iter *it, const void **key, const void **value)
{
	const struct bk_map *map = it->map;

	while (it->pos == it->n) {
		int err;

		if (it->cur.done)
			return 0;
		err = batch_fill(it);
		if (err && !it->started &&
		    (err == -NOT_SUPPORTED || err == -EOPNOTSUPP || err == -EINVAL)) {
			/* This map type has no batch reads: walk by keys. */
			it->batch = false;
			return -EAGAIN;
		}
		it->started = true;
		if (err)
			return err;
	}
	*key = it->keys + (size_t)it->pos * map->key_size;
	*value = it->keys_only ? NULL : it->values + (size_t)it->pos * map->value_buf;
	it->pos++;
	return 1;
}

static int keys_next(struct bk_map_iter *it, const void **key, const void **value)
{
	const struct bk_map *map = it->map;
	uint8_t *cur = it->keys, *next = it->keys + map->key_size;

	for (;;) {
		int err;

		if (!it->started) {
			it->started = true;
			err = bk_sys_map_get_next_key(map->fd, NULL, next);
			it->have_next = err == 0;
			if (err && err != -ENOENT)
				return err;
		}
		if (!it->have_next)
			return 0;
		memcpy(cur, next, map->key_size);
		/* Fetch the successor now, while cur surely exists. */
		err = bk_sys_map_get_next_key(map->fd, cur, next);
		it->have_next = err == 0;
		if (err && err != -ENOENT)
			return err;
		err = seen_add(&it->seen, cur);
		if (err < 0)
			return err;
		if (!err)
			continue; /* a restart led back to a key already handed out */
		if (!it->keys_only) {
			err = bk_sys_map_lookup_elem(map->fd, cur, it->values, 0);
			if (err == -ENOENT)
				continue; /* deleted since we found it */
			if (err)
				return err;
		}
		*key = cur;
		*value = it->keys_only ? NULL : it->values;
		return 1;
	}
}

int bk_map_iter_next(struct bk_map_iter *it, const void **key, const void **value)
{
	const void *k_dummy, *v_dummy;
	int ret;

	if (!it)
		return bk__err(-EINVAL);
	if (it->done)
		return 0;
	if (!key)
		key = &k_dummy;
	if (!value)
		value = &v_dummy;
	if (it->batch) {
		ret = batch_next(it, key, value);
		if (ret != -EAGAIN)
			goto out;
		it->started = false;
	}
	ret = keys_next(it, key, value);
out:
	if (ret == 0)
		it->done = true;
	return ret < 0 ? bk__err(ret) : ret;
}
