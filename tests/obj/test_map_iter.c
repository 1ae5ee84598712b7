// SPDX-License-Identifier: MIT
/* The map iterator: complete walks, and walks while entries come and go. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>

#include "../lib/bk_test.h"

TestSuite(obj_map_iter, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_map *filled(enum bk_map_type type, uint32_t n, uint32_t max)
{
	struct bk_map *m = bk_map_create(type, "bk_iter", 4, 8, max, NULL);
	uint32_t *keys = malloc(n * sizeof(*keys)), count = n;
	uint64_t *vals = malloc(n * sizeof(*vals));

	cr_assert_not_null(m, "%s", strerror(errno));
	for (uint32_t i = 0; i < n; i++) {
		keys[i] = i;
		vals[i] = ~(uint64_t)i;
	}
	cr_assert_eq(bk_map_update_batch(m, keys, vals, &count, NULL), 0);
	free(keys);
	free(vals);
	return m;
}

/* Walk the whole map; each key in [0, n) once with its value. */
static void walk_once(struct bk_map *m, uint32_t n, const struct bk_map_iter_opts *opts,
		      bool keys_only)
{
	struct bk_map_iter *it = bk_map_iter_new(m, opts);
	uint8_t *seen = calloc(n, 1);
	const void *k, *v;
	uint32_t total = 0;
	int ret;

	cr_assert_not_null(it, "%s", strerror(errno));
	while ((ret = bk_map_iter_next(it, &k, &v)) == 1) {
		uint32_t key;
		uint64_t val;

		memcpy(&key, k, 4);
		cr_assert_lt(key, n);
		cr_assert_not(seen[key], "key %u twice", key);
		seen[key] = 1;
		if (keys_only) {
			cr_assert_null(v);
		} else {
			memcpy(&val, v, 8);
			cr_assert_eq(val, ~(uint64_t)key);
		}
		total++;
	}
	cr_assert_eq(ret, 0);
	cr_assert_eq(total, n);
	cr_assert_eq(bk_map_iter_next(it, &k, &v), 0); /* stays at the end */
	bk_map_iter_free(it);
	free(seen);
}

Test(obj_map_iter, walks_every_entry_once)
{
	struct bk_map *h, *a;

	BK_REQUIRE_KERNEL();
	h = filled(BK_MAP_TYPE_HASH, 5000, 8192);
	walk_once(h, 5000, NULL, false);
	walk_once(h, 5000, BK_OPTS(bk_map_iter_opts, .batch = 1), false); /* buffers grow */
	walk_once(h, 5000, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH), false);
	walk_once(h, 5000, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_KEYS_ONLY), true);
	walk_once(h, 5000,
		  BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_KEYS_ONLY | BK_MAP_ITER_NO_BATCH),
		  true);
	bk_map_close(h);
	a = filled(BK_MAP_TYPE_ARRAY, 300, 300);
	walk_once(a, 300, BK_OPTS(bk_map_iter_opts, .batch = 7), false);
	walk_once(a, 300, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH), false);
	bk_map_close(a);
}

Test(obj_map_iter, empty_map_and_bad_input)
{
	struct bk_map *h, *q;
	struct bk_map_iter *it;
	const void *k, *v;

	BK_REQUIRE_KERNEL();
	h = bk_map_create(BK_MAP_TYPE_HASH, "bk_iter_e", 4, 4, 8, NULL);
	cr_assert_not_null(h);
	it = bk_map_iter_new(h, NULL);
	cr_assert_not_null(it);
	cr_assert_eq(bk_map_iter_next(it, &k, &v), 0);
	bk_map_iter_free(it);
	it = bk_map_iter_new(h, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH));
	cr_assert_eq(bk_map_iter_next(it, &k, &v), 0);
	bk_map_iter_free(it);
	q = bk_map_create(BK_MAP_TYPE_QUEUE, "bk_iter_q", 0, 4, 8, NULL);
	cr_assert_not_null(q);
	cr_assert_null(bk_map_iter_new(q, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(bk_map_iter_next(NULL, &k, &v), -EINVAL);
	bk_map_iter_free(NULL);
	bk_map_close(q);
	bk_map_close(h);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Walk n original keys while, after each entry handed out: the entry itself
 * is deleted (the usual pattern, when delete_current), a pseudo-random original key is deleted
 * (a "victim", seen or not), and a new key is inserted; every restart_every
 * steps the key after the current one (the one the iterator holds next) is
 * deleted too, which forces get_next_key to restart from the first key, over
 * keys already handed out when they were kept. Then every original
 * key that was never a victim is seen exactly once, victims and new keys at
 * most once.
 */
static void churn(enum bk_map_type type, uint32_t n, const struct bk_map_iter_opts *opts,
		  uint32_t restart_every, bool delete_current)
{
	struct bk_map *m = filled(type, n, 3 * n);
	uint8_t *seen = calloc(2 * n, 1), *victim = calloc(n, 1);
	struct bk_map_iter *it = bk_map_iter_new(m, opts);
	uint32_t rng = 2463534242u, step = 0, fresh = n, restarts = 0;
	const void *k, *v;
	int ret;

	cr_assert_not_null(it);
	while ((ret = bk_map_iter_next(it, &k, &v)) == 1) {
		uint32_t key, other, next;
		int err;

		memcpy(&key, k, 4);
		cr_assert_lt(key, fresh);
		cr_assert_not(seen[key], "key %u handed out twice", key);
		seen[key] = 1;
		/* A batch hands out what it read: a victim deleted since may
		 * still come, once. */
		err = delete_current ? bk_map_delete(m, &key, 4) : 0;
		cr_assert(err == 0 || (err == -ENOENT && key < n && victim[key]), "delete %u: %d",
			  key, err);
		other = xorshift(&rng) % n;
		if (bk_map_delete(m, &other, 4) == 0 || !seen[other])
			victim[other] = 1;
		if (fresh < 2 * n)
			cr_assert_eq(bk_map_update_u32_u64(m, fresh++, 0, BK_NOEXIST), 0);
		if (restart_every && ++step % restart_every == 0 &&
		    bk_map_get_next_key(m, &key, &next, 4) == 0 && next < n &&
		    bk_map_delete(m, &next, 4) == 0) {
			victim[next] = 1;
			restarts++;
		}
	}
	cr_assert_eq(ret, 0, "iter: %d", ret);
	for (uint32_t i = 0; i < n; i++)
		if (!victim[i])
			cr_assert(seen[i], "surviving key %u never handed out", i);
	cr_assert(!restart_every || restarts > 0);
	bk_map_iter_free(it);
	bk_map_close(m);
	free(seen);
	free(victim);
}

Test(obj_map_iter, batch_walk_while_deleting_and_inserting)
{
	BK_REQUIRE_KERNEL();
	churn(BK_MAP_TYPE_HASH, 20000, BK_OPTS(bk_map_iter_opts, .batch = 64), 0, true);
	churn(BK_MAP_TYPE_HASH, 20000, NULL, 0, false);
}

Test(obj_map_iter, key_walk_while_deleting_and_inserting)
{
	BK_REQUIRE_KERNEL();
	churn(BK_MAP_TYPE_HASH, 3000, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH), 0,
	      true);
}

Test(obj_map_iter, key_walk_survives_forced_restarts)
{
	BK_REQUIRE_KERNEL();
	/* Hash maps restart get_next_key from the first key; so do the
	 * restarts the iterator must absorb. */
	churn(BK_MAP_TYPE_HASH, 2000, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH), 7,
	      false);
	churn(BK_MAP_TYPE_HASH, 2000, BK_OPTS(bk_map_iter_opts, .flags = BK_MAP_ITER_NO_BATCH), 5,
	      true);
}

Test(obj_map_iter, lpm_trie_uses_keys_and_survives_deletes)
{
	struct bk_map *t;
	struct bk_map_iter *it;
	uint8_t seen[256] = { 0 };
	const void *k, *v;
	int ret, n = 0;

	BK_REQUIRE_KERNEL();
	t = bk_map_create(BK_MAP_TYPE_LPM_TRIE, "bk_iter_lpm", sizeof(struct bk_lpm_key_v4), 4, 512,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_NO_PREALLOC));
	cr_assert_not_null(t);
	for (uint32_t i = 0; i < 256; i++) {
		struct bk_lpm_key_v4 key = { 24, { 10, (uint8_t)i, 0, 0 } };

		cr_assert_eq(bk_map_update(t, &key, sizeof(key), &i, 4, BK_ANY), 0);
	}
	it = bk_map_iter_new(t, NULL);
	cr_assert_not_null(it);
	while ((ret = bk_map_iter_next(it, &k, &v)) == 1) {
		struct bk_lpm_key_v4 key;
		uint32_t val;

		memcpy(&key, k, sizeof(key));
		memcpy(&val, v, 4);
		cr_assert_eq(key.prefixlen, 24);
		cr_assert_eq(key.addr[1], val);
		cr_assert_not(seen[val]);
		seen[val] = 1;
		/* Deleting the current key restarts a trie's get_next_key. */
		cr_assert_eq(bk_map_delete(t, &key, sizeof(key)), 0);
		n++;
	}
	cr_assert_eq(ret, 0);
	cr_assert_eq(n, 256);
	bk_map_iter_free(it);
	bk_map_close(t);
}

Test(obj_map_iter, percpu_values_whole)
{
	int ncpus = bk_num_possible_cpus();
	struct bk_map *m;
	struct bk_map_iter *it;
	const void *k, *v;
	int n = 0;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_PERCPU_HASH, "bk_iter_pc", 4, 4, 64, NULL);
	cr_assert_not_null(m);
	for (uint32_t i = 0; i < 40; i++)
		cr_assert_eq(bk_map_update_percpu_all(m, &i, 4, &i, 4, BK_ANY), 0);
	for (int pass = 0; pass < 2; pass++) {
		it = bk_map_iter_new(m, BK_OPTS(bk_map_iter_opts,
						.flags = pass ? BK_MAP_ITER_NO_BATCH : 0));
		n = 0;
		while (bk_map_iter_next(it, &k, &v) == 1) {
			uint32_t key, val;

			memcpy(&key, k, 4);
			for (int cpu = 0; cpu < ncpus; cpu++) {
				memcpy(&val, (const uint8_t *)v + 8 * cpu, 4);
				cr_assert_eq(val, key);
			}
			n++;
		}
		cr_assert_eq(n, 40);
		bk_map_iter_free(it);
	}
	bk_map_close(m);
}
