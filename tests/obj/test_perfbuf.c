// SPDX-License-Identifier: MIT
/*
 * Perf event array reader against the running kernel: an XDP program run
 * through test runs calls bpf_perf_event_output(ctx, map, CURRENT_CPU, buf,
 * 40) with buf = {i, i * 3, ...} for a run counter i, and counts failures in
 * a map. The test process is pinned to one CPU so every sample lands in the
 * same ring (it runs in its own forked process: the pinning dies with it).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/perfbuf.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "rb_test_prog.h"

TestSuite(perfbuf, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define PAYLOAD 40
#define RAW_SIZE (((PAYLOAD + 4 + 7) & ~7) - 4) /* the kernel pads to 8 */
#define REC_SIZE (8 + 4 + RAW_SIZE)		/* header + raw size + raw */
#define BUF_OFF (-48)

enum { L_EXIT };

static int load_emitter(int map_fd, int state_fd)
{
	static char log[65536];
	struct pb p;
	int fd;

	pb_init(&p);
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R6, BK_R1));
	pb_state_ptr(&p, state_fd, L_EXIT);
	pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R8, BK_R7, 0));
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R8));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R1, 1));
	pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R7, BK_R1, 0));
	for (int j = 0; j < PAYLOAD / 8; j++) {
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R8));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_MUL, BK_R1, 2 * j + 1));
		pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_FP, BK_R1, BUF_OFF + 8 * j));
	}
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R6));
	pb_ld_map(&p, BK_R2, map_fd);
	pb_ld_imm64(&p, BK_R3, 0, 0xffffffffULL); /* BPF_F_CURRENT_CPU */
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R4, BK_FP));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R4, BUF_OFF));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R5, PAYLOAD));
	pb_emit(&p, bk_insn_call(BK_FN_perf_event_output));
	pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R0, 0, 0), L_EXIT);
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R1, 1));
	pb_emit(&p, (struct bk_insn)BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R7, BK_R1, 8));
	pb_label(&p, L_EXIT);
	pb_exit_pass(&p);
	fd = pb_load(&p, log, sizeof(log));
	cr_assert_geq(fd, 0, "load: %s\n%s", strerror(-fd), log);
	return fd;
}

/* Checks samples against the model: the next expected index, in order. */
struct pchecker {
	uint64_t next;
	size_t seen, lost_calls;
	uint64_t lost;
	int stop_at;
	char bad[160];
};

static int on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	struct pchecker *c = ctx;
	uint64_t w[PAYLOAD / 8];

	(void)cpu;
	for (int j = 0; j < PAYLOAD / 8; j++)
		w[j] = c->next * (uint64_t)(2 * j + 1);
	if (!c->bad[0] && (size != RAW_SIZE || memcmp(data, w, PAYLOAD)))
		snprintf(c->bad, sizeof(c->bad), "sample %llu: size %zu, expected %d%s",
			 (unsigned long long)c->next, size, RAW_SIZE,
			 size == RAW_SIZE ? " (bytes differ)" : "");
	c->next++;
	c->seen++;
	return c->stop_at && (int)c->seen == c->stop_at ? -7 : 0;
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct pchecker *c = ctx;

	(void)cpu;
	c->lost_calls++;
	c->lost += lost;
	c->next += lost; /* the dropped indexes never arrive */
}

struct pworld {
	int map_fd, state_fd, prog_fd;
	struct bk_perfbuf *pb;
};

static void pworld_up(struct pworld *w, size_t pages, struct pchecker *c)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	w->map_fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts,
					      .map_type = BK_MAP_TYPE_PERF_EVENT_ARRAY,
					      .key_size = 4, .value_size = 4,
					      .max_entries = (uint32_t)sysconf(_SC_NPROCESSORS_CONF)));
	cr_assert_geq(w->map_fd, 0);
	w->state_fd = rb_array_create(16);
	cr_assert_geq(w->state_fd, 0);
	w->prog_fd = load_emitter(w->map_fd, w->state_fd);
	w->pb = bk_perfbuf_new(w->map_fd, on_sample, c,
			       BK_OPTS(bk_perfbuf_opts, .pages_per_cpu = pages, .lost_fn = on_lost));
	cr_assert_not_null(w->pb, "perfbuf: %s", strerror(errno));
	cr_assert_geq(bk_perfbuf_cpu_cnt(w->pb), 1);
}

static void pworld_down(struct pworld *w)
{
	bk_perfbuf_free(w->pb);
	close(w->prog_fd);
	close(w->state_fd);
	close(w->map_fd);
}

static void prun(struct pworld *w, uint32_t repeat)
{
	uint32_t ret = 0;

	cr_assert_eq(pb_run(w->prog_fd, repeat, &ret), 0);
	cr_assert_eq(ret, 2);
}

Test(perfbuf, samples_arrive_in_order_byte_exact)
{
	struct pchecker c = { 0 };
	struct pworld w;

	BK_REQUIRE_KERNEL();
	pworld_up(&w, 8, &c);
	prun(&w, 50);
	cr_assert_eq(rb_array_word(w.state_fd, 1), 0, "no output failed");
	cr_assert_eq(bk_perfbuf_poll(w.pb, 5000), 50);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	cr_assert_eq(bk_perfbuf_lost(w.pb), 0);
	cr_assert_eq(bk_perfbuf_consume(w.pb), 0);
	pworld_down(&w);
}

Test(perfbuf, records_split_across_the_end_of_the_ring_are_reassembled)
{
	struct pchecker c = { 0 };
	struct pworld w;
	const size_t ring = (size_t)sysconf(_SC_PAGESIZE);
	size_t crossings = 0, pos = 0;

	BK_REQUIRE_KERNEL();
	pworld_up(&w, 1, &c);
	for (int round = 0; round < 100; round++) {
		prun(&w, 30);
		cr_assert_eq(bk_perfbuf_consume(w.pb), 30);
		cr_assert_eq(c.bad[0], 0, "round %d: %s", round, c.bad);
		for (int k = 0; k < 30; k++, pos += REC_SIZE)
			crossings += pos % ring + REC_SIZE > ring;
	}
	cr_assert_eq(c.seen, 3000);
	cr_assert_gt(crossings, 10, "the layout made samples wrap (%zu times)", crossings);
	cr_assert_eq(rb_array_word(w.state_fd, 1), 0);
	pworld_down(&w);
}

Test(perfbuf, a_full_ring_reports_lost_samples)
{
	struct pchecker c = { 0 };
	struct pworld w;
	const uint32_t runs = 300;
	uint64_t failed;
	int got;

	BK_REQUIRE_KERNEL();
	pworld_up(&w, 1, &c);
	prun(&w, runs);
	failed = rb_array_word(w.state_fd, 1);
	cr_assert_gt(failed, 0, "300 samples of %d bytes overflow one page", REC_SIZE);
	got = bk_perfbuf_consume(w.pb);
	cr_assert_eq((uint64_t)got + failed, runs);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	/* The kernel reports the loss with the next sample that fits. */
	prun(&w, 1);
	cr_assert_eq(bk_perfbuf_consume(w.pb), 1);
	cr_assert_eq(bk_perfbuf_lost(w.pb), failed, "lost count = failed outputs");
	cr_assert_eq(c.lost, failed);
	cr_assert_geq(c.lost_calls, 1);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	pworld_down(&w);
}

Test(perfbuf, negative_callback_return_stops_the_consume)
{
	struct pchecker c = { .stop_at = 2 };
	struct pworld w;

	BK_REQUIRE_KERNEL();
	pworld_up(&w, 8, &c);
	prun(&w, 5);
	cr_assert_eq(bk_perfbuf_consume(w.pb), -7);
	cr_assert_eq(c.seen, 2);
	c.stop_at = 0;
	cr_assert_eq(bk_perfbuf_consume(w.pb), 3);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	pworld_down(&w);
}

Test(perfbuf, rejects_bad_arguments)
{
	int fd;

	BK_REQUIRE_KERNEL();
	fd = rb_array_create(8);
	cr_assert_geq(fd, 0);
	cr_assert_null(bk_perfbuf_new(fd, on_sample, NULL, NULL));
	cr_assert_eq(errno, EINVAL, "an array is not a perf event array");
	cr_assert_null(bk_perfbuf_new(fd, NULL, NULL, NULL));
	cr_assert_null(bk_perfbuf_new(fd, on_sample, NULL,
				      BK_OPTS(bk_perfbuf_opts, .pages_per_cpu = 3)));
	cr_assert_eq(errno, EINVAL);
	bk_perfbuf_free(NULL);
	close(fd);
}
