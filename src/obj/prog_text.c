// SPDX-License-Identifier: MIT
/*
 * Programs from assembler text: maps resolved by name, and a verifier
 * complaint turned into file:line:col of the source line the instruction
 * came from, so people fix the line they wrote, not an index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/map.h>

#include "prog_int.h"

/* Map names resolve against the caller's maps first, then their resolver. */
static int resolve_map(void *ctx, const char *name)
{
	const struct bk_prog_opts *o = ctx;
	struct bk_map *const *maps = BK_OBJ_OPT(bk_prog_opts, o, maps, NULL);
	size_t nmaps = BK_OBJ_OPT(bk_prog_opts, o, nmaps, 0);
	bk_asm_map_fn fn = BK_OBJ_OPT(bk_prog_opts, o, map_fd, NULL);

	for (size_t i = 0; maps && i < nmaps; i++)
		if (maps[i] && strcmp(bk_map_name(maps[i]), name) == 0)
			return bk_map_fd(maps[i]);
	if (fn)
		return fn(BK_OBJ_OPT(bk_prog_opts, o, map_ctx, NULL), name);
	return -ENOENT;
}

/* Column of the first non-blank character of 1-based line in text. */
static uint32_t first_col(const char *text, size_t len, uint32_t line)
{
	size_t i = 0;
	uint32_t l = 1, col = 1;

	while (i < len && l < line)
		if (text[i++] == '\n')
			l++;
	while (i < len && (text[i] == ' ' || text[i] == '\t')) {
		i++;
		col++;
	}
	return col;
}

/* Point a load failure's diagnostic at the source line of its instruction. */
static void locate(struct bk_diag *diag, const char *file, const char *text, size_t len,
		   const uint32_t *lines, size_t n)
{
	if (!diag || !lines || diag->index >= n || !lines[diag->index])
		return;
	diag->line = lines[diag->index];
	diag->col = first_col(text, len, diag->line);
	snprintf(diag->file, sizeof(diag->file), "%s", file);
}

struct bk_prog *bk_prog_load_text(enum bk_prog_type type, const char *text, size_t len,
				  const struct bk_prog_opts *opts)
{
	const char *file;
	struct bk_diag *diag;
	struct bk_insn *insns = NULL;
	uint32_t *lines = NULL;
	struct bk_prog *prog;
	size_t n = 0;
	int err;

	err = bk__obj_opts_check(opts, BK_OPTS_KNOWN(bk_prog_opts, bk_prog_opts__last_field));
	if (err)
		return bk__err_ptr(err);
	if (!text)
		return bk__err_ptr(-EINVAL);
	diag = BK_OBJ_OPT(bk_prog_opts, opts, diag, NULL);
	file = BK_OBJ_OPT(bk_prog_opts, opts, file, NULL);
	if (!file)
		file = "<input>";
	err = bk_asm(text, len,
		     BK_OPTS(bk_asm_opts, .dialect = BK_OBJ_OPT(bk_prog_opts, opts, dialect, 0),
			     .file = file, .map_fd = resolve_map, .map_ctx = (void *)opts,
			     .lines = &lines),
		     &insns, &n, diag);
	if (err)
		return bk__err_ptr(err);
	prog = bk_prog_load(type, insns, n, opts);
	err = prog ? 0 : -errno;
	if (!prog)
		locate(diag, file, text, len, lines, n);
	free(insns);
	free(lines);
	return prog ? prog : bk__err_ptr(err);
}
