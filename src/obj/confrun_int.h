/* SPDX-License-Identifier: MIT */
/* Private to the conformance runner. */
#ifndef BK_CONFRUN_INT_H
#define BK_CONFRUN_INT_H

#include <bpfkit/confrun.h>

/* Run already-assembled test code: the runner without the assembler. */
int bk__conf_run_insns(const struct bk_conf_test *t, const struct bk_insn *code, size_t n,
		       struct bk_conf_outcome *o);

#endif /* BK_CONFRUN_INT_H */
