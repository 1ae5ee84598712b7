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
 * never waits long for space), not once per record; and bk_ringbuf_peek()
 * hands out many records at once with no callback at all.
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

#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 1024
#endif

struct ring {
	bk_rb_pos *consumer_pos; /* our page, read-write */
	bk_rb_pos *producer_pos; /* the kernel's page, mapped read-only */
	uint8_t *data;		 /* data area, mapped twice in a row (read-only) */
	unsigned long mask;	 /* data size - 1 */
	unsigned long peek_pos;	 /* end of what bk_ringbuf_peek() handed out */
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

/*
 * Hand the records of r to its callback until none is ready or budget of
 * them went out (*done counts them). Returns 0, or the callback's negative
 * value, or -EBUSY while peeked records are held.
 */
static int ring_consume(struct ring *r, size_t budget, size_t *done)
{
	const unsigned long batch_max = (r->mask + 1) / 4;
	bk_ringbuf_fn fn = r->fn;
	void *ctx = r->ctx;
	unsigned long cons, prod, end, start;
	bool stop = false;
	size_t n = 0;
	int ret = 0;

	if (r->peeking)
		return bk__err(-EBUSY);
	/* Our own position: only the consumer stores it, so relaxed suffices. */
	cons = atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	while (!stop && n < budget) {
		/* Load-acquire the producer position: pairs with the kernel's
		 * store-release in reserve, so every header up to it is there. */
		prod = atomic_load_explicit(r->producer_pos, memory_order_acquire);
		if (prod == cons)
			break;
		end = prod - cons > batch_max ? cons + batch_max : prod;
		start = cons;
		while ((long)(end - cons) > 0 && n < budget) {
			bk_rb_len *hdr = (bk_rb_len *)(r->data + (cons & r->mask));

			if ((long)(prod - cons) > PREFETCH_AHEAD)
				__builtin_prefetch(r->data + ((cons + PREFETCH_AHEAD) & r->mask));
			/* Load-acquire the length: pairs with the kernel's
			 * store-release at commit, so the data is complete. */
			uint32_t len = atomic_load_explicit(hdr, memory_order_acquire);

			/* BUSY: still being written. Later records may be
			 * committed already, but ring order is the contract. */
			if (len & BK_RINGBUF_BUSY_BIT) {
				stop = true;
				break;
			}
			cons += bk__rb_rec_total(len & ~BK_RINGBUF_DISCARD_BIT);
			/* DISCARD: the program dropped it; skip, but release it. */
			if (len & BK_RINGBUF_DISCARD_BIT)
				continue;
			n++;
			if (fn && (ret = fn(ctx, (const uint8_t *)hdr + BK_RINGBUF_HDR_SZ, len)) < 0) {
				stop = true;
				break;
			}
		}
		/* Store-release our position once for the whole batch: our
		 * reads of the records happen before the kernel may reuse them. */
		if (cons != start)
			atomic_store_explicit(r->consumer_pos, cons, memory_order_release);
	}
	*done += n;
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
	struct ring *r;
	unsigned long pos, prod, pf;
	size_t n = 0;

	if (!rb || ring >= rb->cnt || (!recs && max))
		return bk__err(-EINVAL);
	r = &rb->rings[ring];
	pos = r->peeking ? r->peek_pos
			 : atomic_load_explicit(r->consumer_pos, memory_order_relaxed);
	/* Load-acquire the producer position, as in ring_consume(). */
	prod = atomic_load_explicit(r->producer_pos, memory_order_acquire);
	pf = pos & ~63UL;
	while (n < max && (long)(prod - pos) > 0) {
		bk_rb_len *hdr = (bk_rb_len *)(r->data + (pos & r->mask));

#if PREFETCH_AHEAD
		while ((long)(pf - pos) < PREFETCH_AHEAD && (long)(prod - pf) > 0) {
			__builtin_prefetch(r->data + (pf & r->mask));
			pf += 64;
		}
#endif
		/* Load-acquire the length, as in ring_consume(). */
		uint32_t len = atomic_load_explicit(hdr, memory_order_acquire);

		if (len & BK_RINGBUF_BUSY_BIT)
			break;
		pos += bk__rb_rec_total(len & ~BK_RINGBUF_DISCARD_BIT);
		if (len & BK_RINGBUF_DISCARD_BIT)
			continue;
		recs[n].data = (const uint8_t *)hdr + BK_RINGBUF_HDR_SZ;
		recs[n].size = len;
		n++;
	}
	r->held += n;
	r->peek_pos = pos;
	r->peeking = true;
	/* Nothing handed out: release the discarded records we walked over
	 * at once, so they do not hold the producer back. */
	if (!r->held)
		ring_publish(r, pos);
	return count_result(n);
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
