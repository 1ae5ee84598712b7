// SPDX-License-Identifier: MIT
/* bpf_conformance .data reader: real suite files and malformed input. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/conformance.h>

#include "../lib/bk_test.h"

/* The suite's files: $BK_CONFORMANCE_DIR, else ../shared beside the checkout
 * (where CI puts it). Without them the file tests skip, or fail under
 * BK_REQUIRE_KERNEL=1: missing test data is not a missing kernel feature. */
static const char *suite_dir(void)
{
	return bk_test_conformance_dir();
}

static void load(const char *name, struct bk_conf_test *t)
{
	char path[768];
	struct bk_diag d;

	snprintf(path, sizeof(path), "%s/%s", suite_dir(), name);
	cr_assert_eq(bk_conf_load(path, t, &d), 0, "%s: %s", name, d.msg);
}

Test(conformance_reader, every_suite_file_parses)
{
	DIR *dir = opendir(suite_dir());
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(dir, "cannot read %s", suite_dir());
	while ((e = readdir(dir))) {
		struct bk_conf_test t;

		if (!strstr(e->d_name, ".data"))
			continue;
		load(e->d_name, &t);
		cr_assert(t.asm_text || t.raw, "%s has no program", e->d_name);
		cr_assert(t.has_result || t.expect_error, "%s has no expectation", e->d_name);
		bk_conf_free(&t);
		n++;
	}
	closedir(dir);
	cr_assert_gt(n, 100, "only %d suite files found", n);
}

Test(conformance_reader, sections_of_subnet)
{
	struct bk_conf_test t;

	load("subnet.data", &t);
	/* The file's -- mem holds 9 full rows of 8 bytes and one of 2. */
	cr_assert_eq(t.mem_len, 74);
	cr_assert_eq(t.mem[0], 0x00);
	cr_assert_eq(t.mem[2], 0xc0);
	cr_assert_eq(t.mem[73], 0x00);
	cr_assert_eq(t.mem[72], 0x03);
	cr_assert(t.has_result);
	cr_assert_eq(t.result, 1);
	cr_assert_not_null(strstr(t.asm_text, "ldxh %r3, [%r1+12]"));
	cr_assert_null(strstr(t.asm_text, "struct eth_hdr"), "the -- c section leaked into asm");
	bk_conf_free(&t);
}

Test(conformance_reader, result_is_full_64_bits)
{
	struct bk_conf_test t;

	load("rfc9669_ldxsh.data", &t);
	cr_assert_eq(t.result, 0xffffffffffff8001ull);
	bk_conf_free(&t);
}

Test(conformance_reader, raw_words_are_little_endian_slots)
{
	static const char text[] = "-- raw\n0x00000005000001b7 0x0000000000000095 # mov r1, 5; exit\n"
				   "-- result\n5\n";
	struct bk_conf_test t;

	cr_assert_eq(bk_conf_parse(text, sizeof(text) - 1, "raw.data", &t, NULL), 0);
	cr_assert_eq(t.raw_count, 2);
	cr_assert_eq(t.raw[0].code, 0xb7);
	cr_assert_eq(t.raw[0].dst_reg, 1);
	cr_assert_eq(t.raw[0].imm, 5);
	cr_assert_eq(t.raw[1].code, 0x95);
	cr_assert_eq(t.result, 5);
	bk_conf_free(&t);
}

Test(conformance_reader, error_section_and_flags)
{
	static const char text[] = "# header\n-- asm\nmov %r0, 1\n-- error\nunknown opcode 0xff\n"
				   "-- no register offset\ncall instruction\n";
	struct bk_conf_test t;

	cr_assert_eq(bk_conf_parse(text, sizeof(text) - 1, "e.data", &t, NULL), 0);
	cr_assert(t.expect_error);
	cr_assert_str_eq(t.error_text, "unknown opcode 0xff\n");
	cr_assert(t.no_register_offset);
	cr_assert_eq(t.asm_line, 3);
	bk_conf_free(&t);
}

static void expect_error(const char *text, const char *msg, unsigned line, unsigned col)
{
	struct bk_conf_test t;
	struct bk_diag d;
	char buf[300];

	cr_assert_eq(bk_conf_parse(text, strlen(text), "bad.data", &t, &d), -EINVAL);
	bk_diag_format(&d, buf, sizeof(buf));
	cr_assert_str_eq(d.msg, msg, "got '%s'", buf);
	cr_assert_eq(d.line, line, "line of '%s'", buf);
	cr_assert_eq(d.col, col, "col of '%s'", buf);
	cr_assert_null(t.asm_text);
}

Test(conformance_reader, malformed_input_is_located)
{
	expect_error("-- asm\nexit\n-- mem\n00 0g\n", "'0g' is not a hex byte (two hex digits)", 4,
		     4);
	expect_error("-- asm\nexit\n-- result\nzz\n",
		     "'zz' is not a number (decimal or 0x hex)", 4, 1);
	expect_error("-- asm\nexit\n-- result\n1 2\n", "unexpected text after the result value",
		     4, 3);
	expect_error("-- bogus\n", "unknown section '-- bogus' (asm, raw, mem, result, error, c)",
		     1, 4);
	expect_error("mov %r0, 1\n", "text before the first '-- section' line", 1, 1);
	expect_error("-- result\n0x1\n", "the test has neither '-- asm' nor '-- raw'", 1, 1);
}

Test(conformance_reader, hostile_bytes_do_not_crash)
{
	static const char text[] = "-- mem\n0\0 ff\n-- raw\n0x\n";
	struct bk_conf_test t;

	cr_assert_lt(bk_conf_parse(text, sizeof(text) - 1, "x.data", &t, NULL), 0);
	cr_assert_lt(bk_conf_parse("--", 2, NULL, &t, NULL), 0);
	cr_assert_lt(bk_conf_parse("", 0, NULL, &t, NULL), 0);
}
