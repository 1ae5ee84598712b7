// SPDX-License-Identifier: MIT
/*
 * The userspace VM's interpreter against the kernel's JIT (BPF_PROG_TEST_RUN
 * with repeat) on the same two programs, in ns per executed instruction:
 *   vm_straight  504 instructions of straight-line ALU (mixed 64/32-bit ops)
 *   vm_loop      a loop whose body loads, adds and stores on the stack
 * The instruction count is the VM's exact count of executed slots. Both
 * sides are timed so that a busy machine does not skew them: the VM by this
 * thread's CPU time, the kernel by test-run's own duration (which stops its
 * timer while the task is rescheduled); the kernel's per-run overhead is
 * measured on a 2-instruction program and subtracted. Median of 5.
 * ratio = kernel ns / VM ns (below 1: the JIT is faster, as expected).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sys.h>
#include <bpfkit/vm.h>

#include "bench.h"

#define RUNS 5
#define LOOPS 4096

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* 504 slots: 6 moves, 497 ALU operations cycling through ops and widths, exit. */
static size_t straight(struct bk_insn *p)
{
	static const uint8_t ops[] = { BK_ADD, BK_XOR, BK_SUB, BK_OR, BK_MUL, BK_AND,
				       BK_LSH, BK_RSH, BK_ARSH };
	size_t n = 0;

	for (unsigned r = 0; r < 6; r++)
		p[n++] = bk_insn_mov64_imm(r, (int32_t)(0x12345 * (r + 1)));
	for (unsigned i = 0; n < 503; i++) {
		uint8_t op = ops[i % 9];
		unsigned dst = i % 6, src = (i + 1) % 6;
		bool shift = op == BK_LSH || op == BK_RSH || op == BK_ARSH;

		if (i % 3 == 0)
			p[n++] = bk_insn_alu64_imm(op, dst, shift ? (int32_t)(i % 31) : (int32_t)i * 7);
		else if (i % 3 == 1 && !shift)
			p[n++] = bk_insn_alu64_reg(op, dst, src);
		else
			p[n++] = bk_insn_alu32_imm(op, dst, shift ? (int32_t)(i % 29) : (int32_t)i);
	}
	p[n++] = bk_insn_exit();
	return n;
}

static size_t loop(struct bk_insn *p)
{
	size_t n = 0;

	p[n++] = bk_insn_mov64_imm(BK_R1, 0);
	p[n++] = bk_insn_stx(BK_DW, BK_R10, -8, BK_R1);
	p[n++] = bk_insn_stx(BK_DW, BK_R10, -16, BK_R1);
	/* loop: */
	p[n++] = bk_insn_ldx(BK_DW, BK_R2, BK_R10, -8);
	p[n++] = bk_insn_ldx(BK_DW, BK_R3, BK_R10, -16);
	p[n++] = bk_insn_alu64_reg(BK_ADD, BK_R2, BK_R1);
	p[n++] = bk_insn_alu64_reg(BK_XOR, BK_R3, BK_R2);
	p[n++] = bk_insn_stx(BK_DW, BK_R10, -8, BK_R2);
	p[n++] = bk_insn_stx(BK_DW, BK_R10, -16, BK_R3);
	p[n++] = bk_insn_alu64_imm(BK_ADD, BK_R1, 1);
	p[n++] = bk_insn_jmp_imm(BK_JLT, BK_R1, LOOPS, -8);
	p[n++] = bk_insn_ldx(BK_DW, BK_R0, BK_R10, -8);
	p[n++] = bk_insn_exit();
	return n;
}

/* VM: ns per executed slot over repeated runs, median of RUNS. */
static double vm_ns(const struct bk_insn *p, size_t n, uint64_t *insns, uint64_t *r0)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_diag d;
	struct bk_vm_prog *prog = vm ? bk_vm_load(vm, p, n, NULL, &d) : NULL;
	struct bk_vm_result res = { 0 };
	double t[RUNS];
	unsigned reps = 0;

	if (!prog) {
		fprintf(stderr, "bench_vm: load: %s\n", d.msg);
		exit(1);
	}
	bk_vm_run(prog, NULL, &res, NULL);
	reps = (unsigned)(20000000 / res.insns) + 1;
	for (int k = 0; k < RUNS; k++) {
		double t0 = now();

		for (unsigned i = 0; i < reps; i++)
			bk_vm_run(prog, NULL, &res, NULL);
		t[k] = (now() - t0) / reps / (double)res.insns;
	}
	*insns = res.insns;
	*r0 = res.r0;
	bk_vm_prog_free(prog);
	bk_vm_free(vm);
	return bench_median(t, RUNS);
}

/* Kernel: ns per run of a socket filter through BPF_PROG_TEST_RUN. */
static double kernel_run_ns(const struct bk_insn *p, size_t n, uint32_t *retval)
{
	uint8_t pkt[64] = { 0 };
	double t[RUNS];
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
					  .insns = p, .insn_cnt = n, .prog_name = "bench_vm"));

	if (fd < 0)
		return -1;
	for (int k = 0; k < RUNS; k++) {
		struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = pkt,
						.data_size_in = sizeof(pkt), .repeat = 20000 };

		if (bk_sys_prog_test_run(fd, &run)) {
			close(fd);
			return -1;
		}
		t[k] = run.duration; /* ns per run, averaged by the kernel */
		*retval = run.retval;
	}
	close(fd);
	return bench_median(t, RUNS);
}

static void report(const char *name, const struct bk_insn *p, size_t n)
{
	static const struct bk_insn empty[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	uint64_t insns, r0;
	uint32_t retval = 0, dummy;
	double ours = vm_ns(p, n, &insns, &r0);
	double base = kernel_run_ns(empty, 2, &dummy);
	double run = kernel_run_ns(p, n, &retval);
	double theirs = run < 0 || base < 0 ? -1 : (run - base) / (double)insns;

	if (theirs < 0) {
		printf("bench %s: bpfkit %.2f ns/insn; kernel-jit unavailable (needs bpf()); "
		       "ratio 0\n", name, ours);
		return;
	}
	if (retval != (uint32_t)r0)
		fprintf(stderr, "bench_vm: %s: kernel r0 %u, VM r0 %u\n", name, retval,
			(uint32_t)r0);
	printf("bench %s: bpfkit %.2f ns/insn; kernel-jit %.2f ns/insn; ratio %.2f\n", name, ours,
	       theirs, theirs / ours);
}

int main(void)
{
	struct bk_insn p[600];
	size_t n;

	n = straight(p);
	report("vm_straight", p, n);
	n = loop(p);
	report("vm_loop", p, n);
	return 0;
}
