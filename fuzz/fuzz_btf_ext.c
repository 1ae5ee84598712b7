// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: .BTF.ext parsing and CO-RE relocation. Input:
 *   u32 btf_len, btf_len bytes of raw BTF, u32 ext_len, ext_len bytes of
 *   .BTF.ext, the rest instructions.
 * The BTF is both the object's and the target's. Neither the parser nor the
 * relocator may crash, read out of bounds or fail without saying why; a
 * poisoned instruction must carry the poison call.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "../src/elf/btf_ext.h"
#include "../src/elf/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t poisoned;

static void on_poison(void *ctx, size_t insn, const char *what)
{
	const struct bk_insn *insns = ctx;

	if (!what || !what[0] || insns[insn].code != 0x85 || insns[insn].imm != BK__CORE_POISON_IMM)
		abort();
	poisoned++;
}

static int take(const uint8_t **p, size_t *left, const uint8_t **out, size_t *len)
{
	uint32_t n;

	if (*left < 4)
		return -1;
	memcpy(&n, *p, 4);
	*p += 4;
	*left -= 4;
	if (n > *left)
		return -1;
	*out = *p;
	*len = n;
	*p += n;
	*left -= n;
	return 0;
}

static void relocate(const struct bk_btf *btf, const struct bk__btf_ext *ext, const uint8_t *code,
		     size_t len)
{
	struct bk__core_target t = { btf, 0 };
	struct bk__core_cands *c = bk__core_cands_new(&t, 1);
	size_t n = len / sizeof(struct bk_insn);
	struct bk_insn *insns;

	if (!c)
		return;
	insns = malloc(n ? n * sizeof(*insns) : 1);
	for (size_t i = 0; insns && i < ext->ncore && i < 8; i++) {
		struct bk_diag d = { 0 };
		int err;

		memcpy(insns, code, n * sizeof(*insns));
		err = bk__core_relocate_sec(btf, &ext->core[i], insns, n, c, on_poison, insns, &d);
		if (err && (d.err != err || !d.msg[0]))
			abort(); /* every failure says what */
	}
	free(insns);
	bk__core_cands_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *btf_raw, *ext_raw;
	size_t left = size, btf_len, ext_len;
	struct bk__btf_ext *ext = NULL;
	struct bk_diag d = { 0 };
	struct bk_btf *btf;

	if (take(&p, &left, &btf_raw, &btf_len) || take(&p, &left, &ext_raw, &ext_len))
		return 0;
	btf = bk_btf_parse(btf_raw, btf_len, NULL);
	if (!btf)
		return 0;
	if (bk__btf_ext_parse(ext_raw, ext_len, btf, &ext, &d) == 0) {
		for (size_t i = 0; i < ext->nfunc; i++)
			if (!ext->func[i].sec[0] || ext->func[i].rec_size < 8)
				abort();
		relocate(btf, ext, p, left);
		bk__btf_ext_free(ext);
	} else if (!d.err || !d.msg[0] || ext) {
		abort();
	}
	bk_btf_free(btf);
	return 0;
}
