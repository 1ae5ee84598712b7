// SPDX-License-Identifier: MIT
/* Queue, stack, bloom filter, LPM trie, prog array and map-in-map maps
 * against the running kernel. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(obj_map_kinds, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_map_kinds, queue_fifo_and_overwrite)
{
	struct bk_map *q;
	uint32_t v;

	BK_REQUIRE_KERNEL();
	q = bk_map_create(BK_MAP_TYPE_QUEUE, "bk_queue", 0, 4, 3, NULL);
	cr_assert_not_null(q, "%s", strerror(errno));
	cr_assert_eq(bk_map_pop(q, &v, 4), -ENOENT);
	for (v = 1; v <= 3; v++)
		cr_assert_eq(bk_map_push(q, &v, 4, BK_ANY), 0);
	v = 4;
	cr_assert_eq(bk_map_push(q, &v, 4, BK_ANY), -E2BIG);
	/* BK_EXIST makes room by dropping the oldest (1). */
	cr_assert_eq(bk_map_push(q, &v, 4, BK_EXIST), 0);
	cr_assert_eq(bk_map_peek(q, &v, 4), 0);
	cr_assert_eq(v, 2);
	for (uint32_t want = 2; want <= 4; want++) {
		cr_assert_eq(bk_map_pop(q, &v, 4), 0);
		cr_assert_eq(v, want);
	}
	cr_assert_eq(bk_map_pop(q, &v, 4), -ENOENT);
	cr_assert_eq(bk_map_peek(q, &v, 4), -ENOENT);
	/* Same checks as every map: sizes, and no key. */
	cr_assert_eq(bk_map_push(q, &v, 8, BK_ANY), -EINVAL);
	cr_assert_eq(bk_map_lookup(q, &v, 4, &v, 4, 0), -EINVAL);
	bk_map_close(q);
}

Test(obj_map_kinds, stack_lifo_through_generic_calls)
{
	struct bk_map *s;
	uint64_t v;

	BK_REQUIRE_KERNEL();
	s = bk_map_create(BK_MAP_TYPE_STACK, "bk_stack", 0, 8, 8, NULL);
	cr_assert_not_null(s);
	for (v = 10; v < 13; v++)
		cr_assert_eq(bk_map_update(s, NULL, 0, &v, 8, BK_ANY), 0);
	cr_assert_eq(bk_map_lookup(s, NULL, 0, &v, 8, 0), 0); /* peek */
	cr_assert_eq(v, 12);
	cr_assert_eq(bk_map_lookup_and_delete(s, NULL, 0, &v, 8, 0), 0); /* pop */
	cr_assert_eq(v, 12);
	cr_assert_eq(bk_map_pop(s, &v, 8), 0);
	cr_assert_eq(v, 11);
	cr_assert_eq(bk_map_pop(s, &v, 8), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(bk_map_pop(s, &v, 8), -ENOENT);
	bk_map_close(s);
}

Test(obj_map_kinds, bloom_filter_membership)
{
	struct bk_map *b;
	uint64_t v;
	int absent = 0;

	BK_REQUIRE_KERNEL();
	b = bk_map_create(BK_MAP_TYPE_BLOOM_FILTER, "bk_bloom", 0, 8, 1000,
			  BK_OPTS(bk_map_opts, .map_extra = 5));
	cr_assert_not_null(b, "%s", strerror(errno));
	cr_assert_eq(bk_map_map_extra(b), 5);
	for (v = 100; v < 110; v++)
		cr_assert_eq(bk_map_push(b, &v, 8, BK_ANY), 0);
	for (v = 100; v < 110; v++)
		cr_assert_eq(bk_map_peek(b, &v, 8), 0, "added value %llu missing",
			     (unsigned long long)v);
	/* 10 entries in a filter sized for 1000 with 5 hashes: a false positive
	 * is around 1e-12 likely per probe, so 1000 probes all say "absent". */
	for (v = 1000000; v < 1001000; v++)
		absent += bk_map_peek(b, &v, 8) == -ENOENT;
	cr_assert_eq(absent, 1000);
	cr_assert_eq(bk_map_pop(b, &v, 8), -EINVAL);
	bk_map_close(b);
}

Test(obj_map_kinds, lpm_trie_longest_prefix)
{
	static const uint8_t net8[4] = { 10, 0, 0, 0 }, net16[4] = { 10, 1, 0, 0 };
	struct bk_lpm_key_v4 k;
	struct bk_map *t;
	uint32_t v;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_lpm_key_init(&k, sizeof(k), 33, net8, 4), -EINVAL);
	cr_assert_eq(bk_lpm_key_init(&k, sizeof(k), 8, net8, 3), -EINVAL);
	t = bk_map_create(BK_MAP_TYPE_LPM_TRIE, "bk_lpm", sizeof(k), 4, 16,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_NO_PREALLOC));
	cr_assert_not_null(t, "%s", strerror(errno));
	cr_assert_eq(bk_lpm_key_init(&k, sizeof(k), 8, net8, 4), 0);
	cr_assert_eq(k.prefixlen, 8);
	v = 8;
	cr_assert_eq(BK_MAP_UPDATE(t, k, v, BK_ANY), 0);
	cr_assert_eq(bk_lpm_key_init(&k, sizeof(k), 16, net16, 4), 0);
	v = 16;
	cr_assert_eq(BK_MAP_UPDATE(t, k, v, BK_ANY), 0);
	k = (struct bk_lpm_key_v4){ 32, { 10, 1, 2, 3 } };
	cr_assert_eq(BK_MAP_LOOKUP(t, k, v), 0);
	cr_assert_eq(v, 16);
	k = (struct bk_lpm_key_v4){ 32, { 10, 2, 2, 3 } };
	cr_assert_eq(BK_MAP_LOOKUP(t, k, v), 0);
	cr_assert_eq(v, 8);
	k = (struct bk_lpm_key_v4){ 32, { 11, 1, 2, 3 } };
	cr_assert_eq(BK_MAP_LOOKUP(t, k, v), -ENOENT);
	bk_map_close(t);
}

static int load_prog(int ret)
{
	const struct bk_insn prog[] = { BK_MOV64_IMM(BK_R0, ret), BK_EXIT() };
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts,
					  .prog_type = BK_PROG_TYPE_SOCKET_FILTER, .insns = prog,
					  .insn_cnt = 2));

	cr_assert_geq(fd, 3, "prog load: %d", fd);
	return fd;
}

static uint32_t prog_id(int fd)
{
	struct bk_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	cr_assert_eq(bk_sys_obj_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

Test(obj_map_kinds, prog_array_slots)
{
	struct bk_map *pa, *h;
	uint32_t id = 0, idx = 1;
	int p;

	BK_REQUIRE_KERNEL();
	pa = bk_map_create(BK_MAP_TYPE_PROG_ARRAY, "bk_jmp", 4, 4, 4, NULL);
	cr_assert_not_null(pa);
	p = load_prog(1);
	cr_assert_eq(bk_map_set_prog(pa, 1, p), 0);
	cr_assert_eq(bk_map_lookup_id(pa, &idx, 4, &id), 0);
	cr_assert_eq(id, prog_id(p));
	idx = 0;
	cr_assert_eq(bk_map_lookup_id(pa, &idx, 4, &id), -ENOENT);
	cr_assert_eq(bk_map_set_prog(pa, 9, p), -E2BIG);
	cr_assert_eq(bk_map_delete_u32(pa, 1), 0);
	idx = 1;
	cr_assert_eq(bk_map_lookup_id(pa, &idx, 4, &id), -ENOENT);
	/* Not a map of fds: refused before the kernel sees an fd as data. */
	h = bk_map_create(BK_MAP_TYPE_HASH, "bk_h", 4, 4, 4, NULL);
	cr_assert_not_null(h);
	cr_assert_eq(bk_map_update_fd(h, &idx, 4, p, BK_ANY), -EINVAL);
	bk_map_close(h);
	close(p);
	bk_map_close(pa);
}

Test(obj_map_kinds, map_in_map)
{
	struct bk_map *tmpl, *inner, *outer, *hom;
	uint32_t key = 2, id = 0, v = 0;

	BK_REQUIRE_KERNEL();
	tmpl = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_tmpl", 4, 8, 4, NULL);
	cr_assert_not_null(tmpl);
	outer = bk_map_create(BK_MAP_TYPE_ARRAY_OF_MAPS, "bk_outer", 4, 4, 4,
			      BK_OPTS(bk_map_opts, .inner_map_fd = bk_map_fd(tmpl)));
	cr_assert_not_null(outer, "%s", strerror(errno));
	inner = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_inner", 4, 8, 4, NULL);
	cr_assert_not_null(inner);
	cr_assert_eq(bk_map_update_fd(outer, &key, 4, bk_map_fd(inner), BK_ANY), 0);
	cr_assert_eq(bk_map_lookup_id(outer, &key, 4, &id), 0);
	cr_assert_eq(id, bk_map_id(inner));
	cr_assert_neq(id, bk_map_id(tmpl));
	/* An inner map of another shape is refused. */
	bk_map_close(inner);
	inner = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_inner2", 4, 4, 4, NULL);
	cr_assert_not_null(inner);
	key = 1;
	cr_assert_eq(bk_map_update_fd(outer, &key, 4, bk_map_fd(inner), BK_ANY), -EINVAL);
	/* Hash of maps, keyed by anything. */
	hom = bk_map_create(BK_MAP_TYPE_HASH_OF_MAPS, "bk_hom", 4, 4, 4,
			    BK_OPTS(bk_map_opts, .inner_map_fd = bk_map_fd(inner)));
	cr_assert_not_null(hom, "%s", strerror(errno));
	key = 12345;
	cr_assert_eq(bk_map_update_fd(hom, &key, 4, bk_map_fd(inner), BK_ANY), 0);
	cr_assert_eq(bk_map_lookup_id(hom, &key, 4, &v), 0);
	cr_assert_eq(v, bk_map_id(inner));
	bk_map_close(hom);
	bk_map_close(inner);
	bk_map_close(outer);
	bk_map_close(tmpl);
}
