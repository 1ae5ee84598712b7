// SPDX-License-Identifier: MIT
/*
 * The assembler and disassembler against llvm-mc-19 and llvm-objdump-19 on the
 * same 200k-instruction random program, whole processes (start-up included,
 * as a user runs them), both writing to a file, median CPU time of several
 * runs.
 * ratio = anchor time / bpfkit time. A third line times a label-heavy
 * program (a label on every line).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpfkit/disasm.h>
#include <bpfkit/insn.h>

#include "bench.h"

#define COUNT 200000
#define RUNS 5
#define REPEAT 8

/* CPU seconds (user + system) the children have used so far. */
static double child_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds (user + system) per run of one batch of REPEAT runs of cmd. */
static double batch_cpu(const char *cmd)
{
	char batch[1200];
	double t0 = child_cpu();

	snprintf(batch, sizeof(batch), "for i in $(seq %d); do %s || exit 1; done", REPEAT, cmd);
	if (system(batch) != 0) {
		fprintf(stderr, "bench_text: '%s' failed\n", cmd);
		exit(1);
	}
	return (child_cpu() - t0) / REPEAT;
}

/*
 * The median CPU time of each of two commands (the shell's share included,
 * the same for both sides), each sample a batch of REPEAT runs: CPU time is
 * accounted in scheduler ticks, too coarse for one run of a fast command.
 * CPU time rather than wall time: on a machine shared with other work, wall
 * time measures the scheduler, and penalises the short process (ours) the
 * most. The two take turns, and turns at going first, so that a machine
 * whose speed drifts moves both medians alike.
 */
static void time_pair(const char *ours_cmd, const char *theirs_cmd, double *ours, double *theirs)
{
	double a[RUNS], b[RUNS];

	for (int i = 0; i < RUNS; i++) {
		if (i % 2) {
			b[i] = batch_cpu(theirs_cmd);
			a[i] = batch_cpu(ours_cmd);
		} else {
			a[i] = batch_cpu(ours_cmd);
			b[i] = batch_cpu(theirs_cmd);
		}
	}
	*ours = bench_median(a, RUNS);
	*theirs = bench_median(b, RUNS);
}

static void to_file(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* An immediate as programs hold them: mostly small, some masks and
 * addresses, a few anything. */
static int32_t some_imm(uint64_t *s)
{
	uint32_t k = rnd(s) % 10;

	return k < 6 ? (int32_t)(rnd(s) % 256) : k < 8 ? -(int32_t)(rnd(s) % 4096)
	       : (int32_t)rnd(s);
}

/*
 * COUNT slots of a random program of the generator kind: rows drawn at random
 * from every instruction LLVM 19 reads and writes exactly (all classes),
 * registers r0..r10, stack-like memory offsets, short jumps, a realistic mix
 * of immediates.
 */
static size_t make_input(const char *s_path, const char *raw_path)
{
	size_t n, used = 0, nok = 0;
	const struct bk_insn_info *t = bk_insn_table(&n);
	const struct bk_insn_info **ok = calloc(n, sizeof(*ok));
	struct bk_insn *p = calloc(COUNT + 2, sizeof(*p));
	uint64_t seed = 42;
	FILE *f;

	for (size_t k = 0; k < n; k++)
		if (!(t[k].shape == BK_SHAPE_LOAD_ACQ || t[k].shape == BK_SHAPE_STORE_REL ||
		      t[k].shape == BK_SHAPE_CALL_LOCAL || t[k].shape == BK_SHAPE_CALL_KFUNC ||
		      (t[k].shape == BK_SHAPE_LD_IMM64 && t[k].id != BK_OP_LD_IMM64)))
			ok[nok++] = &t[k];
	while (used < COUNT) {
		const struct bk_insn_info *r = ok[rnd(&seed) % nok];
		struct bk_decoded d = { 0 };
		bool mem = r->shape == BK_SHAPE_LDX || r->shape == BK_SHAPE_ST ||
			   r->shape == BK_SHAPE_STX || r->shape == BK_SHAPE_ATOMIC;

		d.dst = (r->fields & BK_FIELD_DST) ? (uint8_t)(rnd(&seed) % 11) : 0;
		d.src = (r->fields & BK_FIELD_SRC) ? (uint8_t)(rnd(&seed) % 11) : 0;
		if (r->fields & BK_FIELD_OFF)
			d.off = mem ? (int16_t)(-8 * (int)(rnd(&seed) % 64))
				    : (int16_t)((int)(rnd(&seed) % 200) - 100);
		if ((r->fields & BK_FIELD_IMM) && r->shape != BK_SHAPE_LD_IND)
			d.imm = r->shape == BK_SHAPE_GOTOL ? (int32_t)(rnd(&seed) % 200) - 100
							   : some_imm(&seed);
		d.imm2 = rnd(&seed) % 2 ? 0 : (int32_t)rnd(&seed);
		used += (size_t)bk_insn_encode(r, &d, p + used);
	}
	f = fopen(s_path, "w");
	bk_disasm(p, used, NULL, to_file, f);
	fclose(f);
	f = fopen(raw_path, "wb");
	fwrite(p, sizeof(*p), used, f);
	fclose(f);
	free(p);
	free(ok);
	return used;
}

/* A label on every line, each line jumping to another label near it. */
static size_t make_labels(const char *s_path)
{
	FILE *f = fopen(s_path, "w");

	for (size_t i = 0; i < COUNT; i++)
		fprintf(f, "L%zu:\n\tif r1 > %zu goto L%zu\n", i, i % 1000,
			i + 100 < COUNT ? i + 100 : i - 100);
	fprintf(f, "\texit\n");
	fclose(f);
	return COUNT + 1;
}

int main(int argc, char **argv)
{
	const char *cli = argc > 1 ? argv[1] : "build/bpfkit";
	char dir[] = "/tmp/bk-bench-XXXXXX", cmd[1024], cmd2[1024], raw[128];
	double ours, theirs;
	size_t n;

	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/in.s", dir);
	snprintf(raw, sizeof(raw), "%s/in.bin", dir);
	n = make_input(cmd, raw);
	snprintf(cmd, sizeof(cmd), "%s asm -d llvm %s/in.s -o %s/ours.bin", cli, dir, dir);
	snprintf(cmd2, sizeof(cmd2),
		 "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s/in.s -o %s/in.o", dir, dir);
	time_pair(cmd, cmd2, &ours, &theirs);
	printf("bench asm: bpfkit %.0f insn/s; llvm-mc %.0f insn/s; ratio %.1f\n", n / ours,
	       n / theirs, theirs / ours);
	/* the same information on both sides: text only, no addresses or bytes */
	snprintf(cmd, sizeof(cmd), "%s disasm --plain %s/in.bin > %s/ours.txt", cli, dir, dir);
	snprintf(cmd2, sizeof(cmd2),
		 "llvm-objdump-19 -d --mcpu=v4 --no-print-imm-hex --no-show-raw-insn "
		 "--no-leading-addr %s/in.o > %s/theirs.txt",
		 dir, dir);
	time_pair(cmd, cmd2, &ours, &theirs);
	printf("bench disasm: bpfkit %.0f insn/s; llvm-objdump %.0f insn/s; ratio %.1f\n",
	       n / ours, n / theirs, theirs / ours);
	snprintf(cmd, sizeof(cmd), "%s/labels.s", dir);
	n = make_labels(cmd);
	snprintf(cmd, sizeof(cmd), "%s asm -d llvm %s/labels.s -o %s/ours.bin", cli, dir, dir);
	snprintf(cmd2, sizeof(cmd2),
		 "llvm-mc-19 -triple bpf -mcpu=v4 -filetype=obj %s/labels.s -o %s/labels.o", dir, dir);
	time_pair(cmd, cmd2, &ours, &theirs);
	printf("bench asm_labels: bpfkit %.0f insn/s; llvm-mc %.0f insn/s; ratio %.1f\n", n / ours,
	       n / theirs, theirs / ours);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
