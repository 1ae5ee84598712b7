// SPDX-License-Identifier: MIT
/* Programs as objects: loading (instructions, text with maps), verifier
 * complaints located in the source, test runs, introspection, tail calls,
 * bpf-to-bpf calls, opening by id/fd/pin. Against the running kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "../lib/bk_test.h"

TestSuite(obj_prog, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_prog *load_text(enum bk_prog_type type, const char *text,
				 struct bk_map *const *maps, size_t nmaps)
{
	struct bk_diag d = { 0 };
	struct bk_prog *p = bk_prog_load_text(type, text, strlen(text),
					      BK_OPTS(bk_prog_opts, .maps = maps, .nmaps = nmaps,
						      .diag = &d, .file = "t.s"));
	char buf[300];

	cr_assert_not_null(p, "load failed: %s", bk_diag_format(&d, buf, sizeof(buf)));
	return p;
}

static uint32_t run(const struct bk_prog *p)
{
	uint8_t pkt[64] = { 0 };
	uint32_t ret = 0xdeadbeef;

	cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0, "run: %s", strerror(errno));
	return ret;
}

Test(obj_prog, load_from_instructions_and_run)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 42), BK_EXIT() };
	struct bk_prog *p;
	int fdflags;

	BK_REQUIRE_KERNEL();
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2,
			 BK_OPTS(bk_prog_opts, .name = "answer_to_everything_long"));
	cr_assert_not_null(p, "%s", strerror(errno));
	cr_assert_gt(bk_prog_fd(p), 2);
	fdflags = fcntl(bk_prog_fd(p), F_GETFD);
	cr_assert(fdflags & FD_CLOEXEC);
	cr_assert_eq(bk_prog_type(p), BK_PROG_TYPE_SOCKET_FILTER);
	cr_assert_gt(bk_prog_id(p), 0);
	cr_assert_str_eq(bk_prog_name(p), "answer_to_every"); /* cut to 15 */
	cr_assert_neq(memcmp(bk_prog_tag(p), "\0\0\0\0\0\0\0\0", 8), 0);
	cr_assert_eq(run(p), 42);
	bk_prog_close(p);
	bk_prog_close(NULL);
}

Test(obj_prog, text_program_counts_in_a_map_named_in_the_text)
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

Test(obj_prog, text_maps_resolve_through_the_callers_resolver_too)
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

Test(obj_prog, verifier_complaint_points_at_the_source_line)
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

Test(obj_prog, instruction_program_complaint_names_the_index)
{
	/* A packet read without a bounds check: the verifier objects to insn 2. */
	const struct bk_insn insns[] = {
		BK_LDX_MEM(BK_W, BK_R2, BK_R1, 0),
		BK_MOV64_IMM(BK_R0, 0),
		BK_LDX_MEM(BK_B, BK_R0, BK_R2, 0),
		BK_EXIT(),
	};
	struct bk_diag d = { 0 };
	char line[300];

	BK_REQUIRE_KERNEL();
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 4, BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EACCES);
	cr_assert_eq(d.index, 2);
	cr_assert(strstr(d.msg, "invalid access to packet"), "%s", d.msg);
	cr_assert_eq(strncmp(bk_diag_format(&d, line, sizeof(line)), "insn 2: verifier: ", 18), 0,
		     "%s", line);
}

Test(obj_prog, malformed_encoding_is_caught_before_the_kernel)
{
	struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_diag d = { 0 };

	insns[0].dst_reg = 11;
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 2, BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.index, 0);
	cr_assert(strstr(d.msg, "r11") || strstr(d.msg, "register"), "%s", d.msg);
	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, NULL, 0, NULL));
	cr_assert_eq(errno, EINVAL);
}

Test(obj_prog, options_of_an_unknown_newer_size_are_refused)
{
	struct {
		struct bk_prog_opts o;
		uint64_t future;
	} big = { .o.sz = sizeof(big), .future = 1 };
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };

	cr_assert_null(bk_prog_load(BK_PROG_TYPE_XDP, insns, 2, &big.o));
	cr_assert_eq(errno, EINVAL);
}

Test(obj_prog, refusal_without_a_log_still_explains_itself)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_diag d = { 0 };

	BK_REQUIRE_KERNEL();
	/* No such program type: the kernel refuses before verifying. */
	cr_assert_null(bk_prog_load((enum bk_prog_type)999, insns, 2,
				    BK_OPTS(bk_prog_opts, .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(d.err, -EINVAL);
	cr_assert_gt(strlen(d.msg), 10, "%s", d.msg);
}

Test(obj_prog, test_run_rewrites_packet_data)
{
	/* XDP: bounds check, then pkt[0] ^= 0xff, return XDP_TX (3). */
	const char *src = "r2 = *(u32 *)(r1 + 0)\n"
			  "r3 = *(u32 *)(r1 + 4)\n"
			  "r4 = r2\n"
			  "r4 += 1\n"
			  "r0 = 0\n"
			  "if r4 > r3 goto out\n"
			  "r5 = *(u8 *)(r2 + 0)\n"
			  "r5 ^= 255\n"
			  "*(u8 *)(r2 + 0) = r5\n"
			  "r0 = 3\n"
			  "out:\n"
			  "exit\n";
	uint8_t in[64], out[128];
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = in, .data_size_in = sizeof(in),
				      .data_out = out, .data_size_out = sizeof(out), .repeat = 3 };
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	p = load_text(BK_PROG_TYPE_XDP, src, NULL, 0);
	cr_assert_eq(bk_prog_test_run(p, &o), 0, "%s", strerror(errno));
	cr_assert_eq(o.retval, 3);
	cr_assert_eq(o.data_size_out, sizeof(in));
	cr_assert_eq(out[0], 0xff);
	cr_assert_eq(memcmp(out + 1, in + 1, sizeof(in) - 1), 0);
	bk_prog_close(p);
}

Test(obj_prog, test_run_passes_context_in_and_out)
{
	/* skb->mark (offset 8 of struct __sk_buff) in; the program returns mark + 1. */
	const char *src = "r0 = *(u32 *)(r1 + 8)\nr0 += 1\nexit\n";
	uint8_t pkt[64] = { 0 };
	uint32_t ctx[48] = { 0 }, ctx_out[48] = { 0 };
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = pkt, .data_size_in = sizeof(pkt),
				      .ctx_in = ctx, .ctx_size_in = sizeof(ctx), .ctx_out = ctx_out,
				      .ctx_size_out = sizeof(ctx_out) };
	struct bk_prog *p;

	BK_REQUIRE_KERNEL();
	ctx[2] = 41; /* mark */
	p = load_text(BK_PROG_TYPE_SCHED_CLS, src, NULL, 0);
	cr_assert_eq(bk_prog_test_run(p, &o), 0, "%s", strerror(errno));
	cr_assert_eq(o.retval, 42);
	cr_assert_gt(o.ctx_size_out, 12);
	cr_assert_eq(ctx_out[2], 41, "the context comes back out");
	bk_prog_close(p);
}

static void collect(void *ctx, const char *text, size_t len)
{
	char **acc = ctx;
	size_t old = *acc ? strlen(*acc) : 0;
	char *n = realloc(*acc, old + len + 1);

	cr_assert_not_null(n);
	memcpy(n + old, text, len);
	n[old + len] = '\0';
	*acc = n;
}

Test(obj_prog, info_xlated_dump_and_run_stats)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 7), BK_ALU64_IMM(BK_ADD, BK_R0, 5),
					 BK_EXIT() };
	struct bk_info_prog info;
	struct bk_insn *x = NULL;
	size_t n = 0;
	char *text = NULL;
	struct bk_prog *p;
	int stats;

	BK_REQUIRE_KERNEL();
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 3, BK_OPTS(bk_prog_opts, .name = "seven"));
	cr_assert_not_null(p);
	cr_assert_eq(bk_prog_xlated(p, &x, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(x, insns, sizeof(insns)), 0, "nothing for the verifier to rewrite");
	free(x);
	cr_assert_eq(bk_prog_dump_xlated(p, NULL, collect, &text), 0);
	cr_assert_str_eq(text, "   0: r0 = 7\n   1: r0 += 5\n   2: exit\n");
	free(text);

	stats = bk_prog_enable_stats();
	cr_assert_geq(stats, 0, "%s", strerror(errno));
	cr_assert(fcntl(stats, F_GETFD) & FD_CLOEXEC);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(run(p), 12);
	cr_assert_eq(bk_prog_info(p, &info), 0);
	close(stats);
	cr_assert_eq(info.id, bk_prog_id(p));
	cr_assert_str_eq(info.name, "seven");
	cr_assert_eq(memcmp(info.tag, bk_prog_tag(p), 8), 0);
	cr_assert_eq(info.xlated_len, 3 * sizeof(struct bk_insn));
	cr_assert_gt(info.jited_len, 0);
	cr_assert_eq(info.run_cnt, 4);
	cr_assert_gt(info.run_time_ns, 0);
	bk_prog_close(p);
}

Test(obj_prog, tail_call_through_a_prog_array)
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

Test(obj_prog, bpf_to_bpf_calls)
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

Test(obj_prog, open_by_id_fd_and_pin)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 9), BK_EXIT() };
	char dir[64], path[128];
	struct bk_prog *p, *q;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	p = bk_prog_load(BK_PROG_TYPE_SOCKET_FILTER, insns, 2, BK_OPTS(bk_prog_opts, .name = "nine"));
	cr_assert_not_null(p);

	q = bk_prog_from_id(bk_prog_id(p));
	cr_assert_not_null(q);
	cr_assert_neq(bk_prog_fd(q), bk_prog_fd(p));
	cr_assert_str_eq(bk_prog_name(q), "nine");
	cr_assert_eq(run(q), 9);
	bk_prog_close(q);

	q = bk_prog_from_fd(bk_prog_fd(p));
	cr_assert_not_null(q);
	cr_assert_eq(bk_prog_id(q), bk_prog_id(p));
	cr_assert_eq(memcmp(bk_prog_tag(q), bk_prog_tag(p), 8), 0);
	bk_prog_close(q);

	snprintf(path, sizeof(path), "%s/nine", dir);
	cr_assert_eq(bk_prog_pin(p, path), 0);
	cr_assert_eq(bk_prog_pin(p, path), -EEXIST);
	bk_prog_close(p);
	q = bk_prog_open_pinned(path);
	cr_assert_not_null(q, "the pin keeps the program: %s", strerror(errno));
	cr_assert_eq(run(q), 9);
	bk_prog_close(q);

	m = bk_map_create(BK_MAP_TYPE_ARRAY, "m", 4, 4, 1, NULL);
	cr_assert_null(bk_prog_from_fd(bk_map_fd(m)), "a map fd is not a program");
	cr_assert_eq(errno, EINVAL);
	bk_map_close(m);
	cr_assert_null(bk_prog_from_fd(-1));
	cr_assert_eq(errno, EBADF);
	cr_assert_null(bk_prog_from_id(0xfffffff0u));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_prog_open_pinned("/nonexistent/pin"));
	unlink(path);
	rmdir(dir);
}
