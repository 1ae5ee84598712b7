// SPDX-License-Identifier: MIT
/*
 * Socket filter: keep IPv4 TCP packets to port 80, drop everything else,
 * reading the packet with bpf_skb_load_bytes and the byte-order macros.
 * Built with bpfkit's BPF headers alone (no vmlinux.h).
 *
 * Expected test-run results (BPF_PROG_TEST_RUN, data_in = an Ethernet frame;
 * the kernel strips the Ethernet header, so offsets start at IPv4):
 *   - IPv4/TCP to port 80          -> the packet length without Ethernet (skb->len)
 *   - IPv4/TCP to another port     -> 0
 *   - IPv4/UDP                     -> 0
 *   - not IPv4 (ethertype 0x86dd)  -> 0
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <bpfkit/bpf/helpers.h>
#include <bpfkit/bpf/endian.h>

SEC("socket")
int keep_http(struct __sk_buff *skb)
{
	__u8 verlen, proto;
	__u16 dport;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, offsetof(struct iphdr, protocol), &proto, 1) < 0 ||
	    proto != IPPROTO_TCP)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, &verlen, 1) < 0)
		return 0;
	if (bpf_skb_load_bytes(skb, (verlen & 0xf) * 4 + offsetof(struct tcphdr, dest), &dport,
			       2) < 0)
		return 0;
	return bpf_ntohs(dport) == 80 ? skb->len : 0;
}

BPF_LICENSE("Dual MIT/GPL");
