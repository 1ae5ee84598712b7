// SPDX-License-Identifier: MIT
/*
 * Network hooks against the running kernel, in a private network namespace
 * with a veth pair: socket filters on a UDP socket over loopback, XDP
 * (generic and native) and tcx counting raw frames sent between the veths.
 * Cgroup hooks are in test_link_cgroup.c, as in the sources.
 */
#include <poll.h>

#include "test_link.h"

TestSuite(obj_link_net, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define N_FRAMES 17

/* ---- socket filters ---- */

static void udp_send(uint16_t port, int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(s, 0);
	for (int i = 0; i < n; i++)
		cr_assert_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	close(s);
}

Test(obj_link_net, socket_filter_drops_until_detached)
{
	struct bk_prog *drop;
	struct bk_link *link;
	struct bk_info_link info;
	uint16_t port;
	char c;
	int s;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	s = udp_bound(&port);
	drop = tl_load(BK_PROG_TYPE_SOCKET_FILTER, 0, NULL, "r0 = 0\nexit\n");
	link = bk_link_socket(drop, s);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_SOCKET);
	cr_assert_eq(bk_link_fd(link), -1, "a socket filter has no kernel link");
	cr_assert_eq(bk_link_id(link), 0);
	cr_assert_eq(bk_link_info(link, &info), -EOPNOTSUPP);
	cr_assert_eq(bk_link_update(link, drop), -EOPNOTSUPP);
	cr_assert_eq(errno, EOPNOTSUPP);
	cr_assert_eq(bk_link_pin(link, "/sys/fs/bpf/nope"), -EOPNOTSUPP);
	udp_send(port, 1);
	cr_assert_eq(udp_drain(s, 100), 0, "the filter drops the datagram");
	cr_assert_eq(recv(s, &c, 1, MSG_DONTWAIT), -1);
	cr_assert_eq(errno, EAGAIN);
	cr_assert_eq(bk_link_detach(link), 0);
	cr_assert_eq(bk_link_detach(link), 0, "detaching twice is harmless");
	udp_send(port, 1);
	cr_assert_eq(udp_drain(s, 1000), 1, "after detach the datagram arrives");
	bk_link_close(link);
	bk_prog_close(drop);
	close(s);
}

Test(obj_link_net, socket_filter_counts_and_close_detaches)
{
	struct bk_map *counts;
	struct bk_prog *count;
	struct bk_link *link;
	uint16_t port;
	int s;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	s = udp_bound(&port);
	counts = tl_counts();
	count = tl_load(BK_PROG_TYPE_SOCKET_FILTER, 0, counts, TL_COUNT "r0 = -1\nexit\n", 0);
	link = bk_link_socket(count, s);
	cr_assert_not_null(link, "%s", strerror(errno));
	udp_send(port, N_FRAMES);
	cr_assert_eq(udp_drain(s, 1000), N_FRAMES, "a filter returning -1 keeps every datagram");
	cr_assert_eq(tl_count(counts, 0), N_FRAMES);
	bk_link_close(link);
	udp_send(port, 3);
	cr_assert_eq(udp_drain(s, 1000), 3);
	cr_assert_eq(tl_count(counts, 0), N_FRAMES, "closing the link took the filter off");
	bk_prog_close(count);
	bk_map_close(counts);
	close(s);
}

Test(obj_link_net, socket_filter_survives_the_callers_fd)
{
	struct bk_prog *drop;
	struct bk_link *link;
	uint16_t port;
	int s, s2;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	s = udp_bound(&port);
	s2 = dup(s);
	drop = tl_load(BK_PROG_TYPE_SOCKET_FILTER, 0, NULL, "r0 = 0\nexit\n");
	link = bk_link_socket(drop, s);
	cr_assert_not_null(link);
	close(s); /* the link detaches through its own duplicate */
	udp_send(port, 1);
	cr_assert_eq(udp_drain(s2, 100), 0);
	cr_assert_eq(bk_link_detach(link), 0);
	udp_send(port, 1);
	cr_assert_eq(udp_drain(s2, 1000), 1);
	bk_link_close(link);
	bk_prog_close(drop);
	close(s2);
}

Test(obj_link_net, socket_filter_bad_input)
{
	struct bk_prog *xdp;
	int s, devnull;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	xdp = tl_load(BK_PROG_TYPE_XDP, 0, NULL, "r0 = 2\nexit\n");
	cr_assert_null(bk_link_socket(NULL, s));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_socket(xdp, s));
	cr_assert_eq(errno, EINVAL, "an XDP program is no socket filter");
	cr_assert_null(bk_link_socket(xdp, devnull));
	cr_assert_eq(errno, ENOTSOCK);
	cr_assert_null(bk_link_socket(xdp, -1));
	cr_assert_eq(errno, EBADF);
	bk_prog_close(xdp);
	close(devnull);
	close(s);
}

/* ---- XDP ---- */

static void xdp_count_update_close(uint32_t mode)
{
	struct bk_map *counts;
	struct bk_prog *p0, *p1;
	struct bk_link *link, *again;
	struct bk_info_link info;
	struct bk_link_opts o = { .sz = sizeof(o), .flags = mode };
	int ifindex;

	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	ifindex = (int)bk_test_ifindex("bkl1");
	counts = tl_counts();
	p0 = tl_xdp_counter(counts, 0, 2);
	p1 = tl_xdp_counter(counts, 1, 2);
	link = bk_link_xdp(p0, ifindex, &o);
	cr_assert_not_null(link, "xdp mode %u: %s", mode, strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_XDP);
	cr_assert_gt(bk_link_id(link), 0);
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_XDP);
	cr_assert_eq(info.ifindex, (uint32_t)ifindex);
	cr_assert_eq(info.prog_id, bk_prog_id(p0));
	cr_assert_null(bk_link_xdp(p1, ifindex, &o), "one XDP link per mode");
	cr_assert_eq(errno, EBUSY);

	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 0, N_FRAMES), N_FRAMES);
	cr_assert_eq(bk_link_update(link, p1), 0, "%s", strerror(errno));
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.prog_id, bk_prog_id(p1));
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 1, N_FRAMES), N_FRAMES);
	cr_assert_eq(tl_count(counts, 0), N_FRAMES, "the old program saw no more frames");

	bk_link_close(link);
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 1, 2 * N_FRAMES), N_FRAMES, "closed: detached");
	again = bk_link_xdp(p0, ifindex, &o);
	cr_assert_not_null(again, "the hook is free again: %s", strerror(errno));
	bk_link_close(again);
	bk_prog_close(p0);
	bk_prog_close(p1);
	bk_map_close(counts);
}

Test(obj_link_net, xdp_generic_counts_updates_and_detaches_on_close)
{
	BK_REQUIRE_KERNEL();
	xdp_count_update_close(BK_XDP_FLAGS_SKB_MODE);
}

Test(obj_link_net, xdp_native_on_veth_counts_updates_and_detaches_on_close)
{
	BK_REQUIRE_KERNEL();
	xdp_count_update_close(BK_XDP_FLAGS_DRV_MODE);
}

/* A packet socket on ifname that sees only our EtherType. */
static int packet_listen(const char *ifname)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(TL_ETHERTYPE) };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(TL_ETHERTYPE));

	cr_assert_geq(s, 0);
	a.sll_ifindex = (int)bk_test_ifindex(ifname);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	return s;
}

Test(obj_link_net, xdp_native_drop_hides_frames_until_detach)
{
	struct bk_link_opts o = { .sz = sizeof(o), .flags = BK_XDP_FLAGS_DRV_MODE };
	struct bk_map *counts;
	struct bk_prog *drop;
	struct bk_link *link;
	int s;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	counts = tl_counts();
	drop = tl_xdp_counter(counts, 0, 1);
	s = packet_listen("bkl1");
	link = bk_link_xdp(drop, (int)bk_test_ifindex("bkl1"), &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 0, N_FRAMES), N_FRAMES);
	cr_assert_eq(udp_drain(s, 100), 0, "XDP_DROP: the stack never saw them");
	cr_assert_eq(bk_link_detach(link), 0);
	cr_assert_eq(bk_link_update(link, drop), -ENOLINK, "a detached link runs nothing");
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(udp_drain(s, 1000), N_FRAMES, "detached: frames reach the socket");
	cr_assert_eq(tl_count(counts, 0), N_FRAMES);
	bk_link_close(link);
	close(s);
	bk_prog_close(drop);
	bk_map_close(counts);
}

Test(obj_link_net, xdp_and_tcx_bad_input)
{
	struct bk_prog *sf, *xdp, *tc;
	struct bk_link_opts bad = { .sz = 1 };

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	sf = tl_load(BK_PROG_TYPE_SOCKET_FILTER, 0, NULL, "r0 = 0\nexit\n");
	xdp = tl_load(BK_PROG_TYPE_XDP, BK_ATTACH_XDP, NULL, "r0 = 2\nexit\n");
	cr_assert_null(bk_link_xdp(NULL, (int)bk_test_ifindex("bkl1"), NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_xdp(xdp, 999999, NULL));
	cr_assert_eq(errno, ENODEV, "%s", strerror(errno));
	cr_assert_null(bk_link_xdp(sf, (int)bk_test_ifindex("bkl1"), NULL));
	cr_assert_eq(errno, EINVAL, "a socket filter cannot go on XDP");
	cr_assert_null(bk_link_xdp(xdp, (int)bk_test_ifindex("bkl1"), &bad));
	cr_assert_eq(errno, EINVAL, "opts too small to hold their own size");
	cr_assert_null(bk_link_tcx(NULL, (int)bk_test_ifindex("bkl1"), false, NULL));
	cr_assert_eq(errno, EINVAL);
	tc = tl_load(BK_PROG_TYPE_SCHED_CLS, 0, NULL, "r0 = 0\nexit\n");
	cr_assert_null(bk_link_tcx(tc, 999999, false, NULL));
	cr_assert_eq(errno, ENODEV, "%s", strerror(errno));
	bk_prog_close(tc);
	cr_assert_null(bk_link_tcx(xdp, (int)bk_test_ifindex("bkl1"), true, NULL));
	cr_assert_eq(errno, EINVAL, "an XDP program cannot go on tcx");
	bk_prog_close(sf);
	bk_prog_close(xdp);
}

/* ---- tcx ---- */

/* Count our frames in slot, then return verdict (-1 TCX_NEXT, 0 PASS, 2 DROP). */
static struct bk_prog *tc_counter(struct bk_map *counts, unsigned slot, int verdict)
{
	return tl_load(BK_PROG_TYPE_SCHED_CLS, 0, counts,
		       "r2 = *(u32 *)(r1 + 16)\n" /* skb->protocol, network order */
		       "if r2 != %u goto out\n" TL_COUNT "out:\n"
		       "r0 = %d\n"
		       "exit\n",
		       htons(TL_ETHERTYPE), slot, verdict);
}

Test(obj_link_net, tcx_ingress_and_egress_count_exactly)
{
	struct bk_map *counts;
	struct bk_prog *in, *out;
	struct bk_link *lin, *lout;
	struct bk_info_link info;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	counts = tl_counts();
	in = tc_counter(counts, 0, 0);
	out = tc_counter(counts, 1, 0);
	lin = bk_link_tcx(in, (int)bk_test_ifindex("bkl1"), false, NULL);
	cr_assert_not_null(lin, "%s", strerror(errno));
	lout = bk_link_tcx(out, (int)bk_test_ifindex("bkl0"), true, NULL);
	cr_assert_not_null(lout, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(lin), BK_LINK_KIND_TCX);
	cr_assert_eq(bk_link_info(lout, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_TCX);
	cr_assert_eq(info.ifindex, bk_test_ifindex("bkl0"));
	cr_assert_eq(info.attach_type, BK_ATTACH_TCX_EGRESS);
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 0, N_FRAMES), N_FRAMES, "ingress on bkl1");
	cr_assert_eq(tl_count_wait(counts, 1, N_FRAMES), N_FRAMES, "egress on bkl0");
	bk_link_close(lin);
	bk_link_close(lout);
	tl_send_frames("bkl0", 2);
	cr_assert_eq(tl_count_wait(counts, 0, N_FRAMES + 2), N_FRAMES, "closed: detached");
	cr_assert_eq(tl_count(counts, 1), N_FRAMES);
	bk_prog_close(in);
	bk_prog_close(out);
	bk_map_close(counts);
}

/* The tcx ingress programs of ifindex in run order, and the revision. */
static uint32_t tcx_ingress_ids(int ifindex, uint32_t ids[4], uint64_t *revision)
{
	struct bk_prog_query_opts q = { .sz = sizeof(q), .prog_ids = ids, .count = 4 };

	cr_assert_eq(bk_sys_prog_query(ifindex, BK_ATTACH_TCX_INGRESS, &q), 0);
	*revision = q.revision;
	return q.count;
}

Test(obj_link_net, tcx_before_runs_first_and_can_drop)
{
	struct bk_map *counts;
	struct bk_prog *next, *drop;
	struct bk_link *ln, *ld;
	struct bk_link_opts o = { .sz = sizeof(o) };
	uint32_t ids[4];
	uint64_t rev;
	int ifindex;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	ifindex = (int)bk_test_ifindex("bkl1");
	counts = tl_counts();
	next = tc_counter(counts, 0, -1);
	drop = tc_counter(counts, 1, 2);
	ln = bk_link_tcx(next, ifindex, false, NULL);
	cr_assert_not_null(ln, "%s", strerror(errno));
	cr_assert_eq(tcx_ingress_ids(ifindex, ids, &rev), 1);

	o.flags = BK_F_BEFORE;
	o.relative_fd = (uint32_t)bk_prog_fd(next);
	o.expected_revision = rev + 1;
	cr_assert_null(bk_link_tcx(drop, ifindex, false, &o));
	cr_assert_eq(errno, ESTALE, "the hook changed since revision rev+1... it did not");
	o.expected_revision = rev;
	ld = bk_link_tcx(drop, ifindex, false, &o);
	cr_assert_not_null(ld, "%s", strerror(errno));
	cr_assert_eq(tcx_ingress_ids(ifindex, ids, &rev), 2);
	cr_assert_eq(ids[0], bk_prog_id(drop), "BK_F_BEFORE put it first");
	cr_assert_eq(ids[1], bk_prog_id(next));

	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 1, N_FRAMES), N_FRAMES);
	cr_assert_eq(tl_count(counts, 0), 0, "TCX_DROP first: the second never ran");
	bk_link_close(ld);
	tl_send_frames("bkl0", N_FRAMES);
	cr_assert_eq(tl_count_wait(counts, 0, N_FRAMES), N_FRAMES);
	bk_link_close(ln);
	bk_prog_close(next);
	bk_prog_close(drop);
	bk_map_close(counts);
}
