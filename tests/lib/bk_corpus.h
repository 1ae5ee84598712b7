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

/* Corpus object NAME opened (no kernel needed); its diag is static, so it
 * outlives the object. */
struct bk_object *bk_corpus_open(const char *name);

/* Corpus object NAME opened for loading (skips or fails without the kernel);
 * d must outlive the object. pin_root: the pin root, NULL for the default. */
struct bk_object *bk_corpus_load(const char *name, struct bk_diag *d, const char *pin_root);

/* Load NAME and apply its expect lines; at least min_checks of them. */
void bk_corpus_load_and_check(const char *name, int min_checks);

/* Run a command built from cmd_fmt and two strings; its output (free() it). */
char *bk_corpus_run_json(const char *cmd_fmt, const char *a, const char *b);

/* `bpfkit object load NAME --json` equals libbpf_ref's output, byte for byte. */
void bk_corpus_same_as_libbpf(const char *name);

#endif /* BK_CORPUS_H */
