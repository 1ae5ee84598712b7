// SPDX-License-Identifier: MIT
/* bk_strerror(): meanings per command first, the generic meaning otherwise. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

Test(errors, per_command_meanings_win)
{
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_LOOKUP_ELEM, ENOENT), "no such key in the map");
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_GET_NEXT_KEY, -ENOENT),
			 "no more keys: the iteration is complete");
	cr_assert_str_eq(bk_strerror(BK_CMD_PROG_LOAD, EACCES),
			 "the verifier rejected the program (see the verifier log)");
	cr_assert_not_null(strstr(bk_strerror(BK_CMD_PROG_LOAD, EINVAL), "does not know"));
}

Test(errors, generic_fallback_names_and_unknowns)
{
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_CREATE, ENOENT), "no such object");
	cr_assert_not_null(strstr(bk_strerror(BK_CMD_ITER_CREATE, EPERM), "CAP_BPF"));
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_CREATE, 4242), "unknown error");
	cr_assert_str_eq(bk_errname(E2BIG), "E2BIG");
	cr_assert_str_eq(bk_errname(-EOPNOTSUPP), "EOPNOTSUPP");
	cr_assert_str_eq(bk_errname(524), "ENOTSUPP");
}
