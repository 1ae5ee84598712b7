// SPDX-License-Identifier: MIT
/*
 * Tracing links against the running kernel: a tracepoint program counting
 * this process's getpid() calls exactly (tracefs mounted in a private mount
 * namespace), its attach cookie, and a raw tracepoint on sys_enter.
 */
#include <sys/syscall.h>

#include "test_link.h"

TestSuite(obj_link_trace, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define N_CALLS 25
#define COOKIE 0x0123456789abcdefULL

static void mount_tracefs(void)
{
	int err = bk_test_tracefs();

	if (err)
		BK_SKIP_OR_FAIL("cannot mount tracefs: %s", strerror(-err));
}

/* Slot 0 counts this process's hits, slot 1 holds the attach cookie. */
static struct bk_prog *count_own(enum bk_prog_type type, struct bk_map *counts)
{
	return tl_load(type, 0, counts,
		       "r6 = r1\n"
		       "call bpf_get_current_pid_tgid\n"
		       "r0 >>= 32\n"
		       "if r0 != %d goto out\n" TL_COUNT TL_KEEP_COOKIE,
		       (int)getpid(), 0);
}

static void getpid_n(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getpid);
}

Test(obj_link_trace, tracepoint_counts_own_getpid_exactly)
{
	struct bk_link_opts o = { .sz = sizeof(o), .cookie = COOKIE };
	struct bk_info_link info;
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link;

	BK_REQUIRE_KERNEL();
	mount_tracefs();
	counts = tl_counts();
	prog = count_own(BK_PROG_TYPE_TRACEPOINT, counts);
	link = bk_link_tracepoint(prog, "syscalls", "sys_enter_getpid", &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_TRACEPOINT);
	cr_assert_gt(bk_link_fd(link), 2);
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_PERF_EVENT);
	cr_assert_eq(info.prog_id, bk_prog_id(prog));
	getpid_n(N_CALLS);
	cr_assert_eq(tl_count(counts, 0), N_CALLS);
	cr_assert_eq(tl_count(counts, 1), COOKIE, "bpf_get_attach_cookie() saw opts.cookie");
	cr_assert_eq(bk_link_update(link, prog), -EOPNOTSUPP);
	bk_link_close(link);
	getpid_n(N_CALLS);
	cr_assert_eq(tl_count(counts, 0), N_CALLS, "closed: detached");
	bk_prog_close(prog);
	bk_map_close(counts);
}

Test(obj_link_trace, tracepoint_detach_stops_it_and_keeps_the_object)
{
	struct bk_info_link info;
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link;

	BK_REQUIRE_KERNEL();
	mount_tracefs();
	counts = tl_counts();
	prog = count_own(BK_PROG_TYPE_TRACEPOINT, counts);
	link = bk_link_tracepoint(prog, "syscalls", "sys_enter_getpid", NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	getpid_n(3);
	cr_assert_eq(bk_link_detach(link), 0);
	getpid_n(N_CALLS);
	cr_assert_eq(tl_count(counts, 0), 3);
	cr_assert_eq(tl_count(counts, 1), 0, "no cookie given");
	cr_assert_eq(bk_link_fd(link), -1, "its fds went with the detach");
	cr_assert_eq(bk_link_info(link, &info), -ENOLINK);
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_TRACEPOINT);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(counts);
}

Test(obj_link_trace, tracepoint_bad_input)
{
	struct bk_prog *tp, *xdp;

	BK_REQUIRE_KERNEL();
	mount_tracefs();
	tp = tl_load(BK_PROG_TYPE_TRACEPOINT, 0, NULL, "r0 = 0\nexit\n");
	xdp = tl_load(BK_PROG_TYPE_XDP, 0, NULL, "r0 = 2\nexit\n");
	cr_assert_null(bk_link_tracepoint(tp, "syscalls", "sys_enter_no_such_call", NULL));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_link_tracepoint(tp, "no_such_category", "x", NULL));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_link_tracepoint(tp, "syscalls", "../../x", NULL));
	cr_assert_eq(errno, EINVAL, "no path tricks");
	cr_assert_null(bk_link_tracepoint(tp, "..", "x", NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_tracepoint(tp, NULL, "sys_enter_getpid", NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_tracepoint(NULL, "syscalls", "sys_enter_getpid", NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_tracepoint(xdp, "syscalls", "sys_enter_getpid", NULL));
	cr_assert_eq(errno, EINVAL, "an XDP program is no tracepoint program");
	bk_prog_close(tp);
	bk_prog_close(xdp);
}

Test(obj_link_trace, raw_tracepoint_sys_enter_counts_own_syscalls)
{
	struct bk_link_opts o = { .sz = sizeof(o), .cookie = COOKIE };
	struct bk_info_link info;
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link;
	uint64_t seen;

	BK_REQUIRE_KERNEL();
	counts = tl_counts();
	prog = count_own(BK_PROG_TYPE_RAW_TRACEPOINT, counts);
	link = bk_link_raw_tracepoint(prog, "sys_enter", &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_RAW_TRACEPOINT);
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_RAW_TRACEPOINT);
	cr_assert_str_eq(info.name, "sys_enter");
	getpid_n(N_CALLS);
	seen = tl_count(counts, 0);
	cr_assert_geq(seen, N_CALLS, "%llu", (unsigned long long)seen);
	cr_assert_eq(tl_count(counts, 1), COOKIE);
	cr_assert_eq(bk_link_update(link, prog), -EOPNOTSUPP);
	bk_link_close(link);
	seen = tl_count(counts, 0);
	getpid_n(N_CALLS);
	cr_assert_eq(tl_count(counts, 0), seen, "closed: detached");
	cr_assert_null(bk_link_raw_tracepoint(prog, "no_such_tracepoint_bk", NULL));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_link_raw_tracepoint(NULL, "sys_enter", NULL));
	cr_assert_eq(errno, EINVAL);
	bk_prog_close(prog);
	bk_map_close(counts);
}
