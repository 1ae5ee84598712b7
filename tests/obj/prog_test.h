/* SPDX-License-Identifier: MIT */
/* What the program tests share: load text or fail the test, run on a packet. */
#ifndef BK_PROG_TEST_H
#define BK_PROG_TEST_H

#include <errno.h>
#include <string.h>

#include <bpfkit/prog.h>

#include "../lib/bk_test.h"

static inline struct bk_prog *load_text(enum bk_prog_type type, const char *text,
				 struct bk_map *const *maps, size_t nmaps)
{
	struct bk_diag d = { 0 };
	struct bk_prog *p = bk_prog_load_text(type, text, strlen(text),
					      BK_OPTS(bk_prog_opts, .maps = maps, .nmaps = nmaps,
						      .diag = &d, .file = "t.s"));
	char buf[300];

	cr_assert_not_null(p, "load failed: %s", bk_diag_format(&d, buf, sizeof(buf)));
	return p;
}

static inline uint32_t run(const struct bk_prog *p)
{
	uint8_t pkt[64] = { 0 };
	uint32_t ret = 0xdeadbeef;

	cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0, "run: %s", strerror(errno));
	return ret;
}

#endif /* BK_PROG_TEST_H */
