// SPDX-License-Identifier: MIT
/* Conformance runner: verdicts on the live kernel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/confrun.h>

#include "../lib/bk_test.h"

int bk__conf_run_insns(const struct bk_conf_test *t, const struct bk_insn *code, size_t n,
		       struct bk_conf_outcome *o);

TestSuite(confrun, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

Test(confrun, full_64_bit_r0_and_memory_in_r1_r2)
{
	uint8_t mem[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 };
	struct bk_conf_test t = { .mem = mem, .mem_len = sizeof(mem), .has_result = true,
				  .result = 0x8877665544332211ull + sizeof(mem) };
	/* r0 = *(u64 *)(r1 + 0) + r2 */
	const struct bk_insn code[] = {
		BK_LDX_MEM(BK_DW, BK_R0, BK_R1, 0),
		BK_ALU64_REG(BK_ADD, BK_R0, BK_R2),
		BK_EXIT(),
	};
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk__conf_run_insns(&t, code, LEN(code), &o), 0);
	cr_assert_eq(o.status, BK_CONF_PASS, "%s", o.reason);
	cr_assert_eq(o.r0, t.result);
}

Test(confrun, wrong_result_fails_with_both_values)
{
	struct bk_conf_test t = { .has_result = true, .result = 2 };
	const struct bk_insn code[] = { BK_LD_IMM64(BK_R0, 0x100000001ull), BK_EXIT() };
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk__conf_run_insns(&t, code, LEN(code), &o), 0);
	cr_assert_eq(o.status, BK_CONF_FAIL);
	cr_assert_str_eq(o.reason, "r0 = 0x100000001, expected 0x2");
}

Test(confrun, what_the_kernel_cannot_run_is_skipped_with_its_reason)
{
	struct bk_conf_test t = { .has_result = true, .result = 0 };
	const struct bk_insn code[] = {
		BK_MOV32_IMM(BK_R0, 1), BK_ALU32_IMM(BK_LSH, BK_R0, 60), BK_EXIT(),
	};
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk__conf_run_insns(&t, code, LEN(code), &o), 0);
	cr_assert_eq(o.status, BK_CONF_SKIP);
	cr_assert_not_null(strstr(o.reason, "invalid shift 60"), "%s", o.reason);
}

Test(confrun, expected_errors_pass_when_rejected_and_fail_when_run)
{
	struct bk_conf_test t = { .expect_error = true };
	const struct bk_insn bad[] = { BK_EXIT() }; /* r0 never set */
	const struct bk_insn good[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk__conf_run_insns(&t, bad, LEN(bad), &o), 0);
	cr_assert_eq(o.status, BK_CONF_PASS, "%s", o.reason);
	cr_assert_eq(bk__conf_run_insns(&t, good, LEN(good), &o), 0);
	cr_assert_eq(o.status, BK_CONF_FAIL);
}

Test(confrun, local_calls_return_to_the_caller)
{
	struct bk_conf_test t = { .has_result = true, .result = 42 };
	const struct bk_insn code[] = {
		BK_MOV64_IMM(BK_R1, 21), BK_CALL_LOCAL(1), BK_EXIT(),
		BK_MOV64_REG(BK_R0, BK_R1), BK_ALU64_IMM(BK_MUL, BK_R0, 2), BK_EXIT(),
	};
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk__conf_run_insns(&t, code, LEN(code), &o), 0);
	cr_assert_eq(o.status, BK_CONF_PASS, "%s", o.reason);
}
