// SPDX-License-Identifier: MIT
/*
 * Map operations through bpfkit, libbpf and a raw syscall(), same kernel,
 * same map, same run. Each figure is the median of several rounds; ns/op
 * are per call. "ratio" is anchor / bpfkit, so above 1 means bpfkit is faster.
 * The order of the three rotates from round to round, so neither cache warmth
 * nor frequency drift favours whoever runs first; every call's result is
 * checked, so a failing call cannot pass for a fast one.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sys.h>

#include "bench.h"

#define ROUNDS 7
#define OPS 200000
#define BATCH_N (1u << 20)

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

enum impl { BPFKIT, LIBBPF, RAW };

/* The attr size libbpf passes for element commands: up to and including
 * flags, not the whole union (the kernel checks the tail is zero, so a
 * longer attr costs a little more). */
#define ELEM_ATTR_SIZE (offsetof(union bpf_attr, flags) + sizeof(((union bpf_attr *)0)->flags))

static int raw_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, ELEM_ATTR_SIZE);
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return syscall(__NR_bpf, cmd, &a, ELEM_ATTR_SIZE) < 0 ? -errno : 0;
}

static const char *const impl_name[] = { "bpfkit", "libbpf", "raw syscall" };

/* One call by one implementation; 0 or a negative errno. */
static int one_op(enum impl impl, int update, int fd, uint32_t *key, uint64_t *value)
{
	if (impl == BPFKIT)
		return update ? bk_sys_map_update_elem(fd, key, value, BK_ANY)
			      : bk_sys_map_lookup_elem(fd, key, value, 0);
	if (impl == LIBBPF) {
		int err = update ? bpf_map_update_elem(fd, key, value, BPF_ANY)
				 : bpf_map_lookup_elem(fd, key, value);

		return err ? -errno : 0;
	}
	return raw_elem(update ? BPF_MAP_UPDATE_ELEM : BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

static double per_op(enum impl impl, int update, int fd)
{
	uint32_t key;
	uint64_t value = 1;
	double t0 = now_ns();

	for (uint32_t i = 0; i < OPS; i++) {
		int err;

		key = i & 1023;
		err = one_op(impl, update, fd, &key, &value);
		if (err) {
			fprintf(stderr, "bench_map: %s %s of key %u: %s\n", impl_name[impl],
				update ? "update" : "lookup", key, strerror(-err));
			exit(1);
		}
	}
	return (now_ns() - t0) / OPS;
}

static void report_op(const char *name, int update, int fd)
{
	double v[3][ROUNDS];

	for (int r = 0; r < ROUNDS; r++) /* interleaved and rotated: drift hits all alike */
		for (int i = 0; i < 3; i++) {
			int impl = (r + i) % 3;

			v[impl][r] = per_op((enum impl)impl, update, fd);
		}
	double bk = bench_median(v[BPFKIT], ROUNDS), lb = bench_median(v[LIBBPF], ROUNDS),
	       raw = bench_median(v[RAW], ROUNDS);
	printf("bench %s: bpfkit %.1f ns/op; libbpf %.1f ns/op; ratio %.3f\n", name, bk, lb,
	       lb / bk);
	printf("bench %s_vs_raw: bpfkit %.1f ns/op; raw-syscall %.1f ns/op; ratio %.3f\n", name,
	       bk, raw, raw / bk);
}

/* Walk the whole map with batch lookup; ns per entry. */
static double batch_walk(enum impl impl, int fd, uint32_t *keys, uint64_t *vals)
{
	uint32_t token = 0, total = 0;
	double t0 = now_ns();
	int err;

	for (void *in = NULL;; in = &token) {
		uint32_t count = 8192;

		if (impl == BPFKIT) {
			err = bk_sys_map_lookup_batch(fd, in, &token, keys + total, vals + total,
						      &count, NULL);
		} else {
			__u32 c = count;

			err = bpf_map_lookup_batch(fd, in, &token, keys + total, vals + total, &c,
						   NULL);
			count = c;
			err = err ? -errno : 0;
		}
		total += count;
		if (err == -ENOENT)
			break;
		if (err) {
			fprintf(stderr, "batch lookup: %s\n", strerror(-err));
			exit(1);
		}
	}
	if (total != BATCH_N) {
		fprintf(stderr, "batch walk saw %u entries, expected %u\n", total, BATCH_N);
		exit(1);
	}
	return (now_ns() - t0) / total;
}

static void report_batch(void)
{
	uint32_t *keys = malloc(BATCH_N * sizeof(*keys) + 8192 * 4);
	uint64_t *vals = malloc(BATCH_N * sizeof(*vals) + 8192 * 8);
	double v[2][ROUNDS];
	uint32_t count = BATCH_N;
	int fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_HASH,
					   .key_size = 4, .value_size = 8, .max_entries = BATCH_N));

	if (fd < 0 || !keys || !vals) {
		fprintf(stderr, "bench batch: setup failed\n");
		exit(1);
	}
	for (uint32_t i = 0; i < BATCH_N; i++) {
		keys[i] = i;
		vals[i] = i;
	}
	int err = bk_sys_map_update_batch(fd, keys, vals, &count, NULL);

	if (err || count != BATCH_N) {
		fprintf(stderr, "bench batch: fill stored %u of %u: %s\n", count, BATCH_N,
			strerror(err ? -err : EIO));
		exit(1);
	}
	for (int r = 0; r < ROUNDS; r++) /* alternate who goes first */
		for (int i = 0; i < 2; i++) {
			int impl = (r + i) % 2;

			v[impl][r] = batch_walk((enum impl)impl, fd, keys, vals);
		}
	double bk = bench_median(v[0], ROUNDS), lb = bench_median(v[1], ROUNDS);
	printf("bench map_lookup_batch_1M: bpfkit %.2f ns/entry; libbpf %.2f ns/entry; ratio %.3f\n",
	       bk, lb, lb / bk);
	close(fd);
	free(keys);
	free(vals);
}

int main(void)
{
	int fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_HASH,
					   .key_size = 4, .value_size = 8, .max_entries = 1024));

	if (fd < 0) {
		fprintf(stderr, "bench_map: cannot create a map: %s\n",
			bk_strerror(BK_CMD_MAP_CREATE, fd));
		return 1;
	}
	/* Lookups need every key present: the update rounds fill keys 0..1023. */
	report_op("map_update", 1, fd);
	report_op("map_lookup", 0, fd);
	close(fd);
	report_batch();
	return 0;
}
