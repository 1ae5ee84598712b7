// SPDX-License-Identifier: MIT
/* Global data: .data, .rodata, .bss, a custom .data.custom and .rodata.cfg
 * section, and string literals in .rodata.str1.1 and .rodata.cst32 (passed to a helper as a
 * map value, so it must exist as memory). xdp_globals returns a sum of what it
 * reads (1 + 2 + 3 + 4 + 'G' = 81) and writes .bss, .data and .data.custom. */
// expect: run xdp_globals retval 81
// expect: map globals.bss key 00000000 value 5100000000000000
// expect: map strs key 00000000 value 68656c6c6f2c20636f727075732100
// expect: map strs32 key 00000000 value 7468697274792d74776f2062797465732c204e554c2d70616464656400000000
// expect: map globals.data key 00000000 value 0200000007000000
// expect: map .data.custom key 00000000 value 0b0000000d000000
#include "corpus.h"

__u64 total;                               /* .bss */
__u32 data_val = 1;                        /* .data */
__u32 data_out = 7;                        /* .data */
const volatile __u32 ro_val = 2;           /* .rodata */
const volatile char ro_tag[4] = "G";       /* .rodata */
__u32 custom_val SEC(".data.custom") = 3;  /* .data.custom */
__u32 custom_out SEC(".data.custom") = 13; /* .data.custom */
const volatile __u32 cfg_val SEC(".rodata.cfg") = 4;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[15]);
} strs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[32]);
} strs32 SEC(".maps");

SEC("xdp")
int xdp_globals(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 sum = data_val + ro_val + custom_val + cfg_val + ro_tag[0];

	/* string literals: in .rodata.str1.1, and a 32-byte one in .rodata.cst32 */
	bpf_map_update_elem(&strs, &k, "hello, corpus!", BPF_ANY);
	bpf_map_update_elem(&strs32, &k, "thirty-two bytes, NUL-padded\0\0\0", BPF_ANY);
	total = sum;
	data_val = 2;
	custom_val = 11;
	return (int)sum;
}

char LICENSE[] SEC("license") = "GPL";
