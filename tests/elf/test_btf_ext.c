// SPDX-License-Identifier: MIT
/*
 * .BTF.ext reader: a clang-built object's records counted against
 * llvm-objdump's own listing, a hand-built section read back, and one
 * malformed input per check, each a clean error naming the byte.
 */
#include <criterion/criterion.h>

#include "core_test.h"


static void setup(void)
{
	lo = ct_open("core_local");
}

static void teardown(void)
{
	ct_close(lo);
	lo = NULL;
}

TestSuite(btf_ext, .init = setup, .fini = teardown);

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

Test(btf_ext, clang_object_matches_objdump)
{
	char cmd[700], *out = NULL;
	size_t ncore = 0, nfunc = 0;

	BK_REQUIRE_TOOL("llvm-objdump-19");
	for (size_t i = 0; i < lo->ext->ncore; i++) {
		cr_assert_eq(lo->ext->core[i].rec_size, 16);
		ncore += lo->ext->core[i].nrec;
	}
	for (size_t i = 0; i < lo->ext->nfunc; i++) {
		cr_assert_eq(lo->ext->func[i].rec_size, 8);
		nfunc += lo->ext->func[i].nrec;
	}
	cr_assert_gt(lo->ext->nline, 0);
	cr_assert_eq(lo->ext->nline, lo->ext->nfunc, "one line block per code section");
	snprintf(cmd, sizeof(cmd), "llvm-objdump-19 -dr '%s'", lo->path);
	cr_assert_eq(bk_test_run(cmd, &out), 0);
	cr_expect_eq(ncore, count(out, "CO-RE <"), "CO-RE records");
	cr_expect_eq(nfunc, count(out, ">:\n"), "one func_info per function");
	free(out);
}

Test(btf_ext, find_by_section)
{
	const struct bk__ext_info *i = bk__btf_ext_find(lo->ext, BK__EXT_CORE, "s_ldx_x");
	struct bk__core_relo_rec r;

	cr_assert(i);
	cr_assert_str_eq(i->sec, "s_ldx_x");
	cr_assert_eq(i->nrec, 1);
	memcpy(&r, i->recs, sizeof(r));
	cr_assert_eq(r.kind, 0);
	cr_assert_str_eq(bk_btf_str(lo->btf, r.access_str_off), "0:0");
	cr_assert(bk__btf_ext_find(lo->ext, BK__EXT_FUNC, "s_ldx_x"));
	cr_assert(bk__btf_ext_find(lo->ext, BK__EXT_LINE, "s_ldx_x"));
	cr_assert_null(bk__btf_ext_find(lo->ext, BK__EXT_CORE, "nosuch"));
	cr_assert_null(bk__btf_ext_find(lo->ext, 3, "s_ldx_x"));
	cr_assert_null(bk__btf_ext_find(NULL, BK__EXT_CORE, "s_ldx_x"));
}

/* ---- a hand-built .BTF.ext --------------------------------------------- */

struct eb {
	uint8_t b[256];
	size_t n;
};

static void put32(struct eb *e, size_t at, uint32_t v)
{
	memcpy(e->b + at, &v, 4);
	if (at + 4 > e->n)
		e->n = at + 4;
}

/* Offset in the .BTF strings of a section name the object has. */
static uint32_t name_off(const char *sec)
{
	const struct bk__ext_info *i = bk__btf_ext_find(lo->ext, BK__EXT_CORE, sec);

	cr_assert(i);
	return (uint32_t)(i->sec - bk_btf_str(lo->btf, 0));
}

/* Header (hdr_len 32), func area at 32 (2 blocks: 1 and 2 records, ending
 * at 76), no line records, core area at 76 (1 block of 1 record). */
#define CORE_AT 76
static void build(struct eb *e)
{
	memset(e, 0, sizeof(*e));
	e->b[0] = 0x9f; /* magic 0xeb9f, little-endian */
	e->b[1] = 0xeb;
	e->b[2] = 1;
	put32(e, 4, 32);
	put32(e, 8, 0);	  /* func off */
	put32(e, 12, 44); /* func len: 4 + (8 + 8) + (8 + 2 * 8) */
	put32(e, 16, 44); /* line: empty */
	put32(e, 20, 0);
	put32(e, 24, CORE_AT - 32);
	put32(e, 28, 28); /* core len: 4 + 8 + 16 */
	put32(e, 32, 8);
	put32(e, 36, name_off("s_off_x"));
	put32(e, 40, 1);
	put32(e, 44, 0);
	put32(e, 48, 7);
	put32(e, 52, name_off("s_off_y"));
	put32(e, 56, 2);
	put32(e, 60, 0);
	put32(e, 64, 8);
	put32(e, 68, 8);
	put32(e, 72, 9);
	put32(e, CORE_AT, 16);
	put32(e, CORE_AT + 4, name_off("s_ldx_x"));
	put32(e, CORE_AT + 8, 1);
	put32(e, CORE_AT + 12, 8);
	put32(e, CORE_AT + 16, 2);
	put32(e, CORE_AT + 20, 3);
	put32(e, CORE_AT + 24, 4);
	e->n = CORE_AT + 28;
}

Test(btf_ext, hand_built_reads_back)
{
	struct eb e;
	struct bk__btf_ext *x = NULL;
	struct bk_diag d = { 0 };
	uint8_t *copy;
	struct bk__func_info_rec f;
	struct bk__core_relo_rec r;

	build(&e);
	copy = malloc(e.n);
	memcpy(copy, e.b, e.n);
	cr_assert_eq(bk__btf_ext_parse(copy, e.n, lo->btf, &x, &d), 0, "%s", d.msg);
	memset(copy, 0xee, e.n); /* the parse owns a copy */
	free(copy);
	cr_assert_eq(x->nfunc, 2);
	cr_assert_eq(x->nline, 0);
	cr_assert_eq(x->ncore, 1);
	cr_assert_str_eq(x->func[0].sec, "s_off_x");
	cr_assert_eq(x->func[0].nrec, 1);
	cr_assert_str_eq(x->func[1].sec, "s_off_y");
	cr_assert_eq(x->func[1].nrec, 2);
	memcpy(&f, x->func[1].recs + 8, sizeof(f));
	cr_assert_eq(f.insn_off, 8);
	cr_assert_eq(f.type_id, 9);
	memcpy(&r, x->core[0].recs, sizeof(r));
	cr_assert_eq(r.insn_off, 8);
	cr_assert_eq(r.kind, 4);
	cr_assert_eq(bk__btf_ext_find(x, BK__EXT_CORE, "s_ldx_x"), &x->core[0]);
	bk__btf_ext_free(x);
}

Test(btf_ext, short_header_has_no_core_area)
{
	struct eb e;
	struct bk__btf_ext *x = NULL;
	struct bk_diag d = { 0 };

	build(&e);
	put32(&e, 4, 24); /* the func area now starts at byte 24 */
	memmove(e.b + 24, e.b + 32, 44);
	e.n = 24 + 44;
	cr_assert_eq(bk__btf_ext_parse(e.b, e.n, lo->btf, &x, &d), 0, "%s", d.msg);
	cr_assert_eq(x->nfunc, 2);
	cr_assert_eq(x->ncore, 0);
	bk__btf_ext_free(x);
}

static void expect_bad(struct eb *e, int want, uint32_t at, const char *what)
{
	struct bk__btf_ext *x = (struct bk__btf_ext *)1;
	struct bk_diag d = { 0 };
	int err = bk__btf_ext_parse(e->b, e->n, lo->btf, &x, &d);

	cr_assert_eq(err, want, "%s: got %d (%s)", what, err, d.msg);
	cr_assert_null(x);
	cr_assert_eq(d.err, want);
	cr_assert(strstr(d.msg, what), "\"%s\" lacks \"%s\"", d.msg, what);
	if (want == -EINVAL)
		cr_assert_eq(d.index, at, "%s: at %u, want %u", what, d.index, at);
}

Test(btf_ext, malformed_headers)
{
	struct eb e;

	build(&e);
	e.n = 20;
	expect_bad(&e, -EINVAL, 0, "truncated header");
	build(&e);
	e.b[0] = 0;
	expect_bad(&e, -EINVAL, 0, "bad magic");
	build(&e);
	e.b[0] = 0xeb;
	e.b[1] = 0x9f;
	expect_bad(&e, -EOPNOTSUPP, 0, "other byte order");
	build(&e);
	e.b[2] = 2;
	expect_bad(&e, -EINVAL, 2, "version");
	build(&e);
	e.b[3] = 1;
	expect_bad(&e, -EINVAL, 3, "flags");
	build(&e);
	put32(&e, 4, 20);
	expect_bad(&e, -EINVAL, 4, "header length");
	build(&e);
	put32(&e, 4, 4096);
	expect_bad(&e, -EINVAL, 4, "header length");
}

Test(btf_ext, malformed_areas)
{
	struct eb e;

	build(&e);
	put32(&e, 8, 2);
	expect_bad(&e, -EINVAL, 34, "func_info: area not aligned");
	build(&e);
	put32(&e, 12, 200);
	expect_bad(&e, -EINVAL, 32, "func_info: area runs past");
	build(&e);
	put32(&e, 28, 2);
	expect_bad(&e, -EINVAL, CORE_AT, "core_relo: area too short");
	build(&e);
	put32(&e, 32, 4);
	expect_bad(&e, -EINVAL, 32, "func_info: invalid record size");
	build(&e);
	put32(&e, 32, 10);
	expect_bad(&e, -EINVAL, 32, "func_info: invalid record size");
	build(&e);
	put32(&e, CORE_AT, 12);
	expect_bad(&e, -EINVAL, CORE_AT, "core_relo: invalid record size");
	build(&e);
	put32(&e, 12, 4);
	expect_bad(&e, -EINVAL, 36, "func_info: area has no records");
	build(&e);
	put32(&e, 12, 8);
	expect_bad(&e, -EINVAL, 36, "func_info: truncated block header");
	build(&e);
	put32(&e, 40, 0);
	expect_bad(&e, -EINVAL, 40, "func_info: block with zero records");
	build(&e);
	put32(&e, 56, 3);
	expect_bad(&e, -EINVAL, 56, "func_info: record count runs past");
	build(&e);
	put32(&e, 56, 0x40000000); /* count * size overflows 32 bits */
	expect_bad(&e, -EINVAL, 56, "func_info: record count runs past");
	build(&e);
	put32(&e, 36, 0x7fffffff);
	expect_bad(&e, -EINVAL, 36, "func_info: section name is not");
	build(&e);
	put32(&e, CORE_AT + 4, 0);
	expect_bad(&e, -EINVAL, CORE_AT + 4, "core_relo: section name is not");
}

Test(btf_ext, null_arguments)
{
	struct bk__btf_ext *x;
	struct bk_diag d = { 0 };

	cr_assert_eq(bk__btf_ext_parse(NULL, 10, lo->btf, &x, &d), -EINVAL);
	cr_assert_eq(bk__btf_ext_parse("x", 1, NULL, &x, &d), -EINVAL);
	bk__btf_ext_free(NULL);
}
