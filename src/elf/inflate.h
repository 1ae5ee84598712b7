/* SPDX-License-Identifier: MIT */
/* gunzip of our own (RFC 1951/1952), no zlib. */
#ifndef BK_ELF_INFLATE_H
#define BK_ELF_INFLATE_H

#include <stddef.h>

/* Decompress a gzip member: *out malloc'd (*out_len bytes, at most max_out).
 * 0, -EINVAL for corrupt input, -EFBIG past max_out, -ENOMEM. */
int bk__gunzip(const void *in, size_t in_len, void **out, size_t *out_len, size_t max_out);

#endif /* BK_ELF_INFLATE_H */
