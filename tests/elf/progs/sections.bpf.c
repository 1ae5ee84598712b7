// SPDX-License-Identifier: MIT
/* More section kinds, each with its program type, expected attach type and
 * load flags from the SEC() table: xdp.frags (BPF_F_XDP_HAS_FRAGS), xdp/devmap,
 * xdp/cpumap, classifier, action, sockops, sk_skb/stream_verdict, sk_msg,
 * sk_reuseport, flow_dissector, cgroup/sock_create, cgroup/sysctl,
 * cgroup/getsockopt, cgroup/dev, perf_event, lwt_in, syscall. */
// expect: run on_frags retval 2
// expect: run on_syscall retval 7
#define CORPUS_VMLINUX
#include "corpus.h"

SEC("xdp.frags")
int on_frags(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/devmap")
int on_devmap(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/cpumap")
int on_cpumap(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("classifier")
int on_classifier(struct __sk_buff *skb)
{
	return 0;
}

SEC("action")
int on_action(struct __sk_buff *skb)
{
	return 0;
}

SEC("sockops")
int on_sockops(struct bpf_sock_ops *ctx)
{
	return 1;
}

SEC("sk_skb/stream_verdict")
int on_sk_skb(struct __sk_buff *skb)
{
	return SK_PASS;
}

SEC("sk_msg")
int on_sk_msg(struct sk_msg_md *msg)
{
	return SK_PASS;
}

SEC("sk_reuseport")
int on_reuseport(struct sk_reuseport_md *ctx)
{
	return SK_PASS;
}

SEC("flow_dissector")
int on_flow(struct __sk_buff *skb)
{
	return 0; /* BPF_OK */
}

SEC("cgroup/sock_create")
int on_sock_create(struct bpf_sock *sk)
{
	return 1;
}

SEC("cgroup/sysctl")
int on_sysctl(struct bpf_sysctl *ctx)
{
	return 1;
}

SEC("cgroup/getsockopt")
int on_getsockopt(struct bpf_sockopt *ctx)
{
	return 1;
}

SEC("cgroup/dev")
int on_dev(struct bpf_cgroup_dev_ctx *ctx)
{
	return 1;
}

SEC("perf_event")
int on_perf_event(struct bpf_perf_event_data *ctx)
{
	return 0;
}

SEC("lwt_in")
int on_lwt_in(struct __sk_buff *skb)
{
	return 0; /* BPF_OK */
}

SEC("syscall")
int on_syscall(void *ctx)
{
	return 7;
}

char LICENSE[] SEC("license") = "GPL";
