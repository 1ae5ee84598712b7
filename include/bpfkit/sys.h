/* SPDX-License-Identifier: MIT */
/*
 * The kernel interface: bpf()'s attr layout as of Linux 6.18 and one thin
 * wrapper per command, named bk_sys_<command>. Each wrapper zeroes its attr,
 * passes exactly the size its command needs (offsetofend of the last field it
 * uses, so an older kernel that does not know a newer field is never handed
 * it), returns an fd or 0 on success and a negative errno on failure with
 * errno set. Every fd is close-on-exec and above 2. Extensible calls take an
 * opts struct whose first field is its size (use BK_OPTS()).
 */
#ifndef BPFKIT_SYS_H
#define BPFKIT_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/abi.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel's __aligned_u64: 8-byte aligned on every architecture. */
#define BK_U64 uint64_t __attribute__((aligned(8)))

/* ---- attr layouts, one struct per command group (union bpf_attr) ---- */

struct bk_attr_map_create {
	uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
	char map_name[BK_OBJ_NAME_LEN];
	uint32_t map_ifindex, btf_fd, btf_key_type_id, btf_value_type_id,
		btf_vmlinux_value_type_id;
	BK_U64 map_extra;
	int32_t value_type_btf_obj_fd, map_token_fd;
	BK_U64 excl_prog_hash;
	uint32_t excl_prog_hash_size;
};

struct bk_attr_map_elem {
	uint32_t map_fd;
	BK_U64 key;
	union {
		BK_U64 value;
		BK_U64 next_key;
	};
	BK_U64 flags;
};

struct bk_attr_map_batch {
	BK_U64 in_batch;
	BK_U64 out_batch;
	BK_U64 keys;
	BK_U64 values;
	uint32_t count, map_fd;
	BK_U64 elem_flags;
	BK_U64 flags;
};

struct bk_attr_prog_load {
	uint32_t prog_type, insn_cnt;
	BK_U64 insns;
	BK_U64 license;
	uint32_t log_level, log_size;
	BK_U64 log_buf;
	uint32_t kern_version, prog_flags;
	char prog_name[BK_OBJ_NAME_LEN];
	uint32_t prog_ifindex, expected_attach_type, prog_btf_fd, func_info_rec_size;
	BK_U64 func_info;
	uint32_t func_info_cnt, line_info_rec_size;
	BK_U64 line_info;
	uint32_t line_info_cnt, attach_btf_id;
	union {
		uint32_t attach_prog_fd;
		uint32_t attach_btf_obj_fd;
	};
	uint32_t core_relo_cnt;
	BK_U64 fd_array;
	BK_U64 core_relos;
	uint32_t core_relo_rec_size, log_true_size;
	int32_t prog_token_fd;
	uint32_t fd_array_cnt;
	BK_U64 signature;
	uint32_t signature_size;
	int32_t keyring_id;
};

struct bk_attr_obj {
	BK_U64 pathname;
	uint32_t bpf_fd, file_flags;
	int32_t path_fd;
};

struct bk_attr_prog_attach {
	union {
		uint32_t target_fd;
		uint32_t target_ifindex;
	};
	uint32_t attach_bpf_fd, attach_type, attach_flags, replace_bpf_fd;
	union {
		uint32_t relative_fd;
		uint32_t relative_id;
	};
	BK_U64 expected_revision;
};

struct bk_attr_test_run {
	uint32_t prog_fd, retval, data_size_in, data_size_out;
	BK_U64 data_in;
	BK_U64 data_out;
	uint32_t repeat, duration, ctx_size_in, ctx_size_out;
	BK_U64 ctx_in;
	BK_U64 ctx_out;
	uint32_t flags, cpu, batch_size;
};

struct bk_attr_get_id {
	union {
		uint32_t start_id, prog_id, map_id, btf_id, link_id;
	};
	uint32_t next_id, open_flags;
	int32_t fd_by_id_token_fd;
};

struct bk_attr_info {
	uint32_t bpf_fd, info_len;
	BK_U64 info;
};

struct bk_attr_query {
	union {
		uint32_t target_fd;
		uint32_t target_ifindex;
	};
	uint32_t attach_type, query_flags, attach_flags;
	BK_U64 prog_ids;
	union {
		uint32_t prog_cnt;
		uint32_t count;
	};
	BK_U64 prog_attach_flags;
	BK_U64 link_ids;
	BK_U64 link_attach_flags;
	BK_U64 revision;
};

struct bk_attr_raw_tp {
	BK_U64 name;
	uint32_t prog_fd;
	BK_U64 cookie;
};

struct bk_attr_btf_load {
	BK_U64 btf;
	BK_U64 btf_log_buf;
	uint32_t btf_size, btf_log_size, btf_log_level, btf_log_true_size, btf_flags;
	int32_t btf_token_fd;
};

struct bk_attr_task_fd_query {
	uint32_t pid, fd, flags, buf_len;
	BK_U64 buf;
	uint32_t prog_id, fd_type;
	BK_U64 probe_offset;
	BK_U64 probe_addr;
};

/* Ordering relative to another program or link (tcx, netkit, cgroup). */
struct bk_attr_relative {
	union {
		uint32_t relative_fd;
		uint32_t relative_id;
	};
	BK_U64 expected_revision;
};

struct bk_attr_link_create {
	union {
		uint32_t prog_fd;
		uint32_t map_fd;
	};
	union {
		uint32_t target_fd;
		uint32_t target_ifindex;
	};
	uint32_t attach_type, flags;
	union {
		uint32_t target_btf_id;
		struct {
			BK_U64 iter_info;
			uint32_t iter_info_len;
		};
		struct {
			BK_U64 bpf_cookie;
		} perf_event;
		struct {
			uint32_t flags, cnt;
			BK_U64 syms;
			BK_U64 addrs;
			BK_U64 cookies;
		} kprobe_multi;
		struct {
			uint32_t target_btf_id;
			BK_U64 cookie;
		} tracing;
		struct {
			uint32_t pf, hooknum;
			int32_t priority;
			uint32_t flags;
		} netfilter;
		struct bk_attr_relative tcx;
		struct {
			BK_U64 path;
			BK_U64 offsets;
			BK_U64 ref_ctr_offsets;
			BK_U64 cookies;
			uint32_t cnt, flags, pid;
		} uprobe_multi;
		struct bk_attr_relative netkit;
		struct bk_attr_relative cgroup;
	};
};

struct bk_attr_link_update {
	uint32_t link_fd;
	union {
		uint32_t new_prog_fd;
		uint32_t new_map_fd;
	};
	uint32_t flags;
	union {
		uint32_t old_prog_fd;
		uint32_t old_map_fd;
	};
};

struct bk_attr_prog_stream_read {
	BK_U64 stream_buf;
	uint32_t stream_buf_len, stream_id, prog_fd;
};

/* union bpf_attr: every command's layout, each under its own name. */
union bk_bpf_attr {
	struct bk_attr_map_create map_create;
	struct bk_attr_map_elem elem;
	struct bk_attr_map_batch batch;
	struct bk_attr_prog_load prog_load;
	struct bk_attr_obj obj;
	struct bk_attr_prog_attach attach;
	struct bk_attr_test_run test;
	struct bk_attr_get_id get_id;
	struct bk_attr_info info;
	struct bk_attr_query query;
	struct bk_attr_raw_tp raw_tp;
	struct bk_attr_btf_load btf_load;
	struct bk_attr_task_fd_query task_fd_query;
	struct bk_attr_link_create link_create;
	struct bk_attr_link_update link_update;
	struct {
		uint32_t link_fd;
	} link_detach;
	struct {
		uint32_t type;
	} enable_stats;
	struct {
		uint32_t link_fd, flags;
	} iter_create;
	struct {
		uint32_t prog_fd, map_fd, flags;
	} prog_bind_map;
	struct {
		uint32_t flags, bpffs_fd;
	} token_create;
	struct bk_attr_prog_stream_read prog_stream_read;
};

/* ---- info structs (obj_get_info_by_fd) ---- */

struct bk_prog_info {
	uint32_t type, id;
	uint8_t tag[BK_TAG_SIZE];
	uint32_t jited_prog_len, xlated_prog_len;
	BK_U64 jited_prog_insns;
	BK_U64 xlated_prog_insns;
	BK_U64 load_time; /* ns since boot */
	uint32_t created_by_uid, nr_map_ids;
	BK_U64 map_ids;
	char name[BK_OBJ_NAME_LEN];
	uint32_t ifindex;
	uint32_t gpl_compatible : 1;
	BK_U64 netns_dev;
	BK_U64 netns_ino;
	uint32_t nr_jited_ksyms, nr_jited_func_lens;
	BK_U64 jited_ksyms;
	BK_U64 jited_func_lens;
	uint32_t btf_id, func_info_rec_size;
	BK_U64 func_info;
	uint32_t nr_func_info, nr_line_info;
	BK_U64 line_info;
	BK_U64 jited_line_info;
	uint32_t nr_jited_line_info, line_info_rec_size, jited_line_info_rec_size, nr_prog_tags;
	BK_U64 prog_tags;
	BK_U64 run_time_ns;
	BK_U64 run_cnt;
	BK_U64 recursion_misses;
	uint32_t verified_insns, attach_btf_obj_id, attach_btf_id;
};

struct bk_map_info {
	uint32_t type, id, key_size, value_size, max_entries, map_flags;
	char name[BK_OBJ_NAME_LEN];
	uint32_t ifindex, btf_vmlinux_value_type_id;
	BK_U64 netns_dev;
	BK_U64 netns_ino;
	uint32_t btf_id, btf_key_type_id, btf_value_type_id, btf_vmlinux_id;
	BK_U64 map_extra;
	BK_U64 hash;
	uint32_t hash_size;
};

struct bk_btf_info {
	BK_U64 btf;
	uint32_t btf_size, id;
	BK_U64 name;
	uint32_t name_len, kernel_btf;
};

/* struct bpf_link_info: the common head and the per-type union as raw words;
 * bk_link_info_* accessors in link.h decode the types bpfkit uses. */
struct bk_link_info {
	uint32_t type, id, prog_id;
	union {
		struct {
			BK_U64 tp_name;
			uint32_t tp_name_len;
		} raw_tracepoint;
		struct {
			uint32_t attach_type, target_obj_id, target_btf_id;
		} tracing;
		struct {
			BK_U64 cgroup_id;
			uint32_t attach_type;
		} cgroup;
		struct {
			uint32_t netns_ino, attach_type;
		} netns;
		struct {
			uint32_t ifindex;
		} xdp;
		struct {
			uint32_t ifindex, attach_type;
		} tcx;
		struct {
			BK_U64 target_name;
			uint32_t target_name_len;
		} iter;
		uint64_t raw[8];
	};
};

/* ---- the raw call ---- */

/**
 * bk_sys_bpf() - call bpf(cmd, attr, size) directly.
 * Returns the kernel's result, or -errno with errno set. An fd result is
 * moved above 2 (so it never stands in for stdin/stdout/stderr) and is
 * close-on-exec. EAGAIN from BK_CMD_PROG_LOAD is retried a few times (the
 * kernel returns it transiently under memory pressure).
 */
BK_API long bk_sys_bpf(int cmd, union bk_bpf_attr *attr, unsigned int size);

/* ---- maps ---- */

/* Options of bk_sys_map_create(): the map's shape and flags. */
struct bk_map_create_opts {
	size_t sz;
	uint32_t map_type, key_size, value_size, max_entries, map_flags;
	int inner_map_fd;	  /* map-in-map template, 0 if none */
	uint32_t numa_node;	  /* with BK_F_NUMA_NODE */
	const char *map_name;	  /* up to 15 characters */
	uint32_t map_ifindex;	  /* offload target, 0 if none */
	int btf_fd;		  /* 0 if none */
	uint32_t btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
	uint64_t map_extra;	  /* bloom filter hashes, arena address... */
	int value_type_btf_obj_fd; /* with BK_F_VTYPE_BTF_OBJ_FD */
	int map_token_fd;	  /* with BK_F_TOKEN_FD */
};

/**
 * bk_sys_map_create() - BPF_MAP_CREATE.
 * Returns the new map's fd or a negative errno.
 */
BK_API int bk_sys_map_create(const struct bk_map_create_opts *opts);

/** bk_sys_map_lookup_elem() - BPF_MAP_LOOKUP_ELEM: copy the value of key into value. */
BK_API int bk_sys_map_lookup_elem(int fd, const void *key, void *value, uint64_t flags);

/** bk_sys_map_update_elem() - BPF_MAP_UPDATE_ELEM with BK_ANY/BK_NOEXIST/BK_EXIST/BK_F_LOCK. */
BK_API int bk_sys_map_update_elem(int fd, const void *key, const void *value, uint64_t flags);

/** bk_sys_map_delete_elem() - BPF_MAP_DELETE_ELEM. */
BK_API int bk_sys_map_delete_elem(int fd, const void *key);

/**
 * bk_sys_map_get_next_key() - BPF_MAP_GET_NEXT_KEY: the key after key (the
 * first key when key is NULL) into next_key; -ENOENT after the last key.
 */
BK_API int bk_sys_map_get_next_key(int fd, const void *key, void *next_key);

/** bk_sys_map_lookup_and_delete_elem() - BPF_MAP_LOOKUP_AND_DELETE_ELEM (also queue/stack pop). */
BK_API int bk_sys_map_lookup_and_delete_elem(int fd, const void *key, void *value,
					     uint64_t flags);

/** bk_sys_map_freeze() - BPF_MAP_FREEZE: make the map read-only for user space. */
BK_API int bk_sys_map_freeze(int fd);

/* Options of the batch commands. */
struct bk_batch_opts {
	size_t sz;
	uint64_t elem_flags; /* per element: BK_ANY, BK_F_LOCK... */
	uint64_t flags;
};

/**
 * bk_sys_map_lookup_batch() - BPF_MAP_LOOKUP_BATCH.
 * in_batch is NULL for the first call, then the previous out_batch (a token
 * of key_size bytes, or 4 bytes for hash maps, sized by the caller to the
 * larger of the two). *count is in: room in keys/values, out: entries
 * copied. Returns 0, or -ENOENT when the map has no more entries (*count is
 * still valid then).
 */
BK_API int bk_sys_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys,
				   void *values, uint32_t *count, const struct bk_batch_opts *opts);

/** bk_sys_map_lookup_and_delete_batch() - BPF_MAP_LOOKUP_AND_DELETE_BATCH, as lookup_batch. */
BK_API int bk_sys_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch,
					      void *keys, void *values, uint32_t *count,
					      const struct bk_batch_opts *opts);

/** bk_sys_map_update_batch() - BPF_MAP_UPDATE_BATCH: *count entries in, updated count out. */
BK_API int bk_sys_map_update_batch(int fd, const void *keys, const void *values,
				   uint32_t *count, const struct bk_batch_opts *opts);

/** bk_sys_map_delete_batch() - BPF_MAP_DELETE_BATCH: *count keys in, deleted count out. */
BK_API int bk_sys_map_delete_batch(int fd, const void *keys, uint32_t *count,
				   const struct bk_batch_opts *opts);

/* ---- programs ---- */

/*
 * A verifier log managed by the library: it grows until the whole log fits
 * (sized from the kernel's log_true_size), so the text is complete, and a
 * successful load's log is kept too. Release with bk_vlog_free().
 */
struct bk_vlog {
	uint32_t level; /* BK_VLOG_LEVEL1 | BK_VLOG_LEVEL2 | BK_VLOG_STATS */
	char *text;	/* NUL-terminated log, NULL before the first load */
	size_t len;	/* strlen(text) */
	size_t cap;	/* bytes allocated */
};

/** bk_vlog_free() - release a managed log's buffer (the struct itself is the caller's). */
BK_API void bk_vlog_free(struct bk_vlog *log);

/*
 * What a verifier log says went wrong, read from the log's structure rather
 * than its English: the verifier prints each instruction it walks as
 * "N: (op) text", register states as "N: R..." and "from N to M: ...", and
 * ends with a "processed N insns" summary; its complaint is the text between
 * the last instruction it reached and that summary.
 */
struct bk_vlog_verdict {
	int32_t insn;	    /* instruction the complaint is about, -1 when none */
	const char *msg;    /* the complaint's first line, inside the log (not NUL-terminated) */
	size_t msg_len;	    /* bytes of msg up to the end of the complaint's last line */
	uint32_t lines;	    /* lines the complaint spans */
	uint32_t processed; /* from "processed N insns", 0 when absent */
};

/**
 * bk_vlog_verdict() - find the verifier's complaint in log (len bytes, NUL
 * not required). The instruction is the last one the verifier printed, or,
 * for complaints made before it walks the program ("back-edge from insn 4 to
 * 2", "unreachable insn 3"), the first "insn N" the complaint names. Returns
 * 0, or -ENOENT when the log holds no complaint (a successful load's log).
 */
BK_API int bk_vlog_verdict(const char *log, size_t len, struct bk_vlog_verdict *out);

/* Options of bk_sys_prog_load(). */
struct bk_prog_load_opts {
	size_t sz;
	uint32_t prog_type;
	const struct bk_insn *insns;
	size_t insn_cnt;
	const char *license;	    /* default "GPL" */
	const char *prog_name;	    /* up to 15 characters */
	uint32_t expected_attach_type;
	uint32_t prog_flags;
	uint32_t kern_version;
	uint32_t prog_ifindex;
	int prog_btf_fd;
	const void *func_info;
	uint32_t func_info_rec_size, func_info_cnt;
	const void *line_info;
	uint32_t line_info_rec_size, line_info_cnt;
	uint32_t attach_btf_id;
	int attach_prog_fd;	    /* or attach_btf_obj_fd */
	const int *fd_array;
	uint32_t fd_array_cnt;
	int prog_token_fd;
	/* Verifier log: either a caller buffer ... */
	char *log_buf;
	uint32_t log_size;
	uint32_t log_level;
	/* ... or a library-managed one (takes precedence when set). */
	struct bk_vlog *vlog;
	/* out: the size the full log needed (kernel 6.4+), 0 if unknown. */
	uint32_t log_true_size;
};

/**
 * bk_sys_prog_load() - BPF_PROG_LOAD, with a verifier log that never lies.
 * Returns the program fd or a negative errno (-EACCES: the verifier rejected
 * it; see the log). A log buffer that is too small never turns a successful
 * load into a failure, and never hides the real error behind -ENOSPC: the
 * load is retried (with a grown managed log, or without the caller's log).
 */
BK_API int bk_sys_prog_load(struct bk_prog_load_opts *opts);

/* Options of bk_sys_prog_test_run(): inputs, and outputs filled on return. */
struct bk_test_run_opts {
	size_t sz;
	const void *data_in;
	uint32_t data_size_in;
	void *data_out;
	uint32_t data_size_out; /* in: room in data_out; out: bytes written */
	const void *ctx_in;
	uint32_t ctx_size_in;
	void *ctx_out;
	uint32_t ctx_size_out;	/* in: room; out: bytes written */
	uint32_t repeat;
	uint32_t flags;		/* BK_F_TEST_RUN_ON_CPU, BK_F_TEST_XDP_LIVE_FRAMES */
	uint32_t cpu;
	uint32_t batch_size;
	uint32_t retval;	/* out: the program's return value (32 bits) */
	uint32_t duration;	/* out: average ns per run */
};

/** bk_sys_prog_test_run() - BPF_PROG_TEST_RUN (BPF_PROG_RUN). Returns 0 or -errno. */
BK_API int bk_sys_prog_test_run(int prog_fd, struct bk_test_run_opts *opts);

/* Options of bk_sys_prog_attach() / bk_sys_prog_detach(). */
struct bk_prog_attach_opts {
	size_t sz;
	uint32_t flags;	      /* BK_F_ALLOW_MULTI, BK_F_REPLACE, BK_F_BEFORE... */
	int replace_prog_fd;  /* with BK_F_REPLACE */
	uint32_t relative_fd; /* or relative_id with BK_F_ID */
	uint64_t expected_revision;
};

/** bk_sys_prog_attach() - BPF_PROG_ATTACH of prog_fd to target (cgroup fd, ifindex...). */
BK_API int bk_sys_prog_attach(int prog_fd, int target, uint32_t attach_type,
			      const struct bk_prog_attach_opts *opts);

/** bk_sys_prog_detach() - BPF_PROG_DETACH (prog_fd 0 detaches whatever is attached). */
BK_API int bk_sys_prog_detach(int prog_fd, int target, uint32_t attach_type,
			      const struct bk_prog_attach_opts *opts);

/* Options and results of bk_sys_prog_query(). */
struct bk_prog_query_opts {
	size_t sz;
	uint32_t query_flags;	     /* BK_F_QUERY_EFFECTIVE */
	uint32_t attach_flags;	     /* out */
	uint32_t *prog_ids;	     /* out, room for count */
	uint32_t *prog_attach_flags; /* out, optional */
	uint32_t *link_ids;	     /* out, optional */
	uint32_t *link_attach_flags; /* out, optional */
	uint32_t count;		     /* in: room; out: how many are attached */
	uint64_t revision;	     /* out */
};

/** bk_sys_prog_query() - BPF_PROG_QUERY: programs attached to target at attach_type. */
BK_API int bk_sys_prog_query(int target, uint32_t attach_type, struct bk_prog_query_opts *opts);

/** bk_sys_prog_bind_map() - BPF_PROG_BIND_MAP: keep map alive as long as prog. */
BK_API int bk_sys_prog_bind_map(int prog_fd, int map_fd, uint32_t flags);

/**
 * bk_sys_prog_stream_read() - BPF_PROG_STREAM_READ_BY_FD (Linux 6.17): read a
 * program's stdout (stream 1) or stderr (2) into buf. Returns bytes read.
 */
BK_API int bk_sys_prog_stream_read(int prog_fd, uint32_t stream_id, void *buf, uint32_t len);

/* ---- objects: pin, ids, info ---- */

/* Options of bk_sys_obj_pin() / bk_sys_obj_get(). */
struct bk_obj_opts {
	size_t sz;
	uint32_t file_flags; /* obj_get: BK_F_RDONLY / BK_F_WRONLY; BK_F_PATH_FD */
	int path_fd;	     /* with BK_F_PATH_FD: path is relative to it */
};

/** bk_sys_obj_pin() - BPF_OBJ_PIN: pin fd at path on a bpffs. */
BK_API int bk_sys_obj_pin(int fd, const char *path, const struct bk_obj_opts *opts);

/** bk_sys_obj_get() - BPF_OBJ_GET: open the object pinned at path; returns its fd. */
BK_API int bk_sys_obj_get(const char *path, const struct bk_obj_opts *opts);

/** bk_sys_prog_get_next_id() - BPF_PROG_GET_NEXT_ID: the id after start (0: first); -ENOENT at the end. */
BK_API int bk_sys_prog_get_next_id(uint32_t start, uint32_t *next);
/** bk_sys_map_get_next_id() - BPF_MAP_GET_NEXT_ID, as bk_sys_prog_get_next_id(). */
BK_API int bk_sys_map_get_next_id(uint32_t start, uint32_t *next);
/** bk_sys_btf_get_next_id() - BPF_BTF_GET_NEXT_ID, as bk_sys_prog_get_next_id(). */
BK_API int bk_sys_btf_get_next_id(uint32_t start, uint32_t *next);
/** bk_sys_link_get_next_id() - BPF_LINK_GET_NEXT_ID, as bk_sys_prog_get_next_id(). */
BK_API int bk_sys_link_get_next_id(uint32_t start, uint32_t *next);

/** bk_sys_prog_get_fd_by_id() - BPF_PROG_GET_FD_BY_ID: an fd for a loaded program. */
BK_API int bk_sys_prog_get_fd_by_id(uint32_t id);
/** bk_sys_map_get_fd_by_id() - BPF_MAP_GET_FD_BY_ID; open_flags BK_F_RDONLY/BK_F_WRONLY or 0. */
BK_API int bk_sys_map_get_fd_by_id(uint32_t id, uint32_t open_flags);
/** bk_sys_btf_get_fd_by_id() - BPF_BTF_GET_FD_BY_ID. */
BK_API int bk_sys_btf_get_fd_by_id(uint32_t id);
/** bk_sys_link_get_fd_by_id() - BPF_LINK_GET_FD_BY_ID. */
BK_API int bk_sys_link_get_fd_by_id(uint32_t id);

/**
 * bk_sys_obj_get_info_by_fd() - BPF_OBJ_GET_INFO_BY_FD.
 * info is a struct bk_prog_info / bk_map_info / bk_btf_info / bk_link_info;
 * *info_len is in: its size, out: the size the kernel filled.
 */
BK_API int bk_sys_obj_get_info_by_fd(int fd, void *info, uint32_t *info_len);

/* ---- BTF, tracing, links, misc ---- */

/* Options of bk_sys_btf_load(). */
struct bk_btf_load_opts {
	size_t sz;
	char *log_buf;
	uint32_t log_size, log_level;
	uint32_t log_true_size; /* out */
	uint32_t btf_flags;
	int btf_token_fd;
};

/** bk_sys_btf_load() - BPF_BTF_LOAD of a raw BTF blob; returns the BTF object's fd. */
BK_API int bk_sys_btf_load(const void *btf, uint32_t size, struct bk_btf_load_opts *opts);

/**
 * bk_sys_raw_tracepoint_open() - BPF_RAW_TRACEPOINT_OPEN: attach prog_fd to
 * the raw tracepoint name (NULL for tracing programs with attach_btf_id);
 * returns a link fd. cookie is the bpf_get_attach_cookie() value (6.10+).
 */
BK_API int bk_sys_raw_tracepoint_open(const char *name, int prog_fd, uint64_t cookie);

/* Results of bk_sys_task_fd_query(). */
struct bk_task_fd_query {
	char *buf;	       /* in: room for the name; out: NUL-terminated */
	uint32_t buf_len;      /* in: room; out: length of the name */
	uint32_t prog_id;      /* out */
	uint32_t fd_type;      /* out: BPF_FD_TYPE_* */
	uint64_t probe_offset; /* out */
	uint64_t probe_addr;   /* out */
};

/** bk_sys_task_fd_query() - BPF_TASK_FD_QUERY: what program the fd of task pid runs. */
BK_API int bk_sys_task_fd_query(int pid, int fd, struct bk_task_fd_query *q);

/* Options of bk_sys_link_create(): the per-link-type part. */
struct bk_link_create_opts {
	size_t sz;
	uint32_t flags;
	uint32_t target_btf_id;		 /* tracing/lsm */
	const void *iter_info;		 /* iterators */
	uint32_t iter_info_len;
	uint64_t bpf_cookie;		 /* perf_event / tracing */
	uint32_t relative_fd;		 /* tcx/netkit/cgroup ordering; id with BK_F_ID */
	uint64_t expected_revision;	 /* tcx/netkit/cgroup */
	uint32_t nf_pf, nf_hooknum, nf_flags; /* netfilter */
	int32_t nf_priority;
};

/**
 * bk_sys_link_create() - BPF_LINK_CREATE: attach prog_fd to target (ifindex,
 * cgroup fd, perf event fd, 0...) at attach_type; returns the link fd.
 */
BK_API int bk_sys_link_create(int prog_fd, int target, uint32_t attach_type,
			      const struct bk_link_create_opts *opts);

/**
 * bk_sys_link_update() - BPF_LINK_UPDATE: make link run new_prog_fd; with
 * BK_F_REPLACE in flags only if it currently runs old_prog_fd.
 */
BK_API int bk_sys_link_update(int link_fd, int new_prog_fd, uint32_t flags, int old_prog_fd);

/** bk_sys_link_detach() - BPF_LINK_DETACH: detach the link; its fd stays valid. */
BK_API int bk_sys_link_detach(int link_fd);

/** bk_sys_enable_stats() - BPF_ENABLE_STATS: stats are on while the returned fd is open. */
BK_API int bk_sys_enable_stats(uint32_t type);

/** bk_sys_iter_create() - BPF_ITER_CREATE: a readable fd producing an iterator link's output. */
BK_API int bk_sys_iter_create(int link_fd);

/** bk_sys_token_create() - BPF_TOKEN_CREATE from a bpffs mount fd with delegation options. */
BK_API int bk_sys_token_create(int bpffs_fd, uint32_t flags);

/* ---- errors ---- */

/**
 * bk_strerror() - what errno err (positive or negative) means for command cmd.
 * Says it in the command's terms where the kernel gives the errno a specific
 * meaning (BPF_MAP_UPDATE_ELEM + E2BIG: the map is full; BPF_PROG_LOAD +
 * EACCES: the verifier rejected the program), else the generic meaning.
 * Never NULL; the string is static.
 */
BK_API const char *bk_strerror(int cmd, int err);

/**
 * bk_errname() - the symbolic name of an errno ("EACCES"), or "E?" if unknown.
 */
BK_API const char *bk_errname(int err);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_SYS_H */
