// SPDX-License-Identifier: MIT
/* A USDT probe handler through libbpf's own usdt.bpf.h: its helpers are
 * global functions of hidden visibility (__weak __hidden), which libbpf
 * verifies as static functions, with the caller's context; a loader that
 * leaves them global gets "R6 invalid mem access 'mem_or_null'". */
#include <stdbool.h>
#include "corpus.h"
#include <linux/ptrace.h>
#include <bpf/usdt.bpf.h>

SEC("usdt")
int BPF_USDT(on_usdt, long a, long b)
{
	bpf_printk("usdt %ld %ld", a, b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
