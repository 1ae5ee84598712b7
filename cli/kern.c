// SPDX-License-Identifier: MIT
/* The object commands' kernel operations, over the bk_sys_* wrappers. */
#include <stddef.h>

#include <bpfkit/sys.h>

#include "kern.h"

int bk_cli_open_pinned(const char *path)
{
	return bk_sys_obj_get(path, NULL);
}

int bk_cli_pin(int fd, const char *path)
{
	return bk_sys_obj_pin(fd, path, NULL);
}

int bk_cli_map_lookup(int fd, const void *key, void *value)
{
	return bk_sys_map_lookup_elem(fd, key, value, 0);
}

int bk_cli_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return bk_sys_map_update_elem(fd, key, value, flags);
}

int bk_cli_map_delete(int fd, const void *key)
{
	return bk_sys_map_delete_elem(fd, key);
}

int bk_cli_map_next_key(int fd, const void *key, void *next)
{
	return bk_sys_map_get_next_key(fd, key, next);
}
