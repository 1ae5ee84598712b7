// SPDX-License-Identifier: MIT
/* rtnetlink for XDP: RTM_SETLINK with IFLA_XDP, RTM_GETLINK dumps. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"

/* From <linux/if_link.h>, spelled out to keep to the few values used. */
enum { IFLA_XDP_ = 43 };
enum { XDP_FD = 1, XDP_ATTACHED = 2, XDP_FLAGS = 3, XDP_PROG_ID = 4, XDP_DRV_PROG_ID = 5,
       XDP_SKB_PROG_ID = 6, XDP_HW_PROG_ID = 7 };
enum { ATTACHED_DRV = 1, ATTACHED_SKB = 2, ATTACHED_HW = 3 };

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int one = 1;

	if (fd < 0)
		return -errno;
	/* Extended acks carry the kernel's reason; harmless when unsupported. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

static void put_attr(struct nlmsghdr *h, uint16_t type, const void *data, uint16_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (uint16_t)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* The extended ack's message (NLMSGERR_ATTR_MSG) after a failed request. */
static void ext_ack(const struct nlmsghdr *h, char *why, size_t size)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = sizeof(*e);
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg); /* the request is echoed */
	len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(off);
	for (const struct rtattr *a = (const void *)((const char *)e + NLMSG_ALIGN(off));
	     len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NLMSGERR_ATTR_MSG)
			snprintf(why, size, "%.*s", (int)RTA_PAYLOAD(a), (const char *)RTA_DATA(a));
}

int bk_cli_xdp_set(int ifindex, int prog_fd, uint32_t flags, char *why, size_t size)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		char attrs[64];
	} req = { 0 };
	char buf[8192];
	struct rtattr *nest;
	int32_t fd32 = prog_fd;
	int fd = nl_open(), err;
	ssize_t n;

	if (fd < 0)
		return fd;
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.h.nlmsg_type = RTM_SETLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;
	nest = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.h.nlmsg_len));
	put_attr(&req.h, IFLA_XDP_ | NLA_F_NESTED, NULL, 0);
	put_attr(&req.h, XDP_FD, &fd32, sizeof(fd32));
	if (flags)
		put_attr(&req.h, XDP_FLAGS, &flags, sizeof(flags));
	nest->rta_len = (uint16_t)((char *)&req + req.h.nlmsg_len - (char *)nest);
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	err = n < 0 ? -errno : -EPROTO;
	if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (h->nlmsg_type == NLMSG_ERROR)
			err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		if (err && h->nlmsg_type == NLMSG_ERROR && (size_t)n >= h->nlmsg_len)
			ext_ack(h, why, size);
	}
	close(fd);
	return err;
}

static void parse_xdp(struct rtattr *nest, struct bk_cli_ifxdp *x)
{
	int len = (int)RTA_PAYLOAD(nest);
	uint32_t one = 0;
	uint8_t mode = 0;

	for (struct rtattr *a = RTA_DATA(nest); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		uint32_t v = 0;

		if (RTA_PAYLOAD(a) >= 4)
			memcpy(&v, RTA_DATA(a), 4);
		switch (a->rta_type & NLA_TYPE_MASK) {
		case XDP_ATTACHED:
			mode = *(uint8_t *)RTA_DATA(a);
			break;
		case XDP_PROG_ID:
			one = v;
			break;
		case XDP_DRV_PROG_ID:
			x->drv = v;
			break;
		case XDP_SKB_PROG_ID:
			x->generic = v;
			break;
		case XDP_HW_PROG_ID:
			x->offload = v;
			break;
		}
	}
	/* One program: only IFLA_XDP_PROG_ID and the mode say which it is. */
	if (one && mode == ATTACHED_SKB)
		x->generic = one;
	else if (one && mode == ATTACHED_DRV)
		x->drv = one;
	else if (one && mode == ATTACHED_HW)
		x->offload = one;
}

static int parse_link(struct nlmsghdr *h, bk_cli_ifxdp_fn fn, void *ctx)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct bk_cli_ifxdp x = { .ifindex = ifi->ifi_index };
	int len = (int)IFLA_PAYLOAD(h);

	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			snprintf(x.name, sizeof(x.name), "%s", (char *)RTA_DATA(a));
		else if ((a->rta_type & NLA_TYPE_MASK) == IFLA_XDP_)
			parse_xdp(a, &x);
	}
	return fn(ctx, &x);
}

int bk_cli_xdp_list(bk_cli_ifxdp_fn fn, void *ctx)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
	} req = { 0 };
	static char buf[32768];
	int fd = nl_open(), err = 0;
	bool done = false;

	if (fd < 0)
		return fd;
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 2;
	req.ifi.ifi_family = AF_UNSPEC;
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		done = true, err = -errno;
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int len = (int)n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EPROTO;
			break;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = true;
				break;
			}
			if (h->nlmsg_type == RTM_NEWLINK && !err)
				err = parse_link(h, fn, ctx);
		}
	}
	close(fd);
	return err;
}
