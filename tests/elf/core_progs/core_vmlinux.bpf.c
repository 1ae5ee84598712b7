// SPDX-License-Identifier: MIT
/* CO-RE against the running kernel's BTF: a few task_struct fields, a
 * flavor whose field was renamed away, kernel enums and types. */
#define PAI __attribute__((preserve_access_index))
#define SEC(n) __attribute__((section("v_" n), used))

struct list_head {
	struct list_head *next, *prev;
} PAI;

struct rlimit {
	unsigned long rlim_cur, rlim_max;
} PAI;

struct signal_struct {
	struct rlimit rlim[16];
} PAI;

struct task_struct {
	unsigned int sched_migrated : 1, sched_remote_wakeup : 1;
	struct signal_struct *signal;
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct list_head tasks;
} PAI;

struct task_struct___old {
	long state; /* "__state" since Linux 5.14 */
} PAI;

struct bpf_map;

enum bpf_prog_type { BPF_PROG_TYPE_XDP = 1000 };
enum bpf_map_type { BPF_MAP_TYPE_NOT_IN_ANY_KERNEL = 7 };

SEC("pid") int pid(struct task_struct *t) { return t->pid; }
SEC("tgid") int tgid(struct task_struct *t) { return t->tgid; }
SEC("comm3") int comm3(struct task_struct *t) { return t->comm[3]; }
SEC("parent") long parent(struct task_struct *t) { return (long)t->real_parent; }
SEC("tasks_prev") long tasks_prev(struct task_struct *t) { return (long)t->tasks.prev; }
SEC("old_state") unsigned long old_state(struct task_struct___old *t)
{
	return __builtin_preserve_field_info(t->state, 2);
}
SEC("xdp_value") unsigned long xdp_value(void)
{
	return __builtin_preserve_enum_value(*(enum bpf_prog_type *)BPF_PROG_TYPE_XDP, 1);
}
SEC("bogus_exists") unsigned long bogus_exists(void)
{
	return __builtin_preserve_enum_value(*(enum bpf_map_type *)BPF_MAP_TYPE_NOT_IN_ANY_KERNEL, 0);
}
SEC("list_head_size") unsigned long list_head_size(void)
{
	return __builtin_preserve_type_info(*(struct list_head *)0, 1);
}
SEC("list_head_matches") unsigned long list_head_matches(void)
{
	return __builtin_preserve_type_info(*(struct list_head *)0, 2);
}

/* Bitfields, read as BPF_CORE_READ_BITFIELD does, and an array of structs. */
#define BITFIELD(sec, fn, field)                                                   \
	SEC(sec) unsigned long fn(struct task_struct *t)                           \
	{                                                                          \
		return __builtin_preserve_field_info(t->field, 0) +                \
		       __builtin_preserve_field_info(t->field, 1) * 1000 +         \
		       (__builtin_preserve_field_info(t->field, 4) << 20) +        \
		       (__builtin_preserve_field_info(t->field, 5) << 28) +        \
		       ((unsigned long)__builtin_preserve_field_info(t->field, 3) << 40); \
	}
BITFIELD("migrated", migrated, sched_migrated)
BITFIELD("remote_wakeup", remote_wakeup, sched_remote_wakeup)
SEC("rlim3_max") unsigned long rlim3_max(struct task_struct *t) { return t->signal->rlim[3].rlim_max; }
