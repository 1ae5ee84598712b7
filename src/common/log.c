// SPDX-License-Identifier: MIT
/*
 * The library's only output channel: a callback the user installs. Stored as
 * one atomic pair so a reader never sees a callback with another's context.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "common_int.h"

struct log_sink {
	bk_log_fn fn;
	void *ctx;
};

static struct log_sink sinks[2];
static atomic_int current = -1; /* index into sinks, -1: no callback */

void bk_set_log(bk_log_fn fn, void *ctx)
{
	int next;

	if (!fn) {
		atomic_store(&current, -1);
		return;
	}
	/* Write the slot not in use, then publish it with one store. */
	next = atomic_load(&current) == 0 ? 1 : 0;
	sinks[next].fn = fn;
	sinks[next].ctx = ctx;
	atomic_store(&current, next);
}

void bk__log(enum bk_log_level level, const char *fmt, ...)
{
	int idx = atomic_load(&current);
	char msg[512];
	va_list ap;

	if (idx < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sinks[idx].fn(level, sinks[idx].ctx, msg);
}
