// SPDX-License-Identifier: MIT
/*
 * `bpfkit conformance [FILES|DIRS]`: run bpf_conformance tests on the live
 * kernel; one PASS/FAIL/SKIP line per file with the reason, then the plain
 * closing line "N passed, N failed, N skipped". Exit 1 when any failed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpfkit/confrun.h>

#include "cli.h"
#include "json.h"
#include "cmd_vm.h"

struct tally {
	unsigned pass, fail, skip;
	unsigned done, total; /* for the progress line */
	char dirwhy[300];
	struct bk_json j;     /* -j: the "tests" array being written */
};

static const char *const verdicts[] = { "PASS", "FAIL", "SKIP" };

/* One test's line: "PASS file: reason", or a JSON object. */
static void verdict(struct bk_cli *cli, struct tally *t, const char *v, const char *path,
		    const char *reason)
{
	if (cli->json) {
		bk_json_object_begin(&t->j);
		bk_json_kv_string(&t->j, "file", path);
		bk_json_kv_string(&t->j, "result", v);
		if (reason[0])
			bk_json_kv_string(&t->j, "reason", reason);
		bk_json_object_end(&t->j);
	} else {
		fprintf(cli->out, "%s %s%s%s\n", v, path, reason[0] ? ": " : "", reason);
	}
	bk_cli_progress(cli, "conformance", ++t->done, t->total);
}

static void run_file(struct bk_cli *cli, const char *path, struct tally *t)
{
	char why[400];
	struct bk_conf_test test;
	struct bk_conf_outcome res;
	struct bk_diag d;
	char where[320];
	int err;

	err = bk_conf_load(path, &test, &d);
	if (err) {
		verdict(cli, t, "FAIL", path, bk_diag_format(&d, where, sizeof(where)));
		t->fail++;
		return;
	}
	err = bk_conf_run(&test, path, &res);
	bk_conf_free(&test);
	if (err) {
		snprintf(why, sizeof(why), "could not run: %s", strerror(-err));
		verdict(cli, t, "FAIL", path, why);
		t->fail++;
		return;
	}
	verdict(cli, t, verdicts[res.status], path, res.reason);
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
		snprintf(t->dirwhy, sizeof(t->dirwhy), "cannot read directory: %s", strerror(errno));
		verdict(cli, t, "FAIL", dir, t->dirwhy);
		t->fail++;
		return;
	}
	if (n == 0) {
		verdict(cli, t, "FAIL", dir, "no *.data test files in it");
		t->fail++;
	}
	t->total += (unsigned)n;
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		run_file(cli, path, t);
		free(names[i]);
	}
	free(names);
}

static void summary_json(struct tally *t)
{
	bk_json_array_end(&t->j);
	bk_json_kv_uint(&t->j, "passed", t->pass);
	bk_json_kv_uint(&t->j, "failed", t->fail);
	bk_json_kv_uint(&t->j, "skipped", t->skip);
	bk_json_object_end(&t->j);
	bk_json_end(&t->j);
}

int bk_cmd_conformance(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"conformance FILE|DIR...\n"
		"  runs each bpf_conformance test (*.data) on the kernel; exit 1 if any failed\n"
		"  or none was checked. -j prints {\"tests\": [{\"file\", \"result\", "
		"\"reason\"}...], \"passed\": N, \"failed\": N, \"skipped\": N}";
	static struct tally t; /* large (path buffers); the CLI is single-threaded */

	memset(&t, 0, sizeof(t));
	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (bk_cli_want_vm(argc, argv) && cli->json) /* the VM's report is text only */
		return bk_cli_no_json(cli, "conformance --vm");
	if (bk_cli_want_vm(argc, argv))
		return bk_cmd_conformance_vm(cli, argc, argv);
	if (argc < 2)
		return bk_cli_usage_why(cli, usage, "no FILE or DIR given");
	bk_cli_progress(cli, "conformance", 0, 0); /* the clock starts now */
	if (cli->json) {
		bk_json_init(&t.j, cli->out, cli->pretty);
		bk_json_object_begin(&t.j);
		bk_json_key(&t.j, "tests");
		bk_json_array_begin(&t.j);
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			run_dir(cli, argv[i], &t);
		} else {
			t.total++;
			run_file(cli, argv[i], &t);
		}
	}
	bk_cli_progress_done(cli);
	if (cli->json)
		summary_json(&t);
	else
		fprintf(cli->out, "%u passed, %u failed, %u skipped\n", t.pass, t.fail, t.skip);
	if (!t.fail && !t.pass)
		return bk_cli_fail(cli, "%s", "nothing was checked: every test was skipped");
	return t.fail ? 1 : 0;
}
