// SPDX-License-Identifier: MIT
/* struct bk_map against the running kernel: creation, opening, pinning,
 * getters and the single-element commands with their errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(obj_map, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_map *hash_map(uint32_t k, uint32_t v, uint32_t n)
{
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_HASH, "bk_obj_map", k, v, n, NULL);

	cr_assert_not_null(m, "map create: %s", strerror(errno));
	return m;
}

Test(obj_map, create_reads_shape_back)
{
	struct bk_map_info info = { 0 };
	uint32_t len = sizeof(info);
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_shape", 8, 16, 100,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_NO_PREALLOC));
	cr_assert_not_null(m, "%s", strerror(errno));
	cr_assert_geq(bk_map_fd(m), 3);
	cr_assert(fcntl(bk_map_fd(m), F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(bk_map_type(m), BK_MAP_TYPE_HASH);
	cr_assert_eq(bk_map_key_size(m), 8);
	cr_assert_eq(bk_map_value_size(m), 16);
	cr_assert_eq(bk_map_value_buf_size(m), 16);
	cr_assert_eq(bk_map_max_entries(m), 100);
	cr_assert_eq(bk_map_flags(m), BK_F_NO_PREALLOC);
	cr_assert_str_eq(bk_map_name(m), "bk_shape");
	cr_assert_not(bk_map_is_percpu(m));
	/* The id is the kernel's, as its own info call reports it. */
	cr_assert_eq(bk_sys_obj_get_info_by_fd(bk_map_fd(m), &info, &len), 0);
	cr_assert_eq(bk_map_id(m), info.id);
	cr_assert_gt(info.id, 0);
	bk_map_close(m);
}

Test(obj_map, create_opts_reach_the_kernel)
{
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_HASH, "bk_numa", 4, 4, 8,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_NUMA_NODE, .numa_node = 0));
	cr_assert_not_null(m, "%s", strerror(errno));
	cr_assert_eq(bk_map_flags(m), BK_F_NUMA_NODE);
	bk_map_close(m);
	/* A node that does not exist: the kernel sees the field. */
	cr_assert_null(bk_map_create(BK_MAP_TYPE_HASH, "bk_numa", 4, 4, 8,
				     BK_OPTS(bk_map_opts, .map_flags = BK_F_NUMA_NODE,
					     .numa_node = 4000)));
	cr_assert_eq(errno, EINVAL);
	/* Names are cut to 15 characters. */
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_a_very_long_map_name", 4, 4, 1, NULL);
	cr_assert_not_null(m);
	cr_assert_str_eq(bk_map_name(m), "bk_a_very_long_");
	bk_map_close(m);
}

Test(obj_map, create_errors)
{
	struct bk_map_opts bad = { .sz = sizeof(bad) + 8 };
	uint8_t big[sizeof(bad) + 8];

	BK_REQUIRE_KERNEL();
	cr_assert_null(bk_map_create(BK_MAP_TYPE_HASH, "bk_bad", 0, 4, 10, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_map_create(BK_MAP_TYPE_ARRAY, "bk_bad", 4, 4, 0, NULL));
	cr_assert_eq(errno, EINVAL);
	/* An opts struct from a newer library with a non-zero unknown tail. */
	memset(big, 0, sizeof(big));
	memcpy(big, &bad, sizeof(bad));
	big[sizeof(bad) + 3] = 1;
	cr_assert_null(bk_map_create(BK_MAP_TYPE_HASH, "bk_bad", 4, 4, 10,
				     (const struct bk_map_opts *)(void *)big));
	cr_assert_eq(errno, EINVAL);
	/* The same with a zero tail is fine. */
	big[sizeof(bad) + 3] = 0;
	bk_map_close(bk_map_create(BK_MAP_TYPE_HASH, "bk_ok", 4, 4, 10,
				   (const struct bk_map_opts *)(void *)big));
}

Test(obj_map, element_errors_with_errno)
{
	uint32_t k = 1, v = 10, out = 0;
	uint64_t wide = 0;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = hash_map(4, 4, 2);
	cr_assert_eq(bk_map_lookup(m, &k, 4, &out, 4, 0), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 4, BK_EXIST), -ENOENT);
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 4, BK_NOEXIST), 0);
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 4, BK_NOEXIST), -EEXIST);
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(bk_map_lookup(m, &k, 4, &out, 4, 0), 0);
	cr_assert_eq(out, 10);
	/* Sizes that do not match the map never reach the kernel. */
	cr_assert_eq(bk_map_lookup(m, &k, 4, &wide, 8, 0), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(bk_map_lookup(m, &wide, 8, &out, 4, 0), -EINVAL);
	cr_assert_eq(bk_map_update(m, &k, 4, &wide, 8, BK_ANY), -EINVAL);
	cr_assert_eq(bk_map_delete(m, &wide, 8), -EINVAL);
	cr_assert_eq(bk_map_lookup(m, NULL, 4, &out, 4, 0), -EINVAL);
	cr_assert_eq(bk_map_update_u32_u64(m, 1, 5, BK_ANY), -EINVAL);
	/* Full map. */
	k = 2;
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 4, BK_ANY), 0);
	k = 3;
	cr_assert_eq(bk_map_update(m, &k, 4, &v, 4, BK_ANY), -E2BIG);
	cr_assert_eq(errno, E2BIG);
	cr_assert_eq(bk_map_delete(m, &k, 4), -ENOENT);
	k = 2;
	cr_assert_eq(bk_map_delete(m, &k, 4), 0);
	cr_assert_eq(bk_map_lookup(m, &k, 4, &out, 4, 0), -ENOENT);
	bk_map_close(m);
}

Test(obj_map, array_semantics)
{
	struct bk_map *m;
	uint64_t v = 0;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_arr", 4, 8, 4, NULL);
	cr_assert_not_null(m);
	/* Every index exists, zeroed; none can be deleted; past the end is absent. */
	cr_assert_eq(bk_map_lookup_u32_u64(m, 3, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(bk_map_lookup_u32_u64(m, 4, &v), -ENOENT);
	cr_assert_eq(bk_map_update_u32_u64(m, 2, 77, BK_NOEXIST), -EEXIST);
	cr_assert_eq(bk_map_update_u32_u64(m, 2, 77, BK_ANY), 0);
	cr_assert_eq(bk_map_lookup_u32_u64(m, 2, &v), 0);
	cr_assert_eq(v, 77);
	cr_assert_eq(bk_map_delete_u32(m, 2), -EINVAL);
	cr_assert_eq(bk_map_update_u32_u64(m, 9, 1, BK_ANY), -E2BIG);
	bk_map_close(m);
}

Test(obj_map, typed_helpers_and_macros)
{
	struct kv {
		uint32_t a, b;
	} key = { 1, 2 }, val = { 3, 4 }, got = { 0, 0 };
	struct bk_map *m32, *ms;
	uint32_t v32 = 0;
	uint64_t v64 = 0;

	BK_REQUIRE_KERNEL();
	m32 = hash_map(4, 4, 8);
	cr_assert_eq(bk_map_update_u32_u32(m32, 5, 50, BK_ANY), 0);
	cr_assert_eq(bk_map_lookup_u32_u32(m32, 5, &v32), 0);
	cr_assert_eq(v32, 50);
	cr_assert_eq(bk_map_lookup_u64_u64(m32, 5, &v64), -EINVAL);
	cr_assert_eq(bk_map_delete_u32(m32, 5), 0);
	cr_assert_eq(bk_map_lookup_u32_u32(m32, 5, &v32), -ENOENT);
	ms = hash_map(sizeof(key), sizeof(val), 8);
	cr_assert_eq(BK_MAP_UPDATE(ms, key, val, BK_ANY), 0);
	cr_assert_eq(BK_MAP_LOOKUP(ms, key, got), 0);
	cr_assert_eq(got.a, 3);
	cr_assert_eq(got.b, 4);
	cr_assert_eq(BK_MAP_DELETE(ms, key), 0);
	cr_assert_eq(BK_MAP_LOOKUP(ms, key, got), -ENOENT);
	bk_map_close(m32);
	bk_map_close(ms);
}

Test(obj_map, lookup_and_delete_and_next_key)
{
	uint64_t k, v, seen = 0;
	struct bk_map *m;
	int n = 0, err;

	BK_REQUIRE_KERNEL();
	m = hash_map(8, 8, 16);
	for (k = 0; k < 10; k++)
		cr_assert_eq(bk_map_update_u64_u64(m, k, k * 3, BK_ANY), 0);
	k = 4;
	cr_assert_eq(bk_map_lookup_and_delete(m, &k, 8, &v, 8, 0), 0);
	cr_assert_eq(v, 12);
	cr_assert_eq(bk_map_lookup_and_delete(m, &k, 8, &v, 8, 0), -ENOENT);
	/* get_next_key from NULL visits the 9 keys left. */
	err = bk_map_get_next_key(m, NULL, &k, 8);
	while (!err) {
		cr_assert_lt(k, 10);
		cr_assert_neq(k, 4);
		cr_assert_not(seen & (1ULL << k), "key %llu twice", (unsigned long long)k);
		seen |= 1ULL << k;
		n++;
		err = bk_map_get_next_key(m, &k, &k, 8);
	}
	cr_assert_eq(err, -ENOENT);
	cr_assert_eq(n, 9);
	cr_assert_eq(bk_map_get_next_key(m, NULL, &k, 4), -EINVAL);
	bk_map_close(m);
}

Test(obj_map, freeze_blocks_user_writes)
{
	struct bk_map *m;
	uint32_t v = 0;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_frozen", 4, 4, 2, NULL);
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_update_u32_u32(m, 0, 9, BK_ANY), 0);
	cr_assert_eq(bk_map_freeze(m), 0);
	cr_assert_eq(bk_map_update_u32_u32(m, 0, 1, BK_ANY), -EPERM);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(bk_map_lookup_u32_u32(m, 0, &v), 0);
	cr_assert_eq(v, 9);
	/* Frozen means no write access from user space, freezing included. */
	cr_assert_eq(bk_map_freeze(m), -EPERM);
	bk_map_close(m);
}

Test(obj_map, from_fd_dups_and_from_id)
{
	struct bk_map *a, *b, *c;
	int pipefd[2], fd;
	uint32_t v = 0;

	BK_REQUIRE_KERNEL();
	a = hash_map(4, 4, 4);
	cr_assert_eq(bk_map_update_u32_u32(a, 1, 11, BK_ANY), 0);
	fd = dup(bk_map_fd(a));
	b = bk_map_from_fd(fd);
	cr_assert_not_null(b, "%s", strerror(errno));
	cr_assert_neq(bk_map_fd(b), fd);
	cr_assert(fcntl(bk_map_fd(b), F_GETFD) & FD_CLOEXEC);
	close(fd); /* the caller keeps ownership of its fd */
	cr_assert_eq(bk_map_id(b), bk_map_id(a));
	cr_assert_str_eq(bk_map_name(b), "bk_obj_map");
	cr_assert_eq(bk_map_key_size(b), 4);
	cr_assert_eq(bk_map_lookup_u32_u32(b, 1, &v), 0);
	cr_assert_eq(v, 11);
	c = bk_map_from_id(bk_map_id(a));
	cr_assert_not_null(c);
	cr_assert_eq(bk_map_max_entries(c), 4);
	bk_map_close(c);
	bk_map_close(b);
	bk_map_close(a);
	/* Not a map, not an fd. */
	cr_assert_eq(pipe(pipefd), 0);
	cr_assert_null(bk_map_from_fd(pipefd[0]));
	cr_assert_eq(errno, EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	cr_assert_null(bk_map_from_fd(-1));
	cr_assert_eq(errno, EBADF);
	cr_assert_null(bk_map_from_id(0xfffffff0u));
	cr_assert_eq(errno, ENOENT);
}

Test(obj_map, pin_open_unpin_on_private_bpffs)
{
	char dir[128], path[192], bad[64];
	struct bk_map *m, *p;
	uint32_t v = 0;
	int fd0;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	fd0 = bk_test_fd_count();
	snprintf(path, sizeof(path), "%s/counts", dir);
	m = hash_map(4, 4, 4);
	cr_assert_eq(bk_map_update_u32_u32(m, 7, 70, BK_ANY), 0);
	cr_assert_eq(bk_map_pin(m, path), 0);
	cr_assert_eq(bk_map_pin(m, path), -EEXIST);
	p = bk_map_open_pinned(path);
	cr_assert_not_null(p, "%s", strerror(errno));
	cr_assert_eq(bk_map_id(p), bk_map_id(m));
	cr_assert_eq(bk_map_lookup_u32_u32(p, 7, &v), 0);
	cr_assert_eq(v, 70);
	bk_map_close(p);
	cr_assert_eq(bk_map_unpin(m, NULL), 0);
	cr_assert_null(bk_map_open_pinned(path));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_map_unpin(m, NULL), -EINVAL);
	cr_assert_eq(bk_map_unpin(m, path), -ENOENT);
	/* Pinning outside a bpffs fails. */
	snprintf(bad, sizeof(bad), "/tmp/bk-not-bpffs-%d", (int)getpid());
	cr_assert_lt(bk_map_pin(m, bad), 0);
	cr_assert_eq(access(bad, F_OK), -1);
	bk_map_close(m);
	cr_assert_eq(bk_test_fd_count(), fd0);
}

Test(obj_map, open_pinned_rejects_non_map)
{
	static const struct bk_insn prog[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	char dir[128], path[192];
	int pfd;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	pfd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
				       .insns = prog, .insn_cnt = 2));
	cr_assert_geq(pfd, 0);
	snprintf(path, sizeof(path), "%s/prog", dir);
	cr_assert_eq(bk_sys_obj_pin(pfd, path, NULL), 0);
	cr_assert_null(bk_map_open_pinned(path));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_map_from_fd(pfd));
	cr_assert_eq(errno, EINVAL);
	close(pfd);
}
