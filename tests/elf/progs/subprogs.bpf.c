// SPDX-License-Identifier: MIT
/* Code layout: static and global subprograms in .text, a subprogram called from
 * two entry programs, a call chain, callbacks through ld_imm64 of a function
 * (bpf_loop, bpf_for_each_map_elem), and entry programs in two sections calling
 * into .text. The final instructions must be laid out as libbpf does (entry,
 * then each subprogram in first-reference order) so the kernel's tags match. */
// expect: run xdp_sub retval 2
// expect: run sock_sub retval 65
// expect: map sub_out key 00000000 value 2d000000
// expect: map sub_out key 01000000 value 06000000
// expect: map sub_out key 02000000 value 5a000000
// expect: map sub_out key 03000000 value 41000000
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} sub_out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} vals SEC(".maps");

static __noinline __u32 square(__u32 x)
{
	return x * x;
}

static __noinline __u32 add_squares(__u32 a, __u32 b)
{
	return square(a) + square(b);
}

/* a global function: verified on its own, with its BTF prototype */
__noinline int global_put(__u32 key, __u32 val)
{
	return bpf_map_update_elem(&sub_out, &key, &val, BPF_ANY);
}

__noinline int global_put_vals(__u32 key, __u32 val)
{
	return bpf_map_update_elem(&vals, &key, &val, BPF_ANY);
}

struct loop_ctx {
	__u32 sum;
};

static int loop_body(__u32 i, void *data)
{
	struct loop_ctx *c = data;

	c->sum += i;
	return 0;
}

static long sum_elem(void *map, __u32 *key, __u32 *val, void *data)
{
	struct loop_ctx *c = data;

	c->sum += *val;
	return 0;
}

SEC("xdp")
int xdp_sub(struct xdp_md *ctx)
{
	struct loop_ctx lc = { 0 }, ec = { 0 };
	bpf_loop(10, loop_body, &lc, 0); /* 0 + 1 + ... + 9 = 45 */
	global_put(0, lc.sum);
	for (__u32 i = 0; i < 3; i++)
		global_put_vals(i, i + 1);
	bpf_for_each_map_elem(&vals, sum_elem, &ec, 0); /* 1 + 2 + 3 */
	global_put(1, ec.sum);
	global_put(2, add_squares(3, 9)); /* 9 + 81 */
	return XDP_PASS;
}

SEC("socket")
int sock_sub(struct __sk_buff *skb)
{
	__u32 r = add_squares(1, 8); /* 65 */

	global_put(3, r);
	return r;
}

char LICENSE[] SEC("license") = "GPL";
