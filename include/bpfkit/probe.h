/* SPDX-License-Identifier: MIT */
/*
 * Feature probes: which program types, map types, helpers (per program type)
 * and attach types the running kernel supports.
 *
 * Method. No answer is ever read from the verifier's English messages, which
 * change between kernels (other tools' helper probes report every helper for
 * every program type on Linux 6.18 because a message they matched changed).
 * The answers come from:
 *   1. the kernel's own BTF (/sys/kernel/btf/vmlinux): a type, attach type or
 *      helper the running kernel's `enum bpf_prog_type`, `bpf_map_type`,
 *      `bpf_attach_type` or `bpf_func_id` does not name is absent, without
 *      asking the kernel anything else;
 *   2. a minimal load, confirming what the enum names (a type can be named but
 *      compiled out, e.g. lirc_mode2 without CONFIG_BPF_LIRC_MODE2), judged on
 *      errno alone, plus, for helpers, the verifier's instruction index:
 *   - program type: load `r0 = 0; exit` with the expected attach type, flags
 *     and attach BTF id the type needs (e.g. tp_btf on a btf_trace_* typedef
 *     for tracing, a struct_ops member for struct_ops, sleepable for syscall).
 *     Loads → present; EINVAL → absent; any other errno (EPERM...) is
 *     returned as an error: the probe could not decide.
 *   - map type: create a one-entry map with the key/value sizes, flags, inner
 *     map, BTF ids or vmlinux value type that type requires. Created →
 *     present; EINVAL (or ENOTSUPP) → absent; other errnos are errors.
 *   - helper for a program type: the program type must be present and the
 *     helper id named by `enum bpf_func_id` below __BPF_FUNC_MAX_ID. Then load
 *     `call ID; r0 = 0; exit` with r1 = ctx and r2-r5 uninitialised. The
 *     verifier looks the helper's prototype up for the program type before it
 *     checks any argument: a missing prototype (or a helper the type may not
 *     call) fails with EINVAL at the call, instruction 0, while a helper that
 *     exists for the type either loads (no or ctx-only arguments) or fails its
 *     argument checks with EACCES. So: loads or EACCES → present; EINVAL with
 *     the verifier stopped at instruction 0 → absent. The stop index is the
 *     last "N: (" instruction line of the level-1 log (the kernel keeps only
 *     the failing path in it), structure rather than prose. Programs are
 *     loaded as GPL so gpl_only helpers are not refused for their license.
 *   - attach type: named by `enum bpf_attach_type`, its program type present,
 *     and, where the kernel checks the (program type, attach type) pair at
 *     load time (cgroup, sk_lookup, sk_reuseport, netfilter, tracing...), a
 *     load with that expected attach type succeeds.
 *
 * A refusal at load time is only "absent" when it comes before the verifier
 * ran any instruction (the stop index is -1): a type or attach type the
 * kernel accepts can still refuse `r0 = 0` at the exit (recvmsg and
 * getpeername hooks must return 1), and that is presence. struct_ops maps are
 * created with vmlinux value type id 1, which only the struct_ops allocator
 * looks up (ENOTSUPP); a kernel without the type says EINVAL before that.
 *
 * Where bpfkit has no recipe for something the kernel names (a map or program
 * type newer than this library, or ext, which needs a target program), the
 * answer is BK_PROBE_LISTED.
 *
 * Where bpftool (Debian's 7.1 on Linux 6.18) disagrees, bpfkit is right:
 * - helpers: bpftool lists every helper for every program type, because it
 *   looks for "invalid func"/"unknown func" in the log and 6.x words the
 *   refusal differently; e.g. socket_filter cannot call tcp_check_syncookie.
 *   (XDP can call perf_event_read_value on 6.18: it is in the base helper
 *   set now, and a load with real arguments succeeds.)
 * - tracing: bpftool loads it without an attach BTF id, which the kernel
 *   always refuses; with tp_btf on a btf_trace_* typedef it loads.
 * - lsm, fentry/fexit/modify_return: where the kernel answers EPERM even to
 *   root (no BPF LSM active, trampolines refused), bpfkit returns -EPERM
 *   (undecided) rather than "absent".
 *
 * Caching. Each answer is computed once per process and kept in atomics, so
 * probes are thread-safe without locks: two threads asking at once may both
 * probe, and both store the same answer. Errors are not cached.
 */
#ifndef BPFKIT_PROBE_H
#define BPFKIT_PROBE_H

#include <stdint.h>

#include <bpfkit/btf.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Non-negative answers of the probes (negative values are -errno). */
enum bk_probe_answer {
	BK_PROBE_ABSENT = 0,  /* the running kernel does not support it */
	BK_PROBE_PRESENT = 1, /* supported, confirmed by the kernel */
	BK_PROBE_LISTED = 2,  /* named by the kernel's BTF; bpfkit cannot confirm it */
};

/**
 * bk_probe_prog_type() - does the running kernel support program type
 * prog_type (a BPF_PROG_TYPE_* value)? Returns an enum bk_probe_answer, or a
 * negative errno when the probe could not decide (e.g. -EPERM without
 * privileges, -ENOENT when the kernel has no BTF to name its types).
 */
BK_API int bk_probe_prog_type(uint32_t prog_type);

/**
 * bk_probe_map_type() - does the running kernel support map type map_type
 * (a BPF_MAP_TYPE_* value)? Returns an enum bk_probe_answer or a negative errno.
 */
BK_API int bk_probe_map_type(uint32_t map_type);

/**
 * bk_probe_helper() - may a program of type prog_type call helper helper_id
 * (a BPF_FUNC_* value) on the running kernel? Returns BK_PROBE_ABSENT when the
 * program type itself is absent. Returns an enum bk_probe_answer or a
 * negative errno.
 */
BK_API int bk_probe_helper(uint32_t prog_type, uint32_t helper_id);

/**
 * bk_probe_attach_type() - does the running kernel support attach type
 * attach_type (a BPF_* value of enum bpf_attach_type)? Returns an enum
 * bk_probe_answer or a negative errno.
 */
BK_API int bk_probe_attach_type(uint32_t attach_type);

/* Verifier and instruction-set features (bpftool's "misc" section). */
enum bk_probe_feature {
	BK_FEATURE_LARGE_INSN_LIMIT = 0, /* Linux 5.2: programs beyond 4096 instructions */
	BK_FEATURE_BOUNDED_LOOPS = 1,	 /* Linux 5.3: backward jumps in bounded loops */
	BK_FEATURE_ISA_V2 = 2,		 /* Linux 4.14: jlt, jle, jslt, jsle */
	BK_FEATURE_ISA_V3 = 3,		 /* Linux 5.1: 32-bit jumps (jmp32) */
	BK_FEATURE_ISA_V4 = 4,		 /* Linux 6.6: sign extension, sdiv/smod, gotol, bswap */
};

/**
 * bk_probe_feature() - does the running kernel have feature f? A socket
 * filter that needs exactly that feature is loaded: loads → present; EINVAL,
 * EACCES or E2BIG → absent. Cached like the other probes. Returns an enum
 * bk_probe_answer or a negative errno.
 */
BK_API int bk_probe_feature(enum bk_probe_feature f);

/**
 * bk_probe_kernel_btf() - the running kernel's BTF (/sys/kernel/btf/vmlinux),
 * parsed once per process and kept for its lifetime; do not free it. Returns
 * NULL with errno set when the kernel has none. Useful to name kernel enums:
 * bk_btf_enum_value(bk_probe_kernel_btf(), "bpf_func_id", ...).
 */
BK_API const struct bk_btf *bk_probe_kernel_btf(void);

/**
 * bk_probe_kernel_enum_count() - one past the largest value of a kernel enum
 * whose last enumerator is a __MAX_* sentinel, read from the kernel's BTF:
 * "bpf_prog_type" → __MAX_BPF_PROG_TYPE, "bpf_map_type", "bpf_attach_type",
 * "bpf_link_type", "bpf_func_id" → __BPF_FUNC_MAX_ID. Returns the count, or
 * a negative errno (-ENOENT when the enum is not there).
 */
BK_API int bk_probe_kernel_enum_count(const char *enum_name);

/**
 * bk_probe_kernel_enum_name() - the enumerator of kernel enum enum_name whose
 * value is value ("BPF_PROG_TYPE_XDP"), from the kernel's BTF; NULL with
 * errno = ENOENT when there is none. The string lives as long as the process.
 */
BK_API const char *bk_probe_kernel_enum_name(const char *enum_name, int64_t value);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_PROBE_H */
