// SPDX-License-Identifier: MIT
/*
 * User ring buffer producer against the running kernel: samples written here
 * are drained by an XDP program through bpf_user_ringbuf_drain() with a
 * bpf-to-bpf callback (its address loaded by a BK_PSEUDO_FUNC ld_imm64),
 * which counts them and sums their first words into a map.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/ringbuf.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "rb_test_prog.h"

TestSuite(user_ringbuf, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

enum { L_EXIT, L_CB, L_CB_RET };

#define CTX_OFF (-32) /* {count, sum} on the main frame's stack */

/*
 * Main: ctx = {0, 0}; r0 = bpf_user_ringbuf_drain(map, cb, &ctx, 0);
 * state[0] += ctx.count; state[1] += ctx.sum; state[2] = r0.
 * cb(dynptr, ctx): if bpf_dynptr_read(&v, 8, dynptr, 0, 0) == 0 then
 * ctx->count++, ctx->sum += v; return 0.
 */
static int load_drainer(int urb_fd, int state_fd)
{
	static char log[65536];
	struct pb p;
	int fd;

	pb_init(&p);
	pb_state_ptr(&p, state_fd, L_EXIT);
	pb_emit(&p, (struct bk_insn)BK_ST_MEM(BK_DW, BK_FP, CTX_OFF, 0));
	pb_emit(&p, (struct bk_insn)BK_ST_MEM(BK_DW, BK_FP, CTX_OFF + 8, 0));
	pb_ld_map(&p, BK_R1, urb_fd);
	pb_ld_func(&p, BK_R2, L_CB);
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R3, BK_FP));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R3, CTX_OFF));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R4, 0));
	pb_emit(&p, bk_insn_call(BK_FN_user_ringbuf_drain));
	pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R7, BK_R0, 16));
	for (int k = 0; k < 2; k++) {
		pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R1, BK_FP, CTX_OFF + 8 * k));
		pb_emit(&p, (struct bk_insn)BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R7, BK_R1, 8 * k));
	}
	pb_label(&p, L_EXIT);
	pb_exit_pass(&p);

	pb_label(&p, L_CB);
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R6, BK_R2));
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R3, BK_R1));
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_FP));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R1, -8));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R2, 8));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R4, 0));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R5, 0));
	pb_emit(&p, bk_insn_call(BK_FN_dynptr_read));
	pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JNE, BK_R0, 0, 0), L_CB_RET);
	pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R1, BK_FP, -8));
	pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R2, BK_R6, 8));
	pb_emit(&p, (struct bk_insn)BK_ALU64_REG(BK_ADD, BK_R2, BK_R1));
	pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R6, BK_R2, 8));
	pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R2, BK_R6, 0));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R2, 1));
	pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R6, BK_R2, 0));
	pb_label(&p, L_CB_RET);
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R0, 0));
	pb_emit(&p, (struct bk_insn)BK_EXIT());

	fd = pb_load_with_cb(&p, L_CB, log, sizeof(log));
	cr_assert_geq(fd, 0, "load: %s\n%s", strerror(-fd), log);
	return fd;
}

struct uworld {
	int map_fd, state_fd, prog_fd;
	struct bk_user_ringbuf *urb;
};

static void uworld_up(struct uworld *w, uint32_t size)
{
	w->map_fd = rb_map_create(BK_MAP_TYPE_USER_RINGBUF, size);
	cr_assert_geq(w->map_fd, 0, "user ringbuf map: %s", strerror(-w->map_fd));
	w->state_fd = rb_array_create(32);
	cr_assert_geq(w->state_fd, 0);
	w->prog_fd = load_drainer(w->map_fd, w->state_fd);
	w->urb = bk_user_ringbuf_new(w->map_fd, NULL);
	cr_assert_not_null(w->urb, "new: %s", strerror(errno));
}

static void uworld_down(struct uworld *w)
{
	bk_user_ringbuf_free(w->urb);
	close(w->prog_fd);
	close(w->state_fd);
	close(w->map_fd);
}

static void drain(struct uworld *w)
{
	uint32_t ret = 0;

	cr_assert_eq(pb_run(w->prog_fd, 1, &ret), 0);
	cr_assert_eq(ret, 2);
}

/* Reserve a sample of size bytes whose first word is v. */
static void *put(struct uworld *w, uint32_t size, uint64_t v)
{
	uint8_t *s = bk_user_ringbuf_reserve(w->urb, size);

	cr_assert_not_null(s, "reserve %u: %s", size, strerror(errno));
	cr_assert_eq((uintptr_t)s % 8, 0, "samples are 8-byte aligned");
	memset(s, 0xab, size);
	memcpy(s, &v, sizeof(v));
	return s;
}

Test(user_ringbuf, program_drains_exactly_the_submitted_samples)
{
	struct uworld w;
	uint64_t count = 0, sum = 0;
	const size_t ring = 16384;

	BK_REQUIRE_KERNEL();
	uworld_up(&w, (uint32_t)ring);
	cr_assert_eq(bk_user_ringbuf_free_space(w.urb), ring);
	for (uint64_t i = 0; i < 100; i++) {
		uint64_t v = (i + 1) * 1000003;
		void *s = put(&w, 8 + (uint32_t)(i % 5) * 12, v);

		if (i % 7 == 3) {
			bk_user_ringbuf_discard(w.urb, s);
		} else {
			bk_user_ringbuf_submit(w.urb, s);
			count++;
			sum += v;
		}
	}
	cr_assert_lt(bk_user_ringbuf_free_space(w.urb), ring);
	drain(&w);
	cr_assert_eq(rb_array_word(w.state_fd, 0), count);
	cr_assert_eq(rb_array_word(w.state_fd, 1), sum);
	cr_assert_eq(rb_array_word(w.state_fd, 2), count, "drain returns the samples it handed out");
	cr_assert_eq(bk_user_ringbuf_free_space(w.urb), ring, "the kernel released everything");
	uworld_down(&w);
}

Test(user_ringbuf, wraps_around_the_data_area)
{
	struct uworld w;
	uint64_t sum = 0, n = 0;

	BK_REQUIRE_KERNEL();
	uworld_up(&w, 4096);
	for (int round = 0; round < 50; round++) {
		for (int k = 0; k < 30; k++) {
			uint64_t v = n * 7 + 1;

			bk_user_ringbuf_submit(w.urb, put(&w, 8 + (uint32_t)(k % 9) * 8, v));
			sum += v;
			n++;
		}
		drain(&w);
	}
	cr_assert_eq(rb_array_word(w.state_fd, 0), n);
	cr_assert_eq(rb_array_word(w.state_fd, 1), sum);
	uworld_down(&w);
}

Test(user_ringbuf, full_ring_says_enospc_and_oversized_says_e2big)
{
	struct uworld w;
	const uint32_t ring = 4096, size = 24, per = 32; /* 8 header + 24 */
	uint32_t n = 0;
	void *s;

	BK_REQUIRE_KERNEL();
	uworld_up(&w, ring);
	while ((s = bk_user_ringbuf_reserve(w.urb, size)) != NULL) {
		memset(s, 0, size);
		bk_user_ringbuf_submit(w.urb, s);
		n++;
	}
	cr_assert_eq(errno, ENOSPC);
	cr_assert_eq(n, ring / per, "the whole data area is usable");
	cr_assert_eq(bk_user_ringbuf_free_space(w.urb), 0);
	cr_assert_null(bk_user_ringbuf_reserve(w.urb, ring));
	cr_assert_eq(errno, E2BIG, "a sample with its header larger than the ring never fits");
	drain(&w);
	cr_assert_eq(rb_array_word(w.state_fd, 0), n);
	cr_assert_not_null(bk_user_ringbuf_reserve(w.urb, ring - 8), "exactly the ring fits");
	uworld_down(&w);
}

Test(user_ringbuf, an_unsubmitted_sample_holds_back_the_later_ones)
{
	struct uworld w;
	void *a, *b;

	BK_REQUIRE_KERNEL();
	uworld_up(&w, 4096);
	a = put(&w, 8, 5);
	b = put(&w, 8, 7);
	bk_user_ringbuf_submit(w.urb, b);
	drain(&w);
	cr_assert_eq(rb_array_word(w.state_fd, 0), 0, "a is still busy");
	bk_user_ringbuf_submit(w.urb, a);
	drain(&w);
	cr_assert_eq(rb_array_word(w.state_fd, 0), 2);
	cr_assert_eq(rb_array_word(w.state_fd, 1), 12);
	uworld_down(&w);
}

static void *late_drainer(void *arg)
{
	struct uworld *w = arg;

	usleep(50 * 1000);
	pb_run(w->prog_fd, 1, NULL);
	return NULL;
}

Test(user_ringbuf, blocking_reserve_waits_for_a_drain)
{
	struct uworld w;
	pthread_t t;
	void *s;

	BK_REQUIRE_KERNEL();
	uworld_up(&w, 4096);
	while ((s = bk_user_ringbuf_reserve(w.urb, 56)) != NULL)
		bk_user_ringbuf_submit(w.urb, memset(s, 0, 56));
	cr_assert_null(bk_user_ringbuf_reserve_blocking(w.urb, 56, 20));
	cr_assert_eq(errno, ETIMEDOUT, "nobody drains: the wait times out");
	cr_assert_eq(pthread_create(&t, NULL, late_drainer, &w), 0);
	s = bk_user_ringbuf_reserve_blocking(w.urb, 56, 20000);
	cr_assert_not_null(s, "room after the drain: %s", strerror(errno));
	pthread_join(t, NULL);
	cr_assert_eq(rb_array_word(w.state_fd, 0), 4096 / 64);
	uworld_down(&w);
}

Test(user_ringbuf, rejects_other_map_types)
{
	int fd;

	BK_REQUIRE_KERNEL();
	fd = rb_map_create(BK_MAP_TYPE_RINGBUF, 4096);
	cr_assert_geq(fd, 0);
	cr_assert_null(bk_user_ringbuf_new(fd, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_user_ringbuf_new(-1, NULL));
	cr_assert_null(bk_user_ringbuf_reserve(NULL, 8));
	bk_user_ringbuf_free(NULL);
	close(fd);
}
