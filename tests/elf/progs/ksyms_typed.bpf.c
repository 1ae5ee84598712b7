// SPDX-License-Identifier: MIT
/* Typed .ksyms: per-CPU kernel variables found by name in vmlinux BTF and
 * passed to the kernel as ld_imm64 BPF_PSEUDO_BTF_ID. The kernel turns those
 * into addresses through kallsyms, which on a kernel without
 * CONFIG_KALLSYMS_ALL (this machine's) has no data symbols: the load fails with
 * ENOENT, "ldimm64 failed to find the address for kernel symbol
 * 'bpf_prog_active'", for libbpf as for bpfkit. Where it loads, the run checks
 * that runqueues of this CPU says which CPU it is. */
// expect: load fails xdp_ksyms errno ENOENT when the kernel lacks CONFIG_KALLSYMS_ALL
// expect: run xdp_ksyms retval 1
#define CORPUS_VMLINUX
#include "corpus.h"

extern const int bpf_prog_active __ksym;
extern const struct rq runqueues __ksym;

SEC("xdp")
int xdp_ksyms(struct xdp_md *ctx)
{
	const int *active = bpf_this_cpu_ptr(&bpf_prog_active);
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	if (*active < 0)
		return 0x101;
	return rq->cpu == bpf_get_smp_processor_id() ? 1 : 0x102;
}

char LICENSE[] SEC("license") = "GPL";
