// SPDX-License-Identifier: MIT
/*
 * The kfunc fd_array of object_create.c: a module's BTF fd gets one slot,
 * reused by every call into that module; slot 0 stays vmlinux's (what the
 * kernel reads for a kfunc call whose off is 0). This machine has no module
 * BTF, so the end-to-end path (a kfunc of a module) cannot run here; the
 * vmlinux path runs in test_object_load.c (externs.bpf.o).
 */
#include <stdlib.h>

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
