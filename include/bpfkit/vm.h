/* SPDX-License-Identifier: MIT */
/*
 * A userspace eBPF virtual machine: runs eBPF bytecode without a kernel and
 * without privileges, with the kernel's semantics (bit-exact with the x86-64
 * JIT where RFC 9669 leaves a result undefined: division by zero gives 0 and
 * modulo by zero leaves dst, INT_MIN / -1 wraps, shift amounts are masked to
 * the operand width).
 *
 * A struct bk_vm holds what programs share: helpers (the built-ins plus any
 * the embedder registers by id and name), maps (array, hash, prog array,
 * ring buffer) and a pseudo-random state. bk_vm_load() validates a program
 * (bk_insn_validate() plus the VM's own rules) and decodes it once into an
 * internal form; bk_vm_run() runs it any number of times.
 *
 * Memory safety: a register holds a host address, but every load and store is
 * checked against the regions the run may touch: the stack frames in use, the
 * run's memory (context, packet), map values, ring buffer records and the
 * regions the embedder passes. Anything else stops the run with -EFAULT and a
 * diagnostic naming the instruction index and the address; an instruction
 * budget stops endless loops (-ETIME). Hostile bytecode never crashes the host.
 *
 * Program types: BK_VM_RAW passes the run's memory in r1 and its length in r2
 * (bpf_conformance's convention). BK_VM_XDP and BK_VM_SOCKET_FILTER pass a
 * context (struct xdp_md, struct __sk_buff) whose fields are read the way the
 * kernel's verifier rewrites them: `r2 = *(u32 *)(r1 + 0)` yields the 64-bit
 * packet address, so bytes built for the kernel run unchanged.
 *
 * A struct bk_vm and its programs are not thread-safe: one thread at a time.
 */
#ifndef BPFKIT_VM_H
#define BPFKIT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bk_vm;	   /* helpers, maps and state shared by programs */
struct bk_vm_prog; /* a validated, decoded program */
struct bk_vm_map;  /* a VM-side map */
struct bk_vm_env;  /* one run in progress, as seen by a helper */

/* Limits, the kernel's. */
#define BK_VM_STACK_SIZE 512	 /* bytes of stack per frame */
#define BK_VM_MAX_FRAMES 8	 /* bpf-to-bpf call depth, the main program included */
#define BK_VM_MAX_TAIL_CALLS 33	 /* tail calls per run */
#define BK_VM_DEFAULT_BUDGET 100000000ULL /* instructions per run unless told */

/* Program types the VM knows the context of. */
enum bk_vm_prog_type {
	BK_VM_RAW = 0,		 /* r1 = memory, r2 = its length */
	BK_VM_XDP = 1,		 /* r1 = struct xdp_md over the packet */
	BK_VM_SOCKET_FILTER = 2, /* r1 = struct __sk_buff over the packet */
};

/* Map types of bk_vm_map_create(). */
enum bk_vm_map_type {
	BK_VM_MAP_ARRAY = 1,	 /* u32 index -> value, all present, zeroed */
	BK_VM_MAP_HASH = 2,	 /* key -> value, up to max_entries */
	BK_VM_MAP_PROG_ARRAY = 3, /* u32 index -> program, for bpf_tail_call */
	BK_VM_MAP_RINGBUF = 4,	 /* ring buffer of max_entries bytes (power of 2, >= 4096) */
};

/* Flags of bk_vm_map_update() and the map_update_elem helper (the kernel's). */
#define BK_VM_ANY 0
#define BK_VM_NOEXIST 1
#define BK_VM_EXIST 2

/**
 * bk_vm_new() - a VM with the built-in helpers and no maps.
 * Built-ins (kernel ids and names): map_lookup_elem (1), map_update_elem (2),
 * map_delete_elem (3), ktime_get_ns (5), trace_printk (6, to the library's
 * log callback at BK_LOG_INFO), get_prandom_u32 (7), tail_call (12),
 * ringbuf_output (130), ringbuf_reserve (131), ringbuf_submit (132),
 * ringbuf_discard (133). Returns NULL with errno set on failure.
 */
BK_API struct bk_vm *bk_vm_new(void);

/** bk_vm_free() - release a VM, its maps and its helpers; programs must be freed first. */
BK_API void bk_vm_free(struct bk_vm *vm);

/**
 * bk_vm_seed() - seed get_prandom_u32 so runs are reproducible (the default
 * seed is fixed, so they are unless reseeded from a clock by the embedder).
 */
BK_API void bk_vm_seed(struct bk_vm *vm, uint64_t seed);

/* ------------------------------------------------------------------------ */
/* Helpers */

/*
 * A helper: args are r1..r5, the result goes to r0. Pointer arguments are
 * guest addresses: translate them with bk_vm_env_mem(), never dereference
 * them directly. user is what was registered.
 */
typedef uint64_t (*bk_vm_helper_fn)(struct bk_vm_env *env, const uint64_t args[5], void *user);

/**
 * bk_vm_helper_register() - add (or replace) the helper with id, callable as
 * `call id` and known by name (bk_vm_helper_by_name()). Ids are 0 to 65535;
 * a program calling an id that has no helper is rejected by bk_vm_load().
 * Programs already loaded keep the helper they were bound to. Returns 0 or
 * -EINVAL (bad id, NULL fn, name longer than 63 bytes), -EEXIST when another
 * id already has that name, -ENOMEM.
 */
BK_API int bk_vm_helper_register(struct bk_vm *vm, int32_t id, const char *name,
				 bk_vm_helper_fn fn, void *user);

/**
 * bk_vm_helper_by_name() - the id of a helper by name ("map_lookup_elem" or
 * "bpf_map_lookup_elem" for a built-in), or -ENOENT.
 */
BK_API int bk_vm_helper_by_name(const struct bk_vm *vm, const char *name);

/**
 * bk_vm_env_mem() - the host pointer behind guest address addr, when all len
 * bytes lie inside one region the run may touch (writable if write). Returns
 * NULL otherwise and marks the run failed (-EFAULT, naming the address): the
 * helper should return at once; the VM stops after it.
 */
BK_API void *bk_vm_env_mem(struct bk_vm_env *env, uint64_t addr, uint64_t len, bool write);

/**
 * bk_vm_env_fail() - stop the run after this helper returns, with err (a
 * negative errno) and a message ("helper NAME: msg" is what the caller sees).
 */
BK_API void bk_vm_env_fail(struct bk_vm_env *env, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** bk_vm_env_user() - the run's user pointer (bk_vm_run_opts.user). */
BK_API void *bk_vm_env_user(const struct bk_vm_env *env);

/* ------------------------------------------------------------------------ */
/* Maps */

/**
 * bk_vm_map_create() - a map named name (unique in the VM, at most 63 bytes).
 * Array maps take 4-byte keys; prog arrays 4-byte keys and 4-byte values;
 * ring buffers key_size = value_size = 0 and max_entries a power of two of at
 * least 4096 bytes. Values live in one preallocated block, so a value pointer
 * stays valid for the map's lifetime. Returns the map (owned by the VM) or
 * NULL with errno set (EINVAL, EEXIST for a taken name, ENOMEM).
 */
BK_API struct bk_vm_map *bk_vm_map_create(struct bk_vm *vm, enum bk_vm_map_type type,
					  const char *name, uint32_t key_size,
					  uint32_t value_size, uint32_t max_entries);

/** bk_vm_map_by_name() - the map of that name, or NULL (errno = ENOENT). */
BK_API struct bk_vm_map *bk_vm_map_by_name(const struct bk_vm *vm, const char *name);

/**
 * bk_vm_map_ref() - the handle of map name for ld_imm64 (`r1 = map[NAME] ll`):
 * the value bk_vm_load() accepts as the map "fd" of a BK_PSEUDO_MAP_FD or
 * BK_PSEUDO_MAP_VALUE load. Its signature is bk_asm_map_fn's, so pass it as
 * bk_asm_opts.map_fd with the VM as map_ctx. Returns -ENOENT for an unknown name.
 */
BK_API int bk_vm_map_ref(void *vm, const char *name);

/**
 * bk_vm_map_lookup() - the value of key, or NULL (errno = ENOENT). The
 * pointer stays valid while the map lives (a deleted hash entry's slot may
 * be reused).
 */
BK_API void *bk_vm_map_lookup(struct bk_vm_map *map, const void *key);

/**
 * bk_vm_map_update() - set key to value with BK_VM_ANY/NOEXIST/EXIST.
 * Returns 0, -EEXIST, -ENOENT, -E2BIG (hash full or index out of range),
 * -EINVAL (bad flags, or a map type without values).
 */
BK_API int bk_vm_map_update(struct bk_vm_map *map, const void *key, const void *value,
			    uint64_t flags);

/** bk_vm_map_delete() - remove key from a hash map: 0, -ENOENT, or -EINVAL for arrays. */
BK_API int bk_vm_map_delete(struct bk_vm_map *map, const void *key);

/**
 * bk_vm_prog_array_set() - put prog (NULL to clear) at index of a prog
 * array, as the target of bpf_tail_call. Returns 0 or -EINVAL/-E2BIG.
 */
BK_API int bk_vm_prog_array_set(struct bk_vm_map *map, uint32_t index, struct bk_vm_prog *prog);

/* Called by bk_vm_ring_consume() for each submitted record; nonzero stops. */
typedef int (*bk_vm_ring_fn)(void *ctx, const void *data, size_t len);

/**
 * bk_vm_ring_consume() - hand every submitted record of a ring buffer map to
 * fn, oldest first, skipping discarded ones, and free their space. Stops at
 * a record still reserved. Returns the number of records handed over, or a
 * negative errno (-EINVAL: not a ring buffer).
 */
BK_API int bk_vm_ring_consume(struct bk_vm_map *map, bk_vm_ring_fn fn, void *ctx);

/* ------------------------------------------------------------------------ */
/* Programs */

/* Options of bk_vm_load(). */
struct bk_vm_load_opts {
	size_t sz;
	enum bk_vm_prog_type type; /* context convention, default BK_VM_RAW */
};

/**
 * bk_vm_load() - validate and decode a program for vm.
 * Rejects (-EINVAL, diag naming the instruction) everything
 * bk_insn_validate() rejects, plus: writes to r10, calls of helpers the VM
 * does not have, kfunc calls, ld_imm64 forms other than constants, maps
 * and map values of this VM, and stack accesses through r10 outside the
 * frame or misaligned. Returns the program or NULL with errno set.
 */
BK_API struct bk_vm_prog *bk_vm_load(struct bk_vm *vm, const struct bk_insn *insns, size_t n,
				     const struct bk_vm_load_opts *opts, struct bk_diag *diag);

/** bk_vm_prog_free() - release a program (remove it from prog arrays first). */
BK_API void bk_vm_prog_free(struct bk_vm_prog *prog);

/* Memory the embedder lets a run touch. */
struct bk_vm_region {
	void *addr;
	size_t len;
	bool writable;
};

/* Options of bk_vm_run(). */
struct bk_vm_run_opts {
	size_t sz;
	void *data;	  /* BK_VM_RAW: memory in r1 (writable); else the packet */
	size_t data_len;  /* its length in bytes */
	const struct bk_vm_region *regions; /* more memory the program may touch */
	size_t nregions;
	uint64_t budget;  /* instructions, 0 = BK_VM_DEFAULT_BUDGET */
	uint32_t ifindex; /* XDP ingress_ifindex, __sk_buff ifindex (test-run: 1, loopback) */
	void *user;	  /* for helpers: bk_vm_env_user() */
};

/* What a run did. */
struct bk_vm_result {
	uint64_t r0;	/* r0 at the final exit */
	uint64_t insns; /* instruction slots executed (ld_imm64 counts 2) */
};

/**
 * bk_vm_run() - run prog once. Returns 0 with *res filled, or a negative
 * errno with diag (if not NULL) holding the instruction index and the reason:
 * -EFAULT a load, store or helper argument outside every region (with the
 * access, its size and address), or a misaligned stack or atomic access;
 * -ETIME the instruction budget ran out; -E2BIG bpf-to-bpf calls deeper than
 * BK_VM_MAX_FRAMES, or more than 16 regions (context and packet included);
 * -EINVAL callx to something that is not a helper, or bad options (a socket
 * filter's data must hold an Ethernet header); a helper's own errno when it
 * called bk_vm_env_fail(), with its message. For socket filters a legacy
 * packet load out of the packet ends the run with r0 = 0, as in the kernel.
 * bpf_tail_call works from the main program (in a subprogram it returns
 * -EINVAL and the program goes on, as when the slot is empty: -ENOENT).
 */
BK_API int bk_vm_run(struct bk_vm_prog *prog, const struct bk_vm_run_opts *opts,
		     struct bk_vm_result *res, struct bk_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_VM_H */
