// SPDX-License-Identifier: MIT
/* Our attr and info layouts against the installed <linux/bpf.h> (Debian's,
 * Linux 6.1): wherever that header has a field, offset and size agree. */
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <stddef.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#define SAME(OURS, THEIRS, F)                                                                      \
	do {                                                                                       \
		_Static_assert(offsetof(OURS, F) == offsetof(THEIRS, F), #F " offset");            \
		_Static_assert(sizeof(((OURS *)0)->F) == sizeof(((THEIRS *)0)->F), #F " size");    \
	} while (0)

#define SAME_AS(OURS, F, THEIRS, G)                                                                \
	_Static_assert(offsetof(OURS, F) == offsetof(union bpf_attr, G), #F " offset")

Test(abi_layout, attr_fields_match_the_kernel_header)
{
	SAME_AS(union bk_bpf_attr, map_create.map_type, map_type, map_type);
	SAME_AS(union bk_bpf_attr, map_create.map_name, map_name, map_name);
	SAME_AS(union bk_bpf_attr, map_create.map_extra, map_extra, map_extra);
	SAME_AS(union bk_bpf_attr, elem.key, key, key);
	SAME_AS(union bk_bpf_attr, elem.flags, flags, flags);
	SAME_AS(union bk_bpf_attr, batch.elem_flags, batch.elem_flags, batch.elem_flags);
	SAME_AS(union bk_bpf_attr, batch.flags, batch.flags, batch.flags);
	SAME_AS(union bk_bpf_attr, prog_load.log_buf, log_buf, log_buf);
	SAME_AS(union bk_bpf_attr, prog_load.prog_name, prog_name, prog_name);
	SAME_AS(union bk_bpf_attr, prog_load.attach_btf_id, attach_btf_id, attach_btf_id);
	SAME_AS(union bk_bpf_attr, prog_load.fd_array, fd_array, fd_array);
	SAME_AS(union bk_bpf_attr, prog_load.core_relo_rec_size, core_relo_rec_size,
		core_relo_rec_size);
	SAME_AS(union bk_bpf_attr, obj.file_flags, file_flags, file_flags);
	SAME_AS(union bk_bpf_attr, attach.replace_bpf_fd, replace_bpf_fd, replace_bpf_fd);
	SAME_AS(union bk_bpf_attr, test.ctx_out, test.ctx_out, test.ctx_out);
	SAME_AS(union bk_bpf_attr, test.batch_size, test.batch_size, test.batch_size);
	SAME_AS(union bk_bpf_attr, get_id.open_flags, open_flags, open_flags);
	SAME_AS(union bk_bpf_attr, info.info, info.info, info.info);
	SAME_AS(union bk_bpf_attr, query.prog_attach_flags, query.prog_attach_flags,
		query.prog_attach_flags);
	SAME_AS(union bk_bpf_attr, raw_tp.prog_fd, raw_tracepoint.prog_fd,
		raw_tracepoint.prog_fd);
	SAME_AS(union bk_bpf_attr, btf_load.btf_log_level, btf_log_level, btf_log_level);
	SAME_AS(union bk_bpf_attr, task_fd_query.probe_addr, task_fd_query.probe_addr,
		task_fd_query.probe_addr);
	SAME_AS(union bk_bpf_attr, link_create.attach_type, link_create.attach_type,
		link_create.attach_type);
	SAME_AS(union bk_bpf_attr, link_create.iter_info_len, link_create.iter_info_len,
		link_create.iter_info_len);
	SAME_AS(union bk_bpf_attr, link_create.kprobe_multi.cookies,
		link_create.kprobe_multi.cookies, link_create.kprobe_multi.cookies);
	SAME_AS(union bk_bpf_attr, link_update.old_prog_fd, link_update.old_prog_fd,
		link_update.old_prog_fd);
	SAME_AS(union bk_bpf_attr, iter_create.flags, iter_create.flags, iter_create.flags);
	SAME_AS(union bk_bpf_attr, prog_bind_map.flags, prog_bind_map.flags, prog_bind_map.flags);
	cr_assert_geq(sizeof(union bk_bpf_attr), sizeof(union bpf_attr),
		      "6.18's attr is a superset of 6.1's");
}

Test(abi_layout, info_structs_match_the_kernel_header)
{
	SAME(struct bk_prog_info, struct bpf_prog_info, tag);
	SAME(struct bk_prog_info, struct bpf_prog_info, map_ids);
	SAME(struct bk_prog_info, struct bpf_prog_info, name);
	SAME(struct bk_prog_info, struct bpf_prog_info, netns_dev);
	SAME(struct bk_prog_info, struct bpf_prog_info, run_time_ns);
	SAME(struct bk_prog_info, struct bpf_prog_info, verified_insns);
	SAME(struct bk_prog_info, struct bpf_prog_info, attach_btf_id);
	SAME(struct bk_map_info, struct bpf_map_info, name);
	SAME(struct bk_map_info, struct bpf_map_info, map_extra);
	SAME(struct bk_btf_info, struct bpf_btf_info, kernel_btf);
	SAME(struct bk_link_info, struct bpf_link_info, prog_id);
	cr_assert_eq(sizeof(struct bk_prog_info) >= sizeof(struct bpf_prog_info), 1);
	cr_assert_eq(sizeof(struct bk_map_info) >= sizeof(struct bpf_map_info), 1);
	cr_assert_eq(BK_CMD_PROG_TEST_RUN, BPF_PROG_TEST_RUN);
	cr_assert_eq(BK_CMD_LINK_DETACH, BPF_LINK_DETACH);
	cr_assert_eq(BK_MAP_TYPE_BLOOM_FILTER, BPF_MAP_TYPE_BLOOM_FILTER);
	cr_assert_eq(BK_PROG_TYPE_SYSCALL, BPF_PROG_TYPE_SYSCALL);
	cr_assert_eq(BK_ATTACH_PERF_EVENT, BPF_PERF_EVENT);
	cr_assert_eq(BK_F_MMAPABLE, BPF_F_MMAPABLE);
	cr_assert_eq(BK_F_XDP_HAS_FRAGS, BPF_F_XDP_HAS_FRAGS);
	cr_assert_eq(BK_XDP_FLAGS_DRV_MODE, XDP_FLAGS_DRV_MODE);
}
