// SPDX-License-Identifier: MIT
/*
 * Externs (object_ext.c): listed with kind and weakness at open, and the
 * kernel config values a program sees after load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/object.h>
#include <bpfkit/probe.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"

TestSuite(object_ext, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object_ext, externs_listed_with_kind_and_weakness)
{
	struct bk_object *obj = bk_corpus_open("externs");
	bool kconfig = false, kfunc = false, weak = false;

	cr_assert_gt(bk_object_extern_count(obj), 3);
	for (size_t i = 0; i < bk_object_extern_count(obj); i++) {
		const char *name, *kind;
		bool w;

		cr_assert_eq(bk_object_extern_at(obj, i, &name, &kind, &w), 0);
		kconfig |= !strcmp(name, "LINUX_KERNEL_VERSION") && !strcmp(kind, "kconfig");
		kfunc |= !strcmp(kind, "kfunc");
		weak |= !strcmp(name, "bk_no_such_kfunc") && w;
	}
	cr_assert(kconfig && kfunc && weak);
	cr_assert_eq(bk_object_extern_at(obj, 999, NULL, NULL, NULL), -ENOENT);
	cr_assert(bk_object_map_by_name(obj, ".kconfig") != NULL);
	bk_object_close(obj);
}

/* The .kconfig values the program saw are the kernel's own config and version. */
Test(object_ext, kconfig_values_are_the_kernels)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load("externs", &d, NULL);
	struct {
		uint32_t kernel_version, hz;
		uint64_t nr_cpus;
		char hostname[16];
		uint64_t schedule_addr;
		uint32_t self_tgid, task_tgid, has_cookie;
	} *out;
	char *hz = NULL, *cpus = NULL, *host = NULL, *sched = NULL, *rel = NULL;
	unsigned a = 0, b = 0, c = 0;

	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_geq(bk_corpus_check("externs", obj), 1);
	out = bk_object_map_data(bk_object_map_by_name(obj, ".bss"), NULL);
	cr_assert_not_null(out);
	cr_assert_eq(bk_test_run("zcat /proc/config.gz | sed -n 's/^CONFIG_HZ=//p'", &hz), 0);
	cr_assert_eq(bk_test_run("zcat /proc/config.gz | sed -n 's/^CONFIG_NR_CPUS=//p'", &cpus), 0);
	cr_assert_eq(bk_test_run("zcat /proc/config.gz | sed -n 's/^CONFIG_DEFAULT_HOSTNAME=\"\\(.*\\)\"/\\1/p'", &host), 0);
	cr_assert_eq(bk_test_run("awk '$3 == \"schedule\" { print $1; exit }' /proc/kallsyms", &sched), 0);
	cr_assert_eq(bk_test_run("uname -r", &rel), 0);
	cr_assert_eq(out->hz, strtoul(hz, NULL, 10));
	cr_assert_eq(out->nr_cpus, strtoull(cpus, NULL, 10));
	host[strcspn(host, "\n")] = '\0';
	cr_assert_str_eq(out->hostname, host);
	cr_assert_eq(out->schedule_addr, strtoull(sched, NULL, 16));
	cr_assert_eq(sscanf(rel, "%u.%u.%u", &a, &b, &c), 3);
	cr_assert_eq(out->kernel_version, (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	cr_assert_eq(out->self_tgid, (uint32_t)getpid());
	cr_assert_eq(out->task_tgid, (uint32_t)getpid(), "the kfunc found our own task");
	cr_assert_eq(out->has_cookie, 1, "Linux 6.18 has bpf_get_attach_cookie");
	free(hz); free(cpus); free(host); free(sched); free(rel);
	bk_object_close(obj);
}
