/* SPDX-License-Identifier: MIT */
/*
 * A growing output buffer for bulk text (map dump of millions of entries):
 * bytes are formatted with table lookups, not printf, and reach the FILE in
 * large writes. Write errors surface through the FILE (ferror), which the
 * CLI checks before it exits.
 */
#ifndef BK_CLI_OUTBUF_H
#define BK_CLI_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bk_outbuf {
	FILE *f;
	char *p;
	size_t n, cap;
	int err; /* ENOMEM once growing failed; output is dropped then */
};

void bk_outbuf_init(struct bk_outbuf *b, FILE *f);
/* Write what is buffered to the FILE; returns 0 or -1 (ferror(f) or err). */
int bk_outbuf_flush(struct bk_outbuf *b);
void bk_outbuf_free(struct bk_outbuf *b);
/* Room for need more bytes; NULL after an allocation failure. */
char *bk_outbuf_room(struct bk_outbuf *b, size_t need);
void bk_outbuf_str(struct bk_outbuf *b, const char *s);
/* Bytes as bpftool prints them: "01 02 .. 08  09 .. 10\n11 ..." (16 a line). */
void bk_outbuf_hex(struct bk_outbuf *b, const uint8_t *p, size_t n);

#endif /* BK_CLI_OUTBUF_H */
