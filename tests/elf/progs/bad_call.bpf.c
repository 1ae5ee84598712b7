// SPDX-License-Identifier: MIT
/* A call from one entry program into another program section's function:
 * libbpf refuses it at open ("prog 'caller': bad call relo against 'callee' in
 * section 'xdp'", -LIBBPF_ERRNO__RELOC), since only .text holds subprograms.
 * bpfkit must refuse it too, naming both. */
// expect: open fails caller callee
#include "corpus.h"

SEC("xdp")
__noinline int callee(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

SEC("xdp")
int caller(struct xdp_md *ctx)
{
	return callee(ctx) + 1;
}

char LICENSE[] SEC("license") = "GPL";
