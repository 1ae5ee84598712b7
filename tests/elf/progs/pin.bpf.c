// SPDX-License-Identifier: MIT
/* Pinning by name: pinned_counts is pinned at <pin root>/pinned_counts on the
 * first load and reused (same map) by the next; unpinned is not pinned. Load
 * it with a private pin root (libbpf_ref --pin-root DIR; bpfkit's pin-root
 * option): the default root is the machine's /sys/fs/bpf. */
// expect: run xdp_pin retval 2
// expect: map pinned_counts key 00000000 value 0100000000000000
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_NONE);
} unpinned SEC(".maps");

SEC("xdp")
int xdp_pin(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&pinned_counts, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	bpf_map_update_elem(&unpinned, &k, &k, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
