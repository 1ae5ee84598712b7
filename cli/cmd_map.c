// SPDX-License-Identifier: MIT
/*
 * `bpfkit map list|show|dump|lookup|update|delete|pin`, in bpftool's plain
 * and JSON shapes. Keys and values are raw bytes (`key 0x01 0 0 0`, or
 * `key hex 01 00 00 00`). For maps with BTF, JSON entries also carry
 * bpftool's "formatted" key and value (see btf_fmt.c); plain text stays hex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/map.h>

#include "btf_fmt.h"
#include "cli.h"
#include "json.h"
#include "kern.h"
#include "objref.h"
#include "outbuf.h"
#include "ops.h"

static const char usage[] =
	"map { list | show [MAP] | dump MAP | lookup MAP key BYTES |\n"
	"        update MAP key BYTES value BYTES [any|noexist|exist] |\n"
	"        delete MAP key BYTES | getnext MAP [key BYTES] | pin MAP PATH |\n"
	"        create PATH type TYPE key N value N entries N [name NAME] [flags N] |\n"
	"        freeze MAP | peek MAP | pop MAP | dequeue MAP |\n"
	"        push MAP value BYTES | enqueue MAP value BYTES |\n"
	"        event MAP [count N] }\n"
	"  MAP := { id ID | pinned PATH | name NAME }\n"
	"  BYTES := { 0x01 2 0x3 ... | hex 010203... }\n"
	"  event prints a ring buffer's or perf event array's records until Ctrl-C";

/* ---- list / show ---------------------------------------------------------- */

static void map_json(struct bk_json *j, const struct bk_info_map *m)
{
	char buf[64];

	bk_json_object_begin(j);
	bk_json_kv_uint(j, "id", m->id);
	bk_json_kv_string(j, "type", bk_cli_map_type(m->type, buf, sizeof(buf)));
	if (m->name[0])
		bk_json_kv_string(j, "name", m->name);
	bk_json_kv_uint(j, "flags", m->map_flags);
	bk_json_kv_uint(j, "bytes_key", m->key_size);
	bk_json_kv_uint(j, "bytes_value", m->value_size);
	bk_json_kv_uint(j, "max_entries", m->max_entries);
	if (m->memlock)
		bk_json_kv_uint(j, "bytes_memlock", m->memlock);
	bk_json_kv_int(j, "frozen", m->frozen);
	if (m->btf_id)
		bk_json_kv_uint(j, "btf_id", m->btf_id);
	bk_json_object_end(j);
}

static void map_text(FILE *out, const struct bk_info_map *m)
{
	char buf[64];

	fprintf(out, "%u: %s  ", m->id, bk_cli_map_type(m->type, buf, sizeof(buf)));
	if (m->name[0])
		fprintf(out, "name %s  ", m->name);
	fprintf(out, "flags 0x%x\n", m->map_flags);
	fprintf(out, "\tkey %uB  value %uB  max_entries %u", m->key_size, m->value_size,
		m->max_entries);
	if (m->memlock)
		fprintf(out, "  memlock %lluB", (unsigned long long)m->memlock);
	fputc('\n', out);
	if (m->frozen)
		fprintf(out, "\tfrozen\n");
	if (m->btf_id)
		fprintf(out, "\tbtf_id %u\n", m->btf_id);
}

struct show_ctx {
	struct bk_cli *cli;
	struct bk_json *j;
};

static int show_fd(struct show_ctx *s, int fd)
{
	struct bk_info_map m;
	int err = bk_info_map(fd, &m);

	if (err)
		return bk_cli_fail(s->cli, "map info: %s", strerror(-err));
	if (s->cli->json)
		map_json(s->j, &m);
	else
		map_text(s->cli->out, &m);
	return 0;
}

static int show_visit(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	(void)kind, (void)id;
	show_fd(ctx, fd);
	return 0;
}

static int do_show(struct bk_cli *cli, int argc, char **argv)
{
	struct bk_json j;
	struct show_ctx s = { cli, &j };
	struct bk_cli_objs objs = { 0 };
	int used, st = 0, err = 0;
	bool array;

	if (argc > 0) {
		st = bk_cli_objs_open(cli, BK_OBJ_MAP, argc, argv, &objs, &used);
		if (st)
			return st;
		if (used != argc) {
			bk_cli_objs_close(&objs);
			return bk_cli_usage(cli, usage);
		}
	}
	array = cli->json && (argc == 0 || objs.n > 1);
	bk_json_init(&j, cli->out, cli->pretty);
	if (array)
		bk_json_array_begin(&j);
	if (argc == 0)
		err = bk_info_foreach(BK_OBJ_MAP, show_visit, &s);
	for (int i = 0; i < objs.n && !st; i++)
		st = show_fd(&s, objs.fds[i]);
	if (array)
		bk_json_array_end(&j);
	if (cli->json)
		bk_json_end(&j);
	bk_cli_objs_close(&objs);
	if (err < 0)
		return bk_cli_fail(cli, "cannot list maps: %s", strerror(-err));
	return st;
}

/* ---- element access --------------------------------------------------------- */

/* A map opened for element access, with buffers sized for it. */
struct emap {
	int fd;
	struct bk_info_map info;
	int ncpus;	   /* > 0 for per-CPU maps: the value holds one slot per CPU */
	uint32_t vstride;  /* bytes per CPU slot (value_size rounded up to 8) */
	size_t vlen;	   /* bytes of value (all CPUs' slots) */
	uint8_t *key, *next, *value;
	struct bk_btf *btf; /* the map's BTF, when its key and value can be formatted */
};

static bool is_percpu(uint32_t type)
{
	/* percpu_hash, percpu_array, lru_percpu_hash, percpu_cgroup_storage */
	return type == 5 || type == 6 || type == 10 || type == 21;
}

/* Possible CPUs, as the kernel sizes per-CPU values: "0-3" or "0,2-5". */
static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	int n = 0, a, b;
	char sep;

	if (!f)
		return -errno;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		n = b + 1 > n ? b + 1 : n;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n > 0 ? n : -EINVAL;
}

static void emap_close(struct emap *m)
{
	free(m->key);
	free(m->next);
	free(m->value);
	bk_btf_free(m->btf);
	if (m->fd >= 0)
		close(m->fd);
}

/* The map's BTF from the kernel, kept only if bpftool would format both key
 * and value. */
static struct bk_btf *load_map_btf(const struct bk_info_map *i)
{
	struct bk_btf *btf = NULL;
	uint32_t len = 0;
	uint8_t *raw = NULL;
	int fd;

	if (!i->btf_id || !i->btf_key_type_id || !i->btf_value_type_id)
		return NULL;
	fd = bk_info_fd_by_id(BK_OBJ_BTF, i->btf_id);
	if (fd < 0)
		return NULL;
	if (bk_info_btf_data(fd, NULL, 0, &len) == 0 && len)
		raw = malloc(len);
	if (raw && bk_info_btf_data(fd, raw, len, &len) == 0)
		btf = bk_btf_parse(raw, len, NULL);
	free(raw);
	close(fd);
	if (btf && (!bk_cli_btf_printable(btf, i->btf_key_type_id, 0) ||
		    !bk_cli_btf_printable(btf, i->btf_value_type_id, 0))) {
		bk_btf_free(btf);
		btf = NULL;
	}
	return btf;
}

static int emap_open(struct bk_cli *cli, int argc, char **argv, struct emap *m, int *used)
{
	size_t vlen;
	int st, err;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc, argv, &m->fd, used);
	if (st)
		return st;
	err = bk_info_map(m->fd, &m->info);
	if (err)
		return bk_cli_fail(cli, "map info: %s", strerror(-err));
	vlen = m->info.value_size;
	if (is_percpu(m->info.type)) {
		m->ncpus = possible_cpus();
		if (m->ncpus < 0)
			return bk_cli_fail(cli, "possible CPUs: %s", strerror(-m->ncpus));
		m->vstride = (m->info.value_size + 7) & ~7u;
		vlen = (size_t)m->vstride * (size_t)m->ncpus;
	}
	m->vlen = vlen;
	if (cli->json)
		m->btf = load_map_btf(&m->info);
	m->key = calloc(1, m->info.key_size + 1);
	m->next = calloc(1, m->info.key_size + 1);
	m->value = calloc(1, vlen + 1);
	if (!m->key || !m->next || !m->value)
		return bk_cli_fail(cli, "out of memory");
	return 0;
}

/* bpftool's "formatted": the same key and value(s), typed by the map's BTF. */
static void formatted_json(struct bk_json *j, const struct emap *m, const uint8_t *key)
{
	uint32_t vid = m->info.btf_value_type_id;

	bk_json_key(j, "formatted");
	bk_json_object_begin(j);
	bk_json_key(j, "key");
	bk_cli_btf_emit(j, m->btf, m->info.btf_key_type_id, key);
	if (m->ncpus > 0) {
		bk_json_key(j, "values");
		bk_json_array_begin(j);
		for (int c = 0; c < m->ncpus; c++) {
			bk_json_object_begin(j);
			bk_json_kv_int(j, "cpu", c);
			bk_json_key(j, "value");
			bk_cli_btf_emit(j, m->btf, vid, m->value + (size_t)c * m->vstride);
			bk_json_object_end(j);
		}
		bk_json_array_end(j);
	} else {
		bk_json_key(j, "value");
		bk_cli_btf_emit(j, m->btf, vid, m->value);
	}
	bk_json_object_end(j);
}

static void entry_json(struct bk_json *j, const struct emap *m, const uint8_t *key)
{
	bk_json_object_begin(j);
	bk_json_key(j, "key");
	bk_cli_json_hex(j, key, m->info.key_size);
	if (m->ncpus > 0) {
		bk_json_key(j, "values");
		bk_json_array_begin(j);
		for (int c = 0; c < m->ncpus; c++) {
			bk_json_object_begin(j);
			bk_json_kv_int(j, "cpu", c);
			bk_json_key(j, "value");
			bk_cli_json_hex(j, m->value + (size_t)c * m->vstride, m->info.value_size);
			bk_json_object_end(j);
		}
		bk_json_array_end(j);
	} else {
		bk_json_key(j, "value");
		bk_cli_json_hex(j, m->value, m->info.value_size);
	}
	if (m->btf)
		formatted_json(j, m, key);
	bk_json_object_end(j);
}

/* bpftool puts key and value on one line only when both are short. */
static bool break_lines(const struct bk_info_map *i)
{
	return i->key_size > 16 || i->value_size > 16 || i->key_size + i->value_size > 24;
}

static void entry_text(FILE *out, const struct emap *m, const uint8_t *key)
{
	if (m->ncpus > 0) {
		fputs("key:\n", out);
		bk_cli_text_hex(out, key, m->info.key_size);
		fputc('\n', out);
		for (int c = 0; c < m->ncpus; c++) {
			fprintf(out, "value (CPU %02d): ", c);
			bk_cli_text_hex(out, m->value + (size_t)c * m->vstride, m->info.value_size);
			fputc('\n', out);
		}
		return;
	}
	if (break_lines(&m->info)) {
		fputs("key:\n", out);
		bk_cli_text_hex(out, key, m->info.key_size);
		fputs("\nvalue:\n", out);
		bk_cli_text_hex(out, m->value, m->info.value_size);
		fputc('\n', out);
		return;
	}
	fputs("key: ", out);
	bk_cli_text_hex(out, key, m->info.key_size);
	fputs("  value: ", out);
	bk_cli_text_hex(out, m->value, m->info.value_size);
	fputc('\n', out);
}

/* Map types whose entries are not reached through keys, and what reads them. */
static const char *keyless(uint32_t type)
{
	switch (type) {
	case BK_MAP_TYPE_RINGBUF:
	case BK_MAP_TYPE_USER_RINGBUF:
		return "a ring buffer holds records, not elements: read them as they arrive "
		       "with 'bpfkit map event MAP'";
	case BK_MAP_TYPE_QUEUE:
	case BK_MAP_TYPE_STACK:
		return "a queue or stack has no keys: use 'bpfkit map peek|pop MAP'";
	case BK_MAP_TYPE_BLOOM_FILTER:
		return "a bloom filter has no keys: test a value with 'bpfkit map peek MAP value "
		       "BYTES'";
	}
	return NULL;
}

/* One entry in bpftool's plain form, straight into the output buffer. */
static void entry_fast(struct bk_outbuf *o, const struct emap *m, const uint8_t *key,
		       const uint8_t *value)
{
	if (m->ncpus > 0) {
		bk_outbuf_str(o, "key:\n");
		bk_outbuf_hex(o, key, m->info.key_size);
		bk_outbuf_str(o, "\n");
		for (int c = 0; c < m->ncpus; c++) {
			char head[32];

			snprintf(head, sizeof(head), "value (CPU %02d): ", c);
			bk_outbuf_str(o, head);
			bk_outbuf_hex(o, value + (size_t)c * m->vstride, m->info.value_size);
			bk_outbuf_str(o, "\n");
		}
		return;
	}
	bk_outbuf_str(o, break_lines(&m->info) ? "key:\n" : "key: ");
	bk_outbuf_hex(o, key, m->info.key_size);
	bk_outbuf_str(o, break_lines(&m->info) ? "\nvalue:\n" : "  value: ");
	bk_outbuf_hex(o, value, m->info.value_size);
	bk_outbuf_str(o, "\n");
}

/* Walk the map in batches (get_next_key + lookup where the type has none). */
static int dump_entries(struct bk_cli *cli, struct emap *m, struct bk_json *j, uint64_t *n)
{
	struct bk_map *map = bk_map_from_fd(m->fd);
	struct bk_map_iter *it = map ? bk_map_iter_new(map, NULL) : NULL;
	const void *key, *value;
	struct bk_outbuf o;
	size_t vsize;
	int r = 0;

	if (!it) {
		r = -errno;
		bk_map_close(map);
		return r;
	}
	vsize = bk_map_value_buf_size(map) < m->vlen ? bk_map_value_buf_size(map) : m->vlen;
	bk_cli_progress(cli, "map dump", 0, 0); /* the clock starts with the walk */
	bk_outbuf_init(&o, cli->out);
	while ((r = bk_map_iter_next(it, &key, &value)) == 1) {
		if (cli->json) {
			memcpy(m->value, value, vsize);
			entry_json(j, m, key);
		} else {
			entry_fast(&o, m, key, value);
		}
		if (++*n % 65536 == 0) {
			if (bk_outbuf_flush(&o) || ferror(cli->out))
				break; /* the output is gone: stop; main reports why */
			bk_cli_progress(cli, "map dump", *n, 0); /* a hash map's size is unknown */
		}
	}
	bk_outbuf_flush(&o);
	bk_outbuf_free(&o);
	bk_cli_progress_done(cli);
	bk_map_iter_free(it);
	bk_map_close(map);
	return r < 0 ? r : 0;
}

static int do_dump(struct bk_cli *cli, int argc, char **argv)
{
	struct bk_json j;
	struct emap m;
	uint64_t n = 0;
	int used, st, err;
	const char *why;

	st = emap_open(cli, argc, argv, &m, &used);
	if (!st && used != argc)
		st = bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	if (!st && (why = keyless(m.info.type)))
		st = bk_cli_fail(cli, "map dump: %s", why);
	if (st) {
		emap_close(&m);
		return st;
	}
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_array_begin(&j);
	err = dump_entries(cli, &m, &j, &n);
	if (cli->json) {
		bk_json_array_end(&j);
		bk_json_end(&j);
	} else if (!err) {
		fprintf(cli->out, "Found %llu element%s\n", (unsigned long long)n,
			n == 1 ? "" : "s");
	}
	emap_close(&m);
	if (err)
		return bk_cli_fail(cli, "map dump: %s", strerror(-err));
	return 0;
}

/* Parse `key BYTES` at argv; returns arguments consumed or -1. */
static int parse_kw_bytes(struct bk_cli *cli, int argc, char **argv, const char *kw,
			  uint8_t *out, size_t n)
{
	int r;

	if (argc < 1 || strcmp(argv[0], kw) != 0) {
		bk_cli_usage(cli, usage);
		return -1;
	}
	r = bk_cli_parse_bytes(cli, argc - 1, argv + 1, out, n, kw);
	return r < 0 ? -1 : r + 1;
}

static int do_lookup(struct bk_cli *cli, int argc, char **argv)
{
	struct bk_json j;
	struct emap m;
	int used, k, st, err;

	st = emap_open(cli, argc, argv, &m, &used);
	if (st) {
		emap_close(&m);
		return st;
	}
	k = parse_kw_bytes(cli, argc - used, argv + used, "key", m.key, m.info.key_size);
	if (k < 0 || used + k != argc) {
		emap_close(&m);
		return k < 0 ? 2 : bk_cli_usage(cli, usage);
	}
	err = bk_cli_map_lookup(m.fd, m.key, m.value);
	bk_json_init(&j, cli->out, cli->pretty);
	if (err == 0 && cli->json)
		entry_json(&j, &m, m.key);
	else if (err == 0)
		entry_text(cli->out, &m, m.key);
	else if (cli->json)
		bk_json_null(&j);
	if (cli->json)
		bk_json_end(&j);
	if (err == -ENOENT && !cli->json) {
		fputs("key:\n", cli->out);
		bk_cli_text_hex(cli->out, m.key, m.info.key_size);
		fputs("\n\nNot found\n", cli->out);
	}
	emap_close(&m);
	if (err == -ENOENT && cli->json)
		return 1; /* bpftool's answer is the null above, with no error object */
	if (err)
		return bk_cli_fail(cli, "lookup: %s", strerror(-err));
	return 0;
}

/* Flags of BPF_MAP_UPDATE_ELEM: BPF_ANY, BPF_NOEXIST, BPF_EXIST. */
static int parse_update_flag(const char *s, uint64_t *flags)
{
	static const char *const names[] = { "any", "noexist", "exist" };

	for (uint64_t i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*flags = i;
			return 0;
		}
	return -1;
}

/* The value given on the command line is one CPU's; every CPU gets a copy. */
static void spread_percpu(struct emap *m)
{
	for (int c = 1; c < m->ncpus; c++)
		memcpy(m->value + (size_t)c * m->vstride, m->value, m->info.value_size);
}

static int do_update(struct bk_cli *cli, int argc, char **argv)
{
	struct emap m;
	uint64_t flags = 0;
	int used, k, v = -1, st, err;

	st = emap_open(cli, argc, argv, &m, &used);
	if (st) {
		emap_close(&m);
		return st;
	}
	k = parse_kw_bytes(cli, argc - used, argv + used, "key", m.key, m.info.key_size);
	if (k >= 0)
		v = parse_kw_bytes(cli, argc - used - k, argv + used + k, "value", m.value,
				   m.info.value_size);
	if (k < 0 || v < 0) {
		emap_close(&m);
		return 2;
	}
	used += k + v;
	if (used < argc && parse_update_flag(argv[used], &flags)) {
		emap_close(&m);
		return bk_cli_usage_why(cli, usage, "update: '%s' is not any, noexist or exist",
					argv[used]);
	}
	if (used < argc)
		used++;
	if (used != argc) {
		emap_close(&m);
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	}
	spread_percpu(&m);
	err = bk_cli_map_update(m.fd, m.key, m.value, flags);
	emap_close(&m);
	if (err == -ENOENT && flags == 2)
		return bk_cli_fail(cli, "update: %s: no such key, and 'exist' updates only existing "
					"ones", strerror(ENOENT));
	if (err == -EEXIST && flags == 1)
		return bk_cli_fail(cli, "update: %s: the key exists, and 'noexist' only adds new ones",
				   strerror(EEXIST));
	if (err == -E2BIG)
		return bk_cli_fail(cli, "update: %s: the map is full (max_entries %u)",
				   strerror(E2BIG), m.info.max_entries);
	if (err)
		return bk_cli_fail(cli, "update: %s", strerror(-err));
	if (cli->json)
		fputs("null\n", cli->out);
	return 0;
}

static int do_delete(struct bk_cli *cli, int argc, char **argv)
{
	struct emap m;
	int used, k, st, err;

	st = emap_open(cli, argc, argv, &m, &used);
	if (st) {
		emap_close(&m);
		return st;
	}
	k = parse_kw_bytes(cli, argc - used, argv + used, "key", m.key, m.info.key_size);
	if (k < 0 || used + k != argc) {
		emap_close(&m);
		return k < 0 ? 2 : bk_cli_usage(cli, usage);
	}
	err = bk_cli_map_delete(m.fd, m.key);
	emap_close(&m);
	if (err)
		return bk_cli_fail(cli, "delete: %s", strerror(-err));
	if (cli->json)
		fputs("null\n", cli->out);
	return 0;
}

static void getnext_out(struct bk_cli *cli, const struct emap *m, bool have_key)
{
	struct bk_json j;

	if (cli->json) {
		bk_json_init(&j, cli->out, cli->pretty);
		bk_json_object_begin(&j);
		bk_json_key(&j, "key");
		if (have_key)
			bk_cli_json_hex(&j, m->key, m->info.key_size);
		else
			bk_json_null(&j);
		bk_json_key(&j, "next_key");
		bk_cli_json_hex(&j, m->next, m->info.key_size);
		bk_json_object_end(&j);
		bk_json_end(&j);
		return;
	}
	if (have_key) {
		fputs("key:\n", cli->out);
		bk_cli_text_hex(cli->out, m->key, m->info.key_size);
		fputc('\n', cli->out);
	} else {
		fputs("key: None\n", cli->out);
	}
	fputs("next key:\n", cli->out);
	bk_cli_text_hex(cli->out, m->next, m->info.key_size);
	fputc('\n', cli->out);
}

/* `getnext MAP [key BYTES]`: the key after BYTES, or the first key. */
static int do_getnext(struct bk_cli *cli, int argc, char **argv)
{
	struct emap m;
	int used, k = 0, st, err;

	st = emap_open(cli, argc, argv, &m, &used);
	if (st) {
		emap_close(&m);
		return st;
	}
	if (used < argc)
		k = parse_kw_bytes(cli, argc - used, argv + used, "key", m.key, m.info.key_size);
	if (k < 0 || used + k != argc) {
		emap_close(&m);
		return k < 0 ? 2 : bk_cli_usage(cli, usage);
	}
	err = bk_cli_map_next_key(m.fd, k ? m.key : NULL, m.next);
	if (!err)
		getnext_out(cli, &m, k > 0);
	emap_close(&m);
	if (err)
		return bk_cli_fail(cli, "can't get next key: %s", strerror(-err));
	return 0;
}

static int do_pin(struct bk_cli *cli, int argc, char **argv)
{
	int fd, used, st;

	st = bk_cli_obj_open1(cli, BK_OBJ_MAP, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used + 1 != argc) {
		close(fd);
		return bk_cli_usage(cli, usage);
	}
	st = bk_cli_pin_explain(cli, fd, argv[used]);
	close(fd);
	if (!st)
		bk_cli_json_null(cli);
	return st;
}

static const struct verb {
	const char *name;
	int (*fn)(struct bk_cli *cli, int argc, char **argv);
} verbs[] = {
	{ "list", do_show },	 { "show", do_show },	  { "dump", do_dump },
	{ "lookup", do_lookup }, { "update", do_update }, { "delete", do_delete },
	{ "pin", do_pin },	 { "getnext", do_getnext },
};

int bk_cmd_map(struct bk_cli *cli, int argc, char **argv)
{
	static const char *const keyless[] = { "peek", "pop", "dequeue", "push", "enqueue" };

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	for (size_t i = 0; argc >= 2 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].fn(cli, argc - 2, argv + 2);
	for (size_t i = 0; argc >= 2 && i < sizeof(keyless) / sizeof(keyless[0]); i++)
		if (!strcmp(argv[1], keyless[i]))
			return bk_cli_map_keyless(cli, keyless[i], argc - 2, argv + 2, usage);
	if (argc >= 2 && !strcmp(argv[1], "create"))
		return bk_cli_map_create(cli, argc - 2, argv + 2, usage);
	if (argc >= 2 && !strcmp(argv[1], "freeze"))
		return bk_cli_map_freeze(cli, argc - 2, argv + 2, usage);
	if (argc >= 2 && (!strcmp(argv[1], "event") || !strcmp(argv[1], "event_pipe")))
		return bk_cli_map_event(cli, argc - 2, argv + 2, usage);
	if (argc < 2)
		return bk_cli_usage(cli, usage);
	return bk_cli_usage_why(cli, usage, "unknown map verb '%s'", argv[1]);
}
