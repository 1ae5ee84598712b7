// SPDX-License-Identifier: MIT
/*
 * struct bk_link: the shared life cycle of every attachment (create through
 * BPF_LINK_CREATE, adopt an fd or a pin, pin, update, detach, close) and the
 * getters. How each hook is reached lives in link_net.c, link_trace.c and
 * link_iter.c.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpfkit/prog.h>

#include "link_int.h"

#ifndef SO_DETACH_BPF
#define SO_DETACH_BPF 27
#endif

_Static_assert(sizeof(struct bk_link_opts) ==
		       BK_OPTS_KNOWN(bk_link_opts, bk_link_opts__last_field),
	       "bk_link_opts has padding");

struct bk_link *bk__link_new(enum bk_link_kind kind, int fd, int aux_fd)
{
	struct bk_link_info info;
	uint32_t len = sizeof(info);
	struct bk_link *link;
	int err = -ENOMEM;

	memset(&info, 0, sizeof(info));
	/* The id is read once: it never changes and callers list links by it. */
	if (fd >= 0) {
		err = bk_sys_obj_get_info_by_fd(fd, &info, &len);
		if (err < 0)
			goto fail;
		err = -ENOMEM;
	}
	link = calloc(1, sizeof(*link));
	if (!link)
		goto fail;
	link->kind = kind;
	link->fd = fd;
	link->aux_fd = aux_fd;
	link->id = info.id;
	return link;
fail:
	if (fd >= 0)
		close(fd);
	if (aux_fd >= 0)
		close(aux_fd);
	return bk__err_ptr(err);
}

int bk__link_check(const struct bk_prog *prog, const struct bk_link_opts *opts)
{
	if (!prog)
		return bk__err(-EINVAL);
	return bk__obj_opts_check(opts, BK_OPTS_KNOWN(bk_link_opts, bk_link_opts__last_field));
}

struct bk_link_create_opts bk__link_create_opts(const struct bk_link_opts *o)
{
	struct bk_link_create_opts lc = {
		.sz = sizeof(lc),
		.flags = BK_OBJ_OPT(bk_link_opts, o, flags, 0),
		.relative_fd = BK_OBJ_OPT(bk_link_opts, o, relative_fd, 0),
		.expected_revision = BK_OBJ_OPT(bk_link_opts, o, expected_revision, 0),
		.bpf_cookie = BK_OBJ_OPT(bk_link_opts, o, cookie, 0),
	};

	return lc;
}

struct bk_link *bk__link_kernel(const struct bk_prog *prog, int target, uint32_t attach_type,
				const struct bk_link_create_opts *lc, enum bk_link_kind kind)
{
	int fd = bk_sys_link_create(bk_prog_fd(prog), target, attach_type, lc);

	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__link_new(kind, fd, -1);
}

struct bk_link *bk__link_attach(const struct bk_prog *prog, int target, uint32_t attach_type,
				const struct bk_link_opts *opts, enum bk_link_kind kind,
				bool cookie)
{
	struct bk_link_create_opts lc;
	int err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	lc = bk__link_create_opts(opts);
	if (!cookie)
		lc.bpf_cookie = 0;
	return bk__link_kernel(prog, target, attach_type, &lc, kind);
}

struct bk_link *bk_link_create(const struct bk_prog *prog, int target, uint32_t attach_type,
			       const struct bk_link_opts *opts)
{
	return bk__link_attach(prog, target, attach_type, opts, BK_LINK_KIND_GENERIC, true);
}

struct bk_link *bk_link_from_fd(int fd)
{
	int own = bk__fd_dup_kind(fd, BK__FD_LINK);

	if (own < 0)
		return bk__err_ptr(own);
	return bk__link_new(BK_LINK_KIND_GENERIC, own, -1);
}

struct bk_link *bk_link_open_pinned(const char *path)
{
	int fd = bk__fd_get_pinned_kind(path, BK__FD_LINK);

	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__link_new(BK_LINK_KIND_GENERIC, fd, -1);
}

/* 0, or the negative errno r with errno set; success leaves errno alone. */
static int ok_or_err(int r)
{
	return r < 0 ? bk__err(r) : 0;
}

/* The kernel would answer these itself, but with EINVAL, which says nothing. */
static bool kind_updatable(enum bk_link_kind kind)
{
	return kind != BK_LINK_KIND_SOCKET && kind != BK_LINK_KIND_TRACEPOINT &&
	       kind != BK_LINK_KIND_RAW_TRACEPOINT && kind != BK_LINK_KIND_TRACING;
}

int bk_link_update(struct bk_link *link, const struct bk_prog *new_prog)
{
	if (!link || !new_prog)
		return bk__err(-EINVAL);
	if (!kind_updatable(link->kind))
		return bk__err(-EOPNOTSUPP);
	if (link->fd < 0)
		return bk__err(-ENOLINK);
	return ok_or_err(bk_sys_link_update(link->fd, bk_prog_fd(new_prog), 0, 0));
}

static int socket_detach(struct bk_link *link)
{
	int unused = 0;

	if (setsockopt(link->aux_fd, SOL_SOCKET, SO_DETACH_BPF, &unused, sizeof(unused)) < 0)
		return bk__err(-errno);
	return 0;
}

/* Perf event and raw tracepoint links have no BPF_LINK_DETACH in the kernel:
 * dropping our fds is the detach, and a pin (or someone else's fd) keeps the
 * program running, as closing would. */
static int release_fds(struct bk_link *link)
{
	if (link->fd >= 0)
		close(link->fd);
	if (link->aux_fd >= 0)
		close(link->aux_fd);
	link->fd = link->aux_fd = -1;
	return 0;
}

int bk_link_detach(struct bk_link *link)
{
	int err;

	if (!link)
		return bk__err(-EINVAL);
	if (link->detached)
		return 0;
	if (link->kind == BK_LINK_KIND_SOCKET)
		err = socket_detach(link);
	else if (link->kind == BK_LINK_KIND_TRACEPOINT || link->kind == BK_LINK_KIND_RAW_TRACEPOINT)
		err = release_fds(link);
	else
		err = bk_sys_link_detach(link->fd);
	if (err)
		return bk__err(err);
	link->detached = true;
	return 0;
}

int bk_link_pin(struct bk_link *link, const char *path)
{
	if (!link || !path)
		return bk__err(-EINVAL);
	if (link->kind == BK_LINK_KIND_SOCKET)
		return bk__err(-EOPNOTSUPP);
	if (link->fd < 0)
		return bk__err(-ENOLINK);
	return ok_or_err(bk_sys_obj_pin(link->fd, path, NULL));
}

void bk_link_close(struct bk_link *link)
{
	int saved = errno;

	if (!link)
		return;
	/* The socket outlives us (it is the caller's): take the filter off it. */
	if (link->kind == BK_LINK_KIND_SOCKET && !link->detached)
		socket_detach(link);
	release_fds(link);
	free(link);
	errno = saved;
}

enum bk_link_kind bk_link_kind(const struct bk_link *link) { return link->kind; }

int bk_link_fd(const struct bk_link *link) { return link->fd; }

uint32_t bk_link_id(const struct bk_link *link) { return link->id; }

int bk_link_info(const struct bk_link *link, struct bk_info_link *out)
{
	if (!link || !out)
		return bk__err(-EINVAL);
	if (link->kind == BK_LINK_KIND_SOCKET)
		return bk__err(-EOPNOTSUPP);
	if (link->fd < 0)
		return bk__err(-ENOLINK);
	return bk_info_link(link->fd, out);
}
