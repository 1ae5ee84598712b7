// SPDX-License-Identifier: MIT
/*
 * func_info for programs of several functions, made with the BTF writer:
 * the kernel refuses an ld_imm64 of a function (a bpf_loop or
 * for_each_map_elem callback) without BTF func_info, so a program built from
 * instructions or text would need its user to write BTF. When the caller
 * gives none, each function (the entry, every target of a bpf-to-bpf call or
 * of a function address) gets a static FUNC "int fN(void)" in a small BTF:
 * static functions are verified with their caller's context, so their BTF
 * prototype only names them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "prog_int.h"

static bool is_ld_func(const struct bk_insn *i)
{
	return i->code == (BK_LD | BK_DW | BK_IMM) && i->src_reg == BK_PSEUDO_FUNC;
}

static bool is_local_call(const struct bk_insn *i)
{
	return i->code == (BK_JMP | BK_CALL) && i->src_reg == BK_PSEUDO_CALL;
}

bool bk__prog_needs_func_info(const struct bk_insn *insns, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_ld_func(&insns[i]))
			return true;
	return false;
}

/* starts[i] is set for each instruction that begins a function. */
static size_t mark_functions(const struct bk_insn *insns, size_t n, bool *starts)
{
	size_t count = 1;

	starts[0] = true;
	for (size_t i = 0; i < n; i++) {
		int64_t t;

		if (!is_ld_func(&insns[i]) && !is_local_call(&insns[i]))
			continue;
		t = (int64_t)i + insns[i].imm + 1;
		if (t > 0 && (uint64_t)t < n && !starts[t]) {
			starts[t] = true;
			count++;
		}
	}
	return count;
}

int bk__prog_auto_func_info(const struct bk_insn *insns, size_t n, int *btf_fd,
			    struct bk__func_info **out, uint32_t *cnt)
{
	struct bk_btf_builder *b = bk_btf_builder_new();
	bool *starts = calloc(n, sizeof(*starts));
	struct bk__func_info *fi = NULL;
	int i32, proto, err = 0;
	uint32_t k = 0;

	if (!b || !starts) {
		err = -ENOMEM;
		goto out;
	}
	fi = calloc(mark_functions(insns, n, starts), sizeof(*fi));
	i32 = bk_btf_add_int(b, "int", 4, BK_BTF_INT_SIGNED);
	proto = bk_btf_add_func_proto(b, (uint32_t)i32);
	if (!fi || i32 < 0 || proto < 0) {
		err = !fi ? -ENOMEM : (i32 < 0 ? i32 : proto);
		goto out;
	}
	for (size_t i = 0; i < n && !err; i++) {
		char name[32];
		int fn;

		if (!starts[i])
			continue;
		snprintf(name, sizeof(name), "f%zu", i);
		fn = bk_btf_add_func(b, name, BK_BTF_FUNC_STATIC, (uint32_t)proto);
		if (fn < 0)
			err = fn;
		else
			fi[k++] = (struct bk__func_info){ (uint32_t)i, (uint32_t)fn };
	}
	if (!err) {
		*btf_fd = bk_btf_builder_load(b, NULL);
		err = *btf_fd < 0 ? *btf_fd : 0;
	}
out:
	bk_btf_builder_free(b);
	free(starts);
	if (err) {
		free(fi);
		return bk__err(err);
	}
	*out = fi;
	*cnt = k;
	return 0;
}
