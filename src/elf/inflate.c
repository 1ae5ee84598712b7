// SPDX-License-Identifier: MIT
/*
 * gunzip (RFC 1952 wrapper around RFC 1951 deflate) so that /proc/config.gz
 * can be read without zlib. Canonical Huffman decoding with count/symbol
 * tables; every read is bounds-checked and the output is capped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "inflate.h"

#define MAXBITS 15

struct in {
	const uint8_t *p;
	size_t len, pos;
	uint32_t bitbuf, bitcnt;
	uint8_t *out;
	size_t out_len, out_cap, max_out;
};

struct huff {
	uint16_t count[MAXBITS + 1];
	uint16_t symbol[320];
};

static int bits(struct in *s, unsigned need, uint32_t *v)
{
	while (s->bitcnt < need) {
		if (s->pos >= s->len)
			return -EINVAL;
		s->bitbuf |= (uint32_t)s->p[s->pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	*v = s->bitbuf & ((1u << need) - 1);
	s->bitbuf >>= need;
	s->bitcnt -= need;
	return 0;
}

static int put(struct in *s, uint8_t b)
{
	if (s->out_len == s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap * 2 : 65536;
		uint8_t *grown;

		if (s->out_len >= s->max_out)
			return -EFBIG;
		if (cap > s->max_out)
			cap = s->max_out;
		grown = realloc(s->out, cap);
		if (!grown)
			return -ENOMEM;
		s->out = grown;
		s->out_cap = cap;
	}
	s->out[s->out_len++] = b;
	return 0;
}

static int build(struct huff *h, const uint8_t *lengths, unsigned n)
{
	uint16_t offs[MAXBITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[lengths[i]]++;
	for (unsigned len = 1; len <= MAXBITS; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return -EINVAL; /* over-subscribed */
	}
	offs[1] = 0;
	for (unsigned len = 1; len < MAXBITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (uint16_t)i;
	return 0;
}

static int decode(struct in *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	uint32_t b;

	for (unsigned len = 1; len <= MAXBITS; len++) {
		if (bits(s, 1, &b))
			return -EINVAL;
		code |= (int)b;
		if (code - first < h->count[len])
			return h->symbol[index + (code - first)];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	return -EINVAL;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
					6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
					7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int codes(struct in *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit), err;
		uint32_t extra;
		size_t len, d;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			if ((err = put(s, (uint8_t)sym)))
				return err;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29 || bits(s, len_extra[sym], &extra))
			return -EINVAL;
		len = len_base[sym] + extra;
		sym = decode(s, dist);
		if (sym < 0 || sym >= 30 || bits(s, dist_extra[sym], &extra))
			return -EINVAL;
		d = dist_base[sym] + extra;
		if (d > s->out_len)
			return -EINVAL;
		while (len--)
			if ((err = put(s, s->out[s->out_len - d])))
				return err;
	}
}

static int stored(struct in *s)
{
	size_t len;
	int err;

	s->bitbuf = s->bitcnt = 0;
	if (s->len - s->pos < 4)
		return -EINVAL;
	len = s->p[s->pos] | (size_t)s->p[s->pos + 1] << 8;
	if ((len ^ 0xffff) != (s->p[s->pos + 2] | (size_t)s->p[s->pos + 3] << 8))
		return -EINVAL;
	s->pos += 4;
	if (s->len - s->pos < len)
		return -EINVAL;
	while (len--)
		if ((err = put(s, s->p[s->pos++])))
			return err;
	return 0;
}

static int fixed(struct in *s)
{
	struct huff lit, dist;
	uint8_t l[288];

	for (unsigned i = 0; i < 288; i++)
		l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	build(&lit, l, 288);
	memset(l, 5, 30);
	build(&dist, l, 30);
	return codes(s, &lit, &dist);
}

static int dynamic(struct in *s)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	struct huff lit, dist, cl;
	uint8_t l[320] = { 0 };
	uint32_t nlen, ndist, ncode, v;
	unsigned i = 0;

	if (bits(s, 5, &nlen) || bits(s, 5, &ndist) || bits(s, 4, &ncode))
		return -EINVAL;
	nlen += 257, ndist += 1, ncode += 4;
	if (nlen > 286 || ndist > 30)
		return -EINVAL;
	for (unsigned j = 0; j < ncode; j++) {
		if (bits(s, 3, &v))
			return -EINVAL;
		l[order[j]] = (uint8_t)v;
	}
	if (build(&cl, l, 19))
		return -EINVAL;
	memset(l, 0, sizeof(l));
	while (i < nlen + ndist) {
		int sym = decode(s, &cl);
		uint32_t rep;
		uint8_t val = 0;

		if (sym < 0)
			return -EINVAL;
		if (sym < 16) {
			l[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0 || bits(s, 2, &rep))
				return -EINVAL;
			val = l[i - 1], rep += 3;
		} else if (sym == 17) {
			if (bits(s, 3, &rep))
				return -EINVAL;
			rep += 3;
		} else {
			if (bits(s, 7, &rep))
				return -EINVAL;
			rep += 11;
		}
		if (i + rep > nlen + ndist)
			return -EINVAL;
		while (rep--)
			l[i++] = val;
	}
	if (l[256] == 0 || build(&lit, l, nlen) || build(&dist, l + nlen, ndist))
		return -EINVAL;
	return codes(s, &lit, &dist);
}

static int skip_header(struct in *s)
{
	uint8_t flg;

	if (s->len < 18 || s->p[0] != 0x1f || s->p[1] != 0x8b || s->p[2] != 8)
		return -EINVAL;
	flg = s->p[3];
	s->pos = 10;
	if (flg & 4) { /* FEXTRA */
		if (s->len - s->pos < 2)
			return -EINVAL;
		s->pos += 2 + (s->p[s->pos] | (size_t)s->p[s->pos + 1] << 8);
	}
	for (int f = 8; f <= 16; f <<= 1) /* FNAME, FCOMMENT: zero-terminated */
		if (flg & f) {
			while (s->pos < s->len && s->p[s->pos])
				s->pos++;
			s->pos++;
		}
	if (flg & 2)
		s->pos += 2;
	return s->pos < s->len ? 0 : -EINVAL;
}

int bk__gunzip(const void *in, size_t in_len, void **out, size_t *out_len, size_t max_out)
{
	struct in s = { .p = in, .len = in_len, .max_out = max_out };
	uint32_t last = 0, type;
	int err = skip_header(&s);

	while (!err && !last) {
		if (bits(&s, 1, &last) || bits(&s, 2, &type))
			err = -EINVAL;
		else if (type == 0)
			err = stored(&s);
		else if (type == 1)
			err = fixed(&s);
		else if (type == 2)
			err = dynamic(&s);
		else
			err = -EINVAL;
	}
	if (err) {
		free(s.out);
		return bk__err(err);
	}
	*out = s.out ? s.out : calloc(1, 1);
	*out_len = s.out_len;
	return *out ? 0 : bk__err(-ENOMEM);
}
