// SPDX-License-Identifier: MIT
/* Object commands: pin/get on bpffs, id enumeration, fd by id, info. */
#include <errno.h>
#include <string.h>

#include "sys_int.h"

static int obj_cmd(int cmd, int fd, const char *path, const struct bk_obj_opts *o)
{
	union bk_bpf_attr a;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!path)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.obj.pathname = bk__ptr(path);
	a.obj.bpf_fd = (uint32_t)fd;
	a.obj.file_flags = BK_OPT(struct bk_obj_opts, o, file_flags, 0);
	a.obj.path_fd = BK_OPT(struct bk_obj_opts, o, path_fd, 0);
	return (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_obj, path_fd));
}

int bk_sys_obj_pin(int fd, const char *path, const struct bk_obj_opts *opts)
{
	return obj_cmd(BK_CMD_OBJ_PIN, fd, path, opts);
}

int bk_sys_obj_get(const char *path, const struct bk_obj_opts *opts)
{
	return obj_cmd(BK_CMD_OBJ_GET, 0, path, opts);
}

static int next_id(int cmd, uint32_t start, uint32_t *next)
{
	union bk_bpf_attr a;
	int err;

	if (!next)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.get_id.start_id = start;
	err = (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_get_id, next_id));
	if (!err)
		*next = a.get_id.next_id;
	return err;
}

int bk_sys_prog_get_next_id(uint32_t start, uint32_t *next)
{
	return next_id(BK_CMD_PROG_GET_NEXT_ID, start, next);
}

int bk_sys_map_get_next_id(uint32_t start, uint32_t *next)
{
	return next_id(BK_CMD_MAP_GET_NEXT_ID, start, next);
}

int bk_sys_btf_get_next_id(uint32_t start, uint32_t *next)
{
	return next_id(BK_CMD_BTF_GET_NEXT_ID, start, next);
}

int bk_sys_link_get_next_id(uint32_t start, uint32_t *next)
{
	return next_id(BK_CMD_LINK_GET_NEXT_ID, start, next);
}

static int fd_by_id(int cmd, uint32_t id, uint32_t open_flags)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.get_id.start_id = id;
	a.get_id.open_flags = open_flags;
	return (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_get_id, open_flags));
}

int bk_sys_prog_get_fd_by_id(uint32_t id)
{
	return fd_by_id(BK_CMD_PROG_GET_FD_BY_ID, id, 0);
}

int bk_sys_map_get_fd_by_id(uint32_t id, uint32_t open_flags)
{
	return fd_by_id(BK_CMD_MAP_GET_FD_BY_ID, id, open_flags);
}

int bk_sys_btf_get_fd_by_id(uint32_t id)
{
	return fd_by_id(BK_CMD_BTF_GET_FD_BY_ID, id, 0);
}

int bk_sys_link_get_fd_by_id(uint32_t id)
{
	return fd_by_id(BK_CMD_LINK_GET_FD_BY_ID, id, 0);
}

int bk_sys_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len)
{
	union bk_bpf_attr a;
	int err;

	if (!info || !info_len)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = *info_len;
	a.info.info = bk__ptr(info);
	err = (int)bk_sys_bpf(BK_CMD_OBJ_GET_INFO_BY_FD, &a, BK_ATTR_SIZE(struct bk_attr_info, info));
	if (!err)
		*info_len = a.info.info_len;
	return err;
}
