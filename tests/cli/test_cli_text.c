// SPDX-License-Identifier: MIT
/* The CLI's text commands through the built binary: asm, disasm, run,
 * conformance, isa and helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"

static int cli(const char *args, char **out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bk_test_cli(), args);
	return bk_test_run(cmd, out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(cli_text, asm_then_disasm_plain_and_indexed)
{
	char *out = NULL;

	write_file("/tmp/bk-cli-a.s", "r1 = 0x1122334455 ll\nif r1 s> 5 goto +1\nr0 = 1\nexit\n");
	cr_assert_eq(cli("asm /tmp/bk-cli-a.s -o /tmp/bk-cli-a.bin", &out), 0, "%s", out);
	free(out);
	cr_assert_eq(cli("disasm --plain /tmp/bk-cli-a.bin", &out), 0);
	cr_assert_str_eq(out, "r1 = 73588229205 ll\nif r1 s> 5 goto +1\nr0 = 1\nexit\n");
	free(out);
	cr_assert_eq(cli("disasm /tmp/bk-cli-a.bin", &out), 0);
	cr_assert_str_eq(out, "   0: r1 = 73588229205 ll\n   2: if r1 s> 5 goto +1\n   3: r0 = 1\n"
			      "   4: exit\n");
	free(out);
	cr_assert_eq(cli("disasm -d conformance --plain /tmp/bk-cli-a.bin", &out), 0);
	cr_assert_str_eq(out, "lddw %r1, 0x1122334455\njsgt %r1, 5, +1\nmov %r0, 1\nexit\n");
	free(out);
	unlink("/tmp/bk-cli-a.s");
	unlink("/tmp/bk-cli-a.bin");
}

Test(cli_text, asm_errors_are_file_line_col)
{
	char *out = NULL;

	write_file("/tmp/bk-cli-b.s", "r0 = 0\n  r0 = r11\nexit\n");
	cr_assert_eq(cli("asm /tmp/bk-cli-b.s -o /dev/null", &out), 1);
	cr_assert_str_eq(out, "/tmp/bk-cli-b.s:2:8: bad register 'r11' in 'r0 = r11'\n");
	free(out);
	cr_assert_eq(cli("disasm /tmp/bk-cli-b.s", &out), 1, "not a multiple of 8 bytes");
	free(out);
	unlink("/tmp/bk-cli-b.s");
}

Test(cli_text, run_prints_r0_and_points_rejections_to_lines)
{
	char *out = NULL;

	BK_REQUIRE_KERNEL();
	write_file("/tmp/bk-cli-c.s", "r0 = 40\nr0 += 2\nexit\n");
	cr_assert_eq(cli("run /tmp/bk-cli-c.s --repeat 10", &out), 0, "%s", out);
	cr_assert_not_null(strstr(out, "r0 = 42 (0x2a)"), "%s", out);
	free(out);
	write_file("/tmp/bk-cli-c.s", "# bad\nr0 = 1\nr0 = *(u64 *)(r3 + 0)\nexit\n");
	cr_assert_eq(cli("run /tmp/bk-cli-c.s", &out), 1);
	cr_assert_not_null(strstr(out, "/tmp/bk-cli-c.s:3: 1: (79) r0 = *(u64 *)(r3 +0)"), "%s",
			   out);
	cr_assert_not_null(strstr(out, "R3 !read_ok"), "%s", out);
	cr_assert_not_null(strstr(out, "/tmp/bk-cli-c.s:3: verifier: R3 !read_ok\n"),
			   "the complaint, located, closes the output: %s", out);
	free(out);
	unlink("/tmp/bk-cli-c.s");
}

/* The suite beside the checkout: everything the kernel can run passes, and
 * everything else is a SKIP that carries the kernel's reason. */
Test(cli_text, conformance_suite_passes_what_the_kernel_can_run, .timeout = 120)
{
	char args[600], *out = NULL, *line, *save = NULL;
	int passed = 0, failed = -1, skipped = 0;

	BK_REQUIRE_KERNEL();
	snprintf(args, sizeof(args), "conformance %s", bk_test_conformance_dir());
	cr_assert_eq(cli(args, &out), 0, "%s", out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "SKIP ", 5))
			cr_assert_not_null(strstr(line, "kernel rejects it"), "%s", line);
		cr_assert(strncmp(line, "FAIL ", 5), "%s", line);
		sscanf(line, "%d passed, %d failed, %d skipped", &passed, &failed, &skipped);
	}
	cr_assert_eq(failed, 0);
	cr_assert_gt(passed, 200);
	free(out);
}

Test(cli_text, isa_json_lists_every_row_with_opcode_integers)
{
	char *out = NULL;

	cr_assert_eq(cli("isa --json", &out), 0);
	cr_assert_not_null(strstr(out, "\"mnemonic\":\"lock fetch add32\""), "%.200s", out);
	cr_assert_not_null(strstr(out, "\"opcode\":219"));
	cr_assert_not_null(strstr(out, "\"group\":\"packet\""));
	free(out);
	cr_assert_eq(cli("helpers", &out), 0);
	cr_assert_not_null(strstr(out, "   1  bpf_map_lookup_elem\n"));
	free(out);
}
