/* SPDX-License-Identifier: MIT */
/*
 * Names of the kernel's enumerations, both ways: helpers, commands, map,
 * program, attach and link types, spelled as bpftool spells them
 * ("map_lookup_elem", "percpu_array", "sched_cls", "tcx_ingress"...). Pure
 * data: no syscalls.
 */
#ifndef BPFKIT_NAMES_H
#define BPFKIT_NAMES_H

#include <bpfkit/abi.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** bk_helper_name() - "map_lookup_elem" for helper id 1; NULL for an unknown id. */
BK_API const char *bk_helper_name(int id);

/**
 * bk_helper_by_name() - helper id of "map_lookup_elem" or "bpf_map_lookup_elem".
 * Returns the id, or -ENOENT (errno set) for an unknown name.
 */
BK_API int bk_helper_by_name(const char *name);

/** bk_helper_max() - one past the largest helper id bpfkit knows (Linux 6.18). */
BK_API int bk_helper_max(void);

/** bk_cmd_name() - "map_create" for BK_CMD_MAP_CREATE; NULL if unknown. */
BK_API const char *bk_cmd_name(int cmd);
/** bk_cmd_by_name() - the command of a name, or -ENOENT. */
BK_API int bk_cmd_by_name(const char *name);

/** bk_map_type_name() - "hash", "percpu_array", "ringbuf"...; NULL if unknown. */
BK_API const char *bk_map_type_name(int type);
/** bk_map_type_by_name() - the map type of a name, or -ENOENT. */
BK_API int bk_map_type_by_name(const char *name);

/** bk_prog_type_name() - "socket_filter", "xdp", "sched_cls"...; NULL if unknown. */
BK_API const char *bk_prog_type_name(int type);
/** bk_prog_type_by_name() - the program type of a name, or -ENOENT. */
BK_API int bk_prog_type_by_name(const char *name);

/**
 * bk_prog_type_ctx() - the C type of a program type's context argument, e.g.
 * "struct __sk_buff" for sched_cls, "struct xdp_md" for xdp; NULL when the
 * type has no fixed context (tracing, ext, struct_ops) or is unknown.
 */
BK_API const char *bk_prog_type_ctx(int type);

/** bk_attach_type_name() - "cgroup_inet_ingress", "tcx_ingress", "xdp"...; NULL if unknown. */
BK_API const char *bk_attach_type_name(int type);
/** bk_attach_type_by_name() - the attach type of a name, or -ENOENT. */
BK_API int bk_attach_type_by_name(const char *name);

/** bk_link_type_name() - "raw_tracepoint", "xdp", "tcx"...; NULL if unknown. */
BK_API const char *bk_link_type_name(int type);
/** bk_link_type_by_name() - the link type of a name, or -ENOENT. */
BK_API int bk_link_type_by_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_NAMES_H */
