/* SPDX-License-Identifier: MIT */
/* Private to src/sys: growing the managed verifier log. */
#ifndef BK_VLOG_INT_H
#define BK_VLOG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/sys.h>

/* First size of a managed log; most logs of level 1 fit. */
#define BK__VLOG_INITIAL (64u << 10)
/* The kernel refuses larger log buffers (UINT32_MAX >> 2). */
#define BK__VLOG_MAX (UINT32_MAX >> 2)

/* Make room for at least size bytes. 0 or -ENOMEM. */
int bk__vlog_reserve(struct bk_vlog *v, size_t size);

/* Grow after ENOSPC: to true_size when the kernel said it, else double.
 * -E2BIG when already at the kernel's maximum. */
int bk__vlog_grow(struct bk_vlog *v, uint32_t true_size);

#endif /* BK_VLOG_INT_H */
