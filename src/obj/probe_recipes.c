// SPDX-License-Identifier: MIT
/*
 * What a minimal object of each type needs to be accepted by the kernel: the
 * data behind the probes. Numbers are the kernel ABI (enum bpf_prog_type,
 * bpf_map_type, bpf_attach_type); names of attach targets are looked up in
 * the running kernel's BTF.
 */
#include <errno.h>
#include <string.h>

#include <bpfkit/probe.h>

#include "probe_int.h"

/* Program types that need more than `expected_attach_type = 0`. */
enum {
	PT_KPROBE = 2, PT_SCHED_CLS = 3, PT_XDP = 6, PT_PERF_EVENT = 7, PT_CGROUP_SKB = 8,
	PT_CGROUP_SOCK = 9, PT_SOCK_OPS = 13, PT_SK_SKB = 14, PT_CGROUP_DEVICE = 15,
	PT_SK_MSG = 16, PT_CGROUP_SOCK_ADDR = 18, PT_LIRC_MODE2 = 20, PT_SK_REUSEPORT = 21,
	PT_FLOW_DISSECTOR = 22, PT_CGROUP_SYSCTL = 23, PT_CGROUP_SOCKOPT = 25, PT_TRACING = 26,
	PT_STRUCT_OPS = 27, PT_EXT = 28, PT_LSM = 29, PT_SK_LOOKUP = 30, PT_SYSCALL = 31,
	PT_NETFILTER = 32,
};

#define F_SLEEPABLE (1u << 4) /* BPF_F_SLEEPABLE, Linux 5.10 */

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
	{ PT_CGROUP_SOCK_ADDR, 8 /* BPF_CGROUP_INET4_BIND */, 0, { 0, { 0 } } },
	{ PT_CGROUP_SOCKOPT, 21 /* BPF_CGROUP_GETSOCKOPT */, 0, { 0, { 0 } } },
	{ PT_SK_REUSEPORT, 39 /* BPF_SK_REUSEPORT_SELECT */, 0, { 0, { 0 } } },
	{ PT_SK_LOOKUP, 36 /* BPF_SK_LOOKUP */, 0, { 0, { 0 } } },
	{ PT_NETFILTER, 45 /* BPF_NETFILTER */, 0, { 0, { 0 } } },
	/* Linux 5.14: syscall programs must be sleepable. */
	{ PT_SYSCALL, 0, F_SLEEPABLE, { 0, { 0 } } },
	/* tp_btf: the target is the btf_trace_<tracepoint> typedef. */
	{ PT_TRACING, 23 /* BPF_TRACE_RAW_TP */, 0,
	  { BK_BTF_KIND_TYPEDEF, { "btf_trace_sched_switch", "btf_trace_sys_enter" } } },
	{ PT_LSM, 27 /* BPF_LSM_MAC */, 0, { BK_BTF_KIND_FUNC, { "bpf_lsm_file_open" } } },
	/* struct_ops: the target is the ops struct, the attach type its member index. */
	{ PT_STRUCT_OPS, 0, 0, { BK_BTF_KIND_STRUCT, { "tcp_congestion_ops" } } },
};

/* Program types bpfkit cannot load a minimal program for: EXT needs another
 * loaded program with BTF to extend. */
static const uint32_t no_recipe[] = { PT_EXT };

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
	[0] = A(PT_CGROUP_SKB, true),	    /* cgroup_inet_ingress */
	[1] = A(PT_CGROUP_SKB, true),	    /* cgroup_inet_egress */
	[2] = A(PT_CGROUP_SOCK, true),	    /* cgroup_inet_sock_create */
	[3] = A(PT_SOCK_OPS, false),	    /* cgroup_sock_ops */
	[4] = A(PT_SK_SKB, false),	    /* sk_skb_stream_parser */
	[5] = A(PT_SK_SKB, false),	    /* sk_skb_stream_verdict */
	[6] = A(PT_CGROUP_DEVICE, false),   /* cgroup_device */
	[7] = A(PT_SK_MSG, false),	    /* sk_msg_verdict */
	[8] = A(PT_CGROUP_SOCK_ADDR, true), /* cgroup_inet4_bind */
	[9] = A(PT_CGROUP_SOCK_ADDR, true),
	[10] = A(PT_CGROUP_SOCK_ADDR, true),
	[11] = A(PT_CGROUP_SOCK_ADDR, true),
	[12] = A(PT_CGROUP_SOCK, true), /* cgroup_inet4_post_bind */
	[13] = A(PT_CGROUP_SOCK, true),
	[14] = A(PT_CGROUP_SOCK_ADDR, true), /* cgroup_udp4_sendmsg */
	[15] = A(PT_CGROUP_SOCK_ADDR, true),
	[16] = A(PT_LIRC_MODE2, false),
	[17] = A(PT_FLOW_DISSECTOR, false),
	[18] = A(PT_CGROUP_SYSCTL, false),
	[19] = A(PT_CGROUP_SOCK_ADDR, true), /* cgroup_udp4_recvmsg */
	[20] = A(PT_CGROUP_SOCK_ADDR, true),
	[21] = A(PT_CGROUP_SOCKOPT, true), /* cgroup_getsockopt */
	[22] = A(PT_CGROUP_SOCKOPT, true),
	[23] = AT(PT_TRACING, BK_BTF_KIND_TYPEDEF, "btf_trace_sched_switch"), /* trace_raw_tp */
	[24] = AT(PT_TRACING, BK_BTF_KIND_FUNC, "bpf_fentry_test1"),	     /* trace_fentry */
	[25] = AT(PT_TRACING, BK_BTF_KIND_FUNC, "bpf_fentry_test1"),	     /* trace_fexit */
	[26] = AT(PT_TRACING, BK_BTF_KIND_FUNC, "bpf_modify_return_test"),  /* modify_return */
	[27] = AT(PT_LSM, BK_BTF_KIND_FUNC, "bpf_lsm_file_open"),	     /* lsm_mac */
	[28] = AT(PT_TRACING, BK_BTF_KIND_FUNC, "bpf_iter_task"),	     /* trace_iter */
	[29] = A(PT_CGROUP_SOCK_ADDR, true), /* cgroup_inet4_getpeername */
	[30] = A(PT_CGROUP_SOCK_ADDR, true),
	[31] = A(PT_CGROUP_SOCK_ADDR, true),
	[32] = A(PT_CGROUP_SOCK_ADDR, true),
	[33] = A(PT_XDP, false),	     /* xdp_devmap */
	[34] = A(PT_CGROUP_SOCK, true),	     /* cgroup_inet_sock_release */
	[35] = A(PT_XDP, false),	     /* xdp_cpumap */
	[36] = A(PT_SK_LOOKUP, true),	     /* sk_lookup */
	[37] = A(PT_XDP, false),	     /* xdp */
	[38] = A(PT_SK_SKB, false),	     /* sk_skb_verdict */
	[39] = A(PT_SK_REUSEPORT, true),     /* sk_reuseport_select */
	[40] = A(PT_SK_REUSEPORT, true),     /* sk_reuseport_select_or_migrate */
	[41] = A(PT_PERF_EVENT, false),	     /* perf_event */
	[42] = A(PT_KPROBE, false),	     /* trace_kprobe_multi */
	[43] = AT(PT_LSM, BK_BTF_KIND_FUNC, "bpf_lsm_socket_bind"), /* lsm_cgroup */
	[44] = A(PT_STRUCT_OPS, false),				   /* struct_ops */
	[45] = A(PT_NETFILTER, true),				   /* netfilter */
	[46] = A(PT_SCHED_CLS, false),				   /* tcx_ingress */
	[47] = A(PT_SCHED_CLS, false),				   /* tcx_egress */
	[48] = A(PT_KPROBE, false),				   /* trace_uprobe_multi */
	[49] = A(PT_CGROUP_SOCK_ADDR, true), /* cgroup_unix_connect */
	[50] = A(PT_CGROUP_SOCK_ADDR, true),
	[51] = A(PT_CGROUP_SOCK_ADDR, true),
	[52] = A(PT_CGROUP_SOCK_ADDR, true),
	[53] = A(PT_CGROUP_SOCK_ADDR, true),
	[54] = A(PT_SCHED_CLS, false), /* netkit_primary */
	[55] = A(PT_SCHED_CLS, false), /* netkit_peer */
	[56] = A(PT_KPROBE, false),    /* trace_kprobe_session */
	[57] = A(PT_KPROBE, false),    /* trace_uprobe_session */
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
	if (r->prog_type == PT_SYSCALL)
		out->flags = F_SLEEPABLE;
	err = find_target(&r->target, &out->attach_btf_id);
	return err ? err : 1;
}

/* ---- map types ------------------------------------------------------------ */

#define F_NO_PREALLOC (1u << 0)
#define F_MMAPABLE (1u << 10)
#define PAGE 4096u /* ring buffers need a power-of-2 multiple of the page size */

#define M(k, v, n, f) { k, v, n, f, BK__MAP_PLAIN }
#define STORAGE { 4, 4, 0, F_NO_PREALLOC, BK__MAP_BTF_INT }

static const struct bk__map_recipe map_recipes[] = {
	[1] = M(4, 4, 1, 0),	/* hash */
	[2] = M(4, 4, 1, 0),	/* array */
	[3] = M(4, 4, 1, 0),	/* prog_array */
	[4] = M(4, 4, 1, 0),	/* perf_event_array */
	[5] = M(4, 4, 1, 0),	/* percpu_hash */
	[6] = M(4, 4, 1, 0),	/* percpu_array */
	[7] = M(4, 8, 1, 0),	/* stack_trace: value is an array of u64 ips */
	[8] = M(4, 4, 1, 0),	/* cgroup_array */
	[9] = M(4, 4, 1, 0),	/* lru_hash */
	[10] = M(4, 4, 1, 0),	/* lru_percpu_hash */
	[11] = M(8, 4, 1, F_NO_PREALLOC), /* lpm_trie: u32 prefixlen + data */
	[12] = { 4, 4, 1, 0, BK__MAP_INNER }, /* array_of_maps */
	[13] = { 4, 4, 1, 0, BK__MAP_INNER }, /* hash_of_maps */
	[14] = M(4, 4, 1, 0),	/* devmap */
	[15] = M(4, 4, 1, 0),	/* sockmap */
	[16] = M(4, 4, 1, 0),	/* cpumap */
	[17] = M(4, 4, 1, 0),	/* xskmap */
	[18] = M(4, 4, 1, 0),	/* sockhash */
	[19] = M(8, 4, 0, 0),	/* cgroup_storage: key is the cgroup inode id */
	[20] = M(4, 4, 1, 0),	/* reuseport_sockarray */
	[21] = M(8, 4, 0, 0),	/* percpu_cgroup_storage */
	[22] = M(0, 4, 1, 0),	/* queue */
	[23] = M(0, 4, 1, 0),	/* stack */
	[24] = STORAGE,		/* sk_storage */
	[25] = M(4, 4, 1, 0),	/* devmap_hash */
	[26] = { 4, 4, 1, 0, BK__MAP_VMLINUX_VALUE }, /* struct_ops */
	[27] = M(0, 0, PAGE, 0), /* ringbuf */
	[28] = STORAGE,		 /* inode_storage */
	[29] = STORAGE,		 /* task_storage */
	[30] = M(0, 4, 1, 0),	 /* bloom_filter */
	[31] = M(0, 0, PAGE, 0), /* user_ringbuf */
	[32] = STORAGE,		 /* cgrp_storage */
	[33] = M(0, 0, 1, F_MMAPABLE), /* arena: max_entries counts pages */
};

int bk__probe_map_recipe(uint32_t map_type, struct bk__map_recipe *out)
{
	if (map_type == 0 || map_type >= sizeof(map_recipes) / sizeof(map_recipes[0]))
		return 0;
	*out = map_recipes[map_type];
	return 1;
}
