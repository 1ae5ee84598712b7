/* SPDX-License-Identifier: MIT */
/*
 * Private to the CO-RE modules (core_*.c): the parsed form of a relocation
 * (a "spec"), the candidate lists, the result of one relocation, and the
 * small BTF helpers they share. The rules are libbpf 1.x's relo_core.c.
 */
#ifndef BK_ELF_CORE_INT_H
#define BK_ELF_CORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

/* Relocation kinds as clang writes them in .BTF.ext (enum bpf_core_relo_kind). */
enum bk__core_kind {
	BK__CORE_FIELD_BYTE_OFFSET = 0,
	BK__CORE_FIELD_BYTE_SIZE = 1,
	BK__CORE_FIELD_EXISTS = 2,
	BK__CORE_FIELD_SIGNED = 3,
	BK__CORE_FIELD_LSHIFT_U64 = 4,
	BK__CORE_FIELD_RSHIFT_U64 = 5,
	BK__CORE_TYPE_ID_LOCAL = 6,
	BK__CORE_TYPE_ID_TARGET = 7,
	BK__CORE_TYPE_EXISTS = 8,
	BK__CORE_TYPE_SIZE = 9,
	BK__CORE_ENUMVAL_EXISTS = 10,
	BK__CORE_ENUMVAL_VALUE = 11,
	BK__CORE_TYPE_MATCHES = 12,
	BK__CORE_KIND_COUNT
};

/* What a kind relocates: a field, a type, or an enumerator. */
enum bk__core_class { BK__CORE_CLASS_NONE, BK__CORE_CLASS_FIELD, BK__CORE_CLASS_TYPE,
		      BK__CORE_CLASS_ENUMVAL };

/* libbpf's spelling of each kind ("byte_off", ...), "unknown" past the table. */
const char *bk__core_kind_name(uint32_t kind);
enum bk__core_class bk__core_kind_class(uint32_t kind);

#define BK__CORE_SPEC_MAX 64 /* accessors in an access string (libbpf's limit) */

/* One semantically meaningful step: a named member, an array index, or an
 * enumerator. name is NULL for array (and the root) steps. */
struct bk__core_acc {
	uint32_t type_id; /* the struct/union/enum holding it, or the element type */
	uint32_t idx;
	const char *name;
};

/* A relocation resolved against one BTF: high-level steps (spec), every raw
 * index of the access string including anonymous members (raw), and the
 * bit offset they add up to (32 bits wide, as libbpf keeps it). */
struct bk__core_spec {
	const struct bk_btf *btf;
	uint32_t root_type_id;
	uint32_t kind;
	struct bk__core_acc spec[BK__CORE_SPEC_MAX];
	int len;
	uint32_t raw[BK__CORE_SPEC_MAX];
	int raw_len;
	uint32_t bit_offset;
};

/* A candidate target type, and a (mutable) list of them. */
struct bk__core_cand {
	const struct bk_btf *btf;
	uint32_t id;
};
struct bk__core_cand_list {
	struct bk__core_cand *c;
	size_t n;
};

/* The outcome of one relocation against one candidate (or none). */
struct bk__core_res {
	uint64_t orig_val, new_val;
	bool poison;	      /* replace the instruction by the poison call */
	bool validate;	      /* the instruction must hold orig_val */
	bool fail_memsz;      /* a load/store whose size cannot be adjusted */
	uint32_t orig_sz, new_sz;	    /* memory access sizes (0: not a sized field) */
	uint32_t orig_type_id, new_type_id; /* the field types behind them */
};

/* ---- core_btf.c: BTF helpers --------------------------------------------- */

/* Length of name without its "___flavor" suffix (libbpf's essential name). */
size_t bk__core_essent_len(const char *name);
/* Essential names of a and b equal (both given whole). */
bool bk__core_essent_eq(const char *a, const char *b);
/* The type behind typedefs and modifiers into *t; its id, or -EINVAL. */
int bk__core_skip(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *t);
/* The type id itself into *t (0 is void); 0 or -EINVAL. */
int bk__core_type(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *t);
/* Size in bytes of type id as libbpf's btf__resolve_size computes it
 * (pointers are 8 bytes); -EINVAL for sizeless types, -E2BIG past 4 GiB. */
int64_t bk__core_resolve_size(const struct bk_btf *btf, uint32_t id);
bool bk__core_is_enum(enum bk_btf_kind k);
bool bk__core_is_composite(enum bk_btf_kind k);
/* Kinds that may stand for each other: equal, or ENUM with ENUM64. */
bool bk__core_kind_compat(enum bk_btf_kind a, enum bk_btf_kind b);
/* Name of the idx-th enumerator of enum id, NULL when out of range. */
const char *bk__core_enum_name(const struct bk_btf *btf, uint32_t id, uint32_t idx);

/* ---- core_cands.c --------------------------------------------------------- */

/* The candidate list of local type id (named, non-empty). Built on first use
 * from the index, then kept (and narrowed by the caller) for later relocations
 * of the same local type. 0, or -EINVAL (anonymous or bad id), -ENOMEM. */
int bk__core_cands_get(struct bk__core_cands *c, const struct bk_btf *local, uint32_t local_id,
		       struct bk__core_cand_list **out);

/* ---- core_spec.c ---------------------------------------------------------- */

/* Parse a record's access string against the local BTF. 0 or -errno. */
int bk__core_parse_spec(const struct bk_btf *local, uint32_t type_id, uint32_t kind,
			const char *access, struct bk__core_spec *spec);
/* Match a local spec against candidate targ_id: 1 matched (targ filled),
 * 0 not matching, -errno on malformed BTF. */
int bk__core_spec_match(const struct bk__core_spec *local, const struct bk_btf *targ_btf,
			uint32_t targ_id, struct bk__core_spec *targ);
/* "a.b[3].c" (or the enumerator name) of a spec into buf. */
void bk__core_spec_str(const struct bk__core_spec *spec, char *buf, size_t size);

/* ---- core_compat.c -------------------------------------------------------- */

int bk__core_fields_compat(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			   uint32_t tid);
int bk__core_types_compat(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			  uint32_t tid, int level);
int bk__core_types_match(const struct bk_btf *lb, uint32_t lid, const struct bk_btf *tb,
			 uint32_t tid, bool behind_ptr, int level);

/* ---- core_calc.c ---------------------------------------------------------- */

/* Original and new values of a relocation (targ NULL: no candidate). Sets
 * res->poison where libbpf poisons. 0, or -errno with why naming the cause. */
int bk__core_calc(uint32_t kind, const struct bk__core_spec *local,
		  const struct bk__core_spec *targ, struct bk__core_res *res, const char **why);

#endif /* BK_ELF_CORE_INT_H */
