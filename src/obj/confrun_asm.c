// SPDX-License-Identifier: MIT
/* bk_conf_run(): a test's program from "-- raw" or "-- asm" (conformance
 * dialect), then the runner. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/asm.h>
#include <bpfkit/confrun.h>

#include "../common/common_int.h"
#include "confrun_int.h"

int bk_conf_run(const struct bk_conf_test *t, const char *file, struct bk_conf_outcome *out)
{
	struct bk_insn *code = NULL;
	size_t n = 0;
	struct bk_diag d;
	int err;

	if (!t || !out)
		return bk__err(-EINVAL);
	memset(out, 0, sizeof(*out));
	if (t->raw)
		return bk__conf_run_insns(t, t->raw, t->raw_count, out);
	err = bk_asm(t->asm_text, strlen(t->asm_text),
		     BK_OPTS(bk_asm_opts, .dialect = BK_DIALECT_CONFORMANCE, .file = file), &code,
		     &n, &d);
	if (err == -ENOMEM)
		return err;
	if (err) {
		char where[260];

		/* Lines count from the file's "-- asm" section. */
		d.line += t->asm_line ? t->asm_line - 1 : 0;
		out->status = t->expect_error ? BK_CONF_PASS : BK_CONF_FAIL;
		snprintf(out->reason, sizeof(out->reason), "does not assemble: %s",
			 bk_diag_format(&d, where, sizeof(where)));
		return 0;
	}
	err = bk__conf_run_insns(t, code, n, out);
	free(code);
	return err;
}
