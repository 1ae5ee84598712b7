// SPDX-License-Identifier: MIT
/*
 * Ring buffer consumer (BPF_MAP_TYPE_RINGBUF, Linux 5.8).
 *
 * The protocol, between a kernel producer and this consumer, with the
 * memory ordering of each step (see the layout diagram in ringbuf.h):
 *
 *   kernel: reserve  advance producer_pos (store-release), write the header
 *                    with BUSY set
 *   kernel: commit   write the data, then store-release the header's len with
 *                    BUSY clear (DISCARD set if the record was dropped)
 *   us:     read     load-acquire producer_pos; for each header up to it,
 *                    load-acquire len; stop at BUSY; skip DISCARD; hand out
 *                    the data; advance by round_up(len + 8, 8)
 *   us:     release  store-release consumer_pos: the kernel may now reuse
 *                    the space, and our reads of it happened before
 *
 * Where we differ from libbpf: the consumer position is published once per
 * batch of records (at most a quarter of the ring at a time, so a producer
 * never waits long for space), not once per record; the producer position
 * is loaded once per batch; the walk over a batch runs on a pointer into
 * the double mapping, with no masking and every variable in a register; the
 * next header's address is guessed from the last record's size (rb_next())
 * rather than waited for; and bk_ringbuf_peek() and the inline
 * bk_ringbuf_next() hand out records with no callback at all.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpfkit/ringbuf.h>

#include "ringbuf_int.h"

struct ring {
	bk_rb_pos *consumer_pos; /* our page, read-write */
	bk_rb_pos *producer_pos; /* the kernel's page, mapped read-only */
	uint8_t *data;		 /* data area, mapped twice in a row (read-only) */
	unsigned long mask;	 /* data size - 1 */
	unsigned long peek_pos;	 /* end of what bk_ringbuf_peek() handed out */
	unsigned long step;	 /* the last record's total size: rb_next()'s guess */
	unsigned long hits;	 /* how many records in a row had that size */
	size_t held;		 /* records peeked and not released */
	bool peeking;		 /* peek_pos is ahead of consumer_pos */
	bk_ringbuf_fn fn;
	void *ctx;
	size_t page_size;
};

struct bk_ringbuf {
	struct ring *rings;
	struct epoll_event *events; /* one per ring, for epoll_wait */
	unsigned int cnt, cap;
	int epoll_fd;
};

/* ---- setup ---- */

struct bk_ringbuf *bk_ringbuf_new(const struct bk_ringbuf_opts *opts)
{
	struct bk_ringbuf *rb;
	int fd;

	if (opts && opts->sz < sizeof(size_t))
		return bk__err_ptr(-EINVAL);
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return bk__err_ptr(-ENOMEM);
	fd = bk__fd_above_stdio(epoll_create1(EPOLL_CLOEXEC));
	if (fd < 0) {
		int err = -errno;

		free(rb);
		return bk__err_ptr(err);
	}
	rb->epoll_fd = fd;
	return rb;
}

static void ring_unmap(struct ring *r)
{
	if (r->consumer_pos)
		munmap((void *)r->consumer_pos, r->page_size);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->page_size + 2 * (r->mask + 1));
}

/* Map the consumer page read-write, the producer page and the data area
 * (twice: the kernel maps its pages that way) read-only. */
static int ring_map(struct ring *r, int map_fd, unsigned long size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	if (size > (SIZE_MAX - page) / 2)
		return bk__err(-E2BIG);
	r->page_size = page;
	r->mask = size - 1;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return bk__err(-errno);
	r->consumer_pos = p;
	p = mmap(NULL, page + 2 * size, PROT_READ, MAP_SHARED, map_fd, (off_t)page);
	if (p == MAP_FAILED) {
		int err = -errno;

		ring_unmap(r);
		return bk__err(err);
	}
	r->producer_pos = p;
	r->data = (uint8_t *)p + page;
	return 0;
}

static int grow(struct bk_ringbuf *rb)
{
	unsigned int cap = rb->cap ? rb->cap * 2 : 4;
	struct ring *rings;
	struct epoll_event *events;

	if (rb->cnt < rb->cap)
		return 0;
	rings = realloc(rb->rings, cap * sizeof(*rings));
	if (!rings)
		return bk__err(-ENOMEM);
	rb->rings = rings;
	events = realloc(rb->events, cap * sizeof(*events));
	if (!events)
		return bk__err(-ENOMEM);
	rb->events = events;
	rb->cap = cap;
	return 0;
}

int bk_ringbuf_add(struct bk_ringbuf *rb, int map_fd, bk_ringbuf_fn fn, void *ctx)
{
	struct ring r = { .fn = fn, .ctx = ctx };
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned long size;
	int err;

	if (!rb || map_fd < 0 || rb->cnt == INT_MAX)
		return bk__err(-EINVAL);
	err = bk__rb_map_size(map_fd, BK_MAP_TYPE_RINGBUF, &size);
	if (!err)
		err = grow(rb);
	if (!err)
		err = ring_map(&r, map_fd, size);
	if (err)
		return err;
	ev.data.u32 = rb->cnt;
	if (epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		err = -errno;
		ring_unmap(&r);
		return bk__err(err);
	}
	rb->rings[rb->cnt] = r;
	return (int)rb->cnt++;
}

void bk_ringbuf_free(struct bk_ringbuf *rb)
{
	if (!rb)
		return;
	for (unsigned int i = 0; i < rb->cnt; i++)
		ring_unmap(&rb->rings[i]);
	close(rb->epoll_fd);
	free(rb->rings);
	free(rb->events);
	free(rb);
}

/* ---- reading ---- */

/* Bytes published by the producer and not yet released by us, read in the
 * same order as the consume loop does. */
static unsigned long ring_pending(const struct ring *r)
{
	unsigned long cons = atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	unsigned long prod = atomic_load_explicit(r->producer_pos, memory_order_acquire);

	return prod - cons;
}

/* Either flag set: the record needs the slow path (BUSY stops, DISCARD skips). */
#define RB_FLAGS (BK_RINGBUF_BUSY_BIT | BK_RINGBUF_DISCARD_BIT)

/*
 * The address of the next record: hdr + total, computed so the CPU need not
 * wait for the length load when it can guess. Each header's address depends
 * on the length in the one before, a chain of dependent loads that runs at
 * one cache latency per record (measured: it made the zero-copy batch loop,
 * which has no other work to overlap with, slower than the callback loop).
 * Most rings carry records of one size, so once RB_GUESS_AFTER records in a
 * row had the same size we guess it for the next one and let a branch check
 * the guess: on the guessed path the next address depends only on the guess,
 * a register, and the following header loads issue at once. Until then, and
 * again after the first wrong guess, the address is computed from the load
 * with no branch on the size at all: a ring of mixed sizes would otherwise
 * pay a mispredicted branch on every other record (measured: half the speed
 * with two sizes at random).
 */
#define RB_GUESS_AFTER 64

static inline const uint8_t *rb_next(const uint8_t *hdr, unsigned long total,
				     unsigned long *step, unsigned long *hits)
{
	unsigned long guess = *step;

	/* Launder the guess before the compare: after it, the compiler must
	 * not know that guess == total, or it may add the register holding
	 * total, the load's result, and the chain is back. */
	__asm__("" : "+r"(guess));
	if (*hits >= RB_GUESS_AFTER) {
		if (__builtin_expect(total == *step, 1)) {
			/* Keep the branch a branch: a cmov would wait
			 * for the load as well. */
			__asm__ __volatile__("");
			return hdr + guess;
		}
		*hits = 0;
	} else {
		/* Count the run without a branch: this path must not
		 * mispredict on mixed sizes. */
		*hits = (*hits + 1) & -(unsigned long)(total == *step);
	}
	*step = total;
	return hdr + total;
}

/* The callback of a ring added without one: its records are counted and
 * skipped, with no test per record in ring_walk(). */
static int skip_record(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/*
 * Hand the records in [start, start + lim) to fn, at most *left of them (at
 * least one), and take what went out off *left. The range is at most one
 * ring starting inside the first copy of the data, so it is contiguous in
 * the double mapping and the walk needs no masking; a record may end past
 * start + lim, never past the producer position. Everything the loop
 * touches is a local: fn may write any memory, so whatever is read through
 * a pointer is reloaded after each call; six of them fit in the registers
 * a call preserves on x86-64. bounded is a constant at each call site, so
 * the loop of consume and poll (no budget) is compiled without the test.
 * Returns the bytes walked over; *ret gets the callback's negative value,
 * or 1 at a BUSY record.
 */
static inline __attribute__((always_inline)) unsigned long
ring_walk(const uint8_t *start, unsigned long lim, bk_ringbuf_fn fn, void *ctx,
	  unsigned long *step, unsigned long *run, size_t *left, int *ret, bool bounded)
{
	const uint8_t *hdr = start, *end = start + lim;
	unsigned long guess = *step, hits = *run;
	size_t budget = *left;

	do {
		/* Load-acquire the length: pairs with the kernel's
		 * store-release at commit, so the data is complete. */
		uint32_t len = atomic_load_explicit((bk_rb_len *)hdr, memory_order_acquire);
		const uint8_t *data = hdr + BK_RINGBUF_HDR_SZ;
		int r;

		if (__builtin_expect(len & RB_FLAGS, 0)) {
			/* BUSY: still being written. Later records may be
			 * committed already, but ring order is the contract. */
			if (len & BK_RINGBUF_BUSY_BIT) {
				*ret = 1;
				break;
			}
			/* DISCARD: the program dropped it; skip, but release it. */
			hdr += bk__rb_rec_total(len & ~BK_RINGBUF_DISCARD_BIT);
			continue;
		}
		hdr = rb_next(hdr, bk__rb_rec_total(len), &guess, &hits);
		r = fn(ctx, data, len);
		if (__builtin_expect(r < 0, 0)) {
			*ret = r;
			budget--;
			break;
		}
		if (!--budget && bounded)
			break;
	} while (hdr < end);
	*step = guess;
	*run = hits;
	*left = budget;
	return (unsigned long)(hdr - start);
}

/*
 * Hand the records of r to its callback until none is ready or budget of
 * them went out (*done counts them). Returns 0, or the callback's negative
 * value, or -EBUSY while peeked records are held.
 */
static int ring_consume(struct ring *r, size_t budget, size_t *done)
{
	/* Publish at least every quarter ring, so a producer refilling
	 * behind us never waits for a whole ring's worth of callbacks. */
	const unsigned long chunk_max = (r->mask + 1) / 4;
	bk_ringbuf_fn fn = r->fn ? r->fn : skip_record;
	unsigned long cons, prod, lim;
	size_t left = budget;
	int ret = 0;

	if (r->peeking)
		return bk__err(-EBUSY);
	/* Our own position: only the consumer stores it, so relaxed suffices. */
	cons = atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	while (!ret && left) {
		/* Load-acquire the producer position: pairs with the kernel's
		 * store-release in reserve, so every header up to it is there.
		 * Once per chunk, not per record. */
		prod = atomic_load_explicit(r->producer_pos, memory_order_acquire);
		/* Signed: a walk can only end past prod on a corrupt length,
		 * and must then stop rather than take the ring for full. */
		if ((long)(prod - cons) <= 0)
			break;
		lim = prod - cons > chunk_max ? chunk_max : prod - cons;
		if (budget == SIZE_MAX)
			lim = ring_walk(r->data + (cons & r->mask), lim, fn, r->ctx, &r->step,
					&r->hits, &left, &ret, false);
		else
			lim = ring_walk(r->data + (cons & r->mask), lim, fn, r->ctx, &r->step,
					&r->hits, &left, &ret, true);
		if (!lim)
			break;
		cons += lim;
		/* Store-release our position once for the whole chunk: our
		 * reads of the records happen before the kernel may reuse them. */
		atomic_store_explicit(r->consumer_pos, cons, memory_order_release);
	}
	*done += budget - left;
	return ret < 0 ? bk__err(ret) : 0;
}

static int count_result(size_t done)
{
	return done > INT_MAX ? INT_MAX : (int)done;
}

int bk_ringbuf_consume_n(struct bk_ringbuf *rb, size_t n)
{
	size_t done = 0;
	int err;

	if (!rb)
		return bk__err(-EINVAL);
	for (unsigned int i = 0; i < rb->cnt && done < n; i++) {
		err = ring_consume(&rb->rings[i], n - done, &done);
		if (err)
			return err;
	}
	return count_result(done);
}

int bk_ringbuf_consume(struct bk_ringbuf *rb)
{
	return bk_ringbuf_consume_n(rb, SIZE_MAX);
}

int bk_ringbuf_consume_ring(struct bk_ringbuf *rb, unsigned int ring)
{
	size_t done = 0;
	int err;

	if (!rb || ring >= rb->cnt)
		return bk__err(-EINVAL);
	err = ring_consume(&rb->rings[ring], SIZE_MAX, &done);
	return err ? err : count_result(done);
}

int bk_ringbuf_poll(struct bk_ringbuf *rb, int timeout_ms)
{
	size_t done = 0;
	int cnt, err;

	if (!rb)
		return bk__err(-EINVAL);
	if (!rb->cnt) /* nothing to wait on: epoll_wait wants room for one */
		return bk__err(-ENOENT);
	cnt = epoll_wait(rb->epoll_fd, rb->events, (int)rb->cnt, timeout_ms);
	if (cnt < 0)
		return errno == EINTR ? 0 : bk__err(-errno);
	for (int i = 0; i < cnt; i++) {
		unsigned int ring = rb->events[i].data.u32;

		if (ring >= rb->cnt)
			continue;
		err = ring_consume(&rb->rings[ring], SIZE_MAX, &done);
		if (err)
			return err;
	}
	return count_result(done);
}

int bk_ringbuf_epoll_fd(const struct bk_ringbuf *rb)
{
	return rb ? rb->epoll_fd : bk__err(-EINVAL);
}

unsigned int bk_ringbuf_ring_cnt(const struct bk_ringbuf *rb)
{
	return rb ? rb->cnt : 0;
}

size_t bk_ringbuf_avail(const struct bk_ringbuf *rb, unsigned int ring)
{
	return rb && ring < rb->cnt ? ring_pending(&rb->rings[ring]) : 0;
}

size_t bk_ringbuf_size(const struct bk_ringbuf *rb, unsigned int ring)
{
	return rb && ring < rb->cnt ? rb->rings[ring].mask + 1 : 0;
}

/* ---- zero-copy batches ---- */

static void ring_publish(struct ring *r, unsigned long pos)
{
	/* Store-release: the caller's reads of the views happen before the
	 * kernel may write over them. */
	atomic_store_explicit(r->consumer_pos, pos, memory_order_release);
	r->peeking = false;
	r->held = 0;
}

int bk_ringbuf_peek(struct bk_ringbuf *rb, unsigned int ring, struct bk_ringbuf_rec *recs,
		    size_t max)
{
	struct bk_ringbuf_rec *out = recs, *out_end;
	const uint8_t *start, *hdr, *end;
	struct ring *r;
	unsigned long pos, lim, step, hits;
	size_t n;

	if (!rb || ring >= rb->cnt || (!recs && max))
		return bk__err(-EINVAL);
	r = &rb->rings[ring];
	pos = r->peeking ? r->peek_pos
			 : atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	/* Load-acquire the producer position, as in ring_consume(). What lies
	 * between pos and it is at most one ring, so contiguous in the double
	 * mapping: the loop walks offsets from start with no masking, and
	 * keeps everything in locals (the stores into recs could alias r). */
	lim = atomic_load_explicit(r->producer_pos, memory_order_acquire) - pos;
	start = r->data + (pos & r->mask);
	step = r->step;
	hits = r->hits;
	hdr = start;
	end = start + lim;
	out_end = recs + (max < INT_MAX ? max : INT_MAX);
	while (out != out_end && hdr < end) {
		/* Load-acquire the length, as in ring_walk(). */
		uint32_t len = atomic_load_explicit((bk_rb_len *)hdr, memory_order_acquire);

		if (__builtin_expect(len & RB_FLAGS, 0)) {
			if (len & BK_RINGBUF_BUSY_BIT)
				break;
			hdr += bk__rb_rec_total(len & ~BK_RINGBUF_DISCARD_BIT);
			continue;
		}
		out->data = hdr + BK_RINGBUF_HDR_SZ;
		out->size = len;
		out++;
		hdr = rb_next(hdr, bk__rb_rec_total(len), &step, &hits);
	}
	n = (size_t)(out - recs);
	pos += (unsigned long)(hdr - start);
	r->step = step;
	r->hits = hits;
	r->held += n;
	r->peek_pos = pos;
	r->peeking = true;
	/* Nothing handed out: release the discarded records we walked over
	 * at once, so they do not hold the producer back. */
	if (!r->held)
		ring_publish(r, pos);
	return (int)n;
}

struct bk_ringbuf_cursor bk_ringbuf_begin(struct bk_ringbuf *rb, unsigned int ring)
{
	struct bk_ringbuf_cursor cur = { .ring = UINT_MAX };
	struct ring *r;
	unsigned long pos, lim;

	if (!rb || ring >= rb->cnt) {
		bk__err(-EINVAL);
		return cur;
	}
	r = &rb->rings[ring];
	pos = r->peeking ? r->peek_pos
			 : atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	/* Load-acquire the producer position, as in ring_consume(); at most
	 * one ring from pos, so contiguous in the double mapping and
	 * bk_ringbuf_next() walks it with no masking. */
	lim = atomic_load_explicit(r->producer_pos, memory_order_acquire) - pos;
	cur.start = r->data + (pos & r->mask);
	cur.hdr = cur.start;
	cur.end = cur.start + lim;
	cur.step = r->step;
	cur.hits = r->hits;
	cur.ring = ring;
	/* The walk owns the ring now, as peek does: consume would hand the
	 * same records out twice. With nothing to walk there is nothing to
	 * own, and a caller that skips bk_ringbuf_end() then loses nothing. */
	if (lim) {
		r->peek_pos = pos;
		r->peeking = true;
	}
	return cur;
}

int bk_ringbuf_end(struct bk_ringbuf *rb, struct bk_ringbuf_cursor cur)
{
	struct ring *r;

	if (!rb || cur.ring >= rb->cnt)
		return bk__err(-EINVAL);
	r = &rb->rings[cur.ring];
	if (!r->peeking)
		return 0;
	r->step = cur.step;
	r->hits = cur.hits;
	ring_publish(r, r->peek_pos + (unsigned long)(cur.hdr - cur.start));
	return 0;
}

int bk_ringbuf_release(struct bk_ringbuf *rb, unsigned int ring)
{
	struct ring *r;

	if (!rb || ring >= rb->cnt)
		return bk__err(-EINVAL);
	r = &rb->rings[ring];
	if (r->peeking)
		ring_publish(r, r->peek_pos);
	return 0;
}
