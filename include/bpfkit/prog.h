/* SPDX-License-Identifier: MIT */
/*
 * Programs as objects: an opaque struct bk_prog over a program fd that
 * remembers what it is (type, name, id, tag, expected attach type), loaded
 * from instructions or from assembler text, with the verifier's log kept and
 * its complaint pointed back at the instruction (and the source line) it is
 * about. Test runs, introspection (info, translated instructions through the
 * disassembler), pinning and opening by id or pin complete it.
 *
 * Attaching a program to a hook is link.h's job; tail calls go through a
 * prog array (bk_map_set_prog() in map.h).
 */
#ifndef BPFKIT_PROG_H
#define BPFKIT_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/abi.h>
#include <bpfkit/asm.h>
#include <bpfkit/common.h>
#include <bpfkit/disasm.h>
#include <bpfkit/info.h>
#include <bpfkit/insn.h>
#include <bpfkit/isa.h>
#include <bpfkit/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bk_map;

/* An opaque loaded program: one fd plus what the program is. */
struct bk_prog;

/* Options of bk_prog_load() and bk_prog_load_text(). */
struct bk_prog_opts {
	size_t sz;
	const char *name;		  /* up to 15 characters, longer names are cut */
	const char *license;		  /* default "GPL" */
	uint32_t expected_attach_type;	  /* BK_ATTACH_CGROUP_INET_INGRESS... */
	uint32_t prog_flags;		  /* BK_F_SLEEPABLE, BK_F_XDP_HAS_FRAGS... */
	uint32_t attach_btf_id;		  /* tracing, lsm, iterators: the target's BTF id */
	int attach_btf_obj_fd;		  /* module BTF holding attach_btf_id, 0: vmlinux */
	uint32_t ifindex;		  /* offload device, 0 if none */
	int token_fd;			  /* BPF token (with BK_F_TOKEN_FD in prog_flags) */
	uint32_t log_level;		  /* verifier log level on success, 0: log only failures */
	enum bk_dialect dialect;	  /* text programs: AUTO detects */
	struct bk_vlog *log;		  /* out (optional): the verifier's whole log */
	struct bk_diag *diag;		  /* out (optional): why a load failed, see below */
	/* Text programs (bk_prog_load_text): maps by name, and the file name. */
	struct bk_map *const *maps;	  /* map[NAME] resolves to the map of that name */
	size_t nmaps;
	bk_asm_map_fn map_fd;		  /* or a resolver of one's own (tried after maps) */
	void *map_ctx;
	const char *file;		  /* name in diagnostics, default "<input>" */
	/* BTF that describes the program (what an ELF object's .BTF.ext carries). */
	int prog_btf_fd;		  /* loaded BTF the records below refer to, 0 if none */
	const void *func_info;		  /* func_info_cnt records of func_info_rec_size bytes */
	uint32_t func_info_rec_size, func_info_cnt;
	const void *line_info;		  /* line_info_cnt records of line_info_rec_size bytes */
	uint32_t line_info_rec_size, line_info_cnt;
	const int *fd_array;		  /* module BTF fds that kfunc calls index by `off` */
	uint32_t fd_array_cnt;
	uint32_t kern_version;		  /* LINUX_VERSION_CODE for old kprobe checks, else 0 */
};
#define bk_prog_opts__last_field kern_version

/**
 * bk_prog_load() - load n instructions as a program of type.
 * On failure returns NULL with errno set (EACCES: the verifier rejected the
 * program, EINVAL: the kernel refused the request itself, EPERM...); when
 * opts->diag is given it then holds the verifier's complaint (its last
 * sentence) and the index of the instruction it is about, and opts->log the
 * whole log. Instructions are checked by bk_insn_validate() first, so a
 * malformed encoding is reported by index before the kernel sees it.
 */
BK_API struct bk_prog *bk_prog_load(enum bk_prog_type type, const struct bk_insn *insns, size_t n,
				    const struct bk_prog_opts *opts);

/**
 * bk_prog_load_text() - assemble text (len bytes) and load it as a program.
 * map[NAME] operands are resolved against opts->maps by their names, then
 * through opts->map_fd. Assembler errors and verifier rejections both land
 * in opts->diag as file:line:col, the verifier's sentence naming the source
 * line of the instruction it stopped at. NULL with errno set on failure.
 */
BK_API struct bk_prog *bk_prog_load_text(enum bk_prog_type type, const char *text, size_t len,
					 const struct bk_prog_opts *opts);

/**
 * bk_prog_from_fd() - a program object for an existing program fd (dup'ed
 * close-on-exec; the caller keeps fd). NULL with errno set (EINVAL when fd
 * is not a program).
 */
BK_API struct bk_prog *bk_prog_from_fd(int fd);

/** bk_prog_from_id() - the loaded program with this id; NULL, errno ENOENT when none. */
BK_API struct bk_prog *bk_prog_from_id(uint32_t id);

/** bk_prog_open_pinned() - the program pinned at path; NULL with errno set. */
BK_API struct bk_prog *bk_prog_open_pinned(const char *path);

/**
 * bk_prog_pin() - pin the program at path on a bpffs so it outlives the
 * process. Returns 0 or -errno (-EEXIST, -EPERM when not on a bpffs).
 */
BK_API int bk_prog_pin(const struct bk_prog *prog, const char *path);

/** bk_prog_close() - close the program's fd and free the object; NULL is a no-op. */
BK_API void bk_prog_close(struct bk_prog *prog);

/** bk_prog_fd() - the program's fd, owned by the object. */
BK_API int bk_prog_fd(const struct bk_prog *prog);
/** bk_prog_type() - the program's type. */
BK_API enum bk_prog_type bk_prog_type(const struct bk_prog *prog);
/** bk_prog_id() - the program's kernel id. */
BK_API uint32_t bk_prog_id(const struct bk_prog *prog);
/** bk_prog_name() - the program's name as the kernel keeps it (may be ""). */
BK_API const char *bk_prog_name(const struct bk_prog *prog);
/** bk_prog_tag() - the kernel's 8-byte tag (hash of the instructions as loaded). */
BK_API const uint8_t *bk_prog_tag(const struct bk_prog *prog);
/** bk_prog_expected_attach_type() - as given at load (0 when opened from fd, id or pin). */
BK_API uint32_t bk_prog_expected_attach_type(const struct bk_prog *prog);

/**
 * bk_prog_test_run() - run the program once or opts->repeat times on
 * opts->data_in / ctx_in (BPF_PROG_TEST_RUN). Outputs land in opts: retval,
 * data_size_out, ctx_size_out and duration (average ns per run). Returns 0
 * or -errno (-ENOTSUPP: the type cannot be test-run; -ENOSPC: data_out is
 * too small, data_size_out then says how much the program produced).
 */
BK_API int bk_prog_test_run(const struct bk_prog *prog, struct bk_test_run_opts *opts);

/**
 * bk_prog_run_data() - convenience run: data in, the program's return value
 * out in *retval. Returns 0 or -errno.
 */
BK_API int bk_prog_run_data(const struct bk_prog *prog, const void *data, uint32_t size,
			    uint32_t *retval);

/** bk_prog_info() - the kernel's current information about the program. 0 or -errno. */
BK_API int bk_prog_info(const struct bk_prog *prog, struct bk_info_prog *out);

/**
 * bk_prog_xlated() - the instructions as the verifier rewrote them, in a
 * malloc'd array (*out, *count; free() it). Map fds appear as the kernel
 * shows them (map ids with BK_PSEUDO_MAP_ID...). Returns 0 or -errno
 * (-EPERM without CAP_SYS_ADMIN or when the kernel hides them).
 */
BK_API int bk_prog_xlated(const struct bk_prog *prog, struct bk_insn **out, size_t *count);

/**
 * bk_prog_dump_xlated() - print the translated instructions through the
 * disassembler (opts as bk_disasm(); NULL: LLVM text with helper names and
 * indexes) to sink. Returns 0 or -errno.
 */
BK_API int bk_prog_dump_xlated(const struct bk_prog *prog, const struct bk_disasm_opts *opts,
			       bk_sink_fn sink, void *ctx);

/**
 * bk_prog_enable_stats() - turn on run-time statistics (run_cnt, run_time_ns
 * in bk_prog_info()) for as long as the returned fd stays open; close() it to
 * turn them off. Returns the fd or -errno.
 */
BK_API int bk_prog_enable_stats(void);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_PROG_H */
