/* SPDX-License-Identifier: MIT */
/*
 * Running bpf_conformance tests on the live kernel.
 *
 * A test's program is wrapped into an XDP program: a prolog bounds-checks the
 * packet and hands the test's memory (passed as packet data) to the test code
 * in r1 (address) and r2 (length); every exit of the test's main function
 * jumps to an epilog that stores the full 64-bit r0 into a one-entry array
 * map (BPF_PROG_TEST_RUN's return value is only 32 bits wide). The verdict:
 *   PASS  the kernel ran it and r0 equals "-- result" (or, for "-- error"
 *         tests, the program was rejected);
 *   FAIL  r0 differs, or an "-- error" test was accepted and ran;
 *   SKIP  the kernel cannot run this test (its verifier rejects the program:
 *         an unsupported instruction, helper or shift); the reason is the
 *         verifier's own last words. A skip is never counted as a pass.
 */
#ifndef BPFKIT_CONFRUN_H
#define BPFKIT_CONFRUN_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/common.h>
#include <bpfkit/conformance.h>
#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bk_conf_status {
	BK_CONF_PASS = 0,
	BK_CONF_FAIL = 1,
	BK_CONF_SKIP = 2,
};

/* The verdict on one test. */
struct bk_conf_outcome {
	enum bk_conf_status status;
	uint64_t r0;	   /* r0 at exit, when the test ran */
	uint32_t retval;   /* the XDP program's return value, when it ran */
	char reason[320];  /* why FAIL or SKIP (or what an expected error was) */
};

/**
 * bk_conf_wrap() - build the XDP program that runs a test's code.
 * code/n is the test program; mem_len the bytes it expects in r1/r2; map_fd
 * a one-entry BPF_MAP_TYPE_ARRAY with an 8-byte value that receives r0.
 * Returns the wrapped program in *out (malloc'd, *out_n slots) and 0, or a
 * negative errno (-EINVAL with diag set when the code cannot be wrapped, for
 * instance a jump beyond its end).
 */
BK_API int bk_conf_wrap(const struct bk_insn *code, size_t n, size_t mem_len, int map_fd,
			struct bk_insn **out, size_t *out_n, struct bk_diag *diag);

/**
 * bk_conf_run() - run one parsed test on the kernel and judge it.
 * file names the test in messages. Returns 0 when a verdict was reached (see
 * out->status, including FAIL and SKIP), or a negative errno when the test
 * could not be attempted at all (no bpf() permission, out of memory).
 */
BK_API int bk_conf_run(const struct bk_conf_test *t, const char *file,
		       struct bk_conf_outcome *out);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_CONFRUN_H */
