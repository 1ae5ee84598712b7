// SPDX-License-Identifier: MIT
/* gunzip against gzip itself (real files, every level, stored/fixed/dynamic
 * blocks, the kernel's /proc/config.gz), hand-built streams for the corners,
 * and corrupt or truncated input: always a clean error, never a crash. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../../src/elf/inflate.h"
#include "../lib/bk_test.h"

#define BIG ((size_t)64 << 20)

struct buf {
	uint8_t *p;
	size_t n;
};

static struct buf run_cmd(const char *cmd)
{
	struct buf b = { 0 };
	size_t cap = 0;
	FILE *f = popen(cmd, "r");

	cr_assert_not_null(f, "%s", cmd);
	for (;;) {
		if (b.n == cap) {
			cap = cap ? 2 * cap : 65536;
			b.p = realloc(b.p, cap);
			cr_assert_not_null(b.p);
		}
		size_t got = fread(b.p + b.n, 1, cap - b.n, f);

		if (!got)
			break;
		b.n += got;
	}
	cr_assert_eq(pclose(f), 0, "%s failed", cmd);
	return b;
}

static struct buf read_file(const char *path)
{
	struct buf b;

	b.p = (uint8_t *)bk_test_read_file(path, &b.n);
	return b;
}

/* gzip -LEVEL of a file, gunzipped by us, equals the file. */
static void roundtrip(const char *path, int level)
{
	char cmd[512];
	struct buf orig = read_file(path), gz;
	void *out;
	size_t n;

	snprintf(cmd, sizeof(cmd), "gzip -c -%d '%s'", level, path);
	gz = run_cmd(cmd);
	cr_assert_eq(bk__gunzip(gz.p, gz.n, &out, &n, BIG), 0, "%s -%d: %s", path, level,
		     strerror(errno));
	cr_assert_eq(n, orig.n, "%s -%d: %zu bytes, want %zu", path, level, n, orig.n);
	cr_assert(n == 0 || memcmp(out, orig.p, n) == 0, "%s -%d: content differs", path, level);
	cr_assert_eq(((char *)out)[n], '\0');
	free(out);
	free(gz.p);
	free(orig.p);
}

static char tmp_path[64];

static const char *tmp_file(const void *data, size_t n)
{
	FILE *f;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/bk_inflate_%d", (int)getpid());
	f = fopen(tmp_path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	return tmp_path;
}

Test(inflate, kernel_config_gz_equals_gzip_dc)
{
	struct buf gz, want;
	void *out;
	size_t n;

	if (access("/proc/config.gz", R_OK) != 0)
		BK_SKIP_FEATURE("/proc/config.gz (CONFIG_IKCONFIG_PROC)");
	gz = read_file("/proc/config.gz");
	want = run_cmd("gzip -dc /proc/config.gz");
	cr_assert_eq(bk__gunzip(gz.p, gz.n, &out, &n, BIG), 0, "%s", strerror(errno));
	cr_assert_eq(n, want.n);
	cr_assert_eq(memcmp(out, want.p, n), 0);
	cr_assert_not_null(strstr(out, "CONFIG_BPF=y"));
	free(out);
	free(gz.p);
	free(want.p);
}

Test(inflate, real_files_at_every_level)
{
	const char *src = getenv("BK_SRCDIR");
	char path[512];
	static const char *const files[] = { "src/elf/inflate.c", "Makefile",
					     "include/bpfkit/abi.h" };

	cr_assert_not_null(src, "BK_SRCDIR is set by the Makefile");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		for (int level = 1; level <= 9; level++) {
			snprintf(path, sizeof(path), "%s/%s", src, files[i]);
			roundtrip(path, level);
		}
	roundtrip("/bin/sh", 6); /* binary data */
	roundtrip("/bin/sh", 1);
}

/* Generated inputs of each block kind gzip picks: numbers (dynamic codes),
 * one byte (fixed codes), long repeats at far distances. */
Test(inflate, generated_inputs_as_gzip_writes_them)
{
	static const char *const gens[] = { "seq 1 20000", "printf a",
					    "yes abcdefghij | head -c 300000" };
	char cmd[256];
	struct buf in;

	BK_REQUIRE_TOOL("gzip");
	for (size_t i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		in = run_cmd(gens[i]);
		roundtrip(tmp_file(in.p, in.n), 1);
		roundtrip(tmp_path, 9);
		free(in.p);
	}
	snprintf(cmd, sizeof(cmd), "rm -f %s", tmp_path);
	cr_assert_eq(system(cmd), 0);
}

Test(inflate, incompressible_data_uses_stored_blocks)
{
	size_t n = 300000; /* several 64 KiB stored blocks */
	uint8_t *d = malloc(n);
	uint64_t x = 88172645463325252ULL;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d[i] = (uint8_t)x;
	}
	roundtrip(tmp_file(d, n), 9);
	/* long runs: matches at distance 1, maximum lengths */
	memset(d, 'a', n);
	roundtrip(tmp_file(d, n), 9);
	roundtrip(tmp_file("", 0), 6);
	roundtrip(tmp_file("x", 1), 6);
	unlink(tmp_path);
	free(d);
}

Test(inflate, concatenated_members_read_as_gzip_does)
{
	struct buf b = run_cmd("(printf 'first member\\n' | gzip -c; printf 'and the second\\n' "
			       "| gzip -c -9; printf '' | gzip -c)");
	void *out;
	size_t n;

	cr_assert_eq(bk__gunzip(b.p, b.n, &out, &n, BIG), 0);
	cr_assert_str_eq(out, "first member\nand the second\n");
	free(out);
	free(b.p);
}

/* ---- hand-built members ------------------------------------------------ */

struct bw {
	uint8_t b[4096];
	size_t n;
	unsigned bit;
};

static void bits(struct bw *w, uint32_t v, unsigned n) /* LSB first */
{
	for (unsigned i = 0; i < n; i++) {
		if (!w->bit)
			w->b[w->n++] = 0;
		w->b[w->n - 1] |= (uint8_t)(((v >> i) & 1) << w->bit);
		w->bit = (w->bit + 1) & 7;
	}
}

static void code(struct bw *w, uint32_t c, unsigned n) /* Huffman codes: MSB first */
{
	while (n--)
		bits(w, (c >> n) & 1, 1);
}

static void fixed_lit(struct bw *w, unsigned sym)
{
	if (sym < 144)
		code(w, 0x30 + sym, 8);
	else if (sym < 256)
		code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		code(w, sym - 256, 7);
	else
		code(w, 0xc0 + sym - 280, 8);
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

/* A gzip member around a raw deflate stream, trailer for the expected output. */
static size_t member(uint8_t *dst, const struct bw *w, const char *want, size_t want_n)
{
	static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	uint32_t crc = crc32_of((const uint8_t *)want, want_n);
	size_t n = 0;

	memcpy(dst, hdr, 10);
	n += 10;
	memcpy(dst + n, w->b, w->n);
	n += w->n;
	for (int i = 0; i < 4; i++)
		dst[n++] = (uint8_t)(crc >> (8 * i));
	for (int i = 0; i < 4; i++)
		dst[n++] = (uint8_t)(want_n >> (8 * i));
	return n;
}

static int gunzip_str(const uint8_t *gz, size_t n, char **out)
{
	size_t len;

	return bk__gunzip(gz, n, (void **)out, &len, BIG);
}

Test(inflate, fixed_block_with_overlapping_copy)
{
	struct bw w = { 0 };
	uint8_t gz[8192];
	char *out;

	bits(&w, 1, 1); /* last */
	bits(&w, 1, 2); /* fixed */
	fixed_lit(&w, 'a');
	fixed_lit(&w, 'b');
	fixed_lit(&w, 264); /* length 10 */
	code(&w, 1, 5);     /* distance 2 */
	fixed_lit(&w, 256);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "abababababab", 12), &out), 0);
	cr_assert_str_eq(out, "abababababab");
	free(out);
}

Test(inflate, corner_cases_are_einval)
{
	uint8_t gz[8192];
	char *out = (char *)1;
	struct bw w;

	/* a distance before the start of the member */
	w = (struct bw){ 0 };
	bits(&w, 3, 3);
	fixed_lit(&w, 'a');
	fixed_lit(&w, 257); /* length 3 */
	code(&w, 1, 5);     /* distance 2: one byte exists */
	fixed_lit(&w, 256);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "aaaa", 4), &out), -EINVAL);
	cr_assert_null(out);
	cr_assert_eq(errno, EINVAL);

	/* block type 3 */
	w = (struct bw){ 0 };
	bits(&w, 7, 3);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "", 0), &out), -EINVAL);

	/* stored block whose NLEN is not ~LEN */
	w = (struct bw){ 0 };
	bits(&w, 1, 3);
	bits(&w, 0, 5);
	bits(&w, 1, 16);
	bits(&w, 0x1234, 16);
	bits(&w, 'x', 8);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "x", 1), &out), -EINVAL);

	/* fixed literal/length codes 286 and 287 do not exist */
	w = (struct bw){ 0 };
	bits(&w, 3, 3);
	fixed_lit(&w, 286);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "", 0), &out), -EINVAL);

	/* dynamic block: repeat code 16 with nothing to repeat */
	w = (struct bw){ 0 };
	bits(&w, 5, 3);  /* last, dynamic */
	bits(&w, 0, 5);  /* 257 lit/len codes */
	bits(&w, 0, 5);  /* 1 distance code */
	bits(&w, 0, 4);  /* 4 code-length codes: 16, 17, 18, 0 */
	bits(&w, 1, 3);  /* 16: length 1 */
	bits(&w, 1, 3);  /* 17: length 1 */
	bits(&w, 0, 3);  /* 18: unused */
	bits(&w, 0, 3);  /* 0: unused */
	code(&w, 0, 1);  /* symbol 16 first */
	bits(&w, 0, 2);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "", 0), &out), -EINVAL);

	/* over-subscribed code-length code: three codes of length 1 */
	w = (struct bw){ 0 };
	bits(&w, 5, 3);
	bits(&w, 0, 5);
	bits(&w, 0, 5);
	bits(&w, 0, 4);
	bits(&w, 1, 3);
	bits(&w, 1, 3);
	bits(&w, 1, 3);
	bits(&w, 0, 3);
	cr_assert_eq(gunzip_str(gz, member(gz, &w, "", 0), &out), -EINVAL);
}

static struct buf sample_gz(void)
{
	return run_cmd("printf 'CONFIG_BPF=y\\nCONFIG_HZ=250\\n# CONFIG_X is not set\\n"
		       "CONFIG_NAME=\"abc\"\\nCONFIG_BPF_SYSCALL=y\\n' | gzip -c -9 -n");
}

Test(inflate, header_fields_extra_name_comment_hcrc)
{
	struct buf b = sample_gz();
	uint8_t gz[4096];
	uint32_t crc;
	size_t n = 0;
	char *out, *want;

	cr_assert_eq(gunzip_str(b.p, b.n, &want), 0);
	memcpy(gz, b.p, 10);
	gz[3] = 4 | 8 | 16 | 2; /* FEXTRA FNAME FCOMMENT FHCRC */
	n = 10;
	gz[n++] = 3;
	gz[n++] = 0;
	memcpy(gz + n, "xyz", 3);
	n += 3;
	memcpy(gz + n, "name.txt", 9);
	n += 9;
	memcpy(gz + n, "a comment", 10);
	n += 10;
	crc = crc32_of(gz, n);
	gz[n++] = (uint8_t)crc;
	gz[n++] = (uint8_t)(crc >> 8);
	memcpy(gz + n, b.p + 10, b.n - 10);
	n += b.n - 10;
	cr_assert_eq(gunzip_str(gz, n, &out), 0);
	cr_assert_str_eq(out, want);
	free(out);
	gz[n - (b.n - 10) - 1] ^= 1; /* header CRC wrong */
	cr_assert_eq(gunzip_str(gz, n, &out), -EINVAL);
	gz[n - (b.n - 10) - 1] ^= 1;
	gz[3] |= 0x20; /* a reserved flag */
	cr_assert_eq(gunzip_str(gz, n, &out), -EINVAL);
	free(want);
	free(b.p);
}

Test(inflate, every_truncation_is_einval)
{
	struct buf b = sample_gz();
	char *out;

	for (size_t n = 0; n < b.n; n++)
		cr_assert_eq(gunzip_str(b.p, n, &out), -EINVAL, "truncated at %zu", n);
	free(b.p);
}

Test(inflate, every_bit_flip_is_caught_or_harmless)
{
	struct buf b = sample_gz();
	char *want, *out;
	size_t want_n, n;
	int harmless = 0;

	cr_assert_eq(bk__gunzip(b.p, b.n, (void **)&want, &want_n, BIG), 0);
	for (size_t i = 0; i < b.n; i++)
		for (int bit = 0; bit < 8; bit++) {
			int err;

			b.p[i] ^= (uint8_t)(1 << bit);
			err = bk__gunzip(b.p, b.n, (void **)&out, &n, BIG);
			b.p[i] ^= (uint8_t)(1 << bit);
			if (err == 0) {
				/* only FTEXT, MTIME, XFL, OS and the padding bits
				 * after the last block are free to change */
				cr_assert((i >= 4 && i < 10) || (i == 3 && bit == 0) ||
						  i == b.n - 9,
					  "flip at %zu.%d accepted", i, bit);
				cr_assert_eq(n, want_n);
				cr_assert_eq(memcmp(out, want, n), 0);
				free(out);
				harmless++;
				continue;
			}
			cr_assert_eq(err, -EINVAL, "flip at %zu.%d: %d", i, bit, err);
			cr_assert_null(out);
		}
	cr_assert_geq(harmless, 6 * 8 + 1);
	free(want);
	free(b.p);
}

Test(inflate, garbage_and_limits)
{
	struct buf b = sample_gz();
	uint8_t *more = malloc(b.n + 4);
	char *out;
	size_t len, n;

	cr_assert_eq(bk__gunzip(b.p, b.n, (void **)&out, &len, BIG), 0);
	free(out);
	memcpy(more, b.p, b.n);
	memcpy(more + b.n, "junk", 4);
	cr_assert_eq(gunzip_str(more, b.n + 4, &out), -EINVAL, "trailing garbage");
	cr_assert_eq(bk__gunzip(b.p, b.n, (void **)&out, &n, len), 0, "exactly max_out");
	free(out);
	cr_assert_eq(bk__gunzip(b.p, b.n, (void **)&out, &n, len - 1), -EFBIG);
	cr_assert_null(out);
	cr_assert_eq(bk__gunzip("not gzip at all", 15, (void **)&out, &n, BIG), -EINVAL);
	cr_assert_eq(bk__gunzip(NULL, 0, (void **)&out, &n, BIG), -EINVAL, "no member");
	free(more);
	free(b.p);
}
