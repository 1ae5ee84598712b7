// SPDX-License-Identifier: MIT
/*
 * CO-RE test object: one section per relocation under test, each a function
 * whose first CO-RE record is the one the test checks (tests/elf/test_core*.c).
 * Local types differ from core_target.h on purpose.
 */
#define PAI __attribute__((preserve_access_index))
#define SEC(n) __attribute__((section("s_" n), used)) /* "s_": not a symbol name */

struct core_a {
	int x;
	long y;
	unsigned int bf1 : 3, bf2 : 5;
	int sbf : 9;
	int arr[4];
	struct {
		int in1;
		int in2;
	};
	char *p;
	unsigned short u16f;
	short s16f;
	unsigned int sg;
	int small[8];
	int missing;
} PAI;

struct core_a___v2 {
	int x;
} PAI;

struct core_f {
	int a;
} PAI;

struct core_amb {
	int a;
} PAI;

struct core_amb2 {
	int a;
} PAI;

struct core_gone {
	int gone;
} PAI;

struct core_m {
	int a;
	struct core_a *pa;
} PAI;

struct core_nm {
	long a;
} PAI;

struct core_none {
	int a;
} PAI;

struct core_n {
	int a;
	int b;
	int c;
} PAI;

struct core_big {
	int far;
} PAI;

struct core_flex {
	int n;
	int data[];
} PAI;

struct core_fwd_s;
union core_fwd_u;
struct core_fwd_s2;
struct core_tm_ptr {
	struct core_fwd_s *s;
	union core_fwd_u *u;
} PAI;
struct core_tm_ptr2 {
	struct core_fwd_s2 *s;
} PAI;
enum core_tm_e4 { TM_A, TM_B };
enum core_tm_e { TME_A, TME_B };
enum core_tm_emiss { TMM_A, TMM_Z };
struct core_tm_sign {
	unsigned int v;
} PAI;
struct core_tm_arr {
	int v[4];
} PAI;
struct core_tm_fn {
	int (*fn)(int, long);
} PAI;
struct core_tm_fn2 {
	int (*fn)(int, long);
} PAI;
struct core_tm_union {
	int a;
} PAI;
typedef int (*core_fnp)(int, long);
typedef int (*core_fnp_same)(int, long);

enum core_e { E_ONE = 1, E_TWO = 2, E_GONE = 3, E_NEG = -1 };

/* A VAR whose id a hand-made record uses as its root (test_core_cands.c). */
struct core_a g_var_root;

enum { F_OFF, F_SIZE, F_EXISTS, F_SIGNED, F_LSHIFT, F_RSHIFT };

#define FIELD(sec, fn, expr, kind) \
	SEC(sec) unsigned long fn(struct core_a *a) { return __builtin_preserve_field_info(expr, kind); }

FIELD("off_x", off_x, a->x, F_OFF)
FIELD("off_y", off_y, a->y, F_OFF)
FIELD("size_y", size_y, a->y, F_SIZE)
FIELD("off_arr2", off_arr2, a->arr[2], F_OFF)
FIELD("size_arr", size_arr, a->arr, F_SIZE)
FIELD("off_in2", off_in2, a->in2, F_OFF)
FIELD("exists_x", exists_x, a->x, F_EXISTS)
FIELD("exists_missing", exists_missing, a->missing, F_EXISTS)
FIELD("signed_sg", signed_sg, a->sg, F_SIGNED)
FIELD("signed_sbf", signed_sbf, a->sbf, F_SIGNED)
FIELD("bf1_off", bf1_off, a->bf1, F_OFF)
FIELD("bf1_size", bf1_size, a->bf1, F_SIZE)
FIELD("bf1_lshift", bf1_lshift, a->bf1, F_LSHIFT)
FIELD("bf1_rshift", bf1_rshift, a->bf1, F_RSHIFT)
FIELD("bf2_off", bf2_off, a->bf2, F_OFF)
FIELD("bf2_size", bf2_size, a->bf2, F_SIZE)
FIELD("bf2_lshift", bf2_lshift, a->bf2, F_LSHIFT)
FIELD("bf2_rshift", bf2_rshift, a->bf2, F_RSHIFT)
FIELD("sbf_off", sbf_off, a->sbf, F_OFF)
FIELD("sbf_size", sbf_size, a->sbf, F_SIZE)
FIELD("sbf_lshift", sbf_lshift, a->sbf, F_LSHIFT)
FIELD("sbf_rshift", sbf_rshift, a->sbf, F_RSHIFT)
FIELD("off_missing", off_missing, a->missing, F_OFF)
FIELD("off_small5", off_small5, a->small[5], F_OFF)

/* Loads and stores: the LDX/STX offset is relocated, the width maybe too. */
SEC("ldx_x") int ldx_x(struct core_a *a) { return a->x; }
SEC("ldx_y") long ldx_y(struct core_a *a) { return a->y; }
SEC("ldx_p") long ldx_p(struct core_a *a) { return (long)a->p; }
SEC("ldx_u16") unsigned int ldx_u16(struct core_a *a) { return a->u16f; }
SEC("ldx_s16") int ldx_s16(struct core_a *a) { return a->s16f; }
SEC("ldx_missing") int ldx_missing(struct core_a *a) { return a->missing; }
SEC("stx_x") void stx_x(struct core_a *a, int v) { a->x = v; }
SEC("st_in1") void st_in1(struct core_a *a) { a->in1 = 7; }

/* Flavors. */
SEC("flavor_v2") int flavor_v2(struct core_a___v2 *a) { return a->x; }
SEC("flavor_two") int flavor_two(struct core_f *f) { return f->a; }
SEC("ambiguous") int ambiguous(struct core_amb *m) { return m->a; }
SEC("big") int big(struct core_big *b) { return b->far; }
SEC("narrow_a") int narrow_a(struct core_n *n) { return n->a; }
SEC("narrow_b") int narrow_b(struct core_n *n) { return n->b; }
SEC("narrow_c") int narrow_c(struct core_n *n) { return __builtin_preserve_field_info(n->c, F_EXISTS); }
SEC("flex3") int flex3(struct core_flex *f) { return f->data[3]; }
SEC("ambiguous_size") unsigned long ambiguous_size(struct core_amb2 *m)
{
	return __builtin_preserve_field_info(m->a, F_SIZE);
}
SEC("gone") int gone(struct core_gone *g) { return g->gone; }

/* Types. */
#define TYPE(sec, fn, type, kind) \
	SEC(sec) unsigned long fn(void) { return __builtin_preserve_type_info(*(type *)0, kind); }
TYPE("type_exists_a", type_exists_a, struct core_a, 0)
TYPE("type_exists_none", type_exists_none, struct core_none, 0)
TYPE("type_size_a", type_size_a, struct core_a, 1)
TYPE("type_size_none", type_size_none, struct core_none, 1)
TYPE("type_matches_m", type_matches_m, struct core_m, 2)
TYPE("type_matches_nm", type_matches_nm, struct core_nm, 2)
SEC("type_id_local") unsigned long type_id_local(void)
{
	return __builtin_btf_type_id(*(struct core_a *)0, 0);
}
SEC("type_id_target") unsigned long type_id_target(void)
{
	return __builtin_btf_type_id(*(struct core_a *)0, 1);
}

/* Enumerators. */
#define ENUMV(sec, fn, val, kind) \
	SEC(sec) unsigned long fn(void) { return __builtin_preserve_enum_value(*(enum core_e *)val, kind); }
ENUMV("enum_exists_one", enum_exists_one, E_ONE, 0)
ENUMV("enum_exists_gone", enum_exists_gone, E_GONE, 0)
ENUMV("enum_value_one", enum_value_one, E_ONE, 1)
ENUMV("enum_value_two", enum_value_two, E_TWO, 1)
ENUMV("enum_value_neg", enum_value_neg, E_NEG, 1)
ENUMV("enum_value_gone", enum_value_gone, E_GONE, 1)

/* Type relations: matches (2) and exists (0). */
TYPE("tm_ptr", tm_ptr, struct core_tm_ptr, 2)
TYPE("tm_ptr2", tm_ptr2, struct core_tm_ptr2, 2)
TYPE("tm_e4", tm_e4, enum core_tm_e4, 2)
TYPE("tm_e", tm_e, enum core_tm_e, 2)
TYPE("tm_emiss", tm_emiss, enum core_tm_emiss, 2)
TYPE("tm_sign", tm_sign, struct core_tm_sign, 2)
TYPE("tm_arr", tm_arr, struct core_tm_arr, 2)
TYPE("tm_fn", tm_fn, struct core_tm_fn, 2)
TYPE("tm_fn2", tm_fn2, struct core_tm_fn2, 2)
TYPE("tm_union", tm_union, struct core_tm_union, 2)
TYPE("te_union", te_union, struct core_tm_union, 0)
TYPE("te_fnp", te_fnp, core_fnp, 0)
TYPE("te_fnp_same", te_fnp_same, core_fnp_same, 0)
TYPE("te_e4", te_e4, enum core_tm_e4, 0)
TYPE("ts_e4", ts_e4, enum core_tm_e4, 1)
