// SPDX-License-Identifier: MIT
/* The smallest useful object: one XDP program counting into .bss (the map
 * libbpf names "minimal.bss"). */
// expect: run xdp_count retval 2
// expect: map minimal.bss key 00000000 value 0100000000000000
#include "corpus.h"

__u64 calls;

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&calls, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
