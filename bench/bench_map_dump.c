// SPDX-License-Identifier: MIT
/*
 * Dumping a 1M-entry hash map: bpfkit's iterator (batch reads) against
 * libbpf's bpf_map_lookup_batch() loop and against `bpftool map dump id N`
 * (the whole process, its output to /dev/null), same kernel, same map, same
 * run. Filling the map is measured too: bpfkit's chunked batch update
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
#include <time.h>

#include <bpfkit/map.h>

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
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

static int dump_bpftool(uint32_t id)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "bpftool map dump id %u > /dev/null 2>&1", id);
	return system(cmd);
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
	double bk[ROUNDS], lb[ROUNDS], tool[TOOL_ROUNDS], fbk[ROUNDS], flb[ROUNDS];
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_HASH, "bk_bench_dump", 4, 8, N, NULL);

	if (!m || !keys || !vals) {
		fprintf(stderr, "bench_map_dump: setup: %s\n", strerror(errno));
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
	for (int r = 0; r < TOOL_ROUNDS; r++) {
		double t0 = now_s();

		if (dump_bpftool(bk_map_id(m))) {
			fprintf(stderr, "bench_map_dump: bpftool failed\n");
			return 1;
		}
		tool[r] = now_s() - t0;
	}
	double b = N / median(bk, ROUNDS) / 1e6, l = N / median(lb, ROUNDS) / 1e6;
	double t = N / median(tool, TOOL_ROUNDS) / 1e6;
	double fb = N / median(fbk, ROUNDS) / 1e6, fl = N / median(flb, ROUNDS) / 1e6;

	printf("bench map_dump_1M: bpfkit %.2f Mentries/s; libbpf %.2f Mentries/s; ratio %.3f\n", b,
	       l, b / l);
	printf("bench map_dump_1M_vs_bpftool: bpfkit %.2f Mentries/s; bpftool %.3f Mentries/s; "
	       "ratio %.1f\n",
	       b, t, b / t);
	printf("bench map_fill_1M: bpfkit %.2f Mentries/s; libbpf %.2f Mentries/s; ratio %.3f\n", fb,
	       fl, fb / fl);
	bk_map_close(m);
	free(keys);
	free(vals);
	return 0;
}
