/* SPDX-License-Identifier: MIT */
/*
 * Perf event array reader (BPF_MAP_TYPE_PERF_EVENT_ARRAY, Linux 4.4): the
 * older per-CPU mechanism behind bpf_perf_event_output(). One
 * PERF_COUNT_SW_BPF_OUTPUT event per online CPU, each with its own mmap()ed
 * ring, stored in the map at the CPU's index.
 *
 * Each ring is one metadata page (struct perf_event_mmap_page: data_head
 * written by the kernel, data_tail by us) followed by 2^n data pages. Records
 * are 8-byte aligned and start with struct perf_event_header:
 *
 *   PERF_RECORD_SAMPLE: | type u32 | misc u16 | size u16 | raw size u32 | raw data ... |
 *   PERF_RECORD_LOST:   | type u32 | misc u16 | size u16 | id u64 | lost u64 |
 *
 * Unlike a BPF ring buffer the data pages are mapped once, so a record can
 * wrap past the end of the ring; the reader copies such a record into a
 * buffer of its own before handing it out.
 */
#ifndef BPFKIT_PERFBUF_H
#define BPFKIT_PERFBUF_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bk_perfbuf;

/*
 * Called once per sample with the CPU it came from. size is the raw size the
 * kernel recorded: the program's size padded so that the record is 8-byte
 * aligned (round_up(size + 4, 8) - 4), so trailing bytes may be padding.
 * Return a negative value to stop the consume, which returns it.
 */
typedef int (*bk_perfbuf_sample_fn)(void *ctx, int cpu, const void *data, size_t size);

/* Called when the kernel reports samples dropped on cpu because its ring was full. */
typedef void (*bk_perfbuf_lost_fn)(void *ctx, int cpu, uint64_t lost);

/* Options of bk_perfbuf_new(). */
struct bk_perfbuf_opts {
	size_t sz;
	size_t pages_per_cpu;	    /* data pages per ring, a power of two; default 8 */
	bk_perfbuf_lost_fn lost_fn; /* optional; losses are counted either way */
	uint32_t wakeup_events;	    /* wake the poller every N samples; default 1 */
};
#define bk_perfbuf_opts__last_field wakeup_events

/**
 * bk_perfbuf_new() - open a BPF output event and its ring on every online CPU
 * below the map's max_entries, and store each in the perf event array map_fd.
 * fn (with ctx) receives samples. The caller keeps map_fd open. Returns NULL
 * with errno set on failure (EINVAL: not a perf event array).
 */
BK_API struct bk_perfbuf *bk_perfbuf_new(int map_fd, bk_perfbuf_sample_fn fn, void *ctx,
					 const struct bk_perfbuf_opts *opts);

/** bk_perfbuf_free() - remove the events from the map, unmap and close them (NULL allowed). */
BK_API void bk_perfbuf_free(struct bk_perfbuf *pb);

/**
 * bk_perfbuf_poll() - wait up to timeout_ms (-1: forever) for samples, then
 * read the rings epoll reported. Returns the number of samples handed out
 * (capped at INT_MAX), 0 on timeout or signal (EINTR is not an error), a
 * negative errno, or a callback's negative value.
 */
BK_API int bk_perfbuf_poll(struct bk_perfbuf *pb, int timeout_ms);

/** bk_perfbuf_consume() - read every ring without waiting; returns as bk_perfbuf_poll(). */
BK_API int bk_perfbuf_consume(struct bk_perfbuf *pb);

/** bk_perfbuf_epoll_fd() - the epoll fd over all rings, for the caller's own loop. */
BK_API int bk_perfbuf_epoll_fd(const struct bk_perfbuf *pb);

/** bk_perfbuf_lost() - total samples the kernel reported lost so far, over all CPUs. */
BK_API uint64_t bk_perfbuf_lost(const struct bk_perfbuf *pb);

/** bk_perfbuf_cpu_cnt() - the number of CPUs (rings) being read. */
BK_API unsigned int bk_perfbuf_cpu_cnt(const struct bk_perfbuf *pb);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_PERFBUF_H */
