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
