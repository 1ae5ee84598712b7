// SPDX-License-Identifier: MIT
/*
 * BTF: the running kernel's vmlinux BTF dumped as C by the bpfkit CLI and by
 * `bpftool btf dump file ... format c` (whole processes, output to
 * /dev/null, median of several runs), and parsed in-process by bpfkit and by
 * libbpf's btf__parse_raw (median). ratio = anchor time / bpfkit time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpfkit/btf.h>

#include "bench.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"
#define RUNS 9

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double time_cmd(const char *cmd)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		double t0 = now();

		if (system(cmd) != 0) {
			fprintf(stderr, "bench_btf: '%s' failed\n", cmd);
			exit(1);
		}
		t[i] = now() - t0;
	}
	return bench_median(t, RUNS);
}

/* The CLI next to this binary's build directory (build/bench/.. = build). */
static void cli_path(const char *argv0, char *out, size_t size)
{
	const char *slash = strrchr(argv0, '/');
	int n = slash ? (int)(slash - argv0) : 1;

	snprintf(out, size, "%.*s/../bpfkit", n, slash ? argv0 : ".");
}

static void bench_dump_c(const char *cli)
{
	char cmd[600];
	double bk, tool;

	snprintf(cmd, sizeof(cmd), "%s btf dump file " VMLINUX " format c > /dev/null", cli);
	bk = time_cmd(cmd);
	tool = time_cmd("bpftool btf dump file " VMLINUX " format c > /dev/null");
	printf("bench btf_dump_c: bpfkit %.1f ms; bpftool %.1f ms; ratio %.3f\n", bk * 1e3,
	       tool * 1e3, tool / bk);
}

static void bench_parse(void)
{
	double tb[RUNS], tl[RUNS], bk, lb;

	for (int i = 0; i < RUNS; i++) {
		double t0 = now();
		struct bk_btf *b = bk_btf_load_file(VMLINUX, NULL);
		struct btf *l;

		tb[i] = now() - t0;
		if (!b) {
			perror("bpfkit parse");
			exit(1);
		}
		bk_btf_free(b);
		t0 = now();
		l = btf__parse_raw(VMLINUX);
		tl[i] = now() - t0;
		if (!l) {
			perror("libbpf parse");
			exit(1);
		}
		btf__free(l);
	}
	bk = bench_median(tb, RUNS);
	lb = bench_median(tl, RUNS);
	printf("bench btf_parse: bpfkit %.2f ms; libbpf %.2f ms; ratio %.3f\n", bk * 1e3, lb * 1e3,
	       lb / bk);
}

int main(int argc, char **argv)
{
	char cli[512];

	(void)argc;
	if (access(VMLINUX, R_OK)) {
		fprintf(stderr, "bench_btf: no %s\n", VMLINUX);
		return 1;
	}
	cli_path(argv[0], cli, sizeof(cli));
	bench_dump_c(cli);
	bench_parse();
	return 0;
}
