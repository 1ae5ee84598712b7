// SPDX-License-Identifier: MIT
/* tcx and its tc/ingress, tc/egress aliases (libbpf 1.3+; the installed
 * libbpf 1.1 does not know these sections). */
// expect: libbpf fails
// expect: run on_tcx_in retval -1
// expect: run on_tc_out retval 0
#include "corpus.h"

__u32 tcx_runs;

SEC("tcx/ingress")
int on_tcx_in(struct __sk_buff *skb)
{
	tcx_runs++;
	return -1; /* TCX_NEXT */
}

SEC("tcx/egress")
int on_tcx_out(struct __sk_buff *skb)
{
	return 0; /* TCX_PASS */
}

SEC("tc/ingress")
int on_tc_in(struct __sk_buff *skb)
{
	return -1;
}

SEC("tc/egress")
int on_tc_out(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
