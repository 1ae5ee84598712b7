/* SPDX-License-Identifier: MIT */
/* Private to the link modules (link*.c): the object behind struct bk_link. */
#ifndef BK_LINK_INT_H
#define BK_LINK_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <bpfkit/link.h>

#include "obj_int.h"

/*
 * fd is the kernel link (-1 for a socket filter, and after a detach that had
 * to close it). aux_fd is what the link needs kept open besides: the perf
 * event of a tracepoint link, our duplicate of a filtered socket; -1 if none.
 */
struct bk_link {
	enum bk_link_kind kind;
	int fd;
	int aux_fd;
	uint32_t id;
	bool detached;
};

/* Take ownership of fd and aux_fd (both closed on failure) as a link of kind. */
struct bk_link *bk__link_new(enum bk_link_kind kind, int fd, int aux_fd);

/* -EINVAL for a NULL program or opts this library cannot honour, else 0. */
int bk__link_check(const struct bk_prog *prog, const struct bk_link_opts *opts);

/* The part of opts BPF_LINK_CREATE takes for ordering and cookies. */
struct bk_link_create_opts bk__link_create_opts(const struct bk_link_opts *opts);

/* BPF_LINK_CREATE of prog (checked) to target with lc, as a link of kind. */
struct bk_link *bk__link_kernel(const struct bk_prog *prog, int target, uint32_t attach_type,
				const struct bk_link_create_opts *lc, enum bk_link_kind kind);

/*
 * bk__link_check(), then bk__link_kernel() with opts' ordering (and cookie,
 * when the hook has cookies): the whole of an attach through BPF_LINK_CREATE.
 */
struct bk_link *bk__link_attach(const struct bk_prog *prog, int target, uint32_t attach_type,
				const struct bk_link_opts *opts, enum bk_link_kind kind,
				bool cookie);

/*
 * The id of tracepoint category/name, read from tracefs (found in the mount
 * table, else at its usual places). 0, -ENOENT (no tracefs, no such
 * tracepoint), -EINVAL (a name that is no tracepoint name) or -errno.
 */
int bk__tracefs_event_id(const char *category, const char *name, uint64_t *id);

#endif /* BK_LINK_INT_H */
