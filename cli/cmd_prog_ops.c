// SPDX-License-Identifier: MIT
/*
 * bpftool's program verbs: `prog load FILE PATH [type TYPE] [name NAME]`
 * (assembler text or raw bytecode; ELF objects in cmd_prog_elf.c),
 * `prog pin PROG PATH`, `prog run PROG [data_in FILE [data_out FILE
 * [data_size_out L]]] [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat
 * N]` and `prog tracelog` (the kernel's trace_pipe until Ctrl-C).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/sys.h>

#include "cli.h"
#include "json.h"
#include "load.h"
#include "objref.h"
#include "ops.h"

/* `map name NAME MAP` at argv: the map's fd kept for map[NAME]; *used args. */
static int load_map_arg(struct bk_cli *cli, const char *usage, int argc, char **argv,
			struct bk_cli_maps *maps, int *used)
{
	int fd, n, st;

	if (argc < 4 || strcmp(argv[1], "name") != 0)
		return bk_cli_usage_why(cli, usage, "map: give it as map name NAME MAP");
	if (maps->n == BK_CLI_MAX_MAPS)
		return bk_cli_usage_why(cli, usage, "map: at most %d maps", BK_CLI_MAX_MAPS);
	st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc - 3, argv + 3, &fd, &n);
	if (st)
		return st;
	maps->names[maps->n] = argv[2];
	maps->fds[maps->n++] = fd;
	*used = 3 + n;
	return 0;
}

struct load_args {
	const char *type_name, *name, *pinmaps;
	enum bk_dialect dialect;
	bool elf;
	struct bk_cli_maps maps;
};

static int load_args(struct bk_cli *cli, const char *usage, int argc, char **argv,
		     struct load_args *a)
{
	for (int i = 2; i < argc;) {
		int used = 2, st = 0;

		if (!strcmp(argv[i], "map"))
			st = load_map_arg(cli, usage, argc - i, argv + i, &a->maps, &used);
		else if (i + 1 >= argc)
			return bk_cli_usage_why(cli, usage, "%s: missing its value", argv[i]), 2;
		else if (!strcmp(argv[i], "type"))
			a->type_name = argv[i + 1];
		else if (!strcmp(argv[i], "name") && !a->elf)
			a->name = argv[i + 1];
		else if (!strcmp(argv[i], "pinmaps") && a->elf)
			a->pinmaps = argv[i + 1];
		else if (!strcmp(argv[i], "dialect") && !strcmp(argv[i + 1], "conformance"))
			a->dialect = BK_DIALECT_CONFORMANCE;
		else if (!strcmp(argv[i], "dialect") && !strcmp(argv[i + 1], "llvm"))
			a->dialect = BK_DIALECT_LLVM;
		else
			return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[i]), 2;
		if (st)
			return st;
		i += used;
	}
	if (a->name && strlen(a->name) > 15)
		return bk_cli_usage_why(cli, usage, "name: '%s' is longer than 15 characters",
					a->name), 2;
	if (!a->type_name && !a->elf)
		return bk_cli_usage_why(cli, usage,
					"prog load: give the program's type (type xdp, type "
					"socket_filter, ...): text and raw bytecode do not carry it"), 2;
	return 0;
}

int bk_cli_prog_load(struct bk_cli *cli, bool all, int argc, char **argv, const char *usage)
{
	struct load_args a = { .dialect = BK_DIALECT_AUTO };
	int type = -1, fd = -1, st;

	if (argc < 2)
		return bk_cli_usage_why(cli, usage, "prog load needs FILE and PATH");
	a.elf = bk_cli_is_elf_file(argv[0]);
	if (all && !a.elf)
		return bk_cli_usage_why(cli, usage, "prog loadall takes an ELF object");
	st = load_args(cli, usage, argc, argv, &a);
	if (!st && a.type_name && (type = bk_cli_prog_type_arg(cli, usage, a.type_name)) < 0)
		st = 2;
	if (!st && a.elf)
		st = bk_cli_prog_load_elf(cli, argv[0], argv[1], all, type, &a.maps, a.pinmaps);
	else if (!st && (fd = bk_cli_load_file(cli, argv[0], type, a.dialect, a.name, &a.maps)) < 0)
		st = 1;
	else if (!st)
		st = bk_cli_pin_explain(cli, fd, argv[1]);
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < a.maps.n; i++)
		close(a.maps.fds[i]);
	if (!st)
		bk_cli_json_null(cli);
	return st;
}

int bk_cli_prog_pin(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	int fd, used, st;

	st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used + 1 != argc) {
		close(fd);
		return bk_cli_usage_why(cli, usage, "prog pin needs PROG and PATH");
	}
	st = bk_cli_pin_explain(cli, fd, argv[used]);
	close(fd);
	if (!st)
		bk_cli_json_null(cli);
	return st;
}

/* ---- run ----------------------------------------------------------------------- */

struct run_io {
	const char *data_in, *data_out, *ctx_in, *ctx_out;
	uint64_t data_size_out, ctx_size_out, repeat;
};

static int run_args(struct bk_cli *cli, const char *usage, int argc, char **argv, struct run_io *io)
{
	static const char *const sizes[] = { "data_size_out", "ctx_size_out", "repeat" };

	for (int i = 0; i < argc; i += 2) {
		const char *kw = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *num[] = { &io->data_size_out, &io->ctx_size_out, &io->repeat };
		bool done = false;

		if (!v)
			return bk_cli_usage_why(cli, usage, "%s: missing its value", kw);
		for (int k = 0; k < 3 && !done; k++)
			if (!strcmp(kw, sizes[k])) {
				if (bk_cli_parse_num(cli, kw, v, k < 2 ? 1 : 0,
						     k < 2 ? (1u << 30) : UINT32_MAX, num[k]))
					return 2;
				done = true;
			}
		if (done)
			continue;
		if (!strcmp(kw, "data_in"))
			io->data_in = v;
		else if (!strcmp(kw, "data_out"))
			io->data_out = v;
		else if (!strcmp(kw, "ctx_in"))
			io->ctx_in = v;
		else if (!strcmp(kw, "ctx_out"))
			io->ctx_out = v;
		else
			return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", kw);
	}
	return 0;
}

/* bpftool's dump of run output: offset, 16 bytes in pairs, then the text. */
static void hexdump(FILE *f, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i += 16) {
		uint32_t j;

		fprintf(f, "%07x\t", i);
		for (j = i; j < i + 16 && j < n; j++)
			fprintf(f, "%02x%s", p[j], j % 2 ? " " : "");
		for (; j < i + 16; j++)
			fputs(j % 2 ? "   " : "  ", f);
		fputs("| ", f);
		for (j = i; j < i + 16 && j < n; j++)
			fprintf(f, "%c%s", p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.',
				j - i == 7 ? " " : "");
		fputc('\n', f);
	}
}

/* data_out/ctx_out: "-" prints the bytes (hex dump, or a JSON array of
 * numbers, as bpftool), else writes the file. */
static int write_out(struct bk_cli *cli, struct bk_json *j, const char *key, const char *path,
		     const uint8_t *p, uint32_t n)
{
	FILE *f;

	if (!path)
		return 0;
	if (!strcmp(path, "-")) {
		if (cli->json) {
			bk_json_key(j, key);
			bk_json_array_begin(j);
			for (uint32_t i = 0; i < n; i++)
				bk_json_uint(j, p[i]);
			bk_json_array_end(j);
		} else {
			hexdump(cli->out, p, n);
		}
		return 0;
	}
	f = bk_cli_open_out(cli, path, true);
	if (!f)
		return 1;
	fwrite(p, 1, n, f);
	return bk_cli_close_out(cli, f, path);
}

static int run_report(struct bk_cli *cli, const struct run_io *io, struct bk_test_run_opts *o)
{
	struct bk_json j;
	int st;

	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_object_begin(&j);
	st = write_out(cli, &j, "data_out", io->data_out, o->data_out, o->data_size_out);
	if (!st)
		st = write_out(cli, &j, "ctx_out", io->ctx_out, o->ctx_out, o->ctx_size_out);
	if (cli->json) {
		bk_json_kv_uint(&j, "retval", o->retval);
		bk_json_kv_uint(&j, "duration", o->duration);
		bk_json_object_end(&j);
		bk_json_end(&j);
	} else if (!st) {
		fprintf(cli->out, "Return value: %u, duration%s: %uns\n", o->retval,
			io->repeat > 1 ? " (average)" : "", o->duration);
	}
	return st;
}

int bk_cli_prog_run(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct run_io io = { .data_size_out = 64 * 1024, .ctx_size_out = 4096, .repeat = 1 };
	struct bk_test_run_opts o = { .sz = sizeof(o) };
	char *din = NULL, *cin = NULL;
	size_t dlen = 0, clen = 0;
	int fd, used, st, err;

	st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc, argv, &fd, &used);
	if (st)
		return st;
	st = run_args(cli, usage, argc - used, argv + used, &io);
	if (!st && io.data_in && !(din = bk_cli_read_file(cli, io.data_in, &dlen)))
		st = 1;
	if (!st && io.ctx_in && !(cin = bk_cli_read_file(cli, io.ctx_in, &clen)))
		st = 1;
	if (!st && io.data_out && !(o.data_out = malloc(io.data_size_out)))
		st = bk_cli_fail(cli, "out of memory");
	if (!st && io.ctx_out && !(o.ctx_out = malloc(io.ctx_size_out)))
		st = bk_cli_fail(cli, "out of memory");
	if (st)
		goto out;
	o.data_in = din;
	o.data_size_in = (uint32_t)dlen;
	o.ctx_in = cin;
	o.ctx_size_in = (uint32_t)clen;
	o.data_size_out = o.data_out ? (uint32_t)io.data_size_out : 0;
	o.ctx_size_out = o.ctx_out ? (uint32_t)io.ctx_size_out : 0;
	o.repeat = (uint32_t)io.repeat;
	err = bk_sys_prog_test_run(fd, &o);
	if (err == -ENOSPC)
		st = bk_cli_fail(cli, "prog run: the output is larger than data_size_out %llu or "
				      "ctx_size_out %llu", (unsigned long long)io.data_size_out,
				 (unsigned long long)io.ctx_size_out);
	else if (err)
		st = bk_cli_fail(cli, "prog run: %s", bk_strerror(BK_CMD_PROG_TEST_RUN, err));
	else
		st = run_report(cli, &io, &o);
out:
	free(din);
	free(cin);
	free(o.data_out);
	free(o.ctx_out);
	close(fd);
	return st;
}

/* ---- tracelog ------------------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int bk_cli_prog_tracelog(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	static const char *const pipes[] = { "/sys/kernel/tracing/trace_pipe",
					     "/sys/kernel/debug/tracing/trace_pipe" };
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[4096];
	int fd = -1;
	ssize_t n;

	(void)argv;
	if (argc)
		return bk_cli_usage_why(cli, usage, "prog tracelog takes no arguments");
	if (cli->json)
		return bk_cli_no_json(cli, "prog tracelog (it copies the kernel's trace_pipe)");
	for (size_t i = 0; i < 2 && fd < 0; i++)
		fd = open(pipes[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bk_cli_fail(cli, "cannot open trace_pipe: %s (is tracefs mounted? 'mount -t "
				   "tracefs tracefs /sys/kernel/tracing')", strerror(errno));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return bk_cli_fail(cli, "reading trace_pipe: %s", strerror(errno));
		}
		if (fwrite(buf, 1, (size_t)n, cli->out) != (size_t)n || fflush(cli->out))
			break; /* main reports the write error */
	}
	close(fd);
	return 0;
}
