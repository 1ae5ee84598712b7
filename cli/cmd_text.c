// SPDX-License-Identifier: MIT
/*
 * `bpfkit asm [-d llvm|conformance] [--section NAME] FILE [-o OUT]`: text (also
 * clang -S output, one code section of it) to raw little-endian
 * bytecode. `bpfkit disasm [-d DIALECT] [--plain] [--labels] [--helpers]
 * FILE`: raw bytecode to text, "index: instruction" lines like bpftool, or
 * exactly one instruction per line with --plain. FILE "-" is standard input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpfkit/asm.h>
#include <bpfkit/disasm.h>

#include "cli.h"
#include "json.h"

/* Inputs past this are refused rather than read until memory runs out
 * (`asm /dev/urandom`): 64 MiB is twice the text of the largest program
 * the kernel loads (1M instructions). */
#define MAX_INPUT ((size_t)64 << 20)

static char *slurp(struct bk_cli *cli, const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rbe") : stdin;
	size_t cap = 1 << 16, n = 0, got;
	struct stat st;
	char *buf;
	int err = 0;

	/* a regular file's size known: one buffer, one read (growing the
	 * buffer copied and faulted it again at each doubling) */
	if (f && !fstat(fileno(f), &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size < MAX_INPUT)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap + 1);

	if (!f || !buf) {
		err = errno;
		free(buf);
		if (f && f != stdin)
			fclose(f);
		bk_cli_fail(cli, "cannot read %s: %s", path, strerror(err));
		return NULL;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = cap < MAX_INPUT ? realloc(buf, cap * 2 + 1) : NULL;

			if (!nb) {
				err = cap < MAX_INPUT ? ENOMEM : EFBIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	if (f != stdin)
		fclose(f);
	if (err == EFBIG)
		bk_cli_fail(cli, "cannot read %s: larger than %zu MiB", path, MAX_INPUT >> 20);
	else if (err)
		bk_cli_fail(cli, "cannot read %s: %s", path, strerror(err));
	if (err) {
		free(buf);
		return NULL;
	}
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
	static const char usage[] = "asm [-d llvm|conformance] [--section NAME] FILE [-o OUT]\n"
				    "  FILE and OUT may be '-' (standard input, standard output)";
	enum bk_dialect dia = BK_DIALECT_AUTO;
	const char *in = NULL, *outp = "-", *section = NULL;
	struct bk_insn *insns;
	struct bk_diag d;
	size_t len, n;
	char *text, where[300];
	FILE *out;
	int err;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (cli->json)
		return bk_cli_no_json(cli, "asm (it writes raw bytecode)");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!parse_dialect(argv[++i], &dia))
				return bk_cli_usage_why(cli, usage, "unknown dialect '%s'", argv[i]);
		} else if (!strcmp(argv[i], "--section") && i + 1 < argc) {
			section = argv[++i]; /* a code section of clang -S output */
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			outp = argv[++i];
		} else if (!in && (argv[i][0] != '-' || !argv[i][1])) {
			in = argv[i];
		} else {
			return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!in)
		return bk_cli_usage_why(cli, usage, "no input FILE");
	text = slurp(cli, in, &len);
	if (!text)
		return 1;
	err = bk_asm(text, len, BK_OPTS(bk_asm_opts, .dialect = dia, .file = in, .section = section),
		     &insns, &n, &d);
	free(text);
	if (err)
		return bk_cli_report(cli, bk_diag_format(&d, where, sizeof(where)));
	out = bk_cli_open_out(cli, outp, true);
	if (!out) {
		free(insns);
		return 1;
	}
	/* struct bk_insn is the kernel's little-endian encoding on this host. */
	fwrite(insns, sizeof(*insns), n, out);
	free(insns);
	return bk_cli_close_out(cli, out, outp);
}

static void to_file(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

/* -j: [{"index": 0, "disasm": "r0 = 1"}, ...], one entry per instruction. */
static int disasm_json(struct bk_cli *cli, const struct bk_insn *insns, size_t n,
		       const struct bk_disasm_opts *o)
{
	struct bk_json j;
	int bad = 0;

	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_array_begin(&j);
	for (size_t i = 0; i < n;) {
		char text[256];
		int w = bk_disasm_one(insns, n, i, o, text, sizeof(text));

		bk_json_object_begin(&j);
		bk_json_kv_uint(&j, "index", i);
		bk_json_kv_string(&j, "disasm", text);
		bk_json_object_end(&j);
		bad |= w < 0;
		i += w > 0 ? (size_t)w : 1;
	}
	bk_json_array_end(&j);
	bk_json_end(&j);
	return bad ? -EINVAL : 0;
}

int bk_cmd_disasm(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"disasm [-d llvm|conformance] [--plain] [--labels] [--helpers] FILE\n"
		"  FILE '-' is standard input; -j prints [{\"index\": N, \"disasm\": TEXT}, ...]";
	struct bk_disasm_opts o = { .sz = sizeof(o), .dialect = BK_DIALECT_LLVM, .index = true };
	const char *in = NULL;
	size_t len;
	char *raw;
	int err;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!parse_dialect(argv[++i], &o.dialect))
				return bk_cli_usage_why(cli, usage, "unknown dialect '%s'", argv[i]);
		} else if (!strcmp(argv[i], "--plain")) {
			o.index = false;
		} else if (!strcmp(argv[i], "--labels")) {
			o.labels = true;
		} else if (!strcmp(argv[i], "--helpers")) {
			o.helper_names = true;
		} else if (!in && (argv[i][0] != '-' || !argv[i][1])) {
			in = argv[i];
		} else {
			return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!in)
		return bk_cli_usage_why(cli, usage, "no input FILE");
	if (cli->json && o.labels)
		return bk_cli_usage_why(cli, usage, "--labels has no JSON form");
	raw = slurp(cli, in, &len);
	if (!raw)
		return 1;
	if (len % 8) {
		free(raw);
		return bk_cli_fail(cli, "%s: %zu bytes is not a whole number of 8-byte instructions",
				   in, len);
	}
	if (cli->json)
		err = disasm_json(cli, (const struct bk_insn *)raw, len / 8, &o);
	else
		err = bk_disasm((const struct bk_insn *)raw, len / 8, &o, to_file, cli->out);
	free(raw);
	if (err)
		return bk_cli_fail(cli, "%s: some slots are no valid instruction (printed as .8byte "
					"data, which assembles back to the same bytes)", in);
	return 0;
}
