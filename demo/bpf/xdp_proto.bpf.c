// SPDX-License-Identifier: MIT
/*
 * The demo's XDP program in C, built by clang-19 with bpfkit's own BPF-side
 * headers and loaded through bpfkit's ELF loader: count frames by IPv4
 * protocol (0: not IPv4) and report each frame's size in a ring buffer.
 * The live part of the demo runs it next to the same program in assembler.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>

#include <bpfkit/bpf/endian.h>
#include <bpfkit/bpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} by_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 10);
} events SEC(".maps");

/* How many frames were too short to parse: global data, read through mmap. */
__u64 short_frames = 0;

SEC("xdp")
int xdp_proto(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 proto = 0, *ev;
	__u64 *n;

	if ((void *)(ip + 1) > end) {
		__sync_fetch_and_add(&short_frames, 1);
		return XDP_PASS;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		proto = ip->protocol;
	n = bpf_map_lookup_elem(&by_proto, &proto);
	if (n)
		__sync_fetch_and_add(n, 1);
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (ev) {
		*ev = (__u32)(end - data);
		bpf_ringbuf_submit(ev, 0);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
