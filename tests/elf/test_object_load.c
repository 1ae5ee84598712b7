// SPDX-License-Identifier: MIT
/*
 * bk_object_load() on the corpus of clang-built objects (tests/elf/progs),
 * against the running kernel: every object's programs test-run to the
 * values its source states and its maps hold what the source states; the
 * same objects loaded by libbpf (build/tests/elf/libbpf_ref) give the same
 * programs (type, tag, translated count) and maps (definition, data bytes);
 * rejections are located at the C source line.
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

TestSuite(object_load, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_object *load(const char *name, struct bk_diag *d, const char *pin_root)
{
	char path[512];
	struct bk_object *obj;

	BK_REQUIRE_KERNEL();
	obj = bk_object_open_file(bk_corpus_obj(name, path, sizeof(path)),
				  BK_OPTS(bk_object_opts, .diag = d, .pin_root_path = pin_root));
	cr_assert_not_null(obj, "%s: open: %s", name, d->msg);
	return obj;
}

static void load_and_check(const char *name, int min_checks)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load(name, &d, NULL);
	int n;

	cr_assert_eq(bk_object_load(obj), 0, "%s: load: %s:%u: %s", name, d.file, d.line, d.msg);
	n = bk_corpus_check(name, obj);
	cr_assert_geq(n, min_checks, "%s: only %d expectations checked", name, n);
	bk_object_close(obj);
}

Test(object_load, minimal_counts_in_bss) { load_and_check("minimal", 2); }
Test(object_load, btf_maps_of_every_kind_with_initial_contents) { load_and_check("maps", 7); }
Test(object_load, global_data_sections) { load_and_check("globals", 6); }
Test(object_load, subprograms_and_callbacks) { load_and_check("subprogs", 6); }
Test(object_load, calls_across_sections) { load_and_check("xsec_calls", 2); }
Test(object_load, legacy_maps_section) { load_and_check("legacy", 3); }
Test(object_load, co_re_against_vmlinux) { load_and_check("core", 1); }
Test(object_load, kconfig_ksyms_and_kfuncs) { load_and_check("externs", 1); }
Test(object_load, attach_sections_load_and_run) { load_and_check("attach", 6); }
Test(object_load, section_flags) { load_and_check("sections", 2); }
Test(object_load, tcx_and_tc_sections) { load_and_check("tcx", 2); }

Test(object_load, pinning_by_name_in_a_private_bpffs)
{
	char dir[256], pinned[300];
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_map *again;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	obj = load("pin", &d, dir);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_geq(bk_corpus_check("pin", obj), 2);
	snprintf(pinned, sizeof(pinned), "%s/pinned_counts", dir);
	again = bk_map_open_pinned(pinned);
	cr_assert_not_null(again, "%s: %s", pinned, strerror(errno));
	cr_assert_eq(bk_map_id(again), bk_map_id(bk_object_map_map(bk_object_map_by_name(obj, "pinned_counts"))));
	bk_map_close(again);
	bk_object_close(obj);
	/* a second load reuses the pinned map and its contents */
	obj = load("pin", &d, dir);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	{
		uint32_t key = 0;
		uint64_t v = 0;

		cr_assert_eq(bk_map_lookup(bk_object_map_map(bk_object_map_by_name(obj, "pinned_counts")),
					   &key, 4, &v, 8, 0), 0);
		cr_assert_eq(v, 1, "the pinned map kept its count (%llu)", (unsigned long long)v);
	}
	bk_object_close(obj);
}

/* "// expect: load fails PROG line N": the diag names the C source line. */
static void rejected_at_line(const char *name, const char *prog, unsigned line)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load(name, &d, NULL);
	char want[128];

	snprintf(want, sizeof(want), "load fails %s line %u", prog, line);
	cr_assert(bk_corpus_expects(name, want), "%s: the source does not state '%s'", name, want);
	cr_assert_lt(bk_object_load(obj), 0, "%s: loaded although the verifier must refuse it", name);
	cr_assert(strstr(d.file, name) != NULL, "diag file '%s' is not %s.bpf.c", d.file, name);
	cr_assert_eq(d.line, line, "diag line %u, expected %u (%s)", d.line, line, d.msg);
	cr_assert_gt(d.col, 0);
	cr_assert(strncmp(d.msg, "verifier: ", 10) == 0, "diag: %s", d.msg);
	bk_object_close(obj);
}

Test(object_load, verifier_rejection_at_the_c_source_line)
{
	rejected_at_line("reject", "bad_deref", 15);
}

Test(object_load, failed_co_re_relocation_is_named_at_its_line)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;

	rejected_at_line("core_poison", "core_unguarded", 26);
	obj = load("core_poison", &d, NULL);
	cr_assert_lt(bk_object_load(obj), 0);
	cr_assert(strstr(d.msg, "invalid CO-RE relocation") && strstr(d.msg, "bk_no_such_field"),
		  "the complaint does not name the relocation: %s", d.msg);
	bk_object_close(obj);
}

Test(object_load, autoload_off_leaves_a_program_out)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load("core_poison", &d, NULL);
	struct bk_object_prog *bad = bk_object_prog_by_name(obj, "core_unguarded");

	cr_assert_not_null(bad);
	cr_assert_eq(bk_object_prog_set_autoload(bad, false), 0);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_null(bk_object_prog_prog(bad));
	cr_assert_eq(bk_object_prog_set_autoload(bad, true), -EBUSY);
	bk_object_close(obj);
}

/* ---- the same object through libbpf ---- */

static char *run_json(const char *cmd_fmt, const char *a, const char *b)
{
	char cmd[1200];
	char *out = NULL;
	int rc;

	snprintf(cmd, sizeof(cmd), cmd_fmt, a, b);
	rc = bk_test_run(cmd, &out);
	cr_assert_eq(rc, 0, "'%s' exited %d", cmd, rc);
	return out;
}

static void same_as_libbpf(const char *name)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	char path[512];
	char *ours, *theirs;

	BK_REQUIRE_KERNEL();
	if (!ref || access(ref, X_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf_ref is not built (make check builds it; libbpf-dev from scripts/install-deps test)");
	bk_corpus_obj(name, path, sizeof(path));
	cr_assert_not(bk_corpus_expects(name, "libbpf fails"));
	ours = run_json("%s object load %s --json 2>&1", bk_test_cli(), path);
	theirs = run_json("%s %s 2>/dev/null", ref, path);
	cr_assert_str_eq(ours, theirs, "%s:\n bpfkit %s\n libbpf %s", name, ours, theirs);
	free(ours);
	free(theirs);
}

Test(object_load, same_as_libbpf_minimal) { same_as_libbpf("minimal"); }
Test(object_load, same_as_libbpf_maps) { same_as_libbpf("maps"); }
Test(object_load, same_as_libbpf_globals) { same_as_libbpf("globals"); }
Test(object_load, same_as_libbpf_subprogs) { same_as_libbpf("subprogs"); }
Test(object_load, same_as_libbpf_xsec_calls) { same_as_libbpf("xsec_calls"); }
Test(object_load, same_as_libbpf_core) { same_as_libbpf("core"); }
Test(object_load, same_as_libbpf_attach) { same_as_libbpf("attach"); }
Test(object_load, same_as_libbpf_sections) { same_as_libbpf("sections"); }
Test(object_load, same_as_libbpf_kprobe) { same_as_libbpf("kprobe"); }

/*
 * libbpf 1.1 (Debian's) turns a call to a missing __weak kfunc into
 * `call kfunc 0`; libbpf 1.2 and later, like bpfkit, into the helper call
 * 2002000000 + extern index, so the tags differ for that program only:
 * compare everything else.
 */
Test(object_load, same_as_libbpf_externs_but_the_weak_kfunc_call)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	char path[512];
	char *ours, *theirs, *om, *tm;

	BK_REQUIRE_KERNEL();
	if (!ref || access(ref, X_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf_ref is not built (make check builds it)");
	bk_corpus_obj("externs", path, sizeof(path));
	ours = run_json("%s object load %s --json 2>&1", bk_test_cli(), path);
	theirs = run_json("%s %s 2>/dev/null", ref, path);
	om = strstr(ours, "\"insns\"");
	tm = strstr(theirs, "\"insns\"");
	cr_assert(om && tm, "%s / %s", ours, theirs);
	cr_assert_str_eq(om, tm);
	cr_assert_str_neq(ours, theirs, "tags equal: libbpf_ref no longer links libbpf 1.1?");
	free(ours);
	free(theirs);
}

/* Every object's BTF is accepted by the kernel (fixed up: DATASEC sizes and
 * offsets in order, externs allocated, kfunc parameters named), so each
 * program carries it, and each map that takes BTF types has them. */
static void carries_btf(const char *name)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load(name, &d, NULL);

	cr_assert_eq(bk_object_load(obj), 0, "%s: %s", name, d.msg);
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_prog *p = bk_object_prog_prog(bk_object_prog_at(obj, i));
		struct bk_info_prog info;

		if (!p)
			continue;
		cr_assert_eq(bk_prog_info(p, &info), 0);
		cr_assert_neq(info.btf_id, 0, "%s: program '%s' was loaded without BTF", name,
			      bk_object_prog_name(bk_object_prog_at(obj, i)));
	}
	bk_object_close(obj);
}

Test(object_load, btf_accepted_for_every_object)
{
	static const char *const names[] = { "minimal", "maps", "globals", "subprogs", "xsec_calls", "bs_tracing", "bs_net",
					     "core", "externs", "attach", "sections", "tcx", "legacy" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		carries_btf(names[i]);
}

/* Written as libbpf starter projects write their tools (vmlinux.h, printk
 * strings, const volatile knobs, ring buffers, CO-RE chains, perf_event,
 * kprobe and uprobe sections, legacy packet loads). */
Test(object_load, starter_project_style_networking) { load_and_check("bs_net", 2); }
Test(object_load, same_as_libbpf_starter_project_style_tracing) { same_as_libbpf("bs_tracing"); }
Test(object_load, same_as_libbpf_starter_project_style_networking) { same_as_libbpf("bs_net"); }

/* The .kconfig values the program saw are the kernel's own config and version. */
Test(object_load, kconfig_values_are_the_kernels)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load("externs", &d, NULL);
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

/* Reusing a map, resizing one, and the initial value of .data set before load. */
Test(object_load, reuse_resize_and_initial_values)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load("globals", &d, NULL);
	struct bk_map *mine = bk_map_create(BK_MAP_TYPE_ARRAY, "strs", 4, 15, 1, NULL);
	struct bk_object_map *data = bk_object_map_by_name(obj, ".data");
	uint32_t *img = bk_object_map_data(data, NULL), key = 0;
	uint8_t v[15] = { 0 };

	cr_assert_not_null(mine);
	cr_assert_eq(bk_object_map_reuse_fd(bk_object_map_by_name(obj, "strs"), bk_map_fd(mine)), 0);
	cr_assert_eq(bk_object_map_set_initial_value(data, (uint32_t[]){ 40, 7 }, 8), 0);
	cr_assert_eq(img[0], 40);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_eq(bk_map_id(bk_object_map_map(bk_object_map_by_name(obj, "strs"))), bk_map_id(mine),
		     "the object uses the map it was given");
	/* with data_val 40 instead of 1 the program sums 40 + 2 + 3 + 4 + 'G' = 120 */
	{
		uint8_t pkt[64] = { 0 };
		struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = pkt, .data_size_in = 64 };

		cr_assert_eq(bk_prog_test_run(bk_object_prog_prog(bk_object_prog_by_name(obj, "xdp_globals")),
					      &o), 0);
		cr_assert_eq(o.retval, 120);
	}
	cr_assert_eq(bk_map_lookup(mine, &key, 4, v, sizeof(v), 0), 0);
	cr_assert_str_eq((char *)v, "hello, corpus!", "the program wrote into the map we gave");
	img = bk_object_map_data(data, NULL);
	cr_assert_neq(img, NULL);
	cr_assert_eq(img[0], 2, "the program's store is seen through the live mapping");
	cr_assert_eq(bk_object_map_set_max_entries(bk_object_map_by_name(obj, "strs"), 9), -EBUSY);
	bk_map_close(mine);
	bk_object_close(obj);
}

/* struct_ops: the variable becomes a struct_ops map of the kernel's value type,
 * its programs load against the kernel struct (nothing is registered: that
 * is an attach, which would change the machine's TCP). */
Test(object_load, struct_ops_maps_and_programs)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = load("struct_ops", &d, NULL);
	struct bk_object_map *m;
	struct bk_object_map_def def;
	struct bk_info_prog info;
	struct bk_object_prog *p;
	const struct bk_btf *vml;
	int cc;

	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	m = bk_object_map_by_name(obj, "bk_cc");
	cr_assert_not_null(m);
	bk_object_map_def(m, &def);
	cr_assert_eq(def.type, BK_MAP_TYPE_STRUCT_OPS);
	cr_assert_eq(def.map_flags, BK_F_LINK, ".struct_ops.link maps register through a link");
	cr_assert_eq(bk_map_type(bk_object_map_map(m)), BK_MAP_TYPE_STRUCT_OPS);
	vml = bk_probe_kernel_btf();
	cr_assert_not_null(vml);
	cc = bk_btf_find(vml, "tcp_congestion_ops", BK_BTF_KIND_STRUCT);
	cr_assert_gt(cc, 0);
	p = bk_object_prog_by_name(obj, "bk_ssthresh");
	cr_assert_not_null(bk_object_prog_prog(p));
	cr_assert_eq(bk_prog_info(bk_object_prog_prog(p), &info), 0);
	cr_assert_eq(info.type, BK_PROG_TYPE_STRUCT_OPS);
	cr_assert_eq(info.attach_btf_id, (uint32_t)cc, "loaded against the kernel's tcp_congestion_ops");
	{
		struct bk_btf_member mb;

		cr_assert_eq(bk_btf_member(vml, (uint32_t)cc, bk_object_prog_expected_attach_type(p), &mb), 0);
		cr_assert_str_eq(mb.name, "ssthresh", "the expected attach type is the member's index");
	}
	bk_object_close(obj);
}

/* __hidden global functions are verified as static ones, as libbpf does it. */
Test(object_load, same_as_libbpf_usdt_with_hidden_functions) { same_as_libbpf("usdt"); }

struct seen {
	size_t calls, last_done, total;
};

static void count_progress(void *ctx, size_t done, size_t total)
{
	struct seen *s = ctx;

	s->calls++;
	cr_assert_eq(done, s->last_done + 1, "programs are reported one by one, in order");
	s->last_done = done;
	s->total = total;
}

/* A long load reports each program it loads (the CLI shows it on a terminal). */
Test(object_load, progress_reports_every_loaded_program)
{
	char path[512];
	struct seen s = { 0 };
	struct bk_diag d = { 0 };
	struct bk_object *obj;

	BK_REQUIRE_KERNEL();
	obj = bk_object_open_file(bk_corpus_obj("sections", path, sizeof(path)),
				  BK_OPTS(bk_object_opts, .diag = &d, .progress = count_progress,
					  .progress_ctx = &s));
	cr_assert_not_null(obj);
	bk_object_prog_set_autoload(bk_object_prog_at(obj, 0), false);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_eq(s.calls, bk_object_prog_count(obj) - 1);
	cr_assert_eq(s.total, s.calls);
	cr_assert_eq(s.last_done, s.total);
	bk_object_close(obj);
}
