// SPDX-License-Identifier: MIT
/*
 * Raw tracepoint, CO-RE: read the current task with BPF_CORE_READ chains and
 * compare with what helpers say about it; take two arguments through
 * BPF_PROG. Needs a vmlinux.h of the running kernel (-DVMLINUX_H="path"),
 * and a loader that applies .BTF.ext's CO-RE records (or the same kernel the
 * vmlinux.h was dumped from, where every record keeps its local value).
 *
 * Expected test-run result (BPF_PROG_TEST_RUN with ctx_in = { 7, 9 } as two
 * u64): 0. Any other value is a bit set of what disagreed:
 *   1 tgid, 2 pid, 4 comm, 8 field/type existence, 16 enum value,
 *   32 the BPF_PROG arguments, 64 the parent's tgid is not positive.
 */
#include VMLINUX_H
#include <bpfkit/bpf/helpers.h>
#include <bpfkit/bpf/core.h>
#include <bpfkit/bpf/tracing.h>

SEC("raw_tp/sys_enter")
int BPF_PROG(core_task, long a, long b)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	char comm[16], core_comm[16];
	int bad = 0;

	if (BPF_CORE_READ(task, tgid) != (int)(pid_tgid >> 32))
		bad |= 1;
	if (BPF_CORE_READ(task, pid) != (int)(__u32)pid_tgid)
		bad |= 2;
	bpf_get_current_comm(comm, sizeof(comm));
	BPF_CORE_READ_STR_INTO(&core_comm, task, comm);
	for (int i = 0; i < 16; i++) {
		if (comm[i] != core_comm[i])
			bad |= 4;
		if (!comm[i])
			break;
	}
	if (!bpf_core_field_exists(task->pid) || !bpf_core_type_exists(struct task_struct) ||
	    bpf_core_field_size(task->comm) != 16)
		bad |= 8;
	if (bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output) != 130)
		bad |= 16;
	if (a != 7 || b != 9)
		bad |= 32;
	if (BPF_CORE_READ(task, real_parent, tgid) <= 0)
		bad |= 64;
	return bad;
}

BPF_LICENSE("GPL");
