// SPDX-License-Identifier: MIT
/* The C dump: the kernel's vmlinux.h compiled by clang-19 (for BPF, and for
 * the host to check the sizeof of every uniquely named struct, union and
 * enum against BTF), every named type bpftool's vmlinux.h defines defined in
 * ours, one type with its dependencies, layouts that need packing, padding
 * and sized enums, and malformed BTF refused instead of looping. */
#include <errno.h>

#include "../lib/bk_test.h"
#include "btf_test.h"

#define CLANG "clang-19"

static void dump_to(const struct bk_btf *btf, const char *path, uint32_t root)
{
	struct bk_btf_dump_c_opts o = { .sz = sizeof(o), .root_id = root };
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	cr_assert_eq(bk_btf_dump_c(btf, f, &o), 0, "%s", strerror(errno));
	cr_assert_eq(fclose(f), 0);
}

static void compile(const char *dir, const char *file, const char *flags)
{
	char cmd[512], *out = NULL;
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && " CLANG " %s -fsyntax-only %s 2>&1", dir, flags, file);
	st = bk_test_run(cmd, &out);
	cr_assert_eq(st, 0, "%s:\n%.2000s", cmd, out);
	free(out);
}

/* For each STRUCT, UNION, ENUM and ENUM64 whose name no other of those
 * kinds shares (shared names get ___N suffixes), assert its size. */
static int write_size_checks(const struct bk_btf *btf, const char *path)
{
	uint32_t n = bk_btf_type_count(btf);
	FILE *f = fopen(path, "w");
	int count = 0;

	cr_assert_not_null(f);
	fprintf(f, "#include \"vmlinux.h\"\n");
	for (uint32_t id = 1; id <= n; id++) {
		struct bk_btf_type t, u;
		const char *tag;
		bool unique = true;

		bk_btf_type_by_id(btf, id, &t);
		tag = t.kind == BK_BTF_KIND_STRUCT ? "struct" : t.kind == BK_BTF_KIND_UNION ? "union"
		      : t.kind == BK_BTF_KIND_ENUM || t.kind == BK_BTF_KIND_ENUM64	   ? "enum"
											   : NULL;
		if (!tag || !t.name[0] || (t.kind != BK_BTF_KIND_STRUCT && t.kind != BK_BTF_KIND_UNION &&
					   !t.vlen))
			continue;
		for (uint32_t o = 1; o <= n && unique; o++) {
			bk_btf_type_by_id(btf, o, &u);
			unique = o == id || !(u.kind == BK_BTF_KIND_STRUCT || u.kind == BK_BTF_KIND_UNION ||
					      u.kind == BK_BTF_KIND_ENUM || u.kind == BK_BTF_KIND_ENUM64) ||
				 strcmp(u.name, t.name) != 0;
		}
		if (!unique)
			continue;
		fprintf(f, "_Static_assert(sizeof(%s %s) == %u, \"%s\");\n", tag, t.name,
			t.size_or_type, t.name);
		count++;
	}
	fclose(f);
	return count;
}

Test(btf_dump_c, vmlinux_compiles_with_every_size_right, .timeout = 300)
{
	struct bk_btf *btf = bk_btf_load_file(VMLINUX, NULL);
	char dir[64], path[96];
	int checks;

	BK_REQUIRE_TOOL(CLANG);
	if (!btf)
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	btf_test_mkdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/vmlinux.h", dir);
	dump_to(btf, path, 0);
	compile(dir, "vmlinux.h", "-target bpf -I/usr/include/x86_64-linux-gnu");
	snprintf(path, sizeof(path), "%s/sizes.c", dir);
	checks = write_size_checks(btf, path);
	cr_assert_gt(checks, 1000, "only %d types checked", checks);
	/* The host's ABI is the kernel's (va_list has its real size there). */
	compile(dir, "sizes.c", "-DBPF_NO_PRESERVE_ACCESS_INDEX");
	btf_test_rmdir(dir);
	bk_btf_free(btf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Top-level definitions of a vmlinux.h: "struct x {", "typedef ...;", the
 * "} name;" closing a typedef of an anonymous type. Sorted. */
static size_t definitions(char *text, char ***out)
{
	size_t n = 0, cap = 1024;
	char **v = malloc(cap * sizeof(*v)), *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool def = (!strncmp(line, "struct ", 7) || !strncmp(line, "union ", 6) ||
			    !strncmp(line, "enum ", 5)) && line[strlen(line) - 1] == '{';

		def = def || !strncmp(line, "typedef ", 8) ||
		      (!strncmp(line, "} ", 2) && strncmp(line, "} __attribute__", 15));
		if (!def)
			continue;
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = line;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

Test(btf_dump_c, defines_every_type_bpftools_vmlinux_h_defines)
{
	struct bk_btf *btf = bk_btf_load_file(VMLINUX, NULL);
	char *theirs = NULL, *mine = NULL, **tv, **mv;
	size_t len = 0, nt, nm, missing = 0;
	FILE *f;

	BK_REQUIRE_TOOL("bpftool");
	if (!btf)
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	cr_assert_eq(bk_test_run("bpftool btf dump file " VMLINUX " format c", &theirs), 0);
	f = open_memstream(&mine, &len);
	cr_assert_eq(bk_btf_dump_c(btf, f, NULL), 0);
	fclose(f);
	nt = definitions(theirs, &tv);
	nm = definitions(mine, &mv);
	cr_assert_gt(nt, 10000, "bpftool defined only %zu types", nt);
	for (size_t i = 0; i < nt; i++) {
		if (!bsearch(&tv[i], mv, nm, sizeof(*mv), cmp_str)) {
			if (missing++ < 5)
				cr_log_error("not in ours: %s", tv[i]);
		}
	}
	cr_assert_eq(missing, 0, "%zu of bpftool's %zu definitions missing", missing, nt);
	free(tv);
	free(mv);
	free(theirs);
	free(mine);
	bk_btf_free(btf);
}

Test(btf_dump_c, one_type_with_its_dependencies_compiles_alone)
{
	struct bk_btf *btf = bk_btf_load_file(VMLINUX, NULL);
	char dir[64], path[96], *text = NULL;
	size_t len = 0;
	int id;
	FILE *f;

	BK_REQUIRE_TOOL(CLANG);
	if (!btf)
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	id = bk_btf_find(btf, "bpf_prog_info", BK_BTF_KIND_STRUCT);
	cr_assert_gt(id, 0);
	btf_test_mkdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/one.h", dir);
	dump_to(btf, path, (uint32_t)id);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	text = calloc(1, 1 << 20);
	len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	cr_assert(len > 0 && len < 100000, "a few types, not the kernel: %zu bytes", len);
	cr_assert(strstr(text, "\nstruct bpf_prog_info {\n"));
	cr_assert(strstr(text, "typedef unsigned int __u32;")); /* a dependency */
	cr_assert_null(strstr(text, "struct task_struct {"));
	snprintf(path, sizeof(path), "%s/one.c", dir);
	f = fopen(path, "w");
	fprintf(f, "#include \"one.h\"\n_Static_assert(sizeof(struct bpf_prog_info) == %u, \"\");\n",
		(unsigned)({
			struct bk_btf_type t;
			bk_btf_type_by_id(btf, (uint32_t)id, &t);
			t.size_or_type;
		}));
	fclose(f);
	compile(dir, "one.c", "-DBPF_NO_PRESERVE_ACCESS_INDEX");
	btf_test_rmdir(dir);
	free(text);
	bk_btf_free(btf);
}

/* Layouts C only gets right with help: a member off its natural alignment
 * (packed), a gap before a member (padding), bitfields across a gap, a
 * one-byte enum, a struct that refers to itself, an anonymous union inline,
 * a function pointer and an array of pointers. */
Test(btf_dump_c, layouts_that_need_attributes_and_padding)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	struct bk_btf *btf;
	int i32, u8, u64, e, node, pnode, packed, gaps, au, proto, fp, arr;
	char dir[64], path[96];
	FILE *f;

	BK_REQUIRE_TOOL(CLANG);
	i32 = bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	u8 = bk_btf_add_int(b, "unsigned char", 1, 0);
	u64 = bk_btf_add_int(b, "long long unsigned int", 8, 0);
	e = bk_btf_add_enum(b, "small", 1, false);
	bk_btf_add_enumerator(b, "SMALL_A", 1);
	pnode = bk_btf_add_ptr(b, (uint32_t)e + 2); /* forward reference to "node" */
	node = bk_btf_add_struct(b, "node", 16);
	cr_assert_eq(node, e + 2);
	cr_assert_eq(bk_btf_add_member(b, "next", (uint32_t)pnode, 0, 0), 0);
	cr_assert_eq(bk_btf_add_member(b, "val", (uint32_t)i32, 64, 0), 0);
	packed = bk_btf_add_struct(b, "packed_one", 5);
	bk_btf_add_member(b, "c", (uint32_t)u8, 0, 0);
	bk_btf_add_member(b, "i", (uint32_t)i32, 8, 0);
	au = bk_btf_add_union(b, NULL, 8);
	bk_btf_add_member(b, "as_u64", (uint32_t)u64, 0, 0);
	bk_btf_add_member(b, "as_int", (uint32_t)i32, 0, 0);
	proto = bk_btf_add_func_proto(b, (uint32_t)i32);
	bk_btf_add_param(b, "n", (uint32_t)pnode);
	fp = bk_btf_add_ptr(b, (uint32_t)proto);
	arr = bk_btf_add_array(b, (uint32_t)pnode, (uint32_t)i32, 3);
	gaps = bk_btf_add_struct(b, "gaps", 64);
	bk_btf_add_member(b, "kind", (uint32_t)e, 0, 0);
	bk_btf_add_member(b, "lo", (uint32_t)i32, 8, 3);
	bk_btf_add_member(b, "hi", (uint32_t)i32, 40, 5);
	bk_btf_add_member(b, NULL, (uint32_t)au, 64, 0);
	bk_btf_add_member(b, "cb", (uint32_t)fp, 128, 0);
	bk_btf_add_member(b, "nodes", (uint32_t)arr, 192, 0);
	cr_assert_eq(bk_btf_add_member(b, "tail", (uint32_t)u8, 448, 0), 0);
	(void)gaps;
	(void)packed;
	btf = bk_btf_builder_parse(b, NULL);
	cr_assert_not_null(btf, "%s", strerror(errno));
	btf_test_mkdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.h", dir);
	dump_to(btf, path, 0);
	snprintf(path, sizeof(path), "%s/t.c", dir);
	f = fopen(path, "w");
	fprintf(f, "#include <stddef.h>\n#include \"t.h\"\n"
		   "_Static_assert(sizeof(enum small) == 1, \"\");\n"
		   "_Static_assert(sizeof(struct packed_one) == 5, \"\");\n"
		   "_Static_assert(offsetof(struct packed_one, i) == 1, \"\");\n"
		   "_Static_assert(sizeof(struct gaps) == 64, \"\");\n"
		   "_Static_assert(offsetof(struct gaps, as_u64) == 8, \"\");\n"
		   "_Static_assert(offsetof(struct gaps, cb) == 16, \"\");\n"
		   "_Static_assert(offsetof(struct gaps, nodes) == 24, \"\");\n"
		   "_Static_assert(offsetof(struct gaps, tail) == 56, \"\");\n"
		   "_Static_assert(sizeof(struct node) == 16, \"\");\n"
		   "int f(struct gaps *g) { g->hi = 3; return g->cb(g->nodes[2]->next) + g->lo; }\n");
	fclose(f);
	compile(dir, "t.c", "-DBPF_NO_PRESERVE_ACCESS_INDEX");
	compile(dir, "t.c", "-target bpf -I/usr/include/x86_64-linux-gnu");
	btf_test_rmdir(dir);
	bk_btf_free(btf);
	bk_btf_builder_free(b);
}

static int dump_err(struct bk_btf_builder *b)
{
	struct bk_btf *btf = bk_btf_builder_parse(b, NULL);
	FILE *f = fopen("/dev/null", "w");
	int err;

	cr_assert(btf && f);
	err = bk_btf_dump_c(btf, f, NULL);
	fclose(f);
	bk_btf_free(btf);
	bk_btf_builder_free(b);
	return err;
}

Test(btf_dump_c, malformed_btf_is_refused)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	FILE *f = fopen("/dev/null", "w");

	/* A pointer to itself: no C for it, and no endless recursion. */
	bk_btf_add_ptr(b, 1);
	cr_assert_eq(dump_err(b), -ELOOP);
	/* An anonymous struct holding itself by value. */
	b = bk_btf_builder_new();
	bk_btf_add_struct(b, NULL, 4);
	bk_btf_add_member(b, "self", 1, 0, 0);
	cr_assert_eq(dump_err(b), -ELOOP);
	/* A typedef chain looping back. */
	b = bk_btf_builder_new();
	bk_btf_add_typedef(b, "a", 2);
	bk_btf_add_typedef(b, "b", 1);
	cr_assert_eq(dump_err(b), -ELOOP);
	cr_assert_eq(bk_btf_dump_c(NULL, f, NULL), -EINVAL);
	fclose(f);
	/* Anonymous structs two-wide and 40 deep: 2^40 inline definitions. */
	b = bk_btf_builder_new();
	bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	bk_btf_add_struct(b, "top", 8);
	bk_btf_add_member(b, "l", 3, 0, 0);
	bk_btf_add_member(b, "r", 3, 0, 0);
	for (uint32_t i = 0; i < 40; i++) {
		bk_btf_add_struct(b, NULL, 8);
		bk_btf_add_member(b, "l", i == 39 ? 1 : 4 + i, 0, 0);
		bk_btf_add_member(b, "r", i == 39 ? 1 : 4 + i, 0, 0);
	}
	cr_assert_eq(dump_err(b), -E2BIG);
}
