// SPDX-License-Identifier: MIT
/* libFuzzer target: opening an ELF object (the ELF64 reader, section
 * sorting, BTF and .BTF.ext parsing, BTF-defined/legacy/data maps, externs)
 * must never crash or read out of bounds, must explain every rejection, and
 * whatever it accepts must be fully describable. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/object.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void describe(struct bk_object *obj)
{
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);
		size_t n = 0;
		const struct bk_insn *insns = bk_object_prog_insns(p, &n);

		if (!p || !bk_object_prog_name(p) || !bk_object_prog_section(p) || (n && !insns))
			abort();
		for (size_t k = 0; k < n; k++) /* every instruction is readable */
			if (insns[k].code == 0xff && insns[k].imm == 0x7fffffff)
				break;
	}
	for (size_t i = 0; i < bk_object_map_count(obj); i++) {
		struct bk_object_map *m = bk_object_map_at(obj, i);
		struct bk_object_map_def d;
		size_t size = 0;
		uint8_t *img;

		bk_object_map_def(m, &d);
		if (!bk_object_map_name(m) || strlen(bk_object_map_kernel_name(m)) > 15)
			abort();
		img = bk_object_map_data(m, &size);
		if (bk_object_map_is_data(m) && (!img || size != d.value_size))
			abort();
		if (img && size)
			img[size - 1] ^= 1; /* the image is writable, all of it */
	}
	for (size_t i = 0; i < bk_object_extern_count(obj); i++) {
		const char *name, *kind;
		bool weak;

		if (bk_object_extern_at(obj, i, &name, &kind, &weak) || !name || !kind)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_object_open_mem(data, size, BK_OPTS(bk_object_opts, .diag = &d));

	if (!obj) {
		if (!d.msg[0] || d.err >= 0)
			abort(); /* a rejection must say why */
		return 0;
	}
	describe(obj);
	bk_object_close(obj);
	return 0;
}
