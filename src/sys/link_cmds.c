// SPDX-License-Identifier: MIT
/* Link and attachment commands: link create/update/detach, raw tracepoints,
 * iterators. */
#include <errno.h>
#include <string.h>

#include "sys_int.h"

#define LC struct bk_link_create_opts

/* The union member of link_create each attach type uses, and so the size. */
static size_t fill_target(struct bk_attr_link_create *l, uint32_t type,
			  const struct bk_link_create_opts *o)
{
	switch (type) {
	case BK_ATTACH_TRACE_ITER:
		l->iter_info = bk__ptr(BK_OPT(LC, o, iter_info, NULL));
		l->iter_info_len = BK_OPT(LC, o, iter_info_len, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, iter_info_len);
	case BK_ATTACH_PERF_EVENT:
		l->perf_event.bpf_cookie = BK_OPT(LC, o, bpf_cookie, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, perf_event);
	case BK_ATTACH_TRACE_FENTRY:
	case BK_ATTACH_TRACE_FEXIT:
	case BK_ATTACH_MODIFY_RETURN:
	case BK_ATTACH_LSM_MAC:
		l->tracing.target_btf_id = BK_OPT(LC, o, target_btf_id, 0);
		l->tracing.cookie = BK_OPT(LC, o, bpf_cookie, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, tracing);
	case BK_ATTACH_NETFILTER:
		l->netfilter.pf = BK_OPT(LC, o, nf_pf, 0);
		l->netfilter.hooknum = BK_OPT(LC, o, nf_hooknum, 0);
		l->netfilter.priority = BK_OPT(LC, o, nf_priority, 0);
		l->netfilter.flags = BK_OPT(LC, o, nf_flags, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, netfilter);
	case BK_ATTACH_TCX_INGRESS:
	case BK_ATTACH_TCX_EGRESS:
	case BK_ATTACH_NETKIT_PRIMARY:
	case BK_ATTACH_NETKIT_PEER:
		l->tcx.relative_fd = BK_OPT(LC, o, relative_fd, 0);
		l->tcx.expected_revision = BK_OPT(LC, o, expected_revision, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, tcx);
	default:
		if (BK_OPT(LC, o, relative_fd, 0) || BK_OPT(LC, o, expected_revision, 0)) {
			l->cgroup.relative_fd = o->relative_fd;
			l->cgroup.expected_revision = o->expected_revision;
			return BK_ATTR_SIZE(struct bk_attr_link_create, cgroup);
		}
		l->target_btf_id = BK_OPT(LC, o, target_btf_id, 0);
		return BK_ATTR_SIZE(struct bk_attr_link_create, target_btf_id);
	}
}

int bk_sys_link_create(int prog_fd, int target, uint32_t attach_type,
		       const struct bk_link_create_opts *o)
{
	union bk_bpf_attr a;
	size_t size;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog_fd;
	a.link_create.target_fd = (uint32_t)target;
	a.link_create.attach_type = attach_type;
	a.link_create.flags = BK_OPT(LC, o, flags, 0);
	size = fill_target(&a.link_create, attach_type, o);
	return (int)bk_sys_bpf(BK_CMD_LINK_CREATE, &a, (unsigned int)size);
}

int bk_sys_link_update(int link_fd, int new_prog_fd, uint32_t flags, int old_prog_fd)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_update.link_fd = (uint32_t)link_fd;
	a.link_update.new_prog_fd = (uint32_t)new_prog_fd;
	a.link_update.flags = flags;
	a.link_update.old_prog_fd = (uint32_t)old_prog_fd;
	return (int)bk_sys_bpf(BK_CMD_LINK_UPDATE, &a, sizeof(a.link_update));
}

int bk_sys_link_detach(int link_fd)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = (uint32_t)link_fd;
	return (int)bk_sys_bpf(BK_CMD_LINK_DETACH, &a, sizeof(a.link_detach));
}

int bk_sys_raw_tracepoint_open(const char *name, int prog_fd, uint64_t cookie)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.raw_tp.name = bk__ptr(name);
	a.raw_tp.prog_fd = (uint32_t)prog_fd;
	a.raw_tp.cookie = cookie;
	/* Pass the cookie field only when used: kernels before 6.10 lack it. */
	return (int)bk_sys_bpf(BK_CMD_RAW_TRACEPOINT_OPEN, &a,
			       cookie ? BK_ATTR_SIZE(struct bk_attr_raw_tp, cookie)
				      : BK_ATTR_SIZE(struct bk_attr_raw_tp, prog_fd));
}

int bk_sys_iter_create(int link_fd)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.iter_create.link_fd = (uint32_t)link_fd;
	return (int)bk_sys_bpf(BK_CMD_ITER_CREATE, &a, sizeof(a.iter_create));
}
