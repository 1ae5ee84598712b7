// SPDX-License-Identifier: MIT
/*
 * A reader of capture files for `run --vm --pcap`: classic pcap (both byte
 * orders, micro- and nanosecond magics) and pcapng (section header, interface
 * description, enhanced and simple packet blocks; other blocks are skipped).
 * The whole file is in memory; every length is checked against what is left,
 * so a truncated or hostile file ends with an error, never a bad read.
 */
#include <stdio.h>
#include <string.h>

#include "cmd_vm.h"

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static int pcap_classic(const uint8_t *b, size_t len, bool swap, bk_pcap_fn fn, void *ctx,
			char *err, size_t errlen)
{
	size_t pos = 24;
	int n = 0;

	while (pos < len) {
		uint32_t incl;

		if (len - pos < 16) {
			snprintf(err, errlen, "truncated record header at byte %zu", pos);
			return -1;
		}
		incl = rd32(b + pos + 8, swap);
		pos += 16;
		if (incl > len - pos) {
			snprintf(err, errlen, "record at byte %zu claims %u bytes, %zu are left",
				 pos - 16, incl, len - pos);
			return -1;
		}
		if (fn(ctx, b + pos, incl))
			return n + 1;
		pos += incl;
		n++;
	}
	return n;
}

static int pcapng(const uint8_t *b, size_t len, bk_pcap_fn fn, void *ctx, char *err,
		  size_t errlen)
{
	size_t pos = 0;
	bool swap = false;
	int n = 0;

	while (pos < len) {
		uint32_t type, blen;
		const uint8_t *body;

		if (len - pos < 12) {
			snprintf(err, errlen, "truncated block at byte %zu", pos);
			return -1;
		}
		type = rd32(b + pos, false);
		if (type == 0x0A0D0D0A) /* a section header sets the byte order */
			swap = rd32(b + pos + 8, false) != 0x1A2B3C4D;
		type = rd32(b + pos, swap);
		blen = rd32(b + pos + 4, swap);
		if (blen < 12 || blen > len - pos || (blen & 3)) {
			snprintf(err, errlen, "block at byte %zu has a bad length %u", pos, blen);
			return -1;
		}
		body = b + pos + 8;
		if (type == 6 || type == 3) { /* enhanced, simple packet */
			size_t hdr = type == 6 ? 20 : 4;
			uint32_t cap = type == 6 ? (blen >= 32 ? rd32(body + 12, swap) : 0)
						 : rd32(body, swap);

			if (blen - 12 < hdr || cap > blen - 12 - hdr) {
				snprintf(err, errlen, "packet block at byte %zu is malformed", pos);
				return -1;
			}
			if (type == 3 && cap > rd32(body, swap))
				cap = rd32(body, swap);
			if (fn(ctx, body + hdr, cap))
				return n + 1;
			n++;
		}
		pos += blen;
	}
	return n;
}

int bk_pcap_each(const uint8_t *buf, size_t len, bk_pcap_fn fn, void *ctx, char *err,
		 size_t errlen)
{
	uint32_t magic;

	if (len < 24) {
		snprintf(err, errlen, "too short for a capture file (%zu bytes)", len);
		return -1;
	}
	memcpy(&magic, buf, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		return pcap_classic(buf, len, false, fn, ctx, err, errlen);
	if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		return pcap_classic(buf, len, true, fn, ctx, err, errlen);
	if (magic == 0x0A0D0D0A)
		return pcapng(buf, len, fn, ctx, err, errlen);
	snprintf(err, errlen, "not a pcap or pcapng file (magic 0x%08x)", magic);
	return -1;
}
