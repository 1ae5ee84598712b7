// SPDX-License-Identifier: MIT
/* Bulk text output without printf per byte; see outbuf.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outbuf.h"

#define OUTBUF_FLUSH (256 * 1024)

void bk_outbuf_init(struct bk_outbuf *b, FILE *f)
{
	memset(b, 0, sizeof(*b));
	b->f = f;
}

int bk_outbuf_flush(struct bk_outbuf *b)
{
	if (b->n && fwrite(b->p, 1, b->n, b->f) != b->n)
		b->err = b->err ? b->err : EIO;
	b->n = 0;
	return b->err || ferror(b->f) ? -1 : 0;
}

void bk_outbuf_free(struct bk_outbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->cap = b->n = 0;
}

char *bk_outbuf_room(struct bk_outbuf *b, size_t need)
{
	if (b->n + need > b->cap && b->n >= OUTBUF_FLUSH / 2)
		bk_outbuf_flush(b);
	if (b->n + need > b->cap) {
		size_t cap = b->n + need > OUTBUF_FLUSH ? b->n + need : OUTBUF_FLUSH;
		char *np = realloc(b->p, cap);

		if (!np) {
			b->err = ENOMEM;
			return NULL;
		}
		b->p = np;
		b->cap = cap;
	}
	return b->p + b->n;
}

void bk_outbuf_str(struct bk_outbuf *b, const char *s)
{
	size_t len = strlen(s);
	char *d = bk_outbuf_room(b, len);

	if (!d)
		return;
	/* the buffer is bytes for fwrite, never a C string */
	memcpy(d, s, len); /* NOLINT(bugprone-not-null-terminated-result) */
	b->n += len;
}

void bk_outbuf_hex(struct bk_outbuf *b, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *d = bk_outbuf_room(b, n * 4), *start = d;

	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			if (i % 16 == 0) {
				*d++ = '\n';
			} else {
				*d++ = ' ';
				if (i % 8 == 0)
					*d++ = ' ';
			}
		}
		*d++ = digits[p[i] >> 4];
		*d++ = digits[p[i] & 15];
	}
	b->n += (size_t)(d - start);
}
