/* SPDX-License-Identifier: MIT */
/*
 * The bpfkit CLI: nouns dispatched from a table (cli/commands.def), state in
 * one context struct passed to every command, JSON through cli/json.h.
 * Uses only the public <bpfkit/...> headers.
 */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct bk_cli {
	bool json;	 /* --json / -j: machine-readable output */
	bool pretty;	 /* --pretty / -p: indented JSON */
	FILE *out;	 /* where results go (stdout) */
	FILE *err;	 /* where diagnostics go (stderr) */
	const char *prog; /* argv[0] */
};

/* A command: returns the process exit status (0 ok, 1 failure, 2 usage). */
typedef int (*bk_cli_cmd_fn)(struct bk_cli *cli, int argc, char **argv);

#define BK_CLI_CMD(NAME, FN, HELP) int FN(struct bk_cli *cli, int argc, char **argv);
#include "commands.def"
#undef BK_CLI_CMD

/* `run FILE.o --prog NAME ...`: whether argv names an ELF object, and running it. */
bool bk_cli_is_object(int argc, char **argv);
int bk_cmd_run_object(struct bk_cli *cli, int argc, char **argv);

/* Print "bpfkit: <message>" to cli->err; returns 1 for use as an exit status. */
int bk_cli_fail(struct bk_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a usage line to cli->err; returns 2. */
int bk_cli_usage(struct bk_cli *cli, const char *usage);

#endif /* BK_CLI_H */
