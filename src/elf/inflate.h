/* SPDX-License-Identifier: MIT */
/*
 * gunzip of our own (RFC 1951 deflate inside RFC 1952 gzip members), so the
 * loader reads /proc/config.gz without zlib.
 */
#ifndef BK_ELF_INFLATE_H
#define BK_ELF_INFLATE_H

#include <stddef.h>

/*
 * Decompress the gzip data in (in_len bytes: one member or several
 * concatenated, as gzip -dc reads them) into a new malloc'd buffer *out of
 * *out_len bytes (NUL-terminated one past the end, for text). Every member's
 * CRC-32 and length are checked. Returns 0; -EINVAL when the data is not gzip,
 * is corrupt or truncated, or has trailing garbage; -EFBIG when the output
 * would pass max_out bytes; -ENOMEM. On error *out is NULL.
 */
int bk__gunzip(const void *in, size_t in_len, void **out, size_t *out_len, size_t max_out);

#endif /* BK_ELF_INFLATE_H */
