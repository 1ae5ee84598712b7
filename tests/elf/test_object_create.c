// SPDX-License-Identifier: MIT
/*
 * The kfunc fd_array of object_create.c: a module's BTF fd gets one slot,
 * reused by every call into that module; slot 0 stays vmlinux's (what the
 * kernel reads for a kfunc call whose off is 0). This machine has no module
 * BTF, so the end-to-end path (a kfunc of a module) cannot run here; the
 * vmlinux path runs in test_object_load.c (externs.bpf.o). And the data
 * maps' initial values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/map.h>
#include <bpfkit/object.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h" /* before the private header, which poisons unbounded string calls */
#include "../../src/elf/object_int.h"

Test(object_create, fd_array_slots_per_module)
{
	struct bk_object *obj = calloc(1, sizeof(*obj));

	cr_assert_eq(bk__obj_fd_array_index(obj, 7), 1);
	cr_assert_eq(bk__obj_fd_array_index(obj, 9), 2);
	cr_assert_eq(bk__obj_fd_array_index(obj, 7), 1, "one slot per module");
	cr_assert_eq(obj->fd_array_cnt, 3);
	cr_assert_eq(obj->fd_array[0], 0, "slot 0 is vmlinux");
	cr_assert_eq(obj->fd_array[2], 9);
	free(obj->fd_array);
	free(obj);
}

/* A data map's image reaches the map when it is not all zeros (a fresh
 * array map is zeros already, so an untouched .bss is not written); after
 * load the live value is mapped at the first bk_object_map_data(). */
Test(object_create, data_image_reaches_the_map_and_the_mapping)
{
	struct bk_object *obj;
	struct bk_object_map *m;
	uint64_t *img, *live, v = 1;
	uint32_t key = 0;
	size_t size = 0;

	BK_REQUIRE_KERNEL();
	for (int round = 0; round < 2; round++) {
		obj = bk_corpus_open("minimal");
		m = bk_object_map_by_name(obj, ".bss");
		img = bk_object_map_data(m, &size);
		cr_assert_not_null(img);
		cr_assert_eq(size, sizeof(*img));
		cr_assert_eq(*img, 0);
		if (round == 1)
			*img = 41;
		cr_assert_eq(bk_object_load(obj), 0, "%s", strerror(errno));
		cr_assert_eq(bk_map_lookup(bk_object_map_map(m), &key, sizeof(key), &v, sizeof(v), 0), 0);
		cr_assert_eq(v, round == 1 ? 41 : 0);
		live = bk_object_map_data(m, NULL);
		cr_assert_not_null(live, "%s", strerror(errno));
		cr_assert_neq(live, img, "the mapping, not the image");
		cr_assert_eq(*live, v);
		*live = 7;
		cr_assert_eq(bk_map_lookup(bk_object_map_map(m), &key, sizeof(key), &v, sizeof(v), 0), 0);
		cr_assert_eq(v, 7, "the mapping is the map's value");
		cr_assert_eq(bk_object_map_data(m, NULL), live, "mapped once");
		bk_object_close(obj);
	}
}
