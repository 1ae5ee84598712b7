// SPDX-License-Identifier: MIT
/* Probe sections: kprobe, kretprobe, ksyscall, uprobe, uretprobe, usdt-style
 * uprobe.s. The programs load (type KPROBE); this kernel has no kprobes or
 * uprobes, so attaching them fails and must say what is missing. */
#define CORPUS_VMLINUX
#include "corpus.h"
#include <bpf/bpf_tracing.h>

__u64 probes;

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(on_kprobe)
{
	probes++;
	return 0;
}

SEC("kretprobe/do_nanosleep")
int BPF_KRETPROBE(on_kretprobe, int ret)
{
	probes++;
	return 0;
}

SEC("ksyscall/getpid")
int on_ksyscall(void *ctx)
{
	probes++;
	return 0;
}

SEC("uprobe//bin/true:main")
int BPF_KPROBE(on_uprobe)
{
	probes++;
	return 0;
}

SEC("uretprobe.s//bin/true:main")
int BPF_KRETPROBE(on_uretprobe_s, int ret)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
