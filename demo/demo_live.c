// SPDX-License-Identifier: MIT
/*
 * The live part of the demo: an XDP program written in assembler text,
 * attached through a link to one end of a veth pair in a network namespace
 * of the demo's own, real frames sent into the other end, per-protocol
 * counts read from a map and one event per frame read from a ring buffer.
 *
 * The namespace belongs to this process alone: the machine's interfaces
 * never see the program, and everything vanishes when the demo exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpfkit/link.h>
#include <bpfkit/map.h>
#include <bpfkit/object.h>
#include <bpfkit/prog.h>
#include <bpfkit/ringbuf.h>

#include "demo.h"

/* What the program writes to the ring per frame. */
struct event {
	uint16_t ethertype_be;
	uint8_t proto;
	uint8_t pad;
	uint32_t len;
	uint32_t saddr, daddr; /* network order; IPv4 frames only */
};

static const char xdp_text[] =
	"# count frames by IPv4 protocol (0: not IPv4), one ring event per frame\n"
	"r6 = r1\n"
	"r2 = *(u32 *)(r6 + 0)         # data\n"
	"r3 = *(u32 *)(r6 + 4)         # data_end\n"
	"r4 = r2\n"
	"r4 += 34                      # Ethernet + IPv4 header\n"
	"if r4 > r3 goto pass\n"
	"r7 = *(u16 *)(r2 + 12)        # EtherType, as on the wire\n"
	"r9 = *(u32 *)(r2 + 26)        # IPv4 source\n"
	"r5 = *(u32 *)(r2 + 30)        # IPv4 destination\n"
	"*(u32 *)(r10 - 8) = r5\n"
	"r8 = 0\n"
	"if r7 != 0x8 goto count       # htons(ETH_P_IP)\n"
	"r8 = *(u8 *)(r2 + 23)         # IPv4 protocol\n"
	"count:\n"
	"*(u32 *)(r10 - 4) = r8\n"
	"r2 = r10\n"
	"r2 += -4\n"
	"r1 = map[by_proto] ll\n"
	"call bpf_map_lookup_elem\n"
	"if r0 == 0 goto event\n"
	"r1 = 1\n"
	"lock *(u64 *)(r0 + 0) += r1\n"
	"event:\n"
	"r1 = map[events] ll\n"
	"r2 = 16\n"
	"r3 = 0\n"
	"call bpf_ringbuf_reserve\n"
	"if r0 == 0 goto pass\n"
	"*(u16 *)(r0 + 0) = r7\n"
	"*(u8 *)(r0 + 2) = r8\n"
	"r2 = *(u32 *)(r6 + 0)\n"
	"r3 = *(u32 *)(r6 + 4)\n"
	"r3 -= r2\n"
	"*(u32 *)(r0 + 4) = r3\n"
	"*(u32 *)(r0 + 8) = r9\n"
	"r5 = *(u32 *)(r10 - 8)\n"
	"*(u32 *)(r0 + 12) = r5\n"
	"r1 = r0\n"
	"r2 = 0\n"
	"call bpf_ringbuf_submit\n"
	"pass:\n"
	"r0 = 2                        # XDP_PASS\n"
	"exit\n";

/* What the demo sends: so many frames of each kind. */
static const struct {
	const char *what;
	uint16_t ethertype;
	uint8_t proto;
	int count;
} traffic[] = {
	{ "ICMP", 0x0800, 1, 5 },
	{ "TCP", 0x0800, 6, 3 },
	{ "UDP", 0x0800, 17, 7 },
	{ "ARP", 0x0806, 0, 2 },
};

static int sh(const char *cmd)
{
	int st = system(cmd);

	return st == 0 ? 0 : -EIO;
}

/* A namespace of our own with veth0 <-> veth1, both up, no IPv6 chatter. */
static int make_world(void)
{
	static const char *const quiet[] = { "/proc/sys/net/ipv6/conf/veth0/disable_ipv6",
					     "/proc/sys/net/ipv6/conf/veth1/disable_ipv6" };

	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	if (sh("ip link add veth0 type veth peer name veth1"))
		return -EIO;
	/* Per-interface, inside our namespace: router solicitations and MLD
	 * reports would otherwise add frames the demo did not send. */
	for (size_t i = 0; i < 2; i++) {
		int fd = open(quiet[i], O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				fprintf(stderr, "demo: could not quiet IPv6 on %s\n", quiet[i]);
			close(fd);
		}
	}
	return sh("ip link set veth0 up && ip link set veth1 up");
}

/* One broadcast frame of the given kind, 60 bytes (the Ethernet minimum). */
static size_t build_frame(uint8_t *f, uint16_t ethertype, uint8_t proto)
{
	const uint8_t src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 0, 0, 2 };
	uint16_t et = htons(ethertype);

	memset(f, 0, 60);
	memset(f, 0xff, 6);				 /* broadcast */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6); /* locally administered */
	memcpy(f + 12, &et, 2);
	if (ethertype == 0x0800) {
		f[14] = 0x45;			/* IPv4, 20-byte header */
		f[17] = 46;			/* total length */
		f[22] = 64;			/* TTL */
		f[23] = proto;
		memcpy(f + 26, src, 4);
		memcpy(f + 30, dst, 4);
	}
	return 60;
}

static int send_traffic(int ifindex)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
	uint8_t frame[60];
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	/* Straight to the driver: right after "ip link set up" the device may
	 * still have the noop qdisc, which drops silently, until the kernel's
	 * link watch swaps in the real one. */
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &(int){ 1 }, sizeof(int)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	memset(to.sll_addr, 0xff, 6);
	for (size_t k = 0; k < sizeof(traffic) / sizeof(traffic[0]); k++) {
		size_t len = build_frame(frame, traffic[k].ethertype, traffic[k].proto);

		printf("  sending %d %s frame(s) into veth0\n", traffic[k].count, traffic[k].what);
		for (int i = 0; i < traffic[k].count; i++)
			if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
				int err = -errno;

				close(fd);
				return err;
			}
	}
	close(fd);
	return 0;
}

static const char *proto_name(uint8_t proto)
{
	return proto == 1 ? "icmp" : proto == 6 ? "tcp" : proto == 17 ? "udp" : "not IPv4";
}

static int print_event(void *ctx, const void *data, size_t size)
{
	const struct event *e = data;
	int *n = ctx;
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	if (size < sizeof(*e))
		return 0;
	++*n;
	if (e->proto) {
		inet_ntop(AF_INET, &e->saddr, s, sizeof(s));
		inet_ntop(AF_INET, &e->daddr, d, sizeof(d));
		printf("  event %2d: %-4s %s -> %s, %u bytes\n", *n, proto_name(e->proto), s, d,
		       e->len);
	} else {
		printf("  event %2d: EtherType 0x%04x, %u bytes\n", *n, ntohs(e->ethertype_be),
		       e->len);
	}
	return 0;
}

/* Frames of protocol p the demo sent. */
static uint64_t sent_of(uint32_t p)
{
	uint64_t n = 0;

	for (size_t k = 0; k < sizeof(traffic) / sizeof(traffic[0]); k++)
		if (traffic[k].proto == p)
			n += (uint64_t)traffic[k].count;
	return n;
}

/* Print the counts; 0 when they are exactly what was sent, else -EBADMSG. */
static int print_counts(const struct bk_map *by_proto)
{
	int err = 0;

	printf("== per-protocol counts read from the map 'by_proto'\n");
	for (uint32_t p = 0; p < 256; p++) {
		uint64_t count = 0;

		if (bk_map_lookup(by_proto, &p, sizeof(p), &count, sizeof(count), 0))
			return -errno;
		if (count != sent_of(p))
			err = -EBADMSG;
		if (count || sent_of(p))
			printf("  %-8s (%3u): %llu frame(s), %llu sent\n", proto_name((uint8_t)p), p,
			       (unsigned long long)count, (unsigned long long)sent_of(p));
	}
	return err;
}

/* Read events until none comes for a while. */
static int drain_events(struct bk_ringbuf *rb)
{
	int got;

	printf("== events read from the ring buffer 'events'\n");
	do
		got = bk_ringbuf_poll(rb, 200);
	while (got > 0);
	return got < 0 ? got : 0;
}

static int attach_and_send(struct bk_prog *prog, struct bk_map *by_proto, struct bk_map *events)
{
	struct bk_link *link;
	struct bk_ringbuf *rb;
	int seen = 0, err;

	link = bk_link_xdp(prog, (int)if_nametoindex("veth1"),
			   BK_OPTS(bk_link_opts, .flags = BK_XDP_FLAGS_DRV_MODE));
	if (!link)
		return demo_fail("attach XDP to veth1", -errno);
	printf("  attached to veth1 (native XDP) as link id %u\n", bk_link_id(link));
	rb = bk_ringbuf_new(NULL);
	if (!rb || bk_ringbuf_add(rb, bk_map_fd(events), print_event, &seen) < 0) {
		err = -errno;
		bk_ringbuf_free(rb);
		bk_link_close(link);
		return demo_fail("ring buffer", err);
	}
	err = send_traffic((int)if_nametoindex("veth0"));
	if (!err)
		err = drain_events(rb);
	printf("  %d event(s)\n", seen);
	if (!err)
		err = print_counts(by_proto);
	if (!err && (uint64_t)seen != sent_of(0) + sent_of(1) + sent_of(6) + sent_of(17))
		err = -EBADMSG;
	bk_ringbuf_free(rb);
	bk_link_close(link);
	if (err)
		return demo_fail("counting every frame sent, once", err);
	printf("  every frame sent was counted once and seen once\n");
	return 0;
}

static int count_event(void *ctx, const void *data, size_t size)
{
	(void)data;
	*(int *)ctx += size == 4;
	return 0;
}

/* The same counting, written in C, built by clang-19 and loaded from its ELF object. */
static int demo_object(const char *path)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_ringbuf *rb = NULL;
	uint64_t *short_frames;
	int seen = 0, err;
	char where[300];

	printf("== 5. the same program in C: %s (clang-19), loaded by bpfkit's ELF loader\n", path);
	obj = bk_object_open_file(path, BK_OPTS(bk_object_opts, .diag = &d));
	if (!obj || bk_object_load(obj)) {
		printf("  %s\n", bk_diag_format(&d, where, sizeof(where)));
		bk_object_close(obj);
		return demo_fail("open and load the object", -errno);
	}
	for (size_t i = 0; i < bk_object_map_count(obj); i++) {
		struct bk_object_map *m = bk_object_map_at(obj, i);

		printf("  map %-10s -> kernel map '%s' id %u\n", bk_object_map_name(m),
		       bk_object_map_kernel_name(m), bk_map_id(bk_object_map_map(m)));
	}
	err = bk_object_attach(obj, BK_OPTS(bk_object_attach_opts,
					    .ifindex = if_nametoindex("veth1"),
					    .xdp_flags = BK_XDP_FLAGS_DRV_MODE));
	if (err != 1) {
		bk_object_close(obj);
		return demo_fail("attach by section (SEC(\"xdp\") -> veth1)", err < 0 ? err : -EINVAL);
	}
	printf("  program 'xdp_proto' attached by its section to veth1\n");
	rb = bk_ringbuf_new(NULL);
	if (!rb || bk_ringbuf_add(rb, bk_map_fd(bk_object_map_map(bk_object_map_by_name(obj, "events"))),
				  count_event, &seen) < 0)
		err = -errno;
	else
		err = send_traffic((int)if_nametoindex("veth0"));
	while (!err && bk_ringbuf_poll(rb, 200) > 0)
		;
	if (!err)
		err = print_counts(bk_object_map_map(bk_object_map_by_name(obj, "by_proto")));
	short_frames = bk_object_map_data(bk_object_map_by_name(obj, ".bss"), NULL);
	if (!err && (!short_frames || *short_frames != 0))
		err = -EBADMSG;
	if (!err && (uint64_t)seen != sent_of(0) + sent_of(1) + sent_of(6) + sent_of(17))
		err = -EBADMSG;
	printf("  %d ring event(s); short frames (a global variable, read through mmap): %llu\n", seen,
	       short_frames ? (unsigned long long)*short_frames : 0ULL);
	bk_ringbuf_free(rb);
	bk_object_close(obj);
	if (err)
		return demo_fail("counting every frame sent, once, from C", err);
	printf("  every frame sent was counted once and seen once, by the C program too\n");
	return 0;
}

int demo_live(const char *object_path)
{
	struct bk_map *by_proto, *events;
	struct bk_diag d = { 0 };
	struct bk_prog *prog;
	char where[300];
	int err;

	printf("== 4. live: XDP on a veth pair in a network namespace of our own\n");
	err = make_world();
	if (err)
		return demo_fail("network namespace with a veth pair (needs root and iproute2)", err);
	by_proto = bk_map_create(BK_MAP_TYPE_ARRAY, "by_proto", 4, 8, 256, NULL);
	events = bk_map_create(BK_MAP_TYPE_RINGBUF, "events", 0, 0, 64 << 10, NULL);
	if (!by_proto || !events) {
		err = -errno;
		bk_map_close(by_proto);
		bk_map_close(events);
		return demo_fail("maps", err);
	}
	prog = bk_prog_load_text(BK_PROG_TYPE_XDP, xdp_text, strlen(xdp_text),
				 BK_OPTS(bk_prog_opts, .name = "demo_live", .diag = &d,
					 .maps = (struct bk_map *const[]){ by_proto, events },
					 .nmaps = 2, .file = "demo_live.s"));
	if (!prog) {
		printf("  %s\n", bk_diag_format(&d, where, sizeof(where)));
		err = demo_fail("load", -errno);
	} else {
		printf("  assembled and loaded 'demo_live' (%zu bytes of text), prog id %u\n",
		       strlen(xdp_text), bk_prog_id(prog));
		err = attach_and_send(prog, by_proto, events);
	}
	if (!err && object_path)
		err = demo_object(object_path);
	bk_prog_close(prog);
	bk_map_close(events);
	bk_map_close(by_proto);
	return err;
}
