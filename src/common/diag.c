// SPDX-License-Identifier: MIT
/* Diagnostics: filled without allocation, formatted as "file:line:col: msg". */
#include <stdio.h>
#include <string.h>

#include "common_int.h"

int bk__diag(struct bk_diag *d, int err, const char *fmt, ...)
{
	if (d) {
		va_list ap;

		d->err = err < 0 ? err : -err;
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	return bk__err(err);
}

char *bk_diag_format(const struct bk_diag *d, char *buf, size_t size)
{
	if (!buf || size == 0)
		return buf;
	if (d->line)
		snprintf(buf, size, "%s:%u:%u: %s", d->file[0] ? d->file : "<input>", d->line,
			 d->col, d->msg);
	else if (d->file[0])
		snprintf(buf, size, "%s: %s", d->file, d->msg);
	else if (d->err)
		snprintf(buf, size, "insn %u: %s", d->index, d->msg);
	else
		snprintf(buf, size, "%s", d->msg);
	return buf;
}

const char *bk_version(void)
{
	return BK_VERSION_STRING;
}
