// SPDX-License-Identifier: MIT
/* Name tables: facts, both directions, and completeness against the running
 * kernel's own BTF (through bpftool's C dump of /sys/kernel/btf/vmlinux). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <criterion/criterion.h>
#include <bpfkit/names.h>

#include "../lib/bk_test.h"

Test(names, helper_facts)
{
	cr_assert_str_eq(bk_helper_name(1), "map_lookup_elem");
	cr_assert_str_eq(bk_helper_name(5), "ktime_get_ns");
	cr_assert_str_eq(bk_helper_name(130), "ringbuf_output");
	cr_assert_str_eq(bk_helper_name(BK_FN_user_ringbuf_drain), "user_ringbuf_drain");
	cr_assert_str_eq(bk_helper_name(bk_helper_max() - 1), "cgrp_storage_delete");
	cr_assert_null(bk_helper_name(0));
	cr_assert_null(bk_helper_name(bk_helper_max()));
	cr_assert_null(bk_helper_name(-1));
	cr_assert_eq(bk_helper_by_name("map_lookup_elem"), 1);
	cr_assert_eq(bk_helper_by_name("bpf_map_lookup_elem"), 1);
	cr_assert_eq(bk_helper_by_name("bpf_no_such_helper"), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_helper_by_name(NULL), -ENOENT);
}

Test(names, every_helper_round_trips)
{
	for (int id = 1; id < bk_helper_max(); id++) {
		const char *n = bk_helper_name(id);
		char with_prefix[96];

		cr_assert_not_null(n, "helper %d has no name", id);
		cr_assert_eq(bk_helper_by_name(n), id, "%s", n);
		snprintf(with_prefix, sizeof(with_prefix), "bpf_%s", n);
		cr_assert_eq(bk_helper_by_name(with_prefix), id, "%s", with_prefix);
	}
}

Test(names, type_facts)
{
	cr_assert_eq(BK_MAP_TYPE_RINGBUF, 27);
	cr_assert_str_eq(bk_map_type_name(BK_MAP_TYPE_RINGBUF), "ringbuf");
	cr_assert_str_eq(bk_map_type_name(BK_MAP_TYPE_PERCPU_ARRAY), "percpu_array");
	cr_assert_eq(bk_map_type_by_name("arena"), BK_MAP_TYPE_ARENA);
	cr_assert_eq(BK_PROG_TYPE_XDP, 6);
	cr_assert_str_eq(bk_prog_type_name(BK_PROG_TYPE_SCHED_CLS), "sched_cls");
	cr_assert_str_eq(bk_prog_type_ctx(BK_PROG_TYPE_XDP), "struct xdp_md");
	cr_assert_str_eq(bk_prog_type_ctx(BK_PROG_TYPE_CGROUP_SOCK_ADDR), "struct bpf_sock_addr");
	cr_assert_null(bk_prog_type_ctx(BK_PROG_TYPE_TRACING));
	cr_assert_eq(BK_ATTACH_TCX_INGRESS, 46);
	cr_assert_str_eq(bk_attach_type_name(BK_ATTACH_CGROUP_INET_INGRESS), "cgroup_inet_ingress");
	cr_assert_eq(bk_attach_type_by_name("xdp"), BK_ATTACH_XDP);
	cr_assert_str_eq(bk_link_type_name(BK_LINK_TYPE_TCX), "tcx");
	cr_assert_str_eq(bk_cmd_name(BK_CMD_PROG_LOAD), "prog_load");
	cr_assert_eq(bk_cmd_by_name("token_create"), BK_CMD_TOKEN_CREATE);
	cr_assert_eq(bk_map_type_by_name("nope"), -ENOENT);
}

/* For each "PREFIX<NAME> = N," enumerator of the kernel's enum, the table
 * must name N as lowercase NAME. */
static void check_enum(const char *dump, const char *enum_name, const char *prefix,
		       const char *(*name_of)(int), bool lower)
{
	char head[96];
	const char *p = strstr(dump, (snprintf(head, sizeof(head), "enum %s {", enum_name), head));
	const char *end;
	int checked = 0;
	bool seen[1024] = { false }; /* aliases (BPF_PROG_RUN) follow their original */

	cr_assert_not_null(p, "no enum %s in the kernel's BTF", enum_name);
	end = strstr(p, "};");
	while ((p = strstr(p, prefix)) && p < end) {
		char name[96], want[96];
		int val;
		size_t i;

		if (p[-1] != '\t') { /* inside another name, e.g. __MAX_BPF_CMD */
			p += strlen(prefix);
			continue;
		}
		if (sscanf(p, "%95[A-Za-z0-9_] = %d", name, &val) != 2)
			break;
		p += strlen(name);
		if (strncmp(name, "__", 2) == 0 || strstr(name, "__MAX") || strstr(name, "MAX_"))
			continue;
		if (strstr(name, "_DEPRECATED") || !strcasecmp(name + strlen(prefix), "UNSPEC"))
			continue;
		if (val < 0 || val >= 1024 || seen[val])
			continue;
		seen[val] = true;
		snprintf(want, sizeof(want), "%s", name + strlen(prefix));
		for (i = 0; lower && want[i]; i++)
			want[i] = (char)tolower((unsigned char)want[i]);
		cr_assert_not_null(name_of(val), "%s (%d) is missing", name, val);
		cr_assert_str_eq(name_of(val), want, "%s = %d", name, val);
		checked++;
	}
	cr_assert_gt(checked, 10, "%s: only %d enumerators checked", enum_name, checked);
}

Test(names, tables_are_complete_for_the_running_kernel, .timeout = 60)
{
	char *dump = NULL;

	BK_REQUIRE_TOOL("bpftool");
	cr_assert_eq(bk_test_run("bpftool btf dump file /sys/kernel/btf/vmlinux format c "
				 "2>/dev/null | grep -A300 '^enum bpf_'", &dump),
		     0);
	check_enum(dump, "bpf_func_id", "BPF_FUNC_", bk_helper_name, false);
	check_enum(dump, "bpf_cmd", "BPF_", bk_cmd_name, true);
	check_enum(dump, "bpf_map_type", "BPF_MAP_TYPE_", bk_map_type_name, true);
	check_enum(dump, "bpf_prog_type", "BPF_PROG_TYPE_", bk_prog_type_name, true);
	check_enum(dump, "bpf_attach_type", "BPF_", bk_attach_type_name, true);
	check_enum(dump, "bpf_link_type", "BPF_LINK_TYPE_", bk_link_type_name, true);
	free(dump);
}
