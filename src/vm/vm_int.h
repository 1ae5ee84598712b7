/* SPDX-License-Identifier: MIT */
/* Private to src/vm: the decoded program, maps, the state of a run. */
#ifndef BK_VM_INT_H
#define BK_VM_INT_H

#include <stdint.h>
#include <bpfkit/abi.h>
#include <bpfkit/insn.h>
#include <bpfkit/vm.h>

#include "../common/common_int.h"

/*
 * Decoded operations: every row of the instruction table (its BK_OP_ id),
 * then the VM's specialisations. The *_FP forms are stack accesses through
 * r10 whose offset the loader proved inside the frame and aligned, so the
 * interpreter skips the bounds check.
 */
enum vm_xop {
	VM_LDXB_FP = BK_OP__COUNT,
	VM_LDXH_FP,
	VM_LDXW_FP,
	VM_LDXDW_FP,
	VM_STXB_FP,
	VM_STXH_FP,
	VM_STXW_FP,
	VM_STXDW_FP,
	VM_STB_FP,
	VM_STH_FP,
	VM_STW_FP,
	VM_STDW_FP,
	VM_TAIL_CALL, /* the tail_call helper: replaces the running program */
	VM_OP__COUNT
};

/*
 * One decoded slot, 16 bytes. Slots map 1:1 to the program's slots, so jump
 * offsets are kept as they are (ld_imm64's second slot is never executed).
 *   off  memory offset, or the jump/call distance (gotol's imm moved here)
 *   imm  sign-extended imm; ld_imm64's full value; a helper's index
 */
struct vm_insn {
	uint16_t op;
	uint8_t dst;
	uint8_t src;
	int32_t off;
	int64_t imm;
};

struct vm_helper {
	int32_t id;
	char name[64];
	bk_vm_helper_fn fn;
	void *user;
};

struct bk_vm_map {
	struct bk_vm *vm;
	enum bk_vm_map_type type;
	char name[64];
	uint32_t key_size, value_size, max_entries;
	uint8_t *values;	/* array/hash: max_entries * value_size; ring: the data area */
	size_t values_len;
	/* hash: open hashing over preallocated slots */
	uint8_t *keys;		/* max_entries * key_size */
	uint32_t *next;		/* chain link per slot, UINT32_MAX ends */
	uint32_t *buckets;	/* head slot per bucket */
	uint32_t nbuckets, free_head, count;
	/* prog array */
	struct bk_vm_prog **progs;
	/* ring buffer: kernel-style positions over values */
	uint64_t prod, cons;
};

struct bk_vm {
	struct vm_helper *helpers;
	size_t nhelpers;
	struct bk_vm_map **maps;
	size_t nmaps;
	uint64_t rng;
};

struct bk_vm_prog {
	struct bk_vm *vm;
	enum bk_vm_prog_type type;
	struct vm_insn *code;
	size_t n;
	struct vm_helper *helpers; /* the helpers it calls, bound at load */
	size_t nhelpers;
};

/* A region a run may touch besides the stack and the maps. */
struct vm_region {
	uintptr_t lo, hi;
	bool writable;
	bool ctx; /* the context: field accesses are rewritten */
};

#define VM_STACK_TOTAL (BK_VM_STACK_SIZE * BK_VM_MAX_FRAMES)
#define VM_MAX_REGIONS 16
#define VM_MAY_GOTO_LOOPS (8u * 1024 * 1024) /* the kernel's BPF_MAX_LOOPS */

struct bk_vm_env {
	struct bk_vm *vm;
	struct bk_vm_prog *prog; /* running now (tail calls change it) */
	const struct vm_insn *pc; /* the instruction being executed, for errors */
	uintptr_t stack_lo, fp;
	struct vm_region regions[VM_MAX_REGIONS];
	size_t nregions;
	uintptr_t data, data_end; /* the packet */
	uint32_t ifindex;
	uint32_t tail_calls;
	void *user;
	int err;
	struct bk_diag *diag;
	char errmsg[192];
	const struct vm_helper *helper; /* being called, for its error messages */
	_Alignas(16) uint8_t ctx[192];	/* struct xdp_md / __sk_buff as the program sees it */
	_Alignas(16) uint8_t stack[VM_STACK_TOTAL];
};

/* vm_exec.c: run env->prog from its first instruction with r1 = ctx. */
int bk__vm_exec(struct bk_vm_env *env, uint64_t r1, uint64_t r2, uint64_t budget,
		struct bk_vm_result *res);

/* vm_mem.c: accesses that missed the stack fast path; 0 or -EFAULT (env->err set). */
int bk__vm_load_slow(struct bk_vm_env *env, uintptr_t addr, unsigned size, uint64_t *val);
int bk__vm_store_slow(struct bk_vm_env *env, uintptr_t addr, unsigned size, uint64_t val);
void *bk__vm_atomic_ptr(struct bk_vm_env *env, uintptr_t addr, unsigned size, bool write);
/* Record a failure of the running instruction (first one wins); returns err. */
int bk__vm_fail(struct bk_vm_env *env, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* vm_helpers.c */
const struct vm_helper *bk__vm_helper_find(const struct bk_vm *vm, int64_t id);
/* bpf_tail_call: the program to continue with, or NULL (r0 gets the reason). */
struct bk_vm_prog *bk__vm_tail_target(struct bk_vm_env *env, uint64_t map, uint64_t index);

/* vm_map.c */
void bk__vm_map_free(struct bk_vm_map *map);
struct bk_vm_map *bk__vm_map_check(const struct bk_vm *vm, uint64_t handle);
struct bk_vm_map *bk__vm_map_by_ref(const struct bk_vm *vm, uint64_t ref);
void *bk__vm_ring_reserve(struct bk_vm_map *map, uint64_t size);
int bk__vm_ring_commit(struct bk_vm_map *map, void *data, bool discard);

#endif /* BK_VM_INT_H */
