// SPDX-License-Identifier: MIT
/* The raw dump, line for line against `bpftool btf dump file` on the running
 * kernel's vmlinux and on a small BTF with every kind. */
#include <errno.h>

#include "../lib/bk_test.h"
#include "btf_test.h"

/* Our dump of path, in a malloc'd string. */
static char *ours(const char *path, const struct bk_btf *base, uint32_t id)
{
	struct bk_btf *btf = bk_btf_load_file_split(path, base, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(btf && f, "%s: %s", path, strerror(errno));
	cr_assert_eq(bk_btf_dump_raw(btf, f, id), 0);
	fclose(f);
	bk_btf_free(btf);
	return text;
}

static void same_as_bpftool(const char *path, const char *base_path)
{
	struct bk_btf *base = base_path ? bk_btf_load_file(base_path, NULL) : NULL;
	char cmd[512], *theirs = NULL, *mine = ours(path, base, 0);
	const char *a, *b;
	int line = 1;

	snprintf(cmd, sizeof(cmd), "bpftool btf dump file %s%s%s", path, base ? " -B " : "",
		 base ? base_path : "");
	cr_assert_eq(bk_test_run(cmd, &theirs), 0, "%s", cmd);
	/* Report the first differing line, not a 20 MB blob. */
	for (a = mine, b = theirs; *a && *a == *b; a++, b++)
		line += *a == '\n';
	cr_assert(*a == '\0' && *b == '\0', "%s: line %d differs: ours '%.80s' bpftool '%.80s'", path,
		  line, a, b);
	cr_assert_gt(line, 1);
	free(mine);
	free(theirs);
	bk_btf_free(base);
}

Test(btf_dump_raw, vmlinux_is_bpftools_line_for_line)
{
	BK_REQUIRE_TOOL("bpftool");
	if (access(VMLINUX, R_OK))
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	same_as_bpftool(VMLINUX, NULL);
}

Test(btf_dump_raw, every_kind_is_bpftools_line_for_line)
{
	struct bk_btf_builder *b = btf_test_every_kind();
	char dir[64], path[96];

	BK_REQUIRE_TOOL("bpftool");
	btf_test_mkdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/small.btf", dir);
	btf_test_write(b, path);
	same_as_bpftool(path, NULL);
	btf_test_rmdir(dir);
	bk_btf_builder_free(b);
}

/* Split BTF we build ourselves on top of a base: only its own types, with
 * ids continuing the base's, as bpftool -B prints them. */
Test(btf_dump_raw, split_btf_is_bpftools_line_for_line)
{
	struct bk_btf_builder *b = btf_test_every_kind(), *s;
	struct bk_btf *base;
	char dir[64], bpath[96], spath[96];

	BK_REQUIRE_TOOL("bpftool");
	base = bk_btf_builder_parse(b, NULL);
	s = bk_btf_builder_new_split(base);
	bk_btf_add_struct(s, "mod_pkt", 24);
	bk_btf_add_member(s, "inner", (uint32_t)bk_btf_find(base, "pkt", BK_BTF_KIND_STRUCT), 0, 0);
	bk_btf_add_member(s, "extra", 1, 128, 0);
	bk_btf_add_ptr(s, bk_btf_type_count(base) + 1);
	btf_test_mkdir(dir, sizeof(dir));
	snprintf(bpath, sizeof(bpath), "%s/base.btf", dir);
	snprintf(spath, sizeof(spath), "%s/split.btf", dir);
	btf_test_write(b, bpath);
	btf_test_write(s, spath);
	same_as_bpftool(spath, bpath);
	btf_test_rmdir(dir);
	bk_btf_builder_free(s);
	bk_btf_free(base);
	bk_btf_builder_free(b);
}

Test(btf_dump_raw, one_type_and_bad_ids)
{
	struct bk_btf_builder *b = btf_test_every_kind();
	struct bk_btf *btf = bk_btf_builder_parse(b, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(bk_btf_dump_raw(btf, f, 6), 0);
	fclose(f);
	cr_assert_str_eq(text, "[6] STRUCT 'pkt' size=16 vlen=3\n"
			       "\t'len' type_id=1 bits_offset=0\n"
			       "\t'fl' type_id=1 bits_offset=32 bitfield_size=3\n"
			       "\t'nx' type_id=4 bits_offset=64\n");
	cr_assert_eq(bk_btf_dump_raw(btf, stdout, 999), -ENOENT);
	cr_assert_eq(bk_btf_dump_raw(NULL, stdout, 0), -EINVAL);
	free(text);
	bk_btf_free(btf);
	bk_btf_builder_free(b);
}
