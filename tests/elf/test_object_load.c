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

Test(object_load, minimal_counts_in_bss) { bk_corpus_load_and_check("minimal", 2); }

Test(object_load, global_data_sections) { bk_corpus_load_and_check("globals", 6); }

Test(object_load, attach_sections_load_and_run) { bk_corpus_load_and_check("attach", 6); }

Test(object_load, section_flags) { bk_corpus_load_and_check("sections", 2); }

Test(object_load, tcx_and_tc_sections) { bk_corpus_load_and_check("tcx", 2); }

/* "// expect: load fails PROG line N": the diag names the C source line. */
static void rejected_at_line(const char *name, const char *prog, unsigned line)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load(name, &d, NULL);
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
	obj = bk_corpus_load("core_poison", &d, NULL);
	cr_assert_lt(bk_object_load(obj), 0);
	cr_assert(strstr(d.msg, "invalid CO-RE relocation") && strstr(d.msg, "bk_no_such_field"),
		  "the complaint does not name the relocation: %s", d.msg);
	bk_object_close(obj);
}

Test(object_load, autoload_off_leaves_a_program_out)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load("core_poison", &d, NULL);
	struct bk_object_prog *bad = bk_object_prog_by_name(obj, "core_unguarded");

	cr_assert_not_null(bad);
	cr_assert_eq(bk_object_prog_set_autoload(bad, false), 0);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_null(bk_object_prog_prog(bad));
	cr_assert_eq(bk_object_prog_set_autoload(bad, true), -EBUSY);
	bk_object_close(obj);
}

Test(object_load, same_as_libbpf_minimal) { bk_corpus_same_as_libbpf("minimal"); }

Test(object_load, same_as_libbpf_globals) { bk_corpus_same_as_libbpf("globals"); }

Test(object_load, same_as_libbpf_attach) { bk_corpus_same_as_libbpf("attach"); }

Test(object_load, same_as_libbpf_sections) { bk_corpus_same_as_libbpf("sections"); }

Test(object_load, same_as_libbpf_kprobe) { bk_corpus_same_as_libbpf("kprobe"); }

/* Written as libbpf starter projects write their tools (vmlinux.h, printk
 * strings, const volatile knobs, ring buffers, CO-RE chains, perf_event,
 * kprobe and uprobe sections, legacy packet loads). */
Test(object_load, starter_project_style_networking) { bk_corpus_load_and_check("bs_net", 2); }

Test(object_load, same_as_libbpf_starter_project_style_tracing) { bk_corpus_same_as_libbpf("bs_tracing"); }

Test(object_load, same_as_libbpf_starter_project_style_networking) { bk_corpus_same_as_libbpf("bs_net"); }

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
