// SPDX-License-Identifier: MIT
/*
 * `bpfkit asm [-d llvm|conformance] [--section NAME] FILE [-o OUT]`: text
 * (also clang -S output, one code section of it) to raw little-endian
 * bytecode. `bpfkit disasm [-d DIALECT] [--plain] [--labels] [--helpers]
 * FILE`: raw bytecode to text, "index: instruction" lines like bpftool, or
 * exactly one instruction per line with --plain. FILE "-" is standard input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/asm.h>
#include <bpfkit/disasm.h>

#include "cli.h"

/* Input beyond this is refused, not read without bound (`asm /dev/urandom`). */
#define BK_TEXT_INPUT_MAX ((size_t)64 << 20)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1);

	if (!f || !buf) {
		free(buf);
		if (f && f != stdin)
			fclose(f);
		return NULL;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n > BK_TEXT_INPUT_MAX) {
			free(buf);
			buf = NULL;
			errno = EFBIG;
			break;
		}
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static bool parse_dialect(const char *s, enum bk_dialect *d)
{
	if (!strcmp(s, "llvm"))
		*d = BK_DIALECT_LLVM;
	else if (!strcmp(s, "conformance") || !strcmp(s, "conf"))
		*d = BK_DIALECT_CONFORMANCE;
	else
		return false;
	return true;
}

int bk_cmd_asm(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "asm [-d llvm|conformance] [--section NAME] FILE [-o OUT]";
	enum bk_dialect dia = BK_DIALECT_AUTO;
	const char *in = NULL, *outp = NULL, *section = NULL;
	struct bk_insn *insns;
	struct bk_diag d;
	size_t len, n;
	char *text, where[300];
	FILE *out;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!parse_dialect(argv[++i], &dia))
				return bk_cli_usage(cli, usage);
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			outp = argv[++i];
		} else if (!strcmp(argv[i], "--section") && i + 1 < argc) {
			section = argv[++i]; /* a code section of clang -S output */
		} else if (!in) {
			in = argv[i];
		} else {
			return bk_cli_usage(cli, usage);
		}
	}
	if (!in)
		return bk_cli_usage(cli, usage);
	text = slurp(in, &len);
	if (!text)
		return bk_cli_fail(cli, "cannot read %s: %s", in,
				   errno == EFBIG ? "larger than 64 MiB" : strerror(errno));
	err = bk_asm(text, len, BK_OPTS(bk_asm_opts, .dialect = dia, .file = in, .section = section),
		     &insns, &n, &d);
	free(text);
	if (err) {
		fprintf(cli->err, "%s\n", bk_diag_format(&d, where, sizeof(where)));
		return 1;
	}
	out = outp ? fopen(outp, "wb") : cli->out;
	if (!out) {
		free(insns);
		return bk_cli_fail(cli, "cannot write %s: %s", outp, strerror(errno));
	}
	/* struct bk_insn is the kernel's little-endian encoding on this host. */
	fwrite(insns, sizeof(*insns), n, out);
	if (outp)
		fclose(out);
	free(insns);
	return 0;
}

static void to_file(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

int bk_cmd_disasm(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"disasm [-d llvm|conformance] [--plain] [--labels] [--helpers] FILE";
	struct bk_disasm_opts o = { .sz = sizeof(o), .dialect = BK_DIALECT_LLVM, .index = true };
	const char *in = NULL;
	size_t len;
	char *raw;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!parse_dialect(argv[++i], &o.dialect))
				return bk_cli_usage(cli, usage);
		} else if (!strcmp(argv[i], "--plain")) {
			o.index = false;
		} else if (!strcmp(argv[i], "--labels")) {
			o.labels = true;
		} else if (!strcmp(argv[i], "--helpers")) {
			o.helper_names = true;
		} else if (!in) {
			in = argv[i];
		} else {
			return bk_cli_usage(cli, usage);
		}
	}
	if (!in)
		return bk_cli_usage(cli, usage);
	raw = slurp(in, &len);
	if (!raw)
		return bk_cli_fail(cli, "cannot read %s: %s", in,
				   errno == EFBIG ? "larger than 64 MiB" : strerror(errno));
	if (len % 8) {
		free(raw);
		return bk_cli_fail(cli, "%s: %zu bytes is not a whole number of 8-byte instructions",
				   in, len);
	}
	err = bk_disasm((const struct bk_insn *)raw, len / 8, &o, to_file, cli->out);
	free(raw);
	if (err)
		return bk_cli_fail(cli, "%s: some slots are no valid instruction (printed as .8byte "
					"data, which assembles back to the same bytes)", in);
	return 0;
}
