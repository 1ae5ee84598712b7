// SPDX-License-Identifier: MIT
/* libFuzzer target: the bpf_conformance .data reader must never crash, leak
 * or read out of bounds, and must either parse or explain where it failed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <bpfkit/conformance.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_conf_test t;
	struct bk_diag d;

	if (bk_conf_parse((const char *)data, size, "fuzz.data", &t, &d) == 0) {
		/* A parsed test always has a program and something to check. */
		if ((!t.asm_text && !t.raw) || (!t.has_result && !t.expect_error))
			abort();
		bk_conf_free(&t);
	} else if (d.line == 0 || d.msg[0] == '\0') {
		abort(); /* every failure must say where and what */
	}
	return 0;
}
