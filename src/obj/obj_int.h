/* SPDX-License-Identifier: MIT */
/*
 * Private to the objects layer (src/obj): helpers every object module shares.
 * Module-private state lives in each module's own header (map_int.h...).
 */
#ifndef BK_OBJ_INT_H
#define BK_OBJ_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"

/* The opts check is the library-wide one (common_int.h). */
static inline int bk__obj_opts_check(const void *opts, size_t known)
{
	return bk__opts_check(opts, known);
}

/* Bytes of TYPE up to and including its bk_TYPE_opts__last_field. */
#define BK_OPTS_KNOWN(TYPE, LAST) (offsetof(struct TYPE, LAST) + sizeof(((struct TYPE *)0)->LAST))

/* BK_OPT() for a struct tag: field of opts, or def when too old or NULL. */
#define BK_OBJ_OPT(TYPE, opts, field, def) BK_OPT(struct TYPE, opts, field, def)

/* Names /proc gives bpf object fds ("anon_inode:NAME"). */
#define BK__FD_MAP "bpf-map"
#define BK__FD_PROG "bpf-prog"
#define BK__FD_LINK "bpf_link"
#define BK__FD_BTF "btf"

/* 0 when fd is a bpf object of that kind, -EINVAL when another, -EBADF. */
int bk__fd_check_kind(int fd, const char *anon_name);

/* A close-on-exec duplicate (above 2) of a caller's fd of that kind, or -errno. */
int bk__fd_dup_kind(int fd, const char *anon_name);

/* The fd of the object of that kind pinned at path, or -errno. */
int bk__fd_get_pinned_kind(const char *path, const char *anon_name);

/* Read a small file (one read, size - 1 bytes at most) NUL-terminated into
 * buf: its length, or -errno. */
ssize_t bk__read_text(const char *path, char *buf, size_t size);

#endif /* BK_OBJ_INT_H */
