// SPDX-License-Identifier: MIT
/* BTF load, task fd query, stats and tokens. */
#include <errno.h>
#include <string.h>

#include "sys_int.h"

#define BL struct bk_btf_load_opts

int bk_sys_btf_load(const void *btf, uint32_t size, struct bk_btf_load_opts *o)
{
	union bk_bpf_attr a;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!btf || !size)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.btf_load.btf = bk__ptr(btf);
	a.btf_load.btf_size = size;
	a.btf_load.btf_log_buf = bk__ptr(BK_OPT(BL, o, log_buf, NULL));
	a.btf_load.btf_log_size = a.btf_load.btf_log_buf ? BK_OPT(BL, o, log_size, 0) : 0;
	a.btf_load.btf_log_level = a.btf_load.btf_log_buf ? BK_OPT(BL, o, log_level, 0) : 0;
	if (a.btf_load.btf_log_buf && !a.btf_load.btf_log_level)
		a.btf_load.btf_log_level = 1;
	a.btf_load.btf_flags = BK_OPT(BL, o, btf_flags, 0);
	a.btf_load.btf_token_fd = BK_OPT(BL, o, btf_token_fd, 0);
	err = (int)bk_sys_bpf(BK_CMD_BTF_LOAD, &a,
			      BK_ATTR_SIZE(struct bk_attr_btf_load, btf_token_fd));
	if (err == -ENOSPC && a.btf_load.btf_log_buf) {
		/* As for programs: a short log must not decide the outcome. */
		o->log_true_size = a.btf_load.btf_log_true_size;
		a.btf_load.btf_log_buf = 0;
		a.btf_load.btf_log_size = a.btf_load.btf_log_level = 0;
		err = (int)bk_sys_bpf(BK_CMD_BTF_LOAD, &a,
				      BK_ATTR_SIZE(struct bk_attr_btf_load, btf_token_fd));
	} else if (o && a.btf_load.btf_log_buf) {
		o->log_true_size = a.btf_load.btf_log_true_size;
	}
	return err;
}

int bk_sys_task_fd_query(int pid, int fd, struct bk_task_fd_query *q)
{
	union bk_bpf_attr a;
	int err;

	if (!q)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.task_fd_query.pid = (uint32_t)pid;
	a.task_fd_query.fd = (uint32_t)fd;
	a.task_fd_query.buf = bk__ptr(q->buf);
	a.task_fd_query.buf_len = q->buf_len;
	err = (int)bk_sys_bpf(BK_CMD_TASK_FD_QUERY, &a, sizeof(a.task_fd_query));
	if (err == 0 || err == -ENOSPC) {
		q->buf_len = a.task_fd_query.buf_len;
		q->prog_id = a.task_fd_query.prog_id;
		q->fd_type = a.task_fd_query.fd_type;
		q->probe_offset = a.task_fd_query.probe_offset;
		q->probe_addr = a.task_fd_query.probe_addr;
	}
	return err;
}

int bk_sys_enable_stats(uint32_t type)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.enable_stats.type = type;
	return (int)bk_sys_bpf(BK_CMD_ENABLE_STATS, &a, sizeof(a.enable_stats));
}

int bk_sys_token_create(int bpffs_fd, uint32_t flags)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.token_create.flags = flags;
	a.token_create.bpffs_fd = (uint32_t)bpffs_fd;
	return (int)bk_sys_bpf(BK_CMD_TOKEN_CREATE, &a, sizeof(a.token_create));
}
