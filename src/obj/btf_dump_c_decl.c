// SPDX-License-Identifier: MIT
/*
 * The C dumper's definitions and declarators: struct and union bodies with
 * bitfields and the explicit padding that reproduces BTF's offsets, packed
 * when no natural layout gives them; enums (sized with a mode attribute when
 * C would size them otherwise); typedefs; and declarators built inside out
 * from the chain of pointers, arrays, qualifiers and function prototypes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "btf_dump_c.h"

#define PTR_SZ 8u

/* ---- size and alignment ------------------------------------------------- */

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static uint32_t member_align(struct cdump *d, const uint8_t *r, int depth, bool *packed)
{
	bool kflag = bk__rd32(r + 4) >> 31;
	uint32_t max = 1;

	for (uint32_t i = 0; i < bk__btf_vlen(r); i++) {
		const uint8_t *m = r + BK__BTF_TYPE_SZ + i * 12;
		uint32_t a = cd_align(d, bk__rd32(m + 4), depth + 1), off = bk__rd32(m + 8);
		bool bitfield = kflag && (off >> 24);

		if (!a)
			return 0;
		if (kflag)
			off &= 0xffffff;
		if (!bitfield && off % (8 * a))
			*packed = true; /* a member off its natural alignment */
		if (a > max)
			max = a;
	}
	if (bk__rd32(r + 8) % max)
		*packed = true; /* a size no natural layout gives */
	return max;
}

uint32_t cd_align(struct cdump *d, uint32_t id, int depth)
{
	const uint8_t *r;
	bool packed = false;
	uint32_t a;

	if (depth > CD_MAX_DEPTH || !(r = cd_rec(d, id)))
		return 0;
	switch (bk__btf_kind(r)) {
	case BK_BTF_KIND_INT: case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
	case BK_BTF_KIND_FLOAT:
		return min_u32(PTR_SZ, bk__rd32(r + 8));
	case BK_BTF_KIND_PTR:
		return PTR_SZ;
	case BK_BTF_KIND_TYPEDEF: case BK_BTF_KIND_VOLATILE: case BK_BTF_KIND_CONST:
	case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_TYPE_TAG:
		return cd_align(d, bk__rd32(r + 8), depth + 1);
	case BK_BTF_KIND_ARRAY:
		return cd_align(d, bk__rd32(r + 12), depth + 1);
	case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		/* Remembered: anonymous structs nest, walking them again and
		 * again would take time exponential in their depth. */
		if (d->st[id].align)
			return d->st[id].align;
		a = member_align(d, r, depth, &packed);
		a = packed && a ? 1 : a;
		if (a <= PTR_SZ)
			d->st[id].align = (uint8_t)a;
		return a;
	default:
		return 0;
	}
}

uint64_t cd_size(struct cdump *d, uint32_t id, int depth)
{
	const uint8_t *r;

	if (depth > CD_MAX_DEPTH || !(r = cd_rec(d, id)))
		return 0;
	switch (bk__btf_kind(r)) {
	case BK_BTF_KIND_INT: case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
	case BK_BTF_KIND_FLOAT: case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
		return bk__rd32(r + 8);
	case BK_BTF_KIND_PTR:
		return PTR_SZ;
	case BK_BTF_KIND_TYPEDEF: case BK_BTF_KIND_VOLATILE: case BK_BTF_KIND_CONST:
	case BK_BTF_KIND_RESTRICT: case BK_BTF_KIND_TYPE_TAG:
		return cd_size(d, bk__rd32(r + 8), depth + 1);
	case BK_BTF_KIND_ARRAY:
		return (uint64_t)bk__rd32(r + 20) * cd_size(d, bk__rd32(r + 12), depth + 1);
	default:
		return 0;
	}
}

/* ---- padding ------------------------------------------------------------ */

static const struct pad {
	const char *name;
	int bits;
} pads[] = { { "long", 64 }, { "int", 32 }, { "short", 16 }, { "char", 8 } };

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/*
 * Fill the bits from cur to next with unnamed bitfields. The widest of long,
 * int, short, char whose alignment point lies within the gap is used; an
 * explicit `type: 0` forces that point when the compiler would not reach it
 * on its own (the next member's alignment is weaker, or we are inside a
 * bitfield run that would otherwise go on).
 */
static void pad_bits(struct cdump *d, uint64_t cur, uint64_t next, uint32_t next_align,
		     bool in_bitfield, int lvl)
{
	uint64_t new_off = cur;
	int i, bits = 8;
	const char *type = "char";

	if (cur >= next)
		return;
	for (i = 0; i < 4; i++) {
		bits = pads[i].bits;
		type = pads[i].name;
		new_off = round_up(cur, (uint64_t)bits);
		if (new_off <= next)
			break;
	}
	if (new_off > cur && new_off <= next) {
		if (in_bitfield || (new_off == next && round_up(cur, next_align * 8ull) != new_off) ||
		    (new_off != next && next - new_off <= new_off - cur)) {
			cd_put(d, "\n");
			cd_indent(d, lvl);
			cd_putf(d, "%s: %d;", type, in_bitfield ? (int)(new_off - cur) : 0);
		}
		cur = new_off;
	}
	while (cur < next && !d->err) {
		uint64_t n = next - cur < (uint64_t)bits ? next - cur : (uint64_t)bits;

		if (n < (uint64_t)bits) { /* the smallest type that holds the rest */
			for (i = 3; i >= 0 && pads[i].bits < (int)n; i--)
				;
			type = pads[i < 0 ? 0 : i].name;
		}
		cd_put(d, "\n");
		cd_indent(d, lvl);
		cd_putf(d, "%s: %d;", type, (int)n);
		cur += n;
	}
}

/* ---- definitions -------------------------------------------------------- */

void cd_struct_fwd(struct cdump *d, uint32_t id)
{
	const uint8_t *r = cd_rec(d, id);

	if (r)
		cd_putf(d, "%s %s", bk__btf_kind(r) == BK_BTF_KIND_UNION ? "union" : "struct",
			cd_type_name(d, id));
}

void cd_struct_def(struct cdump *d, uint32_t id, int lvl)
{
	const uint8_t *r = cd_rec(d, id);
	bool is_struct, kflag, packed = false, prev_bitfield = false;
	uint32_t align, vlen;
	uint64_t off = 0;

	if (!r)
		return;
	is_struct = bk__btf_kind(r) == BK_BTF_KIND_STRUCT;
	kflag = bk__rd32(r + 4) >> 31;
	vlen = bk__btf_vlen(r);
	align = member_align(d, r, 0, &packed);
	if (packed)
		align = 1; /* as the container sees it */
	packed = is_struct && packed;
	cd_putf(d, "%s%s%s {", is_struct ? "struct" : "union", bk__rd32(r) ? " " : "",
		cd_type_name(d, id));
	for (uint32_t i = 0; i < vlen && !d->err; i++) {
		const uint8_t *m = r + BK__BTF_TYPE_SZ + i * 12;
		uint32_t type = bk__rd32(m + 4), word = bk__rd32(m + 8);
		uint32_t bsz = kflag ? word >> 24 : 0, moff = kflag ? word & 0xffffff : word;
		uint32_t malign = packed ? 1 : cd_align(d, type, 0);

		pad_bits(d, off, moff, malign ? malign : 1, prev_bitfield && bsz, lvl + 1);
		cd_put(d, "\n");
		cd_indent(d, lvl + 1);
		cd_type_decl(d, type, bk__btf_s(d->b, bk__rd32(m)), lvl + 1);
		if (bsz) {
			cd_putf(d, ": %u", bsz);
			off = (uint64_t)moff + bsz;
			prev_bitfield = true;
		} else {
			off = (uint64_t)moff + cd_size(d, type, 0) * 8;
			prev_bitfield = false;
		}
		cd_put(d, ";");
	}
	if (is_struct)
		pad_bits(d, off, (uint64_t)bk__rd32(r + 8) * 8, align ? align : 1, false, lvl + 1);
	if (vlen || bk__rd32(r + 8)) {
		cd_put(d, "\n");
		cd_indent(d, lvl);
	}
	cd_put(d, "}");
	if (packed)
		cd_put(d, " __attribute__((packed))");
}

/* The size C gives an enum with these values: 4, or 8 when one needs it. */
static uint32_t natural_enum_size(const uint8_t *r, bool is64)
{
	bool sgn = bk__rd32(r + 4) >> 31;

	for (uint32_t i = 0; is64 && i < bk__btf_vlen(r); i++) {
		const uint8_t *e = r + BK__BTF_TYPE_SZ + i * 12;
		uint64_t v = (uint64_t)bk__rd32(e + 8) << 32 | bk__rd32(e + 4);

		if (sgn ? (int64_t)v < INT32_MIN || (int64_t)v > UINT32_MAX : v > UINT32_MAX)
			return 8;
	}
	return 4;
}

void cd_enum_def(struct cdump *d, uint32_t id, int lvl)
{
	const uint8_t *r = cd_rec(d, id);
	bool is64, sgn;
	uint32_t size;

	if (!r)
		return;
	is64 = bk__btf_kind(r) == BK_BTF_KIND_ENUM64;
	sgn = bk__rd32(r + 4) >> 31;
	size = bk__rd32(r + 8);
	cd_putf(d, "enum%s%s", bk__rd32(r) ? " " : "", cd_type_name(d, id));
	if (!bk__btf_vlen(r))
		return;
	cd_put(d, " {");
	for (uint32_t i = 0; i < bk__btf_vlen(r) && !d->err; i++) {
		const uint8_t *e = r + BK__BTF_TYPE_SZ + i * (is64 ? 12 : 8);
		const char *name = bk__btf_s(d->b, bk__rd32(e));
		uint32_t dups = cd_name_dups(d, &d->idents, name);
		uint64_t v = is64 ? (uint64_t)bk__rd32(e + 8) << 32 | bk__rd32(e + 4) : bk__rd32(e + 4);

		cd_put(d, "\n");
		cd_indent(d, lvl + 1);
		cd_put(d, name);
		if (dups > 1)
			cd_putf(d, "___%u", dups);
		if (is64)
			cd_putf(d, sgn ? " = %lldLL," : " = %lluULL,",
				sgn ? (long long)v : (long long)(unsigned long long)v);
		else if (sgn)
			cd_putf(d, " = %d,", (int32_t)v);
		else
			cd_putf(d, " = %u,", (uint32_t)v);
	}
	cd_put(d, "\n");
	cd_indent(d, lvl);
	cd_put(d, "}");
	if (size != natural_enum_size(r, is64)) {
		static const char *const modes[9] = { [1] = "QI", [2] = "HI", [4] = "SI", [8] = "DI" };

		if (size <= 8 && modes[size])
			cd_putf(d, " __attribute__((mode(%s)))", modes[size]);
	}
}

void cd_typedef_def(struct cdump *d, uint32_t id, int lvl)
{
	const uint8_t *r = cd_rec(d, id);
	const char *name = cd_ident_name(d, id);

	if (!r)
		return;
	/* Old GCC wrote __gnuc_va_list as a typedef of void. */
	if (bk__rd32(r + 8) == 0 && strcmp(name, "__gnuc_va_list") == 0) {
		cd_put(d, "typedef __builtin_va_list __gnuc_va_list");
		return;
	}
	cd_put(d, "typedef ");
	cd_type_decl(d, bk__rd32(r + 8), name, lvl);
}

/* ---- declarators -------------------------------------------------------- */

static bool is_mod(uint32_t kind)
{
	return kind == BK_BTF_KIND_VOLATILE || kind == BK_BTF_KIND_CONST ||
	       kind == BK_BTF_KIND_RESTRICT || kind == BK_BTF_KIND_TYPE_TAG;
}

/* A view of our part of the shared declaration stack. */
struct frame {
	uint32_t *ids;
	size_t cnt;
};

static uint32_t kind_of(struct cdump *d, uint32_t id)
{
	return id ? bk__btf_kind(bk__btf_rec(d->b, id)) : BK_BTF_KIND_UNKN;
}

/* Leading qualifiers of the base type: "const volatile int". */
static void emit_mods(struct cdump *d, struct frame *f)
{
	while (f->cnt) {
		uint32_t k = kind_of(d, f->ids[f->cnt - 1]);

		if (k == BK_BTF_KIND_VOLATILE)
			cd_put(d, "volatile ");
		else if (k == BK_BTF_KIND_CONST)
			cd_put(d, "const ");
		else if (k == BK_BTF_KIND_RESTRICT)
			cd_put(d, "restrict ");
		else
			return;
		f->cnt--;
	}
}

/* Qualifiers on arrays and functions mean nothing in C: drop them. */
static void drop_mods(struct cdump *d, struct frame *f)
{
	while (f->cnt && is_mod(kind_of(d, f->ids[f->cnt - 1])))
		f->cnt--;
}

static void emit_name(struct cdump *d, const char *name, bool last_was_ptr)
{
	if (name[0] && !last_was_ptr)
		cd_put(d, " ");
	cd_put(d, name);
}

static void emit_chain(struct cdump *d, struct frame *f, const char *fname, int lvl);

static void emit_array(struct cdump *d, struct frame *f, uint32_t id, const char *fname,
		       bool last_was_ptr, int lvl)
{
	uint32_t nelems = bk__rd32(bk__btf_rec(d->b, id) + 20);
	bool multidim;

	drop_mods(d, f);
	if (!f->cnt) {
		emit_name(d, fname, last_was_ptr);
		cd_putf(d, "[%u]", nelems);
		return;
	}
	multidim = kind_of(d, f->ids[f->cnt - 1]) == BK_BTF_KIND_ARRAY;
	if (fname[0] && !last_was_ptr)
		cd_put(d, " ");
	if (!multidim)
		cd_put(d, "(");
	emit_chain(d, f, fname, lvl);
	if (!multidim)
		cd_put(d, ")");
	cd_putf(d, "[%u]", nelems);
}

static void emit_proto(struct cdump *d, struct frame *f, uint32_t id, const char *fname,
		       bool last_was_ptr, int lvl)
{
	const uint8_t *r = bk__btf_rec(d->b, id);
	uint32_t vlen = bk__btf_vlen(r);

	drop_mods(d, f);
	if (f->cnt) {
		cd_put(d, " (");
		emit_chain(d, f, fname, lvl);
		cd_put(d, ")");
	} else {
		emit_name(d, fname, last_was_ptr);
	}
	cd_put(d, "(");
	if (vlen == 0 || (vlen == 1 && bk__rd32(r + BK__BTF_TYPE_SZ + 4) == 0)) {
		cd_put(d, "void)");
		return;
	}
	for (uint32_t i = 0; i < vlen && !d->err; i++) {
		uint32_t t = bk__rd32(r + BK__BTF_TYPE_SZ + i * 8 + 4);

		if (i)
			cd_put(d, ", ");
		if (i == vlen - 1 && t == 0) {
			cd_put(d, "...");
			break;
		}
		cd_type_decl(d, t, "", lvl);
	}
	cd_put(d, ")");
}

/* The base type of the chain, then its declarator, popping the stack. */
static void emit_chain(struct cdump *d, struct frame *f, const char *fname, int lvl)
{
	bool last_was_ptr = true;

	while (f->cnt && !d->err) {
		uint32_t id = f->ids[--f->cnt], kind;
		const uint8_t *r;

		if (id == 0) {
			emit_mods(d, f);
			cd_put(d, "void");
			last_was_ptr = false;
			continue;
		}
		r = bk__btf_rec(d->b, id);
		kind = bk__btf_kind(r);
		switch (kind) {
		case BK_BTF_KIND_INT: case BK_BTF_KIND_FLOAT:
			emit_mods(d, f);
			cd_put(d, bk__btf_rname(d->b, r));
			break;
		case BK_BTF_KIND_STRUCT: case BK_BTF_KIND_UNION:
			emit_mods(d, f);
			if (bk__rd32(r))
				cd_struct_fwd(d, id);
			else
				cd_struct_def(d, id, lvl); /* anonymous: inline */
			break;
		case BK_BTF_KIND_ENUM: case BK_BTF_KIND_ENUM64:
			emit_mods(d, f);
			if (bk__rd32(r))
				cd_putf(d, "enum %s", cd_type_name(d, id));
			else
				cd_enum_def(d, id, lvl);
			break;
		case BK_BTF_KIND_FWD:
			emit_mods(d, f);
			cd_putf(d, "%s %s", bk__rd32(r + 4) >> 31 ? "union" : "struct",
				bk__btf_rname(d->b, r));
			break;
		case BK_BTF_KIND_TYPEDEF:
			emit_mods(d, f);
			cd_put(d, cd_ident_name(d, id));
			break;
		case BK_BTF_KIND_PTR:
			cd_put(d, last_was_ptr ? "*" : " *");
			break;
		case BK_BTF_KIND_VOLATILE:
			cd_put(d, " volatile");
			break;
		case BK_BTF_KIND_CONST:
			cd_put(d, " const");
			break;
		case BK_BTF_KIND_RESTRICT:
			cd_put(d, " restrict");
			break;
		case BK_BTF_KIND_TYPE_TAG:
			emit_mods(d, f);
			cd_putf(d, " __attribute__((btf_type_tag(\"%s\")))", bk__btf_rname(d->b, r));
			break;
		case BK_BTF_KIND_ARRAY:
			emit_array(d, f, id, fname, last_was_ptr, lvl);
			return;
		case BK_BTF_KIND_FUNC_PROTO:
			emit_proto(d, f, id, fname, last_was_ptr, lvl);
			return;
		default:
			d->err = -EINVAL; /* FUNC, VAR... inside a type */
			return;
		}
		last_was_ptr = kind == BK_BTF_KIND_PTR;
	}
	emit_name(d, fname, last_was_ptr);
}

static int push(struct cdump *d, uint32_t id)
{
	if (d->ndecl == d->capdecl) {
		size_t cap = d->capdecl ? d->capdecl * 2 : 64;
		uint32_t *s = realloc(d->decl, cap * sizeof(*s));

		if (!s)
			return d->err = -ENOMEM;
		d->decl = s;
		d->capdecl = cap;
	}
	if (d->ndecl >= CD_MAX_DEPTH)
		return d->err = -ELOOP;
	d->decl[d->ndecl++] = id;
	return 0;
}

void cd_type_decl(struct cdump *d, uint32_t id, const char *fname, int lvl)
{
	size_t start = d->ndecl;
	struct frame f;

	if (lvl > CD_MAX_DEPTH) {
		d->err = -ELOOP;
		return;
	}
	for (;;) {
		const uint8_t *r;
		uint32_t kind;

		if (push(d, id))
			return;
		if (id == 0)
			break;
		r = cd_rec(d, id);
		if (!r)
			return;
		kind = bk__btf_kind(r);
		if (kind == BK_BTF_KIND_PTR || is_mod(kind) || kind == BK_BTF_KIND_FUNC_PROTO)
			id = bk__rd32(r + 8);
		else if (kind == BK_BTF_KIND_ARRAY)
			id = bk__rd32(r + 12);
		else
			break;
	}
	f.ids = d->decl + start;
	f.cnt = d->ndecl - start;
	emit_chain(d, &f, fname, lvl);
	d->ndecl = start;
}
