// SPDX-License-Identifier: MIT
/*
 * XDP: parse Ethernet, IPv4 and UDP with the verifier's bounds idiom and the
 * byte-order macros, count packets per IP protocol, and pass only UDP to
 * port 4242. Built with bpfkit's BPF headers alone (no vmlinux.h).
 *
 * Expected test-run results (BPF_PROG_TEST_RUN, data_in = the frame):
 *   - Ethernet/IPv4/UDP frame to port 4242        -> XDP_PASS (2), counters[17] += 1
 *   - Ethernet/IPv4/UDP frame to any other port   -> XDP_DROP (1), counters[17] += 1
 *   - Ethernet/IPv4/TCP frame                     -> XDP_DROP (1), counters[6] += 1
 *   - an ARP frame (ethertype 0x0806)             -> XDP_PASS (2), nothing counted
 *   - a frame shorter than Ethernet + IPv4 (20 B) -> XDP_ABORTED (0)
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpfkit/bpf/helpers.h>
#include <bpfkit/bpf/endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;
	__u32 proto;
	__u64 *n;

	if ((void *)(eth + 1) > end)
		return XDP_ABORTED;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if ((void *)(ip + 1) > end)
		return XDP_ABORTED;
	proto = ip->protocol;
	n = bpf_map_lookup_elem(&counters, &proto);
	if (n)
		__sync_fetch_and_add(n, 1);
	if (ip->protocol != IPPROTO_UDP)
		return XDP_DROP;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > end)
		return XDP_ABORTED;
	return bpf_ntohs(udp->dest) == 4242 ? XDP_PASS : XDP_DROP;
}

BPF_LICENSE("Dual MIT/GPL");
