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
#include "cmd_vm.h"

struct run_args {
	const char *file, *data, *type;
	unsigned repeat;
	enum bk_dialect dialect;
};

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
			*len = (size_t)size;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static bool is_raw(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".bin");
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

static int parse(int argc, char **argv, struct run_args *a)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--type") && i + 1 < argc)
			a->type = argv[++i];
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			a->data = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			a->repeat = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			a->dialect = !strcmp(argv[++i], "conformance") ? BK_DIALECT_CONFORMANCE
								       : BK_DIALECT_LLVM;
		else if (!a->file)
			a->file = argv[i];
		else
			return -1;
	}
	return a->file ? 0 : -1;
}

static int load_program(struct bk_cli *cli, const struct run_args *a, int type)
{
	struct bk_insn *insns = NULL;
	uint32_t *lines = NULL;
	size_t len, n;
	struct bk_diag d;
	struct bk_vlog log = { .level = BK_VLOG_LEVEL1 };
	char *text = read_all(a->file, &len), where[300];
	int fd;

	if (!text)
		return bk_cli_fail(cli, "cannot read %s: %s", a->file, strerror(errno)), -1;
	if (is_raw(a->file)) {
		n = len / 8;
		insns = (struct bk_insn *)text;
		text = NULL;
	} else if (bk_asm(text, len,
			  BK_OPTS(bk_asm_opts, .dialect = a->dialect, .file = a->file,
				  .lines = &lines),
			  &insns, &n, &d)) {
		fprintf(cli->err, "%s\n", bk_diag_format(&d, where, sizeof(where)));
		free(text);
		return -1;
	}
	free(text);
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = (uint32_t)type,
				      .insns = insns, .insn_cnt = n, .prog_name = "bpfkit_run",
				      .vlog = &log));
	if (fd < 0) {
		fprintf(cli->err, "bpfkit: %s: %s (%s)\n", a->file, bk_strerror(BK_CMD_PROG_LOAD, fd),
			bk_errname(fd));
		annotate_log(cli, log.text ? log.text : "", a->file, lines, n);
		summarize(cli, &log, a->file, lines, n);
	}
	bk_vlog_free(&log);
	free(lines);
	free(insns);
	return fd;
}

int bk_cmd_run(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"run FILE [--type xdp|socket_filter|sched_cls|...] [--data FILE] [--repeat N]";
	struct run_args a = { .type = "xdp", .repeat = 1 };
	uint8_t pkt[64] = { 0 };
	struct bk_test_run_opts run = { .sz = sizeof(run) };
	char *data = NULL;
	size_t dlen = sizeof(pkt);
	int type, fd, err;

	if (bk_cli_want_vm(argc, argv))
		return bk_cmd_run_vm(cli, argc, argv);
	if (bk_cli_is_object(argc, argv)) /* an ELF object: cmd_object.c runs one of its programs */
		return bk_cmd_run_object(cli, argc, argv);
	if (parse(argc, argv, &a))
		return bk_cli_usage(cli, usage);
	type = bk_prog_type_by_name(a.type);
	if (type < 0)
		return bk_cli_fail(cli, "unknown program type '%s'", a.type);
	if (a.data && !(data = read_all(a.data, &dlen)))
		return bk_cli_fail(cli, "cannot read %s: %s", a.data, strerror(errno));
	fd = load_program(cli, &a, type);
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
	fprintf(cli->out, "r0 = %u (0x%x)\nduration = %u ns/run over %u run(s)\n", run.retval,
		run.retval, run.duration, a.repeat ? a.repeat : 1);
	return 0;
}
