// SPDX-License-Identifier: MIT
/*
 * Enumeration (get_next_id -> get_fd_by_id) and object information
 * (obj_get_info_by_fd), converted into bpfkit's plain info structs. Memory
 * charged and the frozen state are not in the kernel's info structs; like
 * bpftool, we read them from /proc/self/fdinfo/<fd>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/sys.h>

#include "obj_int.h"

static bool kind_ok(enum bk_obj_kind kind)
{
	return kind >= BK_OBJ_PROG && kind <= BK_OBJ_BTF;
}

int bk_info_next_id(enum bk_obj_kind kind, uint32_t start, uint32_t *next)
{
	static int (*const fns[])(uint32_t, uint32_t *) = {
		[BK_OBJ_PROG] = bk_sys_prog_get_next_id,
		[BK_OBJ_MAP] = bk_sys_map_get_next_id,
		[BK_OBJ_LINK] = bk_sys_link_get_next_id,
		[BK_OBJ_BTF] = bk_sys_btf_get_next_id,
	};

	if (!kind_ok(kind) || !next)
		return bk__err(-EINVAL);
	return fns[kind](start, next);
}

static int map_fd_by_id(uint32_t id)
{
	return bk_sys_map_get_fd_by_id(id, 0);
}

int bk_info_fd_by_id(enum bk_obj_kind kind, uint32_t id)
{
	static int (*const fns[])(uint32_t) = {
		[BK_OBJ_PROG] = bk_sys_prog_get_fd_by_id,
		[BK_OBJ_MAP] = map_fd_by_id,
		[BK_OBJ_LINK] = bk_sys_link_get_fd_by_id,
		[BK_OBJ_BTF] = bk_sys_btf_get_fd_by_id,
	};

	if (!kind_ok(kind))
		return bk__err(-EINVAL);
	return fns[kind](id);
}

int bk_info_foreach(enum bk_obj_kind kind, bk_info_visit_fn fn, void *ctx)
{
	uint32_t id = 0;
	int err;

	if (!kind_ok(kind) || !fn)
		return bk__err(-EINVAL);
	while ((err = bk_info_next_id(kind, id, &id)) == 0) {
		int fd = bk_info_fd_by_id(kind, id), r;

		/* The object went away after next_id named it: not an error. */
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return fd;
		r = fn(kind, id, fd, ctx);
		close(fd);
		if (r)
			return r;
	}
	return err == -ENOENT ? 0 : err;
}

/* ---- /proc/self/fdinfo ------------------------------------------------------ */

/* The value of "key:\t<number>" in fd's fdinfo, or 0 when absent. */
static uint64_t fdinfo_value(int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoull(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * BPF_OBJ_GET_INFO_BY_FD answers for any bpf fd, filling the caller's struct
 * with whatever kind the fd is: a map's info read as a program's is garbage.
 */
static int check_kind(int fd, enum bk_obj_kind kind)
{
	static const char *const names[] = {
		[BK_OBJ_PROG] = BK__FD_PROG,
		[BK_OBJ_MAP] = BK__FD_MAP,
		[BK_OBJ_LINK] = BK__FD_LINK,
		[BK_OBJ_BTF] = BK__FD_BTF,
	};

	return bk__fd_check_kind(fd, names[kind]);
}

static int get_info(int fd, void *info, uint32_t size)
{
	uint32_t len = size;

	memset(info, 0, size);
	return bk_sys_obj_get_info_by_fd(fd, info, &len);
}

/* ---- programs ------------------------------------------------------------------ */

int bk_info_prog(int fd, struct bk_info_prog *out)
{
	struct bk_prog_info k;
	uint32_t ids[BK_INFO_MAX_MAP_IDS];
	int err;

	if (!out)
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_PROG);
	if (!err)
		err = get_info(fd, &k, sizeof(k));
	if (err)
		return err;
	/* A second call fetches the map ids (the first told how many). */
	if (k.nr_map_ids) {
		uint32_t n = k.nr_map_ids < BK_INFO_MAX_MAP_IDS ? k.nr_map_ids : BK_INFO_MAX_MAP_IDS;
		struct bk_prog_info k2;
		uint32_t len = sizeof(k2);

		memset(&k2, 0, sizeof(k2));
		k2.nr_map_ids = n;
		k2.map_ids = (uint64_t)(uintptr_t)ids;
		err = bk_sys_obj_get_info_by_fd(fd, &k2, &len);
		if (err)
			return err;
		memcpy(out->map_ids, ids, n * sizeof(ids[0]));
	}
	memset(out, 0, offsetof(struct bk_info_prog, map_ids));
	out->id = k.id;
	out->type = k.type;
	memcpy(out->name, k.name, sizeof(out->name));
	out->name[sizeof(out->name) - 1] = '\0';
	memcpy(out->tag, k.tag, sizeof(out->tag));
	out->gpl_compatible = k.gpl_compatible;
	out->load_time = k.load_time;
	out->created_by_uid = k.created_by_uid;
	out->xlated_len = k.xlated_prog_len;
	out->jited_len = k.jited_prog_len;
	out->nr_map_ids = k.nr_map_ids;
	out->btf_id = k.btf_id;
	out->ifindex = k.ifindex;
	out->netns_dev = k.netns_dev;
	out->netns_ino = k.netns_ino;
	out->run_time_ns = k.run_time_ns;
	out->run_cnt = k.run_cnt;
	out->recursion_misses = k.recursion_misses;
	out->verified_insns = k.verified_insns;
	out->attach_btf_obj_id = k.attach_btf_obj_id;
	out->attach_btf_id = k.attach_btf_id;
	out->memlock = fdinfo_value(fd, "memlock");
	return 0;
}

int bk_info_prog_xlated(int fd, struct bk_insn *insns, uint32_t cap, uint32_t *count)
{
	struct bk_prog_info k;
	uint32_t len = sizeof(k);
	int err;

	if (!count || (cap && !insns))
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_PROG);
	if (err)
		return err;
	memset(&k, 0, sizeof(k));
	if (cap) {
		k.xlated_prog_len = cap * (uint32_t)sizeof(*insns);
		k.xlated_prog_insns = (uint64_t)(uintptr_t)insns;
	}
	err = bk_sys_obj_get_info_by_fd(fd, &k, &len);
	if (err)
		return err;
	/* Without CAP_SYS_ADMIN (or with kptr restrictions) the kernel reports a
	 * length but copies nothing and clears the pointer. */
	if (cap && k.xlated_prog_len && !k.xlated_prog_insns)
		return bk__err(-EPERM);
	*count = k.xlated_prog_len / (uint32_t)sizeof(struct bk_insn);
	return 0;
}

/* ---- maps ------------------------------------------------------------------------ */

int bk_info_map(int fd, struct bk_info_map *out)
{
	struct bk_map_info k;
	int err;

	if (!out)
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_MAP);
	if (!err)
		err = get_info(fd, &k, sizeof(k));
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->id = k.id;
	out->type = k.type;
	memcpy(out->name, k.name, sizeof(out->name));
	out->name[sizeof(out->name) - 1] = '\0';
	out->key_size = k.key_size;
	out->value_size = k.value_size;
	out->max_entries = k.max_entries;
	out->map_flags = k.map_flags;
	out->map_extra = k.map_extra;
	out->ifindex = k.ifindex;
	out->netns_dev = k.netns_dev;
	out->netns_ino = k.netns_ino;
	out->btf_id = k.btf_id;
	out->btf_key_type_id = k.btf_key_type_id;
	out->btf_value_type_id = k.btf_value_type_id;
	out->btf_vmlinux_value_type_id = k.btf_vmlinux_value_type_id;
	out->memlock = fdinfo_value(fd, "memlock");
	out->frozen = fdinfo_value(fd, "frozen") != 0;
	return 0;
}

/* ---- links ----------------------------------------------------------------------- */

/* Link types whose info carries a string the kernel copies out for us. */
#define LT_RAW_TRACEPOINT 1
#define LT_ITER 4

int bk_info_link(int fd, struct bk_info_link *out)
{
	struct bk_link_info k;
	uint32_t len = sizeof(k), w[16];
	int err;

	if (!out)
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_LINK);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	err = bk_sys_obj_get_info_by_fd(fd, &k, &len);
	if (err)
		return err;
	/* Names come in a second call: the union's pointers mean different
	 * things per link type (kprobe_multi writes addresses through its
	 * first word), so a buffer is offered only once the type is known. */
	if (k.type == LT_RAW_TRACEPOINT || k.type == LT_ITER) {
		uint32_t type = k.type;

		memset(&k, 0, sizeof(k));
		len = sizeof(k);
		k.raw_tracepoint.tp_name = (uint64_t)(uintptr_t)out->name;
		k.raw_tracepoint.tp_name_len = sizeof(out->name);
		err = bk_sys_obj_get_info_by_fd(fd, &k, &len);
		if (err)
			return err;
		if (k.type != type)
			return bk__err(-EIO);
	}
	out->name[sizeof(out->name) - 1] = '\0';
	out->id = k.id;
	out->type = k.type;
	out->prog_id = k.prog_id;
	memcpy(w, k.raw, sizeof(w));
	switch (k.type) {
	case 2: /* tracing: attach_type, target_obj_id, target_btf_id */
		out->attach_type = w[0], out->target_obj_id = w[1], out->target_btf_id = w[2];
		break;
	case 3: /* cgroup: u64 cgroup_id, attach_type */
		out->cgroup_id = k.cgroup.cgroup_id, out->attach_type = k.cgroup.attach_type;
		break;
	case LT_ITER: /* iter: name, then map_id for map iterators */
		out->map_id = w[3];
		break;
	case 5: /* netns: netns_ino, attach_type */
		out->netns_ino = w[0], out->attach_type = w[1];
		break;
	case 6: /* xdp: ifindex */
		out->ifindex = w[0];
		break;
	case 9: /* struct_ops: map_id */
		out->map_id = w[0];
		break;
	case 10: /* netfilter: pf, hooknum, priority, flags */
		out->nf_pf = w[0], out->nf_hooknum = w[1], out->nf_priority = (int32_t)w[2];
		out->nf_flags = w[3];
		break;
	case 11: /* tcx */
	case 13: /* netkit: ifindex, attach_type */
		out->ifindex = w[0], out->attach_type = w[1];
		break;
	default:
		break;
	}
	return 0;
}

/* ---- BTF objects ---------------------------------------------------------------- */

int bk_info_btf(int fd, struct bk_info_btf *out)
{
	struct bk_btf_info k;
	uint32_t len = sizeof(k);
	int err;

	if (!out)
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_BTF);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	k.name = (uint64_t)(uintptr_t)out->name;
	k.name_len = sizeof(out->name);
	err = bk_sys_obj_get_info_by_fd(fd, &k, &len);
	if (err)
		return err;
	out->name[sizeof(out->name) - 1] = '\0';
	out->id = k.id;
	out->size = k.btf_size;
	out->kernel = k.kernel_btf != 0;
	return 0;
}

int bk_info_btf_data(int fd, void *buf, uint32_t size, uint32_t *len)
{
	struct bk_btf_info k;
	uint32_t ilen = sizeof(k);
	int err;

	if (!len || (size && !buf))
		return bk__err(-EINVAL);
	err = check_kind(fd, BK_OBJ_BTF);
	if (err)
		return err;
	memset(&k, 0, sizeof(k));
	/* The kernel refuses (ENOSPC) a buffer smaller than the BTF: first learn
	 * the size, then copy only when it fits. */
	err = bk_sys_obj_get_info_by_fd(fd, &k, &ilen);
	if (err)
		return err;
	*len = k.btf_size;
	if (!size || size < k.btf_size)
		return 0;
	memset(&k, 0, sizeof(k));
	ilen = sizeof(k);
	k.btf = (uint64_t)(uintptr_t)buf;
	k.btf_size = size;
	err = bk_sys_obj_get_info_by_fd(fd, &k, &ilen);
	if (err)
		return err;
	*len = k.btf_size;
	return 0;
}
