// SPDX-License-Identifier: MIT
/*
 * Batch commands (Linux 5.6) with chunking and the kernel's resume protocol.
 *
 * A batch read passes in_batch = NULL first, then the out_batch token the
 * previous call returned: a bucket index for hash maps, the next key for
 * arrays. The kernel returns -ENOENT once it has walked the whole map, with
 * count still telling how many entries that last call copied; and -ENOSPC
 * (count 0) when the next hash bucket holds more entries than the room
 * given, since a bucket is copied whole or not at all. Reading a bucket
 * whole, under its lock, is also what makes a batch walk see every entry
 * that stays in the map exactly once while the map changes.
 */
#include <string.h>

#include "map_int.h"

#define DEFAULT_CHUNK 65536u

_Static_assert(sizeof(struct bk_map_batch_opts) ==
		       BK_OPTS_KNOWN(bk_map_batch_opts, bk_map_batch_opts__last_field),
	       "bk_map_batch_opts has padding");

/* Hash-table types resume from a u32 bucket index; the rest from a key. */
static size_t token_size(const struct bk_map *map)
{
	switch (map->type) {
	case BK_MAP_TYPE_HASH:
	case BK_MAP_TYPE_PERCPU_HASH:
	case BK_MAP_TYPE_LRU_HASH:
	case BK_MAP_TYPE_LRU_PERCPU_HASH:
	case BK_MAP_TYPE_HASH_OF_MAPS:
		return sizeof(uint32_t);
	default:
		return map->key_size;
	}
}

typedef int (*batch_read_fn)(int fd, void *in_batch, void *out_batch, void *keys, void *values,
			     uint32_t *count, const struct bk_batch_opts *opts);

struct batch_args {
	uint64_t elem_flags, flags;
	uint32_t chunk;
};

static int batch_args(const struct bk_map *map, const struct bk_map_batch_opts *o,
		      struct batch_args *a)
{
	int err = bk__obj_opts_check(o, BK_OPTS_KNOWN(bk_map_batch_opts,
						       bk_map_batch_opts__last_field));

	if (err)
		return err;
	if (!map || BK_OBJ_OPT(bk_map_batch_opts, o, reserved_, 0))
		return bk__err(-EINVAL);
	a->elem_flags = BK_OBJ_OPT(bk_map_batch_opts, o, elem_flags, 0);
	a->flags = BK_OBJ_OPT(bk_map_batch_opts, o, flags, 0);
	a->chunk = BK_OBJ_OPT(bk_map_batch_opts, o, chunk, 0);
	if (!a->chunk)
		a->chunk = DEFAULT_CHUNK;
	return 0;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * Entries an update/delete call got through. The kernel writes the count
 * when it has started on the elements, and then it is below what was asked
 * on failure (the failing element is not counted); when it refuses the call
 * outright (flags, memory) it leaves count as it was: nothing was done.
 */
static uint32_t processed(int err, uint32_t count, uint32_t asked)
{
	return err && count == asked ? 0 : count;
}

/* One bpf() call of a read batch; the cursor moves only when it succeeds. */
static int read_once(batch_read_fn fn, const struct bk_map *map, struct bk_map_batch_cursor *cur,
		     uint8_t *keys, uint8_t *values, uint32_t *n, const struct bk_batch_opts *bo)
{
	uint64_t out[sizeof(cur->token) / sizeof(uint64_t)] = { 0 };
	int err = fn(map->fd, cur->started ? cur->token : NULL, out, keys, values, n, bo);

	if (err == -ENOENT) {
		cur->done = true;
		return 0;
	}
	if (err)
		return err;
	memcpy(cur->token, out, sizeof(out));
	cur->started = true;
	return 0;
}

static int batch_read(batch_read_fn fn, const struct bk_map *map,
		      struct bk_map_batch_cursor *cur, void *keys, void *values, uint32_t *count,
		      const struct bk_map_batch_opts *opts)
{
	struct batch_args a;
	uint32_t room, got = 0;
	int err = batch_args(map, opts, &a);

	if (err)
		return err;
	if (!cur || !count || !keys || !values)
		return bk__err(-EINVAL);
	/* The token must fit the cursor. */
	if (token_size(map) > sizeof(cur->token))
		return bk__err(-EOPNOTSUPP);
	room = *count;
	while (got < room && !cur->done) {
		uint32_t n = min_u32(a.chunk, room - got);
		struct bk_batch_opts bo = { .sz = sizeof(bo), .elem_flags = a.elem_flags,
					    .flags = a.flags };

		err = read_once(fn, map, cur, (uint8_t *)keys + (size_t)got * map->key_size,
				(uint8_t *)values + (size_t)got * map->value_buf, &n, &bo);
		if (err == -ENOSPC && a.chunk < room - got) {
			/* A bucket larger than the chunk: widen the chunk. */
			a.chunk = a.chunk > (room - got) / 2 ? room - got : a.chunk * 2;
			continue;
		}
		if (err == -ENOSPC && got)
			break; /* the caller gets what fitted, the bucket comes next */
		if (err) {
			*count = got;
			return err;
		}
		got += n;
	}
	*count = got;
	return 0;
}

int bk_map_lookup_batch(const struct bk_map *map, struct bk_map_batch_cursor *cur, void *keys,
			void *values, uint32_t *count, const struct bk_map_batch_opts *opts)
{
	return batch_read(bk_sys_map_lookup_batch, map, cur, keys, values, count, opts);
}

int bk_map_lookup_and_delete_batch(const struct bk_map *map, struct bk_map_batch_cursor *cur,
				   void *keys, void *values, uint32_t *count,
				   const struct bk_map_batch_opts *opts)
{
	return batch_read(bk_sys_map_lookup_and_delete_batch, map, cur, keys, values, count, opts);
}

int bk_map_update_batch(const struct bk_map *map, const void *keys, const void *values,
			uint32_t *count, const struct bk_map_batch_opts *opts)
{
	struct batch_args a;
	uint32_t total, done = 0;
	int err = batch_args(map, opts, &a);

	if (err)
		return err;
	if (!count || (*count && (!keys || !values)))
		return bk__err(-EINVAL);
	total = *count;
	while (!err && done < total) {
		uint32_t n = min_u32(a.chunk, total - done);
		struct bk_batch_opts bo = { .sz = sizeof(bo), .elem_flags = a.elem_flags,
					    .flags = a.flags };

		err = bk_sys_map_update_batch(map->fd,
					      (const uint8_t *)keys + (size_t)done * map->key_size,
					      (const uint8_t *)values +
						      (size_t)done * map->value_buf,
					      &n, &bo);
		done += processed(err, n, min_u32(a.chunk, total - done));
	}
	*count = done;
	return err;
}

int bk_map_delete_batch(const struct bk_map *map, const void *keys, uint32_t *count,
			const struct bk_map_batch_opts *opts)
{
	struct batch_args a;
	uint32_t total, done = 0;
	int err = batch_args(map, opts, &a);

	if (err)
		return err;
	if (!count || (*count && !keys))
		return bk__err(-EINVAL);
	total = *count;
	while (!err && done < total) {
		uint32_t n = min_u32(a.chunk, total - done);
		struct bk_batch_opts bo = { .sz = sizeof(bo), .elem_flags = a.elem_flags,
					    .flags = a.flags };

		err = bk_sys_map_delete_batch(
			map->fd, (const uint8_t *)keys + (size_t)done * map->key_size, &n, &bo);
		done += processed(err, n, min_u32(a.chunk, total - done));
	}
	*count = done;
	return err;
}
