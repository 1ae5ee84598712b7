// SPDX-License-Identifier: MIT
/* The SEC() table: every row found by its own name, libbpf's matching rules,
 * and libbpf's own answers (the installed libbpf, through libbpf_ref --sec). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../../src/elf/sec_def.h"

Test(sec_def, every_row_is_found_by_its_own_name)
{
	size_t n;
	const struct bk__sec_def *defs = bk__sec_defs(&n);

	cr_assert_geq(n, 100, "libbpf 1.x knows about 100 prefixes, the table has %zu", n);
	for (size_t i = 0; i < n; i++) {
		const struct bk__sec_def *d = bk__sec_def_find(defs[i].prefix);

		cr_assert_eq(d, &defs[i], "'%s' finds row '%s'", defs[i].prefix,
			     d ? d->prefix : "(none)");
		cr_assert_str_eq(bk__sec_target(d, defs[i].prefix), "");
	}
}

Test(sec_def, rows_with_arguments_take_slash_suffixes)
{
	size_t n;
	const struct bk__sec_def *defs = bk__sec_defs(&n);
	char name[128];

	for (size_t i = 0; i < n; i++) {
		const struct bk__sec_def *d;

		snprintf(name, sizeof(name), "%s/some/target", defs[i].prefix);
		d = bk__sec_def_find(name);
		if (defs[i].flags & BK__SEC_NO_ARGS) {
			cr_assert_neq(d, &defs[i], "exact-only '%s' must not match '%s'",
				      defs[i].prefix, name);
			continue;
		}
		cr_assert_eq(d, &defs[i], "'%s' finds '%s'", name, d ? d->prefix : "(none)");
		cr_assert_str_eq(bk__sec_target(d, name), "some/target");
	}
}

Test(sec_def, names_without_separator_do_not_match)
{
	/* libbpf 1.x: "+" rows need "\0" or "/" right after the prefix */
	static const char *const bad[] = { "xdpfoo", "xdp_foo", "tpx", "kprobefoo",
					   "socketx", "tc/foo", "tcxingress", "sk_lookup/x",
					   "cgroup/connect4x", "fentryx", "", "/xdp", "Xdp",
					   "iterx/task", "raw_tp_w" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		cr_assert_null(bk__sec_def_find(bad[i]), "'%s' matched", bad[i]);
		cr_assert_eq(errno, ESRCH);
	}
	cr_assert_null(bk__sec_def_find(NULL));
}

Test(sec_def, known_answers)
{
	static const struct {
		const char *sec;
		const char *row;
		enum bk_prog_type type;
		uint32_t eat;
		enum bk__attach_kind at;
		const char *target;
	} cases[] = {
		{ "xdp", "xdp", BK_PROG_TYPE_XDP, BK_ATTACH_XDP, BK__AT_XDP, "" },
		{ "xdp.frags", "xdp.frags", BK_PROG_TYPE_XDP, BK_ATTACH_XDP, BK__AT_XDP, "" },
		{ "xdp/devmap", "xdp/devmap", BK_PROG_TYPE_XDP, BK_ATTACH_XDP_DEVMAP, BK__AT_NONE, "" },
		{ "tc", "tc", BK_PROG_TYPE_SCHED_CLS, 0, BK__AT_TC, "" },
		{ "tcx/ingress", "tcx/ingress", BK_PROG_TYPE_SCHED_CLS, BK_ATTACH_TCX_INGRESS,
		  BK__AT_TCX, "" },
		{ "tc/egress", "tc/egress", BK_PROG_TYPE_SCHED_CLS, BK_ATTACH_TCX_EGRESS, BK__AT_TCX,
		  "" },
		{ "socket", "socket", BK_PROG_TYPE_SOCKET_FILTER, 0, BK__AT_SOCKET_FILTER, "" },
		{ "cgroup_skb/egress", "cgroup_skb/egress", BK_PROG_TYPE_CGROUP_SKB,
		  BK_ATTACH_CGROUP_INET_EGRESS, BK__AT_CGROUP, "" },
		{ "cgroup/connect4", "cgroup/connect4", BK_PROG_TYPE_CGROUP_SOCK_ADDR,
		  BK_ATTACH_CGROUP_INET4_CONNECT, BK__AT_CGROUP, "" },
		{ "tp/syscalls/sys_enter_getpid", "tp", BK_PROG_TYPE_TRACEPOINT, 0,
		  BK__AT_TRACEPOINT, "syscalls/sys_enter_getpid" },
		{ "tracepoint/sched/sched_switch", "tracepoint", BK_PROG_TYPE_TRACEPOINT, 0,
		  BK__AT_TRACEPOINT, "sched/sched_switch" },
		{ "raw_tp/sys_enter", "raw_tp", BK_PROG_TYPE_RAW_TRACEPOINT, 0, BK__AT_RAW_TP,
		  "sys_enter" },
		{ "raw_tp.w/sys_enter", "raw_tp.w", BK_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0,
		  BK__AT_RAW_TP, "sys_enter" },
		{ "tp_btf/sys_enter", "tp_btf", BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_RAW_TP,
		  BK__AT_TP_BTF, "sys_enter" },
		{ "fentry/do_unlinkat", "fentry", BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_FENTRY,
		  BK__AT_TRACING, "do_unlinkat" },
		{ "fexit.s/x", "fexit.s", BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_FEXIT,
		  BK__AT_TRACING, "x" },
		{ "lsm/file_open", "lsm", BK_PROG_TYPE_LSM, BK_ATTACH_LSM_MAC, BK__AT_LSM,
		  "file_open" },
		{ "iter/task", "iter", BK_PROG_TYPE_TRACING, BK_ATTACH_TRACE_ITER, BK__AT_ITER,
		  "task" },
		{ "sk_lookup", "sk_lookup", BK_PROG_TYPE_SK_LOOKUP, BK_ATTACH_SK_LOOKUP,
		  BK__AT_SK_LOOKUP, "" },
		{ "kprobe/do_sys_open", "kprobe", BK_PROG_TYPE_KPROBE, 0, BK__AT_KPROBE,
		  "do_sys_open" },
		{ "kretprobe.multi/vfs_*", "kretprobe.multi", BK_PROG_TYPE_KPROBE,
		  BK_ATTACH_TRACE_KPROBE_MULTI, BK__AT_KPROBE_MULTI, "vfs_*" },
		{ "uprobe.s//bin/sh:main", "uprobe.s", BK_PROG_TYPE_KPROBE, 0, BK__AT_UPROBE,
		  "/bin/sh:main" },
		{ "usdt/libc:setjmp", "usdt", BK_PROG_TYPE_KPROBE, 0, BK__AT_USDT, "libc:setjmp" },
		{ "syscall", "syscall", BK_PROG_TYPE_SYSCALL, 0, BK__AT_SYSCALL, "" },
		{ "struct_ops/dctcp_init", "struct_ops", BK_PROG_TYPE_STRUCT_OPS, 0,
		  BK__AT_STRUCT_OPS, "dctcp_init" },
		{ "sk_reuseport/migrate", "sk_reuseport/migrate", BK_PROG_TYPE_SK_REUSEPORT,
		  BK_ATTACH_SK_REUSEPORT_SELECT_OR_MIGRATE, BK__AT_SK_REUSEPORT, "" },
		{ "netfilter", "netfilter", BK_PROG_TYPE_NETFILTER, BK_ATTACH_NETFILTER,
		  BK__AT_NETFILTER, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bk__sec_def *d = bk__sec_def_find(cases[i].sec);

		cr_assert_not_null(d, "'%s' not found", cases[i].sec);
		cr_assert_str_eq(d->prefix, cases[i].row, "'%s'", cases[i].sec);
		cr_assert_eq(d->type, cases[i].type, "'%s' type %d", cases[i].sec, d->type);
		cr_assert_eq(d->expected_attach_type, cases[i].eat, "'%s'", cases[i].sec);
		cr_assert_eq(d->attach, cases[i].at, "'%s'", cases[i].sec);
		cr_assert_str_eq(bk__sec_target(d, cases[i].sec), cases[i].target);
	}
}

Test(sec_def, flags_follow_the_spelling)
{
	size_t n;
	const struct bk__sec_def *defs = bk__sec_defs(&n);

	for (size_t i = 0; i < n; i++) {
		const char *p = defs[i].prefix;
		size_t len = strlen(p);
		int dot_s = len > 2 && strcmp(p + len - 2, ".s") == 0;

		/* ".s" rows are sleepable, and so is syscall; no other */
		cr_assert_eq(!!(defs[i].flags & BK__SEC_SLEEPABLE),
			     dot_s || strcmp(p, "syscall") == 0, "'%s'", p);
		cr_assert_eq(!!(defs[i].flags & BK__SEC_XDP_FRAGS),
			     strncmp(p, "xdp.frags", 9) == 0, "'%s'", p);
		cr_assert_eq(!(defs[i].flags & BK__SEC_SLOPPY_PFX), 1, "'%s'", p);
		cr_assert_lt(defs[i].attach, BK__AT__MAX);
		cr_assert_lt((unsigned)defs[i].type, BK_PROG_TYPE__MAX);
		cr_assert_lt(defs[i].expected_attach_type, BK_ATTACH__MAX);
	}
}

Test(sec_def, sloppy_and_exact_rules)
{
	struct bk__sec_def sloppy = { "classifier", BK_PROG_TYPE_SCHED_CLS, 0,
				      BK__SEC_SLOPPY_PFX, BK__AT_TC };
	struct bk__sec_def exact = { "classifier", BK_PROG_TYPE_SCHED_CLS, 0, BK__SEC_NO_ARGS,
				     BK__AT_TC };
	struct bk__sec_def plus = { "classifier", BK_PROG_TYPE_SCHED_CLS, 0, 0, BK__AT_TC };

	cr_assert(bk__sec_def_matches(&sloppy, "classifier_ingress"));
	cr_assert(bk__sec_def_matches(&sloppy, "classifier"));
	cr_assert_not(bk__sec_def_matches(&sloppy, "classifie"));
	cr_assert(bk__sec_def_matches(&exact, "classifier"));
	cr_assert_not(bk__sec_def_matches(&exact, "classifier/x"));
	cr_assert_not(bk__sec_def_matches(&exact, "classifier_ingress"));
	cr_assert(bk__sec_def_matches(&plus, "classifier"));
	cr_assert(bk__sec_def_matches(&plus, "classifier/x"));
	cr_assert_not(bk__sec_def_matches(&plus, "classifier_ingress"));
}

/* libbpf's own answer for each row and for "row/x": the installed libbpf (1.1
 * on Debian 12) predates some rows (tcx, netkit, sessions, ...); every name it
 * knows must give the same program type and expected attach type. */
Test(sec_def, same_answers_as_installed_libbpf)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	size_t n, known = 0, cap = 1 << 16, len = 0;
	const struct bk__sec_def *defs = bk__sec_defs(&n);
	char *cmd = malloc(cap), line[256];
	FILE *f;

	cr_assert_not_null(ref, "BK_LIBBPF_REF is set by the Makefile");
	cr_assert_eq(access(ref, X_OK), 0, "%s: build it with make elf-corpus", ref);
	len += (size_t)snprintf(cmd, cap, "%s --sec", ref);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(cmd + len, cap - len, " '%s' '%s/x'", defs[i].prefix,
					defs[i].prefix);
	cr_assert_lt(len, cap);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int t = -1, a = -1;
		const struct bk__sec_def *d;

		if (sscanf(line, "%127s %d %d", name, &t, &a) != 3)
			continue; /* "NAME -": this libbpf does not know it */
		d = bk__sec_def_find(name);
		cr_assert_not_null(d, "libbpf knows '%s', we do not", name);
		cr_assert_eq((int)d->type, t, "'%s': type %d, libbpf %d", name, d->type, t);
		cr_assert_eq((int)d->expected_attach_type, a, "'%s': attach %u, libbpf %d", name,
			     d->expected_attach_type, a);
		known++;
	}
	cr_assert_eq(pclose(f), 0);
	free(cmd);
	cr_assert_geq(known, 100, "libbpf answered for %zu names only", known);
}

Test(sec_def, load_flags_and_kind_names)
{
	size_t n;
	const struct bk__sec_def *defs = bk__sec_defs(&n);

	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("xdp.frags")), BK_F_XDP_HAS_FRAGS);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("xdp.frags/devmap")), BK_F_XDP_HAS_FRAGS);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("xdp")), 0);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("fentry.s/x")), BK_F_SLEEPABLE);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("syscall")), BK_F_SLEEPABLE);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("usdt.s/a:b")), BK_F_SLEEPABLE);
	cr_assert_eq(bk__sec_prog_flags(bk__sec_def_find("tc")), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_neq(bk__attach_kind_name(defs[i].attach), "?", "%s", defs[i].prefix);
	for (int k = 0; k < BK__AT__MAX; k++)
		cr_assert_str_neq(bk__attach_kind_name((enum bk__attach_kind)k), "?", "kind %d", k);
	cr_assert_str_eq(bk__attach_kind_name(BK__AT__MAX), "?");
	cr_assert_str_eq(bk__attach_kind_name(BK__AT_KPROBE), "kprobe");
}
