/* SPDX-License-Identifier: MIT */
/*
 * BPF ring buffers (BPF_MAP_TYPE_RINGBUF, Linux 5.8; BPF_MAP_TYPE_USER_RINGBUF,
 * Linux 6.1): a consumer for rings the kernel fills, and a producer for rings
 * the kernel drains.
 *
 * Memory layout of a ring of max_entries bytes (a power of two, a multiple
 * of the page size), as mmap()ed from its map fd:
 *
 *   offset 0          page_size          2 * page_size
 *   +-----------------+-----------------+------------------+------------------+
 *   | consumer_pos    | producer_pos    | data [0, size)   | data again       |
 *   | (unsigned long) | (unsigned long) |                  | (same pages)     |
 *   +-----------------+-----------------+------------------+------------------+
 *
 * The data pages are mapped twice in a row, so a record that wraps past the
 * end of the ring is still contiguous in memory: no copy, ever. Each record
 * starts with an 8-byte header and is padded to 8 bytes:
 *
 *   +------------------------------+---------------------+----------------+
 *   | len: u32                     | page offset: u32    | data (len)     |
 *   | bit 31 BUSY, bit 30 DISCARD  | (kernel bookkeeping)| + pad to 8     |
 *   +------------------------------+---------------------+----------------+
 *
 * Positions only grow; the offset of a position is pos & (size - 1).
 */
#ifndef BPFKIT_RINGBUF_H
#define BPFKIT_RINGBUF_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/abi.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- consumer (kernel produces, user space consumes) ---- */

/* An opaque set of rings polled through one epoll fd. */
struct bk_ringbuf;

/*
 * Called once per record, in ring order. data is valid only during the call.
 * Return 0 (or any non-negative value) to go on; a negative value stops the
 * consume and is returned by it (the record is consumed all the same).
 */
typedef int (*bk_ringbuf_fn)(void *ctx, const void *data, size_t size);

/* Options of bk_ringbuf_new(); none yet beyond the size. */
struct bk_ringbuf_opts {
	size_t sz;
};
#define bk_ringbuf_opts__last_field sz

/* One record handed out by bk_ringbuf_peek(): a view into the ring. */
struct bk_ringbuf_rec {
	const void *data;
	size_t size;
};

/**
 * bk_ringbuf_new() - an empty ring set with its epoll fd.
 * Add rings with bk_ringbuf_add(). Returns NULL with errno set on failure.
 */
BK_API struct bk_ringbuf *bk_ringbuf_new(const struct bk_ringbuf_opts *opts);

/**
 * bk_ringbuf_add() - add the BPF_MAP_TYPE_RINGBUF map_fd to the set.
 * Maps its consumer page read-write and its producer page and data area
 * read-only, and registers map_fd with the set's epoll fd. fn (with ctx) is
 * called for each record of this ring by the consume and poll calls; it may be
 * NULL for a ring read only through bk_ringbuf_peek(), in which case those
 * calls count its records and skip them. The caller keeps map_fd open. Returns
 * the ring's index (0, 1, ... in order of addition) or a negative errno:
 * -EINVAL when map_fd is not a ring buffer map.
 */
BK_API int bk_ringbuf_add(struct bk_ringbuf *rb, int map_fd, bk_ringbuf_fn fn, void *ctx);

/**
 * bk_ringbuf_free() - unmap every ring and close the epoll fd.
 * NULL is allowed. The map fds are the caller's and stay open.
 */
BK_API void bk_ringbuf_free(struct bk_ringbuf *rb);

/**
 * bk_ringbuf_poll() - wait up to timeout_ms (-1: forever, 0: not at all) for
 * data, then consume every ring epoll reported ready.
 * Returns the number of records handed to callbacks (capped at INT_MAX), 0 on
 * timeout or when a signal interrupted the wait (EINTR is not an error: the
 * caller's loop gets the chance to look at its flags), or a negative errno, or
 * the first negative value a callback returned.
 */
BK_API int bk_ringbuf_poll(struct bk_ringbuf *rb, int timeout_ms);

/**
 * bk_ringbuf_consume() - consume every record available in every ring,
 * without waiting. Returns as bk_ringbuf_poll().
 */
BK_API int bk_ringbuf_consume(struct bk_ringbuf *rb);

/**
 * bk_ringbuf_consume_n() - as bk_ringbuf_consume(), but stop after n records
 * (over all rings, taken in index order). Records left over stay in the rings
 * for the next call.
 */
BK_API int bk_ringbuf_consume_n(struct bk_ringbuf *rb, size_t n);

/**
 * bk_ringbuf_consume_ring() - consume every available record of one ring.
 * Returns as bk_ringbuf_poll(); -EINVAL for an index out of range.
 */
BK_API int bk_ringbuf_consume_ring(struct bk_ringbuf *rb, unsigned int ring);

/**
 * bk_ringbuf_epoll_fd() - the set's epoll fd, to put in the caller's own loop.
 * It becomes readable when any ring has data; then call bk_ringbuf_consume().
 */
BK_API int bk_ringbuf_epoll_fd(const struct bk_ringbuf *rb);

/** bk_ringbuf_ring_cnt() - the number of rings in the set. */
BK_API unsigned int bk_ringbuf_ring_cnt(const struct bk_ringbuf *rb);

/**
 * bk_ringbuf_avail() - bytes the producer has reserved that the consumer has
 * not released yet in ring (headers and padding included; records still being
 * written count too). 0 for an index out of range.
 */
BK_API size_t bk_ringbuf_avail(const struct bk_ringbuf *rb, unsigned int ring);

/** bk_ringbuf_size() - the data area's size of ring, in bytes (0 if out of range). */
BK_API size_t bk_ringbuf_size(const struct bk_ringbuf *rb, unsigned int ring);

/**
 * bk_ringbuf_peek() - zero-copy batch read: fill recs with up to max records
 * of ring, in order, skipping discarded ones, without calling any callback.
 * The views point into the ring and stay valid, and the space stays reserved
 * against the producer, until bk_ringbuf_release() for that ring. Peeking
 * again before releasing continues after the records already handed out.
 * Returns the number of records filled (0 when none is ready) or a negative
 * errno.
 */
BK_API int bk_ringbuf_peek(struct bk_ringbuf *rb, unsigned int ring, struct bk_ringbuf_rec *recs,
			   size_t max);

/**
 * bk_ringbuf_release() - give every record peeked from ring back to the
 * producer, with one store of the consumer position. The views handed out
 * become invalid. Returns 0, or -EINVAL for an index out of range.
 */
BK_API int bk_ringbuf_release(struct bk_ringbuf *rb, unsigned int ring);

/*
 * Zero-copy walk, inline: the fastest way to drain a ring. bk_ringbuf_begin()
 * takes one look at the producer position, bk_ringbuf_next() (inline: no
 * call, no array, per record) hands out the records up to it in order, and
 * bk_ringbuf_end() gives all of them back with one store:
 *
 *	struct bk_ringbuf_cursor cur = bk_ringbuf_begin(rb, 0);
 *	const void *data;
 *	size_t size;
 *
 *	while ((data = bk_ringbuf_next(&cur, &size)))
 *		handle(data, size);
 *	bk_ringbuf_end(rb, cur);
 *
 * The cursor goes in and out by value so that its address never escapes the
 * caller's function: the compiler can keep its fields in registers, where
 * otherwise the acquire load of each header would force it to reload them
 * from memory. The fields are the walk's state: read them, do not write.
 */
struct bk_ringbuf_cursor {
	const uint8_t *hdr;  /* the next record's header */
	const uint8_t *end;  /* the producer position bk_ringbuf_begin() saw */
	const uint8_t *start;
	unsigned long step;  /* the last record's total size, the guess for the next */
	unsigned long hits;  /* records in a row of that size: guess from 64 on */
	unsigned int ring;
};

/**
 * bk_ringbuf_begin() - start a zero-copy walk of ring at the first record
 * not handed out yet (after those bk_ringbuf_peek() holds, if any).
 * cur.end - cur.hdr is then the bytes ready to walk, headers and padding
 * included. When it is not 0, the ring belongs to the walk until
 * bk_ringbuf_end(): the callback calls return -EBUSY for it. For a ring
 * index out of range the cursor is empty and bk_ringbuf_end() fails with
 * -EINVAL; errno is set to EINVAL.
 */
BK_API struct bk_ringbuf_cursor bk_ringbuf_begin(struct bk_ringbuf *rb, unsigned int ring);

/**
 * bk_ringbuf_end() - give back every record walked over (and any peeked)
 * with one store of the consumer position; their views become invalid. A
 * record bk_ringbuf_next() stopped at (still being written) stays for the
 * next walk. Returns 0, or -EINVAL for a cursor of no ring of rb.
 */
BK_API int bk_ringbuf_end(struct bk_ringbuf *rb, struct bk_ringbuf_cursor cur);

/**
 * bk_ringbuf_next() - the next record of the walk: its data (valid until
 * bk_ringbuf_end()) with *size set, or NULL at the end of what
 * bk_ringbuf_begin() saw or at a record still being written (ring order is
 * kept: nothing after it is handed out). Discarded records are skipped.
 */
static inline const void *bk_ringbuf_next(struct bk_ringbuf_cursor *cur, size_t *size)
{
	const uint8_t *hdr = cur->hdr;

	while (hdr < cur->end) {
		/* Load-acquire: pairs with the kernel's store-release of the
		 * length at commit, so the data before it is complete. */
		uint32_t len = __atomic_load_n((const uint32_t *)(const void *)hdr, __ATOMIC_ACQUIRE);
		unsigned long total, guess;

		if (__builtin_expect(len & (BK_RINGBUF_BUSY_BIT | BK_RINGBUF_DISCARD_BIT), 0)) {
			if (len & BK_RINGBUF_BUSY_BIT)
				break;
			len &= ~BK_RINGBUF_DISCARD_BIT;
			hdr += ((unsigned long)len + BK_RINGBUF_HDR_SZ + 7) & ~7UL;
			continue;
		}
		total = ((unsigned long)len + BK_RINGBUF_HDR_SZ + 7) & ~7UL;
		/* The next header's address would depend on this load, one
		 * cache latency per record. After 64 records of one size,
		 * guess that size instead, checked by a branch that a ring
		 * of one record type always gets right; before that (mixed
		 * sizes) use the load, with no branch to mispredict. The
		 * first empty asm keeps the compiler from swapping the guess
		 * for total, the load's result; the second from turning the
		 * branch into a cmov, which would wait for the load too. */
		guess = cur->step;
		__asm__("" : "+r"(guess));
		if (cur->hits >= 64) {
			if (__builtin_expect(total == cur->step, 1)) {
				__asm__ __volatile__("");
				cur->hdr = hdr + guess;
				*size = len;
				return hdr + BK_RINGBUF_HDR_SZ;
			}
			cur->hits = 0;
		} else {
			cur->hits = (cur->hits + 1) & -(unsigned long)(total == cur->step);
		}
		cur->step = total;
		cur->hdr = hdr + total;
		*size = len;
		return hdr + BK_RINGBUF_HDR_SZ;
	}
	cur->hdr = hdr;
	return NULL;
}

/* ---- user ring buffer producer (user space produces, a program drains) ---- */

/* An opaque single-producer handle on a BPF_MAP_TYPE_USER_RINGBUF map. */
struct bk_user_ringbuf;

/* Options of bk_user_ringbuf_new(); none yet beyond the size. */
struct bk_user_ringbuf_opts {
	size_t sz;
};
#define bk_user_ringbuf_opts__last_field sz

/**
 * bk_user_ringbuf_new() - map the BPF_MAP_TYPE_USER_RINGBUF map_fd for
 * producing: consumer page read-only, producer page and data read-write.
 * The caller keeps map_fd open. One thread produces at a time: the handle
 * has no lock. Returns NULL with errno set on failure (EINVAL: wrong map type).
 */
BK_API struct bk_user_ringbuf *bk_user_ringbuf_new(int map_fd,
						   const struct bk_user_ringbuf_opts *opts);

/** bk_user_ringbuf_free() - unmap the ring (NULL is allowed); pending reservations are lost. */
BK_API void bk_user_ringbuf_free(struct bk_user_ringbuf *urb);

/**
 * bk_user_ringbuf_reserve() - reserve size bytes for one sample, to fill and
 * then submit or discard. Samples reach the program in reservation order; a
 * reserved sample not yet submitted holds back those after it. Returns a
 * pointer to 8-byte aligned memory, or NULL with errno ENOSPC (no room now)
 * or E2BIG (the sample can never fit).
 */
BK_API void *bk_user_ringbuf_reserve(struct bk_user_ringbuf *urb, uint32_t size);

/**
 * bk_user_ringbuf_reserve_blocking() - as bk_user_ringbuf_reserve(), waiting
 * up to timeout_ms (-1: forever) for the program to drain enough room.
 * Returns NULL with errno ETIMEDOUT when the time runs out, EINTR when a
 * signal arrives, or as bk_user_ringbuf_reserve().
 */
BK_API void *bk_user_ringbuf_reserve_blocking(struct bk_user_ringbuf *urb, uint32_t size,
					      int timeout_ms);

/** bk_user_ringbuf_submit() - hand a reserved sample to the kernel. */
BK_API void bk_user_ringbuf_submit(struct bk_user_ringbuf *urb, void *sample);

/** bk_user_ringbuf_discard() - give a reserved sample up; the kernel skips it. */
BK_API void bk_user_ringbuf_discard(struct bk_user_ringbuf *urb, void *sample);

/** bk_user_ringbuf_free_space() - bytes the producer could reserve now (headers included). */
BK_API size_t bk_user_ringbuf_free_space(const struct bk_user_ringbuf *urb);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_RINGBUF_H */
