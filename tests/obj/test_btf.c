// SPDX-License-Identifier: MIT
/* The raw BTF reader: hand-built BTF with every kind the reader sizes,
 * malformed inputs (one per check), and the running kernel's vmlinux BTF
 * cross-checked against bpftool's dump of the same file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>

#include "../lib/bk_test.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* ---- a tiny BTF builder (test-only) ------------------------------------ */

struct bb {
	uint8_t types[1024];
	uint32_t tlen;
	char strs[256];
	uint32_t slen;
	uint8_t out[2048];
	uint32_t olen;
};

static uint32_t bb_str(struct bb *b, const char *s)
{
	uint32_t off = b->slen;
	size_t n = strlen(s) + 1;

	memcpy(b->strs + b->slen, s, n);
	b->slen += (uint32_t)n;
	return off;
}

static void bb_u32(struct bb *b, uint32_t v)
{
	memcpy(b->types + b->tlen, &v, 4);
	b->tlen += 4;
}

static void bb_type(struct bb *b, const char *name, uint32_t kind, uint32_t vlen, int kflag,
		    uint32_t size_or_type)
{
	bb_u32(b, name ? bb_str(b, name) : 0);
	bb_u32(b, (kflag ? 1u << 31 : 0) | kind << 24 | vlen);
	bb_u32(b, size_or_type);
}

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1; /* the leading empty string */
}

/* Header + types + strings into b->out. */
static void bb_finish(struct bb *b)
{
	uint16_t magic = 0xeb9f;
	uint32_t hdr[5] = { 24, 0, b->tlen, b->tlen, b->slen };

	memcpy(b->out, &magic, 2);
	b->out[2] = 1;
	b->out[3] = 0;
	memcpy(b->out + 4, hdr, sizeof(hdr));
	memcpy(b->out + 24, b->types, b->tlen);
	memcpy(b->out + 24 + b->tlen, b->strs, b->slen);
	b->olen = 24 + b->tlen + b->slen;
}

/* id 1 int, 2 ptr->1, 3 struct {int a; int *p;}, 4 enum color, 5 signed enum64,
 * 6 array, 7 func_proto(int x), 8 func, 9 var, 10 datasec, 11 decl_tag, 12 float */
static void bb_sample(struct bb *b)
{
	bb_init(b);
	bb_type(b, "int", 1, 0, 0, 4);
	bb_u32(b, 1u << 24 | 32); /* signed, 32 bits */
	bb_type(b, NULL, 2, 0, 0, 1);
	bb_type(b, "pair", 4, 2, 0, 16);
	bb_u32(b, bb_str(b, "a")), bb_u32(b, 1), bb_u32(b, 0);
	bb_u32(b, bb_str(b, "p")), bb_u32(b, 2), bb_u32(b, 64);
	bb_type(b, "color", 6, 3, 0, 4);
	bb_u32(b, bb_str(b, "RED")), bb_u32(b, 0);
	bb_u32(b, bb_str(b, "GREEN")), bb_u32(b, 7);
	bb_u32(b, bb_str(b, "BLUE")), bb_u32(b, 0xfffffffe); /* unsigned enum: 4294967294 */
	bb_type(b, "big", 19, 2, 1, 8);
	bb_u32(b, bb_str(b, "NEG")), bb_u32(b, 0xfffffffb), bb_u32(b, 0xffffffff); /* -5 */
	bb_u32(b, bb_str(b, "HUGE")), bb_u32(b, 1), bb_u32(b, 0x10);
	bb_type(b, NULL, 3, 0, 0, 0);
	bb_u32(b, 1), bb_u32(b, 1), bb_u32(b, 4);
	bb_type(b, NULL, 13, 1, 0, 1);
	bb_u32(b, bb_str(b, "x")), bb_u32(b, 1);
	bb_type(b, "fn", 12, 1, 0, 7);
	bb_type(b, "v", 14, 0, 0, 1);
	bb_u32(b, 1);
	bb_type(b, ".data", 15, 1, 0, 4);
	bb_u32(b, 9), bb_u32(b, 0), bb_u32(b, 4);
	bb_type(b, "tag", 17, 0, 0, 3);
	bb_u32(b, 0xffffffff);
	bb_type(b, "double", 16, 0, 0, 8);
	bb_finish(b);
}

/* ---- hand-built BTF ------------------------------------------------------- */

Test(btf, parses_every_kind_and_finds_by_name_and_kind)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_btf_type t;

	bb_sample(&b);
	btf = bk_btf_parse(b.out, b.olen, NULL);
	cr_assert_not_null(btf, "parse: %s", strerror(errno));
	cr_assert_eq(bk_btf_type_count(btf), 12);
	cr_assert_eq(bk_btf_find(btf, "pair", BK_BTF_KIND_STRUCT), 3);
	cr_assert_eq(bk_btf_find(btf, "pair", BK_BTF_KIND_UNION), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_btf_find(btf, "double", BK_BTF_KIND_ANY), 12);
	cr_assert_eq(bk_btf_find(btf, "", BK_BTF_KIND_ANY), -EINVAL);
	cr_assert_eq(bk_btf_type_by_id(btf, 3, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_STRUCT);
	cr_assert_str_eq(t.name, "pair");
	cr_assert_eq(t.vlen, 2);
	cr_assert_eq(t.size_or_type, 16);
	cr_assert_eq(bk_btf_type_by_id(btf, 2, &t), 0);
	cr_assert_str_eq(t.name, "");
	cr_assert_eq(t.size_or_type, 1);
	cr_assert_eq(bk_btf_type_by_id(btf, 0, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_UNKN);
	cr_assert_eq(bk_btf_type_by_id(btf, 13, &t), -ENOENT);
	bk_btf_free(btf);
}

Test(btf, enumerators_signed_unsigned_and_64bit)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_btf_enumerator e;
	int64_t v;

	bb_sample(&b);
	btf = bk_btf_parse(b.out, b.olen, NULL);
	cr_assert_not_null(btf);
	cr_assert_eq(bk_btf_enumerator(btf, 4, 1, &e), 0);
	cr_assert_str_eq(e.name, "GREEN");
	cr_assert_eq(e.value, 7);
	cr_assert_eq(bk_btf_enum_value(btf, "color", "BLUE", &v), 0);
	cr_assert_eq(v, 4294967294LL, "unsigned 32-bit enum must zero-extend");
	cr_assert_eq(bk_btf_enum_value(btf, "big", "NEG", &v), 0);
	cr_assert_eq(v, -5);
	cr_assert_eq(bk_btf_enum_value(btf, "big", "HUGE", &v), 0);
	cr_assert_eq(v, 0x1000000001LL);
	cr_assert_eq(bk_btf_enum_value(btf, "color", "NEG", &v), -ENOENT);
	cr_assert_eq(bk_btf_enumerator(btf, 4, 3, &e), -ENOENT);
	cr_assert_eq(bk_btf_enumerator(btf, 3, 0, &e), -EINVAL, "a struct is not an enum");
	bk_btf_free(btf);
}

Test(btf, members_arrays_ints_and_resolve)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_btf_member m;
	struct bk_btf_array a;
	struct bk_btf_int in;

	bb_sample(&b);
	btf = bk_btf_parse(b.out, b.olen, NULL);
	cr_assert_not_null(btf);
	cr_assert_eq(bk_btf_member(btf, 3, 1, &m), 0);
	cr_assert_str_eq(m.name, "p");
	cr_assert_eq(m.type, 2);
	cr_assert_eq(m.bit_offset, 64);
	cr_assert_eq(m.bitfield_size, 0);
	cr_assert_eq(bk_btf_member(btf, 3, 2, &m), -ENOENT);
	cr_assert_eq(bk_btf_member(btf, 4, 0, &m), -EINVAL, "an enum has no members");
	cr_assert_eq(bk_btf_array_info(btf, 6, &a), 0);
	cr_assert_eq(a.type, 1);
	cr_assert_eq(a.nelems, 4);
	cr_assert_eq(bk_btf_array_info(btf, 1, &a), -EINVAL);
	cr_assert_eq(bk_btf_int_info(btf, 1, &in), 0);
	cr_assert_eq(in.encoding, BK_BTF_INT_SIGNED);
	cr_assert_eq(in.bits, 32);
	cr_assert_eq(in.bit_offset, 0);
	cr_assert_eq(bk_btf_resolve(btf, 1), 1, "an int resolves to itself");
	bk_btf_free(btf);
}

/* A bitfield member (kind_flag) and a typedef/const chain, as clang emits. */
Test(btf, bitfields_and_modifier_chains)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_btf_member m;

	bb_init(&b);
	bb_type(&b, "unsigned int", 1, 0, 0, 4); /* 1 */
	bb_u32(&b, 32);
	bb_type(&b, "s", 4, 1, 1, 4); /* 2: struct s { unsigned bits:3 at bit 5 } */
	bb_u32(&b, bb_str(&b, "bits")), bb_u32(&b, 1), bb_u32(&b, 3u << 24 | 5);
	bb_type(&b, "u_t", 8, 0, 0, 1);		/* 3: typedef unsigned int u_t */
	bb_type(&b, NULL, 10, 0, 0, 3);		/* 4: const u_t */
	bb_type(&b, NULL, 9, 0, 0, 4);		/* 5: volatile const u_t */
	bb_type(&b, "loop", 8, 0, 0, 6);	/* 6: typedef loop loop */
	bb_finish(&b);
	btf = bk_btf_parse(b.out, b.olen, NULL);
	cr_assert_not_null(btf);
	cr_assert_eq(bk_btf_member(btf, 2, 0, &m), 0);
	cr_assert_eq(m.bitfield_size, 3);
	cr_assert_eq(m.bit_offset, 5);
	cr_assert_eq(bk_btf_resolve(btf, 5), 1);
	cr_assert_eq(bk_btf_resolve(btf, 6), -EINVAL, "a typedef loop ends");
	bk_btf_free(btf);
}

Test(btf, kind_names)
{
	cr_assert_str_eq(bk_btf_kind_name(BK_BTF_KIND_FUNC_PROTO), "FUNC_PROTO");
	cr_assert_str_eq(bk_btf_kind_name(BK_BTF_KIND_ENUM64), "ENUM64");
	cr_assert_str_eq(bk_btf_kind_name(99), "UNKN");
	cr_assert_str_eq(bk_btf_kind_name(-1), "UNKN");
}

/* ---- malformed input: each check, with the byte it blames ----------------- */

static void expect_bad(const uint8_t *p, size_t n, int err, uint32_t at, const char *what)
{
	struct bk_diag d;
	struct bk_btf *btf = bk_btf_parse(p, n, &d);

	cr_assert_null(btf, "%s: accepted", what);
	cr_assert_eq(errno, -err, "%s: errno %d", what, errno);
	cr_assert_eq(d.err, err, "%s: diag err %d", what, d.err);
	cr_assert_eq(d.index, at, "%s: blamed byte %u (%s)", what, d.index, d.msg);
	cr_assert_neq(d.msg[0], '\0');
}

static void poke32(struct bb *b, uint32_t at, uint32_t v)
{
	memcpy(b->out + at, &v, 4);
}

Test(btf, rejects_bad_headers)
{
	struct bb b;

	bb_sample(&b);
	expect_bad(b.out, 7, -EINVAL, 0, "short");
	b.out[0] ^= 1;
	expect_bad(b.out, b.olen, -EINVAL, 0, "magic");
	b.out[0] ^= 1;
	b.out[0] = 0xeb, b.out[1] = 0x9f; /* big-endian magic on a little-endian host */
	expect_bad(b.out, b.olen, -EOPNOTSUPP, 0, "byte order");
	bb_sample(&b);
	b.out[2] = 2;
	expect_bad(b.out, b.olen, -EINVAL, 2, "version");
	bb_sample(&b);
	b.out[3] = 1;
	expect_bad(b.out, b.olen, -EINVAL, 3, "flags");
	bb_sample(&b);
	poke32(&b, 4, 20);
	expect_bad(b.out, b.olen, -EINVAL, 4, "hdr_len too small");
	poke32(&b, 4, b.olen + 1);
	expect_bad(b.out, b.olen, -EINVAL, 4, "hdr_len too big");
	bb_sample(&b);
	poke32(&b, 12, b.tlen + 4096);
	expect_bad(b.out, b.olen, -EINVAL, 8, "type_len");
	bb_sample(&b);
	poke32(&b, 8, 2);
	expect_bad(b.out, b.olen, -EINVAL, 8, "type_off misaligned");
	bb_sample(&b);
	poke32(&b, 16, 0xfffffff0); /* offset + len wraps in 32 bits */
	expect_bad(b.out, b.olen, -EINVAL, 16, "str_off overflow");
	bb_sample(&b);
	poke32(&b, 16, b.tlen - 4);
	expect_bad(b.out, b.olen, -EINVAL, 16, "overlap");
}

Test(btf, accepts_a_longer_header_only_if_its_tail_is_zero)
{
	struct bb b;
	uint8_t big[2048] = { 0 };
	struct bk_btf *btf;

	bb_sample(&b);
	/* Insert 8 zero bytes after the 24-byte header and say hdr_len = 32. */
	memcpy(big, b.out, 24);
	memcpy(big + 32, b.out + 24, b.olen - 24);
	memcpy(big + 4, &(uint32_t){ 32 }, 4);
	btf = bk_btf_parse(big, b.olen + 8, NULL);
	cr_assert_not_null(btf);
	cr_assert_eq(bk_btf_type_count(btf), 12);
	bk_btf_free(btf);
	big[30] = 1;
	expect_bad(big, b.olen + 8, -EINVAL, 30, "unknown header field");
}

Test(btf, rejects_bad_strings_and_types)
{
	struct bb b;
	uint32_t strs_at;

	bb_sample(&b);
	strs_at = 24 + b.tlen;
	b.out[strs_at] = 'x';
	expect_bad(b.out, b.olen, -EINVAL, strs_at, "string section start");
	bb_sample(&b);
	b.out[b.olen - 1] = 'x';
	expect_bad(b.out, b.olen, -EINVAL, b.olen - 1, "unterminated strings");
	bb_sample(&b);
	poke32(&b, 24, b.slen); /* type 1 name just past the strings */
	expect_bad(b.out, b.olen, -EINVAL, 24, "type name offset");
	bb_sample(&b);
	poke32(&b, 28, 20u << 24); /* kind 20 does not exist */
	expect_bad(b.out, b.olen, -EINVAL, 24, "kind");
	bb_sample(&b);
	poke32(&b, 28, 0); /* kind 0 (UNKN) is never a real type */
	expect_bad(b.out, b.olen, -EINVAL, 24, "kind 0");
	bb_sample(&b);
	/* struct pair (at types+16) claims 1000 members */
	poke32(&b, 24 + 16 + 4, 4u << 24 | 1000);
	expect_bad(b.out, b.olen, -EINVAL, 24 + 16, "vlen past end");
	bb_sample(&b);
	poke32(&b, 24 + 16 + 12 + 12, b.slen + 3); /* name of member p */
	expect_bad(b.out, b.olen, -EINVAL, 24 + 16 + 24, "member name offset");
}

Test(btf, every_truncation_fails_cleanly)
{
	struct bb b;

	bb_sample(&b);
	/* Truncate the data but keep the header's claims: every prefix must be
	 * rejected without reading past it (ASan under `make check SAN=1`). */
	for (uint32_t n = 0; n < b.olen; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		struct bk_btf *btf;

		memcpy(copy, b.out, n);
		btf = bk_btf_parse(copy, n, NULL);
		cr_assert_null(btf, "prefix of %u bytes accepted", n);
		free(copy);
	}
}

Test(btf, empty_type_section_is_valid)
{
	struct bb b;
	struct bk_btf *btf;

	bb_init(&b);
	bb_finish(&b);
	btf = bk_btf_parse(b.out, b.olen, NULL);
	cr_assert_not_null(btf);
	cr_assert_eq(bk_btf_type_count(btf), 0);
	cr_assert_eq(bk_btf_find(btf, "int", BK_BTF_KIND_ANY), -ENOENT);
	bk_btf_free(btf);
	bk_btf_free(NULL);
}

Test(btf, load_file_errors_name_the_file)
{
	struct bk_diag d;

	cr_assert_null(bk_btf_load_file("/nonexistent/btf", &d));
	cr_assert_eq(errno, ENOENT);
	cr_assert_str_eq(d.file, "/nonexistent/btf");
	cr_assert_null(bk_btf_load_file("/proc/self/status", &d));
	cr_assert_eq(errno, EINVAL);
}

/* ---- the running kernel's BTF, against bpftool ----------------------------- */

static struct bk_btf *vmlinux(void)
{
	struct bk_diag d;
	struct bk_btf *btf;

	if (access(VMLINUX, R_OK))
		BK_SKIP_OR_FAIL("no %s", VMLINUX);
	btf = bk_btf_load_file(VMLINUX, &d);
	cr_assert_not_null(btf, "vmlinux: %s", d.msg);
	return btf;
}

Test(btf, vmlinux_type_count_matches_bpftool)
{
	struct bk_btf *btf;
	char *out = NULL;

	BK_REQUIRE_TOOL("bpftool");
	btf = vmlinux();
	cr_assert_eq(bk_test_run("bpftool btf dump file " VMLINUX " | grep -c '^\\['", &out), 0);
	cr_assert_eq(bk_btf_type_count(btf), strtoul(out, NULL, 10));
	free(out);
	bk_btf_free(btf);
}

/* Every enumerator of the named enum, as bpftool prints it, must match ours
 * in order, name and value. */
static void compare_enum(struct bk_btf *btf, const char *name)
{
	char cmd[256], *out = NULL, *line, *save = NULL;
	int id = bk_btf_find(btf, name, BK_BTF_KIND_ENUM);
	uint32_t idx = 0;
	struct bk_btf_type t;

	cr_assert_gt(id, 0, "enum %s not found", name);
	snprintf(cmd, sizeof(cmd), "bpftool btf dump file %s | grep -A100000 \"^\\[%d\\] \" | "
		 "sed -n '2,$p' | sed '/^\\[/,$d'", VMLINUX, id);
	cr_assert_eq(bk_test_run(cmd, &out), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct bk_btf_enumerator e;
		char ename[128];
		long long val;

		cr_assert_eq(sscanf(line, " '%127[^']' val=%lld", ename, &val), 2, "%s", line);
		cr_assert_eq(bk_btf_enumerator(btf, (uint32_t)id, idx++, &e), 0);
		cr_assert_str_eq(e.name, ename);
		cr_assert_eq(e.value, val, "%s", ename);
	}
	bk_btf_type_by_id(btf, (uint32_t)id, &t);
	cr_assert_eq(idx, t.vlen, "%s: bpftool printed %u of %u", name, idx, t.vlen);
	free(out);
}

Test(btf, vmlinux_bpf_enums_match_bpftool)
{
	struct bk_btf *btf;

	BK_REQUIRE_TOOL("bpftool");
	btf = vmlinux();
	compare_enum(btf, "bpf_func_id");
	compare_enum(btf, "bpf_prog_type");
	compare_enum(btf, "bpf_map_type");
	compare_enum(btf, "bpf_attach_type");
	bk_btf_free(btf);
}

Test(btf, vmlinux_known_uapi_values)
{
	struct bk_btf *btf = vmlinux();
	int64_t v;

	/* Values fixed by the UAPI since they were introduced. */
	cr_assert_eq(bk_btf_enum_value(btf, "bpf_func_id", "BPF_FUNC_map_lookup_elem", &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(bk_btf_enum_value(btf, "bpf_prog_type", "BPF_PROG_TYPE_XDP", &v), 0);
	cr_assert_eq(v, 6);
	cr_assert_eq(bk_btf_enum_value(btf, "bpf_map_type", "BPF_MAP_TYPE_RINGBUF", &v), 0);
	cr_assert_eq(v, 27);
	cr_assert_gt(bk_btf_find(btf, "task_struct", BK_BTF_KIND_STRUCT), 0);
	bk_btf_free(btf);
}

/* The accessors the ELF loader and CO-RE need: params, vars, datasecs, strings. */
Test(btf, vmlinux_params_vars_datasecs_strings)
{
	struct bk_btf *btf = vmlinux();
	struct bk_btf_type t, fn;
	struct bk_btf_param p;
	struct bk_btf_var_secinfo vs;
	int id, sec;
	size_t size = 0;

	/* int bpf_prog_get_info_by_fd(struct file *, struct bpf_prog *, const union bpf_attr *, union bpf_attr *) */
	id = bk_btf_find(btf, "bpf_prog_get_info_by_fd", BK_BTF_KIND_FUNC);
	cr_assert_gt(id, 0);
	cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &fn), 0);
	cr_assert_eq(bk_btf_type_by_id(btf, fn.size_or_type, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_FUNC_PROTO);
	cr_assert_eq(t.vlen, 4);
	cr_assert_eq(bk_btf_param(btf, t.id, 1, &p), 0);
	cr_assert_str_eq(p.name, "prog");
	cr_assert_eq(bk_btf_param(btf, t.id, 4, &p), -ENOENT);
	cr_assert_eq(bk_btf_param(btf, (uint32_t)id, 0, &p), -EINVAL);

	sec = bk_btf_find(btf, ".data..percpu", BK_BTF_KIND_DATASEC);
	cr_assert_gt(sec, 0);
	cr_assert_eq(bk_btf_datasec_var(btf, (uint32_t)sec, 0, &vs), 0);
	cr_assert_eq(bk_btf_type_by_id(btf, vs.type, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_VAR);
	cr_assert_gt(vs.size, 0);
	cr_assert_geq(bk_btf_var_linkage(btf, vs.type), 0);
	cr_assert_eq(bk_btf_var_linkage(btf, (uint32_t)sec), -EINVAL);

	cr_assert_str_eq(bk_btf_str(btf, 0), "");
	cr_assert_not_null(bk_btf_raw(btf, &size));
	cr_assert_gt(size, 1000000);
	cr_assert_null(bk_btf_str(btf, (uint32_t)size));
	bk_btf_free(btf);
}
