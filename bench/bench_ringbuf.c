// SPDX-License-Identifier: MIT
/*
 * Ring buffer draining: bpfkit's consumer against libbpf's
 * ring_buffer__consume() on identical rings filled with identical records,
 * in the same run, and against a plain memcpy of the same bytes.
 *
 * A socket filter run through BPF_PROG_TEST_RUN with repeat = K fills a
 * ring with K records of a fixed payload (K = as many as fit), then one
 * consumer drains it, timed; then the ring is filled again for the next
 * consumer, and so on. Only the draining is timed. Every consumer does the
 * same work per record: copy the payload out (into a small buffer) and count
 * it. (A socket filter, not XDP: every XDP test run swaps the XDP dispatcher
 * and waits for an RCU grace period, tens of milliseconds each.)
 *
 * Two ring sizes: 256 KiB (a common size; it stays in cache, so what is
 * measured is the consumer's own cost), refilled until each consumer has
 * drained 10M records; and 256 MiB (far past the caches, so DRAM bandwidth
 * and page walks count), one full ring per consumer per run.
 *
 * bpfkit is measured three times: through the per-record callback API, the
 * same shape as libbpf's (bk_ringbuf_consume: one store of the consumer
 * position per batch instead of per record), on the main line; through its
 * zero-copy batch API (bk_ringbuf_peek/release: no call per record, one
 * release per BATCH records) on the _batch line; and through its inline
 * zero-copy walk (bk_ringbuf_begin/next/end: no call and no array per
 * record, one release per walk over what the producer had published) on the
 * _cursor line. Results are medians over RUNS runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <bpfkit/ringbuf.h>
#include <bpfkit/sys.h>

#include "bench.h"

#define SMALL_RING (256UL << 10)
#define LARGE_RING (256UL << 20)
#define RECORDS 10000000UL
#define RUNS 3
#define BATCH 16

enum consumer { C_BATCH, C_CALLBACK, C_LIBBPF, C_MEMCPY, C_CURSOR, C__N };

struct sink {
	uint8_t buf[512];
	size_t records, bytes;
};

static struct sink sink;
static uint8_t copy_dst[64 << 10];

static inline void take(const void *data, size_t size)
{
	memcpy(sink.buf, data, size);
	sink.records++;
	sink.bytes += size;
}

static int bk_cb(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	take(data, size);
	return 0;
}

static int libbpf_cb(void *ctx, void *data, size_t size)
{
	(void)ctx;
	take(data, size);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "bench ringbuf: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* Socket filter: fill payload bytes of stack, then
 * bpf_ringbuf_output(ring, stack, payload, NO_WAKEUP). */
static int load_producer(int ring_fd, int payload)
{
	struct bk_insn p[80];
	int n = 0;

	for (int off = -payload; off < 0; off += 8)
		p[n++] = (struct bk_insn)BK_ST_MEM(BK_DW, BK_FP, off, off * 3);
	bk_insn_ld_imm64(&p[n], BK_R1, BK_PSEUDO_MAP_FD, (uint32_t)ring_fd);
	n += 2;
	p[n++] = (struct bk_insn)BK_MOV64_REG(BK_R2, BK_FP);
	p[n++] = (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R2, -payload);
	p[n++] = (struct bk_insn)BK_MOV64_IMM(BK_R3, payload);
	p[n++] = (struct bk_insn)BK_MOV64_IMM(BK_R4, BK_RB_NO_WAKEUP);
	p[n++] = bk_insn_call(BK_FN_ringbuf_output);
	p[n++] = (struct bk_insn)BK_MOV64_IMM(BK_R0, 0);
	p[n++] = (struct bk_insn)BK_EXIT();
	return bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
					.insns = p, .insn_cnt = (size_t)n));
}

struct setup {
	int ring_fd, prog_fd;
	size_t ring_size;
	size_t per_fill;      /* records one fill produces */
	size_t payload;
	struct bk_ringbuf *bk;
	struct ring_buffer *lb;
	const uint8_t *data;  /* our own read-only view of the data area */
	unsigned long cons;   /* consumer position, tracked here */
	size_t view_len;
};

/* Bytes one record takes in the ring: 8-byte header, payload, padding to 8. */
static size_t rec_size(const struct setup *s)
{
	return (s->payload + 8 + 7) & ~7UL;
}

/* Fill the ring with per_fill records. A signal makes the kernel stop a
 * long test run with EINTR after some records: run again for the rest. */
static void fill(struct setup *s)
{
	uint8_t frame[64] = { 0 };
	size_t have;

	while ((have = bk_ringbuf_avail(s->bk, 0) / rec_size(s)) < s->per_fill) {
		struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = frame,
					      .data_size_in = sizeof(frame),
					      .repeat = (uint32_t)(s->per_fill - have) };
		int err = bk_sys_prog_test_run(s->prog_fd, &o);

		if (err && err != -EINTR)
			die("test run", err);
	}
	if (bk_ringbuf_avail(s->bk, 0) != s->per_fill * rec_size(s))
		die("the ring was not filled as expected", EIO);
}

static size_t drain_batch(struct bk_ringbuf *rb)
{
	struct bk_ringbuf_rec recs[BATCH];
	size_t total = 0;
	int n;

	while ((n = bk_ringbuf_peek(rb, 0, recs, BATCH)) > 0) {
		for (int i = 0; i < n; i++)
			take(recs[i].data, recs[i].size);
		bk_ringbuf_release(rb, 0);
		total += (size_t)n;
	}
	return total;
}

static size_t drain_cursor(struct bk_ringbuf *rb)
{
	size_t total = 0;

	for (;;) {
		struct bk_ringbuf_cursor cur = bk_ringbuf_begin(rb, 0);
		const void *data;
		size_t size, n = 0;

		if (cur.hdr == cur.end)
			break;
		while ((data = bk_ringbuf_next(&cur, &size))) {
			take(data, size);
			n++;
		}
		bk_ringbuf_end(rb, cur);
		if (!n)
			break;
		total += n;
	}
	return total;
}

/* The ceiling: copy the same bytes out of the ring with memcpy, in 64 KiB
 * chunks into a buffer that stays in cache, as the consumers' copies do. */
static void copy_out(struct setup *s, size_t len)
{
	const uint8_t *from = s->data + (s->cons & (s->ring_size - 1)); /* mapped twice */

	for (size_t off = 0; off < len; off += sizeof(copy_dst)) {
		size_t n = len - off < sizeof(copy_dst) ? len - off : sizeof(copy_dst);

		memcpy(copy_dst, from + off, n);
	}
}

/* Give the space back after copy_out(), untimed, without touching the sink. */
static size_t skip_all(struct bk_ringbuf *rb)
{
	struct bk_ringbuf_rec recs[BATCH];
	size_t total = 0;
	int n;

	while ((n = bk_ringbuf_peek(rb, 0, recs, BATCH)) > 0) {
		bk_ringbuf_release(rb, 0);
		total += (size_t)n;
	}
	return total;
}

/* One timed drain by consumer c; returns seconds, checks the record count. */
static double timed_drain(struct setup *s, enum consumer c)
{
	size_t before = sink.records, got = 0, len;
	double t0, t1;

	fill(s);
	len = bk_ringbuf_avail(s->bk, 0);
	t0 = now_s();
	switch (c) {
	case C_BATCH:
		got = drain_batch(s->bk);
		break;
	case C_CURSOR:
		got = drain_cursor(s->bk);
		break;
	case C_CALLBACK:
		got = (size_t)bk_ringbuf_consume(s->bk);
		break;
	case C_LIBBPF:
		got = (size_t)ring_buffer__consume(s->lb);
		break;
	case C_MEMCPY:
	case C__N:
		copy_out(s, len);
		break;
	}
	t1 = now_s();
	if (c == C_MEMCPY) {
		got = skip_all(s->bk);
		sink.records += got;
	}
	s->cons += len;
	if (got != s->per_fill || sink.records - before != s->per_fill)
		die("a consumer lost records", EIO);
	return t1 - t0;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void setup_up(struct setup *s, size_t ring_size, size_t payload)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *view;

	memset(s, 0, sizeof(*s));
	s->ring_size = ring_size;
	s->payload = payload;
	s->per_fill = (ring_size - 1) / rec_size(s);
	s->ring_fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts,
					       .map_type = BK_MAP_TYPE_RINGBUF,
					       .max_entries = (uint32_t)ring_size));
	if (s->ring_fd < 0)
		die("ring map", s->ring_fd);
	s->prog_fd = load_producer(s->ring_fd, (int)payload);
	if (s->prog_fd < 0)
		die("producer program", s->prog_fd);
	s->bk = bk_ringbuf_new(NULL);
	if (!s->bk || bk_ringbuf_add(s->bk, s->ring_fd, bk_cb, NULL) < 0)
		die("bpfkit ring", errno);
	s->lb = ring_buffer__new(s->ring_fd, libbpf_cb, NULL, NULL);
	if (!s->lb)
		die("libbpf ring", errno);
	s->view_len = page + 2 * ring_size;
	view = mmap(NULL, s->view_len, PROT_READ, MAP_SHARED, s->ring_fd, (off_t)page);
	if (view == MAP_FAILED)
		die("mmap", errno);
	s->data = (const uint8_t *)view + page;
}

static void setup_down(struct setup *s)
{
	munmap((void *)(s->data - sysconf(_SC_PAGESIZE)), s->view_len);
	ring_buffer__free(s->lb);
	bk_ringbuf_free(s->bk);
	close(s->prog_fd);
	close(s->ring_fd);
}

/* Run every consumer over the ring, RUNS times; print one line per figure,
 * named NAME_PAYLOAD[_kind]. */
static void bench_payload(const char *name, size_t ring_size, size_t payload, size_t records)
{
	struct setup s;
	double secs[C__N][RUNS], med[C__N], mrec[C__N];
	size_t fills;

	setup_up(&s, ring_size, payload);
	fills = (records + s.per_fill - 1) / s.per_fill;
	for (int r = 0; r < RUNS; r++) {
		double sum[C__N] = { 0 };

		/* Interleave the consumers fill by fill, so drift (frequency,
		 * other load) hits them alike. */
		for (size_t f = 0; f < fills; f++)
			for (int k = 0; k < C__N; k++) {
				enum consumer c = (enum consumer)((k + (int)f) % C__N);

				if (c != C_MEMCPY || payload == 256)
					sum[c] += timed_drain(&s, c);
			}
		for (int c = 0; c < C__N; c++)
			secs[c][r] = sum[c];
	}
	for (int c = 0; c < C__N; c++) {
		med[c] = median(secs[c], RUNS);
		mrec[c] = (double)(fills * s.per_fill) / med[c] / 1e6;
	}
	printf("bench %s_%zu: bpfkit %.1f Mrec/s; libbpf %.1f Mrec/s; ratio %.2f\n", name,
	       payload, mrec[C_CALLBACK], mrec[C_LIBBPF], mrec[C_CALLBACK] / mrec[C_LIBBPF]);
	printf("bench %s_%zu_batch: bpfkit %.1f Mrec/s; libbpf %.1f Mrec/s; ratio %.2f\n", name,
	       payload, mrec[C_BATCH], mrec[C_LIBBPF], mrec[C_BATCH] / mrec[C_LIBBPF]);
	printf("bench %s_%zu_cursor: bpfkit %.1f Mrec/s; libbpf %.1f Mrec/s; ratio %.2f\n", name,
	       payload, mrec[C_CURSOR], mrec[C_LIBBPF], mrec[C_CURSOR] / mrec[C_LIBBPF]);
	if (payload == 256) {
		/* The bytes both walk: every record's header and padding as
		 * well as its payload, since memcpy copies them too. */
		double bytes = (double)(fills * s.per_fill * rec_size(&s));
		double gb_bk = bytes / med[C_CALLBACK] / 1e9, gb_mc = bytes / med[C_MEMCPY] / 1e9;

		printf("bench %s_256_gbps: bpfkit %.2f GB/s; memcpy %.2f GB/s; ratio %.2f\n", name,
		       gb_bk, gb_mc, gb_bk / gb_mc);
	}
	setup_down(&s);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(void)
{
	libbpf_set_print(quiet);
	bench_payload("ringbuf", SMALL_RING, 16, RECORDS);
	bench_payload("ringbuf", SMALL_RING, 256, RECORDS);
	/* One full ring per consumer per run: 11M records of 16 bytes, 1M of 256. */
	bench_payload("ringbuf_256MiB", LARGE_RING, 16, 1);
	bench_payload("ringbuf_256MiB", LARGE_RING, 256, 1);
	fprintf(stderr, "bench ringbuf: checksum %u over %zu records\n", (unsigned)(sink.buf[0] + sink.buf[7]),
		sink.records);
	return 0;
}
