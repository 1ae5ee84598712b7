// SPDX-License-Identifier: MIT
/*
 * The running kernel's BTF: vmlinux's BTF object read back by id and equal
 * to /sys/kernel/btf/vmlinux; a BTF we load read back by id and fd; types,
 * functions with their prototypes and kfuncs found by name across vmlinux
 * and modules with the BTF object they live in; as many modules with BTF as
 * /sys/kernel/btf lists (none on this machine: split BTF is tested with BTF
 * we build, in test_btf_write.c and test_btf_dump_raw.c).
 */
#include <dirent.h>
#include <errno.h>

#include <bpfkit/info.h>

#include "../lib/bk_test.h"
#include "btf_test.h"

TestSuite(btf_kernel, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static uint32_t vmlinux_obj_id(void)
{
	uint32_t id = 0;
	struct bk_info_btf info;

	while (bk_info_next_id(BK_OBJ_BTF, id, &id) == 0) {
		int fd = bk_info_fd_by_id(BK_OBJ_BTF, id);

		if (fd < 0)
			continue;
		if (bk_info_btf(fd, &info) == 0 && info.kernel && !strcmp(info.name, "vmlinux")) {
			close(fd);
			return id;
		}
		close(fd);
	}
	cr_assert_fail("no vmlinux BTF object");
	return 0;
}

Test(btf_kernel, vmlinux_by_id_is_the_sysfs_file)
{
	struct bk_btf *file, *obj;
	const void *a, *b;
	size_t alen, blen;

	BK_REQUIRE_KERNEL();
	file = bk_btf_load_file(VMLINUX, NULL);
	cr_assert_not_null(file);
	obj = bk_btf_load_id(vmlinux_obj_id(), NULL, NULL);
	cr_assert_not_null(obj, "%s", strerror(errno));
	a = bk_btf_raw(file, &alen);
	b = bk_btf_raw(obj, &blen);
	cr_assert(alen == blen && memcmp(a, b, alen) == 0);
	cr_assert_null(bk_btf_load_id(UINT32_MAX, NULL, NULL));
	cr_assert_eq(errno, ENOENT);
	bk_btf_free(obj);
	bk_btf_free(file);
}

Test(btf_kernel, our_btf_by_id_and_fd)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	struct bk_info_btf info;
	struct bk_btf *byfd, *byid;
	struct bk_btf_type t;
	int fd;

	BK_REQUIRE_KERNEL();
	bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	bk_btf_add_struct(b, "pair", 8);
	bk_btf_add_member(b, "a", 1, 0, 0);
	bk_btf_add_member(b, "b", 1, 32, 0);
	fd = bk_btf_builder_load(b, NULL);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_assert_eq(bk_info_btf(fd, &info), 0);
	byfd = bk_btf_load_fd(fd, NULL, NULL);
	byid = bk_btf_load_id(info.id, NULL, NULL);
	cr_assert(byfd && byid);
	cr_assert_eq(bk_btf_type_count(byid), bk_btf_builder_count(b));
	cr_assert_eq(bk_btf_type_by_id(byid, 2, &t), 0);
	cr_assert_str_eq(t.name, "pair");
	cr_assert_eq(bk_btf_type_count(byfd), bk_btf_type_count(byid));
	bk_btf_free(byfd);
	bk_btf_free(byid);
	close(fd);
	bk_btf_builder_free(b);
}

Test(btf_kernel, find_types_functions_and_kfuncs)
{
	struct bk_btf_kernel *k;
	struct bk_btf_kernel_type t;
	struct bk_btf_type proto;
	const struct bk_btf *vm;

	BK_REQUIRE_KERNEL();
	k = bk_btf_kernel_open(NULL);
	cr_assert_not_null(k, "%s", strerror(errno));
	vm = bk_btf_kernel_vmlinux(k);
	cr_assert_eq(bk_btf_kernel_find(k, "task_struct", BK_BTF_KIND_STRUCT, &t), 0);
	cr_assert_eq(t.type_id, (uint32_t)bk_btf_find(vm, "task_struct", BK_BTF_KIND_STRUCT));
	cr_assert(t.btf_fd == 0 && t.module == NULL && t.btf == vm && t.btf_obj_id == vmlinux_obj_id());
	/* A function comes with its prototype. */
	cr_assert_eq(bk_btf_kernel_find(k, "bpf_task_acquire", BK_BTF_KIND_FUNC, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_FUNC);
	cr_assert_eq(bk_btf_type_by_id(vm, t.proto_id, &proto), 0);
	cr_assert_eq(proto.kind, BK_BTF_KIND_FUNC_PROTO);
	cr_assert_eq(proto.vlen, 1, "struct task_struct *bpf_task_acquire(struct task_struct *p)");
	/* A kfunc is tagged; a plain kernel function is not one. */
	cr_assert_eq(bk_btf_kernel_find_kfunc(k, "bpf_task_acquire", &t), 0);
	cr_assert_gt(bk_btf_find(vm, "__task_pid_nr_ns", BK_BTF_KIND_FUNC), 0);
	cr_assert_eq(bk_btf_kernel_find_kfunc(k, "__task_pid_nr_ns", &t), -ENOENT);
	/* A name nowhere: vmlinux, then every module, then ENOENT. */
	cr_assert_eq(bk_btf_kernel_find(k, "no_such_type_bk", BK_BTF_KIND_ANY, &t), -ENOENT);
	cr_assert_eq(bk_btf_kernel_find(k, "task_struct", BK_BTF_KIND_UNION, &t), -ENOENT);
	cr_assert_eq(bk_btf_kernel_find(NULL, "x", BK_BTF_KIND_ANY, &t), -EINVAL);
	bk_btf_kernel_close(k);
}

/* As many modules as /sys/kernel/btf has files besides vmlinux, each
 * parsed on top of vmlinux with ids continuing its. */
Test(btf_kernel, modules_are_those_sysfs_lists)
{
	struct bk_btf_kernel *k;
	size_t files = 0;
	struct dirent *e;
	DIR *dir;

	BK_REQUIRE_KERNEL();
	dir = opendir("/sys/kernel/btf");
	cr_assert_not_null(dir);
	while ((e = readdir(dir)))
		files += e->d_name[0] != '.' && strcmp(e->d_name, "vmlinux") != 0;
	closedir(dir);
	k = bk_btf_kernel_open(NULL);
	cr_assert_not_null(k);
	cr_assert_eq(bk_btf_kernel_module_count(k), files);
	bk_btf_kernel_close(k);
}
