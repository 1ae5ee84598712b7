// SPDX-License-Identifier: MIT
/* Telling bpf object fds apart: the checks behind every from_fd and
 * open_pinned of the objects layer, reached through the public calls. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "../lib/bk_test.h"

TestSuite(obj_fd, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_fd, each_kind_opens_only_its_own_fds)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_map *m, *m2;
	struct bk_prog *p, *p2;
	int file;

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "kinds", 4, 4, 1, NULL);
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2, NULL);
	cr_assert(m && p);
	file = open("/dev/null", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(file, 0);

	cr_assert_null(bk_map_from_fd(bk_prog_fd(p)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_prog_from_fd(bk_map_fd(m)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_prog_from_fd(file), "not a bpf object at all");
	cr_assert_eq(errno, EINVAL);
	close(file);
	cr_assert_null(bk_prog_from_fd(file), "closed");
	cr_assert_eq(errno, EBADF);

	m2 = bk_map_from_fd(bk_map_fd(m));
	p2 = bk_prog_from_fd(bk_prog_fd(p));
	cr_assert(m2 && p2);
	/* Duplicates: above 2, close-on-exec, the same objects. */
	cr_assert_gt(bk_map_fd(m2), 2);
	cr_assert(fcntl(bk_map_fd(m2), F_GETFD) & FD_CLOEXEC);
	cr_assert(fcntl(bk_prog_fd(p2), F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(bk_map_id(m2), bk_map_id(m));
	cr_assert_eq(bk_prog_id(p2), bk_prog_id(p));
	bk_map_close(m2);
	bk_prog_close(p2);
	bk_map_close(m);
	bk_prog_close(p);
}

Test(obj_fd, pins_of_the_wrong_kind_are_refused)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	char dir[64], path[128];
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2, NULL);
	cr_assert_not_null(p);
	snprintf(path, sizeof(path), "%s/p", dir);
	cr_assert_eq(bk_prog_pin(p, path), 0);
	cr_assert_null(bk_map_open_pinned(path), "a pinned program is no map");
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_map_open_pinned(NULL));
	cr_assert_eq(errno, EINVAL);
	unlink(path);
	bk_prog_close(p);
}
