/* SPDX-License-Identifier: MIT */
/*
 * Reader of bpf_conformance test files (RFC 9669's public test suite):
 *
 *   # comment                      anywhere, to the end of the line
 *   -- asm                         the program, conformance dialect
 *   -- raw                         the program as hex bytes in memory order
 *                                  ("95 00 00 00 00 00 00 00"); a 0x token is a
 *                                  whole slot read as a little-endian 64-bit word
 *   -- mem                         input memory as hex bytes ("00 01 ff")
 *   -- result                      expected 64-bit r0 at exit
 *   -- error                       the program is expected to be rejected
 *   -- c, -- no register offset    informational
 *
 * Pure text processing: the runner that executes a test on the kernel lives
 * in the objects layer (include/bpfkit/confrun.h).
 */
#ifndef BPFKIT_CONFORMANCE_H
#define BPFKIT_CONFORMANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One parsed test file. Every pointer is owned by the struct. */
struct bk_conf_test {
	char *asm_text;		/* the "-- asm" section, NULL if absent */
	uint32_t asm_line;	/* 1-based file line of the section's first line */
	struct bk_insn *raw;	/* the "-- raw" section as slots, NULL if absent */
	size_t raw_count;	/* slots in raw */
	uint8_t *mem;		/* the "-- mem" bytes, NULL if absent */
	size_t mem_len;		/* bytes in mem */
	bool has_result;	/* a "-- result" section was present */
	uint64_t result;	/* its value */
	bool expect_error;	/* a "-- error" section was present */
	char *error_text;	/* its text (may be empty), NULL if absent */
	bool no_register_offset; /* "-- no register offset" was present */
};

/**
 * bk_conf_parse() - parse the text of one bpf_conformance test file.
 * text need not be NUL-terminated; file names the input in diagnostics. On
 * success fills *out (release it with bk_conf_free()) and returns 0. On bad
 * input returns -EINVAL with diag holding "file:line:col: what" (e.g. an
 * unknown section, a bad hex byte, a result that is not a number, a NUL byte,
 * a test with neither asm nor raw, or one that checks nothing: neither result
 * nor error); -ENOMEM when out of memory. *out is left empty on
 * failure.
 */
BK_API int bk_conf_parse(const char *text, size_t len, const char *file, struct bk_conf_test *out,
			 struct bk_diag *diag);

/**
 * bk_conf_load() - read and parse a test file from disk.
 * As bk_conf_parse(), plus the errno of open/read failures; anything but a
 * regular file of at most 64 MiB (a FIFO, a directory) is refused, never
 * waited on.
 */
BK_API int bk_conf_load(const char *path, struct bk_conf_test *out, struct bk_diag *diag);

/** bk_conf_free() - release what bk_conf_parse() allocated; safe on a zeroed struct. */
BK_API void bk_conf_free(struct bk_conf_test *t);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_CONFORMANCE_H */
