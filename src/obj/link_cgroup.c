// SPDX-License-Identifier: MIT
/* Cgroup hooks (sockets, addresses, sysctls, devices...) through kernel links. */
#include "link_int.h"

/*
 * A link rather than BPF_PROG_ATTACH: the program goes away with the last
 * fd of the link (an attached program stays until someone detaches it, even
 * after its owner died), and it can be updated in place; programs of
 * several links on one hook all run, placed with BK_F_BEFORE/AFTER where
 * the kernel supports ordering cgroup programs.
 */
struct bk_link *bk_link_cgroup(const struct bk_prog *prog, int cgroup_fd, uint32_t attach_type,
			       const struct bk_link_opts *opts)
{
	if (prog && cgroup_fd < 0)
		return bk__err_ptr(-EBADF);
	return bk__link_attach(prog, cgroup_fd, attach_type, opts, BK_LINK_KIND_CGROUP, false);
}
