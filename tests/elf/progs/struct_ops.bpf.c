// SPDX-License-Identifier: MIT
/* struct_ops: a TCP congestion control in ".struct_ops.link", so loading
 * creates the struct_ops map and its programs without registering anything
 * (registration waits for a link, which no test makes: it would change the
 * machine's TCP). libbpf 1.1 predates ".struct_ops.link". */
// expect: libbpf fails
#define CORPUS_VMLINUX
#include "corpus.h"
#include <bpf/bpf_tracing.h>

SEC("struct_ops/bk_ssthresh")
__u32 BPF_PROG(bk_ssthresh, struct sock *sk)
{
	return 16;
}

SEC("struct_ops/bk_cong_avoid")
void BPF_PROG(bk_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/bk_undo_cwnd")
__u32 BPF_PROG(bk_undo_cwnd, struct sock *sk)
{
	return 10;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops bk_cc = {
	.ssthresh = (void *)bk_ssthresh,
	.cong_avoid = (void *)bk_cong_avoid,
	.undo_cwnd = (void *)bk_undo_cwnd,
	.name = "bk_test_cc",
};

char LICENSE[] SEC("license") = "GPL";
