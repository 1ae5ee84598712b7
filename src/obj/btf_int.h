/* SPDX-License-Identifier: MIT */
/*
 * Private to the BTF modules (reader, writer, dumpers): the parsed form, so
 * the writer can copy a parsed BTF and the dumpers walk records directly.
 *
 * Split BTF (a kernel module's) continues a base: its first type id is one
 * past the base's last, and its string offsets continue the base's string
 * section. Lookups below an object's own range go to its base.
 */
#ifndef BK_BTF_INT_H
#define BK_BTF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <bpfkit/btf.h>

#define BK__BTF_MAGIC 0xeb9f
#define BK__BTF_HDR 24u
#define BK__BTF_TYPE_SZ 12u

struct bk_btf {
	uint8_t *data;	      /* owned copy of the whole raw BTF */
	size_t size;	      /* bytes in data */
	const uint8_t *types; /* type section inside data */
	uint32_t types_len;
	const char *strs; /* string section inside data */
	uint32_t strs_len;
	uint32_t *offs;	   /* offs[i] = offset in types of own type i (1-based) */
	uint32_t nr_own;   /* own types */
	uint32_t nr_types; /* largest id: the base's plus our own */
	uint32_t start_id; /* first own id: 1, or the base's nr_types + 1 */
	uint32_t start_str; /* first own string offset: 0, or the base's string end */
	const struct bk_btf *base;
};

static inline uint32_t bk__rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The record of a valid id > 0. */
static inline const uint8_t *bk__btf_rec(const struct bk_btf *b, uint32_t id)
{
	while (id < b->start_id && b->base)
		b = b->base;
	return b->types + b->offs[id - b->start_id + 1];
}

/* The string at a valid offset. */
static inline const char *bk__btf_s(const struct bk_btf *b, uint32_t off)
{
	while (off < b->start_str && b->base)
		b = b->base;
	return b->strs + (off - b->start_str);
}

static inline uint32_t bk__btf_kind(const uint8_t *rec)
{
	return (bk__rd32(rec + 4) >> 24) & 0x1f;
}

static inline uint32_t bk__btf_vlen(const uint8_t *rec)
{
	return bk__rd32(rec + 4) & 0xffff;
}

static inline const char *bk__btf_rname(const struct bk_btf *b, const uint8_t *rec)
{
	return bk__btf_s(b, bk__rd32(rec));
}

/* Bytes of the kind-specific data after the 12-byte common part. */
uint32_t bk__btf_extra(uint32_t kind, uint32_t vlen);

/* True when the builder makes split BTF. */
bool bk__btf_builder_split(const struct bk_btf_builder *b);

#endif /* BK_BTF_INT_H */
