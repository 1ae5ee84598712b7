// SPDX-License-Identifier: MIT
/*
 * `bpfkit run FILE [--type TYPE] [--data FILE] [--repeat N] [-d DIALECT]`:
 * assemble FILE (or read it as raw bytecode when it ends in .bin/.o-less raw),
 * load it, BPF_PROG_TEST_RUN it, print r0 and the duration. On rejection,
 * print the verifier's log with each complaint pointed back to its source
 * line ("prog.s:3: r0 = *(u64 *)(r3 + 0)").
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/asm.h>
#include <bpfkit/names.h>
#include <bpfkit/sys.h>

#include "cli.h"
#include "json.h"
#include "load.h"
#include "cmd_vm.h"

struct run_args {
	const char *file, *data, *type;
	unsigned repeat;
	enum bk_dialect dialect;
};

/* A whole file ("-" is standard input), up to 64 MiB. */
char *bk_cli_read_file(struct bk_cli *cli, const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rbe") : stdin;
	size_t cap = 4096, n = 0, got;
	char *buf = NULL, *nb;
	int err = 0;

	if (!f)
		return bk_cli_fail(cli, "cannot read %s: %s", path, strerror(errno)), NULL;
	for (;;) {
		if (!(nb = cap <= ((size_t)64 << 20) ? realloc(buf, cap + 1) : NULL)) {
			err = buf ? EFBIG : ENOMEM;
			break;
		}
		buf = nb;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(buf);
		return bk_cli_fail(cli, "cannot read %s: %s", path, strerror(err)), NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Echo the verifier log; a line "N: (..) insn" gains the source line of N. */
static void annotate_log(struct bk_cli *cli, const char *log, const char *file,
			 const uint32_t *lines, size_t n)
{
	const char *p = log;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *end;
		unsigned long idx = strtoul(p, &end, 10);

		if (lines && end != p && *end == ':' && end[1] == ' ' && end[2] == '(' && idx < n)
			fprintf(cli->err, "%s:%u: %.*s\n", file, lines[idx], (int)len, p);
		else
			fprintf(cli->err, "%.*s\n", (int)len, p);
		p += len + (nl ? 1 : 0);
	}
}

/* The complaint once more, last, where a reader looks first: file:line. */
static void summarize(struct bk_cli *cli, const struct bk_vlog *log, const char *file,
		      const uint32_t *lines, size_t n)
{
	struct bk_vlog_verdict v;

	if (!log->text || bk_vlog_verdict(log->text, log->len, &v) != 0)
		return;
	if (lines && v.insn >= 0 && (size_t)v.insn < n)
		fprintf(cli->err, "%s:%u: verifier: %.*s\n", file, lines[v.insn], (int)v.msg_len,
			v.msg);
	else if (v.insn >= 0)
		fprintf(cli->err, "%s: insn %d: verifier: %.*s\n", file, (int)v.insn,
			(int)v.msg_len, v.msg);
}

static int parse(struct bk_cli *cli, const char *usage, int argc, char **argv,
		 struct run_args *a)
{
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--type") && i + 1 < argc) {
			a->type = argv[++i];
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			a->data = argv[++i];
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			if (bk_cli_parse_num(cli, "--repeat", argv[++i], 1, UINT32_MAX, &v))
				return 2;
			a->repeat = (unsigned)v;
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!strcmp(argv[++i], "conformance") || !strcmp(argv[i], "conf"))
				a->dialect = BK_DIALECT_CONFORMANCE;
			else if (!strcmp(argv[i], "llvm"))
				a->dialect = BK_DIALECT_LLVM;
			else
				return bk_cli_usage_why(cli, usage, "unknown dialect '%s'", argv[i]), 2;
		} else if (!a->file && (argv[i][0] != '-' || !argv[i][1])) {
			a->file = argv[i];
		} else {
			return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[i]), 2;
		}
	}
	if (!a->file) {
		bk_cli_usage_why(cli, usage, "no program FILE");
		return 2;
	}
	return 0;
}

static bool is_raw(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".bin");
}

static bool is_elf(const char *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "\177ELF", 4);
}

/* map[NAME] in the text: the map given as `map name NAME MAP`. */
static int resolve_map(void *ctx, const char *name)
{
	const struct bk_cli_maps *m = ctx;

	for (int i = 0; m && i < m->n; i++)
		if (!strcmp(m->names[i], name))
			return m->fds[i];
	return -ENOENT;
}

int bk_cli_load_file(struct bk_cli *cli, const char *file, int type, enum bk_dialect dialect,
		     const char *name, const struct bk_cli_maps *maps)
{
	struct bk_insn *insns = NULL;
	uint32_t *lines = NULL;
	size_t len, n;
	struct bk_diag d;
	struct bk_vlog log = { .level = BK_VLOG_LEVEL1 };
	char *text = bk_cli_read_file(cli, file, &len), where[300];
	int fd;

	if (!text)
		return -1;
	if (is_elf(text, len)) {
		free(text);
		/* Objects have their own paths: `prog load`/`loadall` and `run FILE.o --prog`. */
		return bk_cli_fail(cli, "%s: an ELF object is read by 'bpfkit prog load', 'bpfkit "
					"object' or 'bpfkit run FILE.o --prog NAME'", file), -1;
	}
	if (is_raw(file)) {
		if (len % 8 || !len) {
			free(text);
			return bk_cli_fail(cli, "%s: %zu bytes is not a whole number of 8-byte "
						"instructions", file, len), -1;
		}
		n = len / 8;
		insns = (struct bk_insn *)text;
		text = NULL;
	} else if (bk_asm(text, len,
			  BK_OPTS(bk_asm_opts, .dialect = dialect, .file = file, .lines = &lines,
				  .map_fd = resolve_map, .map_ctx = (void *)maps),
			  &insns, &n, &d)) {
		bk_cli_report(cli, bk_diag_format(&d, where, sizeof(where)));
		free(text);
		return -1;
	}
	free(text);
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = (uint32_t)type,
				      .insns = insns, .insn_cnt = n, .prog_name = name,
				      .vlog = &log));
	if (fd < 0) {
		bk_cli_fail(cli, "%s: %s (%s)", file, bk_strerror(BK_CMD_PROG_LOAD, fd),
			    bk_errname(fd));
		annotate_log(cli, log.text ? log.text : "", file, lines, n);
		summarize(cli, &log, file, lines, n);
	}
	bk_vlog_free(&log);
	free(lines);
	free(insns);
	return fd;
}

int bk_cli_prog_type_arg(struct bk_cli *cli, const char *usage, const char *name)
{
	int type = bk_prog_type_by_name(name);

	if (type < 0)
		return bk_cli_usage_why(cli, usage, "unknown program type '%s'", name), -1;
	return type;
}

static void run_json(struct bk_cli *cli, const struct bk_test_run_opts *run)
{
	struct bk_json j;

	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_object_begin(&j);
	bk_json_kv_uint(&j, "retval", run->retval);
	bk_json_kv_uint(&j, "duration", run->duration);
	bk_json_kv_uint(&j, "repeat", run->repeat ? run->repeat : 1);
	bk_json_object_end(&j);
	bk_json_end(&j);
}

int bk_cmd_run(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"run FILE [--type xdp|socket_filter|sched_cls|...] [--data FILE] [--repeat N] "
		"[-d llvm|conformance]\n"
		"  FILE: assembler text, or raw bytecode when it ends in .bin; '-' is standard input\n"
		"  -j prints {\"retval\": N, \"duration\": NS, \"repeat\": N}";
	struct run_args a = { .type = "xdp", .repeat = 1 };
	uint8_t pkt[64] = { 0 };
	struct bk_test_run_opts run = { .sz = sizeof(run) };
	char *data = NULL;
	size_t dlen = sizeof(pkt);
	int type, fd, err, st;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (bk_cli_want_vm(argc, argv) && cli->json) /* the VM's report is text only */
		return bk_cli_no_json(cli, "run --vm");
	if (bk_cli_want_vm(argc, argv))
		return bk_cmd_run_vm(cli, argc, argv);
	if (bk_cli_is_object(argc, argv)) /* an ELF object: cmd_object.c runs one of its programs */
		return bk_cmd_run_object(cli, argc, argv);
	st = parse(cli, usage, argc, argv, &a);
	if (st)
		return st;
	type = bk_cli_prog_type_arg(cli, usage, a.type);
	if (type < 0)
		return 2;
	if (a.data && !(data = bk_cli_read_file(cli, a.data, &dlen)))
		return 1;
	fd = bk_cli_load_file(cli, a.file, type, a.dialect, "bpfkit_run", NULL);
	if (fd < 0) {
		free(data);
		return 1;
	}
	run.data_in = data ? (void *)data : pkt;
	run.data_size_in = (uint32_t)dlen;
	run.repeat = a.repeat;
	err = bk_sys_prog_test_run(fd, &run);
	close(fd);
	free(data);
	if (err)
		return bk_cli_fail(cli, "test run: %s", bk_strerror(BK_CMD_PROG_TEST_RUN, err));
	if (cli->json)
		run_json(cli, &run);
	else
		fprintf(cli->out, "r0 = %u (0x%x)\nduration = %u ns/run over %u run(s)\n",
			run.retval, run.retval, run.duration, a.repeat);
	return 0;
}
