/* SPDX-License-Identifier: MIT */
/*
 * For programs compiled to BPF (clang -target bpf): every kernel helper, the
 * annotations a loader reads from the object (SEC, map definitions in
 * ".maps", kconfig and ksym externs) and bpf_printk.
 *
 * Like the kernel's own BPF headers, this one does not define __u8..__u64:
 * include <linux/types.h> (or a vmlinux.h) first. Everything is in the
 * spelling libbpf-style programs already use, so <bpfkit/compat/bpf/...>
 * can map libbpf's header names onto these.
 */
#ifndef BPFKIT_BPF_HELPERS_H
#define BPFKIT_BPF_HELPERS_H

#include "helper_defs.h"

/* Place a program, map or variable in an ELF section the loader reads. */
#define SEC(name) __attribute__((section(name), used))

/*
 * BTF-defined maps: each field of the anonymous struct is a pointer whose
 * type encodes a number (__uint: pointer to an array of val ints), a type
 * (__type), or an array of inner map or program definitions (__array).
 * __ulong carries a 64-bit value through an enumerator.
 */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name
#define __array(name, val) __typeof__(val) *name[]
#define ___bk_concat(a, b) a##b
#define ___bk_uniq(a, b) ___bk_concat(a, b)
#define __ulong(name, val) enum { ___bk_uniq(__bk_ulong_, __COUNTER__) = (val) } name

/* Pinning of a map (the `pinning` field). */
#define BK_PIN_NONE 0
#define BK_PIN_BY_NAME 1

/* Externs the loader resolves: Kconfig values, kernel symbols. */
#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))
#define __hidden __attribute__((visibility("hidden")))
/* Kernel pointers stored in map values (BTF type tags the verifier reads). */
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))

#ifndef NULL
#define NULL ((void *)0)
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef barrier
#define barrier() __asm__ __volatile__("" : : : "memory")
#endif
/* Hide a variable's value from the optimizer (keeps a bounds check in place). */
#ifndef barrier_var
#define barrier_var(var) __asm__ __volatile__("" : "+r"(var))
#endif
/*
 * offsetof as a member access rather than __builtin_offsetof: on a type
 * with preserve_access_index (vmlinux.h's) clang then records a CO-RE
 * relocation, so the offset follows the running kernel's layout.
 */
#ifndef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)
#endif
#ifndef container_of
#define container_of(ptr, type, member)                                                            \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Marks a path the compiler must prove dead (a trap left in the code fails the build). */
#ifndef __bpf_unreachable
#define __bpf_unreachable() __builtin_trap()
#endif

/*
 * bpf_tail_call_static() - a tail call whose slot is a compile-time constant,
 * emitted as one `r3 = slot; call 12` sequence so the verifier sees the
 * constant index and the JIT can patch a direct jump.
 */
static __always_inline void bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();
	__asm__ __volatile__("r1 = %[ctx]\n\t"
			     "r2 = %[map]\n\t"
			     "r3 = %[slot]\n\t"
			     "call 12"
			     :
			     : [ctx] "r"(ctx), [map] "r"(map), [slot] "i"(slot)
			     : "r0", "r1", "r2", "r3", "r4", "r5");
}

/*
 * Tags on the arguments of global (non-inlined) functions, which the
 * verifier checks one by one: the context, a non-NULL or nullable pointer,
 * a trusted kernel pointer, an arena pointer; and a loop bound the verifier
 * may cut short (may_goto, Linux 6.9).
 */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

/*
 * Open-coded iterators (Linux 6.4): kfuncs resolved by the loader in the
 * kernel's BTF. bpf_for(i, start, end) runs i from start to end - 1,
 * bpf_repeat(n) runs n times, bpf_for_each(type, cur, args...) walks any
 * bpf_iter_<type> (task, css, bits...); the iterator state is destroyed when
 * the loop is left. struct bpf_iter_num comes from vmlinux.h or <linux/bpf.h>.
 */
struct bpf_iter_num;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

/* ___p only exists to run the constructor once; naming destroy makes clang emit its BTF. */
#define ___bk_iter(type, ...)                                                                      \
	struct bpf_iter_##type ___it __attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
		*___p __attribute__((unused)) =                                                    \
			(bpf_iter_##type##_new(&___it, ##__VA_ARGS__),                             \
			 (void)bpf_iter_##type##_destroy, (void *)0)

#define bpf_for_each(type, cur, ...)                                                               \
	for (___bk_iter(type, ##__VA_ARGS__); ((cur) = bpf_iter_##type##_next(&___it));)

#define bpf_for(i, start, end)                                                                     \
	for (___bk_iter(num, (start), (end));                                                      \
	     ({                                                                                    \
		     int *___n = bpf_iter_num_next(&___it);                                        \
		     /* the bounds check tells the verifier the range of i */                      \
		     ___n && ((i) = *___n, (i) >= (start) && (i) < (end));                         \
	     });)

#define bpf_repeat(n) for (___bk_iter(num, 0, (n)); bpf_iter_num_next(&___it);)

/*
 * The license and the kernel version an object declares. The kernel reads
 * the license to allow GPL-only helpers; the version section is only checked
 * by kernels before 5.0 for kprobes.
 */
#define BPF_LICENSE(name) char _license[] SEC("license") = name
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define BPF_VERSION(code) unsigned int _version SEC("version") = (code)

/* ___bk_narg(a, b, c) is 3: the number of arguments, 0 to 12. */
#define ___bk_nth(_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, N, ...) N
#define ___bk_narg(...) ___bk_nth(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define ___bk_apply(fn, n) ___bk_concat(fn, n)

/*
 * The format lives in .rodata; with BPF_NO_GLOBAL_DATA defined (kernels
 * before 5.2 have no global data) it is built on the stack instead.
 */
#ifdef BPF_NO_GLOBAL_DATA
#define ___bk_fmt_mod
#else
#define ___bk_fmt_mod static const
#endif

/* Up to three arguments go through bpf_trace_printk; more need vprintk (5.16). */
#define ___bk_printk_kind(...) ___bk_nth(_, ##__VA_ARGS__, v, v, v, v, v, v, v, v, v, 3, 3, 3, 3)
#define ___bk_printk3(fmt, ...)                                                                    \
	({                                                                                         \
		___bk_fmt_mod char ____fmt[] = fmt;                                                \
		bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__);                         \
	})

#define ___bk_fill0(a, i)
#define ___bk_fill1(a, i, x) a[i] = (unsigned long long)(x);
#define ___bk_fill2(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill1(a, i + 1, __VA_ARGS__)
#define ___bk_fill3(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill2(a, i + 1, __VA_ARGS__)
#define ___bk_fill4(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill3(a, i + 1, __VA_ARGS__)
#define ___bk_fill5(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill4(a, i + 1, __VA_ARGS__)
#define ___bk_fill6(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill5(a, i + 1, __VA_ARGS__)
#define ___bk_fill7(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill6(a, i + 1, __VA_ARGS__)
#define ___bk_fill8(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill7(a, i + 1, __VA_ARGS__)
#define ___bk_fill9(a, i, x, ...) a[i] = (unsigned long long)(x); ___bk_fill8(a, i + 1, __VA_ARGS__)
#define ___bk_fill10(a, i, x, ...)                                                                 \
	a[i] = (unsigned long long)(x); ___bk_fill9(a, i + 1, __VA_ARGS__)
#define ___bk_fill11(a, i, x, ...)                                                                 \
	a[i] = (unsigned long long)(x); ___bk_fill10(a, i + 1, __VA_ARGS__)
#define ___bk_fill12(a, i, x, ...)                                                                 \
	a[i] = (unsigned long long)(x); ___bk_fill11(a, i + 1, __VA_ARGS__)
/* Fill the u64 array a with the arguments (pointers included, hence the pragma). */
#define ___bk_fill(a, ...)                                                                         \
	_Pragma("GCC diagnostic push")                                                             \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                                     \
	___bk_apply(___bk_fill, ___bk_narg(__VA_ARGS__))(a, 0, ##__VA_ARGS__)                      \
	_Pragma("GCC diagnostic pop")

#define ___bk_printkv(fmt, ...)                                                                    \
	({                                                                                         \
		static const char ___fmt[] = fmt;                                                  \
		unsigned long long ___args[___bk_narg(__VA_ARGS__)];                               \
		___bk_fill(___args, __VA_ARGS__)                                                   \
		bpf_trace_vprintk(___fmt, sizeof(___fmt), ___args, sizeof(___args));               \
	})

/*
 * bpf_printk(fmt, args...) - print to the trace pipe (up to 12 arguments;
 * more than 3 need Linux 5.16). Returns what the helper returns.
 */
#define bpf_printk(fmt, ...)                                                                       \
	___bk_apply(___bk_printk, ___bk_printk_kind(__VA_ARGS__))(fmt, ##__VA_ARGS__)

/* BPF_SNPRINTF(out, size, fmt, args...) - bpf_snprintf with its argument array. */
#define BPF_SNPRINTF(out, out_size, fmt, ...)                                                      \
	({                                                                                         \
		static const char ___fmt[] = fmt;                                                  \
		unsigned long long ___args[___bk_narg(__VA_ARGS__)];                               \
		___bk_fill(___args, ##__VA_ARGS__)                                                 \
		bpf_snprintf(out, out_size, ___fmt, ___args, sizeof(___args));                     \
	})

/* BPF_SEQ_PRINTF(seq, fmt, args...) - bpf_seq_printf for iterators. */
#define BPF_SEQ_PRINTF(seq, fmt, ...)                                                              \
	({                                                                                         \
		static const char ___fmt[] = fmt;                                                  \
		unsigned long long ___args[___bk_narg(__VA_ARGS__)];                               \
		___bk_fill(___args, ##__VA_ARGS__)                                                 \
		bpf_seq_printf(seq, ___fmt, sizeof(___fmt), ___args, sizeof(___args));             \
	})

#endif /* BPFKIT_BPF_HELPERS_H */
