// SPDX-License-Identifier: MIT
/*
 * Reading a BK_F_MMAPABLE array: loads through bpfkit's mapping against
 * lookups through the bpf() syscall (libbpf's bpf_map_lookup_elem(), the
 * usual way), same map, same pseudo-random indices, same run. Figures are
 * medians of several rounds; "ratio" is the mapping's rate over the
 * syscall's: above 1, the mapping is faster.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpfkit/map.h>

#define ENTRIES (1u << 16)
#define READS_MAP (1u << 24)
#define READS_SYS (1u << 18)
#define ROUNDS 7

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

static uint32_t *indices(void)
{
	uint32_t *idx = malloc(READS_MAP * sizeof(*idx)), s = 2463534242u;

	for (uint32_t i = 0; idx && i < READS_MAP; i++) {
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		idx[i] = s & (ENTRIES - 1);
	}
	return idx;
}

int main(void)
{
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_bench_mmap", 4, 8, ENTRIES,
					 BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	const volatile uint64_t *base;
	uint32_t *idx = indices();
	double mm[ROUNDS], sc[ROUNDS];
	uint64_t sum_m = 0, sum_s = 0;

	if (!m || !idx || !(base = bk_map_mmap(m))) {
		fprintf(stderr, "bench_mmap: setup: %s\n", strerror(errno));
		return 1;
	}
	for (uint32_t i = 0; i < ENTRIES; i++)
		((volatile uint64_t *)base)[i] = (uint64_t)i * 7 + 1;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s();

		for (uint32_t i = 0; i < READS_MAP; i++)
			sum_m += base[idx[i]];
		mm[r] = now_s() - t0;
		t0 = now_s();
		for (uint32_t i = 0; i < READS_SYS; i++) {
			uint64_t v;

			if (bpf_map_lookup_elem(bk_map_fd(m), &idx[i], &v)) {
				fprintf(stderr, "bench_mmap: lookup: %s\n", strerror(errno));
				return 1;
			}
			sum_s += v;
		}
		sc[r] = now_s() - t0;
	}
	/* Both read the same values: check the syscall side's reads against
	 * the mapping's for the same indices. */
	uint64_t check = 0;

	for (uint32_t i = 0; i < READS_SYS; i++)
		check += base[idx[i]];
	if (sum_s != check * ROUNDS) {
		fprintf(stderr, "bench_mmap: mapping and syscall disagree\n");
		return 1;
	}
	double a = READS_MAP / median(mm, ROUNDS) / 1e6, b = READS_SYS / median(sc, ROUNDS) / 1e6;

	printf("bench map_mmap_read: bpfkit %.1f Mreads/s; syscall-lookup %.2f Mreads/s; "
	       "ratio %.1f\n",
	       a, b, a / b);
	bk_map_close(m);
	free(idx);
	return sum_m == 0; /* keeps the mapped reads live */
}
