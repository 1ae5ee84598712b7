// SPDX-License-Identifier: MIT
/*
 * Dumping a 1M-entry hash map: bpfkit's iterator (batch reads) against
 * libbpf's bpf_map_lookup_batch() loop, same kernel, same map, same run; and
 * the CLI against the CLI: `bpfkit map dump id N` against `bpftool map dump
 * id N`, whole processes writing the same text (the map has no BTF, so both
 * print the bytes in hex) to a regular file each, checked to be the same
 * size and to end with the same "Found N elements". Filling the map is measured too: bpfkit's chunked batch update
 * against libbpf's bpf_map_update_batch(). Each figure is the median of
 * several rounds; each round reads every entry and touches its key and value.
 * "ratio" is bpfkit's rate over the anchor's: above 1, bpfkit is faster.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/map.h>

#include "bench.h"

#define N (1u << 20)
#define ROUNDS 9
#define TOOL_ROUNDS 3
#define LIBBPF_CHUNK 4096u /* the iterator's default batch, for a like-for-like loop */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The checksum keeps the compiler from dropping the reads, and checks them. */
static uint64_t expected_sum(void)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < N; i++)
		s += i + (i * 3 + 1);
	return s;
}

static int dump_bpfkit(const struct bk_map *m, uint64_t *sum)
{
	struct bk_map_iter *it = bk_map_iter_new(m, NULL);
	const void *k, *v;
	uint64_t s = 0;
	int ret;

	if (!it)
		return -errno;
	while ((ret = bk_map_iter_next(it, &k, &v)) == 1) {
		uint32_t key;
		uint64_t val;

		memcpy(&key, k, sizeof(key));
		memcpy(&val, v, sizeof(val));
		s += key + val;
	}
	bk_map_iter_free(it);
	*sum = s;
	return ret;
}

static int dump_libbpf(int fd, uint32_t *keys, uint64_t *vals, uint64_t *sum)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t token = 0;
	uint64_t s = 0;
	bool first = true;

	for (;;) {
		uint32_t count = LIBBPF_CHUNK;
		int err = bpf_map_lookup_batch(fd, first ? NULL : &token, &token, keys, vals, &count,
					       &opts);

		if (err && errno != ENOENT)
			return -errno;
		for (uint32_t i = 0; i < count; i++)
			s += keys[i] + vals[i];
		if (err)
			break;
		first = false;
	}
	*sum = s;
	return 0;
}

/* The CLI the Makefile built (it exports BK_CLI), else the build tree's. */
static const char *bpfkit_cli(void)
{
	const char *p = getenv("BK_CLI");

	return p && *p ? p : "build/bpfkit";
}

/* Run "TOOL map dump id ID > out"; seconds, or a negative value on failure. */
static double dump_cli(const char *tool, uint32_t id, const char *out)
{
	char cmd[1024];
	double t0 = now_s();
	int st;

	snprintf(cmd, sizeof(cmd), "%s map dump id %u > %s", tool, id, out);
	st = system(cmd);
	if (st != 0) {
		fprintf(stderr, "bench_map_dump: `%s` failed (status %d)\n", cmd, st);
		return -1;
	}
	return now_s() - t0;
}

/* Size of the file, and whether its last line is "Found N elements". */
static long long checked_size(const char *path)
{
	char tail[64], want[64];
	struct stat st;
	FILE *f = fopen(path, "r");
	size_t got = 0;

	if (!f || fstat(fileno(f), &st) || st.st_size < 32 || fseek(f, -32, SEEK_END) ||
	    (got = fread(tail, 1, 32, f)) != 32) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	tail[got] = '\0';
	snprintf(want, sizeof(want), "Found %u elements\n", N);
	return strstr(tail, want) ? (long long)st.st_size : -1;
}

/* The CLIs in turn, alternating who goes first; medians in *bk and *tool. */
static int cli_rounds(uint32_t id, double *bk, double *tool)
{
	char a[] = "/tmp/bk-bench-dump-a.XXXXXX", b[] = "/tmp/bk-bench-dump-b.XXXXXX";
	double tb[TOOL_ROUNDS], tt[TOOL_ROUNDS];
	int fa = mkstemp(a), fb = mkstemp(b), ret = -1;

	if (fa < 0 || fb < 0)
		goto out;
	for (int r = 0; r < TOOL_ROUNDS; r++) {
		bool mine_first = r % 2 == 0;

		for (int i = 0; i < 2; i++) {
			bool mine = (i == 0) == mine_first;
			double t = dump_cli(mine ? bpfkit_cli() : "bpftool", id, mine ? a : b);

			if (t < 0)
				goto out;
			*(mine ? &tb[r] : &tt[r]) = t;
		}
	}
	long long sa = checked_size(a), sb = checked_size(b);

	if (sa < 0 || sa != sb) {
		fprintf(stderr, "bench_map_dump: the two dumps differ: %lld and %lld bytes\n", sa, sb);
		goto out;
	}
	*bk = bench_median(tb, TOOL_ROUNDS);
	*tool = bench_median(tt, TOOL_ROUNDS);
	ret = 0;
out:
	if (fa >= 0) {
		close(fa);
		unlink(a);
	}
	if (fb >= 0) {
		close(fb);
		unlink(b);
	}
	return ret;
}

static int fill(struct bk_map *m, uint32_t *keys, uint64_t *vals, double *bk_s, double *lb_s)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	double t0, t1, t2;
	uint32_t count = N;
	int err;

	t0 = now_s();
	err = bk_map_update_batch(m, keys, vals, &count, NULL);
	t1 = now_s();
	if (err || count != N)
		return err ? err : -EIO;
	count = N;
	err = bpf_map_update_batch(bk_map_fd(m), keys, vals, &count, &opts);
	t2 = now_s();
	if (err || count != N)
		return -EIO;
	*bk_s = t1 - t0;
	*lb_s = t2 - t1;
	return 0;
}

int main(void)
{
	uint32_t *keys = malloc(N * sizeof(*keys));
	uint64_t *vals = malloc(N * sizeof(*vals)), want = expected_sum(), sum = 0;
	double bk[ROUNDS], lb[ROUNDS], fbk[ROUNDS], flb[ROUNDS], cli_bk, cli_tool;
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_HASH, "bk_bench_dump", 4, 8, N, NULL);

	if (!m || !keys || !vals) {
		fprintf(stderr, "bench_map_dump: setup: %s\n", strerror(errno));
		bk_map_close(m);
		free(keys);
		free(vals);
		return 1;
	}
	for (uint32_t i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = (uint64_t)i * 3 + 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		if (fill(m, keys, vals, &fbk[r], &flb[r])) {
			fprintf(stderr, "bench_map_dump: fill failed\n");
			return 1;
		}
	}
	/* Alternate which goes first, so neither always runs on a warm cache. */
	for (int r = 0; r < 2 * ROUNDS; r++) {
		bool mine = (r & 1) == (r / 2 & 1);
		double t0 = now_s();
		int err = mine ? dump_bpfkit(m, &sum) : dump_libbpf(bk_map_fd(m), keys, vals, &sum);

		if (err || sum != want) {
			fprintf(stderr, "bench_map_dump: %s dump wrong\n", mine ? "bpfkit" : "libbpf");
			return 1;
		}
		*(mine ? &bk[r / 2] : &lb[r / 2]) = now_s() - t0;
	}
	if (cli_rounds(bk_map_id(m), &cli_bk, &cli_tool))
		return 1;
	double b = N / bench_median(bk, ROUNDS) / 1e6, l = N / bench_median(lb, ROUNDS) / 1e6;
	double cb = N / cli_bk / 1e6, t = N / cli_tool / 1e6;
	double fb = N / bench_median(fbk, ROUNDS) / 1e6, fl = N / bench_median(flb, ROUNDS) / 1e6;

	printf("bench map_dump_1M: bpfkit %.2f Mentries/s; libbpf %.2f Mentries/s; ratio %.3f\n", b,
	       l, b / l);
	printf("bench map_dump_1M_vs_bpftool: bpfkit %.3f Mentries/s; bpftool %.3f Mentries/s; "
	       "ratio %.2f\n",
	       cb, t, cb / t);
	printf("bench map_fill_1M: bpfkit %.2f Mentries/s; libbpf %.2f Mentries/s; ratio %.3f\n", fb,
	       fl, fb / fl);
	bk_map_close(m);
	free(keys);
	free(vals);
	return 0;
}
