// SPDX-License-Identifier: MIT
/* libFuzzer target: the raw BTF reader must never crash or read out of
 * bounds, must explain every rejection, and every type it accepts must be
 * describable, with enum enumerators and name lookups that stay in bounds.
 * What it accepts also goes through the writer (a copy encodes and parses
 * back to the same types), the raw dump and the C dumper (which must end,
 * with output or an error, on any accepted BTF). The same bytes, read as a
 * list of writer operations, build BTF that must encode and parse back or
 * be refused with a reason. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct bk_btf *btf)
{
	uint32_t n = bk_btf_type_count(btf);

	for (uint32_t id = 0; id <= n; id++) {
		struct bk_btf_type t;
		struct bk_btf_enumerator e;

		if (bk_btf_type_by_id(btf, id, &t) || t.id != id || !t.name)
			abort();
		if (t.kind == BK_BTF_KIND_STRUCT || t.kind == BK_BTF_KIND_UNION) {
			struct bk_btf_member m;

			for (uint32_t i = 0; i < t.vlen; i++)
				if (bk_btf_member(btf, id, i, &m) || !m.name)
					abort();
		}
		if (t.kind == BK_BTF_KIND_ARRAY && bk_btf_array_info(btf, id, &(struct bk_btf_array){ 0 }))
			abort();
		if (t.kind == BK_BTF_KIND_INT && bk_btf_int_info(btf, id, &(struct bk_btf_int){ 0 }))
			abort();
		(void)bk_btf_resolve(btf, id); /* any id: must end, in bounds */
		if (t.kind == BK_BTF_KIND_ENUM || t.kind == BK_BTF_KIND_ENUM64) {
			for (uint32_t i = 0; i < t.vlen; i++)
				if (bk_btf_enumerator(btf, id, i, &e) || !e.name)
					abort();
		}
		/* Lookup by name finds this type or an earlier one of that name. */
		if (t.name[0] && id > 0) {
			int found = bk_btf_find(btf, t.name, (int)t.kind);

			if (found <= 0 || (uint32_t)found > id)
				abort();
		}
		if (id > 64) /* bounded work per input */
			break;
	}
	if (bk_btf_type_by_id(btf, n + 1, &(struct bk_btf_type){ 0 }) == 0)
		abort();
}

static FILE *sink(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

/* A copy through the writer parses back to the same types. */
static void copy_round_trip(const struct bk_btf *btf)
{
	struct bk_btf_builder *b = bk_btf_builder_from(btf);
	struct bk_diag d;
	struct bk_btf *back;
	uint32_t n = bk_btf_type_count(btf);

	if (!b)
		abort();
	back = bk_btf_builder_parse(b, &d);
	/* Encoding checks references the reader does not: a refusal must say why. */
	if (!back) {
		if (d.err == 0 || !d.msg[0])
			abort();
		bk_btf_builder_free(b);
		return;
	}
	if (bk_btf_type_count(back) != n)
		abort();
	for (uint32_t id = 1; id <= n && id <= 64; id++) {
		struct bk_btf_type x, y;

		if (bk_btf_type_by_id(btf, id, &x) || bk_btf_type_by_id(back, id, &y) ||
		    x.kind != y.kind || x.vlen != y.vlen || x.size_or_type != y.size_or_type ||
		    strcmp(x.name, y.name) != 0)
			abort();
	}
	bk_btf_free(back);
	bk_btf_builder_free(b);
}

static void dumps(const struct bk_btf *btf)
{
	int err = bk_btf_dump_c(btf, sink(), NULL);

	if (err && err != -EINVAL && err != -ELOOP && err != -E2BIG)
		abort();
	if (bk_btf_dump_raw(btf, sink(), 0))
		abort();
}

/* The bytes as writer operations: op, then small arguments. */
static void build_ops(const uint8_t *p, size_t n)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	static const char *const names[] = { "", "a", "b", "int", "s", "a" };
	struct bk_btf *btf;
	struct bk_diag d;

	if (!b)
		abort();
	for (size_t i = 0; i + 3 < n && i < 256; i += 4) {
		uint32_t x = p[i + 1] % 24, y = p[i + 2] % 24, z = p[i + 3];
		const char *nm = names[z % 6];

		switch (p[i] % 19) {
		case 0: bk_btf_add_int(b, nm[0] ? nm : "i", 1u << (x % 5), y & 7); break;
		case 1: bk_btf_add_ptr(b, x); break;
		case 2: bk_btf_add_array(b, x, y, z); break;
		case 3: bk_btf_add_struct(b, nm, z); break;
		case 4: bk_btf_add_union(b, nm, z); break;
		case 5: bk_btf_add_member(b, nm, x, y * 8, z % 9); break;
		case 6: bk_btf_add_enum(b, nm, 1u << (x % 4), y & 1); break;
		case 7: bk_btf_add_enumerator(b, nm, (int64_t)z - 128); break;
		case 8: bk_btf_add_fwd(b, nm, x & 1); break;
		case 9: bk_btf_add_typedef(b, nm, x); break;
		case 10: bk_btf_add_modifier(b, (int)(9 + y % 3), x); break;
		case 11: bk_btf_add_func_proto(b, x); break;
		case 12: bk_btf_add_param(b, nm, x); break;
		case 13: bk_btf_add_func(b, nm, y % 3, x); break;
		case 14: bk_btf_add_var(b, nm, x, y % 3); break;
		case 15: bk_btf_add_datasec(b, nm, z); break;
		case 16: bk_btf_add_datasec_var(b, x, y, z); break;
		case 17: bk_btf_add_enum64(b, nm, 8, y & 1); break;
		default: bk_btf_builder_redefine(b, x); break;
		}
	}
	btf = bk_btf_builder_parse(b, &d);
	if (btf) {
		if (bk_btf_type_count(btf) != bk_btf_builder_count(b))
			abort();
		walk(btf);
		dumps(btf);
		bk_btf_free(btf);
	} else if (d.err != -EINVAL || !d.msg[0]) {
		abort(); /* only a dangling reference is refused */
	}
	bk_btf_builder_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag d;
	struct bk_btf *btf = bk_btf_parse(data, size, &d);

	build_ops(data, size);
	if (!btf) {
		if (d.err == 0 || d.msg[0] == '\0')
			abort(); /* every failure must say what */
		return 0;
	}
	walk(btf);
	copy_round_trip(btf);
	dumps(btf);
	bk_btf_free(btf);
	return 0;
}
