// SPDX-License-Identifier: MIT
/*
 * Cgroup links against the running kernel, on a temporary cgroup that only
 * forked children join (the test process itself never does): socket
 * creation denied and allowed again, cgroup_skb egress counting a child's
 * datagrams, connect4 redirecting a child's connect to another port, and
 * bind4, sysctl and getsockopt hooks refusing a child while linked.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>

#include "test_link.h"

static char cg[256];

/* The cgroup goes even when the test failed half way (its children have
 * exited by then; remove moves stragglers out first). */
static void cg_fini(void)
{
	if (cg[0])
		bk_test_cgroup_remove(cg);
	cg[0] = '\0';
	bk_test_fd_check();
}

TestSuite(obj_link_cgroup, .init = bk_test_fd_snapshot, .fini = cg_fini);

/* A fresh temporary cgroup, open as a directory. */
static int cg_open(void)
{
	int fd;

	if (bk_test_cgroup_create(cg, sizeof(cg)))
		BK_SKIP_OR_FAIL("no cgroup v2 hierarchy to make a temporary cgroup in");
	fd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "%s: %s", cg, strerror(errno));
	return fd;
}

/* Run fn(arg) in a child that joins the cgroup first; its exit status
 * (fn's result, 100 when joining failed). */
static int in_cgroup(int (*fn)(int), int arg)
{
	char procs[300];
	int status = -1;
	pid_t pid;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		FILE *f = fopen(procs, "w");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			_exit(100);
		_exit(fn(arg));
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* 0 when a UDP socket can be created, else the errno. */
static int make_socket(int unused)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	(void)unused;
	if (s < 0)
		return errno;
	close(s);
	return 0;
}

Test(obj_link_cgroup, sock_create_denied_then_allowed)
{
	struct bk_prog *deny, *allow;
	struct bk_link *link;
	struct bk_info_link info;
	int cgfd;

	BK_REQUIRE_KERNEL();
	cgfd = cg_open();
	deny = tl_load(BK_PROG_TYPE_CGROUP_SOCK, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL,
		       "r0 = 0\nexit\n");
	allow = tl_load(BK_PROG_TYPE_CGROUP_SOCK, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL,
			"r0 = 1\nexit\n");
	cr_assert_eq(in_cgroup(make_socket, 0), 0, "no program yet");
	link = bk_link_cgroup(deny, cgfd, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_CGROUP);
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_CGROUP);
	cr_assert_eq(info.attach_type, BK_ATTACH_CGROUP_INET_SOCK_CREATE);
	cr_assert_gt(info.cgroup_id, 0);
	cr_assert_eq(in_cgroup(make_socket, 0), EPERM, "the cgroup may not make sockets");
	cr_assert_eq(make_socket(0), 0, "the test process is not in the cgroup");
	cr_assert_eq(bk_link_update(link, allow), 0, "%s", strerror(errno));
	cr_assert_eq(in_cgroup(make_socket, 0), 0, "updated to a program that allows");
	cr_assert_eq(bk_link_update(link, deny), 0);
	cr_assert_eq(in_cgroup(make_socket, 0), EPERM);
	bk_link_close(link);
	cr_assert_eq(in_cgroup(make_socket, 0), 0, "closing the link detached it");
	bk_prog_close(deny);
	bk_prog_close(allow);
	close(cgfd);
}

#define N_SENT 11

/* Send N_SENT datagrams to 127.0.0.1:port from a new socket; 0 or errno. */
static int send_to_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return errno;
	for (int i = 0; i < N_SENT; i++)
		if (sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) != 1)
			return errno;
	close(s);
	return 0;
}

/* One datagram through a connected socket: connect() is what connect4 sees. */
static int connect_and_send(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 || send(s, "x", 1, 0) != 1)
		return errno;
	close(s);
	return 0;
}

Test(obj_link_cgroup, skb_egress_counts_a_childs_datagrams)
{
	struct bk_map *counts;
	struct bk_prog *count;
	struct bk_link *link;
	uint16_t port;
	int cgfd, s;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	cgfd = cg_open();
	s = udp_bound(&port);
	counts = tl_counts();
	count = tl_load(BK_PROG_TYPE_CGROUP_SKB, BK_ATTACH_CGROUP_INET_EGRESS, counts,
			TL_COUNT "r0 = 1\nexit\n", 0);
	link = bk_link_cgroup(count, cgfd, BK_ATTACH_CGROUP_INET_EGRESS, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(send_to_port(port), 0, "the test process is outside the cgroup");
	cr_assert_eq(udp_drain(s, 1000), N_SENT);
	cr_assert_eq(tl_count(counts, 0), 0, "not counted: sent from outside the cgroup");
	cr_assert_eq(in_cgroup(send_to_port, port), 0);
	cr_assert_eq(udp_drain(s, 1000), N_SENT, "returning 1 lets them through");
	cr_assert_eq(tl_count(counts, 0), N_SENT, "each of the child's datagrams counted once");
	bk_link_close(link);
	cr_assert_eq(in_cgroup(send_to_port, port), 0);
	cr_assert_eq(udp_drain(s, 1000), N_SENT);
	cr_assert_eq(tl_count(counts, 0), N_SENT, "closed: detached");
	bk_prog_close(count);
	bk_map_close(counts);
	close(s);
	close(cgfd);
}

Test(obj_link_cgroup, connect4_redirects_a_childs_connect)
{
	struct bk_prog *redirect;
	struct bk_link *link;
	uint16_t port_a, port_b;
	int cgfd, a, b;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	cgfd = cg_open();
	a = udp_bound(&port_a);
	b = udp_bound(&port_b);
	redirect = tl_load(BK_PROG_TYPE_CGROUP_SOCK_ADDR, BK_ATTACH_CGROUP_INET4_CONNECT, NULL,
			   "r2 = %u\n"
			   "*(u32 *)(r1 + 24) = r2\n" /* bpf_sock_addr.user_port */
			   "r0 = 1\n"
			   "exit\n",
			   htons(port_b));
	link = bk_link_cgroup(redirect, cgfd, BK_ATTACH_CGROUP_INET4_CONNECT, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(in_cgroup(connect_and_send, port_a), 0);
	cr_assert_eq(udp_drain(b, 1000), 1, "connect to A landed on B");
	cr_assert_eq(udp_drain(a, 100), 0);
	cr_assert_eq(connect_and_send(port_a), 0);
	cr_assert_eq(udp_drain(a, 1000), 1, "outside the cgroup nothing is redirected");
	cr_assert_eq(bk_link_detach(link), 0);
	cr_assert_eq(in_cgroup(connect_and_send, port_a), 0);
	cr_assert_eq(udp_drain(a, 1000), 1, "detached: A again");
	cr_assert_eq(udp_drain(b, 100), 0);
	bk_link_close(link);
	bk_prog_close(redirect);
	close(a);
	close(b);
	close(cgfd);
}

/* 0 when a UDP socket binds to 127.0.0.1 (any port), else the errno. */
static int bind_loopback(int unused)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	(void)unused;
	if (s < 0)
		return errno;
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		err = errno;
	close(s);
	return err;
}

/* 0 when a sysctl reads, else the errno (read-only: nothing changes). */
static int read_sysctl(int unused)
{
	char buf[64];
	int fd = open("/proc/sys/kernel/ostype", O_RDONLY), err = 0;

	(void)unused;
	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* 0 when getsockopt(SO_TYPE) answers, else the errno. */
static int get_sockopt(int unused)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), type = 0, err = 0;
	socklen_t len = sizeof(type);

	(void)unused;
	if (s < 0)
		return errno;
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		err = errno;
	close(s);
	return err;
}

/* One hook: the child is refused while a denying program is linked, and
 * is not once the link is closed; the test process is never affected. */
static void deny_while_linked(int cgfd, enum bk_prog_type type, uint32_t attach,
			      int (*act)(int))
{
	struct bk_prog *deny = tl_load(type, attach, NULL, "r0 = 0\nexit\n");
	struct bk_link *link;

	cr_assert_eq(in_cgroup(act, 0), 0, "attach type %u: allowed before", attach);
	link = bk_link_cgroup(deny, cgfd, attach, NULL);
	cr_assert_not_null(link, "attach type %u: %s", attach, strerror(errno));
	cr_assert_eq(in_cgroup(act, 0), EPERM, "attach type %u: denied while linked", attach);
	cr_assert_eq(act(0), 0, "attach type %u: only the cgroup is denied", attach);
	bk_link_close(link);
	cr_assert_eq(in_cgroup(act, 0), 0, "attach type %u: allowed after close", attach);
	bk_prog_close(deny);
}

Test(obj_link_cgroup, bind_sysctl_and_getsockopt_hooks)
{
	int cgfd;

	BK_REQUIRE_KERNEL();
	cgfd = cg_open();
	deny_while_linked(cgfd, BK_PROG_TYPE_CGROUP_SOCK_ADDR, BK_ATTACH_CGROUP_INET4_BIND,
			  bind_loopback);
	deny_while_linked(cgfd, BK_PROG_TYPE_CGROUP_SYSCTL, BK_ATTACH_CGROUP_SYSCTL, read_sysctl);
	deny_while_linked(cgfd, BK_PROG_TYPE_CGROUP_SOCKOPT, BK_ATTACH_CGROUP_GETSOCKOPT,
			  get_sockopt);
	close(cgfd);
}

Test(obj_link_cgroup, bad_input)
{
	struct bk_prog *sf, *sock;
	int cgfd;

	BK_REQUIRE_KERNEL();
	cgfd = cg_open();
	sf = tl_load(BK_PROG_TYPE_SOCKET_FILTER, 0, NULL, "r0 = 0\nexit\n");
	sock = tl_load(BK_PROG_TYPE_CGROUP_SOCK, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL,
		       "r0 = 1\nexit\n");
	cr_assert_null(bk_link_cgroup(NULL, cgfd, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_cgroup(sf, cgfd, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL));
	cr_assert_eq(errno, EINVAL, "a socket filter is no cgroup program");
	cr_assert_null(bk_link_cgroup(sock, cgfd, BK_ATTACH_CGROUP_INET4_CONNECT, NULL));
	cr_assert_eq(errno, EINVAL, "loaded for another hook");
	cr_assert_null(bk_link_cgroup(sock, -1, BK_ATTACH_CGROUP_INET_SOCK_CREATE, NULL));
	cr_assert_eq(errno, EBADF);
	bk_prog_close(sf);
	bk_prog_close(sock);
	close(cgfd);
}
