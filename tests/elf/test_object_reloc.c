// SPDX-License-Identifier: MIT
/*
 * Relocations (object_reloc.c): CO-RE against the kernel's BTF, kconfig,
 * ksym and kfunc references, a missing __weak kfunc poisoned as libbpf 1.2+
 * poisons it.
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

TestSuite(object_reloc, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object_reloc, co_re_against_vmlinux) { bk_corpus_load_and_check("core", 1); }

Test(object_reloc, same_as_libbpf_core) { bk_corpus_same_as_libbpf("core"); }

Test(object_reloc, kconfig_ksyms_and_kfuncs) { bk_corpus_load_and_check("externs", 1); }

/*
 * libbpf 1.1 (Debian's) turns a call to a missing __weak kfunc into
 * `call kfunc 0`; libbpf 1.2 and later, like bpfkit, into the helper call
 * 2002000000 + extern index, so the tags differ for that program only:
 * compare everything else.
 */
Test(object_reloc, same_as_libbpf_externs_but_the_weak_kfunc_call)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	char path[512];
	char *ours, *theirs, *om, *tm;

	BK_REQUIRE_KERNEL();
	if (!ref || access(ref, X_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf_ref is not built (make check builds it)");
	bk_corpus_obj("externs", path, sizeof(path));
	ours = bk_corpus_run_json("%s object load %s --json 2>&1", bk_test_cli(), path);
	theirs = bk_corpus_run_json("%s %s 2>/dev/null", ref, path);
	om = strstr(ours, "\"insns\"");
	tm = strstr(theirs, "\"insns\"");
	cr_assert(om && tm, "%s / %s", ours, theirs);
	cr_assert_str_eq(om, tm);
	cr_assert_str_neq(ours, theirs, "tags equal: libbpf_ref no longer links libbpf 1.1?");
	free(ours);
	free(theirs);
}
