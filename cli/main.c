// SPDX-License-Identifier: MIT
/* bpfkit CLI entry: global options, then a noun from cli/commands.def. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/common.h>

#include "cli.h"
#include "json.h"

struct noun {
	const char *name;
	bk_cli_cmd_fn fn;
	const char *help;
};

static const struct noun nouns[] = {
#define BK_CLI_CMD(NAME, FN, HELP) { NAME, FN, HELP },
#include "commands.def"
#undef BK_CLI_CMD
};

int bk_cli_report(struct bk_cli *cli, const char *msg)
{
	struct bk_json j;

	bk_cli_progress_done(cli);
	if (!cli->json) {
		fprintf(cli->err, "%s\n", msg);
		return 1;
	}
	/* bpftool's -j: the error is part of the output, for scripts. */
	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_object_begin(&j);
	bk_json_kv_string(&j, "error", msg);
	bk_json_object_end(&j);
	bk_json_end(&j);
	return 1;
}

static int vfail(struct bk_cli *cli, const char *fmt, va_list ap)
{
	char msg[1024];
	int n = cli->json ? 0 : snprintf(msg, sizeof(msg), "bpfkit: ");

	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	return bk_cli_report(cli, msg);
}

int bk_cli_fail(struct bk_cli *cli, const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = vfail(cli, fmt, ap);
	va_end(ap);
	return st;
}

int bk_cli_usage(struct bk_cli *cli, const char *usage)
{
	if (cli->json)
		bk_cli_fail(cli, "bad arguments; usage: bpfkit %s", usage);
	fprintf(cli->err, "usage: bpfkit %s\n", usage);
	return 2;
}

int bk_cli_usage_why(struct bk_cli *cli, const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(cli, fmt, ap);
	va_end(ap);
	if (!cli->json && usage)
		fprintf(cli->err, "usage: bpfkit %s\n", usage);
	return 2;
}

int bk_cli_help(struct bk_cli *cli, const char *usage)
{
	fprintf(cli->out, "usage: bpfkit %s\n", usage);
	return 0;
}

bool bk_cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

bool bk_cli_is_help(int argc, char **argv)
{
	return (argc >= 2 && !strcmp(argv[1], "help")) || bk_cli_wants_help(argc - 1, argv + 1);
}

int bk_cli_no_json(struct bk_cli *cli, const char *cmd)
{
	return bk_cli_usage_why(cli, NULL, "%s has no JSON output; drop -j/--json", cmd);
}

static int help(struct bk_cli *cli, FILE *to)
{
	fprintf(to, "usage: %s [--json|-j] [--pretty|-p] COMMAND [ARGS]\n\ncommands:\n",
		cli->prog);
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		fprintf(to, "  %-12s %s\n", nouns[i].name, nouns[i].help);
	fprintf(to, "\n'bpfkit COMMAND --help' shows a command's arguments.\n");
	return to == stdout ? 0 : 2;
}

/* Global options may come before the noun (bpftool style) or anywhere after
 * it; they are removed from argv so commands never see them. */
static int strip_global_opts(struct bk_cli *cli, int argc, char **argv)
{
	int out = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			cli->json = true;
		else if (!strcmp(argv[i], "--pretty") || !strcmp(argv[i], "-p"))
			cli->json = cli->pretty = true;
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static int version(struct bk_cli *cli)
{
	struct bk_json j;

	if (!cli->json) {
		fprintf(cli->out, "bpfkit %s\n", bk_version());
		return 0;
	}
	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_object_begin(&j);
	bk_json_kv_string(&j, "version", bk_version());
	bk_json_object_end(&j);
	bk_json_end(&j);
	return 0;
}

static int dispatch(struct bk_cli *cli, int argc, char **argv)
{
	if (argc < 1)
		return help(cli, stderr);
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return help(cli, stdout);
	if (!strcmp(argv[0], "version") || !strcmp(argv[0], "--version") ||
	    !strcmp(argv[0], "-V"))
		return version(cli);
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (!strcmp(argv[0], nouns[i].name))
			return nouns[i].fn(cli, argc, argv);
	bk_cli_fail(cli, "unknown command '%s'", argv[0]);
	help(cli, stderr);
	return 2;
}

/* Output is only a success once it reached its destination: a full disk or a
 * closed pipe found at the final flush turns the exit status into 1. */
static int finish(struct bk_cli *cli, int st)
{
	bk_cli_progress_done(cli);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(cli->err, "bpfkit: write error on standard output: %s\n", strerror(errno));
		return 1;
	}
	if (fclose(stdout) != 0) {
		fprintf(cli->err, "bpfkit: closing standard output: %s\n", strerror(errno));
		return 1;
	}
	return st;
}

int main(int argc, char **argv)
{
	struct bk_cli cli = { .out = stdout, .err = stderr, .prog = "bpfkit", .progress = -1 };

	argc = strip_global_opts(&cli, argc - 1, argv + 1);
	return finish(&cli, dispatch(&cli, argc, argv + 1));
}
