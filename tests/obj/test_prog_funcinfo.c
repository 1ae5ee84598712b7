// SPDX-License-Identifier: MIT
/*
 * func_info made for programs with callbacks (prog_funcinfo.c): a program
 * from instructions that hands bpf_loop a callback loads without BTF of its
 * caller's and runs; one that brings its own func_info keeps it.
 */
#include <errno.h>
#include <string.h>

#include <bpfkit/prog.h>

#include "../lib/bk_test.h"

/* bpf_loop(3, cb, NULL, 0) returns 3; cb returns 0 (go on). */
static const struct bk_insn loop3[] = {
	BK_MOV64_IMM(BK_R1, 3),
	BK_LD_FUNC(BK_R2, 5), /* the callback at 1 + 5 + 1 = 7 */
	BK_MOV64_IMM(BK_R3, 0),
	BK_MOV64_IMM(BK_R4, 0),
	BK_CALL_HELPER(BK_FN_loop),
	BK_EXIT(),
	BK_MOV64_IMM(BK_R0, 0), /* 7: the callback */
	BK_EXIT(),
};

Test(prog_funcinfo, a_callback_loads_with_func_info_made_for_it)
{
	struct bk_diag d = { 0 };
	struct bk_info_prog info;
	struct bk_prog *p;
	uint32_t ret = 0;
	uint8_t pkt[64] = { 0 };

	BK_REQUIRE_KERNEL();
	p = bk_prog_load(BK_PROG_TYPE_XDP, loop3, sizeof(loop3) / sizeof(loop3[0]),
			 BK_OPTS(bk_prog_opts, .diag = &d));
	cr_assert_not_null(p, "%s", d.msg);
	cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0);
	cr_assert_eq(ret, 3, "bpf_loop ran the callback 3 times");
	cr_assert_eq(bk_prog_info(p, &info), 0);
	cr_assert_neq(info.btf_id, 0, "the program carries the BTF made for it");
	bk_prog_close(p);
}

Test(prog_funcinfo, the_kernel_wants_it)
{
	struct bk_prog_load_opts o = { .sz = sizeof(o), .prog_type = BK_PROG_TYPE_XDP,
				       .insns = loop3, .insn_cnt = sizeof(loop3) / sizeof(loop3[0]) };

	BK_REQUIRE_KERNEL();
	/* the raw command, without func_info: what the made-up BTF saves the user from */
	cr_assert_eq(bk_sys_prog_load(&o), -EINVAL);
}
