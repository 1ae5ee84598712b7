/* SPDX-License-Identifier: MIT */
/*
 * The two rtnetlink exchanges XDP needs outside BPF links: attach/detach a
 * program on an interface (it stays after the process exits, as bpftool's
 * `net attach xdp`), and list every interface with its XDP programs.
 */
#ifndef BK_CLI_NETLINK_H
#define BK_CLI_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/* XDP modes (IFLA_XDP_FLAGS): 0 lets the kernel choose. */
#define BK_XDP_UPDATE_IF_NOEXIST (1U << 0)
#define BK_XDP_SKB_MODE (1U << 1)
#define BK_XDP_DRV_MODE (1U << 2)
#define BK_XDP_HW_MODE (1U << 3)

/* Attach prog_fd (-1: detach) as the XDP program of ifindex; 0 or -errno,
 * with the kernel's own sentence (extended ack) in why when it gave one. */
int bk_cli_xdp_set(int ifindex, int prog_fd, uint32_t flags, char *why, size_t size);

/* One interface and its XDP programs (ids 0 when none). */
struct bk_cli_ifxdp {
	int ifindex;
	char name[16];
	uint32_t generic, drv, offload; /* program ids per mode */
};

typedef int (*bk_cli_ifxdp_fn)(void *ctx, const struct bk_cli_ifxdp *ifx);

/* Call fn for every interface of this network namespace; 0 or -errno. */
int bk_cli_xdp_list(bk_cli_ifxdp_fn fn, void *ctx);

#endif /* BK_CLI_NETLINK_H */
