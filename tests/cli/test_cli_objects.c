// SPDX-License-Identifier: MIT
/*
 * bpftool parity of `bpfkit prog|map|link|btf|feature`: the same objects,
 * shown by both tools, must give the same JSON (parsed and compared value by
 * value) and the same plain text. Objects live in a private bpffs mounted in
 * the test process's own mount namespace; both tools run inside it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "bpftool_same.h"

static char fs[256];

static void setup(void)
{
	BK_REQUIRE_KERNEL();
	BK_REQUIRE_TOOL("bpftool");
	cr_assert_eq(bk_test_bpffs(fs, sizeof(fs)), 0);
}

static void must(const char *fmt, const char *a, const char *b)
{
	char *out;

	cr_assert_eq(sh(&out, fmt, a, b), 0, "%s", out);
	free(out);
}

/* ---- maps bpftool creates ------------------------------------------------------- */

/* Map names are unique per test: Criterion runs tests in parallel. */
static void make_hash(const char *name)
{
	char cmd[1024], *out;

	snprintf(cmd, sizeof(cmd),
		 "bpftool map create %s/h type hash key 4 value 4 entries 8 name %s && "
		 "bpftool map update pinned %s/h key 1 0 0 0 value 0x2a 0 0 0 && "
		 "bpftool map update pinned %s/h key hex 02 00 00 00 value hex 2b 00 00 01",
		 fs, name, fs, fs);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s", out);
	free(out);
}

Test(cli_objects, map_show_and_dump_match_bpftool)
{
	char args[512];

	setup();
	make_hash("bkt_show");
	snprintf(args, sizeof(args), "-j map show pinned %s/h", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map show pinned %s/h", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map dump pinned %s/h", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map dump pinned %s/h", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map lookup pinned %s/h key 2 0 0 0", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map lookup pinned %s/h key hex 01 00 00 00", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map getnext pinned %s/h", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map getnext pinned %s/h", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-p map show name bkt_show");
	same_json(args);
	must("bpftool map freeze pinned %s/h%s", fs, "");
	snprintf(args, sizeof(args), "map show pinned %s/h", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map show pinned %s/h", fs);
	same_json(args);
}

Test(cli_objects, wide_and_percpu_values_match_bpftool)
{
	char args[512], *out, *again;

	setup();
	must("bpftool map create %s/w type array key 4 value 32 entries 2 name bkw && "
	     "bpftool map update pinned %s/w key 1 0 0 0 value hex "
	     "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 "
	     "1a 1b 1c 1d 1e 1f", fs, fs);
	must("bpftool map create %s/pc type percpu_array key 4 value 4 entries 2 name bkpc && "
	     "bpftool map update pinned %s/pc key 1 0 0 0 value 7 0 0 0", fs, fs);
	snprintf(args, sizeof(args), "map dump pinned %s/w", fs);
	same_text(args);
	/* an array's keys come in index order: after 0 is 1, after 1 nothing */
	snprintf(args, sizeof(args), "map getnext pinned %s/w key 0 0 0 0", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map getnext pinned %s/w key hex 00 00 00 00", fs);
	same_json(args);
	snprintf(args, sizeof(args), "-j map dump pinned %s/w", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map dump pinned %s/pc", fs);
	same_text(args);
	/* bpfkit writes one value to every CPU's slot, as bpftool does */
	cr_assert_eq(sh(&out, "%s map update pinned %s/pc key 0 0 0 0 value 9 8 7 6 && "
			"bpftool map update pinned %s/pc key 1 0 0 0 value 9 8 7 6",
			bk_test_cli(), fs, fs), 0, "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "bpftool -j map lookup pinned %s/pc key 0 0 0 0", fs), 0);
	cr_assert_eq(sh(&again, "bpftool -j map lookup pinned %s/pc key 1 0 0 0", fs), 0);
	cr_assert_neq(strstr(out, "\"0x09\",\"0x08\",\"0x07\",\"0x06\""), NULL, "%s", out);
	cr_assert_str_eq(strstr(out, "\"values\""), strstr(again, "\"values\""));
	free(out);
	free(again);
	snprintf(args, sizeof(args), "-j map dump pinned %s/pc", fs);
	same_json(args);
}

Test(cli_objects, bpfkit_writes_what_bpftool_reads)
{
	char *out;
	int st;

	setup();
	make_hash("bkt_write");
	cr_assert_eq(sh(&out, "%s map update pinned %s/h key hex 03000000 value 0x11 0x22 0 0 "
			"noexist", bk_test_cli(), fs), 0, "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "bpftool -j map lookup pinned %s/h key 3 0 0 0", fs), 0);
	cr_assert(strstr(out, "\"value\":[\"0x11\",\"0x22\",\"0x00\",\"0x00\"]"), "%s", out);
	free(out);
	/* noexist on an existing key is refused, as the kernel says EEXIST */
	st = sh(&out, "%s map update pinned %s/h key 3 0 0 0 value 0 0 0 0 noexist 2>&1",
		bk_test_cli(), fs);
	cr_assert_eq(st, 1, "%s", out);
	cr_assert(strstr(out, strerror(EEXIST)), "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "%s -j map delete pinned %s/h key 3 0 0 0", bk_test_cli(), fs), 0);
	cr_assert_str_eq(out, "null\n");
	free(out);
	cr_assert_neq(sh(&out, "bpftool map lookup pinned %s/h key 3 0 0 0 2>&1", fs), 0);
	free(out);
	cr_assert_eq(sh(&out, "%s map pin name bkt_write %s/again && bpftool -j map show pinned "
			"%s/again", bk_test_cli(), fs, fs), 0, "%s", out);
	cr_assert(strstr(out, "\"name\":\"bkt_write\""), "%s", out);
	free(out);
}

Test(cli_objects, bad_arguments_are_refused)
{
	char *out;

	setup();
	make_hash("bkt_bad");
	/* bad bytes are usage errors (2), a missing object is a failure (1) */
	cr_assert_eq(sh(&out, "%s map lookup pinned %s/h key 1 0 0 2>&1", bk_test_cli(), fs), 2);
	cr_assert(strstr(out, "key: the map's key size is 4 bytes, 3 given"), "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "%s map lookup pinned %s/h key 256 0 0 0 2>&1", bk_test_cli(), fs),
		     2);
	free(out);
	cr_assert_eq(sh(&out, "%s map lookup pinned %s/h key hex 0g000000 2>&1", bk_test_cli(),
			fs), 2);
	free(out);
	cr_assert_eq(sh(&out, "%s map show id 4000000000 2>&1", bk_test_cli()), 1);
	free(out);
	cr_assert_eq(sh(&out, "%s map show name no_such_map_xyz 2>&1", bk_test_cli()), 1);
	free(out);
	cr_assert_eq(sh(&out, "%s map frobnicate 2>&1", bk_test_cli()), 2);
	free(out);
	cr_assert_eq(sh(&out, "%s -j map lookup pinned %s/h key 9 0 0 0 2>/dev/null",
			bk_test_cli(), fs), 1);
	cr_assert_str_eq(out, "null\n", "bpftool prints null for a missing key");
	free(out);
}

/* ---- programs bpftool loads ------------------------------------------------------------ */

static void load_xdp(void)
{
	char *out;

	BK_REQUIRE_TOOL("clang-19");
	/* the object file lives outside the bpffs mount: bpffs holds only pins */
	cr_assert_eq(sh(&out, "clang-19 -target bpf -g -O2 -c %s/tests/data/obj/info_xdp.bpf.c "
			"-o /tmp/bk-$$.o && bpftool prog load /tmp/bk-$$.o %s/prog 2>&1; r=$?; "
			"rm -f /tmp/bk-$$.o; exit $r",
			bk_test_srcdir(), fs), 0, "%s", out);
	free(out);
}

/* bpftool's JSON about our pinned program (parallel tests load the same
 * program, so it is found by pin, never by name). */
static struct jm *our_prog(void)
{
	char *out;
	struct jm *p;

	cr_assert_eq(sh(&out, "bpftool -j prog show pinned %s/prog", fs), 0);
	p = jm_parse(out);
	cr_assert_not_null(p, "%s", out);
	free(out);
	return p;
}

Test(cli_objects, prog_show_matches_bpftool)
{
	char args[512];
	struct jm *p;

	setup();
	load_xdp();
	snprintf(args, sizeof(args), "-j prog show pinned %s/prog", fs);
	same_json(args);
	snprintf(args, sizeof(args), "prog show pinned %s/prog", fs);
	same_text(args);
	p = our_prog();
	snprintf(args, sizeof(args), "-j prog show id %.0f", jm_get(p, "id")->num);
	same_json(args);
	/* the map the program uses, by id */
	snprintf(args, sizeof(args), "-j map show id %.0f", jm_get(p, "map_ids")->kids[0]->num);
	same_json(args);
	snprintf(args, sizeof(args), "map show id %.0f", jm_get(p, "map_ids")->kids[0]->num);
	same_text(args);
	jm_free(p);
}

Test(cli_objects, prog_list_contains_bpftools_view)
{
	char *bt, *bk, where[256];
	struct jm *a, *b, *p;
	const struct jm *theirs, *ours;

	setup();
	load_xdp();
	p = our_prog();
	both("-j prog list", &bt, &bk);
	a = jm_parse(bt);
	b = jm_parse(bk);
	cr_assert(a && b && a->type == JM_ARR && b->type == JM_ARR);
	/* Other tests load and unload programs meanwhile: compare ours only. */
	theirs = jm_find_id(a, jm_get(p, "id")->num);
	ours = jm_find_id(b, jm_get(p, "id")->num);
	cr_assert(theirs && ours, "our program is in both lists");
	cr_assert(jm_equal(theirs, ours, where, sizeof(where)), "%s", where);
	jm_free(p);
	jm_free(a);
	jm_free(b);
	free(bt);
	free(bk);
}

Test(cli_objects, prog_dump_xlated_matches_bpftools_instructions)
{
	char *bt, *bk, args[512];
	struct jm *a, *b;

	setup();
	load_xdp();
	snprintf(args, sizeof(args), "-j prog dump xlated pinned %s/prog", fs);
	both(args, &bt, &bk);
	a = jm_parse(bt);
	b = jm_parse(bk);
	cr_assert(a && b && a->type == JM_ARR && b->type == JM_ARR, "%s", bk);
	cr_assert_eq(a->n, b->n, "one entry per logical instruction");
	for (int i = 0; i < a->n; i++) {
		const char *x = jm_get(a->kids[i], "disasm")->str;
		const char *y = jm_get(b->kids[i], "disasm")->str;

		/* the same opcode byte; the text is each tool's own syntax */
		cr_assert_eq(strncmp(x, y, 5), 0, "entry %d: %s vs %s", i, x, y);
	}
	jm_free(a);
	jm_free(b);
	free(bt);
	free(bk);
}

Test(cli_objects, btf_maps_dump_formatted_like_bpftool)
{
	char *out, args[600];

	setup();
	BK_REQUIRE_TOOL("clang-19");
	cr_assert_eq(sh(&out, "clang-19 -target bpf -g -O2 -c %s/tests/data/obj/fmt_map.bpf.c "
			"-o /tmp/bk-$$.o && bpftool prog load /tmp/bk-$$.o %s/p pinmaps %s/m 2>&1; r=$?; "
			"rm -f /tmp/bk-$$.o; exit $r", bk_test_srcdir(), fs, fs), 0, "%s", out);
	free(out);
	/* two entries: a zero value, and one with every field set (the bytes of
	 * struct bk_val on x86-64: a, pad, b, name, c, flag+pad, arr, bits, s, pad, p) */
	must("bpftool map update pinned %s/m/bk_fmt key 2 0 0 0 value hex "
	     "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	     "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
	     "00 00 00 00 00 00 00 00%s", fs, "");
	must("bpftool map update pinned %s/m/bk_fmt key 1 0 0 0 value hex "
	     "fd ff ff ff 00 00 00 00 05 00 00 00 00 00 00 00 68 69 00 00 00 00 00 00 "
	     "07 00 00 00 01 00 00 00 01 00 00 00 02 00 00 00 05 00 fe ff 00 00 00 00 "
	     "00 10 00 00 00 00 00 00%s", fs, "");
	snprintf(args, sizeof(args), "-j map dump pinned %s/m/bk_fmt", fs);
	same_json(args);
	snprintf(args, sizeof(args), "-j map lookup pinned %s/m/bk_fmt key 1 0 0 0", fs);
	same_json(args);
	must("bpftool map update pinned %s/m/bk_fmt_pc key 1 0 0 0 value 0xfe 0xff 0xff 0xff "
	     "0xff 0xff 0xff 0xff%s", fs, "");
	snprintf(args, sizeof(args), "-j map dump pinned %s/m/bk_fmt_pc", fs);
	same_json(args);
}

/* ---- objects bpfkit creates, as bpftool sees them ---------------------------------- */

Test(cli_objects, objects_made_by_bpfkit_match_bpftool)
{
	const struct bk_insn prog[] = { BK_MOV64_IMM(BK_R0, 2), BK_EXIT() };
	const struct bk_insn rtp[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	char path[300], args[512];
	uint32_t key = 3;
	uint64_t value = 0x1122334455667788ull;
	int map, pfd, rfd, link;

	setup();
	map = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_HASH,
					.key_size = 4, .value_size = 8, .max_entries = 4,
					.map_name = "bk_own_map", .map_flags = BK_F_NO_PREALLOC));
	cr_assert_geq(map, 0);
	cr_assert_eq(bk_sys_map_update_elem(map, &key, &value, BK_ANY), 0);
	snprintf(path, sizeof(path), "%s/own_map", fs);
	cr_assert_eq(bk_sys_obj_pin(map, path, NULL), 0);
	pfd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
				       .insns = prog, .insn_cnt = 2, .prog_name = "bk_own_prog"));
	cr_assert_geq(pfd, 0);
	snprintf(path, sizeof(path), "%s/own_prog", fs);
	cr_assert_eq(bk_sys_obj_pin(pfd, path, NULL), 0);
	rfd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts,
				       .prog_type = BK_PROG_TYPE_RAW_TRACEPOINT, .insns = rtp,
				       .insn_cnt = 2, .prog_name = "bk_own_rtp"));
	cr_assert_geq(rfd, 0);
	link = bk_sys_raw_tracepoint_open("sys_enter", rfd, 0);
	cr_assert_geq(link, 0, "raw_tracepoint_open: %s", strerror(-link));
	snprintf(path, sizeof(path), "%s/own_link", fs);
	cr_assert_eq(bk_sys_obj_pin(link, path, NULL), 0);

	snprintf(args, sizeof(args), "-j map show pinned %s/own_map", fs);
	same_json(args);
	snprintf(args, sizeof(args), "map dump pinned %s/own_map", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j map dump pinned %s/own_map", fs);
	same_json(args);
	snprintf(args, sizeof(args), "-j prog show pinned %s/own_prog", fs);
	same_json(args);
	snprintf(args, sizeof(args), "prog show pinned %s/own_prog", fs);
	same_text(args);
	snprintf(args, sizeof(args), "-j link show pinned %s/own_link", fs);
	same_json(args);
	snprintf(args, sizeof(args), "link show pinned %s/own_link", fs);
	same_text(args);
	close(link);
	close(rfd);
	close(pfd);
	close(map);
}

/*
 * XDP and tcx links on a veth pair in the test's own network namespace.
 * Debian's bpftool 7.1 predates the fields of these link types (it prints no
 * ifindex for xdp and shows tcx as type 11): every key it prints must be
 * ours with the same value, and ours add what newer bpftools print.
 */
Test(cli_objects, xdp_and_tcx_links_extend_bpftools_view)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 2), BK_EXIT() };
	char path[300], args[512], *bt, *bk, where[256];
	unsigned ifindex;
	int xprog, tprog, xlink, tlink;
	struct jm *a, *b;

	setup();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	ifindex = bk_test_ifindex("bkl0");
	xprog = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					 .insns = insns, .insn_cnt = 2,
					 .expected_attach_type = BK_ATTACH_XDP));
	tprog = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_SCHED_CLS,
					 .insns = insns, .insn_cnt = 2,
					 .expected_attach_type = BK_ATTACH_TCX_INGRESS));
	cr_assert(xprog >= 0 && tprog >= 0);
	xlink = bk_sys_link_create(xprog, (int)ifindex, BK_ATTACH_XDP, NULL);
	tlink = bk_sys_link_create(tprog, (int)ifindex, BK_ATTACH_TCX_INGRESS, NULL);
	cr_assert(xlink >= 0 && tlink >= 0, "link_create: %d %d", xlink, tlink);
	snprintf(path, sizeof(path), "%s/xl", fs);
	cr_assert_eq(bk_sys_obj_pin(xlink, path, NULL), 0);
	snprintf(path, sizeof(path), "%s/tl", fs);
	cr_assert_eq(bk_sys_obj_pin(tlink, path, NULL), 0);
	for (int i = 0; i < 2; i++) {
		snprintf(args, sizeof(args), "-j link show pinned %s/%s", fs, i ? "tl" : "xl");
		both(args, &bt, &bk);
		a = jm_parse(bt);
		b = jm_parse(bk);
		cr_assert(a && b, "%s / %s", bt, bk);
		for (int k = 0; k < a->n; k++) {
			const struct jm *ours = jm_get(b, a->keys[k]);

			if (!strcmp(a->keys[k], "type") && a->kids[k]->type == JM_NUM)
				continue; /* bpftool 7.1 does not know "tcx" */
			cr_assert(ours && jm_equal(a->kids[k], ours, where, sizeof(where)),
				  "%s: %s", a->keys[k], where);
		}
		cr_assert_eq(jm_get(b, "ifindex")->num, ifindex);
		cr_assert_str_eq(jm_get(b, "type")->str, i ? "tcx" : "xdp");
		if (i)
			cr_assert_str_eq(jm_get(b, "attach_type")->str, "tcx_ingress");
		jm_free(a);
		jm_free(b);
		free(bt);
		free(bk);
	}
	close(tlink);
	close(xlink);
	close(tprog);
	close(xprog);
}

/* ---- BTF and links ------------------------------------------------------------------------ */

Test(cli_objects, btf_show_vmlinux_matches_bpftool)
{
	BK_REQUIRE_KERNEL();
	BK_REQUIRE_TOOL("bpftool");
	same_json("-j btf show id 1");
	same_text("btf show id 1");
}

/* ---- feature ----------------------------------------------------------------------------- */

Test(cli_objects, feature_json_has_bpftools_sections, .timeout = 120)
{
	char *out;
	struct jm *doc;
	const struct jm *pt, *h;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(sh(&out, "%s feature probe kernel -j", bk_test_cli()), 0);
	doc = jm_parse(out);
	cr_assert_not_null(doc, "%s", out);
	pt = jm_get(doc, "program_types");
	cr_assert(jm_get(pt, "have_xdp_prog_type")->b);
	cr_assert(jm_get(jm_get(doc, "map_types"), "have_arena_map_type")->b);
	h = jm_get(jm_get(doc, "helpers"), "xdp_available_helpers");
	cr_assert(h && h->type == JM_ARR && h->n > 50);
	cr_assert(jm_get(jm_get(doc, "syscall_config"), "have_bpf_syscall")->b);
	cr_assert(jm_get(jm_get(doc, "misc"), "have_bounded_loops")->b);
	jm_free(doc);
	free(out);
}
