// SPDX-License-Identifier: MIT
/* Map commands against the running kernel, starting with the seed's tests. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_map, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static int make_map(uint32_t type, uint32_t k, uint32_t v, uint32_t n, uint32_t flags)
{
	int fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = type, .key_size = k,
					   .value_size = v, .max_entries = n, .map_flags = flags,
					   .map_name = "bk_test"));

	cr_assert_geq(fd, 3, "map_create: %s", bk_strerror(BK_CMD_MAP_CREATE, fd));
	return fd;
}

Test(sys_map, seed_map_create)
{
	BK_REQUIRE_KERNEL();
	close(make_map(BK_MAP_TYPE_HASH, 4, 4, 32, 0));
}

Test(sys_map, seed_lookup_update_delete)
{
	uint32_t key = 0, value = 0, first = 0;
	int fd;

	BK_REQUIRE_KERNEL();
	fd = make_map(BK_MAP_TYPE_HASH, 4, 4, 1, 0);
	cr_assert_eq(bk_sys_map_lookup_elem(fd, &key, &value, 0), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_LOOKUP_ELEM, ENOENT), "no such key in the map");
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_ANY), 0);
	cr_assert_eq(bk_sys_map_lookup_elem(fd, &key, &value, 0), 0);
	key = 1;
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_ANY), -E2BIG);
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_UPDATE_ELEM, -E2BIG),
			 "the map is full (max_entries reached)");
	cr_assert_eq(bk_sys_map_get_next_key(fd, NULL, &first), 0);
	cr_assert_eq(first, 0);
	cr_assert_eq(bk_sys_map_get_next_key(fd, &first, &key), -ENOENT);
	key = 0;
	cr_assert_eq(bk_sys_map_delete_elem(fd, &key), 0);
	cr_assert_eq(bk_sys_map_lookup_elem(fd, &key, &value, 0), -ENOENT);
	cr_assert_eq(bk_sys_map_delete_elem(fd, &key), -ENOENT);
	close(fd);
}

Test(sys_map, update_flags_and_lookup_and_delete)
{
	uint64_t key = 7, value = 41, out = 0;
	int fd;

	BK_REQUIRE_KERNEL();
	fd = make_map(BK_MAP_TYPE_HASH, 8, 8, 4, 0);
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_EXIST), -ENOENT);
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_NOEXIST), 0);
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_NOEXIST), -EEXIST);
	value = 42;
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, BK_EXIST), 0);
	cr_assert_eq(bk_sys_map_lookup_and_delete_elem(fd, &key, &out, 0), 0);
	cr_assert_eq(out, 42);
	cr_assert_eq(bk_sys_map_lookup_elem(fd, &key, &out, 0), -ENOENT);
	close(fd);
}

Test(sys_map, freeze_makes_user_space_writes_fail)
{
	uint32_t key = 0, value = 5;
	int fd;

	BK_REQUIRE_KERNEL();
	fd = make_map(BK_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	cr_assert_eq(bk_sys_map_freeze(fd), 0);
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &value, 0), -EPERM);
	/* Frozen means not writable, so freezing again is not permitted. */
	cr_assert_eq(bk_sys_map_freeze(fd), -EPERM);
	close(fd);
	cr_assert_eq(bk_sys_map_freeze(fd), -EBADF);
}

Test(sys_map, create_errors)
{
	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = 9999,
					       .key_size = 4, .value_size = 4, .max_entries = 1)),
		     -EINVAL);
	cr_assert_eq(bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_HASH,
					       .key_size = 0, .value_size = 4, .max_entries = 1)),
		     -EINVAL);
	cr_assert_eq(bk_sys_map_create(NULL), -EINVAL);
}

/* An opts struct from a "newer" caller with unknown nonzero tail bytes. */
Test(sys_map, opts_with_unknown_nonzero_tail_are_rejected)
{
	struct {
		struct bk_map_create_opts o;
		uint64_t future;
	} big = { .o = { .sz = sizeof(big), .map_type = BK_MAP_TYPE_ARRAY, .key_size = 4,
			 .value_size = 4, .max_entries = 1 },
		  .future = 1 };
	int fd;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_sys_map_create(&big.o), -EINVAL);
	big.future = 0;
	fd = bk_sys_map_create(&big.o);
	cr_assert_geq(fd, 3);
	close(fd);
}

Test(sys_map, batch_update_lookup_delete)
{
	enum { N = 1000 };
	static uint32_t keys[N], vals[N], okeys[N], ovals[N];
	uint32_t count = N, out_batch = 0, seen = 0;
	int fd, err;

	BK_REQUIRE_KERNEL();
	fd = make_map(BK_MAP_TYPE_HASH, 4, 4, N, 0);
	for (uint32_t i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = i * 3;
	}
	cr_assert_eq(bk_sys_map_update_batch(fd, keys, vals, &count, NULL), 0);
	cr_assert_eq(count, N);
	for (void *in = NULL;; in = &out_batch) {
		count = 64;
		err = bk_sys_map_lookup_batch(fd, in, &out_batch, okeys + seen, ovals + seen,
					      &count, NULL);
		for (uint32_t i = seen; i < seen + count; i++)
			cr_assert_eq(ovals[i], okeys[i] * 3);
		seen += count;
		if (err == -ENOENT)
			break;
		cr_assert_eq(err, 0, "%s", bk_strerror(BK_CMD_MAP_LOOKUP_BATCH, err));
	}
	cr_assert_eq(seen, N);
	count = N;
	cr_assert_eq(bk_sys_map_delete_batch(fd, keys, &count, NULL), 0);
	cr_assert_eq(count, N);
	cr_assert_eq(bk_sys_map_get_next_key(fd, NULL, &okeys[0]), -ENOENT);
	close(fd);
}

Test(sys_map, lookup_and_delete_batch_drains)
{
	uint32_t keys[8], vals[8], ok[8], ov[8], count = 8, tok = 0;
	int fd;

	BK_REQUIRE_KERNEL();
	fd = make_map(BK_MAP_TYPE_HASH, 4, 4, 8, 0);
	for (uint32_t i = 0; i < 8; i++) {
		keys[i] = i + 100;
		vals[i] = i;
	}
	cr_assert_eq(bk_sys_map_update_batch(fd, keys, vals, &count, NULL), 0);
	count = 8;
	cr_assert_eq(bk_sys_map_lookup_and_delete_batch(fd, NULL, &tok, ok, ov, &count, NULL),
		     -ENOENT);
	cr_assert_eq(count, 8);
	for (uint32_t i = 0; i < 8; i++)
		cr_assert_eq(ok[i], ov[i] + 100);
	cr_assert_eq(bk_sys_map_get_next_key(fd, NULL, ok), -ENOENT);
	close(fd);
}
