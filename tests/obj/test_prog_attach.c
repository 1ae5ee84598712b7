// SPDX-License-Identifier: MIT
/*
 * Attach targets by name, against the running kernel: a tp_btf program on
 * sys_enter found by name, attached with bk_link_tracing(), counting this
 * process's getpid() calls and seeing its cookie; a task iterator found by
 * name; the names resolved to the ids the kernel reports back; bad names
 * and conflicting options refused with a diagnostic. fentry/fexit/lsm loads
 * run for real unless a raw BPF_PROG_LOAD probe shows the host refusing them
 * with EPERM (a policy of this machine), and only then skip, saying so.
 */
#include <sys/syscall.h>

#include <bpfkit/btf.h>

#include "test_link.h"

TestSuite(obj_prog_attach, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define N_CALLS 17
#define COOKIE 0xfeedfacecafebeefULL

static struct bk_prog *load_named(uint32_t attach_type, const char *target, struct bk_map *counts,
				  const char *text, struct bk_diag *d)
{
	struct bk_map *maps[1] = { counts };

	return bk_prog_load_text(BK_PROG_TYPE_TRACING, text, strlen(text),
				 BK_OPTS(bk_prog_opts, .expected_attach_type = attach_type,
					 .attach_target = target, .maps = maps,
					 .nmaps = counts ? 1 : 0, .diag = d));
}

static uint32_t vmlinux_id(const char *name, int kind)
{
	struct bk_btf *btf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	int id;

	cr_assert_not_null(btf);
	id = bk_btf_find(btf, name, kind);
	bk_btf_free(btf);
	cr_assert_gt(id, 0, "%s", name);
	return (uint32_t)id;
}

Test(obj_prog_attach, tp_btf_by_name_counts_own_getpid)
{
	struct bk_link_opts o = { .sz = sizeof(o), .cookie = COOKIE };
	struct bk_info_prog info;
	struct bk_diag d = { 0 };
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link;
	char text[1024], msg[300];

	BK_REQUIRE_KERNEL();
	counts = tl_counts();
	/* tp_btf/sys_enter: ctx is (struct pt_regs *regs, long id); count our
	 * getpid()s (id 39 on x86-64, 172 on arm64) and keep the cookie. */
	snprintf(text, sizeof(text),
		 "r6 = r1\n"
		 "r7 = *(u64 *)(r6 + 8)\n"
		 "if r7 != %d goto out\n"
		 "call bpf_get_current_pid_tgid\n"
		 "r0 >>= 32\n"
		 "if r0 != %d goto out\n" TL_COUNT TL_KEEP_COOKIE,
		 (int)SYS_getpid, (int)getpid(), 0);
	prog = load_named(BK_ATTACH_TRACE_RAW_TP, "sys_enter", counts, text, &d);
	cr_assert_not_null(prog, "%s", bk_diag_format(&d, msg, sizeof(msg)));
	cr_assert_eq(bk_prog_info(prog, &info), 0);
	cr_assert_eq(info.attach_btf_id, vmlinux_id("btf_trace_sys_enter", BK_BTF_KIND_TYPEDEF));
	link = bk_link_tracing(prog, &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_RAW_TRACEPOINT);
	for (int i = 0; i < N_CALLS; i++)
		syscall(SYS_getpid);
	cr_assert_eq(tl_count(counts, 0), N_CALLS);
	cr_assert_eq(tl_count(counts, 1), COOKIE);
	bk_link_close(link);
	for (int i = 0; i < N_CALLS; i++)
		syscall(SYS_getpid);
	cr_assert_eq(tl_count(counts, 0), N_CALLS, "closed: detached");
	bk_prog_close(prog);
	bk_map_close(counts);
}

Test(obj_prog_attach, iterator_by_name)
{
	struct bk_info_prog info;
	struct bk_diag d = { 0 };
	struct bk_prog *prog;
	struct bk_link *link;
	char msg[300], *out = NULL;
	size_t len = 1;

	BK_REQUIRE_KERNEL();
	prog = load_named(BK_ATTACH_TRACE_ITER, "task", NULL, "r0 = 0\nexit\n", &d);
	cr_assert_not_null(prog, "%s", bk_diag_format(&d, msg, sizeof(msg)));
	cr_assert_eq(bk_prog_info(prog, &info), 0);
	cr_assert_eq(info.attach_btf_id, vmlinux_id("bpf_iter_task", BK_BTF_KIND_FUNC));
	link = bk_link_iter(prog, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_iter_read(link, &out, &len), 0);
	cr_assert_eq(len, 0, "a program that prints nothing");
	free(out);
	bk_link_close(link);
	bk_prog_close(prog);
}

Test(obj_prog_attach, bad_names_and_options)
{
	struct bk_diag d = { 0 };
	struct bk_map *maps[1] = { NULL };

	BK_REQUIRE_KERNEL();
	(void)maps;
	cr_assert_null(load_named(BK_ATTACH_TRACE_ITER, "no_such_target_bk", NULL, "r0 = 0\nexit\n",
				  &d));
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(d.msg, "bpf_iter_no_such_target_bk"), "%s", d.msg);
	cr_assert_null(load_named(BK_ATTACH_TRACE_RAW_TP, "no_such_tp_bk", NULL, "r0 = 0\nexit\n", &d));
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(d.msg, "btf_trace_no_such_tp_bk"), "%s", d.msg);
	cr_assert_null(load_named(0, "task", NULL, "r0 = 0\nexit\n", &d));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(d.msg, "expected_attach_type"), "%s", d.msg);
	cr_assert_null(bk_prog_load_text(BK_PROG_TYPE_TRACING, "r0 = 0\nexit\n", 12,
					 BK_OPTS(bk_prog_opts, .expected_attach_type = BK_ATTACH_TRACE_ITER,
						 .attach_target = "task", .attach_btf_id = 5,
						 .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(d.msg, "both given"), "%s", d.msg);
}

/* EPERM from a raw BPF_PROG_LOAD of the smallest fentry program on a
 * function every kernel has: the host's policy, not our code. */
static bool refused_by_host(uint32_t prog_type, uint32_t attach_type, uint32_t btf_id)
{
	struct bk_insn insns[2] = { bk_insn_mov64_imm(0, 0), bk_insn_exit() };
	struct bk_prog_load_opts o = { .sz = sizeof(o),
				       .prog_type = prog_type,
				       .insns = insns,
				       .insn_cnt = 2,
				       .expected_attach_type = attach_type,
				       .attach_btf_id = btf_id };
	int fd = bk_sys_prog_load(&o);

	if (fd >= 0)
		close(fd);
	return fd == -EPERM;
}

Test(obj_prog_attach, fentry_and_fexit_by_name)
{
	uint32_t target = 0;
	struct bk_diag d = { 0 };
	struct bk_prog *entry, *exitp;
	struct bk_link *le, *lx;
	struct bk_map *counts;
	char msg[300];

	BK_REQUIRE_KERNEL();
	target = vmlinux_id("__task_pid_nr_ns", BK_BTF_KIND_FUNC);
	/* A plain skip even under BK_REQUIRE_KERNEL=1: probed and named. */
	if (refused_by_host(BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_FENTRY, target))
		BK_SKIP_FEATURE("fentry/fexit loads: the host refuses them with EPERM (a raw "
			     "BPF_PROG_LOAD probe said so): a policy of this machine");
	counts = tl_counts();
	entry = load_named(BK_ATTACH_TRACE_FENTRY, "__task_pid_nr_ns", counts,
			   "*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\nr1 = map[counts] ll\n"
			   "call bpf_map_lookup_elem\nif r0 == 0 goto +2\nr1 = 1\n"
			   "lock *(u64 *)(r0 + 0) += r1\nr0 = 0\nexit\n",
			   &d);
	cr_assert_not_null(entry, "%s", bk_diag_format(&d, msg, sizeof(msg)));
	exitp = load_named(BK_ATTACH_TRACE_FEXIT, "__task_pid_nr_ns", NULL, "r0 = 0\nexit\n", &d);
	cr_assert_not_null(exitp, "%s", bk_diag_format(&d, msg, sizeof(msg)));
	le = bk_link_tracing(entry, NULL);
	lx = bk_link_tracing(exitp, NULL);
	cr_assert(le && lx, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(le), BK_LINK_KIND_TRACING);
	syscall(SYS_getpid);
	cr_assert_geq(tl_count(counts, 0), 1);
	bk_link_close(le);
	bk_link_close(lx);
	bk_prog_close(entry);
	bk_prog_close(exitp);
	bk_map_close(counts);
}

Test(obj_prog_attach, lsm_by_name)
{
	struct bk_btf *btf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bk_map *maps[1];
	struct bk_diag d = { 0 };
	struct bk_prog *prog;
	struct bk_link *link;
	struct bk_map *counts;
	char msg[300];
	int hook, fd;
	const char *text = "*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\nr1 = map[counts] ll\n"
			   "call bpf_map_lookup_elem\nif r0 == 0 goto +2\nr1 = 1\n"
			   "lock *(u64 *)(r0 + 0) += r1\nr0 = 0\nexit\n";

	BK_REQUIRE_KERNEL();
	cr_assert_not_null(btf);
	hook = bk_btf_find(btf, "bpf_lsm_file_open", BK_BTF_KIND_FUNC);
	bk_btf_free(btf);
	if (hook <= 0)
		BK_SKIP_FEATURE("BPF LSM (no bpf_lsm_file_open in its BTF)");
	if (refused_by_host(BK_PROG_TYPE_LSM, BK_ATTACH_LSM_MAC, (uint32_t)hook))
		BK_SKIP_FEATURE("lsm loads: the host refuses them with EPERM (a raw BPF_PROG_LOAD probe "
			     "said so): a policy of this machine");
	counts = tl_counts();
	maps[0] = counts;
	prog = bk_prog_load_text(BK_PROG_TYPE_LSM, text, strlen(text),
				 BK_OPTS(bk_prog_opts, .expected_attach_type = BK_ATTACH_LSM_MAC,
					 .attach_target = "file_open", .maps = maps, .nmaps = 1,
					 .diag = &d));
	cr_assert_not_null(prog, "%s", bk_diag_format(&d, msg, sizeof(msg)));
	link = bk_link_tracing(prog, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_geq(tl_count(counts, 0), 1);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(counts);
}
