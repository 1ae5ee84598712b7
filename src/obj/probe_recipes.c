// SPDX-License-Identifier: MIT
/*
 * What a minimal object of each type needs to be accepted by the kernel: the
 * data behind the probes. Types are abi.h's (the kernel's enum bpf_prog_type,
 * bpf_map_type, bpf_attach_type); names of attach targets are looked up in
 * the running kernel's BTF.
 */
#include <errno.h>
#include <string.h>

#include <bpfkit/abi.h>
#include <bpfkit/probe.h>

#include "probe_int.h"

/* An attach target in the kernel's BTF: the first name that exists wins. */
struct target {
	int kind;
	const char *names[3];
};

struct prog_recipe {
	uint32_t type;
	uint32_t attach;
	uint32_t flags;
	struct target target;
};

static const struct prog_recipe prog_recipes[] = {
	{ BK_PROG_TYPE_CGROUP_SOCK_ADDR, BK_ATTACH_CGROUP_INET4_BIND, 0, { 0, { 0 } } },
	{ BK_PROG_TYPE_CGROUP_SOCKOPT, BK_ATTACH_CGROUP_GETSOCKOPT, 0, { 0, { 0 } } },
	{ BK_PROG_TYPE_SK_REUSEPORT, BK_ATTACH_SK_REUSEPORT_SELECT, 0, { 0, { 0 } } },
	{ BK_PROG_TYPE_SK_LOOKUP, BK_ATTACH_SK_LOOKUP, 0, { 0, { 0 } } },
	{ BK_PROG_TYPE_NETFILTER, BK_ATTACH_NETFILTER, 0, { 0, { 0 } } },
	/* Linux 5.14: syscall programs must be sleepable. */
	{ BK_PROG_TYPE_SYSCALL, 0, BK_F_SLEEPABLE, { 0, { 0 } } },
	/* tp_btf: the target is the btf_trace_<tracepoint> typedef. */
	{ BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_RAW_TP, 0,
	  { BK_BTF_KIND_TYPEDEF, { "btf_trace_sched_switch", "btf_trace_sys_enter" } } },
	{ BK_PROG_TYPE_LSM, BK_ATTACH_LSM_MAC, 0, { BK_BTF_KIND_FUNC, { "bpf_lsm_file_open" } } },
	/* struct_ops: the target is the ops struct, the attach type its member index. */
	{ BK_PROG_TYPE_STRUCT_OPS, 0, 0, { BK_BTF_KIND_STRUCT, { "tcp_congestion_ops" } } },
};

/* Program types bpfkit cannot load a minimal program for: EXT needs another
 * loaded program with BTF to extend. */
static const uint32_t no_recipe[] = { BK_PROG_TYPE_EXT };

static int find_target(const struct target *t, uint32_t *id)
{
	const struct bk_btf *btf;

	*id = 0;
	if (!t->names[0])
		return 0;
	btf = bk_probe_kernel_btf();
	if (!btf)
		return -errno;
	for (size_t i = 0; i < sizeof(t->names) / sizeof(t->names[0]) && t->names[i]; i++) {
		int r = bk_btf_find(btf, t->names[i], t->kind);

		if (r > 0) {
			*id = (uint32_t)r;
			return 0;
		}
	}
	return -ENOENT;
}

int bk__probe_prog_setup(uint32_t prog_type, struct bk__probe_prog *out)
{
	memset(out, 0, sizeof(*out));
	out->prog_type = prog_type;
	for (size_t i = 0; i < sizeof(no_recipe) / sizeof(no_recipe[0]); i++)
		if (no_recipe[i] == prog_type)
			return 0;
	for (size_t i = 0; i < sizeof(prog_recipes) / sizeof(prog_recipes[0]); i++) {
		const struct prog_recipe *r = &prog_recipes[i];
		int err;

		if (r->type != prog_type)
			continue;
		out->expected_attach_type = r->attach;
		out->flags = r->flags;
		err = find_target(&r->target, &out->attach_btf_id);
		return err ? err : 1;
	}
	return 1;
}

/* attach type -> program type; checked: the kernel validates the pair when
 * loading, so a load with it confirms the attach type. */
struct attach_recipe {
	uint8_t prog_type;
	bool checked;
	struct target target;
};

#define A(pt, chk) { pt, chk, { 0, { 0 } } }
#define AT(pt, kind, name) { pt, true, { kind, { name } } }

static const struct attach_recipe attach_recipes[] = {
	[BK_ATTACH_CGROUP_INET_INGRESS] = A(BK_PROG_TYPE_CGROUP_SKB, true),	    /* cgroup_inet_ingress */
	[BK_ATTACH_CGROUP_INET_EGRESS] = A(BK_PROG_TYPE_CGROUP_SKB, true),	    /* cgroup_inet_egress */
	[BK_ATTACH_CGROUP_INET_SOCK_CREATE] = A(BK_PROG_TYPE_CGROUP_SOCK, true),	    /* cgroup_inet_sock_create */
	[BK_ATTACH_CGROUP_SOCK_OPS] = A(BK_PROG_TYPE_SOCK_OPS, false),	    /* cgroup_sock_ops */
	[BK_ATTACH_SK_SKB_STREAM_PARSER] = A(BK_PROG_TYPE_SK_SKB, false),	    /* sk_skb_stream_parser */
	[BK_ATTACH_SK_SKB_STREAM_VERDICT] = A(BK_PROG_TYPE_SK_SKB, false),	    /* sk_skb_stream_verdict */
	[BK_ATTACH_CGROUP_DEVICE] = A(BK_PROG_TYPE_CGROUP_DEVICE, false),   /* cgroup_device */
	[BK_ATTACH_SK_MSG_VERDICT] = A(BK_PROG_TYPE_SK_MSG, false),	    /* sk_msg_verdict */
	[BK_ATTACH_CGROUP_INET4_BIND] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true), /* cgroup_inet4_bind */
	[BK_ATTACH_CGROUP_INET6_BIND] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_INET4_CONNECT] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_INET6_CONNECT] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_INET4_POST_BIND] = A(BK_PROG_TYPE_CGROUP_SOCK, true), /* cgroup_inet4_post_bind */
	[BK_ATTACH_CGROUP_INET6_POST_BIND] = A(BK_PROG_TYPE_CGROUP_SOCK, true),
	[BK_ATTACH_CGROUP_UDP4_SENDMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true), /* cgroup_udp4_sendmsg */
	[BK_ATTACH_CGROUP_UDP6_SENDMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_LIRC_MODE2] = A(BK_PROG_TYPE_LIRC_MODE2, false),
	[BK_ATTACH_FLOW_DISSECTOR] = A(BK_PROG_TYPE_FLOW_DISSECTOR, false),
	[BK_ATTACH_CGROUP_SYSCTL] = A(BK_PROG_TYPE_CGROUP_SYSCTL, false),
	[BK_ATTACH_CGROUP_UDP4_RECVMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true), /* cgroup_udp4_recvmsg */
	[BK_ATTACH_CGROUP_UDP6_RECVMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_GETSOCKOPT] = A(BK_PROG_TYPE_CGROUP_SOCKOPT, true), /* cgroup_getsockopt */
	[BK_ATTACH_CGROUP_SETSOCKOPT] = A(BK_PROG_TYPE_CGROUP_SOCKOPT, true),
	[BK_ATTACH_TRACE_RAW_TP] = AT(BK_PROG_TYPE_TRACING, BK_BTF_KIND_TYPEDEF, "btf_trace_sched_switch"), /* trace_raw_tp */
	[BK_ATTACH_TRACE_FENTRY] = AT(BK_PROG_TYPE_TRACING, BK_BTF_KIND_FUNC, "bpf_fentry_test1"),	     /* trace_fentry */
	[BK_ATTACH_TRACE_FEXIT] = AT(BK_PROG_TYPE_TRACING, BK_BTF_KIND_FUNC, "bpf_fentry_test1"),	     /* trace_fexit */
	[BK_ATTACH_MODIFY_RETURN] = AT(BK_PROG_TYPE_TRACING, BK_BTF_KIND_FUNC, "bpf_modify_return_test"),  /* modify_return */
	[BK_ATTACH_LSM_MAC] = AT(BK_PROG_TYPE_LSM, BK_BTF_KIND_FUNC, "bpf_lsm_file_open"),	     /* lsm_mac */
	[BK_ATTACH_TRACE_ITER] = AT(BK_PROG_TYPE_TRACING, BK_BTF_KIND_FUNC, "bpf_iter_task"),	     /* trace_iter */
	[BK_ATTACH_CGROUP_INET4_GETPEERNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true), /* cgroup_inet4_getpeername */
	[BK_ATTACH_CGROUP_INET6_GETPEERNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_INET4_GETSOCKNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_INET6_GETSOCKNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_XDP_DEVMAP] = A(BK_PROG_TYPE_XDP, false),	     /* xdp_devmap */
	[BK_ATTACH_CGROUP_INET_SOCK_RELEASE] = A(BK_PROG_TYPE_CGROUP_SOCK, true),	     /* cgroup_inet_sock_release */
	[BK_ATTACH_XDP_CPUMAP] = A(BK_PROG_TYPE_XDP, false),	     /* xdp_cpumap */
	[BK_ATTACH_SK_LOOKUP] = A(BK_PROG_TYPE_SK_LOOKUP, true),	     /* sk_lookup */
	[BK_ATTACH_XDP] = A(BK_PROG_TYPE_XDP, false),	     /* xdp */
	[BK_ATTACH_SK_SKB_VERDICT] = A(BK_PROG_TYPE_SK_SKB, false),	     /* sk_skb_verdict */
	[BK_ATTACH_SK_REUSEPORT_SELECT] = A(BK_PROG_TYPE_SK_REUSEPORT, true),     /* sk_reuseport_select */
	[BK_ATTACH_SK_REUSEPORT_SELECT_OR_MIGRATE] = A(BK_PROG_TYPE_SK_REUSEPORT, true),     /* sk_reuseport_select_or_migrate */
	[BK_ATTACH_PERF_EVENT] = A(BK_PROG_TYPE_PERF_EVENT, false),	     /* perf_event */
	[BK_ATTACH_TRACE_KPROBE_MULTI] = A(BK_PROG_TYPE_KPROBE, false),	     /* trace_kprobe_multi */
	[BK_ATTACH_LSM_CGROUP] = AT(BK_PROG_TYPE_LSM, BK_BTF_KIND_FUNC, "bpf_lsm_socket_bind"), /* lsm_cgroup */
	[BK_ATTACH_STRUCT_OPS] = A(BK_PROG_TYPE_STRUCT_OPS, false),				   /* struct_ops */
	[BK_ATTACH_NETFILTER] = A(BK_PROG_TYPE_NETFILTER, true),				   /* netfilter */
	[BK_ATTACH_TCX_INGRESS] = A(BK_PROG_TYPE_SCHED_CLS, false),				   /* tcx_ingress */
	[BK_ATTACH_TCX_EGRESS] = A(BK_PROG_TYPE_SCHED_CLS, false),				   /* tcx_egress */
	[BK_ATTACH_TRACE_UPROBE_MULTI] = A(BK_PROG_TYPE_KPROBE, false),				   /* trace_uprobe_multi */
	[BK_ATTACH_CGROUP_UNIX_CONNECT] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true), /* cgroup_unix_connect */
	[BK_ATTACH_CGROUP_UNIX_SENDMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_UNIX_RECVMSG] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_UNIX_GETPEERNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_CGROUP_UNIX_GETSOCKNAME] = A(BK_PROG_TYPE_CGROUP_SOCK_ADDR, true),
	[BK_ATTACH_NETKIT_PRIMARY] = A(BK_PROG_TYPE_SCHED_CLS, false), /* netkit_primary */
	[BK_ATTACH_NETKIT_PEER] = A(BK_PROG_TYPE_SCHED_CLS, false), /* netkit_peer */
	[BK_ATTACH_TRACE_KPROBE_SESSION] = A(BK_PROG_TYPE_KPROBE, false),    /* trace_kprobe_session */
	[BK_ATTACH_TRACE_UPROBE_SESSION] = A(BK_PROG_TYPE_KPROBE, false),    /* trace_uprobe_session */
};

int bk__probe_attach_setup(uint32_t attach, struct bk__probe_prog *out, bool *checked)
{
	const struct attach_recipe *r;
	int err;

	memset(out, 0, sizeof(*out));
	if (attach >= sizeof(attach_recipes) / sizeof(attach_recipes[0]))
		return 0;
	r = &attach_recipes[attach];
	out->prog_type = r->prog_type;
	out->expected_attach_type = attach;
	*checked = r->checked;
	if (r->prog_type == BK_PROG_TYPE_SYSCALL)
		out->flags = BK_F_SLEEPABLE;
	err = find_target(&r->target, &out->attach_btf_id);
	return err ? err : 1;
}

/* ---- map types ------------------------------------------------------------ */

#define PAGE 4096u /* ring buffers need a power-of-2 multiple of the page size */

#define M(k, v, n, f) { k, v, n, f, BK__MAP_PLAIN }
#define STORAGE { 4, 4, 0, BK_F_NO_PREALLOC, BK__MAP_BTF_INT }

static const struct bk__map_recipe map_recipes[] = {
	[BK_MAP_TYPE_HASH] = M(4, 4, 1, 0),	/* hash */
	[BK_MAP_TYPE_ARRAY] = M(4, 4, 1, 0),	/* array */
	[BK_MAP_TYPE_PROG_ARRAY] = M(4, 4, 1, 0),	/* prog_array */
	[BK_MAP_TYPE_PERF_EVENT_ARRAY] = M(4, 4, 1, 0),	/* perf_event_array */
	[BK_MAP_TYPE_PERCPU_HASH] = M(4, 4, 1, 0),	/* percpu_hash */
	[BK_MAP_TYPE_PERCPU_ARRAY] = M(4, 4, 1, 0),	/* percpu_array */
	[BK_MAP_TYPE_STACK_TRACE] = M(4, 8, 1, 0),	/* stack_trace: value is an array of u64 ips */
	[BK_MAP_TYPE_CGROUP_ARRAY] = M(4, 4, 1, 0),	/* cgroup_array */
	[BK_MAP_TYPE_LRU_HASH] = M(4, 4, 1, 0),	/* lru_hash */
	[BK_MAP_TYPE_LRU_PERCPU_HASH] = M(4, 4, 1, 0),	/* lru_percpu_hash */
	[BK_MAP_TYPE_LPM_TRIE] = M(8, 4, 1, BK_F_NO_PREALLOC), /* lpm_trie: u32 prefixlen + data */
	[BK_MAP_TYPE_ARRAY_OF_MAPS] = { 4, 4, 1, 0, BK__MAP_INNER }, /* array_of_maps */
	[BK_MAP_TYPE_HASH_OF_MAPS] = { 4, 4, 1, 0, BK__MAP_INNER }, /* hash_of_maps */
	[BK_MAP_TYPE_DEVMAP] = M(4, 4, 1, 0),	/* devmap */
	[BK_MAP_TYPE_SOCKMAP] = M(4, 4, 1, 0),	/* sockmap */
	[BK_MAP_TYPE_CPUMAP] = M(4, 4, 1, 0),	/* cpumap */
	[BK_MAP_TYPE_XSKMAP] = M(4, 4, 1, 0),	/* xskmap */
	[BK_MAP_TYPE_SOCKHASH] = M(4, 4, 1, 0),	/* sockhash */
	[BK_MAP_TYPE_CGROUP_STORAGE] = M(8, 4, 0, 0),	/* cgroup_storage: key is the cgroup inode id */
	[BK_MAP_TYPE_REUSEPORT_SOCKARRAY] = M(4, 4, 1, 0),	/* reuseport_sockarray */
	[BK_MAP_TYPE_PERCPU_CGROUP_STORAGE] = M(8, 4, 0, 0),	/* percpu_cgroup_storage */
	[BK_MAP_TYPE_QUEUE] = M(0, 4, 1, 0),	/* queue */
	[BK_MAP_TYPE_STACK] = M(0, 4, 1, 0),	/* stack */
	[BK_MAP_TYPE_SK_STORAGE] = STORAGE,		/* sk_storage */
	[BK_MAP_TYPE_DEVMAP_HASH] = M(4, 4, 1, 0),	/* devmap_hash */
	[BK_MAP_TYPE_STRUCT_OPS] = { 4, 4, 1, 0, BK__MAP_VMLINUX_VALUE }, /* struct_ops */
	[BK_MAP_TYPE_RINGBUF] = M(0, 0, PAGE, 0), /* ringbuf */
	[BK_MAP_TYPE_INODE_STORAGE] = STORAGE,		 /* inode_storage */
	[BK_MAP_TYPE_TASK_STORAGE] = STORAGE,		 /* task_storage */
	[BK_MAP_TYPE_BLOOM_FILTER] = M(0, 4, 1, 0),	 /* bloom_filter */
	[BK_MAP_TYPE_USER_RINGBUF] = M(0, 0, PAGE, 0), /* user_ringbuf */
	[BK_MAP_TYPE_CGRP_STORAGE] = STORAGE,		 /* cgrp_storage */
	[BK_MAP_TYPE_ARENA] = M(0, 0, 1, BK_F_MMAPABLE), /* arena: max_entries counts pages */
};

int bk__probe_map_recipe(uint32_t map_type, struct bk__map_recipe *out)
{
	if (map_type == 0 || map_type >= sizeof(map_recipes) / sizeof(map_recipes[0]))
		return 0;
	*out = map_recipes[map_type];
	return 1;
}
