/* SPDX-License-Identifier: MIT */
/*
 * Shared by the CLI tests that hold bpfkit to bpftool (test-only, header
 * only): run both tools with the same arguments and compare their JSON
 * (parsed, value by value) or their plain text.
 */
#ifndef BK_TEST_BPFTOOL_SAME_H
#define BK_TEST_BPFTOOL_SAME_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"
#include "json_mini.h"

#define BT_UNUSED __attribute__((unused))

/* Run a shell command built from fmt; returns its exit status, output in *out. */
static BT_UNUSED int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static BT_UNUSED int sh(char **out, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	*out = NULL;
	return bk_test_run(cmd, out);
}

/* Both tools with the same arguments; both must succeed. */
static BT_UNUSED void both(const char *args, char **bt, char **bk)
{
	cr_assert_eq(sh(bt, "bpftool %s 2>&1", args), 0, "bpftool %s: %s", args, *bt);
	cr_assert_eq(sh(bk, "%s %s 2>&1", bk_test_cli(), args), 0, "bpfkit %s: %s", args, *bk);
}

static BT_UNUSED void same_json(const char *args)
{
	char *bt, *bk, where[256] = "";
	struct jm *a, *b;

	both(args, &bt, &bk);
	a = jm_parse(bt);
	b = jm_parse(bk);
	cr_assert_not_null(a, "bpftool %s: not JSON: %s", args, bt);
	cr_assert_not_null(b, "bpfkit %s: not JSON: %s", args, bk);
	cr_assert(jm_equal(a, b, where, sizeof(where)), "%s: %s\nbpftool: %s\nbpfkit:  %s", args,
		  where, bt, bk);
	jm_free(a);
	jm_free(b);
	free(bt);
	free(bk);
}

static BT_UNUSED void same_text(const char *args)
{
	char *bt, *bk;

	both(args, &bt, &bk);
	cr_assert_str_eq(bk, bt, "%s", args);
	free(bt);
	free(bk);
}

#endif /* BK_TEST_BPFTOOL_SAME_H */
