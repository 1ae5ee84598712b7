// SPDX-License-Identifier: MIT
/*
 * The assembler's labels: an open-addressing hash from name to label number
 * (kept at most half full, so defining and finding a label stays O(1) and
 * 200k labels assemble in linear time), with where each was defined.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* The hash slot holding label name, or the empty slot where it would go. */
static size_t label_slot(const struct asm_state *st, const char *name, size_t len)
{
	size_t mask = st->htcap - 1, k = name_hash(name, len) & mask;

	while (st->ht[k]) {
		const char *l = st->label[st->ht[k] - 1];

		if (!strncmp(l, name, len) && l[len] == '\0')
			return k;
		k = (k + 1) & mask;
	}
	return k;
}

/* The number of label name, or -1. */
long bk__asm_find_label(const struct asm_state *st, const char *name)
{
	size_t k;

	if (!st->htcap)
		return -1;
	k = label_slot(st, name, strlen(name));
	return st->ht[k] ? (long)st->ht[k] - 1 : -1;
}

/* Keep the hash at most half full: lookups stay O(1), labels linear. */
static int grow_hash(struct asm_state *st)
{
	size_t ncap = st->htcap ? st->htcap * 2 : 256;
	uint32_t *old = st->ht;
	size_t ocap = st->htcap;

	if (2 * (st->nlabel + 1) <= st->htcap)
		return 0;
	st->ht = calloc(ncap, sizeof(*st->ht));
	if (!st->ht) {
		st->ht = old;
		return bk__err(-ENOMEM);
	}
	st->htcap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i]) {
			const char *l = st->label[old[i] - 1];

			st->ht[label_slot(st, l, strlen(l))] = old[i];
		}
	free(old);
	return 0;
}

int bk__asm_add_label(struct asm_state *st, const char *name, size_t len, uint32_t col)
{
	void *p;
	size_t cap, k;

	if (len >= sizeof(st->label[0]))
		return bk__asm_locate(st, col, -EINVAL, "label '%.*s' is longer than 63 characters",
			      (int)len, name);
	if (st->htcap) {
		k = label_slot(st, name, len);
		if (st->ht[k] && st->label_sec[st->ht[k] - 1] < 0) { /* declared, now defined */
			size_t i = st->ht[k] - 1;

			st->label_sec[i] = (int32_t)st->cur;
			st->label_at[i] = st->n;
			st->label_line[i] = st->line;
			st->label_col[i] = col;
			return 0;
		}
		if (st->ht[k]) {
			size_t i = st->ht[k] - 1;

			return bk__asm_locate(st, col, -EINVAL,
				      "duplicate label '%.*s' (first defined at %u:%u)", (int)len,
				      name, st->label_line[i], st->label_col[i]);
		}
	}
	if (st->nlabel >= UINT32_MAX - 1 || grow_hash(st))
		return -ENOMEM;
	cap = st->caplabel;
	p = st->label;
	if (bk__asm_grow(&p, &cap, st->nlabel + 1, sizeof(st->label[0])))
		return -ENOMEM;
	st->label = p;
	cap = st->caplabel;
	p = st->label_at;
	if (bk__asm_grow(&p, &cap, st->nlabel + 1, sizeof(size_t)))
		return -ENOMEM;
	st->label_at = p;
	cap = st->caplabel;
	p = st->label_line;
	if (bk__asm_grow(&p, &cap, st->nlabel + 1, sizeof(uint32_t)))
		return -ENOMEM;
	st->label_line = p;
	cap = st->caplabel;
	p = st->label_col;
	if (bk__asm_grow(&p, &cap, st->nlabel + 1, sizeof(uint32_t)))
		return -ENOMEM;
	st->label_col = p;
	cap = st->caplabel;
	p = st->label_sec;
	if (bk__asm_grow(&p, &cap, st->nlabel + 1, sizeof(int32_t)))
		return -ENOMEM;
	st->label_sec = p;
	st->caplabel = cap;
	st->label_sec[st->nlabel] = (int32_t)st->cur;
	memcpy(st->label[st->nlabel], name, len);
	st->label[st->nlabel][len] = '\0';
	st->label_at[st->nlabel] = st->n;
	st->label_line[st->nlabel] = st->line;
	st->label_col[st->nlabel] = col;
	st->ht[label_slot(st, name, len)] = (uint32_t)++st->nlabel;
	return 0;
}

int bk__asm_declare(struct asm_state *st, const char *name, size_t len, uint32_t col)
{
	int err;

	if (st->htcap && len < sizeof(st->label[0]) && st->ht[label_slot(st, name, len)])
		return 0; /* known already */
	err = bk__asm_add_label(st, name, len, col);
	if (!err)
		st->label_sec[st->nlabel - 1] = -1;
	return err;
}

