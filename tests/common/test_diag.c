// SPDX-License-Identifier: MIT
/* Diagnostics formatting and the version string. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/common.h>

Test(diag, text_location_is_file_line_col)
{
	struct bk_diag d = { .err = -EINVAL, .line = 3, .col = 7, .file = "prog.s",
			     .msg = "unknown mnemonic 'mvo'" };
	char buf[128];

	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)),
			 "prog.s:3:7: unknown mnemonic 'mvo'");
	d.file[0] = '\0';
	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)),
			 "<input>:3:7: unknown mnemonic 'mvo'");
}

Test(diag, instruction_location_is_insn_index)
{
	struct bk_diag d = { .err = -EINVAL, .index = 12, .msg = "unknown opcode 0xff" };
	char buf[64];

	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)), "insn 12: unknown opcode 0xff");
}

Test(diag, small_buffers_are_truncated_and_terminated)
{
	struct bk_diag d = { .err = -EINVAL, .index = 1, .msg = "a long message" };
	char buf[8];

	bk_diag_format(&d, buf, sizeof(buf));
	cr_assert_eq(strlen(buf), 7);
	cr_assert_str_eq(buf, "insn 1:");
}

Test(diag, version_matches_header)
{
	cr_assert_str_eq(bk_version(), BK_VERSION_STRING);
}

Test(diag, file_level_errors_name_the_file)
{
	struct bk_diag d = { .err = -ENOENT, .file = "x.data", .msg = "cannot open it" };
	char buf[64];

	cr_assert_str_eq(bk_diag_format(&d, buf, sizeof(buf)), "x.data: cannot open it");
}
