/* SPDX-License-Identifier: MIT */
/*
 * Private to the library: the error convention in one place, the log
 * callback, and calls we refuse to use.
 */
#ifndef BK_COMMON_INT_H
#define BK_COMMON_INT_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <bpfkit/common.h>

/* Return a negative errno and leave errno set: the only way errors leave. */
static inline int bk__err(int err)
{
	if (err > 0)
		err = -err;
	errno = -err;
	return err;
}

/* Set errno from a negative errno and return NULL, for pointer results. */
static inline void *bk__err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

/* Copy src into dst of size bytes, cut to fit, always terminated. Not
 * snprintf("%s"): the printf machinery is pages of code a short-lived
 * process would fault in for a string copy. */
static inline void bk__strcut(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Fill a diagnostic (when d is not NULL) and return the error via bk__err.
 * Cold: the compiler moves the paths that report an error out of the way,
 * so the code a successful call runs is denser (fewer cache lines and pages
 * for a short-lived process to fault in). */
__attribute__((format(printf, 3, 4), cold)) int bk__diag(struct bk_diag *d, int err, const char *fmt,
						     ...);

/* Send one message to the user's log callback, if any. */
__attribute__((format(printf, 2, 3))) void bk__log(enum bk_log_level level, const char *fmt, ...);

#define bk__warn(...) bk__log(BK_LOG_WARN, __VA_ARGS__)
#define bk__info(...) bk__log(BK_LOG_INFO, __VA_ARGS__)
#define bk__debug(...) bk__log(BK_LOG_DEBUG, __VA_ARGS__)

/*
 * An opts struct is usable when it is NULL, or its sz is at least a size_t
 * and every byte past what this library knows (known) is zero: a caller
 * built against a newer bpfkit must not have fields silently ignored.
 */
static inline int bk__opts_check(const void *opts, size_t known)
{
	const size_t *sz = opts;

	if (!opts)
		return 0;
	if (*sz < sizeof(size_t))
		return bk__err(-EINVAL);
	for (size_t i = known; i < *sz; i++)
		if (((const unsigned char *)opts)[i])
			return bk__err(-EINVAL);
	return 0;
}

/* Field of an opts struct of type TYPE, or DEF when opts is NULL or too old
 * to have the field. */
#define BK_OPT(TYPE, opts, field, def)                                                             \
	((opts) && (opts)->sz >= offsetof(TYPE, field) + sizeof((opts)->field) ? (opts)->field : (def))

/* Unbounded string functions have no place in a library that parses input. */
#pragma GCC poison strcpy strcat sprintf vsprintf strtok gets

#endif /* BK_COMMON_INT_H */
