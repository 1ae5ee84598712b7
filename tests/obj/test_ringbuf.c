// SPDX-License-Identifier: MIT
/*
 * Ring buffer consumer against the running kernel: an XDP program, run
 * through test runs, emits records of mixed sizes with bpf_ringbuf_output
 * and bpf_ringbuf_reserve/submit/discard; the consumer must see exactly the
 * submitted ones, in order, byte for byte. The expected stream is computed
 * here from the record index, the same way the program builds it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/ringbuf.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "rb_test_prog.h"

TestSuite(ringbuf, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define BUF_OFF (-80) /* 8 words of record content on the stack */
#define EAGAIN_NEG (-11)

enum { L_EXIT, L_RESERVE, L_DISCARD, L_DROP, L_OTHER };

/*
 * Each run takes index i from state[0] (and increments it) and builds the
 * words w[j] = (i << 8) | j. With fixed == 0: when i % 4 == 3 it reserves 40
 * bytes, copies w[0..4] and discards when i % 8 == 7, else submits; otherwise
 * it outputs the first ((i * 13) % 64) + 1 bytes of w. With fixed != 0 it
 * outputs the first fixed bytes of w. state[1] counts -EAGAIN from output
 * and failed reservations, state[2] any other error.
 */
static int load_producer(int rb_fd, int state_fd, int fixed)
{
	struct pb p;

	pb_init(&p);
	pb_state_ptr(&p, state_fd, L_EXIT);
	pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R8, BK_R7, 0));
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R8));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R1, 1));
	pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R7, BK_R1, 0));
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R8));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_LSH, BK_R1, 8));
	for (int j = 0; j < 8; j++) {
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R2, BK_R1));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_OR, BK_R2, j));
		pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_FP, BK_R2, BUF_OFF + 8 * j));
	}
	if (fixed) {
		pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R3, fixed));
	} else {
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R8));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_AND, BK_R1, 3));
		pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R1, 3, 0), L_RESERVE);
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R3, BK_R8));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_MUL, BK_R3, 13));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_AND, BK_R3, 63));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R3, 1));
	}
	pb_ld_map(&p, BK_R1, rb_fd);
	pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R2, BK_FP));
	pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R2, BUF_OFF));
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R4, 0));
	pb_emit(&p, bk_insn_call(BK_FN_ringbuf_output));
	pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R0, 0, 0), L_EXIT);
	pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R0, EAGAIN_NEG, 0), L_DROP);
	pb_jmp(&p, (struct bk_insn)BK_JA(0), L_OTHER);

	if (!fixed) { /* the reserve path, unreachable (so refused) otherwise */
		pb_label(&p, L_RESERVE);
		pb_ld_map(&p, BK_R1, rb_fd);
		pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R2, 40));
		pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R3, 0));
		pb_emit(&p, bk_insn_call(BK_FN_ringbuf_reserve));
		pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R0, 0, 0), L_DROP);
		for (int j = 0; j < 5; j++) {
			pb_emit(&p, (struct bk_insn)BK_LDX_MEM(BK_DW, BK_R1, BK_FP, BUF_OFF + 8 * j));
			pb_emit(&p, (struct bk_insn)BK_STX_MEM(BK_DW, BK_R0, BK_R1, 8 * j));
		}
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R1, BK_R0));
		pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R2, 0));
		pb_emit(&p, (struct bk_insn)BK_MOV64_REG(BK_R3, BK_R8));
		pb_emit(&p, (struct bk_insn)BK_ALU64_IMM(BK_AND, BK_R3, 7));
		pb_jmp(&p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R3, 7, 0), L_DISCARD);
		pb_emit(&p, bk_insn_call(BK_FN_ringbuf_submit));
		pb_jmp(&p, (struct bk_insn)BK_JA(0), L_EXIT);
		pb_label(&p, L_DISCARD);
		pb_emit(&p, bk_insn_call(BK_FN_ringbuf_discard));
		pb_jmp(&p, (struct bk_insn)BK_JA(0), L_EXIT);
	}
	pb_label(&p, L_DROP);
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R1, 1));
	pb_emit(&p, (struct bk_insn)BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R7, BK_R1, 8));
	pb_jmp(&p, (struct bk_insn)BK_JA(0), L_EXIT);
	pb_label(&p, L_OTHER);
	pb_emit(&p, (struct bk_insn)BK_MOV64_IMM(BK_R1, 1));
	pb_emit(&p, (struct bk_insn)BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R7, BK_R1, 16));
	pb_label(&p, L_EXIT);
	pb_exit_pass(&p);

	static char log[65536];
	int fd = pb_load(&p, log, sizeof(log));
	cr_assert_geq(fd, 0, "load: %s\n%s", strerror(-fd), log);
	return fd;
}

/* The record the program makes for index i. */
struct expect {
	int submitted;
	uint32_t size;
	uint32_t total; /* bytes it takes in the ring: header + data + padding */
	uint8_t bytes[64];
};

static void expect_rec(uint64_t i, uint32_t fixed, struct expect *e)
{
	uint64_t w[8];

	for (int j = 0; j < 8; j++)
		w[j] = (i << 8) | (uint64_t)j;
	if (!fixed && (i & 3) == 3) {
		e->size = 40;
		e->submitted = (i & 7) != 7;
	} else {
		e->size = fixed ? fixed : (uint32_t)((i * 13) & 63) + 1;
		e->submitted = 1;
	}
	memcpy(e->bytes, w, e->size);
	e->total = (e->size + 8 + 7) & ~7U;
}

/* Checks each record against the model, tracking its position in the ring. */
struct checker {
	uint64_t next;	   /* index of the next record the program made */
	uint32_t fixed;
	size_t seen;
	unsigned long pos; /* ring position of record next */
	unsigned long ring_size;
	size_t crossings;  /* records whose extent crosses the end of the ring */
	int stop_at;	   /* return -42 when seen reaches this (0: never) */
	char bad[200];
};

static int check_one(struct checker *c, const void *data, size_t size)
{
	struct expect e;

	for (;;) {
		expect_rec(c->next, c->fixed, &e);
		if (c->ring_size && (c->pos & (c->ring_size - 1)) + e.total > c->ring_size)
			c->crossings += e.submitted;
		c->pos += e.total;
		c->next++;
		if (e.submitted)
			break;
	}
	if (!c->bad[0] && (size != e.size || memcmp(data, e.bytes, size)))
		snprintf(c->bad, sizeof(c->bad), "record %llu: size %zu, expected %u%s",
			 (unsigned long long)(c->next - 1), size, e.size,
			 size == e.size ? " (bytes differ)" : "");
	c->seen++;
	if (c->stop_at && (int)c->seen == c->stop_at)
		return -42;
	return 0;
}

static int on_rec(void *ctx, const void *data, size_t size)
{
	return check_one(ctx, data, size);
}

/* Number of submitted records among indexes [from, to). */
static size_t submitted_between(uint64_t from, uint64_t to, uint32_t fixed)
{
	struct expect e;
	size_t n = 0;

	for (uint64_t i = from; i < to; i++) {
		expect_rec(i, fixed, &e);
		n += (size_t)e.submitted;
	}
	return n;
}

struct world {
	int rb_fd, state_fd, prog_fd;
	struct bk_ringbuf *rb;
};

static void world_up(struct world *w, uint32_t ring_size, int fixed, struct checker *c)
{
	w->rb_fd = rb_map_create(BK_MAP_TYPE_RINGBUF, ring_size);
	cr_assert_geq(w->rb_fd, 0, "ringbuf map: %s", strerror(-w->rb_fd));
	w->state_fd = rb_array_create(32);
	cr_assert_geq(w->state_fd, 0);
	w->prog_fd = load_producer(w->rb_fd, w->state_fd, fixed);
	w->rb = bk_ringbuf_new(NULL);
	cr_assert_not_null(w->rb);
	cr_assert_eq(bk_ringbuf_add(w->rb, w->rb_fd, on_rec, c), 0);
	c->fixed = (uint32_t)fixed;
	c->ring_size = ring_size;
}

static void world_down(struct world *w)
{
	bk_ringbuf_free(w->rb);
	close(w->prog_fd);
	close(w->state_fd);
	close(w->rb_fd);
}

static void run(struct world *w, uint32_t repeat)
{
	uint32_t ret = 0;

	cr_assert_eq(pb_run(w->prog_fd, repeat, &ret), 0);
	cr_assert_eq(ret, 2);
}

Test(ringbuf, consumer_sees_exactly_the_submitted_records_in_order)
{
	struct checker c = { 0 };
	struct world w;
	const uint32_t n = 1000;
	int got;

	BK_REQUIRE_KERNEL();
	world_up(&w, 256 * 1024, 0, &c);
	run(&w, n);
	cr_assert_eq(rb_array_word(w.state_fd, 0), n, "the program ran %u times", n);
	cr_assert_eq(rb_array_word(w.state_fd, 1), 0, "no drops in a large ring");
	got = bk_ringbuf_consume(w.rb);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	cr_assert_eq((size_t)got, submitted_between(0, n, 0));
	cr_assert_lt((size_t)got, n, "some records were discarded");
	cr_assert_eq(submitted_between(c.next, n, 0), 0, "only discarded records after the last");
	cr_assert_eq(bk_ringbuf_avail(w.rb, 0), 0);
	cr_assert_eq(bk_ringbuf_consume(w.rb), 0, "nothing left");
	world_down(&w);
}

Test(ringbuf, data_area_wraps_around_many_times)
{
	struct checker c = { 0 };
	struct world w;
	const uint32_t ring = 4096, per_round = 40, rounds = 300;
	size_t total = 0;

	BK_REQUIRE_KERNEL();
	world_up(&w, ring, 0, &c);
	cr_assert_eq(bk_ringbuf_size(w.rb, 0), ring);
	for (uint32_t r = 0; r < rounds; r++) {
		int got;

		run(&w, per_round);
		got = bk_ringbuf_consume(w.rb);
		cr_assert_geq(got, 0);
		total += (size_t)got;
		cr_assert_eq(c.bad[0], 0, "round %u: %s", r, c.bad);
	}
	cr_assert_eq(rb_array_word(w.state_fd, 1), 0, "40 records of <= 72 bytes fit in 4096");
	cr_assert_eq(total, submitted_between(0, (uint64_t)per_round * rounds, 0));
	cr_assert_gt(c.pos / ring, 100, "the data area wrapped %lu times", c.pos / ring);
	cr_assert_gt(c.crossings, 10, "records crossing the end of the ring were read whole");
	world_down(&w);
}

Test(ringbuf, full_ring_drops_what_does_not_fit_and_the_program_counts_it)
{
	struct checker c = { 0 };
	struct world w;
	const uint32_t ring = 4096, size = 56, runs = 100;
	/* The producer may get at most size - 1 bytes ahead of the consumer. */
	const uint32_t fit = (ring - 1) / ((size + 8 + 7) & ~7U);
	int got;

	BK_REQUIRE_KERNEL();
	world_up(&w, ring, (int)size, &c);
	run(&w, runs);
	cr_assert_eq(bk_ringbuf_avail(w.rb, 0), (size_t)fit * 64, "the ring is full: %zu",
		     bk_ringbuf_avail(w.rb, 0));
	got = bk_ringbuf_consume(w.rb);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	cr_assert_eq((uint32_t)got, fit);
	cr_assert_eq(rb_array_word(w.state_fd, 1), runs - fit, "bpf_ringbuf_output said -EAGAIN");
	cr_assert_eq(rb_array_word(w.state_fd, 2), 0);
	cr_assert_eq(got + rb_array_word(w.state_fd, 1), runs);
	/* The space is free again once consumed. The model skips the dropped
	 * indexes: the program counts every run, dropped or not. */
	c.next = runs;
	run(&w, 10);
	cr_assert_eq(bk_ringbuf_consume(w.rb), 10);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	cr_assert_eq(rb_array_word(w.state_fd, 1), runs - fit);
	world_down(&w);
}

Test(ringbuf, negative_callback_return_stops_and_is_propagated)
{
	struct checker c = { .stop_at = 3 };
	struct world w;

	BK_REQUIRE_KERNEL();
	world_up(&w, 16384, 24, &c);
	run(&w, 10);
	cr_assert_eq(bk_ringbuf_consume(w.rb), -42);
	cr_assert_eq(errno, 42);
	cr_assert_eq(c.seen, 3);
	c.stop_at = 0;
	cr_assert_eq(bk_ringbuf_consume(w.rb), 7, "the rest follows, the stopping record is consumed");
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	world_down(&w);
}

Test(ringbuf, consume_n_is_bounded)
{
	struct checker c = { 0 };
	struct world w;

	BK_REQUIRE_KERNEL();
	world_up(&w, 16384, 0, &c);
	run(&w, 40);
	cr_assert_eq(bk_ringbuf_consume_n(w.rb, 4), 4);
	cr_assert_eq(c.seen, 4);
	cr_assert_eq(bk_ringbuf_consume_n(w.rb, 0), 0);
	cr_assert_eq((size_t)bk_ringbuf_consume_n(w.rb, 1000) + 4, submitted_between(0, 40, 0));
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	world_down(&w);
}

Test(ringbuf, peek_hands_out_batches_valid_until_release)
{
	struct checker c = { 0 };
	struct world w;
	struct bk_ringbuf_rec recs[16];
	size_t total = 0;
	int n;

	BK_REQUIRE_KERNEL();
	world_up(&w, 16384, 0, &c);
	run(&w, 100);
	while ((n = bk_ringbuf_peek(w.rb, 0, recs, 16)) > 0) {
		cr_assert_leq(n, 16);
		for (int i = 0; i < n; i++)
			check_one(&c, recs[i].data, recs[i].size);
		total += (size_t)n;
		cr_assert_gt(bk_ringbuf_avail(w.rb, 0), 0, "nothing is released before release");
		cr_assert_eq(bk_ringbuf_consume(w.rb), -EBUSY, "no consume under a peek");
	}
	cr_assert_eq(n, 0);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	cr_assert_eq(total, submitted_between(0, 100, 0));
	cr_assert_eq(bk_ringbuf_release(w.rb, 0), 0);
	cr_assert_eq(bk_ringbuf_avail(w.rb, 0), 0, "one release gives everything back");
	/* Next round: peek, release, and consume mix once nothing is held. */
	run(&w, 20);
	n = bk_ringbuf_peek(w.rb, 0, recs, 4);
	cr_assert_eq(n, 4);
	for (int i = 0; i < n; i++)
		check_one(&c, recs[i].data, recs[i].size);
	cr_assert_eq(bk_ringbuf_release(w.rb, 0), 0);
	cr_assert_eq((size_t)bk_ringbuf_consume(w.rb) + 4, submitted_between(100, 120, 0));
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	world_down(&w);
}

Test(ringbuf, cursor_walks_every_record_in_order_and_releases_at_end)
{
	struct checker c = { 0 };
	struct world w;
	struct bk_ringbuf_cursor cur;
	struct bk_ringbuf_rec recs[4];
	const void *data;
	size_t size, total = 0;

	BK_REQUIRE_KERNEL();
	world_up(&w, 4096, 0, &c);
	/* Rounds of mixed sizes with discards, wrapping the 4 KiB ring. */
	for (int round = 0; round < 200; round++) {
		size_t before = c.seen;

		run(&w, 30);
		cur = bk_ringbuf_begin(w.rb, 0);
		cr_assert_eq((size_t)(cur.end - cur.hdr), bk_ringbuf_avail(w.rb, 0));
		cr_assert_eq(bk_ringbuf_consume(w.rb), -EBUSY, "no consume during a walk");
		while ((data = bk_ringbuf_next(&cur, &size)))
			check_one(&c, data, size);
		cr_assert_null(bk_ringbuf_next(&cur, &size), "the end stays the end");
		cr_assert_gt(bk_ringbuf_avail(w.rb, 0), 0, "nothing is released before end");
		cr_assert_eq(bk_ringbuf_end(w.rb, cur), 0);
		cr_assert_eq(bk_ringbuf_avail(w.rb, 0), 0, "end gives everything back");
		cr_assert_eq(c.bad[0], 0, "round %d: %s", round, c.bad);
		total += c.seen - before;
	}
	cr_assert_eq(rb_array_word(w.state_fd, 1), 0);
	cr_assert_eq(total, submitted_between(0, 200 * 30, 0));
	cr_assert_gt(c.pos / 4096, 20, "the data area wrapped %lu times", c.pos / 4096);
	cr_assert_gt(c.crossings, 10, "records crossing the end of the ring were read whole");

	/* Nothing there: an empty walk that needs no end, and consume works. */
	cur = bk_ringbuf_begin(w.rb, 0);
	cr_assert_eq(cur.hdr, cur.end);
	cr_assert_null(bk_ringbuf_next(&cur, &size));
	cr_assert_eq(bk_ringbuf_consume(w.rb), 0, "an empty walk holds nothing");

	/* A walk goes on after peeked records, and its end releases both. */
	run(&w, 20);
	cr_assert_eq(bk_ringbuf_peek(w.rb, 0, recs, 4), 4);
	for (int i = 0; i < 4; i++)
		check_one(&c, recs[i].data, recs[i].size);
	cur = bk_ringbuf_begin(w.rb, 0);
	cr_assert_eq(bk_ringbuf_end(w.rb, cur), 0, "ending before any next releases the peeked");
	cr_assert_eq(bk_ringbuf_release(w.rb, 0), 0, "a release after it is harmless");
	cur = bk_ringbuf_begin(w.rb, 0);
	for (size_t i = 0; i < 3 && (data = bk_ringbuf_next(&cur, &size)); i++)
		check_one(&c, data, size);
	cr_assert_eq(bk_ringbuf_end(w.rb, cur), 0);
	cr_assert_eq((size_t)bk_ringbuf_consume(w.rb) + 7, submitted_between(6000, 6020, 0),
		     "an end in the middle leaves the rest for the next reader");
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);

	cur = bk_ringbuf_begin(w.rb, 1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(cur.hdr, cur.end);
	cr_assert_eq(bk_ringbuf_end(w.rb, cur), -EINVAL);
	world_down(&w);
}

Test(ringbuf, a_ring_without_callback_is_counted_and_skipped)
{
	struct checker c = { 0 };
	struct world w;
	struct bk_ringbuf *rb;

	BK_REQUIRE_KERNEL();
	world_up(&w, 4096, 0, &c);
	rb = bk_ringbuf_new(NULL);
	cr_assert_not_null(rb);
	cr_assert_eq(bk_ringbuf_add(rb, w.rb_fd, NULL, NULL), 0);
	run(&w, 30);
	cr_assert_eq((size_t)bk_ringbuf_consume(rb), submitted_between(0, 30, 0));
	cr_assert_eq(bk_ringbuf_avail(rb, 0), 0);
	cr_assert_eq(c.seen, 0);
	bk_ringbuf_free(rb);
	world_down(&w);
}

/* One synthetic record: a header (length and flags) and its data, padded. */
static size_t put_rec(uint8_t *at, uint32_t len, uint32_t flags, uint8_t fill)
{
	uint32_t hdr = len | flags;

	memcpy(at, &hdr, sizeof(hdr));
	memset(at + 4, 0, 4);
	memset(at + BK_RINGBUF_HDR_SZ, fill, len);
	return (len + BK_RINGBUF_HDR_SZ + 7) & ~(size_t)7;
}

Test(ringbuf, inline_walk_skips_discarded_and_stops_at_busy)
{
	_Alignas(8) static uint8_t buf[4096];
	struct bk_ringbuf_cursor cur = { 0 };
	const uint8_t *busy, *data;
	size_t off = 0, size;

	/* 70 of one size (past 64, the walk guesses the size), a discarded
	 * one, one of another size (a wrong guess), then a record still
	 * being written and one after it. */
	for (unsigned int i = 0; i < 70; i++)
		off += put_rec(buf + off, 20, 0, (uint8_t)i);
	off += put_rec(buf + off, 5, BK_RINGBUF_DISCARD_BIT, 0xdd);
	off += put_rec(buf + off, 33, 0, 70);
	busy = buf + off;
	off += put_rec(buf + off, 12, BK_RINGBUF_BUSY_BIT, 0xbb);
	off += put_rec(buf + off, 12, 0, 0xee);
	cur.start = cur.hdr = buf;
	cur.end = buf + off;
	for (unsigned int i = 0; i < 71; i++) {
		data = bk_ringbuf_next(&cur, &size);
		cr_assert_not_null(data, "record %u", i);
		cr_assert_eq(size, i < 70 ? 20 : 33, "record %u: size %zu", i, size);
		for (size_t j = 0; j < size; j++)
			cr_assert_eq(data[j], i, "record %u byte %zu", i, j);
		if (i == 69)
			cr_assert_geq(cur.hits, 64, "the walk guesses by now");
	}
	cr_assert_eq(cur.hits, 0, "and stopped guessing at the wrong guess");
	cr_assert_null(bk_ringbuf_next(&cur, &size), "BUSY stops the walk");
	cr_assert_eq(cur.hdr, busy, "and the walk stays on the busy record");
	cr_assert_null(bk_ringbuf_next(&cur, &size), "until it is committed");
	/* Committed now: the walk goes on with it. */
	put_rec((uint8_t *)busy, 12, 0, 4);
	data = bk_ringbuf_next(&cur, &size);
	cr_assert(data && size == 12 && data[0] == 4 && data[11] == 4);
	data = bk_ringbuf_next(&cur, &size);
	cr_assert(data && size == 12 && data[0] == 0xee);
	cr_assert_null(bk_ringbuf_next(&cur, &size));
	cr_assert_eq(cur.hdr, cur.end);
}

/* Checks the records of runs of fixed sizes: index and size of each. */
struct runs_check {
	uint64_t next;
	const uint64_t *until; /* record index where each run of sizes ends */
	const uint32_t *sizes;
	int bad;
};

static int check_runs(void *ctx, const void *data, size_t size)
{
	struct runs_check *c = ctx;
	uint64_t w0;
	size_t k = 0;

	while (c->next >= c->until[k])
		k++;
	memcpy(&w0, data, sizeof(w0));
	if (!c->bad && (size != c->sizes[k] || w0 != c->next << 8))
		c->bad = (int)c->next + 1;
	c->next++;
	return 0;
}

Test(ringbuf, runs_of_one_size_then_another_in_every_reader)
{
	/* Long runs of one size get the size guessed; each change of size
	 * is a wrong guess in the middle of a walk. Every reader must still
	 * land on each header. */
	static const uint64_t until[] = { 200, 300, 400, 470, 600, UINT64_MAX };
	static const uint32_t sizes[] = { 24, 40, 24, 8, 64, 0 };
	struct runs_check c = { .until = until, .sizes = sizes };
	struct checker unused = { 0 };
	struct world w;
	int progs[3];

	BK_REQUIRE_KERNEL();
	world_up(&w, 65536, 24, &unused);
	progs[0] = w.prog_fd;
	progs[1] = load_producer(w.rb_fd, w.state_fd, 40);
	progs[2] = load_producer(w.rb_fd, w.state_fd, 8);
	for (int reader = 0; reader < 3; reader++) {
		struct bk_ringbuf *rb = bk_ringbuf_new(NULL);
		uint64_t first = c.next;
		size_t got = 0;

		cr_assert_not_null(rb);
		cr_assert_eq(bk_ringbuf_add(rb, w.rb_fd, check_runs, &c), 0);
		for (size_t k = 0; until[k] != UINT64_MAX; k++) {
			int fd = sizes[k] == 24 ? progs[0] : sizes[k] == 40 ? progs[1] : progs[2];
			uint64_t from = k ? until[k - 1] : 0;

			if (sizes[k] == 64)
				fd = load_producer(w.rb_fd, w.state_fd, 64);
			cr_assert_eq(pb_run(fd, (uint32_t)(until[k] - from), NULL), 0);
			if (sizes[k] == 64)
				close(fd);
		}
		if (reader == 0) {
			got = (size_t)bk_ringbuf_consume(rb);
		} else if (reader == 1) {
			struct bk_ringbuf_rec recs[7];
			int n;

			while ((n = bk_ringbuf_peek(rb, 0, recs, 7)) > 0) {
				for (int i = 0; i < n; i++)
					check_runs(&c, recs[i].data, recs[i].size);
				got += (size_t)n;
				if (got % 3 == 0)
					bk_ringbuf_release(rb, 0);
			}
			bk_ringbuf_release(rb, 0);
		} else {
			struct bk_ringbuf_cursor cur = bk_ringbuf_begin(rb, 0);
			const void *data;
			size_t size;

			while ((data = bk_ringbuf_next(&cur, &size))) {
				check_runs(&c, data, size);
				got++;
			}
			cr_assert_eq(bk_ringbuf_end(rb, cur), 0);
		}
		cr_assert_eq(c.bad, 0, "reader %d: record %d is wrong", reader, c.bad - 1);
		cr_assert_eq(got, 600, "reader %d got %zu", reader, got);
		cr_assert_eq(bk_ringbuf_avail(rb, 0), 0);
		bk_ringbuf_free(rb);
		/* The next reader sees the same runs again, later in the ring. */
		cr_assert_eq(c.next - first, 600);
		c.next = 0;
		cr_assert_eq(rb_array_word(w.state_fd, 1), 0);
		{
			uint64_t zero[4] = { 0 }; /* the whole 32-byte state */
			uint32_t key = 0;

			cr_assert_eq(bk_sys_map_update_elem(w.state_fd, &key, zero, 0), 0);
		}
	}
	close(progs[1]);
	close(progs[2]);
	world_down(&w);
}

/* Counts records per ring. */
static int count_rec(void *ctx, const void *data, size_t size)
{
	(void)data;
	(void)size;
	++*(size_t *)ctx;
	return 0;
}

Test(ringbuf, one_epoll_set_polls_two_rings)
{
	struct checker ca = { 0 }, cb = { 0 };
	struct world a, b;
	struct bk_ringbuf *rb;
	size_t na = 0, nb = 0;
	struct epoll_event ev;

	BK_REQUIRE_KERNEL();
	world_up(&a, 4096, 16, &ca);
	world_up(&b, 8192, 32, &cb);
	rb = bk_ringbuf_new(BK_OPTS(bk_ringbuf_opts));
	cr_assert_not_null(rb);
	cr_assert_eq(bk_ringbuf_add(rb, a.rb_fd, count_rec, &na), 0);
	cr_assert_eq(bk_ringbuf_add(rb, b.rb_fd, count_rec, &nb), 1);
	cr_assert_eq(bk_ringbuf_ring_cnt(rb), 2);
	cr_assert_eq(bk_ringbuf_poll(rb, 0), 0, "nothing yet");
	cr_assert_eq(epoll_wait(bk_ringbuf_epoll_fd(rb), &ev, 1, 0), 0);
	run(&a, 3);
	run(&b, 5);
	cr_assert_eq(epoll_wait(bk_ringbuf_epoll_fd(rb), &ev, 1, 0), 1, "the fd is readable");
	cr_assert_eq(bk_ringbuf_poll(rb, 5000), 8);
	cr_assert_eq(na, 3);
	cr_assert_eq(nb, 5);
	cr_assert_eq(bk_ringbuf_poll(rb, 0), 0);
	cr_assert_eq(bk_ringbuf_consume_ring(rb, 2), -EINVAL);
	bk_ringbuf_free(rb);
	world_down(&a);
	world_down(&b);
}

static void *late_producer(void *arg)
{
	struct world *w = arg;

	usleep(50 * 1000);
	pb_run(w->prog_fd, 7, NULL);
	return NULL;
}

Test(ringbuf, poll_wakes_up_when_a_record_arrives)
{
	struct checker c = { 0 };
	struct world w;
	pthread_t t;
	int got = 0;

	BK_REQUIRE_KERNEL();
	world_up(&w, 4096, 8, &c);
	cr_assert_eq(pthread_create(&t, NULL, late_producer, &w), 0);
	while (got < 7) {
		int r = bk_ringbuf_poll(w.rb, 10000);

		cr_assert_gt(r, 0, "woken with records, not by the timeout (%d)", r);
		got += r;
	}
	pthread_join(t, NULL);
	cr_assert_eq(got, 7);
	cr_assert_eq(c.bad[0], 0, "%s", c.bad);
	world_down(&w);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

Test(ringbuf, a_signal_during_poll_is_not_an_error)
{
	struct checker c = { 0 };
	struct world w;
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = 50 * 1000 } };

	BK_REQUIRE_KERNEL();
	world_up(&w, 4096, 8, &c);
	cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	cr_assert_eq(bk_ringbuf_poll(w.rb, 20000), 0);
	cr_assert_eq(alarms, 1, "the wait ended because of the signal");
	run(&w, 2);
	cr_assert_eq(bk_ringbuf_poll(w.rb, 1000), 2, "and polling goes on");
	world_down(&w);
}

Test(ringbuf, rejects_maps_that_are_not_ring_buffers)
{
	struct bk_ringbuf *rb;
	int fd;

	BK_REQUIRE_KERNEL();
	rb = bk_ringbuf_new(NULL);
	cr_assert_not_null(rb);
	fd = rb_array_create(8);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_ringbuf_add(rb, fd, count_rec, NULL), -EINVAL);
	cr_assert_eq(bk_ringbuf_add(rb, -1, count_rec, NULL), -EINVAL);
	cr_assert_eq(bk_ringbuf_poll(rb, 0), -ENOENT, "no ring to wait on");
	cr_assert_eq(bk_ringbuf_peek(rb, 0, NULL, 0), -EINVAL);
	cr_assert_eq(bk_ringbuf_avail(rb, 0), 0);
	cr_assert_eq(bk_ringbuf_size(rb, 5), 0);
	cr_assert_eq(bk_ringbuf_ring_cnt(NULL), 0);
	cr_assert_null(bk_ringbuf_new(&(struct bk_ringbuf_opts){ .sz = 1 }));
	cr_assert_eq(errno, EINVAL);
	bk_ringbuf_free(rb);
	bk_ringbuf_free(NULL);
	close(fd);
}
