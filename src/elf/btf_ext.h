/* SPDX-License-Identifier: MIT */
/*
 * Private to the elf layer: the .BTF.ext section of a clang-built object
 * (func_info, line_info and CO-RE relocation records, grouped by the ELF
 * section they describe), parsed with every offset and count checked.
 */
#ifndef BK_ELF_BTF_EXT_H
#define BK_ELF_BTF_EXT_H

#include <stddef.h>
#include <stdint.h>

#include <bpfkit/btf.h>
#include <bpfkit/common.h>

/* The records of one kind for one ELF section. */
struct bk__ext_info {
	const char *sec;     /* section name (from the .BTF strings), e.g. "xdp", ".text" */
	uint32_t rec_size;   /* bytes per record, >= the record struct below */
	uint32_t nrec;
	const uint8_t *recs; /* nrec * rec_size bytes, host order, owned by the bk__btf_ext */
};

/* insn_off of every record kind is a byte offset from the section's first instruction. */
struct bk__func_info_rec {
	uint32_t insn_off, type_id;
};
struct bk__line_info_rec {
	uint32_t insn_off, file_name_off, line_off, line_col; /* line_col: line << 10 | col */
};
struct bk__core_relo_rec {
	uint32_t insn_off, type_id, access_str_off, kind;
};

/* Which record kind bk__btf_ext_find() looks up. */
enum { BK__EXT_FUNC = 0, BK__EXT_LINE = 1, BK__EXT_CORE = 2 };

struct bk__btf_ext {
	struct bk__ext_info *func, *line, *core;
	size_t nfunc, nline, ncore;
	/* private */
	uint8_t *data; /* owned, aligned copy of the section bytes */
};

/*
 * Parse .BTF.ext (size bytes): header, then for each kind present its record
 * size and per-section blocks. Every offset and count is bounds-checked and
 * every section name must be a non-empty string of btf. Returns 0 with *out
 * set, or -EINVAL (malformed; diag->index is the byte offset and diag->msg
 * says what is wrong), -EOPNOTSUPP (other byte order) or -ENOMEM.
 */
int bk__btf_ext_parse(const void *data, size_t size, const struct bk_btf *btf,
		      struct bk__btf_ext **out, struct bk_diag *diag);

/* Release a parsed .BTF.ext; NULL is ignored. */
void bk__btf_ext_free(struct bk__btf_ext *ext);

/* The func (0), line (1) or core (2) records of section sec, or NULL. */
const struct bk__ext_info *bk__btf_ext_find(const struct bk__btf_ext *ext, int which,
					    const char *sec);

#endif /* BK_ELF_BTF_EXT_H */
