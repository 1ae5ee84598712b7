/* SPDX-License-Identifier: MIT */
/* Private to src/text: template access shared by the printer and parser. */
#ifndef BK_TEXT_INT_H
#define BK_TEXT_INT_H

#include <bpfkit/asm.h>
#include <bpfkit/insn.h>

#include "../common/common_int.h"

/* The row's template for a dialect (AUTO reads as LLVM). */
static inline const char *bk__tpl(const struct bk_insn_info *r, enum bk_dialect d)
{
	return d == BK_DIALECT_CONFORMANCE ? r->conf : r->llvm;
}

#endif /* BK_TEXT_INT_H */
