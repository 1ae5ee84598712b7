// SPDX-License-Identifier: MIT
/*
 * Loading a tiny clang-built XDP object (the corpus's minimal.bpf.o: one
 * program, one .bss map) with bpfkit and with libbpf, same object, same run.
 *   object_load_cold: the first open + load + close in a new process (timed
 *                     inside the child, so exec and exit, the same for both,
 *                     do not blur it): what a short-lived tool pays; libbpf
 *                     probes kernel features eagerly at its first load,
 *                     bpfkit does not.
 *   object_load_warm: open + load + close again and again in one process.
 * Figures are medians of rounds, in microseconds per load; ratio is
 * libbpf / bpfkit (above 1: bpfkit faster). Both bind their symbols before
 * the clock starts: Debian's libbpf.so is linked BIND_NOW, and so is this
 * program (the Makefile's full RELRO), which holds bpfkit.
 */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/object.h>

#include "bench.h"

#define ROUNDS 5
#define COLD_N 40
#define WARM_N 200

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int load_bpfkit(const char *path)
{
	struct bk_object *obj = bk_object_open_file(path, NULL);
	int err = obj ? bk_object_load(obj) : -1;

	bk_object_close(obj);
	return err;
}

static int load_libbpf(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int err = obj ? bpf_object__load(obj) : -1;

	bpf_object__close(obj);
	return err;
}

/* One child: its own measure of its first load, read from its stdout. */
static double one_cold(const char *self, const char *impl, const char *path)
{
	char cmd[1024], line[64];
	double us = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' %s '%s'", self, impl, path);
	p = popen(cmd, "r");
	if (!p || !fgets(line, sizeof(line), p) || sscanf(line, "%lf", &us) != 1 || pclose(p) != 0) {
		fprintf(stderr, "bench object: %s child failed\n", impl);
		exit(1);
	}
	return us;
}

/* Medians of COLD_N children each, the two loaders taking turns (and
 * turns at going first) so that both see the machine in the same state. */
static void cold(const char *self, const char *path, double *bk, double *lb)
{
	double tb[COLD_N], tl[COLD_N];

	for (int i = 0; i < COLD_N; i++) {
		if (i % 2) {
			tb[i] = one_cold(self, "--child-bpfkit", path);
			tl[i] = one_cold(self, "--child-libbpf", path);
		} else {
			tl[i] = one_cold(self, "--child-libbpf", path);
			tb[i] = one_cold(self, "--child-bpfkit", path);
		}
	}
	*bk = bench_median(tb, COLD_N);
	*lb = bench_median(tl, COLD_N);
}

static int child(int (*load)(const char *), const char *path)
{
	double t0 = now_us();
	int err = load(path);

	printf("%.1f\n", now_us() - t0);
	return err ? 1 : 0;
}

static double warm(int (*load)(const char *), const char *path)
{
	double t[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_us();

		for (int i = 0; i < WARM_N; i++)
			if (load(path)) {
				fprintf(stderr, "bench object: warm load failed\n");
				exit(1);
			}
		t[r] = (now_us() - t0) / WARM_N;
	}
	return bench_median(t, ROUNDS);
}

int main(int argc, char **argv)
{
	const char *dir = getenv("BK_ELF_CORPUS"); /* exported by the Makefile */
	char def[1024];
	const char *path = def;
	double bk, lb;

	snprintf(def, sizeof(def), "%s/minimal.bpf.o", dir ? dir : "build/tests/elf/progs");
	if (argc > 1 && argv[1][0] != '-')
		path = argv[1];
	libbpf_set_print(quiet);
	if (argc == 3 && !strcmp(argv[1], "--child-bpfkit"))
		return child(load_bpfkit, argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--child-libbpf"))
		return child(load_libbpf, argv[2]);
	if (load_bpfkit(path) || load_libbpf(path)) {
		fprintf(stderr, "bench object: %s does not load (make check builds the corpus)\n", path);
		return 1;
	}
	cold(argv[0], path, &bk, &lb);
	printf("bench object_load_cold: bpfkit %.1f us; libbpf %.1f us; ratio %.2f\n", bk, lb, lb / bk);
	fflush(stdout);
	bk = warm(load_bpfkit, path);
	lb = warm(load_libbpf, path);
	printf("bench object_load_warm: bpfkit %.1f us; libbpf %.1f us; ratio %.2f\n", bk, lb, lb / bk);
	return 0;
}
