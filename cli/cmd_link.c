// SPDX-License-Identifier: MIT
/*
 * `bpfkit link list|show [LINK]` and `bpfkit btf list|show [BTF]`, in
 * bpftool's plain and JSON shapes: the common fields, then the fields of the
 * link's type.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/info.h>

#include "btf_fmt.h"
#include "cli.h"
#include "json.h"
#include "objref.h"
#include "ops.h"

/* Link types (enum bpf_link_type) whose extra fields we print. */
enum {
	LT_RAW_TRACEPOINT = 1, LT_TRACING = 2, LT_CGROUP = 3, LT_ITER = 4, LT_NETNS = 5,
	LT_XDP = 6, LT_STRUCT_OPS = 9, LT_NETFILTER = 10, LT_TCX = 11, LT_NETKIT = 13,
};

static void link_json(struct bk_json *j, const struct bk_info_link *l)
{
	char buf[64];

	bk_json_object_begin(j);
	bk_json_kv_uint(j, "id", l->id);
	bk_json_kv_string(j, "type", bk_cli_link_type(l->type, buf, sizeof(buf)));
	bk_json_kv_uint(j, "prog_id", l->prog_id);
	switch (l->type) {
	case LT_RAW_TRACEPOINT:
		bk_json_kv_string(j, "tp_name", l->name);
		break;
	case LT_TRACING:
		bk_json_kv_string(j, "attach_type",
				  bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		bk_json_kv_uint(j, "target_obj_id", l->target_obj_id);
		bk_json_kv_uint(j, "target_btf_id", l->target_btf_id);
		break;
	case LT_CGROUP:
		bk_json_kv_uint(j, "cgroup_id", l->cgroup_id);
		bk_json_kv_string(j, "attach_type",
				  bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	case LT_ITER:
		bk_json_kv_string(j, "target_name", l->name);
		break;
	case LT_NETNS:
		bk_json_kv_uint(j, "netns_ino", l->netns_ino);
		bk_json_kv_string(j, "attach_type",
				  bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	case LT_XDP:
		bk_json_kv_uint(j, "ifindex", l->ifindex);
		break;
	case LT_STRUCT_OPS:
		bk_json_kv_uint(j, "map_id", l->map_id);
		break;
	case LT_TCX:
	case LT_NETKIT:
		bk_json_kv_uint(j, "ifindex", l->ifindex);
		bk_json_kv_string(j, "attach_type",
				  bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	case LT_NETFILTER:
		bk_json_kv_uint(j, "pf", l->nf_pf);
		bk_json_kv_uint(j, "hook", l->nf_hooknum);
		bk_json_kv_int(j, "prio", l->nf_priority);
		bk_json_kv_uint(j, "flags", l->nf_flags);
		break;
	default:
		break;
	}
	bk_json_object_end(j);
}

static void link_text(FILE *out, const struct bk_info_link *l)
{
	char buf[64], dev[IF_NAMESIZE] = "";

	/* bpftool ends each field with two spaces, trailing ones included. */
	fprintf(out, "%u: %s  prog %u  ", l->id, bk_cli_link_type(l->type, buf, sizeof(buf)),
		l->prog_id);
	switch (l->type) {
	case LT_RAW_TRACEPOINT:
		fprintf(out, "\n\ttp '%s'  ", l->name);
		break;
	case LT_TRACING:
		fprintf(out, "\n\tattach_type %s  target_obj_id %u  target_btf_id %u",
			bk_cli_attach_type(l->attach_type, buf, sizeof(buf)), l->target_obj_id,
			l->target_btf_id);
		break;
	case LT_CGROUP:
		fprintf(out, "\n\tcgroup_id %llu  attach_type %s", (unsigned long long)l->cgroup_id,
			bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	case LT_ITER:
		fprintf(out, "  target_name %s", l->name);
		break;
	case LT_NETNS:
		fprintf(out, "\n\tnetns_ino %u  attach_type %s", l->netns_ino,
			bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	case LT_XDP:
	case LT_TCX:
	case LT_NETKIT:
		if_indextoname(l->ifindex, dev);
		fprintf(out, "\n\tifindex %s(%u)", dev, l->ifindex);
		if (l->type != LT_XDP)
			fprintf(out, "  attach_type %s",
				bk_cli_attach_type(l->attach_type, buf, sizeof(buf)));
		break;
	default:
		break;
	}
	fputc('\n', out);
}

/* Which programs and maps use which BTF object: bpftool lists them with it. */
#define MAX_USERS 4096
struct btf_users {
	int n;
	uint32_t btf_id[MAX_USERS], obj_id[MAX_USERS];
	bool is_map[MAX_USERS];
};

static int collect_user(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	struct btf_users *u = ctx;
	struct bk_info_prog p;
	struct bk_info_map m;
	uint32_t btf = 0;

	if (kind == BK_OBJ_PROG && bk_info_prog(fd, &p) == 0)
		btf = p.btf_id;
	else if (kind == BK_OBJ_MAP && bk_info_map(fd, &m) == 0)
		btf = m.btf_id;
	if (btf && u->n < MAX_USERS) {
		u->btf_id[u->n] = btf;
		u->obj_id[u->n] = id;
		u->is_map[u->n++] = kind == BK_OBJ_MAP;
	}
	return 0;
}

static void users_json(struct bk_json *j, const struct btf_users *u, uint32_t btf, bool maps)
{
	bk_json_key(j, maps ? "map_ids" : "prog_ids");
	bk_json_array_begin(j);
	for (int i = 0; u && i < u->n; i++)
		if (u->btf_id[i] == btf && u->is_map[i] == maps)
			bk_json_uint(j, u->obj_id[i]);
	bk_json_array_end(j);
}

static void btf_json(struct bk_json *j, const struct bk_info_btf *b, const struct btf_users *u)
{
	bk_json_object_begin(j);
	bk_json_kv_uint(j, "id", b->id);
	bk_json_kv_uint(j, "size", b->size);
	users_json(j, u, b->id, false);
	users_json(j, u, b->id, true);
	bk_json_kv_bool(j, "kernel", b->kernel);
	if (b->name[0])
		bk_json_kv_string(j, "name", b->name);
	bk_json_object_end(j);
}

static void users_text(FILE *out, const struct btf_users *u, uint32_t btf, bool maps)
{
	bool first = true;

	for (int i = 0; u && i < u->n; i++) {
		if (u->btf_id[i] != btf || u->is_map[i] != maps)
			continue;
		if (first)
			fprintf(out, "  %s ", maps ? "map_ids" : "prog_ids");
		fprintf(out, first ? "%u" : ",%u", u->obj_id[i]);
		first = false;
	}
}

static void btf_text(FILE *out, const struct bk_info_btf *b, const struct btf_users *u)
{
	/* Kernel BTF names are bracketed, as bpftool does: "name [vmlinux]". */
	if (b->kernel)
		fprintf(out, "%u: name [%s]  size %uB", b->id, b->name, b->size);
	else
		fprintf(out, "%u: name %s  size %uB", b->id, b->name[0] ? b->name : "<anon>",
			b->size);
	users_text(out, u, b->id, false);
	users_text(out, u, b->id, true);
	fputc('\n', out);
}

struct show_ctx {
	struct bk_cli *cli;
	struct bk_json *j;
	enum bk_obj_kind kind;
	struct btf_users *users;
};

static int show_fd(struct show_ctx *s, int fd)
{
	struct bk_info_link l;
	struct bk_info_btf b;
	int err;

	if (s->kind == BK_OBJ_LINK)
		err = bk_info_link(fd, &l);
	else
		err = bk_info_btf(fd, &b);
	if (err)
		return bk_cli_fail(s->cli, "info: %s", strerror(-err));
	if (s->kind == BK_OBJ_LINK && s->cli->json)
		link_json(s->j, &l);
	else if (s->kind == BK_OBJ_LINK)
		link_text(s->cli->out, &l);
	else if (s->cli->json)
		btf_json(s->j, &b, s->users);
	else
		btf_text(s->cli->out, &b, s->users);
	return 0;
}

static int show_visit(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	(void)kind, (void)id;
	show_fd(ctx, fd);
	return 0;
}

static int do_show(struct bk_cli *cli, enum bk_obj_kind kind, int argc, char **argv,
		   const char *usage)
{
	struct bk_json j;
	static struct btf_users users; /* large: off the stack */
	struct show_ctx s = { cli, &j, kind, NULL };
	struct bk_cli_objs objs = { 0 };
	int used, st = 0, err = 0;
	bool array;

	if (argc > 0) {
		st = bk_cli_objs_open(cli, kind, argc, argv, &objs, &used);
		if (st)
			return st;
		if (used != argc) {
			bk_cli_objs_close(&objs);
			return bk_cli_usage(cli, usage);
		}
	}
	array = cli->json && (argc == 0 || objs.n > 1);
	if (kind == BK_OBJ_BTF) {
		users.n = 0;
		bk_info_foreach(BK_OBJ_PROG, collect_user, &users);
		bk_info_foreach(BK_OBJ_MAP, collect_user, &users);
		s.users = &users;
	}
	bk_json_init(&j, cli->out, cli->pretty);
	if (array)
		bk_json_array_begin(&j);
	if (argc == 0)
		err = bk_info_foreach(kind, show_visit, &s);
	for (int i = 0; i < objs.n && !st; i++)
		st = show_fd(&s, objs.fds[i]);
	if (array)
		bk_json_array_end(&j);
	if (cli->json)
		bk_json_end(&j);
	bk_cli_objs_close(&objs);
	if (err < 0)
		return bk_cli_fail(cli, "cannot list: %s", strerror(-err));
	return st;
}

int bk_cmd_link(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "link { list | show [LINK] | pin LINK PATH | detach LINK }\n"
				    "  LINK := { id ID | pinned PATH }";

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc >= 2 && (!strcmp(argv[1], "list") || !strcmp(argv[1], "show")))
		return do_show(cli, BK_OBJ_LINK, argc - 2, argv + 2, usage);
	if (argc >= 2 && !strcmp(argv[1], "pin"))
		return bk_cli_link_pin(cli, argc - 2, argv + 2, usage);
	if (argc >= 2 && !strcmp(argv[1], "detach"))
		return bk_cli_link_detach(cli, argc - 2, argv + 2, usage);
	return bk_cli_usage(cli, usage);
}

int bk_cmd_btf(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "btf { list | show [BTF] | dump SOURCE [format { raw | c }] }\n"
				    "  BTF := { id ID | pinned PATH | name NAME }\n"
				    "  SOURCE := { file PATH | id ID }";

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return bk_cli_btf_dump(cli, argc - 2, argv + 2);
	if (argc >= 2 && (!strcmp(argv[1], "list") || !strcmp(argv[1], "show")))
		return do_show(cli, BK_OBJ_BTF, argc - 2, argv + 2, usage);
	return bk_cli_usage(cli, usage);
}
