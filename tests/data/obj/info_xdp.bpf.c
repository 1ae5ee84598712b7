// SPDX-License-Identifier: MIT
/* An XDP program with one array map, loaded by bpftool in the info and CLI
 * tests so bpfkit can be compared with bpftool on the same objects. Built by
 * the tests with clang -target bpf; no headers needed. */
#define SEC(x) __attribute__((section(x), used))

struct {
	int (*type)[2];	       /* BPF_MAP_TYPE_ARRAY */
	int (*max_entries)[4];
	int *key;
	long *value;
} bk_counts SEC(".maps");

static long *(*map_lookup_elem)(void *map, const void *key) = (void *)1;

SEC("xdp") int bk_count(void *ctx)
{
	int k = 0;
	long *v = map_lookup_elem(&bk_counts, &k);

	(void)ctx;
	if (v)
		*v += 1;
	return 2; /* XDP_PASS */
}

char _license[] SEC("license") = "GPL";
