// SPDX-License-Identifier: MIT
/*
 * .BTF.ext reader. Layout (host byte order, offsets in bytes):
 *
 *   header: u16 magic 0xeb9f, u8 version 1, u8 flags 0, u32 hdr_len,
 *           u32 func_info_off, func_info_len, line_info_off, line_info_len,
 *           [u32 core_relo_off, core_relo_len]   (when hdr_len >= 32)
 *   offsets are relative to the end of the header (hdr_len).
 *
 *   each kind's area: u32 rec_size, then blocks until the area ends:
 *           u32 sec_name_off (into .BTF strings), u32 num_info (> 0),
 *           num_info * rec_size bytes of records.
 *
 * The checks follow what libbpf refuses (alignment, minimum record sizes,
 * empty blocks), so an object one loader rejects the other rejects too.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "btf_ext.h"

#define EXT_MAGIC 0xeb9f
#define EXT_MAGIC_SWAPPED 0x9feb
#define EXT_HDR_MIN 24u	 /* through line_info_len */
#define EXT_HDR_CORE 32u /* through core_relo_len */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int bad(struct bk_diag *d, uint64_t at, const char *what, const char *kind)
{
	if (d)
		d->index = (uint32_t)at;
	return bk__diag(d, -EINVAL, ".BTF.ext byte %llu: %s%s%s", (unsigned long long)at,
			kind ? kind : "", kind ? ": " : "", what);
}

/* One kind's area: its bounds and minimum record size. */
struct area {
	const char *kind;
	uint32_t off, len, min_rec;
	struct bk__ext_info **infos;
	size_t *n;
};

/* Count the blocks of an area after checking every bound; fills nothing. */
static int area_scan(const uint8_t *d, size_t size, uint32_t hdr_len, const struct area *a,
		     size_t *nblocks, struct bk_diag *diag)
{
	uint64_t start = (uint64_t)hdr_len + a->off, pos, end;
	uint32_t rec_size;

	*nblocks = 0;
	if (a->len == 0)
		return 0;
	if (a->off & 3)
		return bad(diag, start, "area not aligned to 4 bytes", a->kind);
	end = start + a->len;
	if (end > size)
		return bad(diag, start, "area runs past the end of the section", a->kind);
	if (a->len < 4)
		return bad(diag, start, "area too short for its record size", a->kind);
	rec_size = rd32(d + start);
	if (rec_size < a->min_rec || (rec_size & 3))
		return bad(diag, start, "invalid record size", a->kind);
	pos = start + 4;
	if (pos == end)
		return bad(diag, pos, "area has no records", a->kind);
	while (pos < end) {
		uint32_t nrec;

		if (end - pos < 8)
			return bad(diag, pos, "truncated block header", a->kind);
		nrec = rd32(d + pos + 4);
		if (nrec == 0)
			return bad(diag, pos + 4, "block with zero records", a->kind);
		if ((uint64_t)nrec * rec_size > end - pos - 8)
			return bad(diag, pos + 4, "record count runs past the area", a->kind);
		pos += 8 + (uint64_t)nrec * rec_size;
		(*nblocks)++;
	}
	return 0;
}

static int area_fill(const uint8_t *d, uint32_t hdr_len, const struct area *a, size_t nblocks,
		     const struct bk_btf *btf, struct bk_diag *diag)
{
	uint64_t pos = (uint64_t)hdr_len + a->off;
	uint32_t rec_size;

	if (nblocks == 0)
		return 0;
	*a->infos = calloc(nblocks, sizeof(**a->infos));
	if (!*a->infos)
		return bk__diag(diag, -ENOMEM, "out of memory reading .BTF.ext");
	rec_size = rd32(d + pos);
	pos += 4;
	for (size_t i = 0; i < nblocks; i++) {
		struct bk__ext_info *e = &(*a->infos)[i];
		const char *name = bk_btf_str(btf, rd32(d + pos));

		if (!name || !*name)
			return bad(diag, pos, "section name is not a .BTF string", a->kind);
		e->sec = name;
		e->rec_size = rec_size;
		e->nrec = rd32(d + pos + 4);
		e->recs = d + pos + 8;
		pos += 8 + (uint64_t)e->nrec * rec_size;
	}
	*a->n = nblocks;
	return 0;
}

static int parse_header(const uint8_t *d, size_t size, uint32_t *hdr_len, struct bk_diag *diag)
{
	uint16_t magic;

	if (size < EXT_HDR_MIN)
		return bad(diag, 0, "truncated header", NULL);
	memcpy(&magic, d, sizeof(magic));
	if (magic == EXT_MAGIC_SWAPPED)
		return bk__diag(diag, -EOPNOTSUPP, ".BTF.ext is in the other byte order");
	if (magic != EXT_MAGIC)
		return bad(diag, 0, "bad magic", NULL);
	if (d[2] != 1)
		return bad(diag, 2, "unsupported version", NULL);
	if (d[3] != 0)
		return bad(diag, 3, "unsupported flags", NULL);
	*hdr_len = rd32(d + 4);
	if (*hdr_len < EXT_HDR_MIN || *hdr_len > size)
		return bad(diag, 4, "header length out of range", NULL);
	return 0;
}

int bk__btf_ext_parse(const void *data, size_t size, const struct bk_btf *btf,
		      struct bk__btf_ext **out, struct bk_diag *diag)
{
	struct bk__btf_ext *ext;
	uint32_t hdr_len = 0;
	const uint8_t *d;
	int err;

	if (!data || !btf || !out)
		return bk__diag(diag, -EINVAL, "NULL .BTF.ext argument");
	*out = NULL;
	if (size > UINT32_MAX)
		return bad(diag, 0, "section larger than 4 GiB", NULL);
	err = parse_header(data, size, &hdr_len, diag);
	if (err)
		return err;
	ext = calloc(1, sizeof(*ext));
	if (!ext || !(ext->data = malloc(size))) {
		free(ext);
		return bk__diag(diag, -ENOMEM, "out of memory reading .BTF.ext");
	}
	memcpy(ext->data, data, size);
	d = ext->data;
	{
		struct area areas[3] = {
			{ "func_info", rd32(d + 8), rd32(d + 12), sizeof(struct bk__func_info_rec),
			  &ext->func, &ext->nfunc },
			{ "line_info", rd32(d + 16), rd32(d + 20),
			  sizeof(struct bk__line_info_rec), &ext->line, &ext->nline },
			{ "core_relo", 0, 0, sizeof(struct bk__core_relo_rec), &ext->core,
			  &ext->ncore },
		};

		if (hdr_len >= EXT_HDR_CORE) {
			areas[2].off = rd32(d + 24);
			areas[2].len = rd32(d + 28);
		}
		for (int i = 0; i < 3 && !err; i++) {
			size_t nb;

			err = area_scan(d, size, hdr_len, &areas[i], &nb, diag);
			if (!err)
				err = area_fill(d, hdr_len, &areas[i], nb, btf, diag);
		}
	}
	if (err) {
		bk__btf_ext_free(ext);
		return bk__err(err);
	}
	*out = ext;
	return 0;
}

void bk__btf_ext_free(struct bk__btf_ext *ext)
{
	if (!ext)
		return;
	free(ext->func);
	free(ext->line);
	free(ext->core);
	free(ext->data);
	free(ext);
}

const struct bk__ext_info *bk__btf_ext_find(const struct bk__btf_ext *ext, int which,
					    const char *sec)
{
	const struct bk__ext_info *infos;
	size_t n;

	if (!ext || !sec)
		return NULL;
	switch (which) {
	case BK__EXT_FUNC:
		infos = ext->func, n = ext->nfunc;
		break;
	case BK__EXT_LINE:
		infos = ext->line, n = ext->nline;
		break;
	case BK__EXT_CORE:
		infos = ext->core, n = ext->ncore;
		break;
	default:
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(infos[i].sec, sec) == 0)
			return &infos[i];
	return NULL;
}
