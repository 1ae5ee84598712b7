// SPDX-License-Identifier: MIT
/* BTF-defined maps in .maps: many map types, key/value as types and as sizes,
 * map_flags, numa_node, map_extra, a prog array and map-in-maps whose initial
 * contents come from .rel.maps. xdp_maps fills them and tail-calls xdp_tail
 * through jmp_table[1], which .rel.maps put there. */
// expect: run xdp_maps retval 3
// expect: map arr key 00000000 value 0b000000
// expect: map hash key 07000000 value 4d00000000000000
// expect: map lru key 05000000 value 06000000
// expect: map inner_b key 01000000 value 2a000000
// expect: map inner_a key 00000000 value 00000000
// expect: map tail_hits key 00000000 value 01000000
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tail_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32)); /* sizes instead of types */
	__uint(value_size, 12);
} pcpu_arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, __u64);
} pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
	__type(key, __u32);
	__type(value, __u32);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u16);
} lru_pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 100);
	__uint(map_extra, 3); /* number of hash functions */
	__type(value, __u32);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u64);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u32);
} stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} devmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sockhash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} mmapable SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer_arr SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 8);
		__type(key, __u32);
		__type(value, __u32);
	});
} outer_hash SEC(".maps");

SEC("xdp")
int xdp_tail(struct xdp_md *ctx)
{
	__u32 k = 0, *v = bpf_map_lookup_elem(&tail_hits, &k);

	if (v)
		*v += 1;
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jmp_table SEC(".maps") = {
	.values = { [1] = (void *)&xdp_tail },
};

SEC("xdp")
int xdp_maps(struct xdp_md *ctx)
{
	__u32 k = 0, v32 = 11, k7 = 7, k5 = 5, v6 = 6, bv = 99, *in;
	__u64 v64 = 77, key64 = 1;
	__u16 v16 = 3;
	void *m, *rec;

	bpf_map_update_elem(&arr, &k, &v32, BPF_ANY);
	bpf_map_update_elem(&hash, &k7, &v64, BPF_ANY);
	bpf_map_update_elem(&pcpu_hash, &key64, &v64, BPF_ANY);
	bpf_map_update_elem(&lru, &k5, &v6, BPF_ANY);
	bpf_map_update_elem(&lru_pcpu, &k5, &v16, BPF_ANY);
	bpf_map_push_elem(&bloom, &bv, 0);
	bpf_map_push_elem(&queue, &v64, 0);
	bpf_map_push_elem(&stack, &v32, 0);
	rec = bpf_ringbuf_reserve(&rb, 8, 0);
	if (rec) {
		*(__u64 *)rec = 0x1122334455667788ULL;
		bpf_ringbuf_submit(rec, 0);
	}
	k = 2;
	m = bpf_map_lookup_elem(&outer_arr, &k);
	if (!m)
		return XDP_ABORTED;
	k = 1;
	in = bpf_map_lookup_elem(m, &k);
	if (in)
		*in = 42;
	bpf_tail_call(ctx, &jmp_table, 1);
	return XDP_DROP; /* only when the prog array was not filled */
}

char LICENSE[] SEC("license") = "GPL";
