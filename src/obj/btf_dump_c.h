/* SPDX-License-Identifier: MIT */
/* Private to the C dumper (btf_dump_c*.c): its state and output buffer. */
#ifndef BK_BTF_DUMP_C_H
#define BK_BTF_DUMP_C_H

#include <stdio.h>

#include "btf_int.h"

enum { ST_NONE, ST_BUSY, ST_DONE }; /* ordering and emitting states */

struct tstate {
	uint8_t order, emit;
	uint8_t fwd_emitted : 1, referenced : 1, name_resolved : 1;
	uint8_t align; /* cd_align() of a struct or union once known, 0: not yet */
};

/* Name -> number of types (or identifiers) that used it so far. */
struct namemap {
	const char **keys;
	uint32_t *counts;
	uint32_t cap, n;
};

struct cdump {
	const struct bk_btf *b;
	uint32_t n; /* largest valid id */
	struct tstate *st;
	char **names; /* names[id]: "name___N" when deduplicated, else NULL */
	struct namemap types, idents;
	uint32_t *queue;
	size_t nq, capq;
	uint32_t *decl; /* declaration stack, shared by nested declarators */
	size_t ndecl, capdecl;
	FILE *out;
	char *buf; /* output buffer */
	size_t nbuf;
	uint64_t written, limit; /* anonymous types nest: bound the output... */
	uint64_t steps, max_steps; /* ...and the walks that lead to it */
	int depth;
	int err;
};

#define CD_BUF (1u << 16)
#define CD_MAX_DEPTH 512

/* Output. */
void cd_put(struct cdump *d, const char *s);
void cd_putf(struct cdump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cd_indent(struct cdump *d, int lvl);

/* The record of id, NULL (and d->err set) when id is out of range. */
const uint8_t *cd_rec(struct cdump *d, uint32_t id);

/* Names, deduplicated as they are first used: struct/union/enum tags, and
 * typedefs (which share their namespace with enumerators). */
const char *cd_type_name(struct cdump *d, uint32_t id);
const char *cd_ident_name(struct cdump *d, uint32_t id);
uint32_t cd_name_dups(struct cdump *d, struct namemap *m, const char *name);

/* Size and alignment of a type in bytes (0 when unknown). */
uint32_t cd_align(struct cdump *d, uint32_t id, int depth);
uint64_t cd_size(struct cdump *d, uint32_t id, int depth);

/* Definitions and declarators (btf_dump_c_decl.c). */
void cd_struct_def(struct cdump *d, uint32_t id, int lvl);
void cd_enum_def(struct cdump *d, uint32_t id, int lvl);
void cd_typedef_def(struct cdump *d, uint32_t id, int lvl);
void cd_struct_fwd(struct cdump *d, uint32_t id);
void cd_type_decl(struct cdump *d, uint32_t id, const char *fname, int lvl);

#endif /* BK_BTF_DUMP_C_H */
