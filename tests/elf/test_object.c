// SPDX-License-Identifier: MIT
/*
 * Opening objects (object.c, no kernel): programs sorted from functions,
 * with their sections, types, flags and instructions. Maps, externs and the
 * setters have their own files (test_object_maps.c, _ext.c, _api.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/object.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"

TestSuite(object, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object, programs_sections_and_types)
{
	struct bk_object *obj = bk_corpus_open("subprogs");
	struct bk_object_prog *xdp = bk_object_prog_by_name(obj, "xdp_sub");
	struct bk_object_prog *sock = bk_object_prog_by_name(obj, "sock_sub");
	size_t n;

	cr_assert_str_eq(bk_object_name(obj), "subprogs");
	cr_assert_eq(bk_object_prog_count(obj), 2, "subprograms of .text are not programs");
	cr_assert_not_null(xdp);
	cr_assert_not_null(sock);
	cr_assert_str_eq(bk_object_prog_section(xdp), "xdp");
	cr_assert_eq(bk_object_prog_type(xdp), BK_PROG_TYPE_XDP);
	cr_assert_eq(bk_object_prog_type(sock), BK_PROG_TYPE_SOCKET_FILTER);
	cr_assert(bk_object_prog_autoload(xdp));
	cr_assert_not_null(bk_object_prog_insns(xdp, &n));
	cr_assert_gt(n, 2);
	cr_assert_null(bk_object_prog_prog(xdp), "not loaded yet");
	cr_assert_null(bk_object_prog_by_name(obj, "no_such"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_object_prog_at(obj, 2));
	bk_object_close(obj);
}

Test(object, section_flags_and_expected_attach_types)
{
	struct bk_object *obj = bk_corpus_open("attach");

	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);

		if (!strcmp(bk_object_prog_section(p), "cgroup_skb/egress")) {
			cr_assert_eq(bk_object_prog_type(p), BK_PROG_TYPE_CGROUP_SKB);
			cr_assert_eq(bk_object_prog_expected_attach_type(p), BK_ATTACH_CGROUP_INET_EGRESS);
		}
		if (!strcmp(bk_object_prog_section(p), "cgroup/connect4"))
			cr_assert_eq(bk_object_prog_expected_attach_type(p), BK_ATTACH_CGROUP_INET4_CONNECT);
	}
	bk_object_close(obj);
	obj = bk_corpus_open("sections");
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);

		if (!strcmp(bk_object_prog_section(p), "xdp.frags"))
			cr_assert_eq(bk_object_prog_flags(p), BK_F_XDP_HAS_FRAGS);
	}
	bk_object_close(obj);
}

/* An object is read to EOF, so a pipe works (no size known in advance);
 * a device that never ends is refused once the first read fills up. */
Test(object, read_from_a_pipe_and_refuse_devices)
{
	char path[512], proc[64], buf[4096];
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	int p[2];
	FILE *f = fopen(bk_corpus_obj("minimal", path, sizeof(path)), "rb");
	size_t n, total = 0;

	cr_assert_not_null(f);
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		cr_assert_eq(write(p[1], buf, n), (ssize_t)n, "the object fits the pipe's buffer");
		total += n;
	}
	fclose(f);
	close(p[1]);
	cr_assert_gt(total, 1000);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", p[0]);
	obj = bk_object_open_file(proc, NULL);
	close(p[0]);
	cr_assert_not_null(obj, "%s", strerror(errno));
	cr_assert_eq(bk_object_prog_count(obj), 1);
	cr_assert_str_eq(bk_object_prog_name(bk_object_prog_at(obj, 0)), "xdp_count");
	bk_object_close(obj);

	cr_assert_null(bk_object_open_file("/dev/zero", BK_OPTS(bk_object_opts, .diag = &d)));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(d.msg, "/dev/zero: not a regular file"), "%s", d.msg);
}
