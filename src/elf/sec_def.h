/* SPDX-License-Identifier: MIT */
/*
 * libbpf 1.x SEC() conventions as one data table: which program type,
 * expected attach type and load flags an ELF section name stands for, and
 * how bk_object_attach attaches a program of that section.
 */
#ifndef BK_ELF_SEC_DEF_H
#define BK_ELF_SEC_DEF_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/abi.h>

/* How bk_object_attach attaches a program of this section. */
enum bk__attach_kind {
	BK__AT_NONE,           /* loaded only (no automatic attachment, e.g. xdp/devmap) */
	BK__AT_SOCKET_FILTER,  /* SO_ATTACH_BPF on a socket */
	BK__AT_XDP,            /* an interface's XDP hook */
	BK__AT_TC,             /* classic tc, "tc"/"classifier"/"action" */
	BK__AT_TCX,            /* tcx ingress/egress links */
	BK__AT_CGROUP,         /* cgroup hooks (cgroup_skb, cgroup/..., sockops) */
	BK__AT_TRACEPOINT,     /* perf event of a tracefs tracepoint "category/name" */
	BK__AT_RAW_TP,         /* raw tracepoint by name */
	BK__AT_TP_BTF,         /* BTF-typed raw tracepoint (tracing link) */
	BK__AT_TRACING,        /* fentry/fexit/fmod_ret (tracing link) */
	BK__AT_LSM,            /* lsm/lsm.s (tracing link) */
	BK__AT_ITER,           /* iterator link */
	BK__AT_SK_LOOKUP,      /* netns sk_lookup link */
	BK__AT_KPROBE,         /* kprobe/kretprobe perf event */
	BK__AT_UPROBE,         /* uprobe/uretprobe perf event */
	BK__AT_USDT,           /* USDT probes */
	BK__AT_STRUCT_OPS,     /* registered through a struct_ops map */
	BK__AT_SK_MSG,         /* sockmap/sockhash msg verdict */
	BK__AT_SK_SKB,         /* sockmap/sockhash parser/verdict */
	BK__AT_NETFILTER,      /* netfilter link */
	BK__AT_NETKIT,         /* netkit primary/peer */
	BK__AT_PERF_EVENT,     /* a perf event fd */
	BK__AT_FLOW_DISSECTOR, /* netns flow dissector */
	BK__AT_SYSCALL,        /* test-run only (BPF_PROG_RUN) */
	BK__AT_SK_REUSEPORT,   /* SO_ATTACH_REUSEPORT_EBPF on a socket */
	BK__AT_LWT,            /* lightweight tunnel routes (iproute2) */
	BK__AT_LIRC,           /* a lirc device */
	BK__AT_FREPLACE,       /* replaces a function of another program */
	BK__AT_LSM_CGROUP,     /* lsm_cgroup: a cgroup link with an LSM hook's BTF id */
	BK__AT_KPROBE_MULTI,   /* kprobe.multi/kretprobe.multi/kprobe.session link */
	BK__AT_UPROBE_MULTI,   /* uprobe.multi/uprobe.session link */
	BK__AT_KSYSCALL,       /* kprobe on a syscall's arch-specific entry */
	BK__AT__MAX
};

#define BK__SEC_EXP_ATTACH_OPT (1u << 0) /* expected_attach_type optional (libbpf SEC_EXP_ATTACH_OPT) */
#define BK__SEC_ATTACHABLE     (1u << 1) /* libbpf SEC_ATTACHABLE */
#define BK__SEC_ATTACH_BTF     (1u << 2) /* target is a BTF id found by name after the prefix */
#define BK__SEC_SLEEPABLE      (1u << 3) /* loaded with BPF_F_SLEEPABLE */
#define BK__SEC_XDP_FRAGS      (1u << 4) /* loaded with BPF_F_XDP_HAS_FRAGS */
#define BK__SEC_USDT           (1u << 5)
/* Sloppy prefix: any name starting with the prefix matches (libbpf 0.x legacy
 * mode; libbpf 1.x has no such row, so none of ours carries it). */
#define BK__SEC_SLOPPY_PFX     (1u << 6)
/* Exact match only (libbpf rows without "+"). Rows without it match the exact
 * prefix or "prefix/anything" (libbpf's "+" rows). */
#define BK__SEC_NO_ARGS        (1u << 7)

struct bk__sec_def {
	const char *prefix;            /* as libbpf spells it, without its "+" */
	enum bk_prog_type type;        /* from include/bpfkit/abi.h */
	uint32_t expected_attach_type; /* BK_ATTACH_*; 0 where libbpf gives none */
	uint32_t flags;                /* BK__SEC_* */
	enum bk__attach_kind attach;
};

/* The definition for an ELF section name, matched with libbpf's rules: rows
 * are tried in libbpf's order and the first match wins; a NO_ARGS row matches
 * its exact name only, any other row its exact name or "prefix/...". NULL
 * (errno ESRCH) when no row matches. */
const struct bk__sec_def *bk__sec_def_find(const char *sec_name);

/* Whether one definition matches a section name (the rule bk__sec_def_find
 * applies to each row, sloppy prefixes included). */
int bk__sec_def_matches(const struct bk__sec_def *def, const char *sec_name);

/* What follows the prefix and its '/' (the attach target:
 * "syscalls/sys_enter_getpid" for "tp/syscalls/sys_enter_getpid"), or "". */
const char *bk__sec_target(const struct bk__sec_def *def, const char *sec_name);

/* The load flags libbpf derives from the row: BK_F_SLEEPABLE for sleepable
 * rows, BK_F_XDP_HAS_FRAGS for XDP frags rows. */
uint32_t bk__sec_prog_flags(const struct bk__sec_def *def);

/* "xdp", "tcx", "kprobe.multi"...: how an attach kind is named in messages
 * ("no kprobes on this kernel: kprobe programs cannot attach"); "?" outside
 * the enum. */
const char *bk__attach_kind_name(enum bk__attach_kind kind);

/* The whole table, for listings and tests: *n gets the row count. */
const struct bk__sec_def *bk__sec_defs(size_t *n);

#endif /* BK_ELF_SEC_DEF_H */
