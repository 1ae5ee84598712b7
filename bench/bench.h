/* SPDX-License-Identifier: MIT */
/*
 * Shared by the benchmarks (header only): the median of a set of timings.
 */
#ifndef BK_BENCH_H
#define BK_BENCH_H

#include <stddef.h>
#include <stdlib.h>

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort v (n timings) and return the middle one (for an even n, the upper
 * of the two middle ones). */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif /* BK_BENCH_H */
