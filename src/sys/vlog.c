// SPDX-License-Identifier: MIT
/* The managed verifier log's buffer. */
#include <errno.h>
#include <stdlib.h>

#include "sys_int.h"
#include "vlog_int.h"

int bk__vlog_reserve(struct bk_vlog *v, size_t size)
{
	char *nb;

	if (size <= v->cap && v->text)
		return 0;
	nb = realloc(v->text, size);
	if (!nb)
		return bk__err(-ENOMEM);
	v->text = nb;
	v->cap = size;
	v->text[0] = '\0';
	v->len = 0;
	return 0;
}

int bk__vlog_grow(struct bk_vlog *v, uint32_t true_size)
{
	size_t want = true_size > v->cap ? (size_t)true_size : v->cap * 2;

	if (v->cap >= BK__VLOG_MAX)
		return bk__err(-E2BIG);
	if (want > BK__VLOG_MAX)
		want = BK__VLOG_MAX;
	return bk__vlog_reserve(v, want);
}

void bk_vlog_free(struct bk_vlog *v)
{
	if (!v)
		return;
	free(v->text);
	v->text = NULL;
	v->len = v->cap = 0;
}
