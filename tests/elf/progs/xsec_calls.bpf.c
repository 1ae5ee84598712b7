// SPDX-License-Identifier: MIT
/* Calls across sections: two entry programs of one "xdp" section call into
 * .text (libbpf makes every function of a program section an entry program, and
 * refuses static ones there, so callees live in .text): a static function that
 * calls a global one, and the global one directly. Each program gets its own
 * copy of what it reaches, with func_info and line_info following it. */
// expect: run xdp_first retval 7
// expect: run xdp_second retval 12
#include "corpus.h"

__noinline int twice(int x)
{
	return x + x;
}

static __noinline int twice_plus_one(int x)
{
	return twice(x) + 1;
}

SEC("xdp")
int xdp_first(struct xdp_md *ctx)
{
	return twice_plus_one(3);
}

SEC("xdp")
int xdp_second(struct xdp_md *ctx)
{
	return twice(6);
}

char LICENSE[] SEC("license") = "GPL";
