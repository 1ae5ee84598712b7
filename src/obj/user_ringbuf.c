// SPDX-License-Identifier: MIT
/*
 * User ring buffer producer (BPF_MAP_TYPE_USER_RINGBUF, Linux 6.1): user
 * space writes samples, a program drains them with bpf_user_ringbuf_drain().
 *
 * The same layout as a kernel-produced ring (diagram in ringbuf.h) with the
 * roles swapped: here the consumer page is the kernel's (mapped read-only)
 * and the producer page and data area are ours (read-write). The protocol,
 * step by step:
 *
 *   us:     reserve  load-acquire consumer_pos (space before it is free);
 *                    write the header, len | BUSY; store-release
 *                    producer_pos past the sample
 *   us:     submit   write the sample, then store-release len without BUSY
 *                    (with DISCARD to give it up)
 *   kernel: drain    load-acquire producer_pos, then each len; stop at BUSY;
 *                    store-release consumer_pos after each sample
 *
 * Single producer: the handle keeps no lock, as the kernel's protocol has no
 * way for two producers to agree on producer_pos.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <bpfkit/ringbuf.h>

#include "ringbuf_int.h"

/* A sample must fit in a bpf_dynptr, whose size field has 24 bits. */
#define BK_URB_MAX_SAMPLE ((1U << 24) - 1)

struct bk_user_ringbuf {
	bk_rb_pos *consumer_pos; /* the kernel's page, mapped read-only */
	bk_rb_pos *producer_pos; /* ours, read-write */
	uint8_t *data;		 /* data area, mapped twice in a row (read-write) */
	unsigned long mask;	 /* data size - 1 */
	size_t page_size;
	int epoll_fd;		 /* map fd, edge-triggered EPOLLOUT: a drain happened */
};

static void urb_unmap(struct bk_user_ringbuf *u)
{
	if (u->consumer_pos)
		munmap((void *)u->consumer_pos, u->page_size);
	if (u->producer_pos)
		munmap((void *)u->producer_pos, u->page_size + 2 * (u->mask + 1));
}

static int urb_map(struct bk_user_ringbuf *u, int map_fd, unsigned long size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	if (size > (SIZE_MAX - page) / 2)
		return bk__err(-E2BIG);
	u->page_size = page;
	u->mask = size - 1;
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return bk__err(-errno);
	u->consumer_pos = p;
	p = mmap(NULL, page + 2 * size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, (off_t)page);
	if (p == MAP_FAILED)
		return bk__err(-errno);
	u->producer_pos = p;
	u->data = (uint8_t *)p + page;
	return 0;
}

/* Edge-triggered: a drain wakes us once, even when the ring is not full,
 * where level-triggered EPOLLOUT would spin while the room is too small. */
static int urb_epoll(struct bk_user_ringbuf *u, int map_fd)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };

	u->epoll_fd = bk__fd_above_stdio(epoll_create1(EPOLL_CLOEXEC));
	if (u->epoll_fd < 0)
		return bk__err(-errno);
	if (epoll_ctl(u->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0)
		return bk__err(-errno);
	return 0;
}

struct bk_user_ringbuf *bk_user_ringbuf_new(int map_fd, const struct bk_user_ringbuf_opts *opts)
{
	struct bk_user_ringbuf *u;
	unsigned long size;
	int err;

	if (map_fd < 0 || (opts && opts->sz < sizeof(size_t)))
		return bk__err_ptr(-EINVAL);
	err = bk__rb_map_size(map_fd, BK_MAP_TYPE_USER_RINGBUF, &size);
	if (err)
		return bk__err_ptr(err);
	u = calloc(1, sizeof(*u));
	if (!u)
		return bk__err_ptr(-ENOMEM);
	u->epoll_fd = -1;
	err = urb_map(u, map_fd, size);
	if (!err)
		err = urb_epoll(u, map_fd);
	if (err) {
		bk_user_ringbuf_free(u);
		return bk__err_ptr(err);
	}
	return u;
}

void bk_user_ringbuf_free(struct bk_user_ringbuf *urb)
{
	int err = errno; /* free() on an error path must not change errno */

	if (!urb)
		return;
	urb_unmap(urb);
	if (urb->epoll_fd >= 0)
		close(urb->epoll_fd);
	free(urb);
	errno = err;
}

size_t bk_user_ringbuf_free_space(const struct bk_user_ringbuf *urb)
{
	unsigned long cons, prod;

	if (!urb)
		return 0;
	cons = atomic_load_explicit(urb->consumer_pos, memory_order_acquire);
	prod = atomic_load_explicit(urb->producer_pos, memory_order_relaxed);
	return urb->mask + 1 - (prod - cons);
}

void *bk_user_ringbuf_reserve(struct bk_user_ringbuf *urb, uint32_t size)
{
	unsigned long total = bk__rb_rec_total(size), cons, prod;
	bk_rb_len *hdr;

	if (!urb)
		return bk__err_ptr(-EINVAL);
	if (size > BK_URB_MAX_SAMPLE || total > urb->mask + 1)
		return bk__err_ptr(-E2BIG);
	/* Load-acquire the consumer position: pairs with the kernel's
	 * store-release after a drain, so its reads of that space are done. */
	cons = atomic_load_explicit(urb->consumer_pos, memory_order_acquire);
	/* Our own position: only this producer stores it. */
	prod = atomic_load_explicit(urb->producer_pos, memory_order_relaxed);
	if (urb->mask + 1 - (prod - cons) < total)
		return bk__err_ptr(-ENOSPC);
	hdr = (bk_rb_len *)(urb->data + (prod & urb->mask));
	/* The header says BUSY before the kernel can see it... */
	atomic_store_explicit(hdr, size | BK_RINGBUF_BUSY_BIT, memory_order_relaxed);
	atomic_store_explicit(hdr + 1, 0, memory_order_relaxed);
	/* ...because the store-release of the producer position orders it
	 * before; the kernel's load-acquire of the position pairs with this. */
	atomic_store_explicit(urb->producer_pos, prod + total, memory_order_release);
	return (uint8_t *)hdr + BK_RINGBUF_HDR_SZ;
}

static void urb_commit(void *sample, bool discard)
{
	bk_rb_len *hdr = (bk_rb_len *)((uint8_t *)sample - BK_RINGBUF_HDR_SZ);
	uint32_t len = atomic_load_explicit(hdr, memory_order_relaxed) & ~BK_RINGBUF_BUSY_BIT;

	if (discard)
		len |= BK_RINGBUF_DISCARD_BIT;
	/* Store-release the length without BUSY: the sample's bytes are
	 * visible to the kernel's load-acquire of the length before it. */
	atomic_store_explicit(hdr, len, memory_order_release);
}

void bk_user_ringbuf_submit(struct bk_user_ringbuf *urb, void *sample)
{
	(void)urb;
	if (sample)
		urb_commit(sample, false);
}

void bk_user_ringbuf_discard(struct bk_user_ringbuf *urb, void *sample)
{
	(void)urb;
	if (sample)
		urb_commit(sample, true);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void *bk_user_ringbuf_reserve_blocking(struct bk_user_ringbuf *urb, uint32_t size,
				       int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	for (;;) {
		struct epoll_event ev;
		void *p = bk_user_ringbuf_reserve(urb, size);
		int wait = -1;

		if (p || errno != ENOSPC)
			return p;
		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return bk__err_ptr(-ETIMEDOUT);
			wait = left > 0x7fffffff ? 0x7fffffff : (int)left;
		}
		/* A drain since the last look makes the next reserve retry. */
		if (epoll_wait(urb->epoll_fd, &ev, 1, wait) < 0)
			return bk__err_ptr(-errno);
	}
}
