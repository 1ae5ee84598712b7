// SPDX-License-Identifier: MIT
/*
 * Inflate (RFC 1951) and the gzip wrapper (RFC 1952). Canonical Huffman codes
 * are decoded through a table of the codes up to FAST_BITS long (nearly all of
 * them), and longer ones a bit at a time from per-length counts. Every read is
 * bounds-checked; corrupt input is -EINVAL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "inflate.h"

#define MAX_BITS 15
#define MAX_LITLEN 288
#define MAX_DIST 32
#define MAX_CODELEN 19
#define FAST_BITS 9

struct huff {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t symbol[MAX_LITLEN];  /* symbols in canonical order (<= MAX_LITLEN of them) */
	/* by the next FAST_BITS input bits: length << 9 | symbol, 0 if longer */
	uint16_t fast[1u << FAST_BITS];
};

struct inf {
	const uint8_t *in;
	size_t in_len, pos;  /* next byte to load into bits */
	uint32_t bits;       /* not yet used bits, lowest first (whole bytes loaded) */
	unsigned nbits;
	uint8_t *out;
	size_t out_len, out_cap, max_out;
	size_t member_start; /* back references stay inside the member */
};

/* The next n (<= 16) bits, lowest first; -1 when the input ends. */
static int getbits(struct inf *s, unsigned n)
{
	int v;

	while (s->nbits < n) {
		if (s->pos >= s->in_len)
			return -1;
		s->bits |= (uint32_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
	v = (int)(s->bits & ((1u << n) - 1));
	s->bits >>= n;
	s->nbits -= n;
	return v;
}

/* As many whole bytes as fit in bits. */
static void refill(struct inf *s)
{
	while (s->nbits <= 24 && s->pos < s->in_len) {
		s->bits |= (uint32_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
}

/* To the next byte boundary, handing whole bytes held in bits back to the input. */
static void align_byte(struct inf *s)
{
	s->pos -= s->nbits / 8;
	s->bits = 0;
	s->nbits = 0;
}

/* Room for n more output bytes (and the final NUL), within max_out. */
static int reserve(struct inf *s, size_t n)
{
	size_t cap = s->out_cap ? s->out_cap : 4096;
	uint8_t *p;

	if (n > s->max_out - s->out_len)
		return -EFBIG;
	if (s->out && s->out_len + n <= s->out_cap)
		return 0;
	while (cap < s->out_len + n && cap <= SIZE_MAX / 4)
		cap *= 2;
	if (cap > s->max_out)
		cap = s->max_out;
	p = realloc(s->out, cap + 1);
	if (!p)
		return -ENOMEM;
	s->out = p;
	s->out_cap = cap;
	return 0;
}

static int put(struct inf *s, uint8_t c)
{
	int err = reserve(s, 1);

	if (err)
		return err;
	s->out[s->out_len++] = c;
	return 0;
}

/* The input carries Huffman codes first bit first: the table is indexed by
 * the code's bits reversed, every entry whose low bits are that code. */
static void fast_build(struct huff *h)
{
	unsigned code = 0, idx = 0;

	memset(h->fast, 0, sizeof(h->fast));
	for (unsigned b = 1; b <= FAST_BITS; b++, code <<= 1)
		for (unsigned c = 0; c < h->count[b]; c++, idx++, code++) {
			unsigned rev = 0;

			for (unsigned k = 0; k < b; k++)
				rev |= ((code >> k) & 1u) << (b - 1 - k);
			for (unsigned e = rev; e < (1u << FAST_BITS); e += 1u << b)
				h->fast[e] = (uint16_t)(b << 9 | h->symbol[idx]);
		}
}

/*
 * Build a canonical code from n code lengths. An over-subscribed set is
 * invalid; an incomplete one is allowed only as a single code of length one
 * (what deflate encoders emit for a lone distance code) or none at all.
 */
static int huff_build(struct huff *h, const uint8_t *len, unsigned n)
{
	uint16_t offs[MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[len[i]]++;
	for (unsigned b = 1; b <= MAX_BITS; b++) {
		left = (left << 1) - h->count[b];
		if (left < 0)
			return -EINVAL;
	}
	if (left > 0 && !(h->count[0] == n || (h->count[0] == n - 1 && h->count[1] == 1)))
		return -EINVAL;
	offs[1] = 0;
	for (unsigned b = 1; b < MAX_BITS; b++)
		offs[b + 1] = (uint16_t)(offs[b] + h->count[b]);
	for (unsigned i = 0; i < n; i++)
		if (len[i])
			h->symbol[offs[len[i]]++] = (uint16_t)i;
	fast_build(h);
	return 0;
}

/* One symbol; -EINVAL for a code the table lacks or input that ends. */
static int huff_decode(struct inf *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	unsigned e;

	refill(s);
	e = h->fast[s->bits & ((1u << FAST_BITS) - 1)];
	if (e && e >> 9 <= s->nbits) {
		s->bits >>= e >> 9;
		s->nbits -= e >> 9;
		return (int)(e & 0x1ff);
	}
	for (unsigned b = 1; b <= MAX_BITS; b++) {
		int bit = getbits(s, 1), count;

		if (bit < 0)
			return -EINVAL;
		code |= bit;
		count = h->count[b];
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -EINVAL;
}

static const uint16_t len_base[29] = { 3,  4,  5,  6,  7,  8,  9,  10, 11,  13,
				       15, 17, 19, 23, 27, 31, 35, 43, 51,  59,
				       67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1,    2,    3,    4,    5,    7,     9,     13,
					17,   25,   33,   49,   65,   97,    129,   193,
					257,  385,  513,  769,  1025, 1537,  2049,  3073,
					4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,
					6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* Copy len bytes from dist back; the regions may overlap (runs). */
static int copy_back(struct inf *s, unsigned dist, unsigned len)
{
	int err;

	if (dist > s->out_len - s->member_start)
		return -EINVAL;
	err = reserve(s, len);
	if (err)
		return err;
	for (uint8_t *d = s->out + s->out_len, *end = d + len; d < end; d++)
		*d = d[-(ptrdiff_t)dist]; /* byte by byte: a run repeats what it writes */
	s->out_len += len;
	return 0;
}

static int inflate_codes(struct inf *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = huff_decode(s, lit), e, d, err;
		unsigned len;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			err = put(s, (uint8_t)sym);
			if (err)
				return err;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -EINVAL;
		e = getbits(s, len_extra[sym]);
		if (e < 0)
			return -EINVAL;
		len = len_base[sym] + (unsigned)e;
		sym = huff_decode(s, dist);
		if (sym < 0 || sym >= 30)
			return -EINVAL;
		d = getbits(s, dist_extra[sym]);
		if (d < 0)
			return -EINVAL;
		err = copy_back(s, dist_base[sym] + (unsigned)d, len);
		if (err)
			return err;
	}
}

static int inflate_stored(struct inf *s)
{
	unsigned len, nlen;

	align_byte(s);
	if (s->in_len - s->pos < 4)
		return -EINVAL;
	len = s->in[s->pos] | (unsigned)s->in[s->pos + 1] << 8;
	nlen = s->in[s->pos + 2] | (unsigned)s->in[s->pos + 3] << 8;
	s->pos += 4;
	if (len != (~nlen & 0xffff) || s->in_len - s->pos < len)
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		int err = put(s, s->in[s->pos + i]);

		if (err)
			return err;
	}
	s->pos += len;
	return 0;
}

static int inflate_fixed(struct inf *s)
{
	static const struct {
		unsigned from, to, len;
	} ranges[] = { { 0, 144, 8 }, { 144, 256, 9 }, { 256, 280, 7 }, { 280, 288, 8 } };
	uint8_t len[MAX_LITLEN];
	struct huff lit, dist;

	for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++)
		memset(len + ranges[r].from, (int)ranges[r].len, ranges[r].to - ranges[r].from);
	/* both complete codes: distance codes 30 and 31 exist but are invalid */
	huff_build(&lit, len, MAX_LITLEN);
	memset(len, 5, MAX_DIST);
	huff_build(&dist, len, MAX_DIST);
	return inflate_codes(s, &lit, &dist);
}

/* The code-length code, then the literal/length and distance lengths it codes. */
static int read_lengths(struct inf *s, uint8_t *len, unsigned nlen, unsigned ndist)
{
	static const uint8_t order[MAX_CODELEN] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
						    11, 4,  12, 3, 13, 2, 14, 1, 15 };
	uint8_t cl[MAX_CODELEN] = { 0 };
	int ncl = getbits(s, 4);
	struct huff h;

	if (ncl < 0)
		return -EINVAL;
	for (int i = 0; i < ncl + 4; i++) {
		int v = getbits(s, 3);

		if (v < 0)
			return -EINVAL;
		cl[order[i]] = (uint8_t)v;
	}
	if (huff_build(&h, cl, MAX_CODELEN))
		return -EINVAL;
	for (unsigned i = 0; i < nlen + ndist;) {
		int sym = huff_decode(s, &h), rep, extra, val = 0;

		if (sym < 0)
			return -EINVAL;
		if (sym < 16) {
			len[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -EINVAL; /* nothing to repeat */
			val = len[i - 1];
			extra = getbits(s, 2);
			rep = extra + 3;
		} else if (sym == 17) {
			extra = getbits(s, 3);
			rep = extra + 3;
		} else {
			extra = getbits(s, 7);
			rep = extra + 11;
		}
		if (extra < 0 || i + (unsigned)rep > nlen + ndist)
			return -EINVAL;
		memset(len + i, val, (size_t)rep);
		i += (unsigned)rep;
	}
	return len[256] ? 0 : -EINVAL; /* a block must be able to end */
}

static int inflate_dynamic(struct inf *s)
{
	uint8_t len[MAX_LITLEN + MAX_DIST] = { 0 };
	int nlen = getbits(s, 5), ndist = getbits(s, 5);
	struct huff lit, dist;

	if (nlen < 0 || ndist < 0)
		return -EINVAL;
	nlen += 257;
	ndist += 1;
	if (nlen > 286 || ndist > 30)
		return -EINVAL;
	if (read_lengths(s, len, (unsigned)nlen, (unsigned)ndist))
		return -EINVAL;
	if (huff_build(&lit, len, (unsigned)nlen) || huff_build(&dist, len + nlen, (unsigned)ndist))
		return -EINVAL;
	return inflate_codes(s, &lit, &dist);
}

/* One raw deflate stream, starting at s->pos; leaves s->pos after its last byte. */
static int inflate_stream(struct inf *s)
{
	int last, type, err;

	s->bits = 0;
	s->nbits = 0;
	do {
		last = getbits(s, 1);
		type = getbits(s, 2);
		if (last < 0 || type < 0)
			return -EINVAL;
		if (type == 0)
			err = inflate_stored(s);
		else if (type == 1)
			err = inflate_fixed(s);
		else if (type == 2)
			err = inflate_dynamic(s);
		else
			err = -EINVAL;
		if (err)
			return err;
	} while (!last);
	align_byte(s); /* the rest of the last byte is padding; the trailer follows */
	return 0;
}

static uint32_t crc32_update(const uint32_t *table, uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void crc32_table(uint32_t *table)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Skip a NUL-terminated header field. */
static int skip_str(struct inf *s)
{
	const uint8_t *z = memchr(s->in + s->pos, 0, s->in_len - s->pos);

	if (!z)
		return -EINVAL;
	s->pos = (size_t)(z - s->in) + 1;
	return 0;
}

/* The member header at s->pos (RFC 1952 section 2.3). */
static int gzip_header(struct inf *s, const uint32_t *crc_table)
{
	size_t start = s->pos;
	uint8_t flg;

	if (s->in_len - s->pos < 10 || s->in[s->pos] != 0x1f || s->in[s->pos + 1] != 0x8b ||
	    s->in[s->pos + 2] != 8)
		return -EINVAL;
	flg = s->in[s->pos + 3];
	if (flg & 0xe0)
		return -EINVAL; /* reserved flags */
	s->pos += 10;
	if (flg & 4) { /* FEXTRA */
		size_t xlen;

		if (s->in_len - s->pos < 2)
			return -EINVAL;
		xlen = s->in[s->pos] | (size_t)s->in[s->pos + 1] << 8;
		s->pos += 2;
		if (s->in_len - s->pos < xlen)
			return -EINVAL;
		s->pos += xlen;
	}
	if ((flg & 8) && skip_str(s)) /* FNAME */
		return -EINVAL;
	if ((flg & 16) && skip_str(s)) /* FCOMMENT */
		return -EINVAL;
	if (flg & 2) { /* FHCRC: low 16 bits of the header's CRC-32 */
		uint32_t crc = crc32_update(crc_table, 0, s->in + start, s->pos - start);

		if (s->in_len - s->pos < 2 ||
		    (s->in[s->pos] | (unsigned)s->in[s->pos + 1] << 8) != (crc & 0xffff))
			return -EINVAL;
		s->pos += 2;
	}
	return 0;
}

static int gzip_member(struct inf *s, const uint32_t *crc_table)
{
	uint32_t crc;
	int err = gzip_header(s, crc_table);

	if (err)
		return err;
	s->member_start = s->out_len;
	err = inflate_stream(s);
	if (err)
		return err;
	if (s->in_len - s->pos < 8)
		return -EINVAL;
	crc = s->out ? crc32_update(crc_table, 0, s->out + s->member_start,
				    s->out_len - s->member_start)
		     : 0;
	if (le32(s->in + s->pos) != crc ||
	    le32(s->in + s->pos + 4) != (uint32_t)(s->out_len - s->member_start))
		return -EINVAL;
	s->pos += 8;
	return 0;
}

int bk__gunzip(const void *in, size_t in_len, void **out, size_t *out_len, size_t max_out)
{
	/* one byte past max_out holds the NUL */
	struct inf s = { .in = in, .in_len = in_len, .max_out = max_out < SIZE_MAX ? max_out : SIZE_MAX - 1 };
	uint32_t crc_table[256];
	int err = 0;

	*out = NULL;
	*out_len = 0;
	if (!in && in_len)
		return bk__err(-EINVAL);
	crc32_table(crc_table);
	do
		err = gzip_member(&s, crc_table);
	while (!err && s.pos < s.in_len);
	if (!err && !s.out) { /* empty output still gets its NUL */
		s.out = malloc(1);
		if (!s.out)
			err = -ENOMEM;
	}
	if (err) {
		free(s.out);
		return bk__err(err);
	}
	s.out[s.out_len] = '\0';
	*out = s.out;
	*out_len = s.out_len;
	return 0;
}
