// SPDX-License-Identifier: MIT
/* libFuzzer target: the verifier log reader takes any bytes (a log is the
 * kernel's text, but a CLI may be handed any file as one); it must stay in
 * bounds, and a verdict it finds must lie inside the log it was given. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <bpfkit/sys.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so reading one byte too far is a heap overflow ASan sees. */
	char *log = malloc(size ? size : 1);
	struct bk_vlog_verdict v;

	if (!log)
		return 0;
	for (size_t i = 0; i < size; i++)
		log[i] = (char)data[i];
	if (bk_vlog_verdict(log, size, &v) == 0) {
		if (v.msg < log || v.msg + v.msg_len > log + size || v.lines == 0 || v.msg_len == 0)
			abort();
		if (v.insn < -1)
			abort();
	}
	free(log);
	return 0;
}
