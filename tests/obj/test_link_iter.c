// SPDX-License-Identifier: MIT
/*
 * Iterator links against the running kernel: a task iterator printing
 * "tgid pid comm" for every task through bpf_seq_printf, read whole with
 * bk_link_iter_read() and parsed; narrowed to this process by opts.iter_pid;
 * read by hand through bk_link_iter_open(); bad narrowing refused.
 */
#include <dirent.h>
#include <stdlib.h>

#include <bpfkit/btf.h>

#include "test_link.h"

TestSuite(obj_link_iter, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define FMT "%d %d %s\n"

/* Byte offset of member name in struct id (top-level members only). */
static uint32_t member_offset(const struct bk_btf *btf, int id, const char *name)
{
	struct bk_btf_member m;

	for (uint32_t i = 0; bk_btf_member(btf, (uint32_t)id, i, &m) == 0; i++)
		if (strcmp(m.name, name) == 0)
			return m.bit_offset / 8;
	cr_assert_fail("task_struct has no member %s", name);
	return 0;
}

/* A frozen read-only map holding the format: what bpf_seq_printf insists on. */
static struct bk_map *format_map(void)
{
	struct bk_map_opts o = { .sz = sizeof(o), .map_flags = BK_F_RDONLY_PROG };
	struct bk_map *m = bk_map_create(BK_MAP_TYPE_ARRAY, "fmt", 4, 16, 1, &o);
	char value[16] = FMT;
	uint32_t key = 0;

	cr_assert_not_null(m, "%s", strerror(errno));
	cr_assert_eq(bk_map_update(m, &key, 4, value, sizeof(value), 0), 0);
	cr_assert_eq(bk_map_freeze(m), 0);
	return m;
}

/* text as a task iterator program, with map (named in the text) at hand. */
static struct bk_prog *task_iter_load(const char *text, struct bk_map *map)
{
	struct bk_btf *btf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bk_map *maps[1] = { map };
	struct bk_diag d = { 0 };
	struct bk_prog *p;
	char msg[300];
	int iter_id;

	cr_assert_not_null(btf);
	iter_id = bk_btf_find(btf, "bpf_iter_task", BK_BTF_KIND_FUNC);
	bk_btf_free(btf);
	cr_assert_gt(iter_id, 0);
	p = bk_prog_load_text(BK_PROG_TYPE_TRACING, text, strlen(text),
			      BK_OPTS(bk_prog_opts, .expected_attach_type = BK_ATTACH_TRACE_ITER,
				      .attach_btf_id = (uint32_t)iter_id, .maps = maps, .nmaps = 1,
				      .diag = &d));
	cr_assert_not_null(p, "load: %s\n%s", bk_diag_format(&d, msg, sizeof(msg)), text);
	return p;
}

/* The task iterator program: one "tgid pid comm" line per task. */
static struct bk_prog *task_printer(struct bk_map *fmt)
{
	struct bk_btf *btf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	char text[2048];
	int task;

	cr_assert_not_null(btf);
	task = bk_btf_find(btf, "task_struct", BK_BTF_KIND_STRUCT);
	cr_assert_gt(task, 0);
	snprintf(text, sizeof(text),
		 "r6 = *(u64 *)(r1 + 0)\n" /* ctx->meta */
		 "r7 = *(u64 *)(r1 + 8)\n" /* ctx->task, NULL at the end */
		 "if r7 == 0 goto out\n"
		 "r1 = *(u32 *)(r7 + %u)\n" /* tgid */
		 "*(u64 *)(r10 - 24) = r1\n"
		 "r1 = *(u32 *)(r7 + %u)\n" /* pid */
		 "*(u64 *)(r10 - 16) = r1\n"
		 "r1 = r7\n"
		 "r1 += %u\n" /* comm */
		 "*(u64 *)(r10 - 8) = r1\n"
		 "*(u32 *)(r10 - 28) = 0\n"
		 "r2 = r10\n"
		 "r2 += -28\n"
		 "r1 = map[fmt] ll\n"
		 "call bpf_map_lookup_elem\n"
		 "if r0 == 0 goto out\n"
		 "r1 = *(u64 *)(r6 + 0)\n" /* meta->seq */
		 "r2 = r0\n"
		 "r3 = %zu\n"
		 "r4 = r10\n"
		 "r4 += -24\n"
		 "r5 = 24\n"
		 "call bpf_seq_printf\n"
		 "out:\n"
		 "r0 = 0\n"
		 "exit\n",
		 member_offset(btf, task, "tgid"), member_offset(btf, task, "pid"),
		 member_offset(btf, task, "comm"), sizeof(FMT));
	bk_btf_free(btf);
	return task_iter_load(text, fmt);
}

static void own_comm(char comm[16])
{
	FILE *f = fopen("/proc/self/comm", "re");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(comm, 16, f));
	comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/* What the output says: lines, lines of this process, whether this
 * process's main thread appeared with comm, and lines of other processes. */
struct seen {
	int lines, own, others;
	bool main_with_comm;
};

static struct seen parse(char *text, const char *comm)
{
	struct seen s = { 0 };
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int tgid, pid, off = 0;

		cr_assert_eq(sscanf(line, "%d %d %n", &tgid, &pid, &off), 2, "line: %s", line);
		s.lines++;
		if (tgid != getpid()) {
			s.others++;
			continue;
		}
		s.own++;
		if (pid == getpid() && strcmp(line + off, comm) == 0)
			s.main_with_comm = true;
	}
	return s;
}

static int own_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

Test(obj_link_iter, task_iterator_lists_every_task)
{
	struct bk_info_link info;
	struct bk_map *fmt;
	struct bk_prog *prog;
	struct bk_link *link;
	char comm[16], *out = NULL;
	size_t len = 0;
	struct seen s;

	BK_REQUIRE_KERNEL();
	own_comm(comm);
	fmt = format_map();
	prog = task_printer(fmt);
	link = bk_link_iter(prog, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_ITER);
	cr_assert_eq(bk_link_info(link, &info), 0);
	cr_assert_eq(info.type, BK_LINK_TYPE_ITER);
	cr_assert_str_eq(info.name, "task");
	cr_assert_eq(bk_link_iter_read(link, &out, &len), 0, "%s", strerror(errno));
	cr_assert_eq(strlen(out), len, "NUL-terminated at len");
	s = parse(out, comm);
	cr_assert(s.main_with_comm, "pid %d (%s) is not in the list", getpid(), comm);
	cr_assert_eq(s.own, own_threads());
	cr_assert_gt(s.others, 1, "init and the rest of the machine are there too");
	free(out);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(fmt);
}

Test(obj_link_iter, task_iterator_narrowed_to_one_process)
{
	struct bk_link_opts o = { .sz = sizeof(o), .iter_pid = (uint32_t)getpid() };
	struct bk_map *fmt;
	struct bk_prog *prog;
	struct bk_link *link;
	char comm[16], *out = NULL;
	struct seen s;

	BK_REQUIRE_KERNEL();
	own_comm(comm);
	fmt = format_map();
	prog = task_printer(fmt);
	link = bk_link_iter(prog, &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_iter_read(link, &out, NULL), 0);
	s = parse(out, comm);
	cr_assert_eq(s.others, 0, "only this process: %s", out);
	cr_assert_eq(s.own, own_threads());
	cr_assert(s.main_with_comm);
	free(out);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(fmt);
}

Test(obj_link_iter, iter_open_gives_a_fresh_pass_each_time)
{
	struct bk_link_opts o = { .sz = sizeof(o), .iter_pid = (uint32_t)getpid() };
	struct bk_map *fmt;
	struct bk_prog *prog;
	struct bk_link *link;
	char buf[4096];
	ssize_t n1, n2;
	int fd;

	BK_REQUIRE_KERNEL();
	fmt = format_map();
	prog = task_printer(fmt);
	link = bk_link_iter(prog, &o);
	cr_assert_not_null(link, "%s", strerror(errno));
	fd = bk_link_iter_open(link);
	cr_assert_gt(fd, 2);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	n1 = read(fd, buf, sizeof(buf));
	cr_assert_gt(n1, 0);
	cr_assert_eq(read(fd, buf, sizeof(buf)), 0, "one pass, then the end");
	close(fd);
	fd = bk_link_iter_open(link);
	n2 = read(fd, buf, sizeof(buf));
	cr_assert_eq(n2, n1, "a new fd starts over");
	close(fd);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(fmt);
}

#define BLOB 512

/* Each task writes BLOB bytes of 'a': many pages in all, so the reader's
 * buffer must grow several times. */
Test(obj_link_iter, iter_read_grows_its_buffer)
{
	struct bk_map *blob;
	struct bk_prog *prog;
	struct bk_link *link;
	char value[BLOB], *out = NULL;
	uint32_t key = 0;
	size_t len = 0;

	BK_REQUIRE_KERNEL();
	memset(value, 'a', sizeof(value));
	blob = bk_map_create(BK_MAP_TYPE_ARRAY, "blob", 4, BLOB, 1, NULL);
	cr_assert_not_null(blob);
	cr_assert_eq(bk_map_update(blob, &key, 4, value, sizeof(value), 0), 0);
	prog = task_iter_load("r6 = *(u64 *)(r1 + 0)\n"
			      "r7 = *(u64 *)(r1 + 8)\n"
			      "if r7 == 0 goto out\n"
			      "*(u32 *)(r10 - 4) = 0\n"
			      "r2 = r10\n"
			      "r2 += -4\n"
			      "r1 = map[blob] ll\n"
			      "call bpf_map_lookup_elem\n"
			      "if r0 == 0 goto out\n"
			      "r1 = *(u64 *)(r6 + 0)\n"
			      "r2 = r0\n"
			      "r3 = 512\n"
			      "call bpf_seq_write\n"
			      "out:\n"
			      "r0 = 0\n"
			      "exit\n",
			      blob);
	link = bk_link_iter(prog, NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_iter_read(link, &out, &len), 0, "%s", strerror(errno));
	cr_assert_gt(len, 4 * 4096, "%zu bytes: a machine with under 32 tasks?", len);
	cr_assert_eq(len % BLOB, 0, "whole writes only: %zu", len);
	cr_assert_eq(strspn(out, "a"), len, "every byte as written, NUL after them");
	free(out);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(blob);
}

Test(obj_link_iter, bad_input)
{
	struct bk_link_opts both = { .sz = sizeof(both), .iter_pid = 1 };
	struct bk_map *fmt;
	struct bk_prog *prog, *xdp;
	struct bk_link *link;
	char *out = (char *)"untouched";

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	fmt = format_map();
	both.iter_map_fd = bk_map_fd(fmt);
	prog = task_printer(fmt);
	xdp = tl_load(BK_PROG_TYPE_XDP, BK_ATTACH_XDP, NULL, "r0 = 2\nexit\n");
	cr_assert_null(bk_link_iter(prog, &both));
	cr_assert_eq(errno, EINVAL, "a map and a task at once");
	cr_assert_null(bk_link_iter(NULL, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_iter(xdp, NULL));
	cr_assert_eq(errno, EINVAL, "not an iterator program");
	link = bk_link_xdp(xdp, (int)bk_test_ifindex("bkl1"), NULL);
	cr_assert_not_null(link);
	cr_assert_eq(bk_link_iter_read(link, &out, NULL), -EINVAL, "XDP links are no iterators");
	cr_assert_null(out);
	cr_assert_eq(bk_link_iter_open(NULL), -EINVAL);
	bk_link_close(link);
	bk_prog_close(prog);
	bk_prog_close(xdp);
	bk_map_close(fmt);
}
