/* SPDX-License-Identifier: MIT */
/*
 * Private to the elf layer: CO-RE (compile once, run everywhere)
 * relocation of instructions against target BTF (vmlinux, module BTF or a
 * user-given file), with libbpf 1.x's semantics: the same candidates, the same
 * values, the same instruction patching and validation, the same poisoning.
 */
#ifndef BK_ELF_CORE_H
#define BK_ELF_CORE_H

#include <stddef.h>

#include <bpfkit/btf.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#include "btf_ext.h"

/* One target BTF. targets[0] is the main one (vmlinux, or the user's custom
 * target BTF); the others are module BTFs, searched only when the main one
 * has no candidate at all (libbpf's order). */
struct bk__core_target {
	const struct bk_btf *btf;
	int btf_obj_fd; /* 0: vmlinux */
};

/* Candidate index over the targets: types by essential name ("___flavor"
 * suffix stripped), built lazily per target on first use and reused by every
 * relocation; it also remembers, per local type, the candidates that survived
 * earlier relocations (libbpf narrows its candidate cache the same way). */
struct bk__core_cands;

/* New index over n targets (copied; the BTFs must outlive it). NULL with
 * errno ENOMEM or EINVAL (n == 0 or a NULL btf). */
struct bk__core_cands *bk__core_cands_new(const struct bk__core_target *targets, size_t n);
void bk__core_cands_free(struct bk__core_cands *c);

/* Called once per relocation that could not be resolved and was poisoned. */
typedef void (*bk__core_poison_fn)(void *ctx, size_t insn, const char *what);

/* The helper id a poisoned instruction calls (libbpf's 0xbad2310): the
 * verifier then says "invalid func unknown#195896080". */
#define BK__CORE_POISON_IMM 195896080

/*
 * Apply every CO-RE record of one ELF section to that section's instructions
 * (insns[0] is the section's first instruction; record insn_off are byte
 * offsets from it). Every kind is handled as libbpf does; an instruction
 * whose relocation cannot be resolved is poisoned (a call to helper
 * BK__CORE_POISON_IMM; both slots of a ld_imm64) and poison(ctx, index,
 * "relo #N: <kind> <type>.<access>: why") is called (poison may be NULL).
 * Returns 0, or -EINVAL/-ERANGE/-E2BIG/-EOPNOTSUPP/-ENOMEM with diag (index
 * = the instruction) for malformed records, ambiguous candidates and
 * instructions that do not hold what the record says.
 */
int bk__core_relocate_sec(const struct bk_btf *local, const struct bk__ext_info *relos,
			  struct bk_insn *insns, size_t ninsns, struct bk__core_cands *cands,
			  bk__core_poison_fn poison, void *ctx, struct bk_diag *diag);

#endif /* BK_ELF_CORE_H */
