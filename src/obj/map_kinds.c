// SPDX-License-Identifier: MIT
/*
 * Maps whose elements are not plain bytes: fd-valued maps (prog array,
 * map-in-map), keyless maps (queue, stack, bloom filter) and LPM trie keys.
 */
#include <string.h>

#include "map_int.h"

static bool type_holds_fds(uint32_t type)
{
	return type == BK_MAP_TYPE_PROG_ARRAY || type == BK_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BK_MAP_TYPE_HASH_OF_MAPS || type == BK_MAP_TYPE_PERF_EVENT_ARRAY ||
	       type == BK_MAP_TYPE_CGROUP_ARRAY;
}

int bk_map_update_fd(const struct bk_map *map, const void *key, size_t key_size, int fd,
		     uint64_t flags)
{
	uint32_t v = (uint32_t)fd;

	if (map && !type_holds_fds(map->type))
		return bk__err(-EINVAL);
	return bk_map_update(map, key, key_size, &v, sizeof(v), flags);
}

int bk_map_lookup_id(const struct bk_map *map, const void *key, size_t key_size, uint32_t *id)
{
	/* Written with an fd, read back as the object's id: the kernel never
	 * hands an fd out through a lookup. */
	if (map && !type_holds_fds(map->type))
		return bk__err(-EINVAL);
	return bk_map_lookup(map, key, key_size, id, sizeof(*id), 0);
}

static bool type_keyless(uint32_t type)
{
	return type == BK_MAP_TYPE_QUEUE || type == BK_MAP_TYPE_STACK ||
	       type == BK_MAP_TYPE_BLOOM_FILTER;
}

static int check_keyless(const struct bk_map *map, const void *value, size_t value_size)
{
	int err = bk__map_check_sizes(map, 0, value_size, true);

	if (err)
		return err;
	if (!type_keyless(map->type) || !value)
		return bk__err(-EINVAL);
	return 0;
}

int bk_map_push(const struct bk_map *map, const void *value, size_t value_size, uint64_t flags)
{
	int err = check_keyless(map, value, value_size);

	if (err)
		return err;
	return bk_sys_map_update_elem(map->fd, NULL, value, flags);
}

int bk_map_pop(const struct bk_map *map, void *value, size_t value_size)
{
	int err = check_keyless(map, value, value_size);

	if (err)
		return err;
	if (map->type == BK_MAP_TYPE_BLOOM_FILTER)
		return bk__err(-EINVAL); /* membership only: nothing to take */
	return bk_sys_map_lookup_and_delete_elem(map->fd, NULL, value, 0);
}

int bk_map_peek(const struct bk_map *map, void *value, size_t value_size)
{
	int err = check_keyless(map, value, value_size);

	if (err)
		return err;
	return bk_sys_map_lookup_elem(map->fd, NULL, value, 0);
}

int bk_lpm_key_init(void *key, size_t key_size, uint32_t prefixlen, const void *data,
		    size_t data_len)
{
	if (!key || key_size < sizeof(uint32_t) + 1 || data_len != key_size - sizeof(uint32_t))
		return bk__err(-EINVAL);
	if (prefixlen > 8 * data_len || (data_len && !data))
		return bk__err(-EINVAL);
	/* prefixlen is host order (the kernel reads it as a u32); the data
	 * keeps the caller's byte order, network order for addresses. */
	memcpy(key, &prefixlen, sizeof(prefixlen));
	memcpy((uint8_t *)key + sizeof(prefixlen), data, data_len);
	return 0;
}
