// SPDX-License-Identifier: MIT
/* Memory-mapped arrays: the mapping and the syscall see the same values. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>

#include "../lib/bk_test.h"

TestSuite(obj_map_mmap, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_map_mmap, writes_and_lookups_agree)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	volatile uint64_t *base;
	struct bk_map *m;
	uint64_t v = 0;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_mmap", 4, 8, 1000,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	cr_assert_not_null(m, "%s", strerror(errno));
	cr_assert_eq(bk_map_mmap_size(m), 0);
	base = bk_map_mmap(m);
	cr_assert_not_null(base, "%s", strerror(errno));
	cr_assert_eq((void *)base, bk_map_mmap(m)); /* the same mapping again */
	cr_assert_eq(bk_map_mmap_size(m), (8000 + page - 1) / page * page);
	base[123] = 0x1122334455667788ULL;
	cr_assert_eq(bk_map_lookup_u32_u64(m, 123, &v), 0);
	cr_assert_eq(v, 0x1122334455667788ULL);
	cr_assert_eq(bk_map_update_u32_u64(m, 999, 42, BK_ANY), 0);
	cr_assert_eq(base[999], 42);
	cr_assert_eq(bk_map_munmap(m), 0);
	cr_assert_eq(bk_map_mmap_size(m), 0);
	cr_assert_eq(bk_map_munmap(m), 0);
	/* Mapped again: the values stayed in the map. */
	base = bk_map_mmap(m);
	cr_assert_not_null(base);
	cr_assert_eq(base[123], 0x1122334455667788ULL);
	bk_map_close(m); /* unmaps too */
}

Test(obj_map_mmap, stride_is_value_size_rounded_to_8)
{
	struct bk_map *m;
	uint8_t *base, val[12], out[12];

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_mmap12", 4, 12, 10,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	cr_assert_not_null(m);
	base = bk_map_mmap(m);
	cr_assert_not_null(base);
	for (uint32_t i = 0; i < 10; i++) {
		memset(val, (int)(i + 1), sizeof(val));
		cr_assert_eq(bk_map_update(m, &i, 4, val, 12, BK_ANY), 0);
	}
	for (uint32_t i = 0; i < 10; i++) {
		memset(val, (int)(i + 1), sizeof(val));
		cr_assert_eq(memcmp(base + 16 * i, val, 12), 0, "element %u", i);
	}
	memset(base + 16 * 4, 0xee, 12);
	{
		uint32_t k = 4;

		cr_assert_eq(bk_map_lookup(m, &k, 4, out, 12, 0), 0);
	}
	memset(val, 0xee, sizeof(val));
	cr_assert_eq(memcmp(out, val, 12), 0);
	bk_map_close(m);
}

Test(obj_map_mmap, frozen_maps_map_read_only)
{
	const volatile uint32_t *base;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_mmap_ro", 4, 4, 16,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_update_u32_u32(m, 3, 33, BK_ANY), 0);
	cr_assert_eq(bk_map_freeze(m), 0);
	base = bk_map_mmap(m);
	cr_assert_not_null(base, "%s", strerror(errno));
	cr_assert_eq(base[6], 33); /* 4-byte values sit 8 bytes apart */
	bk_map_close(m);
}

Test(obj_map_mmap, writable_mapping_blocks_freeze)
{
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_mmap_fz", 4, 8, 16,
			  BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	cr_assert_not_null(m);
	cr_assert_not_null(bk_map_mmap(m));
	cr_assert_eq(bk_map_freeze(m), -EBUSY);
	cr_assert_eq(bk_map_munmap(m), 0);
	cr_assert_eq(bk_map_freeze(m), 0);
	bk_map_close(m);
}

Test(obj_map_mmap, only_mmapable_arrays)
{
	struct bk_map *a, *h;

	BK_REQUIRE_KERNEL();
	a = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_nommap", 4, 8, 16, NULL);
	h = bk_map_create(BK_MAP_TYPE_HASH, "bk_nommap_h", 4, 8, 16, NULL);
	cr_assert_not_null(a);
	cr_assert_not_null(h);
	cr_assert_null(bk_map_mmap(a));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_map_mmap(h));
	cr_assert_eq(errno, EINVAL);
	bk_map_close(a);
	bk_map_close(h);
}
