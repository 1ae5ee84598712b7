/* SPDX-License-Identifier: MIT */
/*
 * CO-RE (compile once, run everywhere) for programs compiled to BPF: reads of
 * kernel memory and questions about kernel types whose answers clang records
 * as relocations in .BTF.ext and the loader fixes for the running kernel.
 * Built on clang's __builtin_preserve_access_index, __builtin_preserve_field_info,
 * __builtin_preserve_type_info, __builtin_preserve_enum_value and
 * __builtin_btf_type_id; the relocation kinds below are clang's values.
 */
#ifndef BPFKIT_BPF_CORE_H
#define BPFKIT_BPF_CORE_H

#include "helpers.h"

/* Field questions (second argument of __builtin_preserve_field_info). */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0,
	BPF_FIELD_BYTE_SIZE = 1,
	BPF_FIELD_EXISTS = 2,
	BPF_FIELD_SIGNED = 3,
	BPF_FIELD_LSHIFT_U64 = 4,
	BPF_FIELD_RSHIFT_U64 = 5,
};
/* Type id questions (__builtin_btf_type_id). */
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,
	BPF_TYPE_ID_TARGET = 1,
};
/* Type questions (__builtin_preserve_type_info). */
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,
	BPF_TYPE_SIZE = 1,
	BPF_TYPE_MATCHES = 2,
};
/* Enumerator questions (__builtin_preserve_enum_value). */
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,
	BPF_ENUMVAL_VALUE = 1,
};

/* A field named either as an expression (s->f) or as (type, field). */
#define ___bk_field1(field) (field)
#define ___bk_field2(type, field) (((__typeof__(type) *)0)->field)
#define ___bk_field(...) ___bk_apply(___bk_field, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)

/* bpf_core_field_exists(s->f) or (type, f): 1 when the running kernel has it. */
#define bpf_core_field_exists(...)                                                                 \
	__builtin_preserve_field_info(___bk_field(__VA_ARGS__), BPF_FIELD_EXISTS)
/* Size in bytes of the field in the running kernel. */
#define bpf_core_field_size(...)                                                                   \
	__builtin_preserve_field_info(___bk_field(__VA_ARGS__), BPF_FIELD_BYTE_SIZE)
/* Byte offset of the field in the running kernel. */
#define bpf_core_field_offset(...)                                                                 \
	__builtin_preserve_field_info(___bk_field(__VA_ARGS__), BPF_FIELD_BYTE_OFFSET)

/* BTF type id of a type in the program's BTF, or in the kernel's. */
#define bpf_core_type_id_local(type)                                                               \
	__builtin_btf_type_id(*(__typeof__(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type)                                                              \
	__builtin_btf_type_id(*(__typeof__(type) *)0, BPF_TYPE_ID_TARGET)
/* Whether the kernel has the type, its size there, whether its shape matches. */
#define bpf_core_type_exists(type)                                                                 \
	__builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type) __builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_SIZE)
#define bpf_core_type_matches(type)                                                                \
	__builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_MATCHES)

/* Whether enum type has enumerator value in the kernel, and its value there. */
#define bpf_core_enum_value_exists(enum_type, value)                                               \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)value, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, value)                                                      \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)value, BPF_ENUMVAL_VALUE)

/*
 * bpf_core_cast(ptr, type) - ptr as a read-only pointer to the kernel's type,
 * so fields are read with plain loads (the verifier checks them against the
 * kernel's BTF; bpf_rdonly_cast kfunc, Linux 6.2).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#define bpf_core_cast(ptr, type)                                                                   \
	((__typeof__(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))

/* Relocatable reads: src is a kernel (or user) address computed with CO-RE. */
#define bpf_core_read(dst, sz, src)                                                                \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src)                                                           \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src)                                                            \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src)                                                       \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * Bitfields. _PROBED reads the bytes holding the field with a helper (any
 * program); the plain form loads them directly (programs whose context gives
 * BTF pointers: tp_btf, fentry, iterators). Both shift the field into place
 * with the offsets and shifts the loader relocates.
 */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field)                                                    \
	({                                                                                         \
		unsigned long long ___v = 0;                                                       \
		bpf_probe_read_kernel((char *)&___v +                                              \
				      (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?                    \
					       8 - __builtin_preserve_field_info((s)->field,       \
							BPF_FIELD_BYTE_SIZE) : 0),                 \
				      __builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE), \
				      (const char *)(s) +                                          \
					      __builtin_preserve_field_info((s)->field,            \
							BPF_FIELD_BYTE_OFFSET));                   \
		___v <<= __builtin_preserve_field_info((s)->field, BPF_FIELD_LSHIFT_U64);          \
		if (__builtin_preserve_field_info((s)->field, BPF_FIELD_SIGNED))                   \
			___v = (long long)___v >>                                                  \
			       __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64);    \
		else                                                                               \
			___v >>= __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64);  \
		___v;                                                                              \
	})

#define BPF_CORE_READ_BITFIELD(s, field)                                                           \
	({                                                                                         \
		const void *___p = (const char *)(s) +                                             \
				   __builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_OFFSET); \
		unsigned long long ___v; /* BYTE_SIZE is always 1, 2, 4 or 8 */                   \
		/* keep the relocated offset in a register: it must not fold into a load */      \
		__asm__ __volatile__("" : "=r"(___p) : "0"(___p));                                 \
		switch (__builtin_preserve_field_info((s)->field, BPF_FIELD_BYTE_SIZE)) {          \
		case 1: ___v = *(const unsigned char *)___p; break;                                \
		case 2: ___v = *(const unsigned short *)___p; break;                               \
		case 4: ___v = *(const unsigned int *)___p; break;                                 \
		case 8: ___v = *(const unsigned long long *)___p; break;                           \
		}                                                                                  \
		___v <<= __builtin_preserve_field_info((s)->field, BPF_FIELD_LSHIFT_U64);          \
		if (__builtin_preserve_field_info((s)->field, BPF_FIELD_SIGNED))                   \
			___v = (long long)___v >>                                                  \
			       __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64);    \
		else                                                                               \
			___v >>= __builtin_preserve_field_info((s)->field, BPF_FIELD_RSHIFT_U64);  \
		___v;                                                                              \
	})

/*
 * Chains: BPF_CORE_READ(s, a, b, c) is s->a->b->c with each pointer read by
 * a relocatable helper call (up to 9 steps). ___bk_arrow joins the accessors,
 * ___bk_typeof names the type at a step, ___bk_rdpN reads the N pointers
 * before the last step into __t.
 */
#define ___bk_arrow1(a) a
#define ___bk_arrow2(a, b) a->b
#define ___bk_arrow3(a, b, c) a->b->c
#define ___bk_arrow4(a, b, c, d) a->b->c->d
#define ___bk_arrow5(a, b, c, d, e) a->b->c->d->e
#define ___bk_arrow6(a, b, c, d, e, f) a->b->c->d->e->f
#define ___bk_arrow7(a, b, c, d, e, f, g) a->b->c->d->e->f->g
#define ___bk_arrow8(a, b, c, d, e, f, g, h) a->b->c->d->e->f->g->h
#define ___bk_arrow9(a, b, c, d, e, f, g, h, i) a->b->c->d->e->f->g->h->i
#define ___bk_arrow(...) ___bk_apply(___bk_arrow, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)
#define ___bk_typeof0(src) __typeof__(src)
#define ___bk_typeofN(src, ...) __typeof__((src)->___bk_arrow(__VA_ARGS__))
#define ___bk_typeof(src, ...)                                                                     \
	___bk_apply(___bk_typeof, ___bk_nz(__VA_ARGS__))(src, ##__VA_ARGS__)
#define ___bk_nz(...) ___bk_nth(_, ##__VA_ARGS__, N, N, N, N, N, N, N, N, N, N, N, N, 0)

/* One read: *dst = ((type)src)->acc, by fn. */
#define ___bk_rd(fn, dst, type, src, acc) fn((void *)(dst), sizeof(*(dst)), &((type)(src))->acc)

#define ___bk_rdp1(fn, s, a) const void *__t; ___bk_rd(fn, &__t, ___bk_typeof(s), s, a);
#define ___bk_rdp2(fn, s, a, b) ___bk_rdp1(fn, s, a) ___bk_rd(fn, &__t, ___bk_typeof(s, a), __t, b);
#define ___bk_rdp3(fn, s, a, b, c)                                                                 \
	___bk_rdp2(fn, s, a, b) ___bk_rd(fn, &__t, ___bk_typeof(s, a, b), __t, c);
#define ___bk_rdp4(fn, s, a, b, c, d)                                                              \
	___bk_rdp3(fn, s, a, b, c) ___bk_rd(fn, &__t, ___bk_typeof(s, a, b, c), __t, d);
#define ___bk_rdp5(fn, s, a, b, c, d, e)                                                           \
	___bk_rdp4(fn, s, a, b, c, d) ___bk_rd(fn, &__t, ___bk_typeof(s, a, b, c, d), __t, e);
#define ___bk_rdp6(fn, s, a, b, c, d, e, f)                                                        \
	___bk_rdp5(fn, s, a, b, c, d, e) ___bk_rd(fn, &__t, ___bk_typeof(s, a, b, c, d, e), __t, f);
#define ___bk_rdp7(fn, s, a, b, c, d, e, f, g)                                                     \
	___bk_rdp6(fn, s, a, b, c, d, e, f)                                                        \
	___bk_rd(fn, &__t, ___bk_typeof(s, a, b, c, d, e, f), __t, g);
#define ___bk_rdp8(fn, s, a, b, c, d, e, f, g, h)                                                  \
	___bk_rdp7(fn, s, a, b, c, d, e, f, g)                                                     \
	___bk_rd(fn, &__t, ___bk_typeof(s, a, b, c, d, e, f, g), __t, h);

/* ___bk_readN(fn for pointers, fn for the last step, dst, src, accessors...) */
#define ___bk_read1(fp, fl, d, s, a) ___bk_rd(fl, d, ___bk_typeof(s), s, a)
#define ___bk_read2(fp, fl, d, s, a, b)                                                            \
	___bk_rdp1(fp, s, a) ___bk_rd(fl, d, ___bk_typeof(s, a), __t, b)
#define ___bk_read3(fp, fl, d, s, a, b, c)                                                         \
	___bk_rdp2(fp, s, a, b) ___bk_rd(fl, d, ___bk_typeof(s, a, b), __t, c)
#define ___bk_read4(fp, fl, d, s, a, b, c, e)                                                      \
	___bk_rdp3(fp, s, a, b, c) ___bk_rd(fl, d, ___bk_typeof(s, a, b, c), __t, e)
#define ___bk_read5(fp, fl, d, s, a, b, c, e, f)                                                   \
	___bk_rdp4(fp, s, a, b, c, e) ___bk_rd(fl, d, ___bk_typeof(s, a, b, c, e), __t, f)
#define ___bk_read6(fp, fl, d, s, a, b, c, e, f, g)                                                \
	___bk_rdp5(fp, s, a, b, c, e, f) ___bk_rd(fl, d, ___bk_typeof(s, a, b, c, e, f), __t, g)
#define ___bk_read7(fp, fl, d, s, a, b, c, e, f, g, h)                                             \
	___bk_rdp6(fp, s, a, b, c, e, f, g)                                                        \
	___bk_rd(fl, d, ___bk_typeof(s, a, b, c, e, f, g), __t, h)
#define ___bk_read8(fp, fl, d, s, a, b, c, e, f, g, h, i)                                          \
	___bk_rdp7(fp, s, a, b, c, e, f, g, h)                                                     \
	___bk_rd(fl, d, ___bk_typeof(s, a, b, c, e, f, g, h), __t, i)
#define ___bk_read9(fp, fl, d, s, a, b, c, e, f, g, h, i, j)                                       \
	___bk_rdp8(fp, s, a, b, c, e, f, g, h, i)                                                  \
	___bk_rd(fl, d, ___bk_typeof(s, a, b, c, e, f, g, h, i), __t, j)
#define ___bk_read(fp, fl, d, s, ...)                                                              \
	___bk_apply(___bk_read, ___bk_narg(__VA_ARGS__))(fp, fl, d, s, __VA_ARGS__)

/* *dst = src->a->b..., every step a CO-RE read (kernel or user memory). */
#define BPF_CORE_READ_INTO(dst, src, a, ...)                                                       \
	({ ___bk_read(bpf_core_read, bpf_core_read, dst, (src), a, ##__VA_ARGS__); })
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...)                                                  \
	({ ___bk_read(bpf_core_read_user, bpf_core_read_user, dst, (src), a, ##__VA_ARGS__); })
/* The same without relocations: plain probe reads at compile-time offsets. */
#define BPF_PROBE_READ_INTO(dst, src, a, ...)                                                      \
	({ ___bk_read(bpf_probe_read_kernel, bpf_probe_read_kernel, dst, (src), a, ##__VA_ARGS__); })
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...)                                                 \
	({ ___bk_read(bpf_probe_read_user, bpf_probe_read_user, dst, (src), a, ##__VA_ARGS__); })
/* The last step reads a NUL-terminated string into the char array dst. */
#define BPF_CORE_READ_STR_INTO(dst, src, a, ...)                                                   \
	({ ___bk_read(bpf_core_read, bpf_core_read_str, dst, (src), a, ##__VA_ARGS__); })
#define BPF_CORE_READ_USER_STR_INTO(dst, src, a, ...)                                              \
	({ ___bk_read(bpf_core_read_user, bpf_core_read_user_str, dst, (src), a, ##__VA_ARGS__); })
#define BPF_PROBE_READ_STR_INTO(dst, src, a, ...)                                                  \
	({ ___bk_read(bpf_probe_read_kernel, bpf_probe_read_kernel_str, dst, (src), a,             \
		      ##__VA_ARGS__); })
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, a, ...)                                             \
	({ ___bk_read(bpf_probe_read_user, bpf_probe_read_user_str, dst, (src), a, ##__VA_ARGS__); })

/* src->a->b... as a value (0 where a read fails). */
#define BPF_CORE_READ(src, a, ...)                                                                 \
	({                                                                                         \
		___bk_typeof((src), a, ##__VA_ARGS__) __r;                                         \
		BPF_CORE_READ_INTO(&__r, (src), a, ##__VA_ARGS__);                                 \
		__r;                                                                               \
	})
#define BPF_CORE_READ_USER(src, a, ...)                                                            \
	({                                                                                         \
		___bk_typeof((src), a, ##__VA_ARGS__) __r;                                         \
		BPF_CORE_READ_USER_INTO(&__r, (src), a, ##__VA_ARGS__);                            \
		__r;                                                                               \
	})
#define BPF_PROBE_READ(src, a, ...)                                                                \
	({                                                                                         \
		___bk_typeof((src), a, ##__VA_ARGS__) __r;                                         \
		BPF_PROBE_READ_INTO(&__r, (src), a, ##__VA_ARGS__);                                \
		__r;                                                                               \
	})
#define BPF_PROBE_READ_USER(src, a, ...)                                                           \
	({                                                                                         \
		___bk_typeof((src), a, ##__VA_ARGS__) __r;                                         \
		BPF_PROBE_READ_USER_INTO(&__r, (src), a, ##__VA_ARGS__);                           \
		__r;                                                                               \
	})

#endif /* BPFKIT_BPF_CORE_H */
