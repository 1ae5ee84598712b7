/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the ELF loader's tests: where the corpus objects are, and a
 * reader of the "// expect:" lines each corpus source carries (see
 * tests/elf/progs/corpus.h), applied to an object loaded by bpfkit.
 */
#ifndef BK_CORPUS_H
#define BK_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

#include <bpfkit/object.h>

/* Path of corpus object NAME ("minimal" -> .../minimal.bpf.o) into buf;
 * skips (or fails under BK_REQUIRE_KERNEL=1) when the corpus was not built. */
const char *bk_corpus_obj(const char *name, char *buf, size_t size);

/* Path of the corpus source of NAME (tests/elf/progs/NAME.bpf.c). */
const char *bk_corpus_src(const char *name, char *buf, size_t size);

/* Whether the source of NAME carries the line "// expect: <what>". */
bool bk_corpus_expects(const char *name, const char *what);

/*
 * Apply every "run" and "map" expect line of NAME's source to obj (loaded):
 * test-run each program named (64 zero bytes of packet, no data for syscall
 * programs) and compare retval, then look up each map key and compare the
 * value. Asserts (Criterion) on the first difference. Returns the number of
 * checks made, so a test can assert it checked something.
 */
int bk_corpus_check(const char *name, struct bk_object *obj);

#endif /* BK_CORPUS_H */
