// SPDX-License-Identifier: MIT
/*
 * include/bpfkit/compat/bpf/: libbpf-style objects (the .bpf.c files of
 * tests/bpf/compat/, written the way starter projects write them: vmlinux.h, <bpf/bpf_helpers.h>,
 * <bpf/bpf_tracing.h>, <bpf/bpf_core_read.h>, <bpf/bpf_endian.h>) build
 * unchanged with -I<bpfkit>/compat, and the object is the one libbpf's own
 * headers give: same sections with the same bytes, same relocations, same
 * symbols, same CO-RE relocation records.
 */
#include "bpf_build.h"
#include <bpfkit/object.h>

/* The text of tests/bpf/compat/NAME; a vmlinux.h is linked into the scratch directory. */
static char *stage(const char *name)
{
	char path[512], link[300];
	size_t size;

	snprintf(link, sizeof(link), "%s/vmlinux.h", bb_dir());
	if (access(link, R_OK) != 0)
		cr_assert_eq(symlink(bb_vmlinux_h(), link), 0, "symlink: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/tests/bpf/compat/%s", bk_test_srcdir(), name);
	return bb_read(path, &size);
}

static void same_object(const char *name)
{
	char *src, *l1, *l2, *r1, *r2, base[64];
	struct bb_obj ours, theirs;

	if (access("/usr/include/bpf/bpf_helpers.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf's headers are not installed (scripts/install-deps test)");
	src = stage(name);
	snprintf(base, sizeof(base), "%.*s", (int)(strchr(name, '.') - name), name);
	{
		char n1[80], n2[80], f[800];

		snprintf(n1, sizeof(n1), "%s_libbpf", base);
		snprintf(n2, sizeof(n2), "%s_compat", base);
		bb_open(&theirs, bb_compile(n1, src, "-D__TARGET_ARCH_x86"));
		snprintf(f, sizeof(f), "-D__TARGET_ARCH_x86 %s", bb_compat_inc());
		bb_open(&ours, bb_compile(n2, src, f));
	}
	l1 = bb_layout(&ours);
	l2 = bb_layout(&theirs);
	if (strcmp(l1, l2) != 0) {
		char a[400], b[400], cmd[900], *diff = NULL;

		snprintf(a, sizeof(a), "%s/%s.layout-compat", bb_dir(), base);
		snprintf(b, sizeof(b), "%s/%s.layout-libbpf", bb_dir(), base);
		bb_write(a, l1);
		bb_write(b, l2);
		snprintf(cmd, sizeof(cmd), "diff -u %s %s | head -40", b, a);
		bk_test_run(cmd, &diff);
		cr_assert_fail("%s: the object differs from libbpf's build:\n%s", name, diff);
	}
	cr_assert_gt(bb_core_relos(&ours, &r1), 0);
	bb_core_relos(&theirs, &r2);
	cr_assert_str_eq(r1, r2, "%s: CO-RE records differ", name);
	free(l1);
	free(l2);
	free(r1);
	free(r2);
	free(src);
	bb_close(&ours);
	bb_close(&theirs);
}

Test(bpf_compat, tracing_object_is_the_same_as_with_libbpfs_headers)
{
	same_object("tracing.bpf.c");
}

Test(bpf_compat, networking_object_is_the_same_as_with_libbpfs_headers)
{
	same_object("net.bpf.c");
}

/* "name:offset name:offset ..." of a struct or union of the BTF, with its size. */
static void shape(const struct bk_btf *btf, const char *name, char *out, size_t size)
{
	int id = bk_btf_find(btf, name, BK_BTF_KIND_STRUCT);
	struct bk_btf_type t;
	size_t len;

	cr_assert_gt(id, 0, "no struct %s", name);
	cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &t), 0);
	len = (size_t)snprintf(out, size, "size %u:", t.size_or_type);
	for (uint32_t i = 0; i < t.vlen && len < size; i++) {
		struct bk_btf_member m;

		cr_assert_eq(bk_btf_member(btf, (uint32_t)id, i, &m), 0);
		len += (size_t)snprintf(out + len, size - len, " %s@%u", m.name, m.bit_offset);
	}
}

Test(bpf_compat, usdt_object_speaks_libbpfs_user_space_interface)
{
	static const char *const structs[] = { "__bpf_usdt_spec", "__bpf_usdt_arg_spec" };
	static const char *const vars[] = { "__bpf_usdt_specs", "__bpf_usdt_ip_to_spec_id",
					    "LINUX_HAS_BPF_COOKIE" };
	struct bb_obj ours, theirs;
	struct bk_btf *b1, *b2;
	char *src, f[800];

	if (access("/usr/include/bpf/usdt.bpf.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf's usdt.bpf.h is not installed (scripts/install-deps test)");
	src = stage("usdt.bpf.c");
	bb_open(&theirs, bb_compile("usdt_libbpf", src, "-D__TARGET_ARCH_x86"));
	snprintf(f, sizeof(f), "-D__TARGET_ARCH_x86 %s", bb_compat_inc());
	bb_open(&ours, bb_compile("usdt_compat", src, f));
	b1 = bb_btf(&ours);
	b2 = bb_btf(&theirs);
	for (size_t i = 0; i < 2; i++) {
		char s1[1024], s2[1024];

		shape(b1, structs[i], s1, sizeof(s1));
		shape(b2, structs[i], s2, sizeof(s2));
		cr_assert_str_eq(s1, s2, "struct %s", structs[i]);
	}
	for (size_t i = 0; i < 3; i++) {
		cr_assert_gt(bk_btf_find(b1, vars[i], BK_BTF_KIND_VAR), 0, "%s", vars[i]);
		cr_assert_gt(bk_btf_find(b2, vars[i], BK_BTF_KIND_VAR), 0, "%s", vars[i]);
	}
	/* the maps' definitions (type, sizes, entries) are the same bytes of BTF shape */
	for (size_t i = 0; i < 2; i++) {
		struct bk_btf_type v1, v2;
		char s1[512] = "", s2[512] = "";

		cr_assert_eq(bk_btf_type_by_id(b1, (uint32_t)bk_btf_find(b1, vars[i], BK_BTF_KIND_VAR), &v1), 0);
		cr_assert_eq(bk_btf_type_by_id(b2, (uint32_t)bk_btf_find(b2, vars[i], BK_BTF_KIND_VAR), &v2), 0);
		for (uint32_t k = 0; k < 4; k++) {
			struct bk_btf_member m1, m2;
			struct bk_btf_type p1, p2;
			struct bk_btf_array a1 = { 0 }, a2 = { 0 };

			cr_assert_eq(bk_btf_member(b1, v1.size_or_type, k, &m1), 0);
			cr_assert_eq(bk_btf_member(b2, v2.size_or_type, k, &m2), 0);
			cr_assert_str_eq(m1.name, m2.name);
			cr_assert_eq(bk_btf_type_by_id(b1, m1.type, &p1), 0);
			cr_assert_eq(bk_btf_type_by_id(b2, m2.type, &p2), 0);
			bk_btf_array_info(b1, p1.size_or_type, &a1);
			bk_btf_array_info(b2, p2.size_or_type, &a2);
			cr_assert_eq(a1.nelems, a2.nelems, "%s.%s", vars[i], m1.name);
			snprintf(s1 + strlen(s1), sizeof(s1) - strlen(s1), "%s ", m1.name);
			snprintf(s2 + strlen(s2), sizeof(s2) - strlen(s2), "%s ", m2.name);
		}
		cr_assert_str_eq(s1, s2);
	}
	/* both find the probe's spec by BPF cookie (bpf_usdt_arg & co. are global functions in .text) */
	{
		int i1[64], i2[64];
		size_t n1 = bb_helper_calls(&ours, ".text", i1, 64);
		size_t n2 = bb_helper_calls(&theirs, ".text", i2, 64);
		size_t c1 = 0, c2 = 0;

		for (size_t k = 0; k < n1; k++)
			c1 += i1[k] == 174 /* get_attach_cookie */;
		for (size_t k = 0; k < n2; k++)
			c2 += i2[k] == 174;
		cr_assert_gt(c1, 0);
		cr_assert_eq(c1 > 0, c2 > 0);
	}
	bk_btf_free(b1);
	bk_btf_free(b2);
	free(src);
	bb_close(&ours);
	bb_close(&theirs);
}

Test(bpf_compat, the_layout_comparison_sees_a_difference)
{
	/* The comparison can fail: one changed constant changes the layout. */
	struct bb_obj a, b;
	char *l1, *l2;

	bb_open(&a, bb_compile("diff_a", "int x __attribute__((section(\"s\"), used)) = 1;\n", ""));
	l1 = bb_layout(&a);
	bb_open(&b, bb_compile("diff_b", "int x __attribute__((section(\"s\"), used)) = 2;\n", ""));
	l2 = bb_layout(&b);
	cr_assert_str_neq(l1, l2);
	free(l1);
	free(l2);
	bb_close(&a);
	bb_close(&b);
}

Test(bpf_compat, headers_are_found_through_the_compat_directory_alone)
{
	/* Every libbpf header name resolves under compat/, and to ours. */
	static const char *const hdrs[] = { "bpf_helpers.h", "bpf_helper_defs.h", "bpf_tracing.h",
					    "bpf_core_read.h", "bpf_endian.h", "usdt.bpf.h" };

	for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		char path[512], *text;
		size_t size;

		snprintf(path, sizeof(path), "%s/include/bpfkit/compat/bpf/%s", bk_test_srcdir(),
			 hdrs[i]);
		text = bb_read(path, &size);
		cr_assert(strstr(text, "#include \"../../bpf/"), "%s does not include ours", hdrs[i]);
		free(text);
	}
}

/*
 * The objects built against compat/ load in the kernel with bpfkit's ELF
 * loader (CO-RE relocated, kconfig externs filled, .text subprograms linked):
 * every program but the fentry/fexit/lsm ones, whose loads this host's
 * policy refuses with EPERM before the verifier (checked with one try).
 */
static void loads(const char *name)
{
	char f[800], base[64], n[80];
	char *src = stage(name);
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	size_t skipped = 0;
	int err;

	snprintf(base, sizeof(base), "%.*s", (int)(strchr(name, '.') - name), name);
	snprintf(n, sizeof(n), "%s_load", base);
	snprintf(f, sizeof(f), "-D__TARGET_ARCH_x86 %s", bb_compat_inc());
	obj = bk_object_open_file(bb_compile(n, src, f), BK_OPTS(bk_object_opts, .diag = &d));
	cr_assert_not_null(obj, "%s: %s", name, d.msg);
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);
		const char *sec = bk_object_prog_section(p);

		if (strncmp(sec, "fentry/", 7) == 0 || strncmp(sec, "fexit/", 6) == 0 ||
		    strncmp(sec, "lsm/", 4) == 0) {
			bk_object_prog_set_autoload(p, false);
			skipped++;
		}
	}
	err = bk_object_load(obj);
	cr_assert_eq(err, 0, "%s: %s (%s)", name, strerror(-err), d.msg);
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);

		if (bk_object_prog_autoload(p))
			cr_assert_not_null(bk_object_prog_prog(p), "%s: %s not loaded", name,
					   bk_object_prog_name(p));
	}
	cr_assert_gt(bk_object_prog_count(obj) - skipped, 0);
	bk_object_close(obj);
	free(src);
}

Test(bpf_compat, compat_objects_load_with_bpfkits_elf_loader)
{
	BK_REQUIRE_KERNEL();
	loads("tracing.bpf.c");
	loads("net.bpf.c");
	loads("usdt.bpf.c");
}
