// SPDX-License-Identifier: MIT
/*
 * Reading a BK_F_MMAPABLE array, same map, same pseudo-random indices,
 * same run: loads through bpfkit's mapping (bk_map_mmap) against loads
 * through a plain mmap() of the same map fd, which is what a libbpf user
 * does (libbpf maps its mmapable maps the same way) — map_mmap_read; and
 * against one lookup syscall per element (libbpf's bpf_map_lookup_elem()) —
 * map_mmap_read_vs_syscall, which measures mmap against syscalls, not
 * bpfkit against libbpf: libbpf users can mmap too. Figures are medians of
 * several rounds; "ratio" is bpfkit's rate over the anchor's.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <bpfkit/map.h>

#include "bench.h"

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

/* Sum of base[idx[i]] over n reads; seconds in *secs. */
static uint64_t read_all(const volatile uint64_t *base, const uint32_t *idx, uint32_t n,
			 double *secs)
{
	double t0 = now_s();
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		sum += base[idx[i]];
	*secs = now_s() - t0;
	return sum;
}

int main(void)
{
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_ARRAY, "bk_bench_mmap", 4, 8, ENTRIES,
					 BK_OPTS(bk_map_opts, .map_flags = BK_F_MMAPABLE));
	const volatile uint64_t *base;
	uint32_t *idx = indices();
	const volatile uint64_t *plain;
	double mm[ROUNDS], pm[ROUNDS], sc[ROUNDS];
	uint64_t sum_m = 0, sum_p = 0, sum_s = 0;
	void *p;

	if (!m || !idx || !(base = bk_map_mmap(m))) {
		fprintf(stderr, "bench_mmap: setup: %s\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, ENTRIES * sizeof(uint64_t), PROT_READ, MAP_SHARED, bk_map_fd(m), 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "bench_mmap: mmap: %s\n", strerror(errno));
		return 1;
	}
	plain = p;
	for (uint32_t i = 0; i < ENTRIES; i++)
		((volatile uint64_t *)base)[i] = (uint64_t)i * 7 + 1;
	for (int r = 0; r < ROUNDS; r++) {
		double t0;

		if (r % 2) { /* alternate who goes first */
			sum_p += read_all(plain, idx, READS_MAP, &pm[r]);
			sum_m += read_all(base, idx, READS_MAP, &mm[r]);
		} else {
			sum_m += read_all(base, idx, READS_MAP, &mm[r]);
			sum_p += read_all(plain, idx, READS_MAP, &pm[r]);
		}
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
	if (sum_s != check * ROUNDS || sum_p != sum_m) {
		fprintf(stderr, "bench_mmap: mapping and syscall disagree\n");
		return 1;
	}
	double a = READS_MAP / bench_median(mm, ROUNDS) / 1e6;
	double b = READS_SYS / bench_median(sc, ROUNDS) / 1e6;
	double c = READS_MAP / bench_median(pm, ROUNDS) / 1e6;

	printf("bench map_mmap_read: bpfkit %.1f Mreads/s; libbpf-user-mmap %.1f Mreads/s; "
	       "ratio %.2f\n",
	       a, c, a / c);
	printf("bench map_mmap_read_vs_syscall: bpfkit %.1f Mreads/s; libbpf-lookup %.2f Mreads/s; "
	       "ratio %.1f\n",
	       a, b, a / b);
	munmap(p, ENTRIES * sizeof(uint64_t));
	bk_map_close(m);
	free(idx);
	return sum_m == 0; /* keeps the mapped reads live */
}
