/* SPDX-License-Identifier: MIT */
/*
 * Loading a program from a file for `run` and `prog load`: assembler text,
 * raw bytecode (.bin), and (once the ELF loader lands) ELF objects. The
 * verifier's complaints are printed pointing back to source lines.
 */
#ifndef BK_CLI_LOAD_H
#define BK_CLI_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include <bpfkit/asm.h>

#include "cli.h"

/* A whole file ("-": standard input) in a NUL-terminated buffer, or NULL
 * after printing why. */
char *bk_cli_read_file(struct bk_cli *cli, const char *path, size_t *len);

/* Maps given on the command line for the text's map[NAME] operands. */
#define BK_CLI_MAX_MAPS 16
struct bk_cli_maps {
	int n;
	const char *names[BK_CLI_MAX_MAPS];
	int fds[BK_CLI_MAX_MAPS];
};

/* Load the program in file as type (maps may be NULL); returns its fd or -1
 * after printing why. */
int bk_cli_load_file(struct bk_cli *cli, const char *file, int type, enum bk_dialect dialect,
		     const char *name, const struct bk_cli_maps *maps);

/* The program type called name, or -1 after a usage error naming it. */
int bk_cli_prog_type_arg(struct bk_cli *cli, const char *usage, const char *name);

/* Does the file start with the ELF magic? */
bool bk_cli_is_elf_file(const char *path);

/*
 * Load the ELF object file and pin its first program at path (all: every
 * program as path/NAME), its maps under pinmaps when given; type >= 0
 * overrides every program's type, maps are reused by name. Returns the exit
 * status after printing why.
 */
int bk_cli_prog_load_elf(struct bk_cli *cli, const char *file, const char *path, bool all,
			 int type, const struct bk_cli_maps *maps, const char *pinmaps);

#endif /* BK_CLI_LOAD_H */
