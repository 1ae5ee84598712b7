// SPDX-License-Identifier: MIT
/*
 * `bpfkit net show|list [dev IFNAME]`: XDP and tcx programs per interface of
 * this network namespace, in bpftool's shapes (classic tc filters are not
 * listed). `bpfkit cgroup show PATH [effective]` and `cgroup tree [ROOT]`:
 * programs attached to cgroups. The attach/detach verbs are in cmd_attach.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/names.h>
#include <bpfkit/sys.h>

#include "cli.h"
#include "json.h"
#include "netlink.h"
#include "objref.h"
#include "ops.h"

#define MAX_ATTACHED 64

static void prog_name(uint32_t id, char *out, size_t size)
{
	struct bk_info_prog p;
	int fd = bk_info_fd_by_id(BK_OBJ_PROG, id);

	out[0] = '\0';
	if (fd >= 0 && bk_info_prog(fd, &p) == 0)
		snprintf(out, size, "%s", p.name);
	if (fd >= 0)
		close(fd);
}

/* ---- net ------------------------------------------------------------------------ */

struct net_ctx {
	struct bk_cli *cli;
	struct bk_json *j;
	int only; /* ifindex of `dev IFNAME`, 0 for all */
	int err;
};

static void xdp_one(struct net_ctx *c, const struct bk_cli_ifxdp *x, const char *mode,
		    uint32_t id)
{
	if (!id)
		return;
	if (c->cli->json) {
		bk_json_object_begin(c->j);
		bk_json_kv_string(c->j, "devname", x->name);
		bk_json_kv_uint(c->j, "ifindex", (uint32_t)x->ifindex);
		bk_json_kv_string(c->j, "mode", mode);
		bk_json_kv_uint(c->j, "id", id);
		bk_json_object_end(c->j);
	} else {
		fprintf(c->cli->out, "%s(%d) %s id %u\n", x->name, x->ifindex, mode, id);
	}
}

static int xdp_visit(void *ctx, const struct bk_cli_ifxdp *x)
{
	struct net_ctx *c = ctx;

	if (c->only && x->ifindex != c->only)
		return 0;
	xdp_one(c, x, "driver", x->drv);
	xdp_one(c, x, "generic", x->generic);
	xdp_one(c, x, "offload", x->offload);
	return 0;
}

static void tcx_dev(struct net_ctx *c, int ifindex, const char *dev, bool egress)
{
	uint32_t ids[MAX_ATTACHED], links[MAX_ATTACHED];
	struct bk_prog_query_opts q = { .sz = sizeof(q), .prog_ids = ids, .link_ids = links,
					.count = MAX_ATTACHED };
	const char *kind = egress ? "tcx/egress" : "tcx/ingress";
	char name[32];

	if (bk_sys_prog_query(ifindex, egress ? BK_ATTACH_TCX_EGRESS : BK_ATTACH_TCX_INGRESS, &q))
		return; /* no tcx on this device (or kernel): nothing to list */
	for (uint32_t i = 0; i < q.count && i < MAX_ATTACHED; i++) {
		prog_name(ids[i], name, sizeof(name));
		if (c->cli->json) {
			bk_json_object_begin(c->j);
			bk_json_kv_string(c->j, "devname", dev);
			bk_json_kv_uint(c->j, "ifindex", (uint32_t)ifindex);
			bk_json_kv_string(c->j, "kind", kind);
			bk_json_kv_string(c->j, "name", name);
			bk_json_kv_uint(c->j, "prog_id", ids[i]);
			if (links[i])
				bk_json_kv_uint(c->j, "link_id", links[i]);
			bk_json_object_end(c->j);
		} else {
			fprintf(c->cli->out, "%s(%d) %s %s prog_id %u", dev, ifindex, kind, name,
				ids[i]);
			if (links[i])
				fprintf(c->cli->out, " link_id %u", links[i]);
			fputc('\n', c->cli->out);
		}
	}
}

static int tcx_visit(void *ctx, const struct bk_cli_ifxdp *x)
{
	struct net_ctx *c = ctx;

	if (c->only && x->ifindex != c->only)
		return 0;
	tcx_dev(c, x->ifindex, x->name, false);
	tcx_dev(c, x->ifindex, x->name, true);
	return 0;
}

static void section(struct net_ctx *c, const char *name, bool begin)
{
	if (c->cli->json && begin) {
		bk_json_key(c->j, name);
		bk_json_array_begin(c->j);
	} else if (c->cli->json) {
		bk_json_array_end(c->j);
	} else if (begin) {
		fprintf(c->cli->out, "%s:\n", name);
	} else {
		fputc('\n', c->cli->out);
	}
}

static int net_show(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct bk_json j;
	struct net_ctx c = { .cli = cli, .j = &j };
	int err;

	if (argc == 2 && !strcmp(argv[0], "dev")) {
		c.only = (int)if_nametoindex(argv[1]);
		if (!c.only)
			return bk_cli_fail(cli, "no interface '%s' in this network namespace",
					   argv[1]);
	} else if (argc) {
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[0]);
	}
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json) {
		bk_json_array_begin(&j);
		bk_json_object_begin(&j);
	}
	section(&c, "xdp", true);
	err = bk_cli_xdp_list(xdp_visit, &c);
	section(&c, "xdp", false);
	section(&c, "tc", true);
	if (!err)
		err = bk_cli_xdp_list(tcx_visit, &c);
	section(&c, "tc", false);
	section(&c, "flow_dissector", true);
	section(&c, "flow_dissector", false);
	if (cli->json) {
		bk_json_object_end(&j);
		bk_json_array_end(&j);
		bk_json_end(&j);
	}
	if (err)
		return bk_cli_fail(cli, "net show: listing interfaces: %s", strerror(-err));
	return 0;
}

int bk_cmd_net(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"net { show | list } [dev IFNAME] |\n"
		"           attach ATTACH_TYPE PROG dev IFNAME [overwrite] |\n"
		"           detach ATTACH_TYPE [PROG] dev IFNAME }\n"
		"  ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | "
		"tcx_egress }\n"
		"  PROG := { id ID | pinned PATH | name NAME | tag TAG }; detach of xdp takes none\n"
		"  show lists XDP and tcx programs of this network namespace (not classic tc "
		"filters)";

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc < 2 || !strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return net_show(cli, argc > 2 ? argc - 2 : 0, argv + 2, usage);
	if (!strcmp(argv[1], "attach") || !strcmp(argv[1], "detach"))
		return bk_cli_net_attach(cli, !strcmp(argv[1], "attach"), argc - 2, argv + 2,
					 usage);
	return bk_cli_usage_why(cli, usage, "unknown net verb '%s'", argv[1]);
}

/* ---- cgroup ------------------------------------------------------------------- */

struct cg_ctx {
	struct bk_cli *cli;
	struct bk_json *j;
	bool effective, tree, header_done;
	int level; /* depth below the tree's root: deeper rows are indented */
	int found;
};

static const char *flags_str(uint32_t f, char *buf, size_t size)
{
	if (f == BK_F_ALLOW_MULTI)
		return "multi";
	if (f == BK_F_ALLOW_OVERRIDE)
		return "override";
	if (!f)
		return "";
	snprintf(buf, size, "0x%x", f);
	return buf;
}

static void cg_prog(struct cg_ctx *c, uint32_t id, int type, uint32_t flags)
{
	char tbuf[64], fbuf[16];
	const char *t = bk_cli_attach_type((uint32_t)type, tbuf, sizeof(tbuf));
	const char *f = flags_str(flags, fbuf, sizeof(fbuf));
	struct bk_info_prog p = { 0 };
	int fd = bk_info_fd_by_id(BK_OBJ_PROG, id);

	if (fd >= 0) {
		bk_info_prog(fd, &p);
		close(fd);
	}
	if (c->cli->json) {
		bk_json_object_begin(c->j);
		bk_json_kv_uint(c->j, "id", id);
		bk_json_kv_string(c->j, "attach_type", t);
		if (!c->effective)
			bk_json_kv_string(c->j, "attach_flags", f);
		bk_json_kv_string(c->j, "name", p.name);
		bk_json_kv_string(c->j, "attach_btf_name", "");
		bk_json_kv_uint(c->j, "attach_btf_obj_id", p.attach_btf_obj_id);
		bk_json_kv_uint(c->j, "attach_btf_id", p.attach_btf_id);
		bk_json_object_end(c->j);
		return;
	}
	/* bpftool's columns; the last (empty) one is the attach BTF name. */
	fprintf(c->cli->out, "%s%-8u %-15s ", c->level ? "    " : "", id, t);
	if (!c->effective)
		fprintf(c->cli->out, "%-15s ", f);
	fprintf(c->cli->out, "%-15s %-15s\n", p.name, "");
}

/* Every cgroup attach type, as bpftool walks them; types the kernel refuses to
 * query are skipped. Returns the number of programs found, or -errno. */
static int cg_query(struct cg_ctx *c, int cgfd, bool print)
{
	uint32_t ids[MAX_ATTACHED] = { 0 }, pflags[MAX_ATTACHED] = { 0 };
	int total = 0;

	for (int type = 0; type < BK_ATTACH__MAX; type++) {
		const char *n = bk_attach_type_name(type);
		struct bk_prog_query_opts q = {
			/* the kernel refuses per-program flags for an effective query */
			.sz = sizeof(q), .prog_ids = ids,
			.prog_attach_flags = c->effective ? NULL : pflags,
			.count = MAX_ATTACHED,
			.query_flags = c->effective ? BK_F_QUERY_EFFECTIVE : 0,
		};

		if (!n || strncmp(n, "cgroup_", 7) != 0)
			continue;
		if (bk_sys_prog_query(cgfd, (uint32_t)type, &q))
			continue;
		for (uint32_t i = 0; i < q.count && i < MAX_ATTACHED; i++) {
			if (print)
				cg_prog(c, ids[i], type, c->effective ? 0 : q.attach_flags
								       ? q.attach_flags
								       : pflags[i]);
			total++;
		}
	}
	return total;
}

static void cg_header(struct cg_ctx *c)
{
	if (c->cli->json || c->header_done)
		return;
	if (c->tree)
		fputs("CgroupPath\n", c->cli->out);
	if (c->effective)
		fprintf(c->cli->out, "%-8s %-15s %-15s\n", "ID", "AttachType", "Name");
	else
		fprintf(c->cli->out, "%-8s %-15s %-15s %-15s\n", "ID", "AttachType",
			"AttachFlags", "Name");
	c->header_done = true;
}

static int cg_show(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct bk_json j;
	struct cg_ctx c = { .cli = cli, .j = &j };
	int fd;

	if (argc < 1 || argc > 2 || (argc == 2 && strcmp(argv[1], "effective") != 0))
		return bk_cli_usage_why(cli, usage, "cgroup show needs CGROUP [effective]");
	c.effective = argc == 2;
	fd = bk_cli_open_cgroup(cli, argv[0]);
	if (fd < 0)
		return 1;
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_array_begin(&j);
	if (cg_query(&c, fd, false) > 0) {
		cg_header(&c);
		cg_query(&c, fd, true);
	}
	if (cli->json) {
		bk_json_array_end(&j);
		bk_json_end(&j);
	}
	close(fd);
	return 0;
}

static struct cg_ctx *tree_ctx; /* nftw has no context pointer */

static int tree_visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct cg_ctx *c = tree_ctx;
	int fd;

	(void)st;
	if (flag != FTW_D)
		return 0;
	c->level = ftw->level;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (cg_query(c, fd, false) > 0) {
		if (c->cli->json) {
			bk_json_object_begin(c->j);
			bk_json_kv_string(c->j, "cgroup", path);
			bk_json_key(c->j, "programs");
			bk_json_array_begin(c->j);
		} else {
			fprintf(c->cli->out, "%s\n", path);
		}
		cg_query(c, fd, true);
		if (c->cli->json) {
			bk_json_array_end(c->j);
			bk_json_object_end(c->j);
		}
	}
	close(fd);
	return 0;
}

#define CGROUP2_SUPER_MAGIC 0x63677270

int bk_cli_open_cgroup(struct bk_cli *cli, const char *path)
{
	struct statfs fs;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return bk_cli_fail(cli, "cannot open cgroup %s: %s", path, strerror(errno)), -1;
	if (fstatfs(fd, &fs) == 0 && (unsigned long)fs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return bk_cli_fail(cli, "%s is not in a cgroup v2 hierarchy (BPF programs attach "
					"to cgroup2 directories)", path), -1;
	}
	return fd;
}

/* Where cgroup2 is mounted (bpftool's default root for `cgroup tree`). */
static bool cgroup2_mount(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char dev[256], dir[4096], type[64];
	bool found = false;

	while (f && !found && fscanf(f, "%255s %4095s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			snprintf(out, size, "%s", dir);
			found = true;
		}
	if (f)
		fclose(f);
	return found;
}

static int cg_tree(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	static char mnt[4096];
	struct bk_json j;
	struct cg_ctx c = { .cli = cli, .j = &j, .tree = true };
	const char *root = argc ? argv[0] : mnt;
	int err;

	if (argc > 1)
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[1]);
	if (!argc && !cgroup2_mount(mnt, sizeof(mnt)))
		return bk_cli_fail(cli, "cgroup tree: no cgroup2 filesystem is mounted; give ROOT");
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_array_begin(&j);
	cg_header(&c);
	tree_ctx = &c;
	err = nftw(root, tree_visit, 16, FTW_PHYS | FTW_MOUNT);
	tree_ctx = NULL;
	if (cli->json) {
		bk_json_array_end(&j);
		bk_json_end(&j);
	}
	if (err)
		return bk_cli_fail(cli, "cgroup tree %s: %s", root, strerror(errno));
	return 0;
}

int bk_cmd_cgroup(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] =
		"cgroup { show | list } CGROUP [effective] | tree [ROOT] |\n"
		"              attach CGROUP ATTACH_TYPE PROG [multi|override] |\n"
		"              detach CGROUP ATTACH_TYPE PROG }\n"
		"  ATTACH_TYPE := { cgroup_inet_ingress | cgroup_inet_egress | cgroup_sock_ops | "
		"... } (bpftool's short names too: ingress, egress...)\n"
		"  PROG := { id ID | pinned PATH | name NAME | tag TAG }";

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc < 2)
		return bk_cli_usage(cli, usage);
	if (!strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return cg_show(cli, argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "tree"))
		return cg_tree(cli, argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "attach") || !strcmp(argv[1], "detach"))
		return bk_cli_cgroup_attach(cli, !strcmp(argv[1], "attach"), argc - 2, argv + 2,
					    usage);
	return bk_cli_usage_why(cli, usage, "unknown cgroup verb '%s'", argv[1]);
}
