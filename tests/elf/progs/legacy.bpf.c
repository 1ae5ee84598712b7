// SPDX-License-Identifier: MIT
/* A legacy "maps" section of struct bpf_map_def, as iproute2 and older programs
 * have it. libbpf 1.0 dropped this format, so the reference loader refuses it;
 * bpfkit loads it. */
// expect: libbpf fails
// expect: run sock_legacy retval 0
// expect: map legacy_counts key 00000000 value 0100000000000000
// expect: map legacy_hash key 03000000 value 0900000000000000
#include "corpus.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 2,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("socket")
int sock_legacy(struct __sk_buff *skb)
{
	__u32 k = 0, k3 = 3;
	__u64 nine = 9, *v = bpf_map_lookup_elem(&legacy_counts, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	bpf_map_update_elem(&legacy_hash, &k3, &nine, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
