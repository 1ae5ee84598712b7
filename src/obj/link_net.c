// SPDX-License-Identifier: MIT
/* Network device and socket hooks: socket filters, XDP and tcx. */
#include <fcntl.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpfkit/prog.h>

#include "link_int.h"

#ifndef SO_ATTACH_BPF
#define SO_ATTACH_BPF 50
#endif

/*
 * The filter goes on our own duplicate of the socket: the caller may close
 * or dup2 over their fd, and SO_DETACH_BPF must still reach the same socket
 * (the filter belongs to the socket, not to an fd).
 */
struct bk_link *bk_link_socket(const struct bk_prog *prog, int sock_fd)
{
	int prog_fd, dup_fd, err = bk__link_check(prog, NULL);

	if (err)
		return bk__err_ptr(err);
	if (sock_fd < 0)
		return bk__err_ptr(-EBADF);
	dup_fd = fcntl(sock_fd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd < 0)
		return bk__err_ptr(-errno);
	prog_fd = bk_prog_fd(prog);
	if (setsockopt(dup_fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) < 0) {
		err = -errno;
		close(dup_fd);
		return bk__err_ptr(err);
	}
	return bk__link_new(BK_LINK_KIND_SOCKET, -1, dup_fd);
}

/* The kernel answers EINVAL for an XDP link to a missing interface, as for
 * a bad program or flags; say ENODEV when that is the reason, as tcx does. */
static struct bk_link *xdp_error(int ifindex)
{
	char name[IF_NAMESIZE];
	int err = errno;

	if (err == EINVAL && (ifindex <= 0 || !if_indextoname((unsigned)ifindex, name)))
		err = ENODEV;
	return bk__err_ptr(-err);
}

struct bk_link *bk_link_xdp(const struct bk_prog *prog, int ifindex,
			    const struct bk_link_opts *opts)
{
	struct bk_link *link;
	int err = bk__link_check(prog, opts);

	if (err)
		return bk__err_ptr(err);
	/* The mode flags travel in link_create.flags, as for the old netlink path. */
	link = bk__link_attach(prog, ifindex, BK_ATTACH_XDP, opts, BK_LINK_KIND_XDP, false);
	return link ? link : xdp_error(ifindex);
}

struct bk_link *bk_link_tcx(const struct bk_prog *prog, int ifindex, bool egress,
			    const struct bk_link_opts *opts)
{
	return bk__link_attach(prog, ifindex, egress ? BK_ATTACH_TCX_EGRESS : BK_ATTACH_TCX_INGRESS,
			       opts, BK_LINK_KIND_TCX, false);
}
