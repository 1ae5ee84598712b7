// SPDX-License-Identifier: MIT
/*
 * `bpfkit conformance [FILES|DIRS]`: run bpf_conformance tests on the live
 * kernel; one PASS/FAIL/SKIP line per file with the reason, then the plain
 * closing line "N passed, N failed, N skipped". Exit 1 when any failed, or
 * when nothing was checked (no test files, or every test skipped).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpfkit/confrun.h>

#include "cli.h"
#include "cmd_vm.h"

struct tally {
	unsigned pass, fail, skip;
};

static const char *const verdicts[] = { "PASS", "FAIL", "SKIP" };

static void run_file(struct bk_cli *cli, const char *path, struct tally *t)
{
	struct bk_conf_test test;
	struct bk_conf_outcome res;
	struct bk_diag d;
	char where[320];
	int err;

	err = bk_conf_load(path, &test, &d);
	if (err) {
		fprintf(cli->out, "FAIL %s: %s\n", path, bk_diag_format(&d, where, sizeof(where)));
		t->fail++;
		return;
	}
	err = bk_conf_run(&test, path, &res);
	bk_conf_free(&test);
	if (err) {
		fprintf(cli->out, "FAIL %s: could not run: %s\n", path, strerror(-err));
		t->fail++;
		return;
	}
	fprintf(cli->out, "%s %s%s%s\n", verdicts[res.status], path, res.reason[0] ? ": " : "",
		res.reason);
	if (res.status == BK_CONF_PASS)
		t->pass++;
	else if (res.status == BK_CONF_FAIL)
		t->fail++;
	else
		t->skip++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_data(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && !strcmp(e->d_name + n - 5, ".data");
}

static void run_dir(struct bk_cli *cli, const char *dir, struct tally *t)
{
	struct dirent **names;
	int n = scandir(dir, &names, only_data, by_name);

	if (n < 0) {
		bk_cli_fail(cli, "cannot read directory %s", dir);
		t->fail++;
		return;
	}
	if (n == 0) { /* a directory of nothing checks nothing: never a success */
		fprintf(cli->out, "FAIL %s: no *.data test files in it\n", dir);
		t->fail++;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		run_file(cli, path, t);
		free(names[i]);
	}
	free(names);
}

int bk_cmd_conformance(struct bk_cli *cli, int argc, char **argv)
{
	struct tally t = { 0 };

	if (bk_cli_want_vm(argc, argv))
		return bk_cmd_conformance_vm(cli, argc, argv);
	if (argc < 2)
		return bk_cli_usage(cli, "conformance FILE|DIR...");
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(cli, argv[i], &t);
		else
			run_file(cli, argv[i], &t);
	}
	fprintf(cli->out, "%u passed, %u failed, %u skipped\n", t.pass, t.fail, t.skip);
	if (!t.fail && !t.pass)
		return bk_cli_fail(cli, "%s", "nothing was checked: every test was skipped");
	return t.fail ? 1 : 0;
}
