// SPDX-License-Identifier: MIT
/*
 * The one place that calls bpf(). Commands that return an fd get it moved
 * above 2 (a daemon that closed stdin would otherwise see its map in fd 0,
 * and a later printf would write into it) and close-on-exec (the kernel sets
 * O_CLOEXEC on bpf fds already; F_DUPFD_CLOEXEC keeps it so). Transient
 * EAGAIN from BPF_PROG_LOAD is retried here, once for every caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys_int.h"

#ifndef __NR_bpf
#if defined(__x86_64__)
#define __NR_bpf 321
#elif defined(__aarch64__)
#define __NR_bpf 280
#endif
#endif

#define PROG_LOAD_TRIES 5

static const unsigned char returns_fd[BK_CMD__MAX] = {
	[BK_CMD_MAP_CREATE] = 1,	[BK_CMD_PROG_LOAD] = 1,	       [BK_CMD_OBJ_GET] = 1,
	[BK_CMD_PROG_GET_FD_BY_ID] = 1, [BK_CMD_MAP_GET_FD_BY_ID] = 1, [BK_CMD_BTF_LOAD] = 1,
	[BK_CMD_BTF_GET_FD_BY_ID] = 1,	[BK_CMD_RAW_TRACEPOINT_OPEN] = 1,
	[BK_CMD_LINK_CREATE] = 1,	[BK_CMD_LINK_GET_FD_BY_ID] = 1,
	[BK_CMD_ENABLE_STATS] = 1,	[BK_CMD_ITER_CREATE] = 1,      [BK_CMD_TOKEN_CREATE] = 1,
};

static long raw_bpf(int cmd, union bk_bpf_attr *attr, unsigned int size)
{
	long r = syscall(__NR_bpf, cmd, attr, size);

	return r < 0 ? -errno : r;
}

/* Move fd to 3 or above; the original is closed either way. */
static long good_fd(long fd)
{
	long nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl((int)fd, F_DUPFD_CLOEXEC, 3);
	nfd = nfd < 0 ? -errno : nfd;
	close((int)fd);
	return nfd;
}

long bk_sys_bpf(int cmd, union bk_bpf_attr *attr, unsigned int size)
{
	int tries = cmd == BK_CMD_PROG_LOAD ? PROG_LOAD_TRIES : 1;
	long r;

	do {
		r = raw_bpf(cmd, attr, size);
	} while (r == -EAGAIN && --tries > 0);
	if (r >= 0 && cmd >= 0 && cmd < BK_CMD__MAX && returns_fd[cmd])
		r = good_fd(r);
	if (r < 0)
		errno = (int)-r;
	return r;
}
