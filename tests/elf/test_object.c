// SPDX-License-Identifier: MIT
/*
 * Opening objects (no kernel): programs and their sections, types and
 * instructions; maps as defined (BTF-defined, legacy, global data named as
 * libbpf names them); externs; the writable data image before load; the
 * setters and their refusals; options.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/object.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"

TestSuite(object, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_object *open_corpus(const char *name)
{
	char path[512];
	static struct bk_diag d; /* the object keeps writing to it: it must outlive it */
	struct bk_object *obj = bk_object_open_file(bk_corpus_obj(name, path, sizeof(path)),
						    BK_OPTS(bk_object_opts, .diag = &d));

	cr_assert_not_null(obj, "%s: %s", name, d.msg);
	return obj;
}

Test(object, programs_sections_and_types)
{
	struct bk_object *obj = open_corpus("subprogs");
	struct bk_object_prog *xdp = bk_object_prog_by_name(obj, "xdp_sub");
	struct bk_object_prog *sock = bk_object_prog_by_name(obj, "sock_sub");
	size_t n;

	cr_assert_str_eq(bk_object_name(obj), "subprogs");
	cr_assert_eq(bk_object_prog_count(obj), 2, "subprograms of .text are not programs");
	cr_assert_not_null(xdp);
	cr_assert_not_null(sock);
	cr_assert_str_eq(bk_object_prog_section(xdp), "xdp");
	cr_assert_eq(bk_object_prog_type(xdp), BK_PROG_TYPE_XDP);
	cr_assert_eq(bk_object_prog_type(sock), BK_PROG_TYPE_SOCKET_FILTER);
	cr_assert(bk_object_prog_autoload(xdp));
	cr_assert_not_null(bk_object_prog_insns(xdp, &n));
	cr_assert_gt(n, 2);
	cr_assert_null(bk_object_prog_prog(xdp), "not loaded yet");
	cr_assert_null(bk_object_prog_by_name(obj, "no_such"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(bk_object_prog_at(obj, 2));
	bk_object_close(obj);
}

Test(object, section_flags_and_expected_attach_types)
{
	struct bk_object *obj = open_corpus("attach");

	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);

		if (!strcmp(bk_object_prog_section(p), "cgroup_skb/egress")) {
			cr_assert_eq(bk_object_prog_type(p), BK_PROG_TYPE_CGROUP_SKB);
			cr_assert_eq(bk_object_prog_expected_attach_type(p), BK_ATTACH_CGROUP_INET_EGRESS);
		}
		if (!strcmp(bk_object_prog_section(p), "cgroup/connect4"))
			cr_assert_eq(bk_object_prog_expected_attach_type(p), BK_ATTACH_CGROUP_INET4_CONNECT);
	}
	bk_object_close(obj);
	obj = open_corpus("sections");
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);

		if (!strcmp(bk_object_prog_section(p), "xdp.frags"))
			cr_assert_eq(bk_object_prog_flags(p), BK_F_XDP_HAS_FRAGS);
	}
	bk_object_close(obj);
}

Test(object, maps_as_defined)
{
	struct bk_object *obj = open_corpus("maps");
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

Test(object, global_data_maps_named_as_libbpf_names_them)
{
	struct bk_object *obj = open_corpus("globals");
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

Test(object, long_object_names_are_cut_as_libbpf_cuts_them)
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

Test(object, externs_listed_with_kind_and_weakness)
{
	struct bk_object *obj = open_corpus("externs");
	bool kconfig = false, kfunc = false, weak = false;

	cr_assert_gt(bk_object_extern_count(obj), 3);
	for (size_t i = 0; i < bk_object_extern_count(obj); i++) {
		const char *name, *kind;
		bool w;

		cr_assert_eq(bk_object_extern_at(obj, i, &name, &kind, &w), 0);
		kconfig |= !strcmp(name, "LINUX_KERNEL_VERSION") && !strcmp(kind, "kconfig");
		kfunc |= !strcmp(kind, "kfunc");
		weak |= !strcmp(name, "bk_no_such_kfunc") && w;
	}
	cr_assert(kconfig && kfunc && weak);
	cr_assert_eq(bk_object_extern_at(obj, 999, NULL, NULL, NULL), -ENOENT);
	cr_assert(bk_object_map_by_name(obj, ".kconfig") != NULL);
	bk_object_close(obj);
}

Test(object, setters_before_load)
{
	struct bk_object *obj = open_corpus("maps");
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

Test(object, bad_options_and_paths)
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
