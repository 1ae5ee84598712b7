/* SPDX-License-Identifier: MIT */
/* Shared by the BTF tests: a small BTF with one type of every kind, built
 * with the writer, and files in a private temporary directory. */
#ifndef BK_BTF_TEST_H
#define BK_BTF_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* One type of every kind (plus the variants bpftool prints differently). */
static inline struct bk_btf_builder *btf_test_every_kind(void)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	int u32, c, p, s, pr, v, v2, v3;

	cr_assert_not_null(b);
	u32 = bk_btf_add_int(b, "unsigned int", 4, 0);
	c = bk_btf_add_int(b, "char", 1, BK_BTF_INT_CHAR);
	bk_btf_add_int(b, "_Bool", 1, BK_BTF_INT_BOOL);
	p = bk_btf_add_ptr(b, 0);
	bk_btf_add_array(b, (uint32_t)u32, (uint32_t)u32, 7);
	s = bk_btf_add_struct(b, "pkt", 16);
	bk_btf_add_member(b, "len", (uint32_t)u32, 0, 0);
	bk_btf_add_member(b, "fl", (uint32_t)u32, 32, 3);
	bk_btf_add_member(b, "nx", (uint32_t)p, 64, 0);
	bk_btf_add_union(b, NULL, 4);
	bk_btf_add_member(b, "a", (uint32_t)u32, 0, 0);
	bk_btf_add_enum(b, "e", 4, true);
	bk_btf_add_enumerator(b, "NEG", -5);
	bk_btf_add_enumerator(b, "P", 7);
	bk_btf_add_enum(b, "ue", 4, false);
	bk_btf_add_enumerator(b, "BIG", 0xffffffffll);
	bk_btf_add_fwd(b, "later", true);
	bk_btf_add_fwd(b, "ls", false);
	bk_btf_add_typedef(b, "u32_t", (uint32_t)u32);
	bk_btf_add_modifier(b, BK_BTF_KIND_VOLATILE, (uint32_t)u32);
	bk_btf_add_modifier(b, BK_BTF_KIND_CONST, (uint32_t)c);
	bk_btf_add_modifier(b, BK_BTF_KIND_RESTRICT, (uint32_t)p);
	pr = bk_btf_add_func_proto(b, (uint32_t)u32);
	bk_btf_add_param(b, "x", (uint32_t)u32);
	bk_btf_add_param(b, NULL, 0);
	bk_btf_add_func(b, "f", BK_BTF_FUNC_GLOBAL, (uint32_t)pr);
	bk_btf_add_func(b, "g", BK_BTF_FUNC_EXTERN, (uint32_t)pr);
	bk_btf_add_func(b, "h", BK_BTF_FUNC_STATIC, (uint32_t)pr);
	v = bk_btf_add_var(b, "counter", (uint32_t)u32, BK_BTF_VAR_GLOBAL_ALLOCATED);
	v2 = bk_btf_add_var(b, "ext", (uint32_t)u32, BK_BTF_VAR_GLOBAL_EXTERN);
	v3 = bk_btf_add_var(b, "st", (uint32_t)u32, BK_BTF_VAR_STATIC);
	bk_btf_add_datasec(b, ".data", 12);
	bk_btf_add_datasec_var(b, (uint32_t)v, 0, 4);
	bk_btf_add_datasec_var(b, (uint32_t)v2, 4, 4);
	bk_btf_add_datasec_var(b, (uint32_t)v3, 8, 4);
	bk_btf_add_float(b, "double", 8);
	bk_btf_add_decl_tag(b, "tagged", (uint32_t)s, 1);
	bk_btf_add_decl_tag(b, "t2", (uint32_t)s, -1);
	bk_btf_add_type_tag(b, "user", (uint32_t)u32);
	bk_btf_add_enum64(b, "big", 8, false);
	bk_btf_add_enumerator(b, "HUGE", (int64_t)0xfedcba9876543210ull);
	bk_btf_add_enum64(b, "sbig", 8, true);
	cr_assert_eq(bk_btf_add_enumerator(b, "NHUGE", -0x123456789ll), 0);
	return b;
}

/* A fresh private directory for the test's files (removed by btf_test_rmdir). */
static inline void btf_test_mkdir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/bk-btf-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static inline void btf_test_rmdir(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Write the builder's raw BTF to path. */
static inline void btf_test_write(struct bk_btf_builder *b, const char *path)
{
	size_t size;
	void *raw = bk_btf_builder_encode(b, &size, NULL);
	FILE *f = fopen(path, "w");

	cr_assert(raw && f);
	cr_assert_eq(fwrite(raw, 1, size, f), size);
	fclose(f);
	free(raw);
}

#endif /* BK_BTF_TEST_H */
