// SPDX-License-Identifier: MIT
/* libFuzzer target: the raw BTF reader must never crash or read out of
 * bounds, must explain every rejection, and every type it accepts must be
 * describable, with enum enumerators and name lookups that stay in bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct bk_btf *btf)
{
	uint32_t n = bk_btf_type_count(btf);

	for (uint32_t id = 0; id <= n; id++) {
		struct bk_btf_type t;
		struct bk_btf_enumerator e;

		if (bk_btf_type_by_id(btf, id, &t) || t.id != id || !t.name)
			abort();
		if (t.kind == BK_BTF_KIND_STRUCT || t.kind == BK_BTF_KIND_UNION) {
			struct bk_btf_member m;

			for (uint32_t i = 0; i < t.vlen; i++)
				if (bk_btf_member(btf, id, i, &m) || !m.name)
					abort();
		}
		if (t.kind == BK_BTF_KIND_ARRAY && bk_btf_array_info(btf, id, &(struct bk_btf_array){ 0 }))
			abort();
		if (t.kind == BK_BTF_KIND_INT && bk_btf_int_info(btf, id, &(struct bk_btf_int){ 0 }))
			abort();
		(void)bk_btf_resolve(btf, id); /* any id: must end, in bounds */
		if (t.kind == BK_BTF_KIND_ENUM || t.kind == BK_BTF_KIND_ENUM64) {
			for (uint32_t i = 0; i < t.vlen; i++)
				if (bk_btf_enumerator(btf, id, i, &e) || !e.name)
					abort();
		}
		/* Lookup by name finds this type or an earlier one of that name. */
		if (t.name[0] && id > 0) {
			int found = bk_btf_find(btf, t.name, (int)t.kind);

			if (found <= 0 || (uint32_t)found > id)
				abort();
		}
		if (id > 64) /* bounded work per input */
			break;
	}
	if (bk_btf_type_by_id(btf, n + 1, &(struct bk_btf_type){ 0 }) == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag d;
	struct bk_btf *btf = bk_btf_parse(data, size, &d);

	if (!btf) {
		if (d.err == 0 || d.msg[0] == '\0')
			abort(); /* every failure must say what */
		return 0;
	}
	walk(btf);
	bk_btf_free(btf);
	return 0;
}
