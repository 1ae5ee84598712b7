// SPDX-License-Identifier: MIT
/*
 * bpftool's map verbs beyond element access: `map create FILE type TYPE key
 * N value N entries N [name NAME] [flags N]`, `map freeze MAP`, the keyless
 * `peek|pop|dequeue MAP` and `push|enqueue MAP value BYTES`, and `map event
 * MAP [count N]`: a ring buffer's or perf buffer's records printed as they
 * arrive, until Ctrl-C.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/map.h>
#include <bpfkit/names.h>
#include <bpfkit/perfbuf.h>
#include <bpfkit/ringbuf.h>
#include <bpfkit/sys.h>

#include "cli.h"
#include "json.h"
#include "objref.h"
#include "ops.h"

/* ---- create ------------------------------------------------------------------ */

struct create_args {
	const char *path, *name;
	int type;
	uint64_t key, value, entries, flags;
	bool have_type, have_key, have_value, have_entries;
};

static int create_arg(struct bk_cli *cli, const char *usage, const char *kw, const char *v,
		      struct create_args *a)
{
	if (!strcmp(kw, "type")) {
		a->type = bk_map_type_by_name(v);
		if (a->type < 0)
			return bk_cli_usage_why(cli, usage, "type: unknown map type '%s'", v);
		a->have_type = true;
		return 0;
	}
	if (!strcmp(kw, "name")) {
		a->name = v;
		return strlen(v) < 16 ? 0 : bk_cli_usage_why(cli, usage,
							     "name: '%s' is longer than 15 characters", v);
	}
	if (!strcmp(kw, "key"))
		return a->have_key = true, bk_cli_parse_num(cli, "key", v, 0, UINT32_MAX, &a->key);
	if (!strcmp(kw, "value"))
		return a->have_value = true,
		       bk_cli_parse_num(cli, "value", v, 0, UINT32_MAX, &a->value);
	if (!strcmp(kw, "entries"))
		return a->have_entries = true,
		       bk_cli_parse_num(cli, "entries", v, 0, UINT32_MAX, &a->entries);
	if (!strcmp(kw, "flags"))
		return bk_cli_parse_num(cli, "flags", v, 0, UINT32_MAX, &a->flags);
	if (!strcmp(kw, "inner_map") || !strcmp(kw, "offload_dev"))
		return bk_cli_usage_why(cli, usage, "%s: not supported yet", kw);
	return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", kw);
}

int bk_cli_map_create(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct create_args a = { 0 };
	int fd, st;

	if (argc < 1)
		return bk_cli_usage_why(cli, usage, "map create needs a PATH to pin the map at");
	a.path = argv[0];
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return bk_cli_usage_why(cli, usage, "%s: missing its value", argv[i]);
		st = create_arg(cli, usage, argv[i], argv[i + 1], &a);
		if (st)
			return st;
	}
	if (!a.have_type || !a.have_key || !a.have_value || !a.have_entries)
		return bk_cli_usage_why(cli, usage, "map create needs type, key, value and entries");
	fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = (uint32_t)a.type,
				       .key_size = (uint32_t)a.key, .value_size = (uint32_t)a.value,
				       .max_entries = (uint32_t)a.entries,
				       .map_flags = (uint32_t)a.flags, .map_name = a.name));
	if (fd < 0)
		return bk_cli_fail(cli, "map create: %s", bk_strerror(BK_CMD_MAP_CREATE, fd));
	st = bk_cli_pin_explain(cli, fd, a.path);
	close(fd);
	if (!st)
		bk_cli_json_null(cli);
	return st;
}

/* ---- freeze and the keyless verbs ------------------------------------------- */

/* The one map named at argv, with its info; the rest of argv is *rest. */
static int open_map(struct bk_cli *cli, int argc, char **argv, int *fd, struct bk_info_map *info,
		    int *used)
{
	int st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc, argv, fd, used);
	int err;

	if (st)
		return st;
	err = bk_info_map(*fd, info);
	if (err) {
		close(*fd);
		return bk_cli_fail(cli, "map info: %s", strerror(-err));
	}
	return 0;
}

int bk_cli_map_freeze(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	struct bk_info_map info;
	int fd, used, st, err;

	st = open_map(cli, argc, argv, &fd, &info, &used);
	if (st)
		return st;
	if (used != argc) {
		close(fd);
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	}
	err = bk_sys_map_freeze(fd);
	close(fd);
	if (err)
		return bk_cli_fail(cli, "failed to freeze map: %s%s", strerror(-err),
				   info.frozen ? " (it is frozen already)" : "");
	bk_cli_json_null(cli);
	return 0;
}

static bool is_keyless(uint32_t type)
{
	return type == BK_MAP_TYPE_QUEUE || type == BK_MAP_TYPE_STACK ||
	       type == BK_MAP_TYPE_BLOOM_FILTER;
}

/* bpftool's shape of a keyless element: "value: 01 02" / {"key":[],"value":[...]}. */
static void print_value(struct bk_cli *cli, const uint8_t *v, size_t n)
{
	struct bk_json j;

	if (!cli->json) {
		fputs("value: ", cli->out);
		bk_cli_text_hex(cli->out, v, n);
		fputc('\n', cli->out);
		return;
	}
	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_object_begin(&j);
	bk_json_key(&j, "key");
	bk_cli_json_hex(&j, v, 0);
	bk_json_key(&j, "value");
	bk_cli_json_hex(&j, v, n);
	bk_json_object_end(&j);
	bk_json_end(&j);
}

/* peek, pop, dequeue (take: pop/dequeue) and push, enqueue (put). */
int bk_cli_map_keyless(struct bk_cli *cli, const char *verb, int argc, char **argv,
		       const char *usage)
{
	bool put = !strcmp(verb, "push") || !strcmp(verb, "enqueue");
	bool take = !strcmp(verb, "pop") || !strcmp(verb, "dequeue");
	struct bk_info_map info;
	uint8_t *value = NULL;
	int fd, used, st, v = 0, err;

	st = open_map(cli, argc, argv, &fd, &info, &used);
	if (st)
		return st;
	if (!is_keyless(info.type)) {
		st = bk_cli_fail(cli, "map %s: map %u is not a queue, stack or bloom filter; use "
				      "lookup, update or delete", verb, info.id);
		goto out;
	}
	value = calloc(1, info.value_size + 1);
	if (!value) {
		st = bk_cli_fail(cli, "out of memory");
		goto out;
	}
	/* push/enqueue take a value; peek on a bloom filter tests one. */
	if (put || (info.type == BK_MAP_TYPE_BLOOM_FILTER && !take)) {
		if (used >= argc || strcmp(argv[used], "value") != 0) {
			st = bk_cli_usage_why(cli, usage, "map %s needs value BYTES", verb);
			goto out;
		}
		v = bk_cli_parse_bytes(cli, argc - used - 1, argv + used + 1, value,
				       info.value_size, "value");
		if (v < 0) {
			st = 2;
			goto out;
		}
		v++;
	}
	if (used + v != argc) {
		st = bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used + v]);
		goto out;
	}
	if (put)
		err = bk_sys_map_update_elem(fd, NULL, value, 0);
	else if (take)
		err = bk_sys_map_lookup_and_delete_elem(fd, NULL, value, 0);
	else
		err = bk_sys_map_lookup_elem(fd, NULL, value, 0);
	if (err == -ENOENT && info.type == BK_MAP_TYPE_BLOOM_FILTER && !put) {
		st = bk_cli_fail(cli, "map peek: the value is not in the bloom filter");
	} else if (err == -ENOENT) {
		st = bk_cli_fail(cli, "map %s: empty map", verb);
	} else if (err) {
		st = bk_cli_fail(cli, "map %s: %s", verb, strerror(-err));
	} else if (put) {
		bk_cli_json_null(cli);
	} else {
		print_value(cli, value, info.value_size);
	}
out:
	free(value);
	close(fd);
	return st;
}
