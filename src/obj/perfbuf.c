// SPDX-License-Identifier: MIT
/*
 * Perf event array reader (layout in perfbuf.h). The protocol on each ring:
 *
 *   kernel: writes records, then advances data_head (a release)
 *   us:     load-acquire data_head; read records from data_tail up to it;
 *           store-release data_tail, after which the kernel may reuse them
 *
 * Records are read in place unless one wraps past the end of the data pages,
 * in which case its two parts are copied into a scratch buffer first.
 */
#include <limits.h>
#include <stddef.h>
#include <linux/perf_event.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpfkit/perfbuf.h>

#include "ringbuf_int.h"

typedef _Atomic uint64_t bk_pb_pos;
_Static_assert(sizeof(bk_pb_pos) == sizeof(uint64_t), "atomic u64 has a lock");

#define PB_DEFAULT_PAGES 8
#define PB_MAX_CPUS 4096

struct cpu_ring {
	struct perf_event_mmap_page *meta;
	uint8_t *data;	  /* data pages, right after the metadata page */
	size_t data_size; /* a power of two */
	size_t map_len;
	int fd, cpu;
};

struct bk_perfbuf {
	struct cpu_ring *rings;
	struct epoll_event *events;
	unsigned int cnt;
	int epoll_fd, map_fd;
	bk_perfbuf_sample_fn fn;
	bk_perfbuf_lost_fn lost_fn;
	void *ctx;
	uint64_t lost;
	uint8_t *scratch; /* for records that wrap */
	size_t scratch_len;
};

/* ---- setup ---- */

/* Mark online CPUs below max in set, from "0-3,5" in /sys. */
static int online_cpus(unsigned char *set, unsigned int max)
{
	char buf[512];
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	char *p = buf;

	if (!f)
		return bk__err(-errno);
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return bk__err(-EIO);
	}
	fclose(f);
	while (*p >= '0' && *p <= '9') {
		unsigned long a = strtoul(p, &p, 10), b = a;

		if (*p == '-')
			b = strtoul(p + 1, &p, 10);
		for (unsigned long c = a; c <= b && c < max; c++)
			set[c] = 1;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int open_event(int cpu, uint32_t wakeup)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = wakeup,
	};
	long fd = syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? bk__err(-errno) : bk__fd_above_stdio((int)fd);
}

static void ring_close(struct cpu_ring *r)
{
	if (r->meta)
		munmap(r->meta, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
}

static int ring_open(struct bk_perfbuf *pb, int cpu, size_t pages, uint32_t wakeup)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct cpu_ring *r = &pb->rings[pb->cnt];
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = pb->cnt };
	uint32_t key = (uint32_t)cpu, val;
	void *m;
	int err;

	memset(r, 0, sizeof(*r));
	r->cpu = cpu;
	r->fd = open_event(cpu, wakeup);
	if (r->fd < 0)
		return r->fd;
	r->data_size = pages * page;
	r->map_len = page + r->data_size;
	m = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED) {
		err = bk__err(-errno);
		goto fail;
	}
	r->meta = m;
	r->data = (uint8_t *)m + page;
	val = (uint32_t)r->fd;
	err = bk_sys_map_update_elem(pb->map_fd, &key, &val, BK_ANY);
	if (!err && epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, r->fd, &ev) < 0)
		err = bk__err(-errno);
	if (err)
		goto fail;
	pb->cnt++;
	return 0;
fail:
	ring_close(r);
	return err;
}

/* Field f of opts, or def when opts is NULL or from a build without f. */
#define PB_OPT(o, f, def)                                                                          \
	((o) && (o)->sz >= offsetof(struct bk_perfbuf_opts, f) + sizeof((o)->f) ? (o)->f : (def))

static int check_opts(const struct bk_perfbuf_opts *o, size_t *pages, uint32_t *wakeup)
{
	if (o && o->sz < sizeof(size_t))
		return bk__err(-EINVAL);
	/* A newer caller's fields we do not know must be zero. */
	for (size_t i = sizeof(*o); o && i < o->sz; i++)
		if (((const uint8_t *)o)[i])
			return bk__err(-EINVAL);
	*pages = PB_OPT(o, pages_per_cpu, 0);
	*wakeup = PB_OPT(o, wakeup_events, 0);
	if (!*pages)
		*pages = PB_DEFAULT_PAGES;
	if (!*wakeup)
		*wakeup = 1;
	return *pages & (*pages - 1) ? bk__err(-EINVAL) : 0;
}

static int perfbuf_setup(struct bk_perfbuf *pb, const struct bk_perfbuf_opts *opts)
{
	unsigned char *set;
	unsigned long max;
	size_t pages;
	uint32_t wakeup;
	struct bk_map_info info = { 0 };
	uint32_t len = sizeof(info);
	int err = check_opts(opts, &pages, &wakeup);

	if (!err)
		err = bk_sys_obj_get_info_by_fd(pb->map_fd, &info, &len);
	if (err)
		return err;
	if (info.type != BK_MAP_TYPE_PERF_EVENT_ARRAY)
		return bk__err(-EINVAL);
	max = info.max_entries < PB_MAX_CPUS ? info.max_entries : PB_MAX_CPUS;
	pb->epoll_fd = bk__fd_above_stdio(epoll_create1(EPOLL_CLOEXEC));
	if (pb->epoll_fd < 0)
		return bk__err(-errno);
	set = calloc(max + 1, 1);
	pb->rings = calloc(max + 1, sizeof(*pb->rings));
	pb->events = calloc(max + 1, sizeof(*pb->events));
	err = set && pb->rings && pb->events ? online_cpus(set, (unsigned int)max) : -ENOMEM;
	for (unsigned long c = 0; !err && c < max; c++)
		if (set[c])
			err = ring_open(pb, (int)c, pages, wakeup);
	free(set);
	if (!err && (!pb->cnt || !pb->scratch))
		err = pb->cnt ? -ENOMEM : -ENODEV;
	return err ? bk__err(err) : 0;
}

struct bk_perfbuf *bk_perfbuf_new(int map_fd, bk_perfbuf_sample_fn fn, void *ctx,
				  const struct bk_perfbuf_opts *opts)
{
	struct bk_perfbuf *pb;
	int err;

	if (map_fd < 0 || !fn)
		return bk__err_ptr(-EINVAL);
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return bk__err_ptr(-ENOMEM);
	pb->map_fd = map_fd;
	pb->fn = fn;
	pb->ctx = ctx;
	pb->lost_fn = PB_OPT(opts, lost_fn, NULL);
	pb->epoll_fd = -1;
	pb->scratch_len = 4096;
	pb->scratch = malloc(pb->scratch_len);
	err = perfbuf_setup(pb, opts);
	if (err) {
		bk_perfbuf_free(pb);
		return bk__err_ptr(err);
	}
	return pb;
}

void bk_perfbuf_free(struct bk_perfbuf *pb)
{
	int err = errno;

	if (!pb)
		return;
	for (unsigned int i = 0; i < pb->cnt; i++) {
		uint32_t key = (uint32_t)pb->rings[i].cpu;

		bk_sys_map_delete_elem(pb->map_fd, &key);
		ring_close(&pb->rings[i]);
	}
	if (pb->epoll_fd >= 0)
		close(pb->epoll_fd);
	free(pb->rings);
	free(pb->events);
	free(pb->scratch);
	free(pb);
	errno = err;
}

/* ---- reading ---- */

/* Hand one record (contiguous) to the callbacks. */
static int handle(struct bk_perfbuf *pb, int cpu, const uint8_t *rec, size_t len, size_t *done)
{
	struct perf_event_header h;
	uint32_t raw;
	uint64_t lost;

	memcpy(&h, rec, sizeof(h));
	if (h.type == PERF_RECORD_SAMPLE && len >= sizeof(h) + 4) {
		memcpy(&raw, rec + sizeof(h), 4);
		if (raw > len - sizeof(h) - 4)
			return 0; /* malformed: skip it */
		(*done)++;
		return pb->fn(pb->ctx, cpu, rec + sizeof(h) + 4, raw);
	}
	if (h.type == PERF_RECORD_LOST && len >= sizeof(h) + 16) {
		memcpy(&lost, rec + sizeof(h) + 8, 8);
		pb->lost += lost;
		if (pb->lost_fn)
			pb->lost_fn(pb->ctx, cpu, lost);
	}
	return 0;
}

/* A record that wraps past the end: copy both parts into scratch. */
static const uint8_t *unwrap(struct bk_perfbuf *pb, const struct cpu_ring *r, size_t off,
			     size_t len)
{
	size_t first = r->data_size - off;

	if (len > pb->scratch_len) {
		uint8_t *p = realloc(pb->scratch, len);

		if (!p)
			return NULL;
		pb->scratch = p;
		pb->scratch_len = len;
	}
	memcpy(pb->scratch, r->data + off, first);
	memcpy(pb->scratch + first, r->data, len - first);
	return pb->scratch;
}

static int ring_read(struct bk_perfbuf *pb, struct cpu_ring *r, size_t *done)
{
	bk_pb_pos *head_p = (bk_pb_pos *)&r->meta->data_head;
	bk_pb_pos *tail_p = (bk_pb_pos *)&r->meta->data_tail;
	/* Load-acquire data_head: the records up to it are complete. */
	uint64_t head = atomic_load_explicit(head_p, memory_order_acquire);
	/* Our own position: only we store it. */
	uint64_t tail = atomic_load_explicit(tail_p, memory_order_relaxed);
	int ret = 0;

	while (tail != head && ret >= 0) {
		size_t off = (size_t)(tail & (r->data_size - 1));
		const uint8_t *rec = r->data + off;
		struct perf_event_header h;

		/* Headers are 8-byte aligned and 8 bytes long: they never wrap. */
		memcpy(&h, rec, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail) {
			ret = bk__err(-EBADMSG);
			break;
		}
		if (off + h.size > r->data_size)
			rec = unwrap(pb, r, off, h.size);
		ret = rec ? handle(pb, r->cpu, rec, h.size, done) : bk__err(-ENOMEM);
		tail += h.size;
	}
	/* Store-release data_tail: our reads are done before the kernel may
	 * write over the space. */
	atomic_store_explicit(tail_p, tail, memory_order_release);
	return ret < 0 ? bk__err(ret) : 0;
}

static int count_result(size_t done)
{
	return done > INT_MAX ? INT_MAX : (int)done;
}

int bk_perfbuf_consume(struct bk_perfbuf *pb)
{
	size_t done = 0;
	int err;

	if (!pb)
		return bk__err(-EINVAL);
	for (unsigned int i = 0; i < pb->cnt; i++) {
		err = ring_read(pb, &pb->rings[i], &done);
		if (err)
			return err;
	}
	return count_result(done);
}

int bk_perfbuf_poll(struct bk_perfbuf *pb, int timeout_ms)
{
	size_t done = 0;
	int cnt, err;

	if (!pb)
		return bk__err(-EINVAL);
	cnt = epoll_wait(pb->epoll_fd, pb->events, (int)pb->cnt, timeout_ms);
	if (cnt < 0)
		return errno == EINTR ? 0 : bk__err(-errno);
	for (int i = 0; i < cnt; i++) {
		unsigned int idx = pb->events[i].data.u32;

		if (idx >= pb->cnt)
			continue;
		err = ring_read(pb, &pb->rings[idx], &done);
		if (err)
			return err;
	}
	return count_result(done);
}

int bk_perfbuf_epoll_fd(const struct bk_perfbuf *pb)
{
	return pb ? pb->epoll_fd : bk__err(-EINVAL);
}

uint64_t bk_perfbuf_lost(const struct bk_perfbuf *pb)
{
	return pb ? pb->lost : 0;
}

unsigned int bk_perfbuf_cpu_cnt(const struct bk_perfbuf *pb)
{
	return pb ? pb->cnt : 0;
}
