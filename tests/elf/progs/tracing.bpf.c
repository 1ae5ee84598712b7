// SPDX-License-Identifier: MIT
/* BTF-attached tracing sections: fentry, fexit, fmod_ret, fentry.s, lsm. The
 * loader finds each target's BTF id by name (vmlinux: bpf_fentry_test1 is the
 * kernel's own test target, bpf_modify_return_test allows fmod_ret, and
 * bpf_lsm_file_open the LSM hook). This machine's kernel refuses such loads
 * with EPERM before the verifier runs (host policy), for libbpf and bpfkit
 * alike; the id resolution is still testable. */
// expect: load fails on_fentry errno EPERM when a host policy forbids tracing programs
#define CORPUS_VMLINUX
#include "corpus.h"
#include <bpf/bpf_tracing.h>

__u64 seen;

SEC("fentry/bpf_fentry_test1")
int BPF_PROG(on_fentry, int a)
{
	seen += a;
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int BPF_PROG(on_fexit, int a, int ret)
{
	seen += ret;
	return 0;
}

SEC("fmod_ret/bpf_modify_return_test")
int BPF_PROG(on_fmod_ret, int a, int *b, int ret)
{
	return 0;
}

SEC("fentry.s/bpf_fentry_test1")
int BPF_PROG(on_fentry_sleepable, int a)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(on_file_open, struct file *file)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
