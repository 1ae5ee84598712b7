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
		cr_skip_test("libbpf's headers are not installed (scripts/install-deps test)");
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
					    "bpf_core_read.h", "bpf_endian.h" };

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
