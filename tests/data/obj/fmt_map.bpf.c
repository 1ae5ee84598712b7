// SPDX-License-Identifier: MIT
/* A hash map whose value has most BTF shapes (signed/unsigned ints, a char
 * string, an enum, a bool, an array, a bitfield, a pointer), so the tests can
 * compare bpfkit's "formatted" map dumps with bpftool's; and a per-CPU array. */
#define SEC(x) __attribute__((section(x), used))

enum bk_color { BK_RED, BK_GREEN = 7 };

struct bk_val {
	int a;
	unsigned long long b;
	char name[8];
	enum bk_color c;
	_Bool flag;
	int arr[2];
	unsigned bits : 3;
	short s;
	void *p;
};

struct {
	int (*type)[1]; /* BPF_MAP_TYPE_HASH */
	int (*max_entries)[2];
	unsigned *key;
	struct bk_val *value;
} bk_fmt SEC(".maps");

struct {
	int (*type)[6]; /* BPF_MAP_TYPE_PERCPU_ARRAY */
	int (*max_entries)[2];
	unsigned *key;
	long *value;
} bk_fmt_pc SEC(".maps");

static long (*map_update_elem)(void *map, const void *key, const void *value,
			       unsigned long long flags) = (void *)2;

SEC("xdp") int bk_fmt_prog(void *ctx)
{
	unsigned k = 1;
	struct bk_val v = { -3, 5, "hi", BK_GREEN, 1, { 1, 2 }, 5, -2, 0 };

	(void)ctx;
	map_update_elem(&bk_fmt, &k, &v, 0);
	map_update_elem(&bk_fmt_pc, &k, &v.b, 0);
	return 2;
}

char _license[] SEC("license") = "GPL";
