// SPDX-License-Identifier: MIT
/* Running and reading back loaded programs: test runs with data and context,
 * info, translated instructions through the disassembler, run-time stats. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "prog_test.h"

TestSuite(obj_prog_run, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static void collect(void *ctx, const char *text, size_t len)
{
	char **acc = ctx;
	size_t old = *acc ? strlen(*acc) : 0;
	char *n = realloc(*acc, old + len + 1);

	cr_assert_not_null(n);
	memcpy(n + old, text, len);
	n[old + len] = '\0';
	*acc = n;
}

Test(obj_prog_run, test_run_rewrites_packet_data)
{
	/* XDP: bounds check, then pkt[0] ^= 0xff, return XDP_TX (3). */
	const char *src = "r2 = *(u32 *)(r1 + 0)\n"
			  "r3 = *(u32 *)(r1 + 4)\n"
			  "r4 = r2\n"
			  "r4 += 1\n"
			  "r0 = 0\n"
			  "if r4 > r3 goto out\n"
			  "r5 = *(u8 *)(r2 + 0)\n"
			  "r5 ^= 255\n"
			  "*(u8 *)(r2 + 0) = r5\n"
			  "r0 = 3\n"
			  "out:\n"
			  "exit\n";
	uint8_t in[64], out[128];
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = in, .data_size_in = sizeof(in),
				      .data_out = out, .data_size_out = sizeof(out), .repeat = 3 };
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	p = load_text(BK_PROG_TYPE_XDP, src, NULL, 0);
	cr_assert_eq(bk_prog_test_run(p, &o), 0, "%s", strerror(errno));
	cr_assert_eq(o.retval, 3);
	cr_assert_eq(o.data_size_out, sizeof(in));
	cr_assert_eq(out[0], 0xff);
	cr_assert_eq(memcmp(out + 1, in + 1, sizeof(in) - 1), 0);
	bk_prog_close(p);
}

Test(obj_prog_run, test_run_passes_context_in_and_out)
{
	/* skb->mark (offset 8 of struct __sk_buff) in; the program returns mark + 1. */
	const char *src = "r0 = *(u32 *)(r1 + 8)\nr0 += 1\nexit\n";
	uint8_t pkt[64] = { 0 };
	uint32_t ctx[48] = { 0 }, ctx_out[48] = { 0 };
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = pkt, .data_size_in = sizeof(pkt),
				      .ctx_in = ctx, .ctx_size_in = sizeof(ctx), .ctx_out = ctx_out,
				      .ctx_size_out = sizeof(ctx_out) };
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	ctx[2] = 41; /* mark */
	p = load_text(BK_PROG_TYPE_SCHED_CLS, src, NULL, 0);
	cr_assert_eq(bk_prog_test_run(p, &o), 0, "%s", strerror(errno));
	cr_assert_eq(o.retval, 42);
	cr_assert_gt(o.ctx_size_out, 12);
	cr_assert_eq(ctx_out[2], 41, "the context comes back out");
	bk_prog_close(p);
}

Test(obj_prog_run, info_xlated_dump_and_run_stats)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 7), BK_ALU64_IMM(BK_ADD, BK_R0, 5),
					 BK_EXIT() };
	struct bk_info_prog info;
	struct bk_insn *x = NULL;
	size_t n = 0;
	char *text = NULL;
	struct bk_prog *p;
	int stats;

	BK_REQUIRE_KERNEL();
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 3, BK_OPTS(bk_prog_opts, .name = "seven"));
	cr_assert_not_null(p);
	cr_assert_eq(bk_prog_xlated(p, &x, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(x, insns, sizeof(insns)), 0, "nothing for the verifier to rewrite");
	free(x);
	cr_assert_eq(bk_prog_dump_xlated(p, NULL, collect, &text), 0);
	cr_assert_str_eq(text, "   0: r0 = 7\n   1: r0 += 5\n   2: exit\n");
	free(text);

	stats = bk_prog_enable_stats();
	cr_assert_geq(stats, 0, "%s", strerror(errno));
	cr_assert(fcntl(stats, F_GETFD) & FD_CLOEXEC);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(run(p), 12);
	cr_assert_eq(bk_prog_info(p, &info), 0);
	close(stats);
	cr_assert_eq(info.id, bk_prog_id(p));
	cr_assert_str_eq(info.name, "seven");
	cr_assert_eq(memcmp(info.tag, bk_prog_tag(p), 8), 0);
	cr_assert_eq(info.xlated_len, 3 * sizeof(struct bk_insn));
	cr_assert_gt(info.jited_len, 0);
	cr_assert_eq(info.run_cnt, 4);
	cr_assert_gt(info.run_time_ns, 0);
	bk_prog_close(p);
}
