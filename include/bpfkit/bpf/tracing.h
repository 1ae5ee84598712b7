/* SPDX-License-Identifier: MIT */
/*
 * Tracing programs compiled to BPF: the registers of a struct pt_regs for
 * x86-64 and arm64 (function arguments, return value, stack and frame
 * pointers), and the BPF_PROG / BPF_KPROBE / BPF_KRETPROBE / BPF_KSYSCALL
 * wrappers that hand a program its arguments as typed parameters.
 *
 * The target is chosen with -D__TARGET_ARCH_x86 or -D__TARGET_ARCH_arm64
 * (clang -target bpf knows no host); without either, the compiler's own
 * architecture is used when it has one. With a vmlinux.h the kernel's
 * register names are used (x86-64: di, si...), otherwise the UAPI ones
 * (<asm/ptrace.h>: rdi, rsi...).
 */
#ifndef BPFKIT_BPF_TRACING_H
#define BPFKIT_BPF_TRACING_H

#include "helpers.h"
#include "core.h"

#if !defined(__TARGET_ARCH_x86) && !defined(__TARGET_ARCH_arm64)
#if defined(__x86_64__)
#define __TARGET_ARCH_x86
#elif defined(__aarch64__)
#define __TARGET_ARCH_arm64
#endif
#endif

#if defined(__TARGET_ARCH_x86)
#define ___bk_regs_ok 1
#if defined(__KERNEL__) || defined(__VMLINUX_H__)
#define ___bk_p1 di
#define ___bk_p2 si
#define ___bk_p3 dx
#define ___bk_p4 cx
#define ___bk_p5 r8
#define ___bk_p6 r9
#define ___bk_ret sp
#define ___bk_fp bp
#define ___bk_rc ax
#define ___bk_sp sp
#define ___bk_ip ip
#else
#define ___bk_p1 rdi
#define ___bk_p2 rsi
#define ___bk_p3 rdx
#define ___bk_p4 rcx
#define ___bk_p5 r8
#define ___bk_p6 r9
#define ___bk_ret rsp
#define ___bk_fp rbp
#define ___bk_rc rax
#define ___bk_sp rsp
#define ___bk_ip rip
#endif
/* The syscall ABI passes the fourth argument in r10 (rcx holds the return address). */
#define ___bk_s4 r10
#define ___bk_regs(x) ((const struct pt_regs *)(x))
#define ___bk_sys1_core(x) BPF_CORE_READ(___bk_regs(x), ___bk_p1)
#define ___bk_sys1(x) (___bk_regs(x)->___bk_p1)

#elif defined(__TARGET_ARCH_arm64)
#define ___bk_regs_ok 1
/* struct user_pt_regs { u64 regs[31]; u64 sp; u64 pc; u64 pstate; } opens struct pt_regs. */
#define ___bk_p1 regs[0]
#define ___bk_p2 regs[1]
#define ___bk_p3 regs[2]
#define ___bk_p4 regs[3]
#define ___bk_p5 regs[4]
#define ___bk_p6 regs[5]
#define ___bk_p7 regs[6]
#define ___bk_p8 regs[7]
#define ___bk_ret regs[30]
#define ___bk_fp regs[29]
#define ___bk_rc regs[0]
#define ___bk_sp sp
#define ___bk_ip pc
#define ___bk_regs(x) ((const struct user_pt_regs *)(x))
#define ___bk_s4 regs[3]
/*
 * The first syscall argument is kept in orig_x0 (x0 becomes the return
 * value), past struct user_pt_regs: read through a CO-RE flavor of pt_regs.
 */
struct pt_regs___bk_arm64 {
	unsigned long orig_x0;
} __attribute__((preserve_access_index));
#define ___bk_sys1_core(x) BPF_CORE_READ((const struct pt_regs___bk_arm64 *)(x), orig_x0)
#define ___bk_sys1(x) ___bk_sys1_core(x)
#endif

#ifdef ___bk_regs_ok
struct pt_regs;
struct user_pt_regs;
/* Direct loads: for kprobe programs, whose context is the pt_regs. */
#define PT_REGS_PARM1(x) (___bk_regs(x)->___bk_p1)
#define PT_REGS_PARM2(x) (___bk_regs(x)->___bk_p2)
#define PT_REGS_PARM3(x) (___bk_regs(x)->___bk_p3)
#define PT_REGS_PARM4(x) (___bk_regs(x)->___bk_p4)
#define PT_REGS_PARM5(x) (___bk_regs(x)->___bk_p5)
#define PT_REGS_PARM6(x) (___bk_regs(x)->___bk_p6)
#define PT_REGS_RET(x) (___bk_regs(x)->___bk_ret)
#define PT_REGS_FP(x) (___bk_regs(x)->___bk_fp)
#define PT_REGS_RC(x) (___bk_regs(x)->___bk_rc)
#define PT_REGS_SP(x) (___bk_regs(x)->___bk_sp)
#define PT_REGS_IP(x) (___bk_regs(x)->___bk_ip)
/* CO-RE reads: for a pt_regs somewhere in kernel memory. */
#define PT_REGS_PARM1_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p1)
#define PT_REGS_PARM2_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p2)
#define PT_REGS_PARM3_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p3)
#define PT_REGS_PARM4_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p4)
#define PT_REGS_PARM5_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p5)
#define PT_REGS_PARM6_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_p6)
#define PT_REGS_RET_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_ret)
#define PT_REGS_FP_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_fp)
#define PT_REGS_RC_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_rc)
#define PT_REGS_SP_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_sp)
#define PT_REGS_IP_CORE(x) BPF_CORE_READ(___bk_regs(x), ___bk_ip)
/* A syscall's arguments as its pt_regs holds them (not a function's). */
#define PT_REGS_PARM1_CORE_SYSCALL(x) ___bk_sys1_core(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) BPF_CORE_READ(___bk_regs(x), ___bk_s4)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)
#define PT_REGS_PARM1_SYSCALL(x) ___bk_sys1(x)
#define PT_REGS_PARM2_SYSCALL(x) PT_REGS_PARM2(x)
#define PT_REGS_PARM3_SYSCALL(x) PT_REGS_PARM3(x)
#define PT_REGS_PARM4_SYSCALL(x) (___bk_regs(x)->___bk_s4)
#define PT_REGS_PARM5_SYSCALL(x) PT_REGS_PARM5(x)
#define PT_REGS_PARM6_SYSCALL(x) PT_REGS_PARM6(x)
/* The pt_regs a syscall wrapper receives as its first argument. */
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))
/*
 * The return address of the probed function: at entry, x86-64 has it on the
 * stack at sp and arm64 in the link register; in a kretprobe it is read
 * above the saved frame pointer.
 */
#if defined(__TARGET_ARCH_x86)
#define BPF_KPROBE_READ_RET_IP(ip, ctx)                                                            \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)PT_REGS_RET(ctx)); })
#else
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ({ (ip) = PT_REGS_RET(ctx); })
#endif
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx)                                                         \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })
#else
#define ___bk_no_arch(x)                                                                           \
	({                                                                                         \
		_Pragma("GCC error \"define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64\"") 0l;     \
	})
#define PT_REGS_PARM1(x) ___bk_no_arch(x)
#define PT_REGS_PARM2(x) ___bk_no_arch(x)
#define PT_REGS_PARM3(x) ___bk_no_arch(x)
#define PT_REGS_PARM4(x) ___bk_no_arch(x)
#define PT_REGS_PARM5(x) ___bk_no_arch(x)
#define PT_REGS_PARM6(x) ___bk_no_arch(x)
#define PT_REGS_RET(x) ___bk_no_arch(x)
#define PT_REGS_FP(x) ___bk_no_arch(x)
#define PT_REGS_RC(x) ___bk_no_arch(x)
#define PT_REGS_SP(x) ___bk_no_arch(x)
#define PT_REGS_IP(x) ___bk_no_arch(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM1_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM2_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM3_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM4_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM5_SYSCALL(x) ___bk_no_arch(x)
#define PT_REGS_PARM6_SYSCALL(x) ___bk_no_arch(x)
#endif

/* ___bk_ctxN(args...) expands to "ctx, (void *)ctx[0], ..." for N arguments. */
#define ___bk_ctx0() ctx
#define ___bk_ctx1(x) ___bk_ctx0(), (void *)ctx[0]
#define ___bk_ctx2(x, ...) ___bk_ctx1(__VA_ARGS__), (void *)ctx[1]
#define ___bk_ctx3(x, ...) ___bk_ctx2(__VA_ARGS__), (void *)ctx[2]
#define ___bk_ctx4(x, ...) ___bk_ctx3(__VA_ARGS__), (void *)ctx[3]
#define ___bk_ctx5(x, ...) ___bk_ctx4(__VA_ARGS__), (void *)ctx[4]
#define ___bk_ctx6(x, ...) ___bk_ctx5(__VA_ARGS__), (void *)ctx[5]
#define ___bk_ctx7(x, ...) ___bk_ctx6(__VA_ARGS__), (void *)ctx[6]
#define ___bk_ctx8(x, ...) ___bk_ctx7(__VA_ARGS__), (void *)ctx[7]
#define ___bk_ctx9(x, ...) ___bk_ctx8(__VA_ARGS__), (void *)ctx[8]
#define ___bk_ctx10(x, ...) ___bk_ctx9(__VA_ARGS__), (void *)ctx[9]
#define ___bk_ctx11(x, ...) ___bk_ctx10(__VA_ARGS__), (void *)ctx[10]
#define ___bk_ctx12(x, ...) ___bk_ctx11(__VA_ARGS__), (void *)ctx[11]
#define ___bk_ctx(...) ___bk_apply(___bk_ctx, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)

/*
 * The wrappers define the program `name` taking the raw context, and an
 * always-inlined ____name taking the typed arguments the body is written
 * against; the casts from u64 / register values are what the kernel's
 * calling convention guarantees, hence the silenced int-conversion warnings.
 */
#define ___bk_wrap(name, ctx_decl, call_args, ...)                                                 \
	name(ctx_decl);                                                                            \
	static __always_inline __typeof__(name(0)) ____##name(ctx_decl, ##__VA_ARGS__);            \
	__typeof__(name(0)) name(ctx_decl)                                                         \
	{                                                                                          \
		_Pragma("GCC diagnostic push")                                                     \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                             \
		return ____##name(call_args);                                                      \
		_Pragma("GCC diagnostic pop")                                                      \
	}                                                                                          \
	static __always_inline __typeof__(name(0)) ____##name(ctx_decl, ##__VA_ARGS__)

/* BPF_PROG(name, args...): tp_btf, fentry/fexit, raw_tp, lsm, struct_ops. */
#define BPF_PROG(name, ...)                                                                        \
	___bk_wrap(name, unsigned long long *ctx, ___bk_ctx(__VA_ARGS__), ##__VA_ARGS__)

/*
 * BPF_PROG2(name, type1, arg1, type2, arg2...): as BPF_PROG, for functions
 * taking structs by value: an argument of up to 16 bytes spans one or two
 * 8-byte context slots, so the types are named to count the slots.
 */
#define ___bk_slots(t) ((sizeof(t) + 7) / 8)
#define ___bk_slot_arg(t, off)                                                                     \
	({                                                                                         \
		union {                                                                            \
			unsigned long long z[2];                                                   \
			t x;                                                                       \
		} ___u = { .z = { ctx[(off)], ___bk_slots(t) > 1 ? ctx[(off) + 1] : 0 } };         \
		___u.x;                                                                            \
	})
#define ___bk_pl0()
#define ___bk_pl2(t, a) , t a
#define ___bk_pl4(t, a, ...) , t a ___bk_pl2(__VA_ARGS__)
#define ___bk_pl6(t, a, ...) , t a ___bk_pl4(__VA_ARGS__)
#define ___bk_pl8(t, a, ...) , t a ___bk_pl6(__VA_ARGS__)
#define ___bk_pl10(t, a, ...) , t a ___bk_pl8(__VA_ARGS__)
#define ___bk_pl12(t, a, ...) , t a ___bk_pl10(__VA_ARGS__)
#define ___bk_sa0(off)
#define ___bk_sa2(off, t, a) , ___bk_slot_arg(t, off)
#define ___bk_sa4(off, t, a, ...)                                                                 \
	, ___bk_slot_arg(t, off) ___bk_sa2(off + ___bk_slots(t), __VA_ARGS__)
#define ___bk_sa6(off, t, a, ...)                                                                 \
	, ___bk_slot_arg(t, off) ___bk_sa4(off + ___bk_slots(t), __VA_ARGS__)
#define ___bk_sa8(off, t, a, ...)                                                                 \
	, ___bk_slot_arg(t, off) ___bk_sa6(off + ___bk_slots(t), __VA_ARGS__)
#define ___bk_sa10(off, t, a, ...)                                                                 \
	, ___bk_slot_arg(t, off) ___bk_sa8(off + ___bk_slots(t), __VA_ARGS__)
#define ___bk_sa12(off, t, a, ...)                                                                 \
	, ___bk_slot_arg(t, off) ___bk_sa10(off + ___bk_slots(t), __VA_ARGS__)
#define BPF_PROG2(name, ...)                                                                       \
	name(unsigned long long *ctx);                                                             \
	static __always_inline __typeof__(name(0))                                                 \
	____##name(unsigned long long *ctx ___bk_apply(___bk_pl, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)); \
	__typeof__(name(0)) name(unsigned long long *ctx)                                          \
	{                                                                                          \
		return ____##name(ctx ___bk_apply(___bk_sa, ___bk_narg(__VA_ARGS__))(0, ##__VA_ARGS__)); \
	}                                                                                          \
	static __always_inline __typeof__(name(0))                                                 \
	____##name(unsigned long long *ctx ___bk_apply(___bk_pl, ___bk_narg(__VA_ARGS__))(__VA_ARGS__))

/* ___bk_kpN: "ctx, (void *)PT_REGS_PARM1(ctx), ..." for N arguments. */
#define ___bk_kp0() ctx
#define ___bk_kp1(x) ___bk_kp0(), (void *)PT_REGS_PARM1(ctx)
#define ___bk_kp2(x, ...) ___bk_kp1(__VA_ARGS__), (void *)PT_REGS_PARM2(ctx)
#define ___bk_kp3(x, ...) ___bk_kp2(__VA_ARGS__), (void *)PT_REGS_PARM3(ctx)
#define ___bk_kp4(x, ...) ___bk_kp3(__VA_ARGS__), (void *)PT_REGS_PARM4(ctx)
#define ___bk_kp5(x, ...) ___bk_kp4(__VA_ARGS__), (void *)PT_REGS_PARM5(ctx)
#define ___bk_kp6(x, ...) ___bk_kp5(__VA_ARGS__), (void *)PT_REGS_PARM6(ctx)
#define ___bk_kp(...) ___bk_apply(___bk_kp, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)

/* BPF_KPROBE(name, args...): a kprobe (or uprobe) with the function's arguments. */
#define BPF_KPROBE(name, ...)                                                                      \
	___bk_wrap(name, struct pt_regs *ctx, ___bk_kp(__VA_ARGS__), ##__VA_ARGS__)
#define BPF_UPROBE(name, ...) BPF_KPROBE(name, ##__VA_ARGS__)

/* BPF_KRETPROBE(name[, ret]): a kretprobe (or uretprobe) with the return value. */
#define ___bk_kr0() ctx
#define ___bk_kr1(x) ctx, (void *)PT_REGS_RC(ctx)
#define BPF_KRETPROBE(name, ...)                                                                   \
	___bk_wrap(name, struct pt_regs *ctx,                                                      \
		   ___bk_apply(___bk_kr, ___bk_narg(__VA_ARGS__))(__VA_ARGS__), ##__VA_ARGS__)
#define BPF_URETPROBE(name, ...) BPF_KRETPROBE(name, ##__VA_ARGS__)

/*
 * BPF_KSYSCALL(name, args...): a kprobe on a syscall's entry with the
 * syscall's arguments. Where syscalls go through a wrapper (x86-64 and arm64
 * since 4.17/5.0), the probed function's first argument is the user's
 * pt_regs and the arguments are read from it; the loader says which through
 * the LINUX_HAS_SYSCALL_WRAPPER Kconfig extern, as libbpf-style loaders do.
 */
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
/* ___bk_kwN: arguments read from the wrapped pt_regs; ___bk_kdN: from ctx itself. */
#define ___bk_kw0() ctx
#define ___bk_kw1(x) ___bk_kw0(), (void *)PT_REGS_PARM1_CORE_SYSCALL(regs)
#define ___bk_kw2(x, ...) ___bk_kw1(__VA_ARGS__), (void *)PT_REGS_PARM2_CORE_SYSCALL(regs)
#define ___bk_kw3(x, ...) ___bk_kw2(__VA_ARGS__), (void *)PT_REGS_PARM3_CORE_SYSCALL(regs)
#define ___bk_kw4(x, ...) ___bk_kw3(__VA_ARGS__), (void *)PT_REGS_PARM4_CORE_SYSCALL(regs)
#define ___bk_kw5(x, ...) ___bk_kw4(__VA_ARGS__), (void *)PT_REGS_PARM5_CORE_SYSCALL(regs)
#define ___bk_kw6(x, ...) ___bk_kw5(__VA_ARGS__), (void *)PT_REGS_PARM6_CORE_SYSCALL(regs)
#define ___bk_kd0() ctx
#define ___bk_kd1(x) ___bk_kd0(), (void *)PT_REGS_PARM1_SYSCALL(regs)
#define ___bk_kd2(x, ...) ___bk_kd1(__VA_ARGS__), (void *)PT_REGS_PARM2_SYSCALL(regs)
#define ___bk_kd3(x, ...) ___bk_kd2(__VA_ARGS__), (void *)PT_REGS_PARM3_SYSCALL(regs)
#define ___bk_kd4(x, ...) ___bk_kd3(__VA_ARGS__), (void *)PT_REGS_PARM4_SYSCALL(regs)
#define ___bk_kd5(x, ...) ___bk_kd4(__VA_ARGS__), (void *)PT_REGS_PARM5_SYSCALL(regs)
#define ___bk_kd6(x, ...) ___bk_kd5(__VA_ARGS__), (void *)PT_REGS_PARM6_SYSCALL(regs)
#define BPF_KSYSCALL(name, ...)                                                                    \
	name(struct pt_regs *ctx);                                                                 \
	static __always_inline __typeof__(name(0)) ____##name(struct pt_regs *ctx, ##__VA_ARGS__); \
	__typeof__(name(0)) name(struct pt_regs *ctx)                                              \
	{                                                                                          \
		struct pt_regs *regs = LINUX_HAS_SYSCALL_WRAPPER ?                                 \
					       (struct pt_regs *)PT_REGS_PARM1(ctx) : ctx;         \
		_Pragma("GCC diagnostic push")                                                     \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                             \
		if (LINUX_HAS_SYSCALL_WRAPPER)                                                     \
			return ____##name(___bk_apply(___bk_kw, ___bk_narg(__VA_ARGS__))(__VA_ARGS__)); \
		return ____##name(___bk_apply(___bk_kd, ___bk_narg(__VA_ARGS__))(__VA_ARGS__));    \
		_Pragma("GCC diagnostic pop")                                                      \
	}                                                                                          \
	static __always_inline __typeof__(name(0)) ____##name(struct pt_regs *ctx, ##__VA_ARGS__)
#define BPF_KPROBE_SYSCALL BPF_KSYSCALL

#endif /* BPFKIT_BPF_TRACING_H */
