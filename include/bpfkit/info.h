/* SPDX-License-Identifier: MIT */
/*
 * Introspection: enumerate the programs, maps, links and BTF objects loaded
 * in the kernel (BPF_*_GET_NEXT_ID -> BPF_*_GET_FD_BY_ID) and read their
 * information (BPF_OBJ_GET_INFO_BY_FD) as plain value structs.
 *
 * An object can disappear between the kernel handing out its id and our
 * asking for an fd: that ENOENT is skipped during enumeration, not an error.
 * Listing needs CAP_SYS_ADMIN (get_fd_by_id); info on an fd one holds does not.
 */
#ifndef BPFKIT_INFO_H
#define BPFKIT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kinds of objects that have ids. */
enum bk_obj_kind {
	BK_OBJ_PROG = 0,
	BK_OBJ_MAP = 1,
	BK_OBJ_LINK = 2, /* Linux 5.8 */
	BK_OBJ_BTF = 3,	 /* Linux 5.4 */
};

/* How many map ids a bk_info_prog keeps (nr_map_ids says how many there are). */
#define BK_INFO_MAX_MAP_IDS 64

struct bk_info_prog {
	uint32_t id;
	uint32_t type;		 /* BPF_PROG_TYPE_* */
	char name[16];		 /* NUL-terminated */
	uint8_t tag[8];		 /* hash of the original instructions */
	bool gpl_compatible;
	uint64_t load_time;	 /* ns since boot (CLOCK_BOOTTIME) */
	uint32_t created_by_uid;
	uint32_t xlated_len;	 /* bytes of translated instructions */
	uint32_t jited_len;	 /* bytes of JITed code, 0 when not JITed */
	uint32_t nr_map_ids;	 /* maps used; the first BK_INFO_MAX_MAP_IDS in map_ids */
	uint32_t map_ids[BK_INFO_MAX_MAP_IDS];
	uint32_t btf_id;	 /* 0 without BTF */
	uint32_t ifindex;	 /* offload device, 0 if none */
	uint64_t netns_dev, netns_ino;
	uint64_t run_time_ns, run_cnt; /* with BPF_ENABLE_STATS */
	uint64_t recursion_misses;
	uint32_t verified_insns;
	uint32_t attach_btf_obj_id, attach_btf_id;
	uint64_t memlock;	 /* bytes charged, from /proc/self/fdinfo; 0 if unknown */
};

struct bk_info_map {
	uint32_t id;
	uint32_t type;		 /* BPF_MAP_TYPE_* */
	char name[16];
	uint32_t key_size, value_size, max_entries;
	uint32_t map_flags;
	uint64_t map_extra;
	uint32_t ifindex;
	uint64_t netns_dev, netns_ino;
	uint32_t btf_id, btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
	uint64_t memlock;	 /* from /proc/self/fdinfo; 0 if unknown */
	bool frozen;		 /* from /proc/self/fdinfo */
};

/* A link; the fields after prog_id are filled for the link types they belong to. */
struct bk_info_link {
	uint32_t id;
	uint32_t type;		 /* BPF_LINK_TYPE_* */
	uint32_t prog_id;
	uint32_t attach_type;	 /* tracing, cgroup, netns, tcx, netkit */
	char name[128];		 /* raw_tracepoint: tp_name; iter: target_name */
	uint32_t target_obj_id, target_btf_id; /* tracing */
	uint64_t cgroup_id;	 /* cgroup */
	uint32_t netns_ino;	 /* netns */
	uint32_t ifindex;	 /* xdp, tcx, netkit */
	uint32_t map_id;	 /* struct_ops, iter over a map */
	uint32_t nf_pf, nf_hooknum, nf_flags; /* netfilter */
	int32_t nf_priority;
};

struct bk_info_btf {
	uint32_t id;
	uint32_t size;		 /* bytes of raw BTF */
	char name[64];		 /* "vmlinux", a module name, or "" */
	bool kernel;		 /* vmlinux or a module's BTF */
};

/**
 * bk_info_next_id() - the first id of kind greater than start, in *next.
 * Returns 0, -ENOENT when there is none, or another negative errno.
 */
BK_API int bk_info_next_id(enum bk_obj_kind kind, uint32_t start, uint32_t *next);

/**
 * bk_info_fd_by_id() - an fd (O_CLOEXEC) for the object of kind with this id.
 * Returns the fd, or a negative errno (-ENOENT when it is gone).
 */
BK_API int bk_info_fd_by_id(enum bk_obj_kind kind, uint32_t id);

/* Called for each object by bk_info_foreach(); fd is closed after it returns.
 * Return 0 to go on; anything else stops the walk and is returned. */
typedef int (*bk_info_visit_fn)(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx);

/**
 * bk_info_foreach() - visit every object of kind, in increasing id order.
 * Objects that vanish while we walk are skipped. Returns 0 at the end, the
 * callback's non-zero value if it stopped the walk, or a negative errno.
 */
BK_API int bk_info_foreach(enum bk_obj_kind kind, bk_info_visit_fn fn, void *ctx);

/**
 * bk_info_prog() - information about the program behind fd. Returns 0 or a
 * negative errno: -EINVAL when fd is a bpf object of another kind (the
 * kernel would fill the struct regardless; /proc/self/fd tells the kind),
 * -EBADF for a bad fd. The same holds for the map, link and BTF variants.
 */
BK_API int bk_info_prog(int fd, struct bk_info_prog *out);

/**
 * bk_info_prog_xlated() - the program's translated instructions, as the
 * verifier rewrote them, into insns (room for cap). *count is the number the
 * program has, even when more than cap (then only cap are copied). Returns 0
 * or a negative errno (-EPERM when the kernel hides them).
 */
BK_API int bk_info_prog_xlated(int fd, struct bk_insn *insns, uint32_t cap, uint32_t *count);

/**
 * bk_info_map() - information about the map behind fd. Returns 0 or a
 * negative errno.
 */
BK_API int bk_info_map(int fd, struct bk_info_map *out);

/**
 * bk_info_link() - information about the link behind fd. Returns 0 or a
 * negative errno.
 */
BK_API int bk_info_link(int fd, struct bk_info_link *out);

/**
 * bk_info_btf() - information about the BTF object behind fd. Returns 0 or
 * a negative errno.
 */
BK_API int bk_info_btf(int fd, struct bk_info_btf *out);

/**
 * bk_info_btf_data() - the raw BTF of the BTF object behind fd, into buf
 * (room for size bytes; NULL and 0 to ask the size). *len is the object's
 * size even when larger than size (then nothing is copied: ask again with a
 * buffer that fits). Parse it with bk_btf_parse(). Returns 0 or a negative
 * errno.
 */
BK_API int bk_info_btf_data(int fd, void *buf, uint32_t size, uint32_t *len);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_INFO_H */
