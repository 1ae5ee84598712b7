/* SPDX-License-Identifier: MIT */
/*
 * USDT probes (user statically defined tracepoints) for programs compiled to
 * BPF: BPF_USDT(name, args...) and bpf_usdt_arg(), bpf_usdt_arg_cnt(),
 * bpf_usdt_cookie(). A USDT probe's arguments live wherever the compiler of
 * the traced program put them (a constant, a register, memory at a register
 * plus an offset); the user-space loader decodes each probe's note into a
 * spec and stores it in the maps below, and the program reads its arguments
 * through the spec of the probe that fired (found by BPF cookie, or by
 * instruction pointer on kernels without cookies).
 *
 * The map names, the spec layout and the LINUX_HAS_BPF_COOKIE Kconfig extern
 * are the interface libbpf's user space fills, so objects built with this
 * header attach with it unchanged.
 */
#ifndef BPFKIT_BPF_USDT_H
#define BPFKIT_BPF_USDT_H

#include "helpers.h"
#include "tracing.h"

/* How many specs (distinct argument layouts) and probe addresses a program serves. */
#ifndef BPF_USDT_MAX_SPEC_CNT
#define BPF_USDT_MAX_SPEC_CNT 256
#endif
#ifndef BPF_USDT_MAX_IP_CNT
#define BPF_USDT_MAX_IP_CNT (4 * BPF_USDT_MAX_SPEC_CNT)
#endif
#define BPF_USDT_MAX_ARG_CNT 12

/* Where one argument is. */
enum __bpf_usdt_arg_type {
	BPF_USDT_ARG_CONST,	/* the value is val_off itself */
	BPF_USDT_ARG_REG,	/* the value is in the register at reg_off in pt_regs */
	BPF_USDT_ARG_REG_DEREF, /* the value is in user memory at that register + val_off */
};

struct __bpf_usdt_arg_spec {
	__u64 val_off;
	enum __bpf_usdt_arg_type arg_type;
	short reg_off;	   /* offsetof(struct pt_regs, <register>) */
	_Bool arg_signed;
	char arg_bitshift; /* 64 - the argument's width in bits */
};

struct __bpf_usdt_spec {
	struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT];
	__u64 usdt_cookie;
	short arg_cnt;
};

/* Weak: several objects linked together share one copy. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPF_USDT_MAX_SPEC_CNT);
	__type(key, int);
	__type(value, struct __bpf_usdt_spec);
} __bpf_usdt_specs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BPF_USDT_MAX_IP_CNT);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps") __weak;

extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig;

/* Error values (the kernel's errno numbers; BPF programs have no <errno.h>). */
#define ___BK_ENOENT 2
#define ___BK_ESRCH 3
#define ___BK_EINVAL 22

/* The spec id of the probe that fired, or -ESRCH. */
static __always_inline int __bpf_usdt_spec_id(struct pt_regs *ctx)
{
	if (!LINUX_HAS_BPF_COOKIE) {
		long ip = PT_REGS_IP(ctx);
		int *id = bpf_map_lookup_elem(&__bpf_usdt_ip_to_spec_id, &ip);

		return id ? *id : -___BK_ESRCH;
	}
	return bpf_get_attach_cookie(ctx);
}

static __always_inline struct __bpf_usdt_spec *___bk_usdt_spec(struct pt_regs *ctx)
{
	int id = __bpf_usdt_spec_id(ctx);

	if (id < 0)
		return (void *)0;
	return bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
}

/* bpf_usdt_arg_cnt() - how many arguments the probe that fired has, or -ESRCH. */
__weak __hidden int bpf_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = ___bk_usdt_spec(ctx);

	if (!spec)
		return -___BK_ESRCH;
	return spec->arg_cnt;
}

/*
 * bpf_usdt_arg() - the arg_num-th argument (from 0) of the probe that fired,
 * widened to 64 bits (sign-extended when signed) into *res. Returns 0,
 * -ESRCH (no spec), -ENOENT (no such argument), -EINVAL (unknown location,
 * or res NULL) or the error of the read.
 */
__weak __hidden int bpf_usdt_arg(struct pt_regs *ctx, __u64 arg_num, long *res)
{
	struct __bpf_usdt_spec *spec = ___bk_usdt_spec(ctx);
	struct __bpf_usdt_arg_spec *arg;
	unsigned long val;
	int err;

	/*
	 * A loader that keeps these functions global has the verifier check
	 * them alone, where res may be NULL: say so rather than fail to load.
	 */
	if (!res)
		return -___BK_EINVAL;
	*res = 0;
	if (!spec)
		return -___BK_ESRCH;
	if (arg_num >= BPF_USDT_MAX_ARG_CNT || arg_num >= (__u64)spec->arg_cnt)
		return -___BK_ENOENT;
	arg = &spec->args[arg_num];
	switch (arg->arg_type) {
	case BPF_USDT_ARG_CONST:
		val = arg->val_off;
		break;
	case BPF_USDT_ARG_REG:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + arg->reg_off);
		if (err)
			return err;
		break;
	case BPF_USDT_ARG_REG_DEREF:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + arg->reg_off);
		if (err)
			return err;
		err = bpf_probe_read_user(&val, sizeof(val), (void *)val + arg->val_off);
		if (err)
			return err;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		/* a narrow value read into 8 bytes sits in the high bits */
		val >>= arg->arg_bitshift;
#endif
		break;
	default:
		return -___BK_EINVAL;
	}
	/* keep the argument's own width, sign-extending a signed one */
	val <<= arg->arg_bitshift;
	if (arg->arg_signed)
		val = (unsigned long)((long)val >> arg->arg_bitshift);
	else
		val >>= arg->arg_bitshift;
	*res = (long)val;
	return 0;
}

/* bpf_usdt_cookie() - the cookie the user gave when attaching this probe, or 0. */
__weak __hidden long bpf_usdt_cookie(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = ___bk_usdt_spec(ctx);

	return spec ? (long)spec->usdt_cookie : 0;
}

/* ___bk_uaN: "ctx, arg 0, ..., arg N-1" read with bpf_usdt_arg (0 when absent). */
#define ___bk_uarg(i) ({ long ___x; bpf_usdt_arg(ctx, i, &___x); (void *)___x; })
#define ___bk_ua0() ctx
#define ___bk_ua1(x) ___bk_ua0(), ___bk_uarg(0)
#define ___bk_ua2(x, ...) ___bk_ua1(__VA_ARGS__), ___bk_uarg(1)
#define ___bk_ua3(x, ...) ___bk_ua2(__VA_ARGS__), ___bk_uarg(2)
#define ___bk_ua4(x, ...) ___bk_ua3(__VA_ARGS__), ___bk_uarg(3)
#define ___bk_ua5(x, ...) ___bk_ua4(__VA_ARGS__), ___bk_uarg(4)
#define ___bk_ua6(x, ...) ___bk_ua5(__VA_ARGS__), ___bk_uarg(5)
#define ___bk_ua7(x, ...) ___bk_ua6(__VA_ARGS__), ___bk_uarg(6)
#define ___bk_ua8(x, ...) ___bk_ua7(__VA_ARGS__), ___bk_uarg(7)
#define ___bk_ua9(x, ...) ___bk_ua8(__VA_ARGS__), ___bk_uarg(8)
#define ___bk_ua10(x, ...) ___bk_ua9(__VA_ARGS__), ___bk_uarg(9)
#define ___bk_ua11(x, ...) ___bk_ua10(__VA_ARGS__), ___bk_uarg(10)
#define ___bk_ua12(x, ...) ___bk_ua11(__VA_ARGS__), ___bk_uarg(11)

/* BPF_USDT(name, args...): a USDT program with the probe's arguments as parameters. */
#define BPF_USDT(name, ...)                                                                        \
	___bk_wrap(name, struct pt_regs *ctx,                                                      \
		   ___bk_apply(___bk_ua, ___bk_narg(__VA_ARGS__))(__VA_ARGS__), ##__VA_ARGS__)

#endif /* BPFKIT_BPF_USDT_H */
