// SPDX-License-Identifier: MIT
/* Conformance runner: the XDP wrapper (pure). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/confrun.h>
#include <bpfkit/insn.h>

#include "../lib/bk_test.h"

/* Where the wrapper's epilog starts and the test code begins. */
#define EPILOG 10
#define CODE 15

Test(confrun_wrap, exits_of_main_jump_to_the_epilog_and_callee_exits_stay)
{
	static const struct bk_insn code[] = {
		BK_MOV64_IMM(BK_R0, 0),	       /* 0 */
		BK_CALL_LOCAL(2),	       /* 1: calls 4 */
		BK_JMP_IMM(BK_JEQ, BK_R0, 0, 1), /* 2 */
		BK_EXIT(),		       /* 3: main exit */
		BK_MOV64_IMM(BK_R0, 7),	       /* 4: callee */
		BK_EXIT(),		       /* 5: callee return */
	};
	struct bk_insn *w = NULL;
	size_t n = 0;
	struct bk_diag d;

	cr_assert_eq(bk_conf_wrap(code, 6, 16, 42, &w, &n, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 6 + CODE);
	cr_assert_eq(bk_insn_validate(w, n, &d), 0, "insn %u: %s", d.index, d.msg);
	/* main's exit became "goto epilog": target = index + 1 + off */
	cr_assert_eq(w[CODE + 3].code, BK_JMP | BK_JA);
	cr_assert_eq(CODE + 3 + 1 + w[CODE + 3].off, EPILOG);
	/* the callee's exit is a return and stays one */
	cr_assert_eq(w[CODE + 5].code, BK_JMP | BK_EXIT);
	/* the epilog stores r0 through the map value of fd 42 */
	cr_assert_eq(w[EPILOG].code, BK_LD | BK_DW | BK_IMM);
	cr_assert_eq(w[EPILOG].src_reg, BK_PSEUDO_MAP_VALUE);
	cr_assert_eq(w[EPILOG].imm, 42);
	/* the prolog hands over the memory length in r2 */
	cr_assert_eq(w[6].code, BK_ALU64 | BK_MOV | BK_K);
	cr_assert_eq(w[6].dst_reg, BK_R2);
	cr_assert_eq(w[6].imm, 16);
	free(w);
}

Test(confrun_wrap, rejects_nothing_and_oversized_memory)
{
	struct bk_insn exit_only[] = { BK_EXIT() };
	struct bk_insn *w;
	size_t n;

	cr_assert_eq(bk_conf_wrap(exit_only, 0, 0, 3, &w, &n, NULL), -EINVAL);
	cr_assert_eq(bk_conf_wrap(exit_only, 1, 70000, 3, &w, &n, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
}
