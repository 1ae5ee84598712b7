// SPDX-License-Identifier: MIT
/*
 * `bpfkit btf dump file PATH | id N [format c|raw] [root_id ID]`, as bpftool
 * spells it: raw text (bpftool's format, line for line), JSON with --json
 * (bpftool's -j shape), or C (a vmlinux.h). Module BTF, from
 * /sys/kernel/btf/<module> or a kernel BTF object of a module, is read on
 * top of vmlinux's.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/btf.h>
#include <bpfkit/info.h>

#include "btf_fmt.h"
#include "cli.h"

static const char dump_usage[] = "btf dump { file PATH | id ID } [format { raw | c }] [root_id ID]";

#define KBTF_DIR "/sys/kernel/btf/"
#define VMLINUX KBTF_DIR "vmlinux"

struct src {
	struct bk_btf *btf;
	struct bk_btf *base; /* vmlinux, for module BTF */
};

static int open_file(struct bk_cli *cli, const char *path, struct src *s)
{
	struct bk_diag d;

	/* bpftool's rule: a module's file there is split BTF on vmlinux. */
	if (strncmp(path, KBTF_DIR, strlen(KBTF_DIR)) == 0 && strcmp(path, VMLINUX) != 0) {
		s->base = bk_btf_load_file(VMLINUX, &d);
		if (!s->base)
			return bk_cli_fail(cli, "%s: %s", VMLINUX, d.msg);
	}
	s->btf = bk_btf_load_file_split(path, s->base, &d);
	if (!s->btf)
		return bk_cli_fail(cli, "%s: %s", path, d.msg);
	return 0;
}

static int open_id(struct bk_cli *cli, const char *arg, struct src *s)
{
	struct bk_info_btf info;
	struct bk_diag d;
	char *end;
	unsigned long id = strtoul(arg, &end, 0);
	int fd;

	if (!arg[0] || *end || id == 0 || id > UINT32_MAX)
		return bk_cli_fail(cli, "bad BTF id '%s'", arg);
	fd = bk_info_fd_by_id(BK_OBJ_BTF, (uint32_t)id);
	if (fd < 0)
		return bk_cli_fail(cli, "BTF id %lu: %s", id, strerror(-fd));
	if (bk_info_btf(fd, &info) == 0 && info.kernel && strcmp(info.name, "vmlinux") != 0) {
		s->base = bk_btf_load_file(VMLINUX, &d);
		if (!s->base) {
			close(fd);
			return bk_cli_fail(cli, "%s: %s", VMLINUX, d.msg);
		}
	}
	s->btf = bk_btf_load_fd(fd, s->base, &d);
	close(fd);
	if (!s->btf)
		return bk_cli_fail(cli, "BTF id %lu: %s", id, d.msg);
	return 0;
}

/* ---- JSON, bpftool's shape ---------------------------------------------- */

static const char *anon(const char *s)
{
	return s[0] ? s : "(anon)";
}

static const char *linkage(uint32_t l)
{
	static const char *const n[] = { "static", "global", "extern" };

	return l < 3 ? n[l] : "(unknown)";
}

static void json_members(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_member m;

	bk_json_key(j, "members");
	bk_json_array_begin(j);
	for (uint32_t i = 0; bk_btf_member(btf, t->id, i, &m) == 0; i++) {
		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", anon(m.name));
		bk_json_kv_uint(j, "type_id", m.type);
		bk_json_kv_uint(j, "bits_offset", m.bit_offset);
		if (m.bitfield_size)
			bk_json_kv_uint(j, "bitfield_size", m.bitfield_size);
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
}

static void json_enum(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_enumerator e;

	bk_json_kv_string(j, "encoding", t->kind_flag ? "SIGNED" : "UNSIGNED");
	bk_json_kv_uint(j, "size", t->size_or_type);
	bk_json_kv_uint(j, "vlen", t->vlen);
	bk_json_key(j, "values");
	bk_json_array_begin(j);
	for (uint32_t i = 0; bk_btf_enumerator(btf, t->id, i, &e) == 0; i++) {
		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", anon(e.name));
		if (t->kind_flag)
			bk_json_kv_int(j, "val", e.value);
		else if (t->kind == BK_BTF_KIND_ENUM) /* bpftool sign-extends the 32 bits */
			bk_json_kv_uint(j, "val", (uint64_t)(int64_t)(int32_t)(uint32_t)e.value);
		else
			bk_json_kv_uint(j, "val", (uint64_t)e.value);
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
}

static void json_proto(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_param p;

	bk_json_kv_uint(j, "ret_type_id", t->size_or_type);
	bk_json_kv_uint(j, "vlen", t->vlen);
	bk_json_key(j, "params");
	bk_json_array_begin(j);
	for (uint32_t i = 0; bk_btf_param(btf, t->id, i, &p) == 0; i++) {
		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", anon(p.name));
		bk_json_kv_uint(j, "type_id", p.type);
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
}

static void json_datasec(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_var_secinfo v;

	bk_json_kv_uint(j, "size", t->size_or_type);
	bk_json_kv_uint(j, "vlen", t->vlen);
	bk_json_key(j, "vars");
	bk_json_array_begin(j);
	for (uint32_t i = 0; bk_btf_datasec_var(btf, t->id, i, &v) == 0; i++) {
		bk_json_object_begin(j);
		bk_json_kv_uint(j, "type_id", v.type);
		bk_json_kv_uint(j, "offset", v.offset);
		bk_json_kv_uint(j, "size", v.size);
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
}

static void json_int(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_int in = { 0 };

	bk_btf_int_info(btf, t->id, &in);
	bk_json_kv_uint(j, "size", t->size_or_type);
	bk_json_kv_uint(j, "bits_offset", in.bit_offset);
	bk_json_kv_uint(j, "nr_bits", in.bits);
	bk_json_kv_string(j, "encoding", in.encoding == 0		       ? "(none)"
					 : in.encoding == BK_BTF_INT_SIGNED ? "SIGNED"
					 : in.encoding == BK_BTF_INT_CHAR   ? "CHAR"
					 : in.encoding == BK_BTF_INT_BOOL   ? "BOOL"
									    : "UNKN");
}

static void json_type(struct bk_json *j, const struct bk_btf *btf, const struct bk_btf_type *t)
{
	struct bk_btf_array a;
	int32_t idx = 0;

	switch (t->kind) {
	case BK_BTF_KIND_INT: json_int(j, btf, t); break;
	case BK_BTF_KIND_PTR: case BK_BTF_KIND_CONST: case BK_BTF_KIND_VOLATILE:
	case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_TYPEDEF: case BK_BTF_KIND_TYPE_TAG:
		bk_json_kv_uint(j, "type_id", t->size_or_type);
		break;
	case BK_BTF_KIND_ARRAY:
		bk_btf_array_info(btf, t->id, &a);
		bk_json_kv_uint(j, "type_id", a.type);
		bk_json_kv_uint(j, "index_type_id", a.index_type);
		bk_json_kv_uint(j, "nr_elems", a.nelems);
		break;
	case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		bk_json_kv_uint(j, "size", t->size_or_type);
		bk_json_kv_uint(j, "vlen", t->vlen);
		json_members(j, btf, t);
		break;
	case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64: json_enum(j, btf, t); break;
	case BK_BTF_KIND_FWD:
		bk_json_kv_string(j, "fwd_kind", t->kind_flag ? "union" : "struct");
		break;
	case BK_BTF_KIND_FUNC:
		bk_json_kv_uint(j, "type_id", t->size_or_type);
		bk_json_kv_string(j, "linkage", linkage(t->vlen));
		break;
	case BK_BTF_KIND_FUNC_PROTO: json_proto(j, btf, t); break;
	case BK_BTF_KIND_VAR:
		bk_json_kv_uint(j, "type_id", t->size_or_type);
		bk_json_kv_string(j, "linkage", linkage((uint32_t)bk_btf_var_linkage(btf, t->id)));
		break;
	case BK_BTF_KIND_DATASEC: json_datasec(j, btf, t); break;
	case BK_BTF_KIND_FLOAT: bk_json_kv_uint(j, "size", t->size_or_type); break;
	case BK_BTF_KIND_DECL_TAG:
		bk_btf_decl_tag(btf, t->id, &idx);
		bk_json_kv_uint(j, "type_id", t->size_or_type);
		bk_json_kv_int(j, "component_idx", idx);
		break;
	default: break;
	}
}

static void dump_json(struct bk_cli *cli, const struct bk_btf *btf, uint32_t root)
{
	uint32_t first = root ? root : bk_btf_first_id(btf);
	uint32_t last = root ? root : bk_btf_type_count(btf);
	struct bk_json j;
	struct bk_btf_type t;

	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_object_begin(&j);
	bk_json_key(&j, "types");
	bk_json_array_begin(&j);
	for (uint32_t id = first; id <= last && bk_btf_type_by_id(btf, id, &t) == 0; id++) {
		bk_json_object_begin(&j);
		bk_json_kv_uint(&j, "id", id);
		bk_json_kv_string(&j, "kind", bk_btf_kind_name((int)t.kind));
		bk_json_kv_string(&j, "name", anon(t.name));
		json_type(&j, btf, &t);
		bk_json_object_end(&j);
	}
	bk_json_array_end(&j);
	bk_json_object_end(&j);
	bk_json_end(&j);
}

/* ---- the command -------------------------------------------------------- */

struct dump_args {
	const char *file, *id, *format;
	uint32_t root;
};

static int parse_args(struct bk_cli *cli, int argc, char **argv, struct dump_args *a)
{
	for (int i = 0; i < argc; i += 2) {
		char *end;

		if (i + 1 >= argc)
			return bk_cli_usage(cli, dump_usage);
		if (!strcmp(argv[i], "file") && !a->file && !a->id) {
			a->file = argv[i + 1];
		} else if (!strcmp(argv[i], "id") && !a->file && !a->id) {
			a->id = argv[i + 1];
		} else if (!strcmp(argv[i], "format") && !a->format) {
			a->format = argv[i + 1];
		} else if (!strcmp(argv[i], "root_id") && !a->root) {
			unsigned long v = strtoul(argv[i + 1], &end, 0);

			if (!argv[i + 1][0] || *end || v == 0 || v > UINT32_MAX)
				return bk_cli_fail(cli, "bad root_id '%s'", argv[i + 1]);
			a->root = (uint32_t)v;
		} else {
			return bk_cli_usage(cli, dump_usage);
		}
	}
	if (!a->file && !a->id)
		return bk_cli_usage(cli, dump_usage);
	if (a->format && strcmp(a->format, "raw") != 0 && strcmp(a->format, "c") != 0)
		return bk_cli_fail(cli, "unknown format '%s' (raw or c)", a->format);
	if (a->format && !strcmp(a->format, "c") && cli->json)
		return bk_cli_fail(cli, "format c has no JSON form");
	return 0;
}

static int run_dump(struct bk_cli *cli, const struct dump_args *a, const struct bk_btf *btf)
{
	int err;

	if (a->root > bk_btf_type_count(btf))
		return bk_cli_fail(cli, "root_id %u: the BTF has %u types", a->root,
				   bk_btf_type_count(btf));
	if (a->format && !strcmp(a->format, "c")) {
		struct bk_btf_dump_c_opts o = { .sz = sizeof(o), .root_id = a->root };

		err = bk_btf_dump_c(btf, cli->out, &o);
	} else if (cli->json) {
		dump_json(cli, btf, a->root);
		err = 0;
	} else {
		err = bk_btf_dump_raw(btf, cli->out, a->root);
	}
	if (err)
		return bk_cli_fail(cli, "cannot dump the BTF: %s", strerror(-err));
	return 0;
}

int bk_cli_btf_dump(struct bk_cli *cli, int argc, char **argv)
{
	struct dump_args a = { 0 };
	struct src s = { 0 };
	int st = parse_args(cli, argc, argv, &a);

	if (st)
		return st;
	if (a.file)
		st = open_file(cli, a.file, &s);
	else if (a.id)
		st = open_id(cli, a.id, &s);
	else
		return bk_cli_usage(cli, dump_usage);
	if (!st)
		st = run_dump(cli, &a, s.btf);
	bk_btf_free(s.btf);
	bk_btf_free(s.base);
	return st;
}
