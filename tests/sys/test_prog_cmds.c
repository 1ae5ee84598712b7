// SPDX-License-Identifier: MIT
/* Program load, verifier log and test-run against the running kernel. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_prog, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static int load(const struct bk_insn *insns, size_t n, char *log, uint32_t log_size)
{
	return bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
					.insns = insns, .insn_cnt = n, .log_buf = log,
					.log_size = log_size, .log_level = log ? 1 : 0));
}

Test(sys_prog, seed_exit_alone_is_rejected_with_the_verifiers_reason)
{
	static const struct bk_insn bad[] = { BK_EXIT() };
	char log[4096];

	BK_REQUIRE_KERNEL();
	cr_assert_eq(load(bad, 1, log, sizeof(log)), -EACCES);
	cr_assert_not_null(strstr(log, "R0 !read_ok"), "log: %s", log);
	cr_assert_str_eq(bk_strerror(BK_CMD_PROG_LOAD, EACCES),
			 "the verifier rejected the program (see the verifier log)");
}

Test(sys_prog, seed_mov_exit_loads)
{
	static const struct bk_insn good[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	int fd;

	BK_REQUIRE_KERNEL();
	fd = load(good, 2, NULL, 0);
	cr_assert_geq(fd, 3);
	close(fd);
}

/* A loop long enough that its level-2 log is far larger than the buffer. */
static size_t busy_prog(struct bk_insn *p)
{
	size_t n = 0;

	p[n++] = (struct bk_insn)BK_MOV64_IMM(BK_R0, 0);
	for (int i = 0; i < 200; i++)
		p[n++] = (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R0, 1);
	p[n++] = (struct bk_insn)BK_EXIT();
	return n;
}

Test(sys_prog, tiny_log_buffer_never_fails_a_valid_program)
{
	struct bk_insn p[210];
	size_t n = busy_prog(p);
	char tiny[32];
	struct bk_prog_load_opts o = { .sz = sizeof(o), .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
				       .insns = p, .insn_cnt = n, .log_buf = tiny,
				       .log_size = sizeof(tiny), .log_level = 2 };
	int fd;

	BK_REQUIRE_KERNEL();
	fd = bk_sys_prog_load(&o);
	cr_assert_geq(fd, 3, "a valid program failed: %d", fd);
	cr_assert_gt(o.log_true_size, sizeof(tiny), "the kernel reports the size it needed");
	close(fd);
}

Test(sys_prog, tiny_log_buffer_never_masks_the_real_error)
{
	static const struct bk_insn bad[] = {
		BK_LDX_MEM(BK_DW, BK_R0, BK_R3, 0), /* r3 is not initialised */
		BK_EXIT(),
	};
	char tiny[8];

	BK_REQUIRE_KERNEL();
	cr_assert_eq(load(bad, LEN(bad), tiny, sizeof(tiny)), -EACCES);
}

Test(sys_prog, managed_log_holds_the_whole_log_of_a_successful_load)
{
	struct bk_insn p[210];
	size_t n = busy_prog(p);
	struct bk_vlog v = { .level = BK_VLOG_LEVEL2 | BK_VLOG_STATS };
	int fd;

	BK_REQUIRE_KERNEL();
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
				      .insns = p, .insn_cnt = n, .vlog = &v));
	cr_assert_geq(fd, 3);
	cr_assert_not_null(v.text);
	cr_assert_eq(strlen(v.text), v.len);
	/* Level 2 prints every instruction; stats end with the totals line. */
	cr_assert_not_null(strstr(v.text, "200: (07) r0 += 1"), "log: %.200s", v.text);
	cr_assert_not_null(strstr(v.text, "processed"), "no stats line");
	close(fd);
	bk_vlog_free(&v);
}

Test(sys_prog, load_argument_errors)
{
	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_sys_prog_load(NULL), -EINVAL);
	cr_assert_eq(bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = 1)), -EINVAL);
}

/* ---- BPF_PROG_TEST_RUN round trips: expected values from RFC 9669 ---- */

/* Run a program that leaves its result in r0 (32 bits come back); returns it. */
static uint32_t run(const struct bk_insn *p, size_t n)
{
	uint8_t pkt[64] = { 0 };
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = pkt, .data_size_in = sizeof(pkt),
				      .repeat = 1 };
	char log[8192];
	int fd = load(p, n, log, sizeof(log)), err;

	cr_assert_geq(fd, 3, "load failed: %s\n%s", bk_strerror(BK_CMD_PROG_LOAD, fd), log);
	err = bk_sys_prog_test_run(fd, &o);
	close(fd);
	cr_assert_eq(err, 0, "test_run: %s", bk_strerror(BK_CMD_PROG_TEST_RUN, err));
	return o.retval;
}

/* r0 = low 32 bits of (a OP b) computed by the kernel, 64-bit ALU. */
static uint32_t alu64(uint8_t op, int64_t a, int32_t b, int16_t off)
{
	const struct bk_insn p[] = {
		BK_LD_IMM64(BK_R0, a),
		BK_RAW_INSN(BK_ALU64 | op | BK_K, BK_R0, 0, off, b),
		BK_EXIT(),
	};
	return run(p, LEN(p));
}

static uint32_t alu32(uint8_t op, uint32_t a, int32_t b, int16_t off)
{
	const struct bk_insn p[] = {
		BK_MOV32_IMM(BK_R0, (int32_t)a),
		BK_RAW_INSN(BK_ALU | op | BK_K, BK_R0, 0, off, b),
		BK_EXIT(),
	};
	return run(p, LEN(p));
}

Test(sys_prog, run_alu64_family)
{
	const int64_t a = 0x123456789abcdefLL;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(alu64(BK_ADD, a, 5, 0), (uint32_t)(a + 5));
	cr_assert_eq(alu64(BK_SUB, a, 7, 0), (uint32_t)(a - 7));
	cr_assert_eq(alu64(BK_MUL, a, 3, 0), (uint32_t)((uint64_t)a * 3));
	cr_assert_eq(alu64(BK_DIV, a, 1000, 0), (uint32_t)((uint64_t)a / 1000));
	cr_assert_eq(alu64(BK_MOD, a, 1000, 0), (uint32_t)((uint64_t)a % 1000));
	cr_assert_eq(alu64(BK_OR, a, 0xf0f0, 0), (uint32_t)(a | 0xf0f0));
	cr_assert_eq(alu64(BK_AND, a, 0xf0f0, 0), (uint32_t)(a & 0xf0f0));
	cr_assert_eq(alu64(BK_XOR, a, -1, 0), (uint32_t)(a ^ -1));
	cr_assert_eq(alu64(BK_LSH, a, 8, 0), (uint32_t)((uint64_t)a << 8));
	cr_assert_eq(alu64(BK_RSH, a, 8, 0), (uint32_t)((uint64_t)a >> 8));
	cr_assert_eq(alu64(BK_RSH, -256, 4, 0), (uint32_t)((uint64_t)-256 >> 4));
	cr_assert_eq(alu64(BK_ARSH, -256, 4, 0), (uint32_t)(-256 >> 4));
	cr_assert_eq(alu64(BK_NEG, a, 0, 0), (uint32_t)-a);
	/* signed division and modulo (off = 1), truncating toward zero */
	cr_assert_eq(alu64(BK_DIV, -7, 2, 1), (uint32_t)(-7 / 2));
	cr_assert_eq(alu64(BK_MOD, -7, 2, 1), (uint32_t)(-7 % 2));
}

Test(sys_prog, run_alu32_family_zero_extends)
{
	BK_REQUIRE_KERNEL();
	cr_assert_eq(alu32(BK_ADD, 0xffffffffu, 2, 0), 1u);
	cr_assert_eq(alu32(BK_MUL, 0x10000, 0x10000, 0), 0u);
	cr_assert_eq(alu32(BK_DIV, 100, 7, 0), 100u / 7);
	cr_assert_eq(alu32(BK_MOD, 100, 7, 0), 100u % 7);
	cr_assert_eq(alu32(BK_ARSH, 0x80000000u, 4, 0), 0xf8000000u);
	cr_assert_eq(alu32(BK_DIV, (uint32_t)-9, 2, 1), (uint32_t)(-9 / 2));
	cr_assert_eq(alu32(BK_MOD, (uint32_t)-9, 2, 1), (uint32_t)(-9 % 2));
}

Test(sys_prog, run_division_and_modulo_by_zero)
{
	/* RFC 9669: x / 0 = 0 and x % 0 = x (for 32-bit, the low half of x). */
	const struct bk_insn div64[] = {
		BK_MOV64_IMM(BK_R0, 77), BK_MOV64_IMM(BK_R1, 0),
		BK_ALU64_REG(BK_DIV, BK_R0, BK_R1), BK_EXIT(),
	};
	const struct bk_insn mod64[] = {
		BK_MOV64_IMM(BK_R0, 77), BK_MOV64_IMM(BK_R1, 0),
		BK_ALU64_REG(BK_MOD, BK_R0, BK_R1), BK_EXIT(),
	};
	const struct bk_insn mod32_hi[] = {
		BK_LD_IMM64(BK_R0, 0x500000009ull), BK_MOV64_IMM(BK_R1, 0),
		BK_ALU32_REG(BK_MOD, BK_R0, BK_R1), BK_ALU64_IMM(BK_RSH, BK_R0, 32),
		BK_EXIT(),
	};

	BK_REQUIRE_KERNEL();
	cr_assert_eq(run(div64, LEN(div64)), 0);
	cr_assert_eq(run(mod64, LEN(mod64)), 77);
	cr_assert_eq(run(mod32_hi, LEN(mod32_hi)), 0, "32-bit mod by zero must zero-extend");
}

Test(sys_prog, run_sign_extension_and_byte_swaps)
{
	const struct bk_insn movsx[] = {
		BK_MOV64_IMM(BK_R1, 0x80), BK_MOVSX64_REG(BK_R0, BK_R1, 8),
		BK_ALU64_IMM(BK_RSH, BK_R0, 32), BK_EXIT(),
	};
	const struct bk_insn ldsx[] = {
		BK_ST_MEM(BK_H, BK_R10, -2, 0x8001), BK_LDX_MEMSX(BK_H, BK_R0, BK_R10, -2),
		BK_EXIT(),
	};
	const struct bk_insn be16[] = { BK_MOV64_IMM(BK_R0, 0x11223344), BK_BE(BK_R0, 16),
					BK_EXIT() };
	const struct bk_insn bswap32[] = { BK_MOV64_IMM(BK_R0, 0x11223344), BK_BSWAP(BK_R0, 32),
					   BK_EXIT() };
	const struct bk_insn le64[] = { BK_LD_IMM64(BK_R0, 0x1122334455667788ull),
					BK_LE(BK_R0, 64), BK_EXIT() };

	BK_REQUIRE_KERNEL();
	cr_assert_eq(run(movsx, LEN(movsx)), 0xffffffffu);
	cr_assert_eq(run(ldsx, LEN(ldsx)), 0xffff8001u);
	cr_assert_eq(run(be16, LEN(be16)), 0x4433u); /* host is little-endian */
	cr_assert_eq(run(bswap32, LEN(bswap32)), 0x44332211u);
	cr_assert_eq(run(le64, LEN(le64)), 0x55667788u);
}

/* if (a OP b) r0 = 1 else r0 = 0, for 64- and 32-bit compares */
static uint32_t cmp(uint8_t cls, uint8_t op, int64_t a, int32_t b)
{
	const struct bk_insn p[] = {
		BK_LD_IMM64(BK_R1, a),
		BK_MOV64_IMM(BK_R0, 1),
		BK_RAW_INSN(cls | op | BK_K, BK_R1, 0, 1, b),
		BK_MOV64_IMM(BK_R0, 0),
		BK_EXIT(),
	};
	return run(p, LEN(p));
}

Test(sys_prog, run_jumps_64_and_32)
{
	const int64_t hi = 0x100000005LL; /* low half 5 */

	BK_REQUIRE_KERNEL();
	cr_assert_eq(cmp(BK_JMP, BK_JEQ, hi, 5), hi == 5);
	cr_assert_eq(cmp(BK_JMP32, BK_JEQ, hi, 5), 1u);
	cr_assert_eq(cmp(BK_JMP, BK_JGT, -1, 1), 1u, "unsigned compare");
	cr_assert_eq(cmp(BK_JMP, BK_JSGT, -1, 1), 0u, "signed compare");
	cr_assert_eq(cmp(BK_JMP, BK_JSLT, -1, 1), 1u);
	cr_assert_eq(cmp(BK_JMP, BK_JLE, 3, 3), 1u);
	cr_assert_eq(cmp(BK_JMP, BK_JSET, 6, 1), 0u);
	cr_assert_eq(cmp(BK_JMP, BK_JNE, 6, 1), 1u);
	cr_assert_eq(cmp(BK_JMP32, BK_JSGE, 0x80000000LL, 0), 0u, "32-bit sign");
	cr_assert_eq(cmp(BK_JMP32, BK_JLT, hi, 6), 1u);
}

Test(sys_prog, run_stack_memory_and_atomics)
{
	const struct bk_insn p[] = {
		BK_ST_MEM(BK_DW, BK_R10, -8, 10),
		BK_MOV64_IMM(BK_R1, 5),
		BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R10, BK_R1, -8),		/* 15 */
		BK_MOV64_IMM(BK_R2, 3),
		BK_ATOMIC_OP(BK_DW, BK_ADD | BK_FETCH, BK_R10, BK_R2, -8), /* r2 = 15, mem 18 */
		BK_MOV64_IMM(BK_R3, 100),
		BK_ATOMIC_OP(BK_DW, BK_XCHG, BK_R10, BK_R3, -8),	/* r3 = 18, mem 100 */
		BK_MOV64_IMM(BK_R0, 100),
		BK_MOV64_IMM(BK_R4, 7),
		BK_ATOMIC_OP(BK_DW, BK_CMPXCHG, BK_R10, BK_R4, -8),	/* r0 = 100, mem 7 */
		BK_LDX_MEM(BK_DW, BK_R5, BK_R10, -8),
		/* r0 = r2 * 1000000 + r3 * 1000 + mem */
		BK_ALU64_IMM(BK_MUL, BK_R2, 1000000),
		BK_ALU64_IMM(BK_MUL, BK_R3, 1000),
		BK_MOV64_REG(BK_R0, BK_R2),
		BK_ALU64_REG(BK_ADD, BK_R0, BK_R3),
		BK_ALU64_REG(BK_ADD, BK_R0, BK_R5),
		BK_EXIT(),
	};

	BK_REQUIRE_KERNEL();
	cr_assert_eq(run(p, LEN(p)), 15u * 1000000 + 18 * 1000 + 7);
}

Test(sys_prog, run_bpf_to_bpf_call)
{
	const struct bk_insn p[] = {
		BK_MOV64_IMM(BK_R1, 20),
		BK_CALL_LOCAL(2),
		BK_ALU64_IMM(BK_ADD, BK_R0, 1),
		BK_EXIT(),
		BK_MOV64_REG(BK_R0, BK_R1), /* callee: r0 = r1 * 2 */
		BK_ALU64_IMM(BK_LSH, BK_R0, 1),
		BK_EXIT(),
	};

	BK_REQUIRE_KERNEL();
	cr_assert_eq(run(p, LEN(p)), 41u);
}

Test(sys_prog, test_run_reports_data_out_and_duration)
{
	static const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 2), BK_EXIT() };
	uint8_t in[64], out[128];
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = in, .data_size_in = sizeof(in),
				      .data_out = out, .data_size_out = sizeof(out),
				      .repeat = 1000 };
	int fd;

	BK_REQUIRE_KERNEL();
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
				      .insns = p, .insn_cnt = 2));
	cr_assert_geq(fd, 3);
	cr_assert_eq(bk_sys_prog_test_run(fd, &o), 0);
	cr_assert_eq(o.retval, 2);
	cr_assert_eq(o.data_size_out, sizeof(in));
	cr_assert_eq(memcmp(in, out, sizeof(in)), 0);
	cr_assert_eq(bk_sys_prog_test_run(-1, &o), -EBADF);
	close(fd);
}
