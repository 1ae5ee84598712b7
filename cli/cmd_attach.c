// SPDX-License-Identifier: MIT
/*
 * Attaching programs where they stay after the CLI exits, in bpftool's
 * spellings: `prog attach|detach PROG ATTACH_TYPE TARGET` (TARGET: dev IFNAME
 * or cgroup PATH), `net attach ATTACH_TYPE PROG dev IFNAME [overwrite]`,
 * `net detach ATTACH_TYPE dev IFNAME`, `cgroup attach CGROUP ATTACH_TYPE PROG
 * [multi|override]` and `cgroup detach CGROUP ATTACH_TYPE PROG`. XDP goes
 * through rtnetlink (as bpftool's), tcx and cgroup hooks through
 * BPF_PROG_ATTACH; links made with bk_link_* are pinned instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/names.h>
#include <bpfkit/sys.h>

#include "cli.h"
#include "netlink.h"
#include "objref.h"
#include "ops.h"

/* "xdp" with its mode (bpftool's xdpgeneric, xdpdrv, xdpoffload) or a kernel attach type. */
struct hook {
	int type;       /* BK_ATTACH_*, or -1 for netlink XDP */
	uint32_t xdp_flags;
};

static int parse_hook(struct bk_cli *cli, const char *usage, const char *s, struct hook *h)
{
	static const struct { const char *name; uint32_t flags; } xdp[] = {
		{ "xdp", 0 }, { "xdpgeneric", BK_XDP_SKB_MODE }, { "xdpdrv", BK_XDP_DRV_MODE },
		{ "xdpoffload", BK_XDP_HW_MODE },
	};
	static const char *const prefixes[] = { "cgroup_inet_", "cgroup_", "sk_skb_", "sk_" };
	char legacy[64];

	for (size_t i = 0; i < sizeof(xdp) / sizeof(xdp[0]); i++)
		if (!strcmp(s, xdp[i].name)) {
			h->type = -1;
			h->xdp_flags = xdp[i].flags;
			return 0;
		}
	h->type = bk_attach_type_by_name(s);
	/* bpftool's short names: ingress, sock_create (cgroup), stream_verdict (sockmap)... */
	for (size_t i = 0; h->type < 0 && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		snprintf(legacy, sizeof(legacy), "%s%s", prefixes[i], s);
		h->type = bk_attach_type_by_name(legacy);
	}
	if (h->type < 0)
		return bk_cli_usage_why(cli, usage, "unknown attach type '%s'", s);
	return 0;
}

static bool is_dev_hook(const struct hook *h)
{
	return h->type < 0 || h->type == BK_ATTACH_TCX_INGRESS || h->type == BK_ATTACH_TCX_EGRESS;
}

/* The target's fd or ifindex: `dev IFNAME` or `cgroup PATH`. */
static int open_target(struct bk_cli *cli, const char *usage, const struct hook *h,
		       const char *kw, const char *arg, int *target)
{
	if (is_dev_hook(h)) {
		if (strcmp(kw, "dev") != 0)
			return bk_cli_usage_why(cli, usage, "this attach type needs dev IFNAME");
		*target = (int)if_nametoindex(arg);
		if (!*target)
			return bk_cli_fail(cli, "no interface '%s' in this network namespace", arg);
		return 0;
	}
	if (strcmp(kw, "cgroup") != 0)
		return bk_cli_usage_why(cli, usage, "this attach type needs cgroup PATH");
	*target = bk_cli_open_cgroup(cli, arg);
	return *target < 0 ? 1 : 0;
}

static int do_attach(struct bk_cli *cli, bool attach, int prog_fd, const struct hook *h,
		     int target, uint32_t flags)
{
	char why[256] = "";
	int err;

	if (h->type < 0) {
		err = bk_cli_xdp_set(target, attach ? prog_fd : -1, h->xdp_flags | flags, why,
				     sizeof(why));
		if (err == -EBUSY || err == -EEXIST)
			return bk_cli_fail(cli, "the interface has an XDP program already; add "
					      "'overwrite' to replace it");
		if (err)
			return bk_cli_fail(cli, "%s XDP: %s%s%s", attach ? "attach" : "detach",
					   strerror(-err), why[0] ? ": " : "", why);
	} else if (attach) {
		err = bk_sys_prog_attach(prog_fd, target, (uint32_t)h->type,
					 BK_OPTS(bk_prog_attach_opts, .flags = flags));
	} else {
		err = bk_sys_prog_detach(prog_fd, target, (uint32_t)h->type, NULL);
	}
	if (err == -ENOENT && !attach)
		return bk_cli_fail(cli, "detach: that program is not attached there");
	if (err)
		return bk_cli_fail(cli, "%s: %s", attach ? "attach" : "detach",
				   bk_strerror(attach ? BK_CMD_PROG_ATTACH : BK_CMD_PROG_DETACH, err));
	bk_cli_json_null(cli);
	return 0;
}

static int parse_flag(struct bk_cli *cli, const char *usage, const char *s, uint32_t *flags)
{
	if (!strcmp(s, "multi"))
		*flags |= BK_F_ALLOW_MULTI;
	else if (!strcmp(s, "override"))
		*flags |= BK_F_ALLOW_OVERRIDE;
	else
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", s);
	return 0;
}

/* The common tail: prog fd, hook, `kw arg` target, then flags. */
static int attach_common(struct bk_cli *cli, const char *usage, bool attach, int prog_fd,
			 const struct hook *h, const char *kw, const char *arg, int nflags,
			 char **flagv)
{
	uint32_t flags = 0;
	int target = -1, st;

	for (int i = 0; i < nflags; i++) {
		if (h->type < 0 && !strcmp(flagv[i], "overwrite"))
			continue;
		st = parse_flag(cli, usage, flagv[i], &flags);
		if (st)
			return st;
	}
	if (h->type < 0 && !(nflags && !strcmp(flagv[nflags - 1], "overwrite")))
		flags |= BK_XDP_UPDATE_IF_NOEXIST;
	st = open_target(cli, usage, h, kw, arg, &target);
	if (st)
		return st;
	st = do_attach(cli, attach, prog_fd, h, target, flags);
	if (!is_dev_hook(h))
		close(target);
	return st;
}

/* Socket map hooks take the map as target; flow_dissector this network namespace. */
static bool is_map_hook(const struct hook *h)
{
	return h->type == BK_ATTACH_SK_SKB_STREAM_PARSER ||
	       h->type == BK_ATTACH_SK_SKB_STREAM_VERDICT || h->type == BK_ATTACH_SK_MSG_VERDICT ||
	       h->type == BK_ATTACH_SK_SKB_VERDICT;
}

/* `prog attach PROG {stream_verdict|...} MAP` and `prog attach PROG flow_dissector`. */
static int attach_to_map(struct bk_cli *cli, const char *usage, bool attach, int prog_fd,
			 const struct hook *h, int argc, char **argv)
{
	int map_fd = 0, used = 0, st = 0;

	if (h->type != BK_ATTACH_FLOW_DISSECTOR) {
		st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc, argv, &map_fd, &used);
		if (st)
			return st;
	}
	if (used != argc)
		st = bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	if (!st)
		st = do_attach(cli, attach, prog_fd, h, map_fd, 0);
	if (map_fd > 0)
		close(map_fd);
	return st;
}

/* `prog attach|detach PROG ATTACH_TYPE {dev IFNAME | cgroup PATH | MAP} [flags]` */
int bk_cli_prog_attach(struct bk_cli *cli, bool attach, int argc, char **argv, const char *usage)
{
	struct hook h;
	int fd, used, st;

	st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used >= argc)
		st = bk_cli_usage_why(cli, usage, "prog %s needs PROG ATTACH_TYPE TARGET",
				      attach ? "attach" : "detach");
	if (!st)
		st = parse_hook(cli, usage, argv[used], &h);
	if (!st && (is_map_hook(&h) || h.type == BK_ATTACH_FLOW_DISSECTOR))
		st = attach_to_map(cli, usage, attach, fd, &h, argc - used - 1, argv + used + 1);
	else if (!st && argc - used < 3)
		st = bk_cli_usage_why(cli, usage, "prog %s needs PROG ATTACH_TYPE TARGET",
				      attach ? "attach" : "detach");
	else if (!st)
		st = attach_common(cli, usage, attach, fd, &h, argv[used + 1], argv[used + 2],
				   argc - used - 3, argv + used + 3);
	close(fd);
	return st;
}

/* `net attach ATTACH_TYPE PROG dev IFNAME [overwrite]` / `net detach ATTACH_TYPE dev IFNAME` */
int bk_cli_net_attach(struct bk_cli *cli, bool attach, int argc, char **argv, const char *usage)
{
	struct hook h;
	int fd = -1, used = 0, st;

	if (argc < 1)
		return bk_cli_usage_why(cli, usage, "net %s needs an ATTACH_TYPE",
					attach ? "attach" : "detach");
	st = parse_hook(cli, usage, argv[0], &h);
	if (st)
		return st;
	if (!is_dev_hook(&h))
		return bk_cli_usage_why(cli, usage, "net attaches xdp and tcx programs; '%s' is "
					"not one", argv[0]);
	if (attach || h.type >= 0) { /* tcx detach names its program too */
		st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc - 1, argv + 1, &fd, &used);
		if (st)
			return st;
	}
	if (argc - 1 - used < 2) {
		st = bk_cli_usage_why(cli, usage, "missing dev IFNAME");
	} else {
		st = attach_common(cli, usage, attach, fd, &h, argv[1 + used], argv[2 + used],
				   argc - 3 - used, argv + 3 + used);
	}
	if (fd >= 0)
		close(fd);
	return st;
}

/* `cgroup attach CGROUP ATTACH_TYPE PROG [multi|override]` / `cgroup detach ...` */
int bk_cli_cgroup_attach(struct bk_cli *cli, bool attach, int argc, char **argv, const char *usage)
{
	struct hook h;
	int fd, used, st;

	if (argc < 4)
		return bk_cli_usage_why(cli, usage, "cgroup %s needs CGROUP ATTACH_TYPE PROG",
					attach ? "attach" : "detach");
	st = parse_hook(cli, usage, argv[1], &h);
	if (st)
		return st;
	if (is_dev_hook(&h))
		return bk_cli_usage_why(cli, usage, "'%s' is not a cgroup attach type", argv[1]);
	st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc - 2, argv + 2, &fd, &used);
	if (st)
		return st;
	st = attach_common(cli, usage, attach, fd, &h, "cgroup", argv[0], argc - 2 - used,
			   argv + 2 + used);
	close(fd);
	return st;
}
