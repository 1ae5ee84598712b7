// SPDX-License-Identifier: MIT
/*
 * Wrapping a conformance test's code into an XDP program (see confrun.h).
 *
 *   prolog   r2 = ctx->data; r3 = ctx->data_end; r1 = r2
 *            if r2 + LEN > r3 goto bail        (makes [r1, r1+LEN) readable)
 *            r2 = LEN; goto code
 *   bail     r0 = XDP_ABORTED; exit            (cannot happen: we pass LEN bytes)
 *   epilog   *(u64 *)map_value = r0; r0 = XDP_PASS; exit
 *   code     the test, each exit of its main function turned into "goto epilog"
 *
 * The epilog sits before the code, so the test's own jumps and pc-relative
 * calls keep their offsets (an exit and a ja are both one slot). Exits inside
 * bpf-to-bpf callees are returns and stay exits: the main function ends where
 * the first callee starts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/confrun.h>
#include <bpfkit/insn.h>

#include "../common/common_int.h"

#define XDP_ABORTED 0
#define XDP_PASS 2
#define PROLOG_LEN 8
#define BAIL_LEN 2
#define EPILOG_LEN 5
#define WRAP_LEN (PROLOG_LEN + BAIL_LEN + EPILOG_LEN)

/* Index of the first bpf-to-bpf callee in code, or n when there is none. */
static size_t first_callee(const struct bk_insn *code, size_t n)
{
	size_t first = n;

	for (size_t i = 0; i < n; i++) {
		struct bk_decoded d;
		int64_t t;

		if (bk_insn_decode(code, n, i, &d) < 0)
			continue;
		if ((d.info->shape == BK_SHAPE_CALL_LOCAL ||
		     (d.info->shape == BK_SHAPE_LD_IMM64 && d.src == BK_PSEUDO_FUNC)) &&
		    bk_insn_jump_target(&d, i, &t) && t > 0 && (size_t)t < first)
			first = (size_t)t;
		i += d.width - 1;
	}
	return first;
}

static void put_frame(struct bk_insn *w, size_t mem_len, int map_fd)
{
	const struct bk_insn frame[WRAP_LEN] = {
		/* prolog */
		BK_LDX_MEM(BK_W, BK_R2, BK_R1, 0),
		BK_LDX_MEM(BK_W, BK_R3, BK_R1, 4),
		BK_MOV64_REG(BK_R1, BK_R2),
		BK_MOV64_REG(BK_R4, BK_R2),
		BK_ALU64_IMM(BK_ADD, BK_R4, (int32_t)mem_len),
		BK_JMP_REG(BK_JGT, BK_R4, BK_R3, 2),
		BK_MOV64_IMM(BK_R2, (int32_t)mem_len),
		BK_JA(BAIL_LEN + EPILOG_LEN),
		/* bail */
		BK_MOV64_IMM(BK_R0, XDP_ABORTED),
		BK_EXIT(),
		/* epilog */
		BK_LD_MAP_VALUE(BK_R1, map_fd, 0),
		BK_STX_MEM(BK_DW, BK_R1, BK_R0, 0),
		BK_MOV64_IMM(BK_R0, XDP_PASS),
		BK_EXIT(),
	};

	memcpy(w, frame, sizeof(frame));
}

int bk_conf_wrap(const struct bk_insn *code, size_t n, size_t mem_len, int map_fd,
		 struct bk_insn **out, size_t *out_n, struct bk_diag *diag)
{
	const int64_t epilog = PROLOG_LEN + BAIL_LEN;
	struct bk_insn *w;
	size_t main_end;

	if (!code || !n || !out || !out_n || mem_len > 0xffff)
		return bk__diag(diag, -EINVAL, "nothing to wrap, or memory larger than 64 KiB");
	w = calloc(n + WRAP_LEN, sizeof(*w));
	if (!w)
		return bk__err(-ENOMEM);
	put_frame(w, mem_len, map_fd);
	memcpy(w + WRAP_LEN, code, n * sizeof(*code));
	main_end = first_callee(code, n);
	for (size_t i = 0; i < main_end; i++) {
		const struct bk_insn_info *info = bk_insn_lookup(&code[i]);
		int64_t off = epilog - (int64_t)(WRAP_LEN + i) - 1;

		if (!info)
			continue; /* the kernel will say what is wrong with it */
		if (info->shape == BK_SHAPE_EXIT && off < INT16_MIN) {
			free(w);
			return bk__diag(diag, -E2BIG,
					"exit at %zu is too far from the epilog for a 16-bit jump", i);
		}
		if (info->shape == BK_SHAPE_EXIT)
			w[WRAP_LEN + i] = (struct bk_insn)BK_JA(off);
		i += info->width - 1;
	}
	*out = w;
	*out_n = n + WRAP_LEN;
	return 0;
}
