// SPDX-License-Identifier: MIT
/*
 * Per-CPU values: how many slots (possible CPUs, not online ones: the kernel
 * copies one slot per possible CPU), where each slot is, and sums.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

/* Parse a decimal CPU number at *p; -1 when there is none. */
static long parse_cpu(const char **p)
{
	long v = 0;

	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		if (v > 1L << 20)
			return -1;
		(*p)++;
	}
	return v;
}

int bk_cpulist_count(const char *list)
{
	const char *p = list;
	long count = 0;

	if (!p)
		return bk__err(-EINVAL);
	for (;;) {
		long lo = parse_cpu(&p), hi = lo;

		if (lo < 0)
			return bk__err(-EINVAL);
		if (*p == '-') {
			p++;
			hi = parse_cpu(&p);
			if (hi < lo)
				return bk__err(-EINVAL);
		}
		count += hi - lo + 1;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n')
			p++;
		return *p ? bk__err(-EINVAL) : (int)count;
	}
}

/* 0 until first read; racing first readers compute the same number. */
static atomic_int possible_cpus;

int bk_num_possible_cpus(void)
{
	char buf[256];
	int n = atomic_load_explicit(&possible_cpus, memory_order_relaxed);
	ssize_t len;

	if (n > 0)
		return n;
	len = bk__read_text("/sys/devices/system/cpu/possible", buf, sizeof(buf));
	if (len <= 0)
		return len < 0 ? (int)len : bk__err(-EINVAL);
	n = bk_cpulist_count(buf);
	if (n < 0)
		return n;
	atomic_store_explicit(&possible_cpus, n, memory_order_relaxed);
	return n;
}

size_t bk_map_percpu_stride(const struct bk_map *map)
{
	return bk__round8(map->value_size);
}

void *bk_map_percpu_slot(const struct bk_map *map, void *buf, unsigned int cpu)
{
	if (!map->ncpus || cpu >= map->ncpus || !buf)
		return NULL;
	return (uint8_t *)buf + (size_t)cpu * bk__round8(map->value_size);
}

int bk_map_lookup_percpu_sum(const struct bk_map *map, const void *key, size_t key_size,
			     uint64_t *sum)
{
	uint8_t *buf;
	uint64_t total = 0;
	int err;

	if (!map || !sum || !map->ncpus || (map->value_size != 4 && map->value_size != 8))
		return bk__err(-EINVAL);
	buf = malloc(map->value_buf);
	if (!buf)
		return bk__err(-ENOMEM);
	err = bk_map_lookup(map, key, key_size, buf, map->value_buf, 0);
	for (uint32_t cpu = 0; !err && cpu < map->ncpus; cpu++) {
		const uint8_t *slot = buf + (size_t)cpu * 8;
		uint32_t v32;
		uint64_t v64;

		if (map->value_size == 4) {
			memcpy(&v32, slot, sizeof(v32));
			total += v32;
		} else {
			memcpy(&v64, slot, sizeof(v64));
			total += v64;
		}
	}
	free(buf);
	if (!err)
		*sum = total;
	return err;
}

int bk_map_update_percpu_all(const struct bk_map *map, const void *key, size_t key_size,
			     const void *value, size_t value_size, uint64_t flags)
{
	size_t stride;
	uint8_t *buf;
	int err;

	if (!map || !map->ncpus || value_size != map->value_size || !value)
		return bk__err(-EINVAL);
	stride = bk__round8(map->value_size);
	buf = calloc(map->ncpus, stride);
	if (!buf)
		return bk__err(-ENOMEM);
	for (uint32_t cpu = 0; cpu < map->ncpus; cpu++)
		memcpy(buf + (size_t)cpu * stride, value, value_size);
	err = bk_map_update(map, key, key_size, buf, map->value_buf, flags);
	free(buf);
	return err;
}
