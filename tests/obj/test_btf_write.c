// SPDX-License-Identifier: MIT
/* The BTF writer: every kind built, encoded and parsed back; a copy of the
 * kernel's vmlinux BTF encoded byte for byte as it was; types redefined and
 * patched; what we build loaded into the kernel and read back; array maps
 * whose values hold a bpf_spin_lock and a bpf_timer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>
#include <bpfkit/info.h>
#include <bpfkit/map.h>

#include "../lib/bk_test.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* One type of every kind; returns the builder, the ids in ids[kind]. */
static struct bk_btf_builder *every_kind(int ids[BK_BTF_KIND_MAX + 1])
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	int u32, s, proto;

	cr_assert_not_null(b);
	ids[BK_BTF_KIND_INT] = u32 = bk_btf_add_int(b, "unsigned int", 4, 0);
	ids[BK_BTF_KIND_PTR] = bk_btf_add_ptr(b, 0);
	ids[BK_BTF_KIND_ARRAY] = bk_btf_add_array(b, (uint32_t)u32, (uint32_t)u32, 7);
	ids[BK_BTF_KIND_STRUCT] = s = bk_btf_add_struct(b, "pkt", 16);
	cr_assert_eq(bk_btf_add_member(b, "len", (uint32_t)u32, 0, 0), 0);
	cr_assert_eq(bk_btf_add_member(b, "flags", (uint32_t)u32, 32, 3), 0); /* bitfield */
	cr_assert_eq(bk_btf_add_member(b, "next", (uint32_t)ids[BK_BTF_KIND_PTR], 64, 0), 0);
	ids[BK_BTF_KIND_UNION] = bk_btf_add_union(b, NULL, 4);
	cr_assert_eq(bk_btf_add_member(b, "a", (uint32_t)u32, 0, 0), 0);
	ids[BK_BTF_KIND_ENUM] = bk_btf_add_enum(b, "e", 4, true);
	cr_assert_eq(bk_btf_add_enumerator(b, "NEG", -5), 0);
	cr_assert_eq(bk_btf_add_enumerator(b, "POS", 7), 0);
	ids[BK_BTF_KIND_FWD] = bk_btf_add_fwd(b, "later", true);
	ids[BK_BTF_KIND_TYPEDEF] = bk_btf_add_typedef(b, "u32_t", (uint32_t)u32);
	ids[BK_BTF_KIND_VOLATILE] = bk_btf_add_modifier(b, BK_BTF_KIND_VOLATILE, (uint32_t)u32);
	ids[BK_BTF_KIND_CONST] = bk_btf_add_modifier(b, BK_BTF_KIND_CONST, (uint32_t)u32);
	ids[BK_BTF_KIND_RESTRICT] = bk_btf_add_modifier(b, BK_BTF_KIND_RESTRICT,
						      (uint32_t)ids[BK_BTF_KIND_PTR]);
	ids[BK_BTF_KIND_FUNC_PROTO] = proto = bk_btf_add_func_proto(b, (uint32_t)u32);
	cr_assert_eq(bk_btf_add_param(b, "x", (uint32_t)u32), 0);
	cr_assert_eq(bk_btf_add_param(b, NULL, 0), 0); /* ... */
	ids[BK_BTF_KIND_FUNC] = bk_btf_add_func(b, "f", BK_BTF_FUNC_GLOBAL, (uint32_t)proto);
	ids[BK_BTF_KIND_VAR] = bk_btf_add_var(b, "counter", (uint32_t)u32, BK_BTF_VAR_GLOBAL_ALLOCATED);
	ids[BK_BTF_KIND_DATASEC] = bk_btf_add_datasec(b, ".data", 4);
	cr_assert_eq(bk_btf_add_datasec_var(b, (uint32_t)ids[BK_BTF_KIND_VAR], 0, 4), 0);
	ids[BK_BTF_KIND_FLOAT] = bk_btf_add_float(b, "double", 8);
	ids[BK_BTF_KIND_DECL_TAG] = bk_btf_add_decl_tag(b, "tagged", (uint32_t)s, 1);
	ids[BK_BTF_KIND_TYPE_TAG] = bk_btf_add_type_tag(b, "user", (uint32_t)u32);
	ids[BK_BTF_KIND_ENUM64] = bk_btf_add_enum64(b, "big", 8, false);
	cr_assert_eq(bk_btf_add_enumerator(b, "HUGE", (int64_t)0xfedcba9876543210ull), 0);
	for (int k = 1; k <= BK_BTF_KIND_MAX; k++)
		cr_assert_gt(ids[k], 0, "kind %s: %d", bk_btf_kind_name(k), ids[k]);
	return b;
}

Test(btf_write, every_kind_round_trips)
{
	int ids[BK_BTF_KIND_MAX + 1] = { 0 };
	struct bk_btf_builder *b = every_kind(ids);
	struct bk_btf *btf = bk_btf_builder_parse(b, NULL);
	struct bk_btf_type t;
	struct bk_btf_member m;
	struct bk_btf_enumerator e;
	struct bk_btf_array a;
	struct bk_btf_param p;
	struct bk_btf_var_secinfo v;
	struct bk_btf_int in;

	cr_assert_not_null(btf, "%s", strerror(errno));
	cr_assert_eq(bk_btf_type_count(btf), (uint32_t)BK_BTF_KIND_MAX);
	for (int k = 1; k <= BK_BTF_KIND_MAX; k++) {
		cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)ids[k], &t), 0);
		cr_assert_eq((int)t.kind, k, "id %d is %s", ids[k], bk_btf_kind_name((int)t.kind));
	}
	cr_assert_eq(bk_btf_int_info(btf, (uint32_t)ids[BK_BTF_KIND_INT], &in), 0);
	cr_assert(in.bits == 32 && in.encoding == 0);
	cr_assert_eq(bk_btf_find(btf, "pkt", BK_BTF_KIND_STRUCT), ids[BK_BTF_KIND_STRUCT]);
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_STRUCT], &t);
	cr_assert(t.vlen == 3 && t.kind_flag && t.size_or_type == 16);
	cr_assert_eq(bk_btf_member(btf, t.id, 1, &m), 0);
	cr_assert(strcmp(m.name, "flags") == 0 && m.bit_offset == 32 && m.bitfield_size == 3);
	cr_assert_eq(bk_btf_member(btf, t.id, 2, &m), 0);
	cr_assert(m.bit_offset == 64 && m.bitfield_size == 0);
	cr_assert_eq(bk_btf_enumerator(btf, (uint32_t)ids[BK_BTF_KIND_ENUM], 0, &e), 0);
	cr_assert(strcmp(e.name, "NEG") == 0 && e.value == -5);
	cr_assert_eq(bk_btf_enumerator(btf, (uint32_t)ids[BK_BTF_KIND_ENUM64], 0, &e), 0);
	cr_assert_eq((uint64_t)e.value, 0xfedcba9876543210ull);
	cr_assert_eq(bk_btf_array_info(btf, (uint32_t)ids[BK_BTF_KIND_ARRAY], &a), 0);
	cr_assert(a.nelems == 7 && a.type == (uint32_t)ids[BK_BTF_KIND_INT]);
	cr_assert_eq(bk_btf_param(btf, (uint32_t)ids[BK_BTF_KIND_FUNC_PROTO], 1, &p), 0);
	cr_assert(p.type == 0 && p.name[0] == '\0');
	cr_assert_eq(bk_btf_var_linkage(btf, (uint32_t)ids[BK_BTF_KIND_VAR]), 1);
	cr_assert_eq(bk_btf_datasec_var(btf, (uint32_t)ids[BK_BTF_KIND_DATASEC], 0, &v), 0);
	cr_assert(v.type == (uint32_t)ids[BK_BTF_KIND_VAR] && v.size == 4);
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_FUNC], &t);
	cr_assert_eq(t.vlen, BK_BTF_FUNC_GLOBAL); /* linkage in vlen */
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_FWD], &t);
	cr_assert(t.kind_flag && strcmp(t.name, "later") == 0);
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_DECL_TAG], &t);
	cr_assert_str_eq(t.name, "tagged");
	bk_btf_free(btf);
	bk_btf_builder_free(b);
}

Test(btf_write, strings_are_deduplicated)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	int a = bk_btf_builder_str(b, "x"), c = bk_btf_builder_str(b, "yy");

	cr_assert_eq(bk_btf_builder_str(b, ""), 0);
	cr_assert_eq(a, 1);
	cr_assert_eq(c, 3);
	cr_assert_eq(bk_btf_builder_str(b, "x"), a);
	for (int i = 0; i < 5000; i++) { /* past several hash resizes */
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		cr_assert_eq(bk_btf_builder_str(b, name), bk_btf_builder_str(b, name));
	}
	cr_assert_eq(bk_btf_builder_str(b, "yy"), c);
	bk_btf_builder_free(b);
}

Test(btf_write, bad_arguments_are_refused)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	struct bk_diag d;
	size_t size;

	cr_assert_eq(bk_btf_add_int(b, "i", 3, 0), -EINVAL);
	cr_assert_eq(bk_btf_add_member(b, "m", 1, 0, 0), -EINVAL); /* no struct yet */
	cr_assert_eq(bk_btf_add_modifier(b, BK_BTF_KIND_PTR, 1), -EINVAL);
	cr_assert_eq(bk_btf_add_typedef(b, "", 1), -EINVAL);
	cr_assert_gt(bk_btf_add_enum(b, "e", 4, false), 0);
	cr_assert_eq(bk_btf_add_enumerator(b, "X", -1), -EINVAL); /* unsigned enum */
	cr_assert_eq(bk_btf_add_enumerator(b, "X", 1ll << 32), -EINVAL);
	cr_assert_gt(bk_btf_add_ptr(b, 9), 0); /* forward reference: checked at encode */
	cr_assert_null(bk_btf_builder_encode(b, &size, &d));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(d.msg, "type 2 refers to type 9"), "%s", d.msg);
	bk_btf_builder_free(b);
}

Test(btf_write, copy_of_vmlinux_encodes_identically)
{
	struct bk_btf *btf = bk_btf_load_file(VMLINUX, NULL);
	struct bk_btf_builder *b;
	const void *raw;
	size_t rsz, esz;
	void *enc;

	if (!btf)
		BK_SKIP_OR_FAIL("no %s: %s", VMLINUX, strerror(errno));
	b = bk_btf_builder_from(btf);
	cr_assert_not_null(b);
	cr_assert_eq(bk_btf_builder_count(b), bk_btf_type_count(btf));
	enc = bk_btf_builder_encode(b, &esz, NULL);
	raw = bk_btf_raw(btf, &rsz);
	cr_assert_eq(esz, rsz);
	cr_assert(memcmp(enc, raw, rsz) == 0);
	/* Existing strings keep their offsets. */
	{
		struct bk_btf_type t;
		int id = bk_btf_find(btf, "task_struct", BK_BTF_KIND_STRUCT);

		cr_assert_gt(id, 0);
		bk_btf_type_by_id(btf, (uint32_t)id, &t);
		cr_assert_eq(bk_btf_builder_str(b, "task_struct"), (int)(t.name - bk_btf_str(btf, 0)));
	}
	free(enc);
	bk_btf_builder_free(b);
	bk_btf_free(btf);
}

Test(btf_write, from_keeps_string_offsets_and_redefines)
{
	int ids[BK_BTF_KIND_MAX + 1] = { 0 };
	struct bk_btf_builder *b = every_kind(ids), *c;
	struct bk_btf *btf = bk_btf_builder_parse(b, NULL), *out;
	struct bk_btf_type t;
	struct bk_btf_member m;
	struct bk_btf_var_secinfo v;
	uint32_t ds = (uint32_t)ids[BK_BTF_KIND_DATASEC], var = (uint32_t)ids[BK_BTF_KIND_VAR];

	cr_assert_not_null(btf);
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_STRUCT], &t);
	c = bk_btf_builder_from(btf);
	cr_assert_not_null(c);
	/* The name's offset in the copy is the one the parsed BTF has. */
	cr_assert_str_eq(bk_btf_str(btf, (uint32_t)bk_btf_builder_str(c, "pkt")), "pkt");
	/* DATASEC -> STRUCT with the variable as a member (what sanitizing does). */
	cr_assert_eq(bk_btf_builder_redefine(c, ds), 0);
	cr_assert_eq(bk_btf_add_struct(c, "data_sec", 4), (int)ds);
	cr_assert_eq(bk_btf_add_member(c, "counter", (uint32_t)ids[BK_BTF_KIND_INT], 0, 0), 0);
	cr_assert_eq(bk_btf_builder_set_linkage(c, (uint32_t)ids[BK_BTF_KIND_FUNC], 0), 0);
	cr_assert_eq(bk_btf_builder_set_linkage(c, var, BK_BTF_VAR_STATIC), 0);
	cr_assert_eq(bk_btf_builder_set_name(c, (uint32_t)ids[BK_BTF_KIND_FWD], "renamed"), 0);
	cr_assert_eq(bk_btf_builder_set_datasec_var(c, ds, 0, 0, 4), -EINVAL); /* now a struct */
	cr_assert_eq(bk_btf_builder_set_linkage(c, 999, 0), -ENOENT);
	cr_assert_gt(bk_btf_add_int(c, "extra", 8, BK_BTF_INT_SIGNED), 0);
	out = bk_btf_builder_parse(c, NULL);
	cr_assert_not_null(out, "%s", strerror(errno));
	cr_assert_eq(bk_btf_type_count(out), bk_btf_type_count(btf) + 1);
	bk_btf_type_by_id(out, ds, &t);
	cr_assert(t.kind == BK_BTF_KIND_STRUCT && strcmp(t.name, "data_sec") == 0 && t.vlen == 1);
	cr_assert_eq(bk_btf_member(out, ds, 0, &m), 0);
	cr_assert_str_eq(m.name, "counter");
	cr_assert_eq(bk_btf_var_linkage(out, var), 0);
	bk_btf_type_by_id(out, (uint32_t)ids[BK_BTF_KIND_FUNC], &t);
	cr_assert_eq(t.vlen, 0);
	bk_btf_type_by_id(out, (uint32_t)ids[BK_BTF_KIND_FWD], &t);
	cr_assert_str_eq(t.name, "renamed");
	/* Patch a DATASEC entry of the original. */
	bk_btf_builder_free(c);
	c = bk_btf_builder_from(btf);
	cr_assert_eq(bk_btf_builder_set_datasec_var(c, ds, 0, 8, 4), 0);
	cr_assert_eq(bk_btf_builder_set_size_or_type(c, ds, 12), 0);
	bk_btf_free(out);
	out = bk_btf_builder_parse(c, NULL);
	cr_assert_eq(bk_btf_datasec_var(out, ds, 0, &v), 0);
	cr_assert_eq(v.offset, 8);
	bk_btf_type_by_id(out, ds, &t);
	cr_assert_eq(t.size_or_type, 12);
	bk_btf_free(out);
	bk_btf_builder_free(c);
	bk_btf_free(btf);
	bk_btf_builder_free(b);
}

/* A copy re-adding names of its source (by their address there) keeps their
 * offsets without growing; the same text from elsewhere, or a new string,
 * still goes through the index: found once, added once. */
Test(btf_write, from_reuses_source_strings_by_address)
{
	int ids[BK_BTF_KIND_MAX + 1] = { 0 };
	struct bk_btf_builder *b = every_kind(ids), *c;
	struct bk_btf *btf = bk_btf_builder_parse(b, NULL);
	struct bk_btf_type t;
	char copy[64];
	size_t before, after;
	void *raw;
	int off, fresh;

	cr_assert_not_null(btf);
	bk_btf_type_by_id(btf, (uint32_t)ids[BK_BTF_KIND_STRUCT], &t);
	c = bk_btf_builder_from(btf);
	raw = bk_btf_builder_encode(c, &before, NULL);
	free(raw);
	off = bk_btf_builder_str(c, t.name); /* t.name points into btf's strings */
	cr_assert_gt(off, 0);
	cr_assert_str_eq(bk_btf_str(btf, (uint32_t)off), t.name);
	snprintf(copy, sizeof(copy), "%s", t.name);
	cr_assert_eq(bk_btf_builder_str(c, copy), off, "the same text elsewhere: found, not added");
	cr_assert_eq(bk_btf_builder_str(c, t.name + 1), off + 1, "a suffix is a string too");
	raw = bk_btf_builder_encode(c, &after, NULL);
	free(raw);
	cr_assert_eq(after, before, "nothing was appended");
	fresh = bk_btf_builder_str(c, "not_in_the_source");
	cr_assert_gt(fresh, 0);
	cr_assert_eq(bk_btf_builder_str(c, "not_in_the_source"), fresh);
	raw = bk_btf_builder_encode(c, &after, NULL);
	free(raw);
	cr_assert_eq(after, before + sizeof("not_in_the_source"));
	bk_btf_builder_free(c);
	bk_btf_free(btf);
	bk_btf_builder_free(b);
}

Test(btf_write, split_builder_continues_its_base)
{
	struct bk_btf_builder *b = bk_btf_builder_new(), *s;
	struct bk_btf *base, *split;
	struct bk_btf_type t;
	struct bk_btf_member m;
	int u32 = bk_btf_add_int(b, "u32", 4, 0), sid;

	base = bk_btf_builder_parse(b, NULL);
	cr_assert_not_null(base);
	s = bk_btf_builder_new_split(base);
	cr_assert_eq(bk_btf_builder_str(s, ""), 0);
	sid = bk_btf_add_struct(s, "mod_thing", 4);
	cr_assert_eq(sid, 2);
	cr_assert_eq(bk_btf_add_member(s, "v", (uint32_t)u32, 0, 0), 0);
	split = bk_btf_builder_parse(s, NULL);
	cr_assert_not_null(split, "%s", strerror(errno));
	cr_assert_eq(bk_btf_first_id(split), 2);
	cr_assert_eq(bk_btf_base(split), base);
	cr_assert_eq(bk_btf_type_count(split), 2);
	cr_assert_eq(bk_btf_find(split, "u32", BK_BTF_KIND_INT), 1); /* found in the base */
	cr_assert_eq(bk_btf_find(split, "mod_thing", BK_BTF_KIND_STRUCT), 2);
	cr_assert_eq(bk_btf_member(split, 2, 0, &m), 0);
	cr_assert(strcmp(m.name, "v") == 0 && m.type == 1);
	cr_assert_eq(bk_btf_type_by_id(split, 1, &t), 0);
	cr_assert_str_eq(t.name, "u32");
	cr_assert_eq(bk_btf_builder_load(s, NULL), -EOPNOTSUPP);
	bk_btf_free(split);
	bk_btf_builder_free(s);
	bk_btf_free(base);
	bk_btf_builder_free(b);
}

/* Load what we built, then read it back from the kernel. */
Test(btf_write, kernel_accepts_and_returns_it)
{
	int ids[BK_BTF_KIND_MAX + 1] = { 0 };
	struct bk_btf_builder *b;
	struct bk_info_btf info;
	struct bk_diag d;
	size_t size;
	uint32_t len = 0;
	void *raw, *back;
	int fd;

	BK_REQUIRE_KERNEL();
	bk_test_fd_snapshot();
	b = every_kind(ids);
	raw = bk_btf_builder_encode(b, &size, NULL);
	fd = bk_btf_builder_load(b, &(struct bk_btf_kload_opts){ .sz = sizeof(struct bk_btf_kload_opts),
								  .diag = &d });
	cr_assert_geq(fd, 0, "%s", d.msg);
	cr_assert_eq(bk_info_btf(fd, &info), 0);
	cr_assert(info.id > 0 && !info.kernel && info.size == size);
	cr_assert_eq(bk_info_btf_data(fd, NULL, 0, &len), 0);
	cr_assert_eq(len, size);
	back = malloc(len);
	cr_assert_eq(bk_info_btf_data(fd, back, len, &len), 0);
	cr_assert(memcmp(back, raw, size) == 0, "the kernel returns the bytes we loaded");
	free(back);
	free(raw);
	close(fd);
	bk_btf_builder_free(b);
	bk_test_fd_check();
}

Test(btf_write, kernel_rejection_is_explained)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	struct bk_diag d;
	int fd;

	BK_REQUIRE_KERNEL();
	/* A struct member past the end of the struct: the kernel's own check. */
	bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	bk_btf_add_struct(b, "s", 4);
	bk_btf_add_member(b, "late", 1, 64, 0);
	fd = bk_btf_builder_load(b, &(struct bk_btf_kload_opts){ .sz = sizeof(struct bk_btf_kload_opts),
								  .diag = &d });
	cr_assert_lt(fd, 0);
	cr_assert_eq(d.err, fd);
	cr_assert(strstr(d.msg, "BPF_BTF_LOAD: ") && strlen(d.msg) > 15, "%s", d.msg);
	bk_btf_builder_free(b);
}

/* struct val { int x; struct bpf_spin_lock lock; struct bpf_timer t; } in an
 * array map: the kernel finds the lock and the timer through BTF. */
Test(btf_write, spin_lock_and_timer_map_values)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	struct bk_map_opts o = { .sz = sizeof(o) };
	struct bk_map *m;
	uint32_t key = 0;
	uint8_t val[32] = { 0 }, out[32];
	int i32, u32, u64, lock, timer, arr, val_t, fd;

	BK_REQUIRE_KERNEL();
	i32 = bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	u32 = bk_btf_add_int(b, "unsigned int", 4, 0);
	u64 = bk_btf_add_int(b, "unsigned long long", 8, 0);
	lock = bk_btf_add_struct(b, "bpf_spin_lock", 4);
	bk_btf_add_member(b, "val", (uint32_t)u32, 0, 0);
	arr = bk_btf_add_array(b, (uint32_t)u64, (uint32_t)u32, 2);
	timer = bk_btf_add_struct(b, "bpf_timer", 16);
	bk_btf_add_member(b, "__opaque", (uint32_t)arr, 0, 0);
	val_t = bk_btf_add_struct(b, "val", 24);
	bk_btf_add_member(b, "x", (uint32_t)i32, 0, 0);
	bk_btf_add_member(b, "lock", (uint32_t)lock, 32, 0);
	bk_btf_add_member(b, "t", (uint32_t)timer, 64, 0);
	fd = bk_btf_builder_load(b, NULL);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	o.btf_fd = fd;
	o.btf_key_type_id = (uint32_t)i32;
	o.btf_value_type_id = (uint32_t)val_t;
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "locked", 4, 24, 1, &o);
	cr_assert_not_null(m, "array map with spin lock and timer: %s", strerror(errno));
	memcpy(val, &(int){ 42 }, 4);
	/* BK_F_LOCK is accepted only because the value's BTF has the lock. */
	cr_assert_eq(bk_map_update(m, &key, 4, val, 24, BK_F_LOCK), 0);
	cr_assert_eq(bk_map_lookup(m, &key, 4, out, 24, BK_F_LOCK), 0);
	cr_assert_eq(*(int *)out, 42);
	bk_map_close(m);
	/* Without BTF the same flag is refused: the BTF made the difference. */
	m = bk_map_create(BK_MAP_TYPE_ARRAY, "plain", 4, 24, 1, NULL);
	cr_assert_not_null(m);
	cr_assert_eq(bk_map_update(m, &key, 4, val, 24, BK_F_LOCK), -EINVAL);
	bk_map_close(m);
	close(fd);
	bk_btf_builder_free(b);
}

/* A referenced kptr (ptr -> type_tag "kptr" -> struct task_struct) in an
 * array map's value: the kernel knows the field is special and keeps user
 * space from writing it (the bytes read back as 0), which it does not do
 * for the same pointer without the tag. */
Test(btf_write, kptr_map_values)
{
	struct bk_map_opts o = { .sz = sizeof(o) };
	uint64_t val[2] = { 0x1122334455667788ull, 42 }, out[2];
	uint32_t key = 0;
	struct bk_map *m;

	BK_REQUIRE_KERNEL();
	for (int tagged = 1; tagged >= 0; tagged--) {
		struct bk_btf_builder *b = bk_btf_builder_new();
		int i32, u64, st, ptr, vt, fd;

		i32 = bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
		u64 = bk_btf_add_int(b, "long long unsigned int", 8, 0);
		st = bk_btf_add_struct(b, "task_struct", 0);
		if (tagged)
			st = bk_btf_add_type_tag(b, "kptr", (uint32_t)st);
		ptr = bk_btf_add_ptr(b, (uint32_t)st);
		vt = bk_btf_add_struct(b, "val", 16);
		cr_assert_eq(bk_btf_add_member(b, "task", (uint32_t)ptr, 0, 0), 0);
		cr_assert_eq(bk_btf_add_member(b, "n", (uint32_t)u64, 64, 0), 0);
		fd = bk_btf_builder_load(b, NULL);
		cr_assert_geq(fd, 0, "%s", strerror(errno));
		o.btf_fd = fd;
		o.btf_key_type_id = (uint32_t)i32;
		o.btf_value_type_id = (uint32_t)vt;
		m = bk_map_create(BK_MAP_TYPE_ARRAY, "kptrs", 4, 16, 1, &o);
		cr_assert_not_null(m, "%s", strerror(errno));
		cr_assert_eq(bk_map_update(m, &key, 4, val, 16, 0), 0);
		cr_assert_eq(bk_map_lookup(m, &key, 4, out, 16, 0), 0);
		cr_assert_eq(out[1], 42);
		cr_assert_eq(out[0], tagged ? 0 : val[0], "tagged %d: %#llx", tagged,
			     (unsigned long long)out[0]);
		bk_map_close(m);
		close(fd);
		bk_btf_builder_free(b);
	}
}
