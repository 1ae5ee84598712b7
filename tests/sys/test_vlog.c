// SPDX-License-Identifier: MIT
/* The managed verifier log: grows to the kernel's size, frees cleanly. */
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

Test(vlog, free_is_safe_on_an_unused_log)
{
	struct bk_vlog v = { .level = BK_VLOG_LEVEL1 };

	bk_vlog_free(&v);
	bk_vlog_free(&v);
	bk_vlog_free(NULL);
	cr_assert_null(v.text);
}

Test(vlog, grows_past_its_first_size_for_a_long_level2_log)
{
	enum { N = 3000 };
	static struct bk_insn p[N + 2];
	struct bk_vlog v = { .level = BK_VLOG_LEVEL2 };
	int fd;

	BK_REQUIRE_KERNEL();
	p[0] = (struct bk_insn)BK_MOV64_IMM(BK_R0, 0);
	for (int i = 1; i <= N; i++)
		p[i] = (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R0, 1);
	p[N + 1] = (struct bk_insn)BK_EXIT();
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
				      .insns = p, .insn_cnt = N + 2, .vlog = &v));
	cr_assert_geq(fd, 3);
	cr_assert_gt(v.len, 64u << 10, "a %zu-byte log fit the first buffer?", v.len);
	cr_assert_not_null(strstr(v.text, "3000: (07) r0 += 1"));
	close(fd);
	bk_vlog_free(&v);
}
