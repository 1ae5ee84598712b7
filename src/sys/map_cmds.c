// SPDX-License-Identifier: MIT
/* Map commands: one wrapper each, passing exactly the attr size it needs. */
#include <errno.h>
#include <string.h>

#include "sys_int.h"

#define MC struct bk_map_create_opts

int bk_sys_map_create(const struct bk_map_create_opts *o)
{
	union bk_bpf_attr a;
	struct bk_attr_map_create *m = &a.map_create;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!o)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	m->map_type = o->map_type;
	m->key_size = o->key_size;
	m->value_size = o->value_size;
	m->max_entries = o->max_entries;
	m->map_flags = o->map_flags;
	m->inner_map_fd = (uint32_t)BK_OPT(MC, o, inner_map_fd, 0);
	m->numa_node = BK_OPT(MC, o, numa_node, 0);
	if (BK_OPT(MC, o, map_name, NULL))
		strncpy(m->map_name, o->map_name, sizeof(m->map_name) - 1);
	m->map_ifindex = BK_OPT(MC, o, map_ifindex, 0);
	m->btf_fd = (uint32_t)BK_OPT(MC, o, btf_fd, 0);
	m->btf_key_type_id = BK_OPT(MC, o, btf_key_type_id, 0);
	m->btf_value_type_id = BK_OPT(MC, o, btf_value_type_id, 0);
	m->btf_vmlinux_value_type_id = BK_OPT(MC, o, btf_vmlinux_value_type_id, 0);
	m->map_extra = BK_OPT(MC, o, map_extra, 0);
	m->value_type_btf_obj_fd = BK_OPT(MC, o, value_type_btf_obj_fd, 0);
	m->map_token_fd = BK_OPT(MC, o, map_token_fd, 0);
	return (int)bk_sys_bpf(BK_CMD_MAP_CREATE, &a,
			       BK_ATTR_SIZE(struct bk_attr_map_create, map_token_fd));
}

static int elem_cmd(int cmd, int fd, const void *key, const void *value, uint64_t flags)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.elem.map_fd = (uint32_t)fd;
	a.elem.key = bk__ptr(key);
	a.elem.value = bk__ptr(value);
	a.elem.flags = flags;
	return (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_map_elem, flags));
}

int bk_sys_map_lookup_elem(int fd, const void *key, void *value, uint64_t flags)
{
	return elem_cmd(BK_CMD_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bk_sys_map_update_elem(int fd, const void *key, const void *value, uint64_t flags)
{
	return elem_cmd(BK_CMD_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int bk_sys_map_delete_elem(int fd, const void *key)
{
	return elem_cmd(BK_CMD_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bk_sys_map_get_next_key(int fd, const void *key, void *next_key)
{
	return elem_cmd(BK_CMD_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

int bk_sys_map_lookup_and_delete_elem(int fd, const void *key, void *value, uint64_t flags)
{
	return elem_cmd(BK_CMD_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

int bk_sys_map_freeze(int fd)
{
	union bk_bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.elem.map_fd = (uint32_t)fd;
	return (int)bk_sys_bpf(BK_CMD_MAP_FREEZE, &a, BK_ATTR_SIZE(struct bk_attr_map_elem, map_fd));
}

static int batch_cmd(int cmd, int fd, const void *in, void *out, const void *keys,
		     const void *values, uint32_t *count, const struct bk_batch_opts *o)
{
	union bk_bpf_attr a;
	int err = bk__opts_check(o, sizeof(*o));

	if (err)
		return err;
	if (!count)
		return bk__err(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.batch.map_fd = (uint32_t)fd;
	a.batch.in_batch = bk__ptr(in);
	a.batch.out_batch = bk__ptr(out);
	a.batch.keys = bk__ptr(keys);
	a.batch.values = bk__ptr(values);
	a.batch.count = *count;
	a.batch.elem_flags = BK_OPT(struct bk_batch_opts, o, elem_flags, 0);
	a.batch.flags = BK_OPT(struct bk_batch_opts, o, flags, 0);
	err = (int)bk_sys_bpf(cmd, &a, BK_ATTR_SIZE(struct bk_attr_map_batch, flags));
	/* The kernel reports how far it got even on failure (ENOENT at the end
	 * of a lookup, EFAULT midway): callers need the count in both cases. */
	*count = a.batch.count;
	return err;
}

int bk_sys_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values,
			    uint32_t *count, const struct bk_batch_opts *opts)
{
	return batch_cmd(BK_CMD_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys, values, count,
			 opts);
}

int bk_sys_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch, void *keys,
				       void *values, uint32_t *count,
				       const struct bk_batch_opts *opts)
{
	return batch_cmd(BK_CMD_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch, out_batch, keys, values,
			 count, opts);
}

int bk_sys_map_update_batch(int fd, const void *keys, const void *values, uint32_t *count,
			    const struct bk_batch_opts *opts)
{
	return batch_cmd(BK_CMD_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values, count, opts);
}

int bk_sys_map_delete_batch(int fd, const void *keys, uint32_t *count,
			    const struct bk_batch_opts *opts)
{
	return batch_cmd(BK_CMD_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, count, opts);
}
