/* SPDX-License-Identifier: MIT */
/*
 * The few kernel operations the object commands need beyond info.h: open and
 * pin bpffs paths, and map element access. Kept in one place so the commands
 * read as what they print. Each returns 0 (or an fd) or a negative errno.
 */
#ifndef BK_CLI_KERN_H
#define BK_CLI_KERN_H

#include <stdint.h>

int bk_cli_open_pinned(const char *path);
int bk_cli_pin(int fd, const char *path);
int bk_cli_map_lookup(int fd, const void *key, void *value);
int bk_cli_map_update(int fd, const void *key, const void *value, uint64_t flags);
int bk_cli_map_delete(int fd, const void *key);
/* key NULL: the first key. -ENOENT after the last. */
int bk_cli_map_next_key(int fd, const void *key, void *next);

#endif /* BK_CLI_KERN_H */
