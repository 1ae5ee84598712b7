// SPDX-License-Identifier: MIT
/*
 * `bpfkit prog list|show [HANDLE]` and `bpfkit prog dump xlated HANDLE`, in
 * bpftool's plain and JSON shapes (same keys, same order, same conditions).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/disasm.h>
#include <bpfkit/info.h>

#include "cli.h"
#include "json.h"
#include "objref.h"
#include "ops.h"

static const char usage[] =
	"prog { list | show [PROG] | dump xlated PROG | pin PROG PATH |\n"
	"         load FILE PATH type TYPE [name NAME] [map name NAME MAP]...\n"
	"                        [dialect llvm|conformance] |\n"
	"         load OBJ PATH [type TYPE] [map name NAME MAP]... [pinmaps DIR] |\n"
	"         loadall OBJ DIR [type TYPE] [map name NAME MAP]... [pinmaps DIR] |\n"
	"         run PROG [data_in FILE [data_out FILE [data_size_out L]]]\n"
	"                  [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N] |\n"
	"         attach PROG ATTACH_TYPE TARGET | detach PROG ATTACH_TYPE TARGET |\n"
	"         tracelog }\n"
	"  PROG := { id ID | pinned PATH | name NAME | tag TAG }\n"
	"  FILE: assembler text, or raw bytecode when it ends in .bin; '-' is standard input\n"
	"  OBJ: an ELF object (clang -target bpf); load pins its first program, loadall each\n"
	"  TARGET := { dev IFNAME (xdp, tcx_ingress, tcx_egress) | cgroup PATH (cgroup_*) |\n"
	"             MAP (stream_verdict, stream_parser, skb_verdict, msg_verdict) |\n"
	"             nothing (flow_dissector: this network namespace) }";

/* Boot-relative ns to wall-clock seconds, as bpftool computes loaded_at. */
static time_t wallclock(uint64_t boot_ns)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (real.tv_sec - boot.tv_sec) +
	       ((int64_t)real.tv_nsec - boot.tv_nsec + (int64_t)boot_ns) / 1000000000;
}

static void tag_hex(const uint8_t tag[8], char out[17])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", tag[i]);
}

static void prog_json(struct bk_json *j, const struct bk_info_prog *p)
{
	char buf[64], tag[17];
	uint32_t nmaps = p->nr_map_ids < BK_INFO_MAX_MAP_IDS ? p->nr_map_ids : BK_INFO_MAX_MAP_IDS;

	tag_hex(p->tag, tag);
	bk_json_object_begin(j);
	bk_json_kv_uint(j, "id", p->id);
	bk_json_kv_string(j, "type", bk_cli_prog_type(p->type, buf, sizeof(buf)));
	if (p->name[0])
		bk_json_kv_string(j, "name", p->name);
	bk_json_kv_string(j, "tag", tag);
	bk_json_kv_bool(j, "gpl_compatible", p->gpl_compatible);
	if (p->run_time_ns) {
		bk_json_kv_uint(j, "run_time_ns", p->run_time_ns);
		bk_json_kv_uint(j, "run_cnt", p->run_cnt);
	}
	if (p->recursion_misses)
		bk_json_kv_uint(j, "recursion_misses", p->recursion_misses);
	if (p->load_time) {
		bk_json_kv_int(j, "loaded_at", (int64_t)wallclock(p->load_time));
		bk_json_kv_uint(j, "uid", p->created_by_uid);
	}
	bk_json_kv_uint(j, "bytes_xlated", p->xlated_len);
	bk_json_kv_bool(j, "jited", p->jited_len != 0);
	if (p->jited_len)
		bk_json_kv_uint(j, "bytes_jited", p->jited_len);
	if (p->memlock)
		bk_json_kv_uint(j, "bytes_memlock", p->memlock);
	if (nmaps) {
		bk_json_key(j, "map_ids");
		bk_json_array_begin(j);
		for (uint32_t i = 0; i < nmaps; i++)
			bk_json_uint(j, p->map_ids[i]);
		bk_json_array_end(j);
	}
	if (p->btf_id)
		bk_json_kv_uint(j, "btf_id", p->btf_id);
	bk_json_object_end(j);
}

static void prog_text(FILE *out, const struct bk_info_prog *p)
{
	char buf[64], tag[17];
	uint32_t nmaps = p->nr_map_ids < BK_INFO_MAX_MAP_IDS ? p->nr_map_ids : BK_INFO_MAX_MAP_IDS;

	tag_hex(p->tag, tag);
	fprintf(out, "%u: %s  ", p->id, bk_cli_prog_type(p->type, buf, sizeof(buf)));
	if (p->name[0])
		fprintf(out, "name %s  ", p->name);
	fprintf(out, "tag %s%s", tag, p->gpl_compatible ? "  gpl" : "");
	if (p->run_time_ns)
		fprintf(out, " run_time_ns %llu run_cnt %llu", (unsigned long long)p->run_time_ns,
			(unsigned long long)p->run_cnt);
	if (p->recursion_misses)
		fprintf(out, " recursion_misses %llu", (unsigned long long)p->recursion_misses);
	fputc('\n', out);
	if (p->load_time) {
		time_t t = wallclock(p->load_time);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%FT%T%z", &tm);
		fprintf(out, "\tloaded_at %s  uid %u\n", buf, p->created_by_uid);
	}
	fprintf(out, "\txlated %uB", p->xlated_len);
	if (p->jited_len)
		fprintf(out, "  jited %uB", p->jited_len);
	else
		fprintf(out, "  not jited");
	if (p->memlock)
		fprintf(out, "  memlock %lluB", (unsigned long long)p->memlock);
	for (uint32_t i = 0; i < nmaps; i++)
		fprintf(out, i ? ",%u" : "  map_ids %u", p->map_ids[i]);
	fputc('\n', out);
	if (p->btf_id)
		fprintf(out, "\tbtf_id %u\n", p->btf_id);
}

struct show_ctx {
	struct bk_cli *cli;
	struct bk_json *j;
};

static int show_fd(struct show_ctx *s, int fd)
{
	struct bk_info_prog p;
	int err = bk_info_prog(fd, &p);

	if (err)
		return bk_cli_fail(s->cli, "program info: %s", strerror(-err));
	if (s->cli->json)
		prog_json(s->j, &p);
	else
		prog_text(s->cli->out, &p);
	return 0;
}

static int show_visit(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	(void)kind, (void)id;
	show_fd(ctx, fd);
	return 0; /* one unreadable program does not end the listing */
}

static int do_show(struct bk_cli *cli, int argc, char **argv)
{
	struct bk_json j;
	struct show_ctx s = { cli, &j };
	struct bk_cli_objs objs = { 0 };
	int used, st = 0, err = 0;

	if (argc > 0) {
		st = bk_cli_objs_open(cli, BK_OBJ_PROG, argc, argv, &objs, &used);
		if (st)
			return st;
		if (used != argc) {
			bk_cli_objs_close(&objs);
			return bk_cli_usage(cli, usage);
		}
	}
	bk_json_init(&j, cli->out, cli->pretty);
	/* One object is printed bare, a listing (or several matches) as an array. */
	if (cli->json && (argc == 0 || objs.n > 1))
		bk_json_array_begin(&j);
	if (argc == 0)
		err = bk_info_foreach(BK_OBJ_PROG, show_visit, &s);
	for (int i = 0; i < objs.n && !st; i++)
		st = show_fd(&s, objs.fds[i]);
	if (cli->json && (argc == 0 || objs.n > 1))
		bk_json_array_end(&j);
	if (cli->json)
		bk_json_end(&j);
	bk_cli_objs_close(&objs);
	if (err < 0)
		return bk_cli_fail(cli, "cannot list programs: %s", strerror(-err));
	return st;
}

/* Translated instructions through the disassembler, in bpftool's shape: the
 * opcode byte in parentheses, then the instruction ("   4: (18) r1 = ...");
 * JSON [{"disasm": "(b7) r1 = 0"}, ...], one entry per logical instruction
 * (an ld_imm64 is one entry covering two slots). The instruction text is
 * bpfkit's (LLVM syntax), not the kernel's. */
static int dump_xlated(struct bk_cli *cli, int argc, char **argv)
{
	struct bk_insn *insns;
	uint32_t count = 0;
	struct bk_json j;
	int fd, used, err;
	int st = bk_cli_obj_open1(cli, BK_OBJ_PROG, argc, argv, &fd, &used);

	if (st)
		return st;
	if (used != argc) {
		close(fd);
		return bk_cli_usage(cli, usage);
	}
	err = bk_info_prog_xlated(fd, NULL, 0, &count);
	insns = calloc(count ? count : 1, sizeof(*insns));
	if (!err && insns)
		err = bk_info_prog_xlated(fd, insns, count, &count);
	close(fd);
	if (err || !insns) {
		free(insns);
		return bk_cli_fail(cli, "translated instructions: %s", strerror(err ? -err : ENOMEM));
	}
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_array_begin(&j);
	for (uint32_t i = 0; i < count;) {
		char text[192], line[224];
		int w = bk_disasm_one(insns, count, i, BK_OPTS(bk_disasm_opts, .helper_names = true),
				      text, sizeof(text));

		snprintf(line, sizeof(line), "(%02x) %s", insns[i].code, text);
		if (cli->json) {
			bk_json_object_begin(&j);
			bk_json_kv_string(&j, "disasm", line);
			bk_json_object_end(&j);
		} else {
			fprintf(cli->out, "%4u: %s\n", i, line);
		}
		i += w > 0 ? (uint32_t)w : 1; /* an undecodable slot is shown raw, one slot */
	}
	if (cli->json) {
		bk_json_array_end(&j);
		bk_json_end(&j);
	}
	free(insns);
	return 0;
}

int bk_cmd_prog(struct bk_cli *cli, int argc, char **argv)
{
	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc < 2)
		return bk_cli_usage(cli, usage);
	if (!strcmp(argv[1], "list") || !strcmp(argv[1], "show"))
		return do_show(cli, argc - 2, argv + 2);
	if (!strcmp(argv[1], "dump") && argc >= 3 && !strcmp(argv[2], "xlated"))
		return dump_xlated(cli, argc - 3, argv + 3);
	if (!strcmp(argv[1], "load") || !strcmp(argv[1], "loadall"))
		return bk_cli_prog_load(cli, !strcmp(argv[1], "loadall"), argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "pin"))
		return bk_cli_prog_pin(cli, argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "run"))
		return bk_cli_prog_run(cli, argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "tracelog"))
		return bk_cli_prog_tracelog(cli, argc - 2, argv + 2, usage);
	if (!strcmp(argv[1], "attach") || !strcmp(argv[1], "detach"))
		return bk_cli_prog_attach(cli, !strcmp(argv[1], "attach"), argc - 2, argv + 2,
					  usage);
	return bk_cli_usage_why(cli, usage, "unknown prog verb '%s'", argv[1]);
}
