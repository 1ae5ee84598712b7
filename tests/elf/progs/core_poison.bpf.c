// SPDX-License-Identifier: MIT
/* A CO-RE relocation that cannot be resolved (a field no kernel has), read
 * without an existence guard: the loader poisons the instruction (libbpf: a
 * call to the invalid helper 0xbad2310) and the verifier, reaching it, refuses
 * the program; the complaint must name the failed relocation. */
// expect: load fails core_unguarded line 26
/* (clang's line table gives the relocated instruction, the first of the
 * BPF_CORE_READ expansion, to line 26; the complaint names the relocation
 * "bk_no_such_field" itself) */
#define CORPUS_VMLINUX
#include "corpus.h"
#include <bpf/bpf_core_read.h>

struct task_struct___future {
	int bk_no_such_field;
} __attribute__((preserve_access_index));

__u32 seen;

SEC("syscall")
int core_unguarded(void *ctx)
{
	struct task_struct___future *t = (void *)bpf_get_current_task();

	/* fine on every kernel: */
	seen = bpf_core_type_exists(struct task_struct___future);
	/* fails on every kernel: */
	seen = BPF_CORE_READ(t, bk_no_such_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
