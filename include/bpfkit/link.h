/* SPDX-License-Identifier: MIT */
/*
 * Attachments as objects: every way of hooking a program into the kernel
 * returns a struct bk_link, and closing the link detaches the program
 * (unless the link was pinned, which keeps a kernel link alive).
 *
 *   hook                      how                                 update
 *   socket filter             setsockopt(SO_ATTACH_BPF)           no
 *   XDP                       BPF_LINK_CREATE, BPF_XDP            yes
 *   tcx ingress / egress      BPF_LINK_CREATE, BPF_TCX_*          yes
 *   cgroup hooks              BPF_LINK_CREATE, BPF_CGROUP_*       yes
 *   tracepoint                perf_event_open + BPF_LINK_CREATE   no
 *   raw tracepoint            BPF_RAW_TRACEPOINT_OPEN             no
 *   BPF iterator              BPF_LINK_CREATE, BPF_TRACE_ITER     yes
 *   fentry/fexit/fmod_ret/lsm BPF_LINK_CREATE, the load's type    no
 *   tp_btf                    BPF_RAW_TRACEPOINT_OPEN (no name)   no
 *
 * Kernel links (all but the socket filter) have an fd, an id, info and can
 * be pinned. A socket-filter link keeps its own duplicate of the socket so
 * that bk_link_detach() works however the caller's fd is used afterwards.
 */
#ifndef BPFKIT_LINK_H
#define BPFKIT_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/info.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bk_prog;

/* An opaque attachment. */
struct bk_link;

/* What a link attaches to. */
enum bk_link_kind {
	BK_LINK_KIND_SOCKET = 1,
	BK_LINK_KIND_XDP,
	BK_LINK_KIND_TCX,
	BK_LINK_KIND_CGROUP,
	BK_LINK_KIND_TRACEPOINT,
	BK_LINK_KIND_RAW_TRACEPOINT,
	BK_LINK_KIND_ITER,
	BK_LINK_KIND_GENERIC, /* bk_link_create(), bk_link_from_fd()... */
	BK_LINK_KIND_TRACING, /* fentry, fexit, fmod_ret, lsm (tp_btf is a RAW_TRACEPOINT) */
};

/* Options of the attach calls; each uses the fields that apply to it. */
struct bk_link_opts {
	size_t sz;
	uint32_t flags;		    /* XDP: BK_XDP_FLAGS_SKB_MODE / _DRV_MODE;
				       tcx, cgroup: BK_F_BEFORE / BK_F_AFTER (| BK_F_ID) */
	uint32_t relative_fd;	    /* tcx, cgroup ordering: a prog/link fd, or id with BK_F_ID */
	uint64_t expected_revision; /* tcx, cgroup: fail with -ESTALE if changed meanwhile */
	uint64_t cookie;	    /* tracepoint, raw tracepoint: bpf_get_attach_cookie() */
	int iter_map_fd;	    /* iterator over a map's elements */
	uint32_t iter_cgroup_fd;    /* cgroup iterator: the cgroup (fd) ... */
	uint32_t iter_cgroup_order; /* ... and walk order (BPF_CGROUP_ITER_*) */
	uint32_t iter_tid, iter_pid, iter_pid_fd; /* task iterators: one thread/process */
};
#define bk_link_opts__last_field iter_pid_fd

/**
 * bk_link_socket() - attach a socket filter (or reuseport/socket program) to
 * socket sock_fd with SO_ATTACH_BPF. Detach is SO_DETACH_BPF. NULL with
 * errno set (EINVAL: prog is not a socket filter; ENOTSOCK).
 */
BK_API struct bk_link *bk_link_socket(const struct bk_prog *prog, int sock_fd);

/**
 * bk_link_xdp() - attach an XDP program to interface ifindex through a link.
 * opts->flags picks the mode: BK_XDP_FLAGS_SKB_MODE (generic),
 * BK_XDP_FLAGS_DRV_MODE (native, the driver must support it), 0: the best
 * the driver has. NULL with errno set (EBUSY: another program is attached in
 * that mode; EOPNOTSUPP: no native XDP; ENODEV: no such interface).
 */
BK_API struct bk_link *bk_link_xdp(const struct bk_prog *prog, int ifindex,
				   const struct bk_link_opts *opts);

/**
 * bk_link_tcx() - attach a sched_cls program to ifindex's ingress (egress
 * false) or egress path (Linux 6.6 tcx). Several programs may share a hook;
 * opts->flags with BK_F_BEFORE/BK_F_AFTER and relative_fd place this one.
 */
BK_API struct bk_link *bk_link_tcx(const struct bk_prog *prog, int ifindex, bool egress,
				   const struct bk_link_opts *opts);

/**
 * bk_link_cgroup() - attach a cgroup program to the cgroup open as cgroup_fd
 * (a directory fd on cgroup v2) at attach_type (BK_ATTACH_CGROUP_INET_INGRESS,
 * _INET_SOCK_CREATE, _INET4_CONNECT, _INET4_BIND, _SYSCTL, _GETSOCKOPT...).
 * The program must have been loaded with that expected attach type where the
 * kernel asks for one.
 */
BK_API struct bk_link *bk_link_cgroup(const struct bk_prog *prog, int cgroup_fd,
				      uint32_t attach_type, const struct bk_link_opts *opts);

/**
 * bk_link_tracepoint() - attach a tracepoint program to category:name (as
 * under tracefs events/, e.g. "syscalls", "sys_enter_getpid") through one
 * perf event linked with BPF_LINK_CREATE: the program runs on every CPU and
 * for every task (the kernel hangs it on the tracepoint, not on the event).
 * The tracepoint's id is read from tracefs (/sys/kernel/tracing, or the
 * older debugfs path). NULL with errno set (ENOENT: no such tracepoint).
 */
BK_API struct bk_link *bk_link_tracepoint(const struct bk_prog *prog, const char *category,
					  const char *name, const struct bk_link_opts *opts);

/**
 * bk_link_raw_tracepoint() - attach a raw tracepoint program to the kernel
 * tracepoint name ("sys_enter", "sched_switch"). NULL with errno set.
 */
BK_API struct bk_link *bk_link_raw_tracepoint(const struct bk_prog *prog, const char *name,
					      const struct bk_link_opts *opts);

/**
 * bk_link_tracing() - attach a tracing or LSM program (fentry, fexit,
 * fmod_ret, lsm, tp_btf) where its load pointed it: the function, hook or
 * tracepoint of its attach_btf_id or attach_target (see bk_prog_opts).
 * opts->cookie is its bpf_get_attach_cookie() value. NULL with errno set
 * (EINVAL: the program was not loaded here with one of those attach types).
 */
BK_API struct bk_link *bk_link_tracing(const struct bk_prog *prog, const struct bk_link_opts *opts);

/**
 * bk_link_iter() - create a BPF iterator link for an iterator program (loaded
 * as BK_PROG_TYPE_TRACING with BK_ATTACH_TRACE_ITER and the BTF id of its
 * bpf_iter_<target>); opts narrow it (a map, a cgroup, a task). Read its
 * output with bk_link_iter_read() or bk_link_iter_open().
 */
BK_API struct bk_link *bk_link_iter(const struct bk_prog *prog, const struct bk_link_opts *opts);

/**
 * bk_link_iter_open() - a new readable fd producing one full pass of the
 * iterator (BPF_ITER_CREATE); read() it to the end, then close() it.
 */
BK_API int bk_link_iter_open(const struct bk_link *link);

/**
 * bk_link_iter_read() - one full pass of the iterator's output into a
 * malloc'd, NUL-terminated buffer (*out, *len; free() it). EINTR and short
 * reads are handled; EAGAIN from the kernel (a program that asked to be
 * restarted) is retried. Returns 0 or -errno.
 */
BK_API int bk_link_iter_read(const struct bk_link *link, char **out, size_t *len);

/**
 * bk_link_create() - any other kernel link: BPF_LINK_CREATE of prog to target
 * (an ifindex, cgroup fd, perf event fd or 0) at attach_type, for hooks
 * without a function of their own here (netkit, netfilter, sk_lookup...).
 */
BK_API struct bk_link *bk_link_create(const struct bk_prog *prog, int target,
				      uint32_t attach_type, const struct bk_link_opts *opts);

/** bk_link_from_fd() - a link object over an existing link fd (dup'ed). NULL, errno set. */
BK_API struct bk_link *bk_link_from_fd(int fd);

/** bk_link_open_pinned() - the link pinned at path. NULL with errno set. */
BK_API struct bk_link *bk_link_open_pinned(const char *path);

/**
 * bk_link_update() - make the link run new_prog instead (BPF_LINK_UPDATE),
 * atomically: no packet or event sees neither program. -EOPNOTSUPP for
 * links the kernel cannot update (tracepoints, socket filters).
 */
BK_API int bk_link_update(struct bk_link *link, const struct bk_prog *new_prog);

/**
 * bk_link_detach() - detach the program now (BPF_LINK_DETACH; SO_DETACH_BPF
 * for a socket), keeping the object: closing it afterwards does nothing more.
 * Tracepoint and raw tracepoint links, which the kernel cannot detach, close
 * their fds instead (a pin then keeps the program attached). Returns 0 or
 * -errno.
 */
BK_API int bk_link_detach(struct bk_link *link);

/** bk_link_pin() - pin a kernel link at path on a bpffs: it outlives the object. */
BK_API int bk_link_pin(struct bk_link *link, const char *path);

/**
 * bk_link_close() - release the link: the program is detached unless the
 * link is pinned (or other fds of it are open). NULL is a no-op.
 */
BK_API void bk_link_close(struct bk_link *link);

/** bk_link_kind() - what the link attaches to. */
BK_API enum bk_link_kind bk_link_kind(const struct bk_link *link);

/**
 * bk_link_fd() - the kernel link's fd, or -1 for a socket filter, which has
 * none (and for a tracepoint link after bk_link_detach()).
 */
BK_API int bk_link_fd(const struct bk_link *link);

/** bk_link_id() - the kernel link's id, 0 for a socket filter. */
BK_API uint32_t bk_link_id(const struct bk_link *link);

/** bk_link_info() - the kernel's information about the link. 0 or -errno (-EOPNOTSUPP: socket). */
BK_API int bk_link_info(const struct bk_link *link, struct bk_info_link *out);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_LINK_H */
