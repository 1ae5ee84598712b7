// SPDX-License-Identifier: MIT
/* Programs from assembler text: maps by name, verifier complaints at the
 * source line, tail calls and bpf-to-bpf calls written as text. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "prog_test.h"

TestSuite(obj_prog_text, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(obj_prog_text, text_program_counts_in_a_map_named_in_the_text)
{
	const char *src = "*(u32 *)(r10 - 4) = 0\n"
			  "r2 = r10\n"
			  "r2 += -4\n"
			  "r1 = map[hits] ll\n"
			  "call bpf_map_lookup_elem\n"
			  "if r0 == 0 goto out\n"
			  "r1 = 1\n"
			  "lock *(u64 *)(r0 + 0) += r1\n"
			  "out:\n"
			  "r0 = 0\n"
			  "exit\n";
	struct bk_map *other, *hits;
	struct bk_info_prog info;
	struct bk_test_run_opts run_opts = { .sz = sizeof(run_opts), .repeat = 5 };
	uint8_t pkt[32] = { 0 };
	uint64_t v = 0;
	uint32_t k = 0;
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	other = bk_map_create(BK_MAP_TYPE_ARRAY, "other", 4, 8, 1, NULL);
	hits = bk_map_create(BK_MAP_TYPE_ARRAY, "hits", 4, 8, 1, NULL);
	cr_assert(other && hits);
	p = load_text(BK_PROG_TYPE_SOCKET_FILTER, src, (struct bk_map *const[]){ other, hits }, 2);
	run_opts.data_in = pkt;
	run_opts.data_size_in = sizeof(pkt);
	cr_assert_eq(bk_prog_test_run(p, &run_opts), 0);
	cr_assert_eq(bk_map_lookup(hits, &k, 4, &v, 8, 0), 0);
	cr_assert_eq(v, 5, "5 runs counted, got %llu", (unsigned long long)v);
	cr_assert_eq(bk_prog_info(p, &info), 0);
	cr_assert_eq(info.nr_map_ids, 1);
	cr_assert_eq(info.map_ids[0], bk_map_id(hits));
	bk_prog_close(p);
	bk_map_close(hits);
	bk_map_close(other);
}

Test(obj_prog_text, text_maps_resolve_through_the_callers_resolver_too)
{
	struct bk_map *m;
	struct bk_prog *p;
	struct bk_diag d = { 0 };
	const char *src = "r1 = map[elsewhere] ll\nr0 = 3\nexit\n";

	BK_REQUIRE_KERNEL();
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "m", 4, 8, 1, NULL);
	cr_assert_not_null(m);
	p = bk_prog_load_text(BK_PROG_TYPE_SOCKET_FILTER, src, strlen(src),
			      BK_OPTS(bk_prog_opts, .map_fd = (bk_asm_map_fn)NULL, .diag = &d,
				      .file = "x.s", .maps = (struct bk_map *const[]){ m }, .nmaps = 1));
	cr_assert_null(p);
	cr_assert_eq(d.line, 1);
	cr_assert(strstr(d.msg, "elsewhere"), "%s", d.msg);
	bk_map_close(m);
}

Test(obj_prog_text, verifier_complaint_points_at_the_source_line)
{
	const char *src = "r0 = 0\n"
			  "# the next line reads a register nobody wrote\n"
			  "    r0 = r2\n"
			  "exit\n";
	struct bk_vlog log = { 0 };
	struct bk_diag d = { 0 };
	char line[300];
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	p = bk_prog_load_text(BK_PROG_TYPE_SOCKET_FILTER, src, strlen(src),
			      BK_OPTS(bk_prog_opts, .diag = &d, .log = &log, .file = "bad.s"));
	cr_assert_null(p);
	cr_assert_eq(errno, EACCES);
	cr_assert_eq(d.err, -EACCES);
	cr_assert_eq(d.index, 1);
	cr_assert_eq(d.line, 3);
	cr_assert_eq(d.col, 5);
	cr_assert_str_eq(d.file, "bad.s");
	cr_assert(strstr(d.msg, "R2 !read_ok"), "%s", d.msg);
	cr_assert_str_eq(bk_diag_format(&d, line, sizeof(line)), "bad.s:3:5: verifier: R2 !read_ok");
	cr_assert_not_null(log.text);
	cr_assert(strstr(log.text, "processed"), "the whole log is kept: %s", log.text);
	bk_vlog_free(&log);
}

Test(obj_prog_text, tail_call_through_a_prog_array)
{
	const char *caller = "r2 = map[jmp] ll\n"
			     "r3 = 0\n"
			     "call bpf_tail_call\n"
			     "r0 = 1\n"
			     "exit\n";
	struct bk_map *jmp;
	struct bk_prog *a, *b;
	uint32_t k = 0;

	BK_REQUIRE_KERNEL();
	jmp = bk_map_create(BK_MAP_TYPE_PROG_ARRAY, "jmp", 4, 4, 4, NULL);
	cr_assert_not_null(jmp);
	a = load_text(BK_PROG_TYPE_SOCKET_FILTER, caller, &jmp, 1);
	b = load_text(BK_PROG_TYPE_SOCKET_FILTER, "r0 = 7\nexit\n", NULL, 0);
	cr_assert_eq(run(a), 1, "empty slot: the tail call falls through");
	cr_assert_eq(bk_map_set_prog(jmp, 0, bk_prog_fd(b)), 0, "%s", strerror(errno));
	cr_assert_eq(run(a), 7, "the callee's return value is the caller's");
	cr_assert_eq(bk_map_delete(jmp, &k, 4), 0);
	cr_assert_eq(run(a), 1);
	bk_prog_close(b);
	bk_prog_close(a);
	bk_map_close(jmp);
}

Test(obj_prog_text, bpf_to_bpf_calls)
{
	const char *src = "r1 = 5\n"
			  "call triple\n" /* LLVM: a function by name */
			  "r0 += 1\n"
			  "exit\n"
			  "triple:\n"
			  "r0 = r1\n"
			  "r0 += r1\n"
			  "r0 += r1\n"
			  "exit\n";
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	p = load_text(BK_PROG_TYPE_SOCKET_FILTER, src, NULL, 0);
	cr_assert_eq(run(p), 16);
	bk_prog_close(p);
}
