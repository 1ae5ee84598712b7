// SPDX-License-Identifier: MIT
/* Batch calls: chunking, the resume protocol, partial counts on failure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>

#include "../lib/bk_test.h"

TestSuite(obj_map_batch, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define N 10000u

static struct bk_map *filled_hash(uint32_t n, uint32_t max)
{
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_HASH, "bk_batch", 4, 8, max, NULL);
	uint32_t *keys = malloc(n * sizeof(*keys)), count = n;
	uint64_t *vals = malloc(n * sizeof(*vals));

	cr_assert_not_null(m);
	for (uint32_t i = 0; i < n; i++) {
		keys[i] = i;
		vals[i] = (uint64_t)i * 1000 + 1;
	}
	cr_assert_eq(bk_map_update_batch(m, keys, vals, &count,
					 BK_OPTS(bk_map_batch_opts, .chunk = 999)),
		     0);
	cr_assert_eq(count, n);
	free(keys);
	free(vals);
	return m;
}

/* Read the whole map in pieces of room entries; check each key once. */
static uint32_t read_all(struct bk_map *m, uint32_t room, uint32_t chunk, bool del)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	uint32_t *keys = malloc(room * sizeof(*keys)), total = 0;
	uint64_t *vals = malloc(room * sizeof(*vals));
	uint8_t *seen = calloc(N, 1);
	int calls = 0;

	while (!cur.done) {
		uint32_t count = room;
		int err = del ? bk_map_lookup_and_delete_batch(m, &cur, keys, vals, &count,
								BK_OPTS(bk_map_batch_opts,
									.chunk = chunk))
			      : bk_map_lookup_batch(m, &cur, keys, vals, &count,
						    BK_OPTS(bk_map_batch_opts, .chunk = chunk));

		cr_assert_eq(err, 0, "batch: %d", err);
		cr_assert_leq(count, room);
		for (uint32_t i = 0; i < count; i++) {
			cr_assert_lt(keys[i], N);
			cr_assert_not(seen[keys[i]], "key %u twice", keys[i]);
			seen[keys[i]] = 1;
			cr_assert_eq(vals[i], (uint64_t)keys[i] * 1000 + 1);
		}
		total += count;
		cr_assert_lt(++calls, 100000);
	}
	free(keys);
	free(vals);
	free(seen);
	return total;
}

Test(obj_map_batch, update_then_read_in_odd_pieces)
{
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = filled_hash(N, N);
	cr_assert_eq(read_all(m, 777, 100, false), N);
	cr_assert_eq(read_all(m, N * 2, 0, false), N); /* room for all: one call */
	cr_assert_eq(read_all(m, 1000, 3, false), N);  /* chunks widen past buckets */
	bk_map_close(m);
}

Test(obj_map_batch, lookup_and_delete_empties_map)
{
	struct bk_map *m;
	uint32_t k = 5;
	uint64_t v;

	BK_REQUIRE_KERNEL();
	m = filled_hash(N, N);
	cr_assert_eq(read_all(m, 500, 0, true), N);
	cr_assert_eq(bk_map_lookup(m, &k, 4, &v, 8, 0), -ENOENT);
	cr_assert_eq(bk_map_get_next_key(m, NULL, &k, 4), -ENOENT);
	bk_map_close(m);
}

Test(obj_map_batch, empty_map_is_done_at_once)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	struct bk_map *m;
	uint32_t keys[4], count = 4;
	uint64_t vals[4];

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_empty", 4, 8, 64, NULL);
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_lookup_batch(m, &cur, keys, vals, &count, NULL), 0);
	cr_assert_eq(count, 0);
	cr_assert(cur.done);
	bk_map_close(m);
}

Test(obj_map_batch, bucket_larger_than_room_is_enospc)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	uint32_t keys[2], count, k;
	uint64_t vals[2], v = 1;
	struct bk_map *m;
	int err = 0;

	BK_REQUIRE_KERNEL();
	/* Two entries in a map of two buckets: try second keys until both
	 * share a bucket, which a read with room for one cannot take. */
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_bucket", 4, 8, 2, NULL);
	cr_assert_not_null(m);
	k = 0;
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 8, BK_ANY), 0);
	for (k = 1; k < 200; k++) {
		cr_assert_eq(bk_map_update(m, &k, 4, &v, 8, BK_ANY), 0);
		memset(&cur, 0, sizeof(cur));
		count = 1;
		err = bk_map_lookup_batch(m, &cur, keys, vals, &count, NULL);
		if (err == -ENOSPC)
			break;
		cr_assert_eq(bk_map_delete(m, &k, 4), 0);
	}
	cr_assert_eq(err, -ENOSPC);
	cr_assert_eq(count, 0);
	cr_assert_not(cur.done);
	/* With room for the bucket, and chunks of 1 widened: both entries. */
	count = 2;
	cr_assert_eq(bk_map_lookup_batch(m, &cur, keys, vals, &count,
					 BK_OPTS(bk_map_batch_opts, .chunk = 1)),
		     0);
	cr_assert_eq(count, 2);
	cr_assert_neq(keys[0], keys[1]);
	bk_map_close(m);
}

Test(obj_map_batch, partial_counts_on_failure)
{
	uint32_t keys[6] = { 1, 2, 3, 4, 5, 6 }, count;
	uint64_t vals[6] = { 1, 1, 1, 1, 1, 1 };
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_partial", 4, 8, 5, NULL);
	cr_assert_not_null(m);
	count = 3;
	cr_assert_eq(bk_map_update_batch(m, keys, vals, &count, NULL), 0);
	/* Batch updates take BK_F_LOCK only: refused whole, nothing done. */
	count = 6;
	cr_assert_eq(bk_map_update_batch(m, keys, vals, &count,
					 BK_OPTS(bk_map_batch_opts, .elem_flags = BK_NOEXIST,
						 .chunk = 2)),
		     -EINVAL);
	cr_assert_eq(count, 0);
	/* 4 and 5 fit, 6 does not: the count says how far it got. */
	count = 3;
	cr_assert_eq(bk_map_update_batch(m, keys + 3, vals + 3, &count,
					 BK_OPTS(bk_map_batch_opts, .chunk = 1)),
		     -E2BIG);
	cr_assert_eq(count, 2);
	/* Delete 1, 2 then stop at the missing 6. */
	keys[2] = 6;
	count = 3;
	cr_assert_eq(bk_map_delete_batch(m, keys, &count, BK_OPTS(bk_map_batch_opts, .chunk = 2)),
		     -ENOENT);
	cr_assert_eq(count, 2);
	count = 1;
	keys[0] = 3;
	cr_assert_eq(bk_map_delete_batch(m, keys, &count, NULL), 0);
	cr_assert_eq(count, 1);
	/* Wrong reserved field, bad opts. */
	cr_assert_eq(bk_map_delete_batch(m, keys, &count, BK_OPTS(bk_map_batch_opts, .reserved_ = 1)),
		     -EINVAL);
	bk_map_close(m);
}

Test(obj_map_batch, array_and_percpu_array)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	int ncpus = bk_num_possible_cpus();
	uint32_t keys[64], count = 64, n = 0;
	uint64_t *vals = calloc(64, 8 * (size_t)ncpus);
	struct bk_map *a, *p;

	BK_REQUIRE_KERNEL();
	a = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_barr", 4, 8, 50, NULL);
	cr_assert_not_null(a);
	cr_assert_eq(bk_map_update_u32_u64(a, 49, 4949, BK_ANY), 0);
	while (!cur.done) {
		count = 7;
		cr_assert_eq(bk_map_lookup_batch(a, &cur, keys, vals, &count, NULL), 0);
		for (uint32_t i = 0; i < count; i++) {
			cr_assert_eq(keys[i], n + i);
			cr_assert_eq(vals[i], keys[i] == 49 ? 4949 : 0);
		}
		n += count;
	}
	cr_assert_eq(n, 50);
	/* Per-CPU values come whole: every CPU's slot for every entry. */
	p = bk_map_create(BK_MAP_TYPE_PERCPU_ARRAY, "bk_bpcpu", 4, 8, 10, NULL);
	cr_assert_not_null(p);
	for (uint32_t i = 0; i < 64 * (uint32_t)ncpus; i++)
		vals[i] = i;
	for (uint32_t i = 0; i < 10; i++)
		keys[i] = i;
	count = 10;
	cr_assert_eq(bk_map_update_batch(p, keys, vals, &count, NULL), 0);
	memset(vals, 0, 64 * 8 * (size_t)ncpus);
	memset(&cur, 0, sizeof(cur));
	count = 64;
	cr_assert_eq(bk_map_lookup_batch(p, &cur, keys, vals, &count, NULL), 0);
	cr_assert_eq(count, 10);
	cr_assert(cur.done);
	for (uint32_t i = 0; i < 10 * (uint32_t)ncpus; i++)
		cr_assert_eq(vals[i], i);
	bk_map_close(p);
	bk_map_close(a);
	free(vals);
}

Test(obj_map_batch, types_without_batch_fail)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	uint32_t keys[2], count = 2;
	uint64_t vals[2 * 8];
	struct bk_map *t;
	int err;

	BK_REQUIRE_KERNEL();
	/* Stack trace maps have no batch commands. */
	t = bk_map_create(BK_MAP_TYPE_STACK_TRACE, "bk_bst", 4, 8 * 8, 4, NULL);
	cr_assert_not_null(t);
	err = bk_map_lookup_batch(t, &cur, keys, vals, &count, NULL);
	cr_assert_lt(err, 0);
	cr_assert_eq(errno, -err);
	cr_assert_eq(count, 0);
	cr_assert_not(cur.done);
	bk_map_close(t);
}

Test(obj_map_batch, wide_keys_resume_by_bucket)
{
	struct bk_map_batch_cursor cur = BK_MAP_BATCH_CURSOR_INIT;
	struct wide {
		uint8_t b[100];
	} *keys = calloc(50, sizeof(*keys));
	uint32_t vals[50], count, n = 0, seen = 0;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	/* Keys wider than the cursor's token: hash maps resume by bucket. */
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_wide", sizeof(*keys), 4, 64, NULL);
	cr_assert_not_null(m);
	for (uint32_t i = 0; i < 30; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].b[99] = (uint8_t)i;
		vals[i] = i;
	}
	count = 30;
	cr_assert_eq(bk_map_update_batch(m, keys, vals, &count, NULL), 0);
	memset(keys, 0, 50 * sizeof(*keys));
	while (!cur.done) {
		count = 8;
		cr_assert_eq(bk_map_lookup_batch(m, &cur, keys, vals, &count, NULL), 0);
		for (uint32_t i = 0; i < count; i++) {
			cr_assert_eq(keys[i].b[99], vals[i]);
			cr_assert_not(seen & (1u << vals[i]));
			seen |= 1u << vals[i];
		}
		n += count;
	}
	cr_assert_eq(n, 30);
	bk_map_close(m);
	free(keys);
}
