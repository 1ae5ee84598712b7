// SPDX-License-Identifier: MIT
/* Sections of many attach kinds, all loadable on this kernel: xdp, tc (classic),
 * (tcx is in tcx.bpf.c: libbpf 1.1 does not know it),
 * socket, cgroup_skb/egress, cgroup/connect4, tp/..., raw_tp/...,
 * tp_btf/..., iter/task, sk_lookup. Those that can be test-run say what they
 * return; every program counts its runs in hits[] at its own index so an
 * attach test can see it fire. */
// expect: run on_xdp retval 2
// expect: run on_tc retval 0
// expect: run on_socket retval 50
// expect: map hits key 00000000 value 0100000000000000
// expect: map hits key 01000000 value 0100000000000000
// expect: map hits key 03000000 value 0100000000000000
#define CORPUS_VMLINUX
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &i);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	hit(0);
	return XDP_PASS;
}

SEC("tc")
int on_tc(struct __sk_buff *skb)
{
	hit(1);
	return 0; /* TC_ACT_OK */
}

SEC("socket")
int on_socket(struct __sk_buff *skb)
{
	hit(3);
	return skb->len; /* 64 less the 14-byte Ethernet header */
}

SEC("cgroup_skb/egress")
int on_cgroup_skb(struct __sk_buff *skb)
{
	hit(4);
	return 1;
}

SEC("cgroup/connect4")
int on_connect4(struct bpf_sock_addr *ctx)
{
	hit(5);
	return 1;
}

SEC("tp/syscalls/sys_enter_getpid")
int on_tp(void *ctx)
{
	hit(6);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == 39) /* __NR_getpid on x86-64 */
		hit(7);
	return 0;
}

SEC("tp_btf/sys_enter")
int on_tp_btf(__u64 *ctx)
{
	if (ctx[1] == 39)
		hit(8);
	return 0;
}

const volatile int want_tgid = 0;

SEC("iter/task")
int on_iter_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;

	if (!t)
		return 0;
	hit(9);
	/* the loader sets want_tgid in .rodata before load (0: nobody) */
	if (want_tgid && t->tgid == want_tgid && t->pid == want_tgid)
		BPF_SEQ_PRINTF(seq, "self %d\n", t->tgid);
	return 0;
}

SEC("sk_lookup")
int on_sk_lookup(struct bpf_sk_lookup *ctx)
{
	hit(10);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
