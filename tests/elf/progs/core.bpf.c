// SPDX-License-Identifier: MIT
/* CO-RE against vmlinux: reads through preserve_access_index types (vmlinux.h
 * and a ___flavor of our own), field offset/size/exists/signed, bitfield
 * lshift/rshift, local and target type ids, type exists/size/matches, enum
 * value exists/value, with fields and types the kernel lacks guarded by their
 * existence checks. core_main (a syscall program: test-run without context)
 * returns 1 when every answer agrees with what the program can see, else 0x100
 * | the failed check; the raw answers land in .bss for the test to compare with
 * vmlinux BTF. */
// expect: run core_main retval 1
#define CORPUS_VMLINUX
#include "corpus.h"
#include <bpf/bpf_core_read.h>

/* a flavor: resolves to the kernel's struct task_struct */
struct task_struct___mine {
	int pid;
	int tgid;
	struct task_struct___mine *group_leader;
} __attribute__((preserve_access_index));

/* a flavor with a field no kernel has */
struct task_struct___future {
	int bk_no_such_field;
} __attribute__((preserve_access_index));

/* same name (flavor stripped) as the kernel's list_head, different shape */
struct list_head___bad {
	int next;
} __attribute__((preserve_access_index));

struct bk_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum bpf_map_type___mine {
	BPF_MAP_TYPE_BK_NO_SUCH___mine = 9999,
	BPF_MAP_TYPE_RINGBUF___mine = 1,
};

struct {
	__u32 pid, tgid, leader_tgid;
	__u32 pid_off, pid_size, pid_signed;
	__u32 task_size, local_id, target_id;
	__u32 field_exists, missing_field_exists, type_exists, missing_type_exists;
	__u32 type_matches, type_mismatch;
	__u32 ringbuf_val, missing_enum_exists;
	__u32 in_execve;
	__u64 lshift, rshift;
} core_out;

#define CHECK(n, cond)                                                                             \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return 0x100 | (n);                                                        \
	} while (0)

SEC("syscall")
int core_main(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___mine *m = (void *)t;
	__u64 id = bpf_get_current_pid_tgid();

	core_out.pid = BPF_CORE_READ(t, pid);
	core_out.tgid = BPF_CORE_READ(m, tgid);
	core_out.leader_tgid = BPF_CORE_READ(m, group_leader, tgid);
	core_out.pid_off = bpf_core_field_offset(struct task_struct, pid);
	core_out.pid_size = bpf_core_field_size(struct task_struct___mine, pid);
	core_out.pid_signed = __builtin_preserve_field_info(m->pid, BPF_FIELD_SIGNED);
	core_out.task_size = bpf_core_type_size(struct task_struct);
	core_out.local_id = bpf_core_type_id_local(struct task_struct___mine);
	core_out.target_id = bpf_core_type_id_kernel(struct task_struct___mine);
	core_out.field_exists = bpf_core_field_exists(m->tgid);
	core_out.missing_field_exists =
		bpf_core_field_exists(((struct task_struct___future *)t)->bk_no_such_field);
	if (core_out.missing_field_exists) /* dead on every kernel: guarded access */
		core_out.pid = BPF_CORE_READ((struct task_struct___future *)t, bk_no_such_field);
	core_out.type_exists = bpf_core_type_exists(struct task_struct);
	core_out.missing_type_exists = bpf_core_type_exists(struct bk_no_such_type);
	core_out.type_matches = bpf_core_type_matches(struct list_head);
	core_out.type_mismatch = bpf_core_type_matches(struct list_head___bad);
	core_out.ringbuf_val = bpf_core_enum_value(enum bpf_map_type___mine,
						   BPF_MAP_TYPE_RINGBUF___mine);
	core_out.missing_enum_exists = bpf_core_enum_value_exists(
		enum bpf_map_type___mine, BPF_MAP_TYPE_BK_NO_SUCH___mine);
	core_out.in_execve = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	core_out.lshift = __builtin_preserve_field_info(t->in_execve, BPF_FIELD_LSHIFT_U64);
	core_out.rshift = __builtin_preserve_field_info(t->in_execve, BPF_FIELD_RSHIFT_U64);

	CHECK(1, core_out.pid == (__u32)id && core_out.tgid == id >> 32);
	CHECK(2, core_out.leader_tgid == core_out.tgid);
	CHECK(3, core_out.pid_size == 4 && core_out.pid_signed == 1);
	CHECK(4, core_out.task_size > core_out.pid_off && core_out.pid_off > 0);
	CHECK(5, core_out.local_id != 0 && core_out.target_id != 0);
	CHECK(6, core_out.field_exists && !core_out.missing_field_exists);
	CHECK(7, core_out.type_exists);
	CHECK(10, !core_out.missing_type_exists);
	CHECK(11, core_out.type_matches && !core_out.type_mismatch);
	CHECK(8, core_out.ringbuf_val == BPF_MAP_TYPE_RINGBUF && !core_out.missing_enum_exists);
	CHECK(9, core_out.in_execve == 0 && core_out.rshift == 63);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
