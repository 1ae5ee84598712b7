/* SPDX-License-Identifier: MIT */
/*
 * ELF objects as clang -target bpf writes them, loaded with libbpf 1.x's
 * conventions (SEC() names, BTF-defined and legacy maps, global data maps
 * named as libbpf names them, externs, subprograms, CO-RE) and no libelf.
 *
 * Life cycle: open (parse, nothing touches the kernel) -> inspect and adjust
 * programs and maps -> bk_object_load() (maps created, programs relocated
 * and loaded) -> each program is a struct bk_prog and each map a struct
 * bk_map of the objects layer -> bk_object_close().
 */
#ifndef BPFKIT_OBJECT_H
#define BPFKIT_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/abi.h>
#include <bpfkit/common.h>
#include <bpfkit/insn.h>
#include <bpfkit/link.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bk_object;
struct bk_object_prog; /* a program of an object, before and after load */
struct bk_object_map;  /* a map of an object (including global data), before and after load */

/* Called by bk_object_load() after each program it loads (done of total). */
typedef void (*bk_object_progress_fn)(void *ctx, size_t done, size_t total);

/* Options of bk_object_open_file() and bk_object_open_mem(). */
struct bk_object_opts {
	size_t sz;
	const char *name;	    /* object name (map name prefix); default: file name up to its first '.' */
	const char *btf_custom_path; /* target BTF for CO-RE instead of /sys/kernel/btf/vmlinux */
	const char *kconfig;	    /* "CONFIG_X=y\n..." lines used instead of the kernel's config */
	const char *pin_root_path;  /* maps with pinning = LIBBPF_PIN_BY_NAME; default /sys/fs/bpf */
	struct bk_diag *diag;	    /* out (optional): why open, load or attach failed; kept, so it must outlive the object */
	struct bk_vlog *log;	    /* out (optional): the verifier log of a failed program */
	bk_object_progress_fn progress; /* optional: a long load reports its programs */
	void *progress_ctx;
};
#define bk_object_opts__last_field progress_ctx

/**
 * bk_object_open_file() - read and parse the ELF object at path. Nothing is
 * created in the kernel yet. NULL with errno set on failure: ENOEXEC (not a
 * BPF ELF object), EINVAL (malformed: opts->diag says which section and
 * why), EOPNOTSUPP (a feature bpfkit does not handle, named in diag).
 */
BK_API struct bk_object *bk_object_open_file(const char *path, const struct bk_object_opts *opts);

/** bk_object_open_mem() - as bk_object_open_file() on size bytes (copied). */
BK_API struct bk_object *bk_object_open_mem(const void *data, size_t size,
					    const struct bk_object_opts *opts);

/**
 * bk_object_load() - create the maps (or reuse the fds given), apply
 * relocations (maps, global data, externs, subprograms, CO-RE), load the
 * object's BTF, then load every program whose autoload is on. Returns 0 or
 * -errno; on a verifier rejection the open options' diag names the program
 * and, when the object has line info, the C source line:
 * "prog.bpf.c:42:9: verifier: R1 invalid mem access 'scalar'".
 */
BK_API int bk_object_load(struct bk_object *obj);

/** bk_object_close() - close every program, map and link fd of the object and free it. */
BK_API void bk_object_close(struct bk_object *obj);

/** bk_object_name() - the object's name (map name prefix). */
BK_API const char *bk_object_name(const struct bk_object *obj);
/** bk_object_license() - the license string of the "license" section ("" if none). */
BK_API const char *bk_object_license(const struct bk_object *obj);
/** bk_object_btf() - the object's own BTF (parsed .BTF), NULL when it has none. */
BK_API const struct bk_btf *bk_object_btf(const struct bk_object *obj);

/* ---- programs ------------------------------------------------------------ */

/** bk_object_prog_count() - the number of programs (entry points, not subprograms). */
BK_API size_t bk_object_prog_count(const struct bk_object *obj);
/** bk_object_prog_at() - the i-th program in section then offset order, NULL past the end. */
BK_API struct bk_object_prog *bk_object_prog_at(const struct bk_object *obj, size_t i);
/** bk_object_prog_by_name() - the program whose function is named name, or NULL (errno ENOENT). */
BK_API struct bk_object_prog *bk_object_prog_by_name(const struct bk_object *obj,
						     const char *name);
/** bk_object_prog_name() - the ELF symbol name of the program's function. */
BK_API const char *bk_object_prog_name(const struct bk_object_prog *p);
/** bk_object_prog_section() - the ELF section it came from ("xdp", "tp/syscalls/..."). */
BK_API const char *bk_object_prog_section(const struct bk_object_prog *p);
/** bk_object_prog_type() - the program type (from its section, or as set). */
BK_API enum bk_prog_type bk_object_prog_type(const struct bk_object_prog *p);
/** bk_object_prog_expected_attach_type() - the expected attach type it loads with. */
BK_API uint32_t bk_object_prog_expected_attach_type(const struct bk_object_prog *p);
/** bk_object_prog_flags() - BK_F_SLEEPABLE, BK_F_XDP_HAS_FRAGS... from its section. */
BK_API uint32_t bk_object_prog_flags(const struct bk_object_prog *p);
/**
 * bk_object_prog_insns() - the program's instructions: before load as in
 * the ELF section (*count of them), after load as loaded (entry function,
 * then the subprograms it calls, all relocations applied).
 */
BK_API const struct bk_insn *bk_object_prog_insns(const struct bk_object_prog *p, size_t *count);
/** bk_object_prog_autoload() - whether bk_object_load() loads it (default: yes). */
BK_API bool bk_object_prog_autoload(const struct bk_object_prog *p);

/** bk_object_prog_set_autoload() - load it or not. -EBUSY after load. */
BK_API int bk_object_prog_set_autoload(struct bk_object_prog *p, bool autoload);
/** bk_object_prog_set_type() - change the program type. -EBUSY after load. */
BK_API int bk_object_prog_set_type(struct bk_object_prog *p, enum bk_prog_type type);
/** bk_object_prog_set_expected_attach_type() - change it. -EBUSY after load. */
BK_API int bk_object_prog_set_expected_attach_type(struct bk_object_prog *p, uint32_t type);
/**
 * bk_object_prog_set_attach_target() - for tracing, lsm, iterator and
 * extension programs: the function (or program fd, when target_fd > 0)
 * to attach to, replacing what the section names. -EBUSY after load.
 */
BK_API int bk_object_prog_set_attach_target(struct bk_object_prog *p, int target_fd,
					    const char *name);

/** bk_object_prog_prog() - the loaded program (owned by the object), NULL before load. */
BK_API struct bk_prog *bk_object_prog_prog(const struct bk_object_prog *p);

/* ---- maps ---------------------------------------------------------------- */

/* libbpf's pinning values for BTF-defined maps. */
#define BK_PIN_NONE 0
#define BK_PIN_BY_NAME 1

/* What a map of an object is (before load as defined, after load as created). */
struct bk_object_map_def {
	uint32_t type;	      /* enum bk_map_type */
	uint32_t key_size, value_size, max_entries, map_flags;
	uint32_t numa_node;
	uint64_t map_extra;
	uint32_t pinning;     /* BK_PIN_* */
	uint32_t btf_key_type_id, btf_value_type_id;
};

/** bk_object_map_count() - maps of the object, global data maps included. */
BK_API size_t bk_object_map_count(const struct bk_object *obj);
/** bk_object_map_at() - the i-th map (.maps, then legacy maps, then data), NULL past the end. */
BK_API struct bk_object_map *bk_object_map_at(const struct bk_object *obj, size_t i);
/**
 * bk_object_map_by_name() - the map whose name (the variable name, or the
 * data section name such as ".bss", or the kernel name "minimal.bss") is name.
 */
BK_API struct bk_object_map *bk_object_map_by_name(const struct bk_object *obj,
						   const char *name);
/** bk_object_map_name() - the name of the map's variable or data section ("counts", ".bss"). */
BK_API const char *bk_object_map_name(const struct bk_object_map *m);
/** bk_object_map_kernel_name() - the name it gets in the kernel ("minimal.bss", "counts"). */
BK_API const char *bk_object_map_kernel_name(const struct bk_object_map *m);
/** bk_object_map_def() - its definition into *out. */
BK_API void bk_object_map_def(const struct bk_object_map *m, struct bk_object_map_def *out);
/** bk_object_map_is_data() - true for the maps of .data, .rodata, .bss and .kconfig. */
BK_API bool bk_object_map_is_data(const struct bk_object_map *m);

/** bk_object_map_set_max_entries() - change it before load; -EBUSY after, -EINVAL for 0. */
BK_API int bk_object_map_set_max_entries(struct bk_object_map *m, uint32_t n);
/** bk_object_map_set_value_size() - change it before load (not for data maps: -EINVAL). */
BK_API int bk_object_map_set_value_size(struct bk_object_map *m, uint32_t size);
/** bk_object_map_set_flags() - change map_flags before load. */
BK_API int bk_object_map_set_flags(struct bk_object_map *m, uint32_t flags);
/**
 * bk_object_map_set_initial_value() - the value written at key 0 when the
 * map is created (global data maps: the section image). size must equal the
 * value size (-EINVAL otherwise); -EBUSY after load.
 */
BK_API int bk_object_map_set_initial_value(struct bk_object_map *m, const void *data,
					   size_t size);
/**
 * bk_object_map_data() - the memory of a global data map: before load its
 * initial image (writable: changes are what the program starts with); after
 * load the live mmap'd value of .data and .bss (shared with the programs)
 * and the frozen, read-only mapping of .rodata, mapped at the first call
 * after load and kept until the object is closed. *size gets its size. NULL
 * with errno EINVAL for maps that are not data maps, ENODATA for one the
 * kernel cannot map (no global variable in it), or the mmap's errno.
 */
BK_API void *bk_object_map_data(struct bk_object_map *m, size_t *size);
/**
 * bk_object_map_reuse_fd() - use this existing map instead of creating one
 * (its shape must match the definition, checked at load). The fd is
 * duplicated. 0 or -errno.
 */
BK_API int bk_object_map_reuse_fd(struct bk_object_map *m, int fd);
/** bk_object_map_set_pin_path() - pin at load (reusing a compatible pinned map). */
BK_API int bk_object_map_set_pin_path(struct bk_object_map *m, const char *path);
/** bk_object_map_map() - the created map (owned by the object), NULL before load. */
BK_API struct bk_map *bk_object_map_map(const struct bk_object_map *m);

/* What an object holds, for listings (bpfkit object show). */
struct bk_object_stats {
	size_t sections;	 /* ELF sections */
	size_t code_sections;	 /* sections of instructions */
	size_t subprograms;	 /* functions of .text, placed after the programs that call them */
	size_t relocations;	 /* relocation entries against code sections */
	size_t core_relocations; /* CO-RE records in .BTF.ext */
	bool btf, btf_ext;	 /* .BTF and .BTF.ext present */
};

/** bk_object_stats() - counts of what the object holds into *out. */
BK_API void bk_object_stats(const struct bk_object *obj, struct bk_object_stats *out);

/* ---- externs and diagnostics --------------------------------------------- */

/** bk_object_extern_count() - externs (.kconfig and .ksyms) the object declares. */
BK_API size_t bk_object_extern_count(const struct bk_object *obj);
/**
 * bk_object_extern_at() - name and kind ("kconfig", "ksym", "kfunc") of
 * the i-th extern, and whether it is __weak. 0 or -ENOENT.
 */
BK_API int bk_object_extern_at(const struct bk_object *obj, size_t i, const char **name,
			       const char **kind, bool *weak);

/* ---- attach --------------------------------------------------------------- */

/* Where bk_object_attach() attaches the programs whose sections need a place. */
struct bk_object_attach_opts {
	size_t sz;
	uint32_t ifindex;   /* xdp, tc, tcx */
	int cgroup_fd;	    /* cgroup hooks */
	int sock_fd;	    /* socket filters */
	int netns_fd;	    /* sk_lookup (0: the caller's namespace) */
	uint32_t xdp_flags; /* BK_XDP_FLAGS_* */
};
#define bk_object_attach_opts__last_field xdp_flags

/**
 * bk_object_prog_attach() - attach one loaded program as its section says
 * (tracepoint, raw tracepoint, tp_btf, fentry/fexit/fmod_ret/lsm, iterator,
 * XDP, tc/tcx, cgroup hooks, socket filter, sk_lookup). NULL with errno and
 * the object's diag saying what is missing (an interface, a cgroup, a
 * section without a target, a hook this kernel lacks).
 */
BK_API struct bk_link *bk_object_prog_attach(struct bk_object_prog *p,
					     const struct bk_object_attach_opts *opts);

/**
 * bk_object_attach() - attach every loaded program whose section says how
 * (those that need a place this opts does not give are skipped, as libbpf's
 * skeleton does). The links belong to the object (closed with it). Returns
 * the number attached or -errno.
 */
BK_API int bk_object_attach(struct bk_object *obj, const struct bk_object_attach_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_OBJECT_H */
