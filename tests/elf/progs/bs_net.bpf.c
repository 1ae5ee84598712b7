// SPDX-License-Identifier: MIT
/*
 * Networking programs as libbpf starter projects write them: a socket
 * filter reading headers with the legacy packet loads (LLVM's
 * llvm.bpf.load.* intrinsics: BPF_LD | BPF_ABS) and sending a ring buffer
 * sample, and a tc classifier printing the packet's protocol.
 */
// expect: run socket_handler retval 0
// expect: run tc_ingress retval 0
#include "corpus.h"
#include <bpf/bpf_endian.h>
#include <linux/if_ether.h>
#include <linux/ip.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

struct so_event {
	__u32 src_addr, dst_addr;
	__u32 ports;
	__u32 ip_proto;
	__u32 pkt_type;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("socket")
int socket_handler(struct __sk_buff *skb)
{
	struct so_event *e;
	__u8 verlen, ip_proto;
	__u16 proto;
	__u32 nhoff = ETH_HLEN;

	/* legacy packet loads may not run while a ring buffer sample is held */
	proto = load_half(skb, 12);
	if (proto != ETH_P_IP)
		return 0;
	if (load_half(skb, nhoff + 6) & 0x3fff) /* fragments */
		return 0;
	ip_proto = load_byte(skb, nhoff + 9);
	verlen = load_byte(skb, nhoff);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->ip_proto = ip_proto;
	bpf_skb_load_bytes(skb, nhoff + 12, &e->src_addr, 4);
	bpf_skb_load_bytes(skb, nhoff + 16, &e->dst_addr, 4);
	bpf_skb_load_bytes(skb, nhoff + ((verlen & 0xF) << 2), &e->ports, 4);
	e->pkt_type = skb->pkt_type;
	e->ifindex = skb->ifindex;
	bpf_ringbuf_submit(e, 0);
	return skb->len;
}

SEC("tc")
int tc_ingress(struct __sk_buff *ctx)
{
	void *data_end = (void *)(__u64)ctx->data_end;
	void *data = (void *)(__u64)ctx->data;
	struct ethhdr *l2;
	struct iphdr *l3;

	if (ctx->protocol != bpf_htons(ETH_P_IP))
		return 0; /* TC_ACT_OK */
	l2 = data;
	if ((void *)(l2 + 1) > data_end)
		return 0;
	l3 = (struct iphdr *)(l2 + 1);
	if ((void *)(l3 + 1) > data_end)
		return 0;
	bpf_printk("Got IP packet: tot_len: %d, ttl: %d", bpf_ntohs(l3->tot_len), l3->ttl);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
