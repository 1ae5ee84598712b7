/* SPDX-License-Identifier: MIT */
/*
 * The bpfkit CLI: nouns dispatched from a table (cli/commands.def), state in
 * one context struct passed to every command, JSON through cli/json.h.
 * Uses only the public <bpfkit/...> headers.
 */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bk_cli {
	bool json;	 /* --json / -j: machine-readable output */
	bool pretty;	 /* --pretty / -p: indented JSON */
	FILE *out;	 /* where results go (stdout) */
	FILE *err;	 /* where diagnostics go (stderr) */
	const char *prog; /* argv[0] */
	int progress;	  /* -1 unknown, 0 off, 1 on (stderr is a terminal) */
	bool progress_shown; /* a progress line is on screen */
	uint64_t progress_at; /* monotonic ms of the last progress line */
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

/*
 * A usage error with its reason: "bpfkit: <message>" then the usage line;
 * returns 2. In JSON mode the reason goes to cli->out as {"error": ...}.
 */
int bk_cli_usage_why(struct bk_cli *cli, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A message without the "bpfkit: " prefix (it has its own "file:line:col");
 * JSON-aware like bk_cli_fail. Returns 1. */
int bk_cli_report(struct bk_cli *cli, const char *msg);

/* The usage of a command asked for with --help/-h/help: to cli->out, returns 0. */
int bk_cli_help(struct bk_cli *cli, const char *usage);

/* Does argv hold --help or -h (a request for the command's usage)? */
bool bk_cli_wants_help(int argc, char **argv);

/* A noun's argv (argv[0] the noun): is it `NOUN help` or holds --help/-h? */
bool bk_cli_is_help(int argc, char **argv);

/* The command has no JSON form: refuse -j/--json (returns 2). */
int bk_cli_no_json(struct bk_cli *cli, const char *cmd);

/*
 * Parse a whole decimal (or 0x hex) number within [min, max] for the option
 * or argument `what`; on anything else (empty, sign, trailing garbage, out of
 * range) print why and return 2, else 0.
 */
int bk_cli_parse_num(struct bk_cli *cli, const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out);

/*
 * Open an output path for writing ("-" is cli->out). bk_cli_close_out
 * flushes and closes it, returning 0 or, after printing the reason (a full
 * disk, a closed pipe), 1. A failed write is never a success.
 */
FILE *bk_cli_open_out(struct bk_cli *cli, const char *path, bool binary);
int bk_cli_close_out(struct bk_cli *cli, FILE *f, const char *path);

/*
 * A one-line counter on stderr ("what: done/total" rewritten in place) when
 * stderr is a terminal, at most ~10 times a second; nothing otherwise.
 * total 0 means unknown. bk_cli_progress_done clears the line.
 */
void bk_cli_progress(struct bk_cli *cli, const char *what, uint64_t done, uint64_t total);
void bk_cli_progress_done(struct bk_cli *cli);

#endif /* BK_CLI_H */
