// SPDX-License-Identifier: MIT
/*
 * Maps of an object (object_maps.c): BTF-defined maps of every kind,
 * legacy maps sections, global data named as libbpf names them, pinning by
 * name in a private bpffs.
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

TestSuite(object_maps, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object_maps, maps_as_defined)
{
	struct bk_object *obj = bk_corpus_open("maps");
	struct bk_object_map_def d;
	struct bk_object_map *m;

	m = bk_object_map_by_name(obj, "hash");
	cr_assert_not_null(m);
	bk_object_map_def(m, &d);
	cr_assert_eq(d.type, BK_MAP_TYPE_HASH);
	cr_assert_eq(d.key_size, 4);
	cr_assert_eq(d.value_size, 8);
	cr_assert_eq(d.max_entries, 128);
	cr_assert_eq(d.map_flags, BK_F_NO_PREALLOC);
	cr_assert_gt(d.btf_key_type_id, 0, "key given as a type");
	m = bk_object_map_by_name(obj, "rb");
	bk_object_map_def(m, &d);
	cr_assert_eq(d.type, BK_MAP_TYPE_RINGBUF);
	cr_assert_eq(d.max_entries % 4096, 0, "ring buffer sizes are rounded up to pages");
	m = bk_object_map_by_name(obj, "outer_arr");
	bk_object_map_def(m, &d);
	cr_assert_eq(d.type, BK_MAP_TYPE_ARRAY_OF_MAPS);
	cr_assert_eq(d.value_size, 4);
	cr_assert_not(bk_object_map_is_data(m));
	cr_assert_null(bk_object_map_data(m, NULL));
	cr_assert_eq(errno, EINVAL);
	bk_object_close(obj);
}

Test(object_maps, global_data_maps_named_as_libbpf_names_them)
{
	struct bk_object *obj = bk_corpus_open("globals");
	static const char *const names[][2] = {
		{ ".bss", "globals.bss" }, { ".data", "globals.data" },
		{ ".rodata", "globals.rodata" }, { ".rodata.str1.1", ".rodata.str1.1" },
		{ ".data.custom", ".data.custom" },
	};
	struct bk_object_map_def d;
	struct bk_object_map *m;
	size_t size;
	uint32_t *data;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		m = bk_object_map_by_name(obj, names[i][0]);
		cr_assert_not_null(m, "%s", names[i][0]);
		cr_assert_str_eq(bk_object_map_kernel_name(m), names[i][1]);
		cr_assert(bk_object_map_is_data(m));
	}
	m = bk_object_map_by_name(obj, ".rodata");
	bk_object_map_def(m, &d);
	cr_assert_eq(d.map_flags, BK_F_RDONLY_PROG | BK_F_MMAPABLE);
	m = bk_object_map_by_name(obj, ".rodata.str1.1");
	bk_object_map_def(m, &d);
	cr_assert_eq(d.map_flags, BK_F_RDONLY_PROG, "no global variable there: not mmap-able");
	/* before load the image is the section, and writable */
	m = bk_object_map_by_name(obj, "globals.data");
	data = bk_object_map_data(m, &size);
	cr_assert_not_null(data);
	cr_assert_eq(size, 8);
	cr_assert_eq(data[0], 1);
	data[0] = 5;
	cr_assert_eq(((uint32_t *)bk_object_map_data(m, NULL))[0], 5);
	bk_object_close(obj);
}

Test(object_maps, long_object_names_are_cut_as_libbpf_cuts_them)
{
	char path[512];
	struct bk_object *obj = bk_object_open_file(bk_corpus_obj("globals", path, sizeof(path)),
		BK_OPTS(bk_object_opts, .name = "a_rather_long_object_name"));

	cr_assert_not_null(obj);
	cr_assert_str_eq(bk_object_map_kernel_name(bk_object_map_by_name(obj, ".rodata")),
			 "a_rather.rodata");
	cr_assert_str_eq(bk_object_map_kernel_name(bk_object_map_by_name(obj, ".bss")),
			 "a_rather.bss");
	bk_object_close(obj);
}

Test(object_maps, btf_maps_of_every_kind_with_initial_contents) { bk_corpus_load_and_check("maps", 7); }

Test(object_maps, same_as_libbpf_maps) { bk_corpus_same_as_libbpf("maps"); }

Test(object_maps, legacy_maps_section) { bk_corpus_load_and_check("legacy", 3); }

Test(object_maps, pinning_by_name_in_a_private_bpffs)
{
	char dir[256], pinned[300];
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_map *again;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	obj = bk_corpus_load("pin", &d, dir);
	cr_assert_eq(bk_object_load(obj), 0, "%s", d.msg);
	cr_assert_geq(bk_corpus_check("pin", obj), 2);
	snprintf(pinned, sizeof(pinned), "%s/pinned_counts", dir);
	again = bk_map_open_pinned(pinned);
	cr_assert_not_null(again, "%s: %s", pinned, strerror(errno));
	cr_assert_eq(bk_map_id(again), bk_map_id(bk_object_map_map(bk_object_map_by_name(obj, "pinned_counts"))));
	bk_map_close(again);
	bk_object_close(obj);
	/* a second load reuses the pinned map and its contents */
	obj = bk_corpus_load("pin", &d, dir);
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
