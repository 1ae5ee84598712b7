/* SPDX-License-Identifier: MIT */
/* Private to the ring buffer modules (ringbuf.c, user_ringbuf.c, perfbuf.c). */
#ifndef BK_RINGBUF_INT_H
#define BK_RINGBUF_INT_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"

/*
 * The kernel's positions are unsigned long. We reach them through C11
 * atomics of the same size and alignment, so the compiler emits plain loads
 * and stores with the barriers the protocol asks for (none on x86 for
 * acquire/release, ldar/stlr on arm64).
 */
typedef _Atomic unsigned long bk_rb_pos;
typedef _Atomic uint32_t bk_rb_len;
_Static_assert(sizeof(bk_rb_pos) == sizeof(unsigned long), "atomic position has a lock");
_Static_assert(sizeof(bk_rb_len) == sizeof(uint32_t), "atomic length has a lock");

/* Header size and padding of a record: 8-byte header, 8-byte alignment. */
#define BK_RB_REC_ALIGN 8UL
static inline unsigned long bk__rb_rec_total(uint32_t len)
{
	return ((unsigned long)len + BK_RINGBUF_HDR_SZ + BK_RB_REC_ALIGN - 1) & ~(BK_RB_REC_ALIGN - 1);
}

/* map_fd's type and data size; -EINVAL unless it is of type want. */
static inline int bk__rb_map_size(int map_fd, uint32_t want, unsigned long *size)
{
	struct bk_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int err = bk_sys_obj_get_info_by_fd(map_fd, &info, &len);

	if (err < 0)
		return err;
	if (info.type != want || !info.max_entries || (info.max_entries & (info.max_entries - 1)))
		return bk__err(-EINVAL);
	*size = info.max_entries;
	return 0;
}

/* An fd we create ourselves (epoll, perf event): close-on-exec is set by its
 * creator; here it is moved above 2 so it never stands in for stdio. */
static inline int bk__fd_above_stdio(int fd)
{
	int nfd, err;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	err = nfd < 0 ? -errno : 0;
	close(fd);
	return err ? bk__err(err) : nfd;
}

#endif /* BK_RINGBUF_INT_H */
