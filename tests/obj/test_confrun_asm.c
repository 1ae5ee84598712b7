// SPDX-License-Identifier: MIT
/* bk_conf_run(): from a parsed .data text to a verdict. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/confrun.h>

#include "../lib/bk_test.h"

static struct bk_conf_outcome run_text(const char *text)
{
	struct bk_conf_test t;
	struct bk_conf_outcome o;
	struct bk_diag d;

	cr_assert_eq(bk_conf_parse(text, strlen(text), "t.data", &t, &d), 0, "%s", d.msg);
	cr_assert_eq(bk_conf_run(&t, "t.data", &o), 0);
	bk_conf_free(&t);
	return o;
}

Test(confrun_asm, asm_and_raw_sections_run)
{
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	o = run_text("-- asm\nldxb %r0, [%r1+2]\nadd %r0, %r2\nexit\n-- mem\n00 01 05\n"
		     "-- result\n0x8\n");
	cr_assert_eq(o.status, BK_CONF_PASS, "%s", o.reason);
	o = run_text("-- raw\n0x00000005000000b7 0x0000000000000095\n-- result\n5\n");
	cr_assert_eq(o.status, BK_CONF_PASS, "%s", o.reason);
}

Test(confrun_asm, assembly_errors_fail_with_the_file_line)
{
	struct bk_conf_outcome o;

	BK_REQUIRE_KERNEL();
	o = run_text("# x\n-- asm\nmov %r0, 1\nbogus %r1\nexit\n-- result\n1\n");
	cr_assert_eq(o.status, BK_CONF_FAIL);
	cr_assert_not_null(strstr(o.reason, "t.data:4:1: unknown instruction 'bogus'"), "%s",
			   o.reason);
	o = run_text("-- asm\nbogus\n-- error\n");
	cr_assert_eq(o.status, BK_CONF_PASS, "an expected error: %s", o.reason);
}
