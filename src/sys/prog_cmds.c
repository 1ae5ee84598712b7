// SPDX-License-Identifier: MIT
/* Program commands: load (with the verifier log rules), test run, attach,
 * detach, query, bind_map and stream read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sys_int.h"
#include "vlog_int.h"

#define PL struct bk_prog_load_opts

static void fill_load_attr(union bk_bpf_attr *a, const struct bk_prog_load_opts *o)
{
	struct bk_attr_prog_load *p = &a->prog_load;

	memset(a, 0, sizeof(*a));
	if (!o)
		return;
	p->prog_type = o->prog_type;
	p->insns = bk__ptr(o->insns);
	p->insn_cnt = (uint32_t)o->insn_cnt;
	p->license = bk__ptr(BK_OPT(PL, o, license, NULL) ? o->license : "GPL");
	p->kern_version = BK_OPT(PL, o, kern_version, 0);
	p->prog_flags = BK_OPT(PL, o, prog_flags, 0);
	if (BK_OPT(PL, o, prog_name, NULL))
		strncpy(p->prog_name, o->prog_name, sizeof(p->prog_name) - 1);
	p->prog_ifindex = BK_OPT(PL, o, prog_ifindex, 0);
	p->expected_attach_type = BK_OPT(PL, o, expected_attach_type, 0);
	p->prog_btf_fd = (uint32_t)BK_OPT(PL, o, prog_btf_fd, 0);
	p->func_info = bk__ptr(BK_OPT(PL, o, func_info, NULL));
	p->func_info_rec_size = BK_OPT(PL, o, func_info_rec_size, 0);
	p->func_info_cnt = BK_OPT(PL, o, func_info_cnt, 0);
	p->line_info = bk__ptr(BK_OPT(PL, o, line_info, NULL));
	p->line_info_rec_size = BK_OPT(PL, o, line_info_rec_size, 0);
	p->line_info_cnt = BK_OPT(PL, o, line_info_cnt, 0);
	p->attach_btf_id = BK_OPT(PL, o, attach_btf_id, 0);
	p->attach_prog_fd = (uint32_t)BK_OPT(PL, o, attach_prog_fd, 0);
	p->fd_array = bk__ptr(BK_OPT(PL, o, fd_array, NULL));
	p->fd_array_cnt = BK_OPT(PL, o, fd_array_cnt, 0);
	p->prog_token_fd = BK_OPT(PL, o, prog_token_fd, 0);
}

static int load(union bk_bpf_attr *a, char *buf, uint32_t size, uint32_t level)
{
	a->prog_load.log_buf = bk__ptr(buf);
	a->prog_load.log_size = buf ? size : 0;
	a->prog_load.log_level = buf ? level : 0;
	a->prog_load.log_true_size = 0;
	if (buf && size)
		buf[0] = '\0';
	return (int)bk_sys_bpf(BK_CMD_PROG_LOAD, a,
			       BK_ATTR_SIZE(struct bk_attr_prog_load, fd_array_cnt));
}

/*
 * With the caller's buffer: when the load fails with ENOSPC, the buffer was
 * too small for the log; that says nothing about the program. Load again
 * without a log to learn the truth: the program's fd, or its real error.
 * The first attempt's (truncated) log stays in the buffer.
 */
static int load_caller_log(union bk_bpf_attr *a, struct bk_prog_load_opts *o)
{
	int fd = load(a, o->log_buf, o->log_size, o->log_level ? o->log_level : BK_VLOG_LEVEL1);

	o->log_true_size = a->prog_load.log_true_size;
	if (fd != -ENOSPC)
		return fd;
	return load(a, NULL, 0, 0);
}

/* With a managed log: grow until the whole log fits, then it is complete. */
static int load_managed_log(union bk_bpf_attr *a, struct bk_prog_load_opts *o)
{
	struct bk_vlog *v = o->vlog;
	uint32_t level = v->level ? v->level : BK_VLOG_LEVEL1;
	int fd;

	for (;;) {
		int err = bk__vlog_reserve(v, v->cap ? v->cap : BK__VLOG_INITIAL);

		if (err)
			return err;
		fd = load(a, v->text, (uint32_t)v->cap, level);
		o->log_true_size = a->prog_load.log_true_size;
		if (fd != -ENOSPC)
			break;
		err = bk__vlog_grow(v, a->prog_load.log_true_size);
		if (err) /* cannot grow: the truth without a log */
			return load(a, NULL, 0, 0);
	}
	v->len = strnlen(v->text, v->cap);
	return fd;
}

int bk_sys_prog_load(struct bk_prog_load_opts *o)
{
	union bk_bpf_attr a;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!o || !o->insns || !o->insn_cnt)
		return bk__err(-EINVAL);
	fill_load_attr(&a, o);
	if (BK_OPT(PL, o, vlog, NULL))
		err = load_managed_log(&a, o);
	else if (BK_OPT(PL, o, log_buf, NULL) && o->log_size)
		err = load_caller_log(&a, o);
	else
		err = load(&a, NULL, 0, 0);
	if (err < 0)
		errno = -err;
	return err;
}

#define TR struct bk_test_run_opts

int bk_sys_prog_test_run(int prog_fd, struct bk_test_run_opts *o)
{
	union bk_bpf_attr a;
	struct bk_attr_test_run *t = &a.test;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	t->prog_fd = (uint32_t)prog_fd;
	if (o) {
		t->data_in = bk__ptr(o->data_in);
		t->data_size_in = o->data_size_in;
		t->data_out = bk__ptr(o->data_out);
		t->data_size_out = o->data_size_out;
		t->ctx_in = bk__ptr(o->ctx_in);
		t->ctx_size_in = o->ctx_size_in;
		t->ctx_out = bk__ptr(o->ctx_out);
		t->ctx_size_out = o->ctx_size_out;
		t->repeat = o->repeat;
		t->flags = o->flags;
		t->cpu = o->cpu;
		t->batch_size = BK_OPT(TR, o, batch_size, 0);
	}
	err = (int)bk_sys_bpf(BK_CMD_PROG_TEST_RUN, &a,
			      BK_ATTR_SIZE(struct bk_attr_test_run, batch_size));
	if (o && (err == 0 || err == -ENOSPC)) {
		o->retval = t->retval;
		o->duration = t->duration;
		o->data_size_out = t->data_size_out;
		o->ctx_size_out = t->ctx_size_out;
	}
	return err;
}

static int attach_cmd(int cmd, int prog_fd, int target, uint32_t type,
		      const struct bk_prog_attach_opts *o)
{
	union bk_bpf_attr a;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.attach.target_fd = (uint32_t)target;
	a.attach.attach_bpf_fd = (uint32_t)prog_fd;
	a.attach.attach_type = type;
	a.attach.attach_flags = BK_OPT(struct bk_prog_attach_opts, o, flags, 0);
	a.attach.replace_bpf_fd = (uint32_t)BK_OPT(struct bk_prog_attach_opts, o, replace_prog_fd, 0);
	a.attach.relative_fd = BK_OPT(struct bk_prog_attach_opts, o, relative_fd, 0);
	a.attach.expected_revision = BK_OPT(struct bk_prog_attach_opts, o, expected_revision, 0);
	return (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_prog_attach, expected_revision));
}

int bk_sys_prog_attach(int prog_fd, int target, uint32_t attach_type,
		       const struct bk_prog_attach_opts *opts)
{
	return attach_cmd(BK_CMD_PROG_ATTACH, prog_fd, target, attach_type, opts);
}

int bk_sys_prog_detach(int prog_fd, int target, uint32_t attach_type,
		       const struct bk_prog_attach_opts *opts)
{
	return attach_cmd(BK_CMD_PROG_DETACH, prog_fd, target, attach_type, opts);
}

int bk_sys_prog_query(int target, uint32_t attach_type, struct bk_prog_query_opts *o)
{
	union bk_bpf_attr a;
	struct bk_attr_query *q = &a.query;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!o)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	q->target_fd = (uint32_t)target;
	q->attach_type = attach_type;
	q->query_flags = o->query_flags;
	q->prog_ids = bk__ptr(o->prog_ids);
	q->prog_cnt = o->count;
	q->prog_attach_flags = bk__ptr(o->prog_attach_flags);
	q->link_ids = bk__ptr(o->link_ids);
	q->link_attach_flags = bk__ptr(o->link_attach_flags);
	err = (int)bk_sys_bpf(BK_CMD_PROG_QUERY, &a, BK_ATTR_SIZE(struct bk_attr_query, revision));
	if (err == 0 || err == -ENOSPC) {
		o->attach_flags = q->attach_flags;
		o->count = q->prog_cnt;
		o->revision = q->revision;
	}
	return err;
}

int bk_sys_prog_bind_map(int prog_fd, int map_fd, uint32_t flags)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_bind_map.prog_fd = (uint32_t)prog_fd;
	a.prog_bind_map.map_fd = (uint32_t)map_fd;
	a.prog_bind_map.flags = flags;
	return (int)bk_sys_bpf(BK_CMD_PROG_BIND_MAP, &a, sizeof(a.prog_bind_map));
}

int bk_sys_prog_stream_read(int prog_fd, uint32_t stream_id, void *buf, uint32_t len)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_stream_read.stream_buf = bk__ptr(buf);
	a.prog_stream_read.stream_buf_len = len;
	a.prog_stream_read.stream_id = stream_id;
	a.prog_stream_read.prog_fd = (uint32_t)prog_fd;
	return (int)bk_sys_bpf(BK_CMD_PROG_STREAM_READ_BY_FD, &a,
			       BK_ATTR_SIZE(struct bk_attr_prog_stream_read, prog_fd));
}
