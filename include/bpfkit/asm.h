/* SPDX-License-Identifier: MIT */
/*
 * The assembler: eBPF text in LLVM's syntax ("r0 = 1", "if r1 s> 5 goto +3",
 * "lock *(u64 *)(r1 + 0) += r2", "r1 = 0x1234 ll") or in bpf_conformance's
 * ("mov32 %r0, 1", "jsgt %r1, 5, +3", "lddw %r0, 0x1234") into instructions.
 * Both dialects are read through the instruction table's templates, so every
 * instruction of the table can be written in both.
 *
 * Beyond the templates: labels ("loop:", "goto loop", "call f"), comments
 * ('#', "//", and in LLVM's syntax block comments; ';' separates statements in
 * LLVM's syntax and starts a comment in the conformance one), numbers in
 * decimal, 0x hex and, as LLVM reads them, 0b binary and 0-prefixed octal,
 * with range checks (a number that does not fit is an error, never wrapped),
 * helper calls by name ("call bpf_map_lookup_elem" or "call map_lookup_elem"),
 * bpf-to-bpf calls as "call pc+N" (the one spelling that differs from
 * llvm-objdump's "call N", which would read back as helper N), maps by name
 * ("r1 = map[counts] ll", "lddw %r1, map[counts]") resolved to fds by the
 * caller, raw slots (".8byte 0x..."), the output of clang -S (sections, data
 * directives, symbol operands left zero as in the object, calls to other
 * sections -1), and the conformance suite's conventions ("call helper N",
 * "call runtime N", swapN for bswapN, and "exit" as a jump target meaning the
 * first exit instruction when no label has that name). In LLVM's syntax
 * blanks beside punctuation and the case of registers and mnemonics do not
 * matter, as for llvm-mc.
 */
#ifndef BPFKIT_ASM_H
#define BPFKIT_ASM_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bk_dialect {
	BK_DIALECT_AUTO = 0,	/* detect: '%r' registers mean conformance */
	BK_DIALECT_LLVM,	/* llvm-mc / llvm-objdump / verifier log syntax */
	BK_DIALECT_CONFORMANCE, /* bpf_conformance syntax */
};

/* Resolve a map name to an fd (or a negative errno when unknown). */
typedef int (*bk_asm_map_fn)(void *ctx, const char *name);

/* Options of bk_asm(). */
struct bk_asm_opts {
	size_t sz;
	enum bk_dialect dialect;
	const char *file;	/* name in diagnostics, default "<input>" */
	bk_asm_map_fn map_fd;	/* resolves map[NAME]; NULL: maps by name are errors */
	void *map_ctx;
	uint32_t **lines;	/* out (optional): malloc'd source line of each slot */
	const char *section;	/* the section to return (clang -S output); NULL: the
				 * only code section holding instructions */
};

/**
 * bk_asm() - assemble text (len bytes, NUL not required) into instructions.
 * With sections (clang -S), the slots of opts->section, or of the only code
 * section holding instructions (several without a choice are an error).
 * On success *out is a malloc'd array of *count slots (free() it) and 0 is
 * returned. On error returns -EINVAL (or -ENOMEM) with diag holding
 * file:line:col, the offending text and what was expected; *out is NULL.
 */
BK_API int bk_asm(const char *text, size_t len, const struct bk_asm_opts *opts,
		  struct bk_insn **out, size_t *count, struct bk_diag *diag);

/**
 * bk_asm_detect() - the dialect of text: BK_DIALECT_CONFORMANCE when it
 * names registers as %rN, else BK_DIALECT_LLVM.
 */
BK_API enum bk_dialect bk_asm_detect(const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_ASM_H */
