// SPDX-License-Identifier: MIT
/*
 * Enumeration and info, against objects bpftool creates in a private bpffs
 * (the test process's own mount namespace, so pins never leak), compared
 * with what bpftool itself reports about them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/info.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "../cli/json_mini.h"

TestSuite(info, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static char fs[256];

static void setup_fs(void)
{
	BK_REQUIRE_KERNEL();
	BK_REQUIRE_TOOL("bpftool");
	cr_assert_eq(bk_test_bpffs(fs, sizeof(fs)), 0, "private bpffs");
}

/* Run a command; fail the test unless it exits 0. Returns its JSON output. */
static struct jm *run_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct jm *run_json(const char *fmt, ...)
{
	char cmd[1024], *out = NULL;
	struct jm *doc;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s failed: %s", cmd, out ? out : "");
	doc = jm_parse(out);
	cr_assert_not_null(doc, "%s: not JSON: %s", cmd, out);
	free(out);
	return doc;
}

static double num(const struct jm *o, const char *key)
{
	const struct jm *v = jm_get(o, key);

	cr_assert(v && v->type == JM_NUM, "no number %s", key);
	return v->num;
}

/* ---- enumeration ---------------------------------------------------------- */

struct find {
	uint32_t want;
	int seen, found;
	uint32_t last;
	bool ordered;
};

static int find_visit(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	struct find *f = ctx;

	(void)kind;
	cr_assert_geq(fd, 0);
	f->ordered &= id > f->last;
	f->last = id;
	f->seen++;
	if (id == f->want)
		f->found++;
	return 0;
}

static int stop_visit(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	(void)kind, (void)id, (void)fd;
	++*(int *)ctx;
	return 7;
}

Test(info, foreach_visits_each_object_once_in_order)
{
	struct jm *m;
	struct find f = { .ordered = true };
	int calls = 0;

	setup_fs();
	m = run_json("bpftool map create %s/a type array key 4 value 4 entries 1 name bkinfo_a "
		     ">/dev/null && bpftool -j map show pinned %s/a", fs, fs);
	f.want = (uint32_t)num(m, "id");
	cr_assert_eq(bk_info_foreach(BK_OBJ_MAP, find_visit, &f), 0);
	cr_assert_eq(f.found, 1);
	cr_assert(f.ordered, "ids must increase");
	cr_assert_eq(bk_info_foreach(BK_OBJ_MAP, stop_visit, &calls), 7, "callback's value");
	cr_assert_eq(calls, 1, "stopped after the first");
	jm_free(m);
}

Test(info, next_id_and_fd_by_id_errors)
{
	uint32_t next;

	BK_REQUIRE_KERNEL();
	/* ids are positive ints: none follows INT32_MAX - 1 */
	cr_assert_eq(bk_info_next_id(BK_OBJ_MAP, INT32_MAX - 1, &next), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_info_fd_by_id(BK_OBJ_PROG, UINT32_MAX - 1), -ENOENT);
	cr_assert_eq(bk_info_fd_by_id((enum bk_obj_kind)9, 1), -EINVAL);
	cr_assert_eq(bk_info_next_id((enum bk_obj_kind)9, 0, &next), -EINVAL);
}

/* ---- maps ------------------------------------------------------------------ */

Test(info, map_info_matches_bpftool)
{
	struct jm *m;
	struct bk_info_map info;
	int fd;

	setup_fs();
	m = run_json("bpftool map create %s/h type hash key 4 value 8 entries 16 name bkinfo_h "
		     "flags 1 >/dev/null && bpftool map freeze pinned %s/h && "
		     "bpftool -j map show pinned %s/h", fs, fs, fs);
	fd = bk_info_fd_by_id(BK_OBJ_MAP, (uint32_t)num(m, "id"));
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_info_map(fd, &info), 0);
	cr_assert_eq(info.id, num(m, "id"));
	cr_assert_eq(info.type, 1, "hash");
	cr_assert_str_eq(info.name, jm_get(m, "name")->str);
	cr_assert_eq(info.key_size, num(m, "bytes_key"));
	cr_assert_eq(info.value_size, num(m, "bytes_value"));
	cr_assert_eq(info.max_entries, num(m, "max_entries"));
	cr_assert_eq(info.map_flags, num(m, "flags"));
	cr_assert_eq(info.memlock, num(m, "bytes_memlock"));
	cr_assert_eq(info.frozen, num(m, "frozen"));
	cr_assert(info.frozen, "bpftool froze it");
	close(fd);
	jm_free(m);
}

Test(info, info_of_the_wrong_kind_fails)
{
	struct jm *m;
	struct bk_info_prog p;
	int fd;

	setup_fs();
	m = run_json("bpftool map create %s/w type array key 4 value 4 entries 1 name bkinfo_w "
		     ">/dev/null && bpftool -j map show pinned %s/w", fs, fs);
	fd = bk_info_fd_by_id(BK_OBJ_MAP, (uint32_t)num(m, "id"));
	cr_assert_geq(fd, 0);
	/* The kernel would happily fill a prog info struct from a map. */
	cr_assert_eq(bk_info_prog(fd, &p), -EINVAL);
	cr_assert_eq(bk_info_link(fd, &(struct bk_info_link){ 0 }), -EINVAL);
	cr_assert_eq(bk_info_btf(fd, &(struct bk_info_btf){ 0 }), -EINVAL);
	close(fd);
	cr_assert_eq(bk_info_prog(-1, &p), -EBADF);
	jm_free(m);
}

/* ---- programs ----------------------------------------------------------------- */

static void load_xdp(void)
{
	char cmd[2048], *out = NULL;

	BK_REQUIRE_TOOL("clang-19");
	snprintf(cmd, sizeof(cmd),
		 "clang-19 -target bpf -g -O2 -c %s/tests/data/obj/info_xdp.bpf.c -o /tmp/bk-$$.o && "
		 "bpftool prog load /tmp/bk-$$.o %s/prog 2>&1; r=$?; rm -f /tmp/bk-$$.o; exit $r",
		 bk_test_srcdir(), fs);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s: %s", cmd, out);
	free(out);
}

Test(info, prog_info_matches_bpftool)
{
	struct jm *p;
	struct bk_info_prog info;
	char tag[17];
	int fd;

	setup_fs();
	load_xdp();
	p = run_json("bpftool -j prog show pinned %s/prog", fs);
	fd = bk_info_fd_by_id(BK_OBJ_PROG, (uint32_t)num(p, "id"));
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_info_prog(fd, &info), 0);
	cr_assert_eq(info.type, 6, "xdp");
	cr_assert_str_eq(info.name, jm_get(p, "name")->str);
	for (int i = 0; i < 8; i++)
		snprintf(tag + 2 * i, 3, "%02x", info.tag[i]);
	cr_assert_str_eq(tag, jm_get(p, "tag")->str);
	cr_assert_eq(info.gpl_compatible, jm_get(p, "gpl_compatible")->b);
	cr_assert_eq(info.xlated_len, num(p, "bytes_xlated"));
	cr_assert_eq(info.jited_len, jm_get(p, "jited")->b ? num(p, "bytes_jited") : 0);
	cr_assert_eq(info.memlock, num(p, "bytes_memlock"));
	cr_assert_eq(info.btf_id, num(p, "btf_id"));
	cr_assert_eq(info.created_by_uid, num(p, "uid"));
	cr_assert_eq(info.nr_map_ids, (uint32_t)jm_get(p, "map_ids")->n);
	cr_assert_eq(info.map_ids[0], jm_get(p, "map_ids")->kids[0]->num);
	cr_assert_neq(info.load_time, 0);
	close(fd);
	jm_free(p);
}

Test(info, xlated_instructions_match_bpftool)
{
	struct jm *p, *d;
	struct bk_info_prog info;
	struct bk_insn *insns;
	uint32_t count = 0, i = 0;
	int fd;

	setup_fs();
	load_xdp();
	p = run_json("bpftool -j prog show pinned %s/prog", fs);
	d = run_json("bpftool -j prog dump xlated pinned %s/prog opcodes", fs);
	fd = bk_info_fd_by_id(BK_OBJ_PROG, (uint32_t)num(p, "id"));
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_info_prog(fd, &info), 0);
	cr_assert_eq(bk_info_prog_xlated(fd, NULL, 0, &count), 0);
	cr_assert_eq(count, info.xlated_len / 8);
	insns = calloc(count, sizeof(*insns));
	cr_assert_eq(bk_info_prog_xlated(fd, insns, count, &count), 0);
	/* bpftool prints one entry per logical instruction (ld_imm64 is two slots). */
	for (int e = 0; e < d->n; e++) {
		const struct jm *code = jm_get(jm_get(d->kids[e], "opcodes"), "code");

		cr_assert_lt(i, count);
		cr_assert_eq(strtoul(code->str, NULL, 16), insns[i].code, "insn %u", i);
		i += insns[i].code == (BK_LD | BK_DW | BK_IMM) ? 2 : 1;
	}
	cr_assert_eq(i, count, "every instruction accounted for");
	/* A short buffer gets the first instructions and the full count. */
	cr_assert_eq(bk_info_prog_xlated(fd, insns, 1, &count), 0);
	cr_assert_eq(count, info.xlated_len / 8);
	free(insns);
	close(fd);
	jm_free(p);
	jm_free(d);
}

/* ---- BTF objects ----------------------------------------------------------------- */

static int find_vmlinux(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	struct bk_info_btf *out = ctx;
	struct bk_info_btf b;

	(void)kind, (void)id;
	cr_assert_eq(bk_info_btf(fd, &b), 0);
	if (b.kernel && !strcmp(b.name, "vmlinux")) {
		*out = b;
		return 1;
	}
	return 0;
}

Test(info, vmlinux_btf_object)
{
	struct bk_info_btf b = { 0 };
	struct stat st;

	BK_REQUIRE_KERNEL();
	if (stat("/sys/kernel/btf/vmlinux", &st))
		BK_SKIP_OR_FAIL("no vmlinux BTF");
	cr_assert_eq(bk_info_foreach(BK_OBJ_BTF, find_vmlinux, &b), 1, "vmlinux BTF listed");
	cr_assert_eq(b.size, (uint32_t)st.st_size);
}

Test(info, btf_data_is_the_sysfs_file)
{
	uint32_t len = 0;
	uint8_t *buf, *file;
	size_t flen;
	FILE *f;
	int fd;

	BK_REQUIRE_KERNEL();
	f = fopen("/sys/kernel/btf/vmlinux", "rb");
	if (!f)
		BK_SKIP_OR_FAIL("no vmlinux BTF");
	fd = bk_info_fd_by_id(BK_OBJ_BTF, 1); /* vmlinux is the first BTF object */
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_info_btf_data(fd, NULL, 0, &len), 0);
	cr_assert_gt(len, 0);
	buf = malloc(len);
	file = malloc(len + 1);
	flen = fread(file, 1, len + 1, f);
	fclose(f);
	cr_assert_eq(flen, len);
	cr_assert_eq(bk_info_btf_data(fd, buf, len - 1, &len), 0, "too small: size only");
	cr_assert_eq(len, flen);
	cr_assert_eq(bk_info_btf_data(fd, buf, len, &len), 0);
	cr_assert_eq(memcmp(buf, file, len), 0, "the same bytes as sysfs");
	free(buf);
	free(file);
	close(fd);
}

/* ---- links --------------------------------------------------------------------------- */

Test(info, raw_tracepoint_link_matches_bpftool)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_info_link l;
	struct bk_info_prog p;
	struct find f = { .ordered = true };
	char path[300];
	struct jm *j;
	int prog, link;

	setup_fs();
	prog = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_RAW_TRACEPOINT,
					.insns = insns, .insn_cnt = 2));
	cr_assert_geq(prog, 0);
	link = bk_sys_raw_tracepoint_open("sys_enter", prog, 0);
	cr_assert_geq(link, 0);
	snprintf(path, sizeof(path), "%s/link", fs);
	cr_assert_eq(bk_sys_obj_pin(link, path, NULL), 0);
	cr_assert_eq(bk_info_link(link, &l), 0);
	cr_assert_eq(bk_info_prog(prog, &p), 0);
	j = run_json("bpftool -j link show pinned %s", path);
	cr_assert_eq(l.id, num(j, "id"));
	cr_assert_eq(l.type, 1, "raw_tracepoint");
	cr_assert_eq(l.prog_id, p.id);
	cr_assert_eq(l.prog_id, num(j, "prog_id"));
	cr_assert_str_eq(l.name, jm_get(j, "tp_name")->str);
	cr_assert_str_eq(l.name, "sys_enter");
	f.want = l.id;
	cr_assert_eq(bk_info_foreach(BK_OBJ_LINK, find_visit, &f), 0);
	cr_assert_eq(f.found, 1);
	/* a link fd is not a program, and the reverse */
	cr_assert_eq(bk_info_prog(link, &p), -EINVAL);
	cr_assert_eq(bk_info_link(prog, &l), -EINVAL);
	close(link);
	close(prog);
	jm_free(j);
}
