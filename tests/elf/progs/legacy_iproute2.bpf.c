// SPDX-License-Identifier: MIT
/* iproute2's legacy map definition (struct bpf_elf_map: bpf_map_def plus id,
 * pinning, inner_id, inner_idx) in the "maps" section, extra fields zero, as
 * tc programs of that era are built. libbpf 1.0+ refuses the section. */
// expect: libbpf fails
// expect: run cls_legacy retval 0
// expect: map tc_counts key 00000000 value 01000000
#include "corpus.h"

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

struct bpf_elf_map SEC("maps") tc_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 4,
};

SEC("classifier")
int cls_legacy(struct __sk_buff *skb)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&tc_counts, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
