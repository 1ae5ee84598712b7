// SPDX-License-Identifier: MIT
/* Externs: .kconfig values of each kind (tristate, bool, int, char array,
 * LINUX_KERNEL_VERSION, LINUX_HAS_*), __weak ones the config lacks; .ksyms
 * untyped (a kallsyms address) and typed __weak missing (typed ones that exist
 * are in ksyms_typed.bpf.c: this kernel cannot load them); kfunc calls (bpf_task_from_pid/bpf_task_release,
 * bpf_rcu_read_lock) and a __weak kfunc the kernel does not have.
 * xdp_externs checks what must hold on any kernel that runs it and returns 1
 * when all does, else 0x100 | the first failed check's number; the values
 * themselves land in .bss for the test to compare with /proc/config.gz. */
// expect: run xdp_externs retval 1
#define CORPUS_VMLINUX
#include "corpus.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig;
extern bool CONFIG_BPF __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned long long CONFIG_NR_CPUS __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern bool CONFIG_BK_NO_SUCH_OPTION __kconfig __weak;
extern int CONFIG_BK_NO_SUCH_INT __kconfig __weak;
extern enum libbpf_tristate CONFIG_BK_NO_SUCH_TRISTATE __kconfig __weak;

extern const void schedule __ksym;                 /* untyped: kallsyms */
extern const int bk_no_such_ksym __ksym __weak;    /* typed, missing */

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bk_no_such_kfunc(void) __ksym __weak;

struct {
	__u32 kernel_version;
	__u32 hz;
	__u64 nr_cpus;
	char hostname[16];
	__u64 schedule_addr;
	__u32 self_tgid;
	__u32 task_tgid;
	__u32 has_cookie;
} out;

#define CHECK(n, cond)                                                                             \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return 0x100 | (n);                                                        \
	} while (0)

SEC("xdp")
int xdp_externs(struct xdp_md *ctx)
{
	struct task_struct *t;

	out.kernel_version = LINUX_KERNEL_VERSION;
	out.hz = CONFIG_HZ;
	out.nr_cpus = CONFIG_NR_CPUS;
	__builtin_memcpy(out.hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(out.hostname));
	out.schedule_addr = (__u64)&schedule;
	out.has_cookie = LINUX_HAS_BPF_COOKIE;
	CHECK(1, LINUX_KERNEL_VERSION >= (5 << 16));
	CHECK(2, CONFIG_BPF && CONFIG_BPF_SYSCALL == TRI_YES);
	CHECK(3, !CONFIG_BK_NO_SUCH_OPTION && CONFIG_BK_NO_SUCH_INT == 0 &&
			 CONFIG_BK_NO_SUCH_TRISTATE == TRI_NO);
	CHECK(4, CONFIG_HZ >= 100 && CONFIG_NR_CPUS >= 1);
	CHECK(5, out.schedule_addr != 0);
	CHECK(6, &bk_no_such_ksym == 0);
	if (bpf_ksym_exists(bk_no_such_kfunc)) {
		bk_no_such_kfunc();
		return 0x100 | 9;
	}
	bpf_rcu_read_lock();
	out.self_tgid = bpf_get_current_pid_tgid() >> 32;
	t = bpf_task_from_pid(out.self_tgid);
	if (t) {
		out.task_tgid = t->tgid;
		bpf_task_release(t);
	}
	bpf_rcu_read_unlock();
	CHECK(10, t != 0);
	CHECK(11, out.task_tgid == out.self_tgid);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
