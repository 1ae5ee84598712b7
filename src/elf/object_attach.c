// SPDX-License-Identifier: MIT
/*
 * Attaching a loaded program as its section says, through link.h. The
 * section table's attach kind picks the way; the place (interface, cgroup,
 * socket, network namespace) comes from the options, the target (a
 * tracepoint's name, a kernel function) from the section name. What cannot
 * be attached says what is missing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/link.h>

#include "../obj/obj_int.h"
#include "object_int.h"
#include "sec_def.h"

#define BK_OPTS_KNOWN_ATTACH BK_OPTS_KNOWN(bk_object_attach_opts, bk_object_attach_opts__last_field)

typedef struct bk_link *(*attach_fn)(struct bk_object_prog *p, const char *target,
				     const struct bk_object_attach_opts *o);

static struct bk_link *need(struct bk_object_prog *p, const char *what)
{
	bk__odiag(p->obj, -EINVAL, "program '%s' (section '%s'): attaching needs %s", p->name,
		  bk_object_prog_section(p), what);
	return NULL;
}

static struct bk_link *at_socket(struct bk_object_prog *p, const char *t,
				 const struct bk_object_attach_opts *o)
{
	(void)t;
	if (BK_OPT(struct bk_object_attach_opts, o, sock_fd, 0) <= 0)
		return need(p, "a socket (opts.sock_fd)");
	return bk_link_socket(p->prog, o->sock_fd);
}

static struct bk_link *at_xdp(struct bk_object_prog *p, const char *t,
			      const struct bk_object_attach_opts *o)
{
	(void)t;
	if (!BK_OPT(struct bk_object_attach_opts, o, ifindex, 0))
		return need(p, "an interface (opts.ifindex)");
	return bk_link_xdp(p->prog, (int)o->ifindex,
			   BK_OPTS(bk_link_opts, .flags = BK_OPT(struct bk_object_attach_opts, o,
								 xdp_flags, 0)));
}

static struct bk_link *at_tcx(struct bk_object_prog *p, const char *t,
			      const struct bk_object_attach_opts *o)
{
	bool egress = p->expected_attach_type == BK_ATTACH_TCX_EGRESS;

	(void)t;
	if (p->expected_attach_type != BK_ATTACH_TCX_INGRESS && !egress)
		return need(p, "a direction: classic tc programs attach through a qdisc (tc filter), "
			       "or name the section tcx/ingress or tcx/egress");
	if (!BK_OPT(struct bk_object_attach_opts, o, ifindex, 0))
		return need(p, "an interface (opts.ifindex)");
	return bk_link_tcx(p->prog, (int)o->ifindex, egress, NULL);
}

static struct bk_link *at_cgroup(struct bk_object_prog *p, const char *t,
				 const struct bk_object_attach_opts *o)
{
	(void)t;
	if (BK_OPT(struct bk_object_attach_opts, o, cgroup_fd, 0) <= 0)
		return need(p, "a cgroup (opts.cgroup_fd)");
	return bk_link_cgroup(p->prog, o->cgroup_fd, p->expected_attach_type, NULL);
}

static struct bk_link *at_tracepoint(struct bk_object_prog *p, const char *t,
				     const struct bk_object_attach_opts *o)
{
	char category[128];
	const char *slash = strchr(t, '/');

	(void)o;
	if (!slash || slash == t || !slash[1] || (size_t)(slash - t) >= sizeof(category))
		return need(p, "a tracepoint named 'category/name' in the section");
	memcpy(category, t, (size_t)(slash - t));
	category[slash - t] = '\0';
	return bk_link_tracepoint(p->prog, category, slash + 1, NULL);
}

static struct bk_link *at_raw_tp(struct bk_object_prog *p, const char *t,
				 const struct bk_object_attach_opts *o)
{
	(void)o;
	if (!t[0])
		return need(p, "a raw tracepoint name in the section");
	return bk_link_raw_tracepoint(p->prog, t, NULL);
}

/* tp_btf, fentry/fexit/fmod_ret, lsm: the target is in the program already (attach_btf_id). */
static struct bk_link *at_tracing(struct bk_object_prog *p, const char *t,
				  const struct bk_object_attach_opts *o)
{
	(void)t;
	(void)o;
	return bk_link_create(p->prog, 0, p->expected_attach_type, NULL);
}

static struct bk_link *at_iter(struct bk_object_prog *p, const char *t,
			       const struct bk_object_attach_opts *o)
{
	(void)t;
	(void)o;
	return bk_link_iter(p->prog, NULL);
}

static struct bk_link *at_sk_lookup(struct bk_object_prog *p, const char *t,
				    const struct bk_object_attach_opts *o)
{
	int fd = BK_OPT(struct bk_object_attach_opts, o, netns_fd, 0), own = -1;
	struct bk_link *l;

	(void)t;
	if (fd <= 0)
		fd = own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return need(p, "a network namespace (opts.netns_fd; /proc/self/ns/net is not readable)");
	l = bk_link_create(p->prog, fd, BK_ATTACH_SK_LOOKUP, NULL);
	if (own >= 0)
		close(own);
	return l;
}

static struct bk_link *unsupported(struct bk_object_prog *p, const char *why)
{
	bk__odiag(p->obj, -EOPNOTSUPP, "program '%s' (section '%s'): %s", p->name,
		  bk_object_prog_section(p), why);
	return NULL;
}

static const attach_fn by_kind[BK__AT__MAX] = {
	[BK__AT_SOCKET_FILTER] = at_socket, [BK__AT_XDP] = at_xdp,
	[BK__AT_TC] = at_tcx,		    [BK__AT_TCX] = at_tcx,
	[BK__AT_CGROUP] = at_cgroup,	    [BK__AT_TRACEPOINT] = at_tracepoint,
	[BK__AT_RAW_TP] = at_raw_tp,	    [BK__AT_TP_BTF] = at_tracing,
	[BK__AT_TRACING] = at_tracing,	    [BK__AT_LSM] = at_tracing,
	[BK__AT_ITER] = at_iter,	    [BK__AT_SK_LOOKUP] = at_sk_lookup,
};

/* Kinds that need something bpfkit does not drive (yet), said plainly. */
static const char *why_not(enum bk__attach_kind k)
{
	switch (k) {
	case BK__AT_KPROBE: case BK__AT_KSYSCALL: case BK__AT_KPROBE_MULTI:
		return "kprobes are not attached by bpfkit yet (and this kernel may lack them: see 'bpfkit feature')";
	case BK__AT_UPROBE: case BK__AT_UPROBE_MULTI: case BK__AT_USDT:
		return "uprobes and USDT are not attached by bpfkit yet";
	case BK__AT_STRUCT_OPS:
		return "struct_ops programs are registered through their struct_ops map, which bpfkit does not create yet";
	default:
		return "this section does not say where to attach (attach it with link.h)";
	}
}

struct bk_link *bk_object_prog_attach(struct bk_object_prog *p,
				      const struct bk_object_attach_opts *opts)
{
	const char *target;
	struct bk_link *link;
	attach_fn fn;
	int err = bk__opts_check(opts, BK_OPTS_KNOWN_ATTACH);

	if (err)
		return bk__err_ptr(bk__odiag(p->obj, err, "attach options: unknown fields or bad size"));
	if (!p->prog)
		return bk__err_ptr(bk__odiag(p->obj, -ENOENT, "program '%s' is not loaded", p->name));
	if (!p->def)
		return unsupported(p, "the section names no program type libbpf knows");
	fn = p->def->attach < BK__AT__MAX ? by_kind[p->def->attach] : NULL;
	if (!fn)
		return unsupported(p, why_not(p->def->attach));
	target = bk__sec_target(p->def, bk_object_prog_section(p));
	link = fn(p, target ? target : "", opts);
	if (!link && p->obj->diag && p->obj->diag->err != -errno)
		bk__odiag(p->obj, -errno, "program '%s' (section '%s'): attach: %s", p->name,
			  bk_object_prog_section(p), strerror(errno));
	return link;
}

/* Does the program's section need a place these options do not give? */
static bool lacks_place(const struct bk_object_prog *p, const struct bk_object_attach_opts *o)
{
	switch (p->def->attach) {
	case BK__AT_XDP: case BK__AT_TCX: case BK__AT_TC:
		return !BK_OPT(struct bk_object_attach_opts, o, ifindex, 0);
	case BK__AT_CGROUP:
		return BK_OPT(struct bk_object_attach_opts, o, cgroup_fd, 0) <= 0;
	case BK__AT_SOCKET_FILTER:
		return BK_OPT(struct bk_object_attach_opts, o, sock_fd, 0) <= 0;
	default:
		return false;
	}
}

int bk_object_attach(struct bk_object *obj, const struct bk_object_attach_opts *opts)
{
	int n = 0;

	if (!obj->loaded)
		return bk__odiag(obj, -ENOENT, "object '%s' is not loaded", obj->name);
	for (size_t i = 0; i < obj->nprogs; i++) {
		struct bk_object_prog *p = &obj->progs[i];

		if (!p->prog || p->link || !p->def || p->def->attach >= BK__AT__MAX ||
		    !by_kind[p->def->attach] || lacks_place(p, opts))
			continue;
		if (p->def->attach == BK__AT_TC && p->expected_attach_type != BK_ATTACH_TCX_INGRESS &&
		    p->expected_attach_type != BK_ATTACH_TCX_EGRESS)
			continue; /* classic tc: no direction, nothing to attach to */
		p->link = bk_object_prog_attach(p, opts);
		if (!p->link)
			return bk__err(-errno);
		n++;
	}
	return n;
}
