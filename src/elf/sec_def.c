// SPDX-License-Identifier: MIT
/*
 * libbpf's section-name table (libbpf 1.x, up to the session probes of 1.5/1.6)
 * as data. The order is libbpf's: the first matching row wins, so more
 * specific names ("xdp.frags/devmap") precede shorter ones ("xdp").
 */
#include <errno.h>
#include <string.h>

#include "sec_def.h"

#define NA BK__SEC_NO_ARGS
#define ATT BK__SEC_ATTACHABLE
#define ATT_OPT (BK__SEC_ATTACHABLE | BK__SEC_EXP_ATTACH_OPT)
#define BTF BK__SEC_ATTACH_BTF
#define SLP BK__SEC_SLEEPABLE
#define FRAGS BK__SEC_XDP_FRAGS
#define USDT BK__SEC_USDT

#define P(t) BK_PROG_TYPE_##t
#define A(t) BK_ATTACH_##t

/* prefix, program type, expected attach type, flags, attach kind */
static const struct bk__sec_def sec_defs[] = {
	{ "socket", P(SOCKET_FILTER), 0, NA, BK__AT_SOCKET_FILTER },
	{ "sk_reuseport/migrate", P(SK_REUSEPORT), A(SK_REUSEPORT_SELECT_OR_MIGRATE), NA | ATT,
	  BK__AT_SK_REUSEPORT },
	{ "sk_reuseport", P(SK_REUSEPORT), A(SK_REUSEPORT_SELECT), NA | ATT, BK__AT_SK_REUSEPORT },
	{ "kprobe", P(KPROBE), 0, 0, BK__AT_KPROBE },
	{ "uprobe", P(KPROBE), 0, 0, BK__AT_UPROBE },
	{ "uprobe.s", P(KPROBE), 0, SLP, BK__AT_UPROBE },
	{ "kretprobe", P(KPROBE), 0, 0, BK__AT_KPROBE },
	{ "uretprobe", P(KPROBE), 0, 0, BK__AT_UPROBE },
	{ "uretprobe.s", P(KPROBE), 0, SLP, BK__AT_UPROBE },
	{ "kprobe.multi", P(KPROBE), A(TRACE_KPROBE_MULTI), 0, BK__AT_KPROBE_MULTI },
	{ "kretprobe.multi", P(KPROBE), A(TRACE_KPROBE_MULTI), 0, BK__AT_KPROBE_MULTI },
	{ "kprobe.session", P(KPROBE), A(TRACE_KPROBE_SESSION), 0, BK__AT_KPROBE_MULTI },
	{ "uprobe.multi", P(KPROBE), A(TRACE_UPROBE_MULTI), 0, BK__AT_UPROBE_MULTI },
	{ "uretprobe.multi", P(KPROBE), A(TRACE_UPROBE_MULTI), 0, BK__AT_UPROBE_MULTI },
	{ "uprobe.session", P(KPROBE), A(TRACE_UPROBE_SESSION), 0, BK__AT_UPROBE_MULTI },
	{ "uprobe.multi.s", P(KPROBE), A(TRACE_UPROBE_MULTI), SLP, BK__AT_UPROBE_MULTI },
	{ "uretprobe.multi.s", P(KPROBE), A(TRACE_UPROBE_MULTI), SLP, BK__AT_UPROBE_MULTI },
	{ "uprobe.session.s", P(KPROBE), A(TRACE_UPROBE_SESSION), SLP, BK__AT_UPROBE_MULTI },
	{ "ksyscall", P(KPROBE), 0, 0, BK__AT_KSYSCALL },
	{ "kretsyscall", P(KPROBE), 0, 0, BK__AT_KSYSCALL },
	{ "usdt", P(KPROBE), 0, USDT, BK__AT_USDT },
	{ "usdt.s", P(KPROBE), 0, USDT | SLP, BK__AT_USDT },
	{ "tc/ingress", P(SCHED_CLS), A(TCX_INGRESS), NA, BK__AT_TCX }, /* alias of tcx */
	{ "tc/egress", P(SCHED_CLS), A(TCX_EGRESS), NA, BK__AT_TCX },   /* alias of tcx */
	{ "tcx/ingress", P(SCHED_CLS), A(TCX_INGRESS), NA, BK__AT_TCX },
	{ "tcx/egress", P(SCHED_CLS), A(TCX_EGRESS), NA, BK__AT_TCX },
	{ "tc", P(SCHED_CLS), 0, NA, BK__AT_TC },
	{ "classifier", P(SCHED_CLS), 0, NA, BK__AT_TC },
	{ "action", P(SCHED_ACT), 0, NA, BK__AT_TC },
	{ "netkit/primary", P(SCHED_CLS), A(NETKIT_PRIMARY), NA, BK__AT_NETKIT },
	{ "netkit/peer", P(SCHED_CLS), A(NETKIT_PEER), NA, BK__AT_NETKIT },
	{ "tracepoint", P(TRACEPOINT), 0, 0, BK__AT_TRACEPOINT },
	{ "tp", P(TRACEPOINT), 0, 0, BK__AT_TRACEPOINT },
	{ "raw_tracepoint", P(RAW_TRACEPOINT), 0, 0, BK__AT_RAW_TP },
	{ "raw_tp", P(RAW_TRACEPOINT), 0, 0, BK__AT_RAW_TP },
	{ "raw_tracepoint.w", P(RAW_TRACEPOINT_WRITABLE), 0, 0, BK__AT_RAW_TP },
	{ "raw_tp.w", P(RAW_TRACEPOINT_WRITABLE), 0, 0, BK__AT_RAW_TP },
	{ "tp_btf", P(TRACING), A(TRACE_RAW_TP), BTF, BK__AT_TP_BTF },
	{ "fentry", P(TRACING), A(TRACE_FENTRY), BTF, BK__AT_TRACING },
	{ "fmod_ret", P(TRACING), A(MODIFY_RETURN), BTF, BK__AT_TRACING },
	{ "fexit", P(TRACING), A(TRACE_FEXIT), BTF, BK__AT_TRACING },
	{ "fentry.s", P(TRACING), A(TRACE_FENTRY), BTF | SLP, BK__AT_TRACING },
	{ "fmod_ret.s", P(TRACING), A(MODIFY_RETURN), BTF | SLP, BK__AT_TRACING },
	{ "fexit.s", P(TRACING), A(TRACE_FEXIT), BTF | SLP, BK__AT_TRACING },
	{ "freplace", P(EXT), 0, BTF, BK__AT_FREPLACE },
	{ "lsm", P(LSM), A(LSM_MAC), BTF, BK__AT_LSM },
	{ "lsm.s", P(LSM), A(LSM_MAC), BTF | SLP, BK__AT_LSM },
	{ "lsm_cgroup", P(LSM), A(LSM_CGROUP), BTF, BK__AT_LSM_CGROUP },
	{ "iter", P(TRACING), A(TRACE_ITER), BTF, BK__AT_ITER },
	{ "iter.s", P(TRACING), A(TRACE_ITER), BTF | SLP, BK__AT_ITER },
	{ "syscall", P(SYSCALL), 0, NA | SLP, BK__AT_SYSCALL },
	{ "xdp.frags/devmap", P(XDP), A(XDP_DEVMAP), NA | FRAGS, BK__AT_NONE },
	{ "xdp/devmap", P(XDP), A(XDP_DEVMAP), NA | ATT, BK__AT_NONE },
	{ "xdp.frags/cpumap", P(XDP), A(XDP_CPUMAP), NA | FRAGS, BK__AT_NONE },
	{ "xdp/cpumap", P(XDP), A(XDP_CPUMAP), NA | ATT, BK__AT_NONE },
	{ "xdp.frags", P(XDP), A(XDP), NA | FRAGS, BK__AT_XDP },
	{ "xdp", P(XDP), A(XDP), NA | ATT_OPT, BK__AT_XDP },
	{ "perf_event", P(PERF_EVENT), 0, NA, BK__AT_PERF_EVENT },
	{ "lwt_in", P(LWT_IN), 0, NA, BK__AT_LWT },
	{ "lwt_out", P(LWT_OUT), 0, NA, BK__AT_LWT },
	{ "lwt_xmit", P(LWT_XMIT), 0, NA, BK__AT_LWT },
	{ "lwt_seg6local", P(LWT_SEG6LOCAL), 0, NA, BK__AT_LWT },
	{ "sockops", P(SOCK_OPS), A(CGROUP_SOCK_OPS), NA | ATT_OPT, BK__AT_CGROUP },
	{ "sk_skb/stream_parser", P(SK_SKB), A(SK_SKB_STREAM_PARSER), NA | ATT_OPT, BK__AT_SK_SKB },
	{ "sk_skb/stream_verdict", P(SK_SKB), A(SK_SKB_STREAM_VERDICT), NA | ATT_OPT, BK__AT_SK_SKB },
	{ "sk_skb", P(SK_SKB), 0, NA, BK__AT_SK_SKB },
	{ "sk_msg", P(SK_MSG), A(SK_MSG_VERDICT), NA | ATT_OPT, BK__AT_SK_MSG },
	{ "lirc_mode2", P(LIRC_MODE2), A(LIRC_MODE2), NA | ATT_OPT, BK__AT_LIRC },
	{ "flow_dissector", P(FLOW_DISSECTOR), A(FLOW_DISSECTOR), NA | ATT_OPT, BK__AT_FLOW_DISSECTOR },
	{ "cgroup_skb/ingress", P(CGROUP_SKB), A(CGROUP_INET_INGRESS), NA | ATT_OPT, BK__AT_CGROUP },
	{ "cgroup_skb/egress", P(CGROUP_SKB), A(CGROUP_INET_EGRESS), NA | ATT_OPT, BK__AT_CGROUP },
	{ "cgroup/skb", P(CGROUP_SKB), 0, NA, BK__AT_CGROUP },
	{ "cgroup/sock_create", P(CGROUP_SOCK), A(CGROUP_INET_SOCK_CREATE), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/sock_release", P(CGROUP_SOCK), A(CGROUP_INET_SOCK_RELEASE), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/sock", P(CGROUP_SOCK), A(CGROUP_INET_SOCK_CREATE), NA | ATT_OPT, BK__AT_CGROUP },
	{ "cgroup/post_bind4", P(CGROUP_SOCK), A(CGROUP_INET4_POST_BIND), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/post_bind6", P(CGROUP_SOCK), A(CGROUP_INET6_POST_BIND), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/bind4", P(CGROUP_SOCK_ADDR), A(CGROUP_INET4_BIND), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/bind6", P(CGROUP_SOCK_ADDR), A(CGROUP_INET6_BIND), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/connect4", P(CGROUP_SOCK_ADDR), A(CGROUP_INET4_CONNECT), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/connect6", P(CGROUP_SOCK_ADDR), A(CGROUP_INET6_CONNECT), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/connect_unix", P(CGROUP_SOCK_ADDR), A(CGROUP_UNIX_CONNECT), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/sendmsg4", P(CGROUP_SOCK_ADDR), A(CGROUP_UDP4_SENDMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/sendmsg6", P(CGROUP_SOCK_ADDR), A(CGROUP_UDP6_SENDMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/sendmsg_unix", P(CGROUP_SOCK_ADDR), A(CGROUP_UNIX_SENDMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/recvmsg4", P(CGROUP_SOCK_ADDR), A(CGROUP_UDP4_RECVMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/recvmsg6", P(CGROUP_SOCK_ADDR), A(CGROUP_UDP6_RECVMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/recvmsg_unix", P(CGROUP_SOCK_ADDR), A(CGROUP_UNIX_RECVMSG), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/getpeername4", P(CGROUP_SOCK_ADDR), A(CGROUP_INET4_GETPEERNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/getpeername6", P(CGROUP_SOCK_ADDR), A(CGROUP_INET6_GETPEERNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/getpeername_unix", P(CGROUP_SOCK_ADDR), A(CGROUP_UNIX_GETPEERNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/getsockname4", P(CGROUP_SOCK_ADDR), A(CGROUP_INET4_GETSOCKNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/getsockname6", P(CGROUP_SOCK_ADDR), A(CGROUP_INET6_GETSOCKNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/getsockname_unix", P(CGROUP_SOCK_ADDR), A(CGROUP_UNIX_GETSOCKNAME), NA | ATT,
	  BK__AT_CGROUP },
	{ "cgroup/sysctl", P(CGROUP_SYSCTL), A(CGROUP_SYSCTL), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/getsockopt", P(CGROUP_SOCKOPT), A(CGROUP_GETSOCKOPT), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/setsockopt", P(CGROUP_SOCKOPT), A(CGROUP_SETSOCKOPT), NA | ATT, BK__AT_CGROUP },
	{ "cgroup/dev", P(CGROUP_DEVICE), A(CGROUP_DEVICE), NA | ATT_OPT, BK__AT_CGROUP },
	{ "struct_ops", P(STRUCT_OPS), 0, 0, BK__AT_STRUCT_OPS },
	{ "struct_ops.s", P(STRUCT_OPS), 0, SLP, BK__AT_STRUCT_OPS },
	{ "sk_lookup", P(SK_LOOKUP), A(SK_LOOKUP), NA | ATT, BK__AT_SK_LOOKUP },
	{ "netfilter", P(NETFILTER), A(NETFILTER), NA, BK__AT_NETFILTER },
};

const struct bk__sec_def *bk__sec_defs(size_t *n)
{
	*n = sizeof(sec_defs) / sizeof(sec_defs[0]);
	return sec_defs;
}

int bk__sec_def_matches(const struct bk__sec_def *def, const char *sec_name)
{
	size_t len;

	/* Most rows differ at the first letter: the scan of all of them, done
	 * for every program an object has, then costs a byte compare each. */
	if (def->prefix[0] != sec_name[0])
		return 0;
	len = strlen(def->prefix);
	if (strncmp(sec_name, def->prefix, len) != 0)
		return 0;
	if (def->flags & BK__SEC_SLOPPY_PFX)
		return 1;
	if (sec_name[len] == '\0')
		return 1;
	/* "prefix/..." unless the row is exact-only */
	return !(def->flags & BK__SEC_NO_ARGS) && sec_name[len] == '/';
}

const struct bk__sec_def *bk__sec_def_find(const char *sec_name)
{
	size_t n;
	const struct bk__sec_def *defs = bk__sec_defs(&n);

	if (sec_name)
		for (size_t i = 0; i < n; i++)
			if (bk__sec_def_matches(&defs[i], sec_name))
				return &defs[i];
	errno = ESRCH;
	return NULL;
}

const char *bk__sec_target(const struct bk__sec_def *def, const char *sec_name)
{
	size_t len;

	if (!def || !sec_name)
		return "";
	len = strlen(def->prefix);
	if (strncmp(sec_name, def->prefix, len) != 0 || sec_name[len] != '/')
		return "";
	return sec_name + len + 1;
}

uint32_t bk__sec_prog_flags(const struct bk__sec_def *def)
{
	uint32_t f = 0;

	if (def->flags & BK__SEC_SLEEPABLE)
		f |= BK_F_SLEEPABLE;
	if ((def->flags & BK__SEC_XDP_FRAGS) && def->type == BK_PROG_TYPE_XDP)
		f |= BK_F_XDP_HAS_FRAGS;
	return f;
}

static const char *const attach_kind_names[BK__AT__MAX] = {
	[BK__AT_NONE] = "none",
	[BK__AT_SOCKET_FILTER] = "socket filter",
	[BK__AT_XDP] = "xdp",
	[BK__AT_TC] = "tc",
	[BK__AT_TCX] = "tcx",
	[BK__AT_CGROUP] = "cgroup",
	[BK__AT_TRACEPOINT] = "tracepoint",
	[BK__AT_RAW_TP] = "raw tracepoint",
	[BK__AT_TP_BTF] = "tp_btf",
	[BK__AT_TRACING] = "tracing",
	[BK__AT_LSM] = "lsm",
	[BK__AT_ITER] = "iterator",
	[BK__AT_SK_LOOKUP] = "sk_lookup",
	[BK__AT_KPROBE] = "kprobe",
	[BK__AT_UPROBE] = "uprobe",
	[BK__AT_USDT] = "usdt",
	[BK__AT_STRUCT_OPS] = "struct_ops",
	[BK__AT_SK_MSG] = "sk_msg",
	[BK__AT_SK_SKB] = "sk_skb",
	[BK__AT_NETFILTER] = "netfilter",
	[BK__AT_NETKIT] = "netkit",
	[BK__AT_PERF_EVENT] = "perf_event",
	[BK__AT_FLOW_DISSECTOR] = "flow_dissector",
	[BK__AT_SYSCALL] = "syscall",
	[BK__AT_SK_REUSEPORT] = "sk_reuseport",
	[BK__AT_LWT] = "lwt",
	[BK__AT_LIRC] = "lirc",
	[BK__AT_FREPLACE] = "freplace",
	[BK__AT_LSM_CGROUP] = "lsm_cgroup",
	[BK__AT_KPROBE_MULTI] = "kprobe.multi",
	[BK__AT_UPROBE_MULTI] = "uprobe.multi",
	[BK__AT_KSYSCALL] = "ksyscall",
};

const char *bk__attach_kind_name(enum bk__attach_kind kind)
{
	if ((unsigned)kind >= BK__AT__MAX || !attach_kind_names[kind])
		return "?";
	return attach_kind_names[kind];
}
