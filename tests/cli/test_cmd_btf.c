// SPDX-License-Identifier: MIT
/*
 * `bpfkit btf dump` through the built binary: the raw text and the JSON of
 * the running kernel's BTF byte for byte as bpftool prints them (by file and
 * by BTF object id), the C form as the library writes it, and wrong usage
 * refused with the usage (exit 2) or a reason (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* Exit status of `bpfkit args`, its stdout (and stderr) in *out. */
static int cli(const char *args, char **out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bk_test_cli(), args);
	return bk_test_run(cmd, out);
}

static char *tool(const char *args)
{
	char cmd[512], *out = NULL;

	snprintf(cmd, sizeof(cmd), "bpftool %s", args);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s", cmd);
	return out;
}

static void same(const char *ours_args, const char *bpftool_args)
{
	char *ours = NULL, *theirs = tool(bpftool_args);
	size_t n;

	cr_assert_eq(cli(ours_args, &ours), 0, "%.300s", ours);
	/* bpftool ends JSON without a newline, we end every output with one. */
	n = strlen(theirs);
	if (n && theirs[n - 1] != '\n' && strlen(ours) == n + 1)
		ours[n] = '\0';
	cr_assert(strcmp(ours, theirs) == 0, "bpfkit %s differs from bpftool %s", ours_args,
		  bpftool_args);
	free(ours);
	free(theirs);
}

Test(cmd_btf, raw_and_json_are_bpftools)
{
	BK_REQUIRE_TOOL("bpftool");
	if (access(VMLINUX, R_OK))
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	same("btf dump file " VMLINUX, "btf dump file " VMLINUX);
	same("btf dump file " VMLINUX " format raw", "btf dump file " VMLINUX " format raw");
	same("--json btf dump file " VMLINUX, "-j btf dump file " VMLINUX);
}

Test(cmd_btf, by_id_is_by_file)
{
	char *by_id = NULL, *by_file = NULL;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(cli("btf dump id 1 format c", &by_id), 0, "%.300s", by_id);
	cr_assert_eq(cli("btf dump file " VMLINUX " format c", &by_file), 0);
	cr_assert(strncmp(by_file, "#ifndef __VMLINUX_H__\n", 22) == 0);
	cr_assert(strstr(by_file, "\nstruct task_struct {\n"));
	cr_assert(strcmp(by_id, by_file) == 0, "BTF object 1 is vmlinux");
	free(by_id);
	free(by_file);
}

Test(cmd_btf, one_type_by_root_id)
{
	char *out = NULL;

	if (access(VMLINUX, R_OK))
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	cr_assert_eq(cli("btf dump file " VMLINUX " root_id 1", &out), 0);
	cr_assert_str_eq(out, "[1] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 "
			      "encoding=(none)\n");
	free(out);
}

Test(cmd_btf, wrong_usage)
{
	char *out = NULL;

	cr_assert_eq(cli("btf dump", &out), 2);
	cr_assert(strstr(out, "usage:"), "%s", out);
	free(out);
	cr_assert_eq(cli("btf dump file", &out), 2);
	free(out);
	cr_assert_eq(cli("btf dump file /nonexistent/x", &out), 1);
	cr_assert(strstr(out, "/nonexistent/x"), "%s", out);
	free(out);
	cr_assert_eq(cli("btf dump file " VMLINUX " format yaml", &out), 1);
	cr_assert(strstr(out, "unknown format 'yaml'"), "%s", out);
	free(out);
	cr_assert_eq(cli("--json btf dump file " VMLINUX " format c", &out), 1);
	cr_assert(strstr(out, "no JSON"), "%s", out);
	free(out);
	cr_assert_eq(cli("btf dump id 0", &out), 1);
	free(out);
	cr_assert_eq(cli("btf dump file /etc/hostname", &out), 1);
	cr_assert(strstr(out, "BTF byte 0"), "%s", out);
	free(out);
}
