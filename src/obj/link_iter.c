// SPDX-License-Identifier: MIT
/* BPF iterators: the link, and reading one pass of its output. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/prog.h>

#include "link_int.h"

/* union bpf_iter_link_info as the kernel lays it out (16 bytes). */
union bk__iter_info {
	struct {
		uint32_t map_fd;
	} map;
	struct {
		uint32_t order, cgroup_fd;
		uint64_t cgroup_id;
	} cgroup;
	struct {
		uint32_t tid, pid, pid_fd;
	} task;
};

_Static_assert(sizeof(union bk__iter_info) == 16, "bpf_iter_link_info is 16 bytes");

/*
 * The union's members overlap, and only the kernel knows which one the
 * program's target reads: the caller may narrow by one thing only. Returns
 * the bytes to pass (0: a full iteration) or -EINVAL.
 */
static int iter_info(const struct bk_link_opts *o, union bk__iter_info *info)
{
	int map_fd = BK_OBJ_OPT(bk_link_opts, o, iter_map_fd, 0);
	uint32_t cg_fd = BK_OBJ_OPT(bk_link_opts, o, iter_cgroup_fd, 0);
	uint32_t cg_order = BK_OBJ_OPT(bk_link_opts, o, iter_cgroup_order, 0);
	uint32_t tid = BK_OBJ_OPT(bk_link_opts, o, iter_tid, 0);
	uint32_t pid = BK_OBJ_OPT(bk_link_opts, o, iter_pid, 0);
	uint32_t pid_fd = BK_OBJ_OPT(bk_link_opts, o, iter_pid_fd, 0);
	int used = (map_fd != 0) + (cg_fd || cg_order) + (tid || pid || pid_fd);

	memset(info, 0, sizeof(*info));
	if (used > 1 || map_fd < 0)
		return bk__err(-EINVAL);
	if (map_fd)
		info->map.map_fd = (uint32_t)map_fd;
	else if (cg_fd || cg_order)
		info->cgroup.order = cg_order, info->cgroup.cgroup_fd = cg_fd;
	else if (tid || pid || pid_fd)
		info->task.tid = tid, info->task.pid = pid, info->task.pid_fd = pid_fd;
	return used ? (int)sizeof(*info) : 0;
}

struct bk_link *bk_link_iter(const struct bk_prog *prog, const struct bk_link_opts *opts)
{
	struct bk_link_create_opts lc = { .sz = sizeof(lc) };
	union bk__iter_info info;
	int len, err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	len = iter_info(opts, &info);
	if (len < 0)
		return bk__err_ptr(len);
	lc.iter_info = len ? &info : NULL;
	lc.iter_info_len = (uint32_t)len;
	return bk__link_kernel(prog, 0, BK_ATTACH_TRACE_ITER, &lc, BK_LINK_KIND_ITER);
}

int bk_link_iter_open(const struct bk_link *link)
{
	int fd;

	if (!link)
		return bk__err(-EINVAL);
	if (link->fd < 0)
		return bk__err(link->kind == BK_LINK_KIND_SOCKET ? -EINVAL : -ENOLINK);
	fd = bk_sys_iter_create(link->fd);
	return fd < 0 ? bk__err(fd) : fd;
}

/* A program that keeps asking to be restarted must not hang the reader. */
#define ITER_MAX_AGAIN 1000

/* Room for at least 4 KiB more (seq_file hands out up to a page per read). */
static int grow(char **buf, size_t *cap, size_t len)
{
	size_t want = *cap;
	char *nb;

	while (want - len < 4096 + 1) {
		if (want > SIZE_MAX / 2)
			return -ENOMEM;
		want *= 2;
	}
	if (want == *cap)
		return 0;
	nb = realloc(*buf, want);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = want;
	return 0;
}

static int read_all(int fd, char **out, size_t *out_len)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int again = 0, err = 0;

	while (buf && !err) {
		ssize_t n;

		err = grow(&buf, &cap, len);
		if (err)
			break;
		n = read(fd, buf + len, cap - len - 1);
		if (n == 0)
			break;
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (errno == EINTR || (errno == EAGAIN && ++again < ITER_MAX_AGAIN))
			continue;
		err = -errno;
	}
	if (!buf || err) {
		free(buf);
		return buf ? err : -ENOMEM;
	}
	buf[len] = '\0';
	*out = buf;
	if (out_len)
		*out_len = len;
	return 0;
}

int bk_link_iter_read(const struct bk_link *link, char **out, size_t *len)
{
	int fd, err;

	if (!out)
		return bk__err(-EINVAL);
	*out = NULL;
	fd = bk_link_iter_open(link);
	if (fd < 0)
		return fd;
	err = read_all(fd, out, len);
	close(fd);
	return err ? bk__err(err) : 0;
}
