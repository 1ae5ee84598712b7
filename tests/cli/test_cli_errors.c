// SPDX-License-Identifier: MIT
/*
 * Nothing silent (cli/main.c, cli/util.c): a failed write is an exit 1 with
 * its reason, numbers are checked whole, '-' is standard output, -j either
 * gives JSON (errors as {"error": ...} on stdout) or is refused, --help works
 * on every command and usage errors exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"
#include "json_mini.h"

/* Every noun of the command table, so a new command is covered at once. */
static const char *const nouns[] = {
#define BK_CLI_CMD(NAME, FN, HELP) NAME,
#include "../../cli/commands.def"
#undef BK_CLI_CMD
};

/* Run bpfkit with args (a shell tail: redirections allowed); output in *out. */
static int cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli(char **out, const char *fmt, ...)
{
	char args[1536], cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s %s", bk_test_cli(), args);
	*out = NULL;
	return bk_test_run(cmd, out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

Test(cli_errors, a_full_disk_is_an_error_with_its_reason)
{
	static const char *const cmds[] = {
		"asm /tmp/bk-err-a.s -o /dev/full 2>&1",
		"asm /tmp/bk-err-a.s -o - 2>&1 >/dev/full",
		"disasm /tmp/bk-err-a.bin 2>&1 >/dev/full",
		"-j disasm /tmp/bk-err-a.bin 2>&1 >/dev/full",
		"isa 2>&1 >/dev/full",
		"helpers 2>&1 >/dev/full",
		"--help 2>&1 >/dev/full",
	};
	char *out;

	write_file("/tmp/bk-err-a.s", "r0 = 1\nexit\n");
	cr_assert_eq(cli(&out, "asm /tmp/bk-err-a.s -o /tmp/bk-err-a.bin 2>&1"), 0, "%s", out);
	free(out);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		cr_assert_eq(cli(&out, "%s", cmds[i]), 1, "%s: %s", cmds[i], out);
		cr_assert_not_null(strstr(out, "No space left on device"), "%s: %s", cmds[i], out);
		free(out);
	}
	unlink("/tmp/bk-err-a.s");
	unlink("/tmp/bk-err-a.bin");
}

Test(cli_errors, prog_list_and_feature_to_a_full_stdout_fail)
{
	char *out;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(cli(&out, "feature 2>&1 >/dev/full"), 1, "%s", out);
	cr_assert_not_null(strstr(out, "No space left on device"), "%s", out);
	free(out);
	/* An empty listing writes nothing: write a long one (isa) the same way first. */
	cr_assert_eq(cli(&out, "-j prog list 2>&1 >/dev/full"), 1, "%s", out);
	cr_assert_not_null(strstr(out, "No space left on device"), "%s", out);
	free(out);
}

Test(cli_errors, dash_is_standard_output_for_asm)
{
	char *out;
	struct stat st;

	write_file("/tmp/bk-err-b.s", "r0 = 1\nexit\n");
	unlink("-");
	cr_assert_eq(cli(&out, "asm /tmp/bk-err-b.s -o - | od -An -tx1 | tr -d ' \\n'"), 0);
	cr_assert_str_eq(out, "b7000000010000009500000000000000");
	free(out);
	cr_assert_neq(stat("-", &st), 0, "no file named '-' was created");
	unlink("/tmp/bk-err-b.s");
}

Test(cli_errors, numbers_are_checked_whole_and_in_range)
{
	static const char *const bad[] = { "abc", "-1", "1x", "", "4294967296", " 5", "+3" };
	char *out;

	write_file("/tmp/bk-err-c.s", "r0 = 1\nexit\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(cli(&out, "run /tmp/bk-err-c.s --repeat '%s' 2>&1", bad[i]), 2,
			     "--repeat '%s': %s", bad[i], out);
		cr_assert_not_null(strstr(out, "--repeat: '"), "%s", out);
		cr_assert_not_null(strstr(out, "is not a number from 1 to 4294967295"), "%s", out);
		free(out);
	}
	unlink("/tmp/bk-err-c.s");
}

Test(cli_errors, json_is_given_or_refused_and_errors_are_json_on_stdout)
{
	struct jm *v;
	char *out;

	write_file("/tmp/bk-err-d.s", "r0 = 1\nexit\n");
	/* asm writes bytecode: -j is refused, the refusal itself is JSON. */
	cr_assert_eq(cli(&out, "-j asm /tmp/bk-err-d.s 2>/dev/null"), 2);
	v = jm_parse(out);
	cr_assert_not_null(v, "%s", out);
	cr_assert_not_null(jm_get(v, "error"), "%s", out);
	jm_free(v);
	free(out);
	cr_assert_eq(cli(&out, "asm /tmp/bk-err-d.s -o /tmp/bk-err-d.bin"), 0);
	free(out);
	cr_assert_eq(cli(&out, "-j disasm /tmp/bk-err-d.bin 2>&1"), 0);
	cr_assert_str_eq(out, "[{\"index\":0,\"disasm\":\"r0 = 1\"},{\"index\":1,\"disasm\":\"exit\"}]\n");
	free(out);
	cr_assert_eq(cli(&out, "-j disasm /tmp/no-such-bk-file 2>/dev/null"), 1);
	cr_assert_str_eq(out, "{\"error\":\"cannot read /tmp/no-such-bk-file: No such file or "
			      "directory\"}\n");
	free(out);
	cr_assert_eq(cli(&out, "--json run /tmp/bk-err-d.s --repeat x 2>/dev/null"), 2);
	cr_assert_not_null(strstr(out, "{\"error\":\"--repeat: 'x' is not a number"), "%s", out);
	free(out);
	cr_assert_eq(cli(&out, "-j run --vm /tmp/bk-err-d.s 2>/dev/null"), 2);
	cr_assert_str_eq(out, "{\"error\":\"run --vm has no JSON output; drop -j/--json\"}\n");
	free(out);
	cr_assert_eq(cli(&out, "-j conformance /tmp/bk-err-d.s 2>/dev/null"), 1);
	v = jm_parse(out);
	cr_assert_not_null(v, "%s", out);
	cr_assert_not_null(jm_get(v, "tests"), "%s", out);
	jm_free(v);
	free(out);
	unlink("/tmp/bk-err-d.s");
	unlink("/tmp/bk-err-d.bin");
}

Test(cli_errors, run_gives_json)
{
	struct jm *v;
	char *out;

	BK_REQUIRE_KERNEL();
	write_file("/tmp/bk-err-e.s", "r0 = 42\nexit\n");
	cr_assert_eq(cli(&out, "-j run /tmp/bk-err-e.s --repeat 3 2>&1"), 0, "%s", out);
	v = jm_parse(out);
	cr_assert_not_null(v, "%s", out);
	cr_assert_eq(jm_get(v, "retval")->num, 42);
	cr_assert_eq(jm_get(v, "repeat")->num, 3);
	jm_free(v);
	free(out);
	unlink("/tmp/bk-err-e.s");
}

Test(cli_errors, help_on_every_command_goes_to_stdout_and_exits_0)
{
	char *out;

	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++) {
		static const char *const asks[] = { "--help", "-h", "help" };

		for (size_t k = 0; k < 3; k++) {
			cr_assert_eq(cli(&out, "%s %s 2>/dev/null", nouns[i], asks[k]), 0, "%s %s",
				     nouns[i], asks[k]);
			cr_assert(!strncmp(out, "usage: bpfkit ", 14), "%s %s: %s", nouns[i],
				  asks[k], out);
			cr_assert_not_null(strstr(out, nouns[i]), "%s", out);
			free(out);
		}
	}
	cr_assert_eq(cli(&out, "--help 2>/dev/null"), 0);
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		cr_assert_not_null(strstr(out, nouns[i]), "top-level help lists %s", nouns[i]);
	free(out);
}

Test(cli_errors, usage_errors_exit_2)
{
	static const char *const cmds[] = {
		"", "nosuchcommand", "asm", "asm a b", "disasm", "asm -d klingon x.s",
		"map", "map frobnicate", "prog frobnicate", "link frobnicate", "net frobnicate",
		"cgroup", "cgroup frobnicate", "run", "conformance", "isa extra", "btf frobnicate",
	};
	char *out;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		cr_assert_eq(cli(&out, "%s 2>&1", cmds[i]), 2, "'%s': %s", cmds[i], out);
		cr_assert_not_null(strstr(out, "usage"), "'%s': %s", cmds[i], out);
		free(out);
	}
}

Test(cli_errors, conformance_that_checks_nothing_fails)
{
	char *out;

	mkdir("/tmp/bk-err-empty", 0755);
	cr_assert_eq(cli(&out, "conformance /tmp/bk-err-empty 2>&1"), 1, "%s", out);
	cr_assert_not_null(strstr(out, "no *.data test files"), "%s", out);
	free(out);
	rmdir("/tmp/bk-err-empty");
}

Test(cli_errors, oversized_input_is_refused_not_read_forever, .timeout = 60)
{
	char *out;

	/* 64 MiB + 1 of zeros through a pipe: refused, not accumulated. */
	cr_assert_eq(cli(&out, "asm - < /dev/zero 2>&1 | head -c 300"), 0);
	cr_assert_str_eq(out, "bpfkit: cannot read -: larger than 64 MiB\n");
	free(out);
}
