// SPDX-License-Identifier: MIT
/* Link and attach commands: XDP link on a veth in a private network
 * namespace (create, update, detach), raw tracepoints, prog attach/query/
 * detach on a temporary cgroup, iterators, bind_map. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_link, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static int load(uint32_t type, int32_t ret, uint32_t expected, uint32_t btf_id)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, ret), BK_EXIT() };
	char log[2048] = "";
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = type, .insns = p,
					  .insn_cnt = 2, .expected_attach_type = expected,
					  .attach_btf_id = btf_id, .log_buf = log,
					  .log_size = sizeof(log)));

	cr_assert_geq(fd, 3, "load: %s\n%s", bk_strerror(BK_CMD_PROG_LOAD, fd), log);
	return fd;
}

Test(sys_link, xdp_link_create_update_detach)
{
	struct bk_link_info info;
	uint32_t len = sizeof(info);
	int p1, p2, link;
	unsigned ifindex;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkv0", "bkv1"), 0);
	ifindex = bk_test_ifindex("bkv0");
	p1 = load(BK_PROG_TYPE_XDP, 2, BK_ATTACH_XDP, 0);
	p2 = load(BK_PROG_TYPE_XDP, 2, BK_ATTACH_XDP, 0);
	link = bk_sys_link_create(p1, (int)ifindex, BK_ATTACH_XDP, NULL);
	cr_assert_geq(link, 3, "%s", bk_strerror(BK_CMD_LINK_CREATE, link));
	cr_assert_eq(bk_sys_link_create(p2, (int)ifindex, BK_ATTACH_XDP, NULL), -EBUSY);
	memset(&info, 0, sizeof(info));
	cr_assert_eq(bk_sys_obj_get_info_by_fd(link, &info, &len), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_XDP);
	cr_assert_eq(info.xdp.ifindex, ifindex);
	cr_assert_eq(bk_sys_link_update(link, p2, 0, 0), 0);
	cr_assert_eq(bk_sys_link_update(link, p2, BK_F_REPLACE, p1), -EPERM, "p1 is gone");
	cr_assert_eq(bk_sys_link_detach(link), 0);
	{
		int bad = bk_sys_link_create(p1, 999999, BK_ATTACH_XDP, NULL);

		cr_assert(bad == -ENODEV || bad == -EINVAL, "no such interface: %d", bad);
	}
	close(link);
	close(p1);
	close(p2);
}

Test(sys_link, raw_tracepoint_open)
{
	int prog, link;

	BK_REQUIRE_KERNEL();
	prog = load(BK_PROG_TYPE_RAW_TRACEPOINT, 0, 0, 0);
	link = bk_sys_raw_tracepoint_open("sys_enter", prog, 0);
	cr_assert_geq(link, 3, "%s", bk_strerror(BK_CMD_RAW_TRACEPOINT_OPEN, link));
	close(link);
	cr_assert_eq(bk_sys_raw_tracepoint_open("no_such_tracepoint_bk", prog, 0), -ENOENT);
	close(prog);
}

Test(sys_link, cgroup_attach_query_detach)
{
	char cg[256];
	uint32_t ids[4];
	struct bk_prog_query_opts q = { .sz = sizeof(q), .prog_ids = ids, .count = 4 };
	int prog, cgfd;

	BK_REQUIRE_KERNEL();
	if (bk_test_cgroup_create(cg, sizeof(cg)))
		BK_SKIP_OR_FAIL("no cgroup v2 hierarchy to make a temporary cgroup in");
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(cgfd, 0);
	prog = load(BK_PROG_TYPE_CGROUP_SKB, 1, BK_ATTACH_CGROUP_INET_INGRESS, 0);
	cr_assert_eq(bk_sys_prog_attach(prog, cgfd, BK_ATTACH_CGROUP_INET_INGRESS,
					BK_OPTS(bk_prog_attach_opts, .flags = BK_F_ALLOW_MULTI)),
		     0);
	cr_assert_eq(bk_sys_prog_query(cgfd, BK_ATTACH_CGROUP_INET_INGRESS, &q), 0);
	cr_assert_eq(q.count, 1);
	cr_assert_eq(bk_sys_prog_detach(prog, cgfd, BK_ATTACH_CGROUP_INET_INGRESS, NULL), 0);
	cr_assert_eq(bk_sys_prog_detach(prog, cgfd, BK_ATTACH_CGROUP_INET_INGRESS, NULL), -ENOENT);
	q.count = 4;
	cr_assert_eq(bk_sys_prog_query(cgfd, BK_ATTACH_CGROUP_INET_INGRESS, &q), 0);
	cr_assert_eq(q.count, 0);
	close(prog);
	close(cgfd);
	cr_assert_eq(bk_test_cgroup_remove(cg), 0);
}

Test(sys_link, task_iterator_reads_through_iter_create)
{
	struct bk_btf *btf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	int id, prog, link, it;
	char buf[64];

	BK_REQUIRE_KERNEL();
	cr_assert_not_null(btf);
	id = bk_btf_find(btf, "bpf_iter_task", BK_BTF_KIND_FUNC);
	bk_btf_free(btf);
	cr_assert_gt(id, 0);
	prog = load(BK_PROG_TYPE_TRACING, 0, BK_ATTACH_TRACE_ITER, (uint32_t)id);
	link = bk_sys_link_create(prog, 0, BK_ATTACH_TRACE_ITER, NULL);
	cr_assert_geq(link, 3, "%s", bk_strerror(BK_CMD_LINK_CREATE, link));
	it = bk_sys_iter_create(link);
	cr_assert_geq(it, 3);
	cr_assert_eq(read(it, buf, sizeof(buf)), 0, "the program writes nothing");
	close(it);
	cr_assert_eq(bk_sys_iter_create(prog), -EINVAL, "a program fd is no iterator link");
	close(link);
	close(prog);
}

Test(sys_link, bind_map_keeps_a_map_with_a_program)
{
	int prog, map;

	BK_REQUIRE_KERNEL();
	prog = load(BK_PROG_TYPE_SOCKET_FILTER, 0, 0, 0);
	map = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					.key_size = 4, .value_size = 4, .max_entries = 1));
	cr_assert_eq(bk_sys_prog_bind_map(prog, map, 0), 0);
	cr_assert_eq(bk_sys_prog_bind_map(prog, prog, 0), -EINVAL, "a program is not a map");
	close(map);
	close(prog);
}
