// SPDX-License-Identifier: MIT
/*
 * struct bk_map: creation, opening (fd, id, pin), pinning, getters and the
 * single-element commands, each checking the caller's buffer sizes against
 * the map's shape before the kernel copies a byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "map_int.h"

/* Options structs have no implicit padding: sz checks see every byte. */
_Static_assert(sizeof(struct bk_map_opts) == BK_OPTS_KNOWN(bk_map_opts, bk_map_opts__last_field),
	       "bk_map_opts has padding");

bool bk__map_type_percpu(uint32_t type)
{
	return type == BK_MAP_TYPE_PERCPU_HASH || type == BK_MAP_TYPE_PERCPU_ARRAY ||
	       type == BK_MAP_TYPE_LRU_PERCPU_HASH || type == BK_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* Take ownership of fd (closed on failure) and read the map's shape. The fd
 * must be a map's: program, link and BTF fds answer the info call too, with
 * another struct (bk__fd_check_kind() tells them apart). */
static struct bk_map *map_from_owned_fd(int fd)
{
	struct bk_map_info info;
	uint32_t len = sizeof(info);
	struct bk_map *map;
	int err;

	memset(&info, 0, sizeof(info));
	err = bk_sys_obj_get_info_by_fd(fd, &info, &len);
	if (err < 0)
		goto fail;
	map = calloc(1, sizeof(*map));
	if (!map) {
		err = -ENOMEM;
		goto fail;
	}
	map->fd = fd;
	map->type = info.type;
	map->id = info.id;
	map->key_size = info.key_size;
	map->value_size = info.value_size;
	map->max_entries = info.max_entries;
	map->map_flags = info.map_flags;
	map->map_extra = info.map_extra;
	memcpy(map->name, info.name, sizeof(map->name));
	map->name[sizeof(map->name) - 1] = '\0';
	map->value_buf = map->value_size;
	if (bk__map_type_percpu(map->type)) {
		int n = bk_num_possible_cpus();

		if (n < 0) {
			err = n;
			free(map);
			goto fail;
		}
		map->ncpus = (uint32_t)n;
		map->value_buf = bk__round8(map->value_size) * (size_t)n;
	}
	return map;
fail:
	close(fd);
	return bk__err_ptr(err);
}

struct bk_map *bk_map_create(enum bk_map_type type, const char *name, uint32_t key_size,
			     uint32_t value_size, uint32_t max_entries,
			     const struct bk_map_opts *opts)
{
	const struct bk_map_opts *o = opts;
	int fd, err;

	err = bk__obj_opts_check(o, BK_OPTS_KNOWN(bk_map_opts, bk_map_opts__last_field));
	if (err)
		return bk__err_ptr(err);
	fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = (uint32_t)type,
				       .key_size = key_size, .value_size = value_size,
				       .max_entries = max_entries, .map_name = name,
				       .map_flags = BK_OBJ_OPT(bk_map_opts, o, map_flags, 0),
				       .numa_node = BK_OBJ_OPT(bk_map_opts, o, numa_node, 0),
				       .inner_map_fd = BK_OBJ_OPT(bk_map_opts, o, inner_map_fd, 0),
				       .map_ifindex = BK_OBJ_OPT(bk_map_opts, o, map_ifindex, 0),
				       .map_extra = BK_OBJ_OPT(bk_map_opts, o, map_extra, 0),
				       .btf_fd = BK_OBJ_OPT(bk_map_opts, o, btf_fd, 0),
				       .btf_key_type_id = BK_OBJ_OPT(bk_map_opts, o, btf_key_type_id, 0),
				       .btf_value_type_id =
					       BK_OBJ_OPT(bk_map_opts, o, btf_value_type_id, 0),
				       .btf_vmlinux_value_type_id = BK_OBJ_OPT(
					       bk_map_opts, o, btf_vmlinux_value_type_id, 0)));
	if (fd < 0) {
		bk__debug("map create (type %d, key %u, value %u, max %u) failed: %d", (int)type,
			  key_size, value_size, max_entries, fd);
		return bk__err_ptr(fd);
	}
	return map_from_owned_fd(fd);
}

struct bk_map *bk_map_from_fd(int fd)
{
	int dup_fd = bk__fd_dup_kind(fd, BK__FD_MAP);

	if (dup_fd < 0)
		return bk__err_ptr(dup_fd);
	return map_from_owned_fd(dup_fd);
}

struct bk_map *bk_map_from_id(uint32_t id)
{
	int fd = bk_sys_map_get_fd_by_id(id, 0);

	if (fd < 0)
		return bk__err_ptr(fd);
	return map_from_owned_fd(fd);
}

struct bk_map *bk_map_open_pinned(const char *path)
{
	int fd = bk__fd_get_pinned_kind(path, BK__FD_MAP);

	if (fd < 0)
		return bk__err_ptr(fd);
	return map_from_owned_fd(fd);
}

int bk_map_pin(struct bk_map *map, const char *path)
{
	char *copy;
	int err;

	if (!map || !path)
		return bk__err(-EINVAL);
	copy = strdup(path);
	if (!copy)
		return bk__err(-ENOMEM);
	err = bk_sys_obj_pin(map->fd, path, NULL);
	if (err < 0) {
		free(copy);
		return err;
	}
	free(map->pin_path);
	map->pin_path = copy;
	return 0;
}

int bk_map_unpin(struct bk_map *map, const char *path)
{
	const char *p = path;

	if (!map)
		return bk__err(-EINVAL);
	if (!p)
		p = map->pin_path;
	if (!p)
		return bk__err(-EINVAL);
	if (unlink(p) < 0)
		return bk__err(-errno);
	if (map->pin_path && strcmp(p, map->pin_path) == 0) {
		free(map->pin_path);
		map->pin_path = NULL;
	}
	return 0;
}

void bk_map_close(struct bk_map *map)
{
	int saved = errno;

	if (!map)
		return;
	bk_map_munmap(map);
	close(map->fd);
	free(map->pin_path);
	free(map);
	errno = saved;
}

/* ---- getters ---- */

int bk_map_fd(const struct bk_map *map) { return map->fd; }
enum bk_map_type bk_map_type(const struct bk_map *map) { return (enum bk_map_type)map->type; }
uint32_t bk_map_key_size(const struct bk_map *map) { return map->key_size; }
uint32_t bk_map_value_size(const struct bk_map *map) { return map->value_size; }
uint32_t bk_map_max_entries(const struct bk_map *map) { return map->max_entries; }
uint32_t bk_map_flags(const struct bk_map *map) { return map->map_flags; }
uint64_t bk_map_map_extra(const struct bk_map *map) { return map->map_extra; }
const char *bk_map_name(const struct bk_map *map) { return map->name; }
uint32_t bk_map_id(const struct bk_map *map) { return map->id; }
bool bk_map_is_percpu(const struct bk_map *map) { return map->ncpus != 0; }
size_t bk_map_value_buf_size(const struct bk_map *map) { return map->value_buf; }

/* ---- elements ---- */

int bk__map_check_sizes(const struct bk_map *map, size_t key_size, size_t value_size,
			bool check_value)
{
	if (!map)
		return bk__err(-EINVAL);
	if (key_size != map->key_size) {
		bk__debug("map %s: key of %zu bytes, the map's keys have %u", map->name, key_size,
			  map->key_size);
		return bk__err(-EINVAL);
	}
	if (check_value && value_size != map->value_buf) {
		bk__debug("map %s: value of %zu bytes, the map needs %zu", map->name, value_size,
			  map->value_buf);
		return bk__err(-EINVAL);
	}
	return 0;
}

/* Keyless maps (queue, stack, bloom filter) take a NULL key: the kernel
 * refuses any pointer there. */
static const void *key_arg(const struct bk_map *map, const void *key)
{
	return map->key_size ? key : NULL;
}

static int check_elem(const struct bk_map *map, const void *key, size_t key_size,
		      const void *value, size_t value_size)
{
	int err = bk__map_check_sizes(map, key_size, value_size, true);

	if (err)
		return err;
	if ((map->key_size && !key) || (map->value_buf && !value))
		return bk__err(-EINVAL);
	return 0;
}

int bk_map_lookup(const struct bk_map *map, const void *key, size_t key_size, void *value,
		  size_t value_size, uint64_t flags)
{
	int err = check_elem(map, key, key_size, value, value_size);

	if (err)
		return err;
	return bk_sys_map_lookup_elem(map->fd, key_arg(map, key), value, flags);
}

int bk_map_update(const struct bk_map *map, const void *key, size_t key_size, const void *value,
		  size_t value_size, uint64_t flags)
{
	int err = check_elem(map, key, key_size, value, value_size);

	if (err)
		return err;
	return bk_sys_map_update_elem(map->fd, key_arg(map, key), value, flags);
}

int bk_map_delete(const struct bk_map *map, const void *key, size_t key_size)
{
	int err = bk__map_check_sizes(map, key_size, 0, false);

	if (err)
		return err;
	if (map->key_size && !key)
		return bk__err(-EINVAL);
	return bk_sys_map_delete_elem(map->fd, key_arg(map, key));
}

int bk_map_lookup_and_delete(const struct bk_map *map, const void *key, size_t key_size,
			     void *value, size_t value_size, uint64_t flags)
{
	int err = check_elem(map, key, key_size, value, value_size);

	if (err)
		return err;
	return bk_sys_map_lookup_and_delete_elem(map->fd, key_arg(map, key), value, flags);
}

int bk_map_get_next_key(const struct bk_map *map, const void *key, void *next_key,
			size_t key_size)
{
	int err = bk__map_check_sizes(map, key_size, 0, false);

	if (err)
		return err;
	if (!next_key)
		return bk__err(-EINVAL);
	return bk_sys_map_get_next_key(map->fd, key, next_key);
}

int bk_map_freeze(const struct bk_map *map)
{
	if (!map)
		return bk__err(-EINVAL);
	return bk_sys_map_freeze(map->fd);
}
