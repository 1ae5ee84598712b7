/* SPDX-License-Identifier: MIT */
/*
 * What the link tests (tests/obj/test_link*.c) share: programs from text
 * with a "counts" array map, reading counters, and raw Ethernet frames sent
 * out of a veth so that its peer receives exactly those.
 */
#ifndef BK_TEST_LINK_H
#define BK_TEST_LINK_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/link.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "../lib/bk_test.h"

/* A local experimental EtherType: nothing but our frames carries it, so the
 * kernel's own traffic (IPv6 neighbour discovery...) never skews a count. */
#define TL_ETHERTYPE 0x88b5

/* Add 1 to the u64 in the slot given as the %u argument of tl_load()'s
 * format, in map "counts" (clobbers r0-r5). */
#define TL_COUNT                                                                                   \
	"*(u32 *)(r10 - 4) = %u\n"                                                                 \
	"r2 = r10\n"                                                                               \
	"r2 += -4\n"                                                                               \
	"r1 = map[counts] ll\n"                                                                    \
	"call bpf_map_lookup_elem\n"                                                               \
	"if r0 == 0 goto +2\n"                                                                     \
	"r1 = 1\n"                                                                                 \
	"lock *(u64 *)(r0 + 0) += r1\n"

/* The tail of a program that counted (TL_COUNT) with its context in r6:
 * slot 1 of counts gets the attach cookie, and the program returns 0. */
#define TL_KEEP_COOKIE                                                                             \
	"r1 = r6\n"                                                                                \
	"call bpf_get_attach_cookie\n"                                                             \
	"r7 = r0\n"                                                                                \
	"*(u32 *)(r10 - 4) = 1\n"                                                                  \
	"r2 = r10\n"                                                                               \
	"r2 += -4\n"                                                                               \
	"r1 = map[counts] ll\n"                                                                    \
	"call bpf_map_lookup_elem\n"                                                               \
	"if r0 == 0 goto out\n"                                                                    \
	"*(u64 *)(r0 + 0) = r7\n"                                                                  \
	"out:\n"                                                                                   \
	"r0 = 0\n"                                                                                 \
	"exit\n"

/* An array of 8 u64 counters named "counts". */
static inline struct bk_map *tl_counts(void)
{
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_ARRAY, "counts", 4, 8, 8, NULL);

	cr_assert_not_null(m, "counts map: %s", strerror(errno));
	return m;
}

static inline uint64_t tl_count(const struct bk_map *m, uint32_t slot)
{
	uint64_t v = 0;

	cr_assert_eq(bk_map_lookup(m, &slot, sizeof(slot), &v, sizeof(v), 0), 0, "lookup: %s",
		     strerror(errno));
	return v;
}

/*
 * The counter once it reached want, or after a second of waiting: packets
 * cross a veth through a softirq (and NAPI for native XDP), so they may be
 * counted just after the send returns. A short settle then catches extras.
 */
static inline uint64_t tl_count_wait(const struct bk_map *m, uint32_t slot, uint64_t want)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	for (int i = 0; i < 100 && tl_count(m, slot) < want; i++)
		nanosleep(&tick, NULL);
	nanosleep(&tick, NULL);
	return tl_count(m, slot);
}

/* Load text (printf-style) as a program of type, with map counts if given. */
__attribute__((format(printf, 4, 5))) static inline struct bk_prog *
tl_load(enum bk_prog_type type, uint32_t expected, struct bk_map *counts, const char *fmt, ...)
{
	struct bk_map *maps[1] = { counts };
	struct bk_diag d = { 0 };
	char text[4096], msg[300];
	struct bk_prog *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	p = bk_prog_load_text(type, text, strlen(text),
			      BK_OPTS(bk_prog_opts, .expected_attach_type = expected,
				      .maps = maps, .nmaps = counts ? 1 : 0, .diag = &d));
	cr_assert_not_null(p, "load: %s\n%s", bk_diag_format(&d, msg, sizeof(msg)), text);
	return p;
}

/* n broadcast frames of TL_ETHERTYPE sent out of interface ifname. */
static inline void tl_send_frames(const char *ifname, int n)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	unsigned char frame[60];
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	cr_assert_geq(s, 0, "packet socket: %s", strerror(errno));
	to.sll_ifindex = (int)bk_test_ifindex(ifname);
	memset(frame, 0, sizeof(frame));
	memset(frame, 0xff, ETH_ALEN);				/* broadcast */
	memcpy(frame + ETH_ALEN, "\x02\x00\x00\x00\x00\x01", ETH_ALEN); /* local unicast */
	frame[12] = TL_ETHERTYPE >> 8;
	frame[13] = TL_ETHERTYPE & 0xff;
	for (int i = 0; i < n; i++)
		cr_assert_eq(sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&to, sizeof(to)),
			     (ssize_t)sizeof(frame), "send: %s", strerror(errno));
	close(s);
}

/* A UDP socket bound to 127.0.0.1 on a port the kernel picks (in *port). */
static inline int udp_bound(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(s, 0);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return s;
}

/* Datagrams waiting on s, each read within timeout_ms of the previous. */
static inline int udp_drain(int s, int timeout_ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	char buf[16];
	int n = 0;

	while (poll(&p, 1, timeout_ms) == 1 && recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/* XDP: count our frames (TL_ETHERTYPE) in slot, then return verdict (2: XDP_PASS, 1: XDP_DROP). */
static inline struct bk_prog *tl_xdp_counter(struct bk_map *counts, unsigned slot, int verdict)
{
	return tl_load(BK_PROG_TYPE_XDP, BK_ATTACH_XDP, counts,
		       "r2 = *(u32 *)(r1 + 0)\n"
		       "r3 = *(u32 *)(r1 + 4)\n"
		       "r4 = r2\n"
		       "r4 += 14\n"
		       "if r4 > r3 goto out\n"
		       "r5 = *(u16 *)(r2 + 12)\n"
		       "if r5 != %u goto out\n" TL_COUNT "out:\n"
		       "r0 = %d\n"
		       "exit\n",
		       htons(TL_ETHERTYPE), slot, verdict);
}

#endif /* BK_TEST_LINK_H */
