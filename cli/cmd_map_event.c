// SPDX-License-Identifier: MIT
/*
 * `bpfkit map event MAP [count N]` (also spelled `event_pipe`): print the
 * records of a ring buffer or perf event array as they arrive, until Ctrl-C
 * (or N records). Plain: a header line per record, then its bytes in hex;
 * -j: one JSON object per line, {"index": N, "size": N, "data": [...]} with
 * "cpu" for perf buffers, and {"lost": N, "cpu": C} when the kernel dropped
 * samples.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/map.h>
#include <bpfkit/perfbuf.h>
#include <bpfkit/ringbuf.h>

#include "cli.h"
#include "json.h"
#include "objref.h"
#include "ops.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct event_ctx {
	struct bk_cli *cli;
	uint64_t seen, limit; /* limit 0: until interrupted */
};

static int record(struct event_ctx *e, int cpu, const void *data, size_t size)
{
	struct bk_cli *cli = e->cli;
	struct bk_json j;

	if (cli->json) {
		bk_json_init(&j, cli->out, false);
		bk_json_object_begin(&j);
		bk_json_kv_uint(&j, "index", e->seen);
		if (cpu >= 0)
			bk_json_kv_int(&j, "cpu", cpu);
		bk_json_kv_uint(&j, "size", size);
		bk_json_key(&j, "data");
		bk_cli_json_hex(&j, data, size);
		bk_json_object_end(&j);
		bk_json_end(&j);
	} else {
		if (cpu >= 0)
			fprintf(cli->out, "== record %llu  cpu %d  %zu bytes\n",
				(unsigned long long)e->seen, cpu, size);
		else
			fprintf(cli->out, "== record %llu  %zu bytes\n",
				(unsigned long long)e->seen, size);
		bk_cli_text_hex(cli->out, data, size);
		fputc('\n', cli->out);
	}
	/* A reader watches records as they come: no stdio buffering between. */
	if (fflush(cli->out) != 0)
		return -errno;
	e->seen++;
	return e->limit && e->seen >= e->limit ? -ECANCELED : 0;
}

static int on_ring(void *ctx, const void *data, size_t size)
{
	return record(ctx, -1, data, size);
}

static int on_perf(void *ctx, int cpu, const void *data, size_t size)
{
	return record(ctx, cpu, data, size);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct event_ctx *e = ctx;

	if (e->cli->json)
		fprintf(e->cli->out, "{\"lost\":%llu,\"cpu\":%d}\n", (unsigned long long)lost, cpu);
	else
		fprintf(e->cli->out, "== lost %llu samples on cpu %d\n", (unsigned long long)lost,
			cpu);
}

static int poll_loop(struct bk_ringbuf *rb, struct bk_perfbuf *pb)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int r = 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		r = rb ? bk_ringbuf_poll(rb, 200) : bk_perfbuf_poll(pb, 200);
		if (r < 0)
			break;
	}
	return r == -ECANCELED || r >= 0 ? 0 : r;
}

int bk_cli_map_event(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct event_ctx e = { .cli = cli };
	struct bk_ringbuf *rb = NULL;
	struct bk_perfbuf *pb = NULL;
	struct bk_info_map info;
	int fd, used, st, err = 0;

	st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used + 2 == argc && !strcmp(argv[used], "count"))
		st = bk_cli_parse_num(cli, "count", argv[used + 1], 1, UINT64_MAX, &e.limit);
	else if (used != argc)
		st = bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	if (!st && (err = bk_info_map(fd, &info)))
		st = bk_cli_fail(cli, "map info: %s", strerror(-err));
	if (st)
		goto out;
	if (info.type == BK_MAP_TYPE_RINGBUF) {
		rb = bk_ringbuf_new(NULL);
		err = rb ? bk_ringbuf_add(rb, fd, on_ring, &e) : -errno;
	} else if (info.type == BK_MAP_TYPE_PERF_EVENT_ARRAY) {
		pb = bk_perfbuf_new(fd, on_perf, &e,
				    BK_OPTS(bk_perfbuf_opts, .lost_fn = on_lost));
		err = pb ? 0 : -errno;
	} else {
		st = bk_cli_fail(cli, "map event: map %u is neither a ring buffer nor a perf event "
				      "array", info.id);
		goto out;
	}
	if (err < 0) {
		st = bk_cli_fail(cli, "map event: %s", strerror(-err));
		goto out;
	}
	err = poll_loop(rb, pb);
	if (err)
		st = bk_cli_fail(cli, "map event: %s", strerror(-err));
out:
	bk_ringbuf_free(rb);
	bk_perfbuf_free(pb);
	close(fd);
	return st;
}
