// SPDX-License-Identifier: MIT
/*
 * A libbpf-style USDT object: BPF_USDT with typed arguments, the probe's
 * cookie and argument count. tests/bpf/test_compat.c builds it against
 * libbpf's headers and bpfkit's compat/ and compares the interface with the
 * user-space side (map names, spec layout, Kconfig extern).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

pid_t my_pid;

SEC("usdt/libc.so.6:libc:setjmp")
int BPF_USDT(on_setjmp, void *env, int savemask, void *pc)
{
	pid_t pid = bpf_get_current_pid_tgid() >> 32;

	if (pid != my_pid)
		return 0;
	bpf_printk("setjmp env %lx savemask %d pc %lx", env, savemask, pc);
	return 0;
}

SEC("usdt")
int BPF_USDT(manual, long a)
{
	long second;

	if (bpf_usdt_arg(ctx, 1, &second) == 0)
		a += second;
	bpf_printk("cookie %ld, %d arguments, a %ld", bpf_usdt_cookie(ctx), bpf_usdt_arg_cnt(ctx), a);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
