// SPDX-License-Identifier: MIT
/*
 * The assembler and disassembler against llvm-mc-19 and llvm-objdump-19 on the
 * same 200k-instruction input, whole processes (start-up included, as a user
 * runs them), median of several runs. ratio = anchor time / bpfkit time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/disasm.h>
#include <bpfkit/insn.h>

#define COUNT 200000
#define RUNS 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double time_cmd(const char *cmd)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		double t0 = now();

		if (system(cmd) != 0) {
			fprintf(stderr, "bench_text: '%s' failed\n", cmd);
			exit(1);
		}
		t[i] = now() - t0;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp);
	return t[RUNS / 2];
}

static void to_file(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

/* COUNT instructions cycling through every row LLVM reads and writes exactly. */
static size_t make_input(const char *s_path, const char *raw_path)
{
	size_t n, used = 0;
	const struct bk_insn_info *t = bk_insn_table(&n);
	struct bk_insn *p = calloc(COUNT + 2, sizeof(*p));
	uint64_t seed = 42;
	FILE *f;

	for (size_t k = 0; used < COUNT; k++) {
		const struct bk_insn_info *r = &t[k % n];
		struct bk_decoded d = { 0 };

		if (r->shape == BK_SHAPE_LOAD_ACQ || r->shape == BK_SHAPE_STORE_REL ||
		    r->shape == BK_SHAPE_CALL_LOCAL || r->shape == BK_SHAPE_CALL_KFUNC ||
		    (r->shape == BK_SHAPE_LD_IMM64 && r->id != BK_OP_LD_IMM64))
			continue;
		seed = seed * 6364136223846793005ull + 1;
		d.dst = (r->fields & BK_FIELD_DST) ? (uint8_t)(seed >> 33) % 11 : 0;
		d.src = (r->fields & BK_FIELD_SRC) ? (uint8_t)(seed >> 40) % 11 : 0;
		d.off = (r->fields & BK_FIELD_OFF) ? (int16_t)(seed >> 20) : 0;
		d.imm = (r->fields & BK_FIELD_IMM) && r->shape != BK_SHAPE_LD_IND
				? (int32_t)(seed >> 17) : 0;
		if (r->shape == BK_SHAPE_GOTOL)
			d.imm = (int16_t)d.imm;
		d.imm2 = (int32_t)(seed >> 13);
		used += (size_t)bk_insn_encode(r, &d, p + used);
	}
	f = fopen(s_path, "w");
	bk_disasm(p, used, NULL, to_file, f);
	fclose(f);
	f = fopen(raw_path, "wb");
	fwrite(p, sizeof(*p), used, f);
	fclose(f);
	free(p);
	return used;
}

int main(int argc, char **argv)
{
	const char *cli = argc > 1 ? argv[1] : "build/bpfkit";
	char dir[] = "/tmp/bk-bench-XXXXXX", cmd[1024];
	double ours, theirs;
	size_t n;

	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/in.s", dir);
	{
		char raw[128];

		snprintf(raw, sizeof(raw), "%s/in.bin", dir);
		n = make_input(cmd, raw);
	}
	snprintf(cmd, sizeof(cmd), "%s asm -d llvm %s/in.s -o %s/ours.bin", cli, dir, dir);
	ours = time_cmd(cmd);
	snprintf(cmd, sizeof(cmd), "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s/in.s -o %s/in.o",
		 dir, dir);
	theirs = time_cmd(cmd);
	printf("bench asm: bpfkit %.0f insn/s; llvm-mc %.0f insn/s; ratio %.1f\n", n / ours,
	       n / theirs, theirs / ours);
	snprintf(cmd, sizeof(cmd), "%s disasm --plain %s/in.bin > /dev/null", cli, dir);
	ours = time_cmd(cmd);
	snprintf(cmd, sizeof(cmd),
		 "llvm-objdump-19 -d --mcpu=v4 --no-print-imm-hex %s/in.o > /dev/null", dir);
	theirs = time_cmd(cmd);
	printf("bench disasm: bpfkit %.0f insn/s; llvm-objdump %.0f insn/s; ratio %.1f\n",
	       n / ours, n / theirs, theirs / ours);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
