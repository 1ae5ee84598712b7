// SPDX-License-Identifier: MIT
/* Tracing hooks: tracepoints through a perf event, raw tracepoints, and the
 * BTF-typed ones (fentry, fexit, fmod_ret, lsm, tp_btf). */
#include <fcntl.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpfkit/prog.h>

#include "link_int.h"

/* An fd in 0..2 would be mistaken for stdio by whoever closes those. */
static int above_stdio(int fd)
{
	int moved;

	if (fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return moved < 0 ? bk__err(-errno) : moved;
}

/*
 * One event on CPU 0 is enough: the kernel hangs the program on the
 * tracepoint itself, so it runs on every CPU and for every task, and one
 * event costs one fd rather than one per CPU.
 */
static int tracepoint_event_open(uint64_t id)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return bk__err(-errno);
	return above_stdio((int)fd);
}

struct bk_link *bk_link_tracepoint(const struct bk_prog *prog, const char *category,
				   const char *name, const struct bk_link_opts *opts)
{
	struct bk_link_create_opts lc = { .sz = sizeof(lc) };
	uint64_t id;
	int link_fd, perf_fd, err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	err = bk__tracefs_event_id(category, name, &id);
	if (err)
		return bk__err_ptr(err);
	perf_fd = tracepoint_event_open(id);
	if (perf_fd < 0)
		return bk__err_ptr(perf_fd);
	lc.bpf_cookie = BK_OBJ_OPT(bk_link_opts, opts, cookie, 0);
	link_fd = bk_sys_link_create(bk_prog_fd(prog), perf_fd, BK_ATTACH_PERF_EVENT, &lc);
	if (link_fd < 0) {
		close(perf_fd);
		return bk__err_ptr(link_fd);
	}
	/* The link holds the event too; we keep our fd so the object owns all
	 * it opened, and closing it is part of closing the link. */
	return bk__link_new(BK_LINK_KIND_TRACEPOINT, link_fd, perf_fd);
}

struct bk_link *bk_link_raw_tracepoint(const struct bk_prog *prog, const char *name,
				       const struct bk_link_opts *opts)
{
	int fd, err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	fd = bk_sys_raw_tracepoint_open(name, bk_prog_fd(prog),
					BK_OBJ_OPT(bk_link_opts, opts, cookie, 0));
	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__link_new(BK_LINK_KIND_RAW_TRACEPOINT, fd, -1);
}

struct bk_link *bk_link_tracing(const struct bk_prog *prog, const struct bk_link_opts *opts)
{
	struct bk_link_create_opts lc = { .sz = sizeof(lc) };
	uint64_t cookie = BK_OBJ_OPT(bk_link_opts, opts, cookie, 0);
	uint32_t type;
	int fd, err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	type = bk_prog_expected_attach_type(prog);
	if (type == BK_ATTACH_TRACE_RAW_TP) {
		/* The target is in the program (attach_btf_id): no name to give. */
		fd = bk_sys_raw_tracepoint_open(NULL, bk_prog_fd(prog), cookie);
	} else if (type == BK_ATTACH_TRACE_FENTRY || type == BK_ATTACH_TRACE_FEXIT ||
		   type == BK_ATTACH_MODIFY_RETURN || type == BK_ATTACH_LSM_MAC) {
		lc.bpf_cookie = cookie;
		fd = bk_sys_link_create(bk_prog_fd(prog), 0, type, &lc);
	} else {
		return bk__err_ptr(-EINVAL);
	}
	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__link_new(type == BK_ATTACH_TRACE_RAW_TP ? BK_LINK_KIND_RAW_TRACEPOINT
							   : BK_LINK_KIND_TRACING,
			    fd, -1);
}
