// SPDX-License-Identifier: MIT
/* Programs from instructions: loading, complaints by index, encodings caught
 * before the kernel, options, opening by id/fd/pin. Against the running kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "prog_test.h"

TestSuite(obj_prog, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_prog, load_from_instructions_and_run)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 42), BK_EXIT() };
	struct bk_prog *p;
	int fdflags;

	BK_REQUIRE_KERNEL();
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2,
			 BK_OPTS(bk_prog_opts, .name = "answer_to_everything_long"));
	cr_assert_not_null(p, "%s", strerror(errno));
	cr_assert_gt(bk_prog_fd(p), 2);
	fdflags = fcntl(bk_prog_fd(p), F_GETFD);
	cr_assert(fdflags & FD_CLOEXEC);
	cr_assert_eq(bk_prog_type(p), BK_PROG_TYPE_SOCKET_FILTER);
	cr_assert_gt(bk_prog_id(p), 0);
	cr_assert_str_eq(bk_prog_name(p), "answer_to_every"); /* cut to 15 */
	cr_assert_neq(memcmp(bk_prog_tag(p), "\0\0\0\0\0\0\0\0", 8), 0);
	cr_assert_eq(run(p), 42);
	bk_prog_close(p);
	bk_prog_close(NULL);
}

Test(obj_prog, instruction_program_complaint_names_the_index)
{
	/* A packet read without a bounds check: the verifier objects to insn 2. */
	const struct bk_insn insns[] = {
		BK_LDX_MEM(BK_W, BK_R2, BK_R1, 0),
		BK_MOV64_IMM(BK_R0, 0),
		BK_LDX_MEM(BK_B, BK_R0, BK_R2, 0),
		BK_EXIT(),
	};
	struct bk_diag d = { 0 };
	char line[300];

	BK_REQUIRE_KERNEL();
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 4, BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EACCES);
	cr_assert_eq(d.index, 2);
	cr_assert(strstr(d.msg, "invalid access to packet"), "%s", d.msg);
	cr_assert_eq(strncmp(bk_diag_format(&d, line, sizeof(line)), "insn 2: verifier: ", 18), 0,
		     "%s", line);
}

Test(obj_prog, malformed_encoding_is_caught_before_the_kernel)
{
	struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_diag d = { 0 };

	insns[0].dst_reg = 11;
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 2, BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.index, 0);
	cr_assert(strstr(d.msg, "r11") || strstr(d.msg, "register"), "%s", d.msg);
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, NULL, 0, NULL));
	cr_assert_eq(errno, EINVAL);
}

Test(obj_prog, options_of_an_unknown_newer_size_are_refused)
{
	struct {
		struct bk_prog_opts o;
		uint64_t future;
	} big = { .o.sz = sizeof(big), .future = 1 };
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };

	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 2, &big.o));
	cr_assert_eq(errno, EINVAL);
}

Test(obj_prog, refusal_without_a_log_still_explains_itself)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_diag d = { 0 };

	BK_REQUIRE_KERNEL();
	/* No such program type: the kernel refuses before verifying. */
	cr_assert_null(bk_prog_load((enum bk_prog_type)999, insns, 2,
				    BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.err, -EINVAL);
	cr_assert_gt(strlen(d.msg), 10, "%s", d.msg);
}

Test(obj_prog, open_by_id_fd_and_pin)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 9), BK_EXIT() };
	char dir[64], path[128];
	struct bk_prog *p, *q;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2, BK_OPTS(bk_prog_opts, .name = "nine"));
	cr_assert_not_null(p);

	q = bk_prog_from_id(bk_prog_id(p));
	cr_assert_not_null(q);
	cr_assert_neq(bk_prog_fd(q), bk_prog_fd(p));
	cr_assert_str_eq(bk_prog_name(q), "nine");
	cr_assert_eq(run(q), 9);
	bk_prog_close(q);

	q = bk_prog_from_fd(bk_prog_fd(p));
	cr_assert_not_null(q);
	cr_assert_eq(bk_prog_id(q), bk_prog_id(p));
	cr_assert_eq(memcmp(bk_prog_tag(q), bk_prog_tag(p), 8), 0);
	bk_prog_close(q);

	snprintf(path, sizeof(path), "%s/nine", dir);
	cr_assert_eq(bk_prog_pin(p, path), 0);
	cr_assert_eq(bk_prog_pin(p, path), -EEXIST);
	bk_prog_close(p);
	q = bk_prog_open_pinned(path);
	cr_assert_not_null(q, "the pin keeps the program: %s", strerror(errno));
	cr_assert_eq(run(q), 9);
	bk_prog_close(q);

	m = bk_map_create(BK_MAP_TYPE_ARRAY, "m", 4, 4, 1, NULL);
	cr_assert_null(bk_prog_from_fd(bk_map_fd(m)), "a map fd is not a program");
	cr_assert_eq(errno, EINVAL);
	bk_map_close(m);
	cr_assert_null(bk_prog_from_fd(-1));
	cr_assert_eq(errno, EBADF);
	cr_assert_null(bk_prog_from_id(0xfffffff0u));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_prog_open_pinned("/nonexistent/pin"));
	unlink(path);
}
