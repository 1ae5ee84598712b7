// SPDX-License-Identifier: MIT
/* bpfkit CLI entry: global options, then a noun from cli/commands.def. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/common.h>

#include "cli.h"

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

int bk_cli_fail(struct bk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fputs("bpfkit: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return 1;
}

int bk_cli_usage(struct bk_cli *cli, const char *usage)
{
	fprintf(cli->err, "usage: bpfkit %s\n", usage);
	return 2;
}

static int help(struct bk_cli *cli, FILE *to)
{
	fprintf(to, "usage: %s [--json|-j] [--pretty|-p] COMMAND [ARGS]\n\ncommands:\n",
		cli->prog);
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		fprintf(to, "  %-12s %s\n", nouns[i].name, nouns[i].help);
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

int main(int argc, char **argv)
{
	struct bk_cli cli = { .out = stdout, .err = stderr, .prog = "bpfkit" };

	argc = strip_global_opts(&cli, argc - 1, argv + 1);
	argv++;
	if (argc < 1)
		return help(&cli, stderr);
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))
		return help(&cli, stdout);
	if (!strcmp(argv[0], "version") || !strcmp(argv[0], "--version")) {
		printf("bpfkit %s\n", bk_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (!strcmp(argv[0], nouns[i].name))
			return nouns[i].fn(&cli, argc, argv);
	bk_cli_fail(&cli, "unknown command '%s'", argv[0]);
	return help(&cli, stderr);
}
