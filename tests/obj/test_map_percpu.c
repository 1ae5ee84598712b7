// SPDX-License-Identifier: MIT
/* Per-CPU values: CPU list parsing, the value layout, slots and sums. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/map.h>

#include "../lib/bk_test.h"

TestSuite(obj_map_percpu, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_map_percpu, cpulist_forms)
{
	cr_assert_eq(bk_cpulist_count("0"), 1);
	cr_assert_eq(bk_cpulist_count("0-1\n"), 2);
	cr_assert_eq(bk_cpulist_count("0,2-5"), 5);
	cr_assert_eq(bk_cpulist_count("0-3,8-11,16"), 9);
	cr_assert_eq(bk_cpulist_count("7"), 1);
	cr_assert_eq(bk_cpulist_count(""), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(bk_cpulist_count("1-0"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("0-"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("0,,1"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("0,"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("x"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("0-1\n\n"), -EINVAL);
	cr_assert_eq(bk_cpulist_count("99999999999"), -EINVAL);
	cr_assert_eq(bk_cpulist_count(NULL), -EINVAL);
}

Test(obj_map_percpu, possible_cpus_from_sysfs)
{
	char buf[256] = { 0 };
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	int n;

	cr_assert_geq(fd, 0);
	cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0);
	close(fd);
	n = bk_num_possible_cpus();
	cr_assert_eq(n, bk_cpulist_count(buf));
	cr_assert_geq(n, sysconf(_SC_NPROCESSORS_ONLN));
	cr_assert_eq(bk_num_possible_cpus(), n); /* cached */
}

Test(obj_map_percpu, array_layout_slots_and_sum)
{
	int ncpus = bk_num_possible_cpus();
	struct bk_map *m;
	uint32_t one = 0, key = 1;
	uint64_t sum = 0;
	uint8_t *buf;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_PERCPU_ARRAY, "bk_pcpu", 4, 4, 4, NULL);
	cr_assert_not_null(m);
	cr_assert(bk_map_is_percpu(m));
	cr_assert_eq(bk_map_percpu_stride(m), 8);
	cr_assert_eq(bk_map_value_buf_size(m), (size_t)8 * ncpus);
	/* One CPU's worth is not a per-CPU value. */
	cr_assert_eq(bk_map_lookup(m, &key, 4, &one, 4, 0), -EINVAL);
	buf = calloc((size_t)ncpus, 8);
	cr_assert_not_null(buf);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		uint32_t v = 0xfffffff0u + (uint32_t)cpu; /* a u32 sum would wrap */
		memcpy(bk_map_percpu_slot(m, buf, (unsigned)cpu), &v, 4);
	}
	cr_assert_null(bk_map_percpu_slot(m, buf, (unsigned)ncpus));
	cr_assert_eq(bk_map_update(m, &key, 4, buf, bk_map_value_buf_size(m), BK_ANY), 0);
	memset(buf, 0, (size_t)ncpus * 8);
	cr_assert_eq(bk_map_lookup(m, &key, 4, buf, bk_map_value_buf_size(m), 0), 0);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		uint32_t v;

		memcpy(&v, bk_map_percpu_slot(m, buf, (unsigned)cpu), 4);
		cr_assert_eq(v, 0xfffffff0u + (uint32_t)cpu);
	}
	cr_assert_eq(bk_map_lookup_percpu_sum(m, &key, 4, &sum), 0);
	cr_assert_eq(sum, (uint64_t)ncpus * 0xfffffff0u + (uint64_t)ncpus * (ncpus - 1) / 2);
	free(buf);
	bk_map_close(m);
}

Test(obj_map_percpu, hash_update_all_and_sum)
{
	int ncpus = bk_num_possible_cpus();
	struct bk_map *m, *plain;
	uint64_t key = 42, v = 7, sum = 0;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_PERCPU_HASH, "bk_pcpu_h", 8, 8, 16, NULL);
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_lookup_percpu_sum(m, &key, 8, &sum), -ENOENT);
	cr_assert_eq(bk_map_update_percpu_all(m, &key, 8, &v, 8, BK_NOEXIST), 0);
	cr_assert_eq(bk_map_update_percpu_all(m, &key, 8, &v, 8, BK_NOEXIST), -EEXIST);
	cr_assert_eq(bk_map_lookup_percpu_sum(m, &key, 8, &sum), 0);
	cr_assert_eq(sum, 7 * (uint64_t)ncpus);
	cr_assert_eq(bk_map_update_percpu_all(m, &key, 8, &v, 4, BK_ANY), -EINVAL);
	plain = bk_map_create(BK_MAP_TYPE_HASH, "bk_plain", 8, 8, 4, NULL);
	cr_assert_not_null(plain);
	cr_assert_eq(bk_map_lookup_percpu_sum(plain, &key, 8, &sum), -EINVAL);
	cr_assert_null(bk_map_percpu_slot(plain, &v, 0));
	bk_map_close(plain);
	bk_map_close(m);
}

Test(obj_map_percpu, sum_needs_4_or_8_bytes)
{
	struct bk_map *m;
	uint32_t key = 0;
	uint64_t sum;

	BK_REQUIRE_KERNEL();
	/* value_size 12: slots of 16 bytes */
	m = bk_map_create(BK_MAP_TYPE_PERCPU_ARRAY, "bk_pcpu12", 4, 12, 1, NULL);
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_percpu_stride(m), 16);
	cr_assert_eq(bk_map_value_buf_size(m), (size_t)16 * bk_num_possible_cpus());
	cr_assert_eq(bk_map_lookup_percpu_sum(m, &key, 4, &sum), -EINVAL);
	bk_map_close(m);
}
