/* SPDX-License-Identifier: MIT */
/*
 * bpfkit common definitions: export attribute, version, options structs,
 * diagnostics and the library's log callback.
 *
 * Error convention (the same in every module): a function returning int
 * returns 0 (or a non-negative value such as an fd or a count) on success and
 * a negative errno on failure, with errno also set; a function returning a
 * pointer returns NULL with errno set. Parsers additionally fill a caller
 * provided struct bk_diag with the location and a sentence.
 */
#ifndef BPFKIT_COMMON_H
#define BPFKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BK_API __attribute__((visibility("default")))

#define BK_VERSION_MAJOR 0
#define BK_VERSION_MINOR 1
#define BK_VERSION_PATCH 0
#define BK_VERSION_STRING "0.1.0"

/*
 * Options structs: the first field is `size_t sz`, set to the caller's
 * sizeof(struct). A library built later with more fields reads only what the
 * caller's struct has; a library built earlier rejects (-EINVAL) a struct whose
 * unknown tail is not all zero.
 *   bk_map_create(..., BK_OPTS(bk_map_create_opts, .map_flags = 1));
 */
#define BK_OPTS(type, ...) (&(struct type){ .sz = sizeof(struct type), __VA_ARGS__ })

/*
 * A diagnostic for parsers and validators. No allocation happens on the error
 * path: the message is formatted into msg. index is an instruction index where
 * that applies; line and col (1-based) locate text input, 0 when unknown.
 */
struct bk_diag {
	int err;	  /* negative errno, 0 when no error */
	uint32_t index;	  /* instruction index */
	uint32_t line;	  /* 1-based line of text input, 0 if none */
	uint32_t col;	  /* 1-based column of text input, 0 if none */
	char file[64];	  /* name of the text input, "" if none */
	char msg[192];	  /* one sentence, no trailing newline */
};

/* Log levels of the library's optional log callback. */
enum bk_log_level {
	BK_LOG_WARN = 0,
	BK_LOG_INFO = 1,
	BK_LOG_DEBUG = 2,
};

/* Signature of a log callback: level, the caller's context, one message. */
typedef void (*bk_log_fn)(enum bk_log_level level, void *ctx, const char *msg);

/**
 * bk_set_log() - route the library's diagnostics to a callback.
 * The library never writes to stdout or stderr itself. Pass NULL to silence it
 * again (the default). The callback and ctx apply to the whole process; set it
 * once, before other threads use the library.
 */
BK_API void bk_set_log(bk_log_fn fn, void *ctx);

/**
 * bk_version() - the library's version string, "MAJOR.MINOR.PATCH".
 * Useful to compare the runtime library against BK_VERSION_STRING from the
 * headers a program was compiled with.
 */
BK_API const char *bk_version(void);

/**
 * bk_diag_format() - format a diagnostic as one line into buf.
 * The form is "file:line:col: msg" for text input, "insn N: msg" for
 * instruction input, or just msg. Returns buf. Never fails: buf is always
 * NUL-terminated when size > 0.
 */
BK_API char *bk_diag_format(const struct bk_diag *d, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_COMMON_H */
