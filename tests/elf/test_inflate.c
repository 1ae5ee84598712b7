// SPDX-License-Identifier: MIT
/*
 * Our own gunzip against gzip itself: stored, fixed and dynamic Huffman
 * blocks (gzip -1..-9 and incompressible data), the kernel's own
 * /proc/config.gz, and corrupt or truncated input refused cleanly, output
 * capped where asked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/elf/inflate.h"
#include "../lib/bk_test.h"

static uint8_t *slurp(const char *cmd, size_t *len)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 1 << 16, n = 0, r;
	uint8_t *buf = malloc(cap);

	cr_assert_not_null(p, "%s", cmd);
	while ((r = fread(buf + n, 1, cap - n, p)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	cr_assert_eq(pclose(p), 0, "%s", cmd);
	*len = n;
	return buf;
}

static void same_as_gzip(const char *make_input, int level)
{
	char cmd[512];
	size_t plain_len, gz_len, out_len = 0;
	uint8_t *plain, *gz;
	void *out = NULL;

	BK_REQUIRE_TOOL("gzip");
	snprintf(cmd, sizeof(cmd), "%s > /tmp/bk-inflate-%d", make_input, (int)getpid());
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "cat /tmp/bk-inflate-%d", (int)getpid());
	plain = slurp(cmd, &plain_len);
	snprintf(cmd, sizeof(cmd), "gzip -%d -c /tmp/bk-inflate-%d", level, (int)getpid());
	gz = slurp(cmd, &gz_len);
	snprintf(cmd, sizeof(cmd), "/tmp/bk-inflate-%d", (int)getpid());
	unlink(cmd);
	cr_assert_eq(bk__gunzip(gz, gz_len, &out, &out_len, 1 << 26), 0, "gzip -%d of '%s'", level,
		     make_input);
	cr_assert_eq(out_len, plain_len);
	cr_assert_arr_eq(out, plain, plain_len);
	free(out);
	free(plain);
	free(gz);
}

Test(inflate, every_block_kind_as_gzip_writes_it)
{
	same_as_gzip("seq 1 20000", 1);
	same_as_gzip("seq 1 20000", 9);
	same_as_gzip("printf 'a'", 6);			       /* fixed Huffman */
	same_as_gzip("head -c 100000 /dev/urandom", 6);       /* stored blocks */
	same_as_gzip("printf ''", 6);			       /* empty */
	same_as_gzip("yes abcdefghij | head -c 300000", 9);   /* long matches, far distances */
}

Test(inflate, the_kernels_config)
{
	size_t gz_len, plain_len, out_len;
	uint8_t *gz, *plain;
	void *out;

	if (access("/proc/config.gz", R_OK))
		BK_SKIP_FEATURE("/proc/config.gz (CONFIG_IKCONFIG_PROC)");
	gz = slurp("cat /proc/config.gz", &gz_len);
	plain = slurp("zcat /proc/config.gz", &plain_len);
	cr_assert_eq(bk__gunzip(gz, gz_len, &out, &out_len, 1 << 26), 0);
	cr_assert_eq(out_len, plain_len);
	cr_assert_arr_eq(out, plain, plain_len);
	free(out);
	free(gz);
	free(plain);
}

Test(inflate, corrupt_and_truncated_input_is_refused)
{
	size_t gz_len;
	uint8_t *gz = slurp("seq 1 5000 | gzip -6 -c", &gz_len);
	void *out = NULL;
	size_t out_len;

	cr_assert_eq(bk__gunzip("not gzip at all, really", 23, &out, &out_len, 1 << 20), -EINVAL);
	for (size_t cut = 0; cut + 8 < gz_len; cut += 37)
		cr_assert_eq(bk__gunzip(gz, cut, &out, &out_len, 1 << 20), -EINVAL, "cut at %zu", cut);
	gz[12] ^= 0xff; /* inside the deflate stream */
	cr_assert_neq(bk__gunzip(gz, gz_len, &out, &out_len, 1 << 20), 0);
	gz[12] ^= 0xff;
	cr_assert_eq(bk__gunzip(gz, gz_len, &out, &out_len, 1000), -EFBIG, "capped at 1000 bytes");
	cr_assert_eq(errno, EFBIG);
	free(gz);
}
