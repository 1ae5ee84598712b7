// SPDX-License-Identifier: MIT
/*
 * BK_F_MMAPABLE arrays (Linux 5.5) in memory. The kernel lays the values out
 * page-aligned, each round_up(value_size, 8) bytes apart, and maps them from
 * offset 0 of the map fd:
 *
 *   base                                          base + mmap_size
 *   +-----------+-----------+-----+---------------+--------------+
 *   | value 0   | value 1   | ... | value n-1     | rest of page |
 *   +-----------+-----------+-----+---------------+--------------+
 */
#include <sys/mman.h>
#include <unistd.h>

#include "map_int.h"

static size_t mmap_len(const struct bk_map *map)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = bk__round8(map->value_size) * (size_t)map->max_entries;

	return (bytes + page - 1) / page * page;
}

void *bk_map_mmap(struct bk_map *map)
{
	size_t len;
	void *p;

	if (!map)
		return bk__err_ptr(-EINVAL);
	if (map->mmap_base)
		return map->mmap_base;
	if (map->type != BK_MAP_TYPE_ARRAY || !(map->map_flags & BK_F_MMAPABLE))
		return bk__err_ptr(-EINVAL);
	len = mmap_len(map);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, map->fd, 0);
	/* A frozen map, or one opened read-only, refuses writable mappings
	 * (EPERM/EACCES): it can still be read. */
	if (p == MAP_FAILED && (errno == EPERM || errno == EACCES))
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, map->fd, 0);
	if (p == MAP_FAILED)
		return bk__err_ptr(-errno);
	map->mmap_base = p;
	map->mmap_len = len;
	return p;
}

size_t bk_map_mmap_size(const struct bk_map *map)
{
	return map->mmap_base ? map->mmap_len : 0;
}

int bk_map_munmap(struct bk_map *map)
{
	if (!map)
		return bk__err(-EINVAL);
	if (!map->mmap_base)
		return 0;
	if (munmap(map->mmap_base, map->mmap_len) < 0)
		return bk__err(-errno);
	map->mmap_base = NULL;
	map->mmap_len = 0;
	return 0;
}
