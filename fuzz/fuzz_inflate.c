// SPDX-License-Identifier: MIT
/* libFuzzer target: gunzip of arbitrary bytes must never crash, leak or read
 * out of bounds; it succeeds with a NUL-terminated buffer of the size it
 * reports or fails with EINVAL/EFBIG and no buffer. The first input byte
 * picks the output limit, so the EFBIG path is explored too. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../src/elf/inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max_out, n = 12345;
	void *out = (void *)1;
	int err;

	if (!size)
		return 0;
	max_out = (size_t)1 << (data[0] % 24); /* 1 byte .. 8 MiB */
	err = bk__gunzip(data + 1, size - 1, &out, &n, max_out);
	if (err) {
		if ((err != -EINVAL && err != -EFBIG && err != -ENOMEM) || out || n)
			abort();
		return 0;
	}
	if (!out || n > max_out || ((const char *)out)[n] != '\0')
		abort();
	free(out);
	return 0;
}
