/* SPDX-License-Identifier: MIT */
/*
 * The disassembler: instructions to text in LLVM's syntax (the text of
 * llvm-objdump-19 -d --no-print-imm-hex where LLVM can decode the encoding,
 * the kernel's spelling elsewhere) or in bpf_conformance's syntax. Output is
 * such that bk_asm() gives back the same bytes, for any input: a slot that is
 * no valid instruction (unknown opcode, a reserved field set, a register past
 * r10/r11, a broken or truncated ld_imm64) prints as ".8byte 0x... # why".
 * Labels ("--labels") are printed only where they re-assemble: a target off
 * the program or inside a ld_imm64 stays a number. Pure: text goes to a sink.
 */
#ifndef BPFKIT_DISASM_H
#define BPFKIT_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <bpfkit/asm.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the text goes: len bytes, not NUL-terminated. */
typedef void (*bk_sink_fn)(void *ctx, const char *text, size_t len);

/* Options of the disassembler. */
struct bk_disasm_opts {
	size_t sz;
	enum bk_dialect dialect; /* AUTO means LLVM */
	bool helper_names;	 /* annotate helper calls: "call 1 # bpf_map_lookup_elem" */
	bool labels;		 /* jump targets as labels "L3" with "L3:" lines */
	bool index;		 /* prefix each line with "%4zu: " (bpftool style) */
};

/**
 * bk_disasm_one() - the text of the instruction at insns[i] (no newline).
 * Writes up to size bytes (NUL-terminated) and returns the slots it takes
 * (1, or 2 for ld_imm64), or -EINVAL when it is no valid instruction (the
 * text is then ".8byte 0x... # why", e.g. "# unknown opcode 0xff").
 */
BK_API int bk_disasm_one(const struct bk_insn *insns, size_t n, size_t i,
			 const struct bk_disasm_opts *opts, char *buf, size_t size);

/**
 * bk_disasm() - print a whole program, one instruction per line, to sink.
 * Returns 0, or -EINVAL after printing when a slot is no valid instruction
 * (it is printed as a raw ".8byte" line so the output stays complete).
 */
BK_API int bk_disasm(const struct bk_insn *insns, size_t n, const struct bk_disasm_opts *opts,
		     bk_sink_fn sink, void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_DISASM_H */
