// SPDX-License-Identifier: MIT
/*
 * The object API's setters and options (object_api.c): refusals before
 * and after load, map reuse, initial values.
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

TestSuite(object_api, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object_api, setters_before_load)
{
	struct bk_object *obj = bk_corpus_open("maps");
	struct bk_object_map *m = bk_object_map_by_name(obj, "hash");
	struct bk_object_prog *p = bk_object_prog_at(obj, 0);
	struct bk_object_map_def d;

	cr_assert_eq(bk_object_map_set_max_entries(m, 7), 0);
	cr_assert_eq(bk_object_map_set_max_entries(m, 0), -EINVAL);
	cr_assert_eq(bk_object_map_set_flags(m, 0), 0);
	cr_assert_eq(bk_object_map_set_value_size(m, 16), 0);
	bk_object_map_def(m, &d);
	cr_assert_eq(d.max_entries, 7);
	cr_assert_eq(d.value_size, 16);
	cr_assert_eq(d.btf_value_type_id, 0, "the BTF value type no longer fits");
	cr_assert_eq(bk_object_map_set_initial_value(m, "x", 1), -EINVAL, "not a data map");
	cr_assert_eq(bk_object_map_reuse_fd(m, -1), -EBADF);
	cr_assert_eq(bk_object_prog_set_type(p, BK_PROG_TYPE_SOCKET_FILTER), 0);
	cr_assert_eq(bk_object_prog_type(p), BK_PROG_TYPE_SOCKET_FILTER);
	cr_assert_eq(bk_object_prog_set_autoload(p, false), 0);
	cr_assert_not(bk_object_prog_autoload(p));
	bk_object_close(obj);
}

Test(object_api, bad_options_and_paths)
{
	struct bk_diag d = { 0 };
	struct { struct bk_object_opts o; char tail[8]; } big = { { .sz = sizeof(big) }, { 1 } };

	cr_assert_null(bk_object_open_file("/nonexistent.o", BK_OPTS(bk_object_opts, .diag = &d)));
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(d.msg, "/nonexistent.o"));
	cr_assert_null(bk_object_open_file("/tmp", NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_object_open_mem("x", 1, &big.o));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_object_open_mem("\177ELF", 4, BK_OPTS(bk_object_opts, .name = "")));
	cr_assert_eq(errno, ENOEXEC);
}

/* Reusing a map, resizing one, and the initial value of .data set before load. */
Test(object_api, reuse_resize_and_initial_values)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load("globals", &d, NULL);
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
