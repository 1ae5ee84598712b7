// SPDX-License-Identifier: MIT
/*
 * The object's BTF fixed up for the kernel (object_btf.c): accepted for
 * every corpus object, hidden global functions made static as libbpf does.
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

TestSuite(object_btf, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

/* Every object's BTF is accepted by the kernel (fixed up: DATASEC sizes and
 * offsets in order, externs allocated, kfunc parameters named), so each
 * program carries it, and each map that takes BTF types has them. */
static void carries_btf(const char *name)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load(name, &d, NULL);

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

Test(object_btf, btf_accepted_for_every_object)
{
	static const char *const names[] = { "minimal", "maps", "globals", "subprogs", "xsec_calls", "bs_tracing", "bs_net",
					     "core", "externs", "attach", "sections", "tcx", "legacy" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		carries_btf(names[i]);
}

/* __hidden global functions are verified as static ones, as libbpf does it. */
Test(object_btf, same_as_libbpf_usdt_with_hidden_functions) { bk_corpus_same_as_libbpf("usdt"); }
