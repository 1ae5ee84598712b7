// SPDX-License-Identifier: MIT
/*
 * Verifier and ISA features (bpftool's "misc" section): each is a tiny
 * socket filter that only loads on a kernel that has the feature. A kernel
 * without it refuses with EINVAL (unknown opcode, back-edge), EACCES or E2BIG
 * (too many instructions); any other errno leaves the question open.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include <bpfkit/abi.h>
#include <bpfkit/probe.h>

#include "../common/common_int.h"
#include "probe_int.h"

#define OLD_MAX_INSNS 4096 /* the limit before Linux 5.2 */

static const struct bk_insn bounded_loop[] = {
	BK_MOV64_IMM(BK_R0, 4),
	BK_ALU64_IMM(BK_SUB, BK_R0, 1),		/* loop: r0 -= 1 */
	BK_JMP_IMM(BK_JNE, BK_R0, 0, -2),	/* if r0 != 0 goto loop */
	BK_EXIT(),
};

static const struct bk_insn isa_v2[] = {
	BK_MOV64_IMM(BK_R0, 0),
	BK_JMP_IMM(BK_JLT, BK_R0, 1, 0),	/* jlt: Linux 4.14 */
	BK_EXIT(),
};

static const struct bk_insn isa_v3[] = {
	BK_MOV64_IMM(BK_R0, 0),
	BK_JMP32_IMM(BK_JLT, BK_R0, 1, 0),	/* jmp32: Linux 5.1 */
	BK_EXIT(),
};

static const struct bk_insn isa_v4[] = {
	BK_MOV64_IMM(BK_R0, 0),
	BK_MOVSX64_REG(BK_R0, BK_R0, 8),	/* movsx: Linux 6.6 */
	BK_EXIT(),
};

static int load_large(void)
{
	size_t n = OLD_MAX_INSNS + 1;
	struct bk_insn *p = calloc(n, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i + 1 < n; i++)
		p[i] = (struct bk_insn)BK_MOV64_IMM(BK_R0, 0);
	p[n - 1] = (struct bk_insn)BK_EXIT();
	r = bk__probe_load_insns(BK_PROG_TYPE_SOCKET_FILTER, p, n);
	free(p);
	return r;
}

static int probe_one(enum bk_probe_feature f)
{
	switch (f) {
	case BK_FEATURE_LARGE_INSN_LIMIT:
		return load_large();
	case BK_FEATURE_BOUNDED_LOOPS:
		return bk__probe_load_insns(BK_PROG_TYPE_SOCKET_FILTER, bounded_loop, 4);
	case BK_FEATURE_ISA_V2:
		return bk__probe_load_insns(BK_PROG_TYPE_SOCKET_FILTER, isa_v2, 3);
	case BK_FEATURE_ISA_V3:
		return bk__probe_load_insns(BK_PROG_TYPE_SOCKET_FILTER, isa_v3, 3);
	case BK_FEATURE_ISA_V4:
		return bk__probe_load_insns(BK_PROG_TYPE_SOCKET_FILTER, isa_v4, 3);
	}
	return -EINVAL;
}

static _Atomic uint8_t cache[BK_FEATURE_ISA_V4 + 1];

int bk_probe_feature(enum bk_probe_feature f)
{
	uint8_t v;
	int r;

	if ((unsigned)f > BK_FEATURE_ISA_V4)
		return bk__err(-EINVAL);
	v = atomic_load_explicit(&cache[f], memory_order_relaxed);
	if (v)
		return v - 1;
	r = probe_one(f);
	if (r == 0)
		r = BK_PROBE_PRESENT;
	else if (r == -EINVAL || r == -EACCES || r == -E2BIG)
		r = BK_PROBE_ABSENT;
	else
		return bk__err(r);
	atomic_store_explicit(&cache[f], (uint8_t)(r + 1), memory_order_relaxed);
	return r;
}
