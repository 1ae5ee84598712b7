// SPDX-License-Identifier: MIT
/*
 * struct_ops variables and programs (object_struct_ops.c).
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

TestSuite(object_struct_ops, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

/* struct_ops: the variable becomes a struct_ops map of the kernel's value type,
 * its programs load against the kernel struct (nothing is registered: that
 * is an attach, which would change the machine's TCP). */
Test(object_struct_ops, struct_ops_maps_and_programs)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load("struct_ops", &d, NULL);
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
