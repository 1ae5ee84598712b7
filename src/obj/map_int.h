/* SPDX-License-Identifier: MIT */
/* Private to the map modules (map*.c): the object behind struct bk_map. */
#ifndef BK_MAP_INT_H
#define BK_MAP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/map.h>

#include "obj_int.h"

/*
 * The shape is read once (from creation or from the kernel's info) and never
 * changes, which is what lets element calls run from several threads at once
 * without a lock. Only mmap_base/mmap_len and pin_path change after creation.
 */
struct bk_map {
	int fd;
	uint32_t type, key_size, value_size, max_entries, map_flags, id;
	uint64_t map_extra;
	size_t value_buf;	/* bytes of a value as user space reads it */
	uint32_t ncpus;		/* per-CPU slots, 0 for ordinary maps */
	char name[BK_OBJ_NAME_LEN];
	void *mmap_base;	/* bk_map_mmap(), NULL if unmapped */
	size_t mmap_len;
	char *pin_path;		/* last bk_map_pin() path, NULL if none */
};

/* Whether maps of this type keep one value per possible CPU. */
bool bk__map_type_percpu(uint32_t type);

/* The caller's key/value buffer sizes must match the map exactly: -EINVAL
 * otherwise (value_size is checked unless check_value is false). */
int bk__map_check_sizes(const struct bk_map *map, size_t key_size, size_t value_size,
			bool check_value);

/* Round n up to a multiple of 8, as the kernel lays out per-CPU values. */
static inline size_t bk__round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

#endif /* BK_MAP_INT_H */
