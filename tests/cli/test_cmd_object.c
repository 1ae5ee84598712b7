// SPDX-License-Identifier: MIT
/* `bpfkit object show|load` and `bpfkit run FILE.o --prog NAME` through the
 * built binary, on the ELF corpus. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <unistd.h>

#include <bpfkit/prog.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"
#include "json_mini.h"

static int cli(const char *fmt, const char *obj, char **out)
{
	char cmd[1400], args[1200];

	snprintf(args, sizeof(args), fmt, obj);
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bk_test_cli(), args);
	return bk_test_run(cmd, out);
}

Test(cmd_object, show_lists_programs_maps_and_externs_without_the_kernel)
{
	char path[512], *out = NULL;

	bk_corpus_obj("externs", path, sizeof(path));
	cr_assert_eq(cli("object show %s", path, &out), 0, "%s", out);
	cr_assert(strstr(out, "object externs, license \"GPL\", BTF yes, BTF.ext yes\n"), "%s", out);
	cr_assert(strstr(out, " 21 relocation(s), 1 CO-RE relocation(s)\n"), "%s", out);
	cr_assert(strstr(out, "prog xdp_externs"), "%s", out);
	cr_assert(strstr(out, "kernel name externs.kconfig"), "%s", out);
	cr_assert(strstr(out, "extern LINUX_KERNEL_VERSION   kconfig"), "%s", out);
	free(out);
	bk_corpus_obj("minimal", path, sizeof(path));
	cr_assert_eq(cli("object show %s --json", path, &out), 0, "%s", out);
	cr_assert_str_eq(out, "{\"programs\":[{\"name\":\"xdp_count\",\"type\":6,\"section\":\"xdp\","
			      "\"insns\":6}],\"maps\":[{\"name\":\"minimal.bss\",\"type\":2,"
			      "\"key_size\":4,\"value_size\":8,\"max_entries\":1,\"flags\":1024,"
			      "\"data\":\"0000000000000000\"}],\"externs\":[],\"license\":\"GPL\","
			      "\"sections\":25,\"subprograms\":0,\"relocations\":1,"
			      "\"core_relocations\":0,\"btf\":true,\"btf_ext\":true}\n");
	free(out);
}

Test(cmd_object, load_prints_kernel_tags_and_data)
{
	char path[512], *out = NULL;

	BK_REQUIRE_KERNEL();
	bk_corpus_obj("globals", path, sizeof(path));
	cr_assert_eq(cli("object load %s --json", path, &out), 0, "%s", out);
	cr_assert(strstr(out, "\"name\":\"xdp_globals\",\"type\":6,\"tag\":\""), "%s", out);
	cr_assert(strstr(out, "{\"name\":\".rodata.str1.1\",\"type\":2,\"key_size\":4"), "%s", out);
	free(out);
}

Test(cmd_object, run_one_program_of_an_object)
{
	char path[512], *out = NULL;

	BK_REQUIRE_KERNEL();
	bk_corpus_obj("subprogs", path, sizeof(path));
	cr_assert_eq(cli("run %s --prog sock_sub --repeat 3", path, &out), 0, "%s", out);
	cr_assert(strncmp(out, "r0 = 65 (0x41)\nduration = ", 26) == 0, "%s", out);
	cr_assert(strstr(out, "over 3 run(s)\n"), "%s", out);
	free(out);
	cr_assert_eq(cli("run %s --prog no_such", path, &out), 1);
	cr_assert(strstr(out, "no program named 'no_such'"), "%s", out);
	free(out);
	/* a malformed number is a usage error, as for every command */
	cr_assert_eq(cli("run %s --prog sock_sub --repeat 12x", path, &out), 2);
	cr_assert(strstr(out, "--repeat: '12x' is not a number"), "%s", out);
	free(out);
}

Test(cmd_object, a_rejection_is_reported_at_the_c_line)
{
	char path[512], *out = NULL;

	BK_REQUIRE_KERNEL();
	bk_corpus_obj("reject", path, sizeof(path));
	cr_assert_eq(cli("run %s --prog bad_deref", path, &out), 1);
	cr_assert(strstr(out, "reject.bpf.c:15:"), "%s", out);
	cr_assert(strstr(out, ": verifier: R1 invalid mem access 'scalar'\n"), "%s", out);
	free(out);
	cr_assert_eq(cli("object load %s", path, &out), 1);
	cr_assert(strstr(out, "reject.bpf.c:15:"), "%s", out);
	free(out);
}

Test(cmd_object, bad_input_and_usage)
{
	char *out = NULL;

	cr_assert_eq(cli("object show %s", "/nonexistent.o", &out), 1);
	cr_assert(strstr(out, "/nonexistent.o"), "%s", out);
	free(out);
	cr_assert_eq(cli("object show %s", "/etc/hostname", &out), 1);
	cr_assert(strstr(out, "not an ELF file"), "%s", out);
	free(out);
	cr_assert_eq(cli("object frobnicate %s", "x", &out), 2);
	free(out);
}

/* --pin DIR: programs pinned there (and maps pinned by name), alive after the CLI exits. */
Test(cmd_object, load_and_pin_in_a_private_bpffs)
{
	char dir[256], path[512], prog[600], *out = NULL, cmd[1400];
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	bk_corpus_obj("pin", path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "%s object load %s --pin %s 2>&1", bk_test_cli(), path, dir);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s", out);
	free(out);
	snprintf(prog, sizeof(prog), "%s/xdp_pin", dir);
	p = bk_prog_open_pinned(prog);
	cr_assert_not_null(p, "%s: %s", prog, strerror(errno));
	cr_assert_eq(bk_prog_type(p), BK_PROG_TYPE_XDP);
	bk_prog_close(p);
	snprintf(prog, sizeof(prog), "%s/pinned_counts", dir);
	cr_assert_eq(access(prog, F_OK), 0, "the map pinned by name is in %s", dir);
	snprintf(cmd, sizeof(cmd), "%s object load %s --pin /proc 2>&1", bk_test_cli(), path);
	cr_assert_eq(bk_test_run(cmd, &out), 1);
	free(out);
}
