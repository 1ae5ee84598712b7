// SPDX-License-Identifier: MIT
/* Object commands: pin/get on a private bpffs, id walks, fd by id, info. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_obj, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static int array_map(const char *name)
{
	int fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					   .key_size = 4, .value_size = 8, .max_entries = 4,
					   .map_name = name));

	cr_assert_geq(fd, 3);
	return fd;
}

Test(sys_obj, pin_and_get_on_a_private_bpffs)
{
	char dir[64], path[128];
	uint32_t key = 1;
	uint64_t v = 77, got = 0;
	int fd, fd2;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	fd = array_map("pinned");
	snprintf(path, sizeof(path), "%s/m", dir);
	cr_assert_eq(bk_sys_obj_pin(fd, path, NULL), 0);
	cr_assert_eq(bk_sys_obj_pin(fd, path, NULL), -EEXIST);
	cr_assert_eq(bk_sys_map_update_elem(fd, &key, &v, 0), 0);
	fd2 = bk_sys_obj_get(path, NULL);
	cr_assert_geq(fd2, 3);
	cr_assert_eq(bk_sys_map_lookup_elem(fd2, &key, &got, 0), 0);
	cr_assert_eq(got, 77);
	snprintf(path, sizeof(path), "%s/none", dir);
	cr_assert_eq(bk_sys_obj_get(path, NULL), -ENOENT);
	cr_assert_eq(bk_sys_obj_pin(fd, "/tmp/not-bpffs", NULL), -EPERM);
	cr_assert_str_eq(bk_strerror(BK_CMD_OBJ_PIN, EPERM), "the path is not on a bpf filesystem");
	close(fd2);
	close(fd);
	umount2(dir, 0);
}

Test(sys_obj, ids_fds_and_info)
{
	struct bk_map_info info;
	uint32_t len = sizeof(info), id, next = 0;
	bool found = false;
	int fd, fd2;

	BK_REQUIRE_KERNEL();
	fd = array_map("bk_info");
	memset(&info, 0, sizeof(info));
	cr_assert_eq(bk_sys_obj_get_info_by_fd(fd, &info, &len), 0);
	cr_assert_eq(info.type, BK_MAP_TYPE_ARRAY);
	cr_assert_eq(info.value_size, 8);
	cr_assert_str_eq(info.name, "bk_info");
	id = info.id;
	{
		uint32_t cur = 0;
		int err;

		while ((err = bk_sys_map_get_next_id(cur, &next)) == 0) {
			found |= next == id;
			cur = next;
		}
		cr_assert_eq(err, -ENOENT, "the walk ends with ENOENT");
		cr_assert_str_eq(bk_strerror(BK_CMD_MAP_GET_NEXT_ID, err), "no more maps");
	}
	cr_assert(found, "map id %u not among the kernel's maps", id);
	fd2 = bk_sys_map_get_fd_by_id(id, 0);
	cr_assert_geq(fd2, 3);
	close(fd2);
	close(fd);
	cr_assert_eq(bk_sys_map_get_fd_by_id(id, 0), -ENOENT, "freed with its last fd");
	cr_assert_eq(bk_sys_prog_get_fd_by_id(UINT32_MAX), -ENOENT);
	cr_assert_eq(bk_sys_link_get_fd_by_id(UINT32_MAX), -ENOENT);
	cr_assert_eq(bk_sys_btf_get_fd_by_id(UINT32_MAX), -ENOENT);
	cr_assert_eq(bk_sys_obj_get_info_by_fd(0, &info, &len), -EINVAL, "stdin is no BPF object");
}

Test(sys_obj, every_id_walk_works)
{
	uint32_t next;

	BK_REQUIRE_KERNEL();
	/* vmlinux BTF always exists; programs, links may not: ENOENT is fine */
	cr_assert_eq(bk_sys_btf_get_next_id(0, &next), 0);
	cr_assert_gt(next, 0);
	{
		int fd = bk_sys_btf_get_fd_by_id(next);

		cr_assert_geq(fd, 3);
		close(fd);
	}
	cr_assert(bk_sys_prog_get_next_id(0, &next) == 0 || errno == ENOENT);
	cr_assert(bk_sys_link_get_next_id(0, &next) == 0 || errno == ENOENT);
	cr_assert_eq(bk_sys_prog_get_next_id(0, NULL), -EINVAL);
}
