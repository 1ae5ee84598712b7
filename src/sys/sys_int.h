/* SPDX-License-Identifier: MIT */
/* Private to src/sys: attr sizing and opts validation. */
#ifndef BK_SYS_INT_H
#define BK_SYS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"

/* Size of a command's attr up to and including FIELD of its struct TYPE:
 * what the command needs, and nothing an older kernel would reject. Every
 * member of union bk_bpf_attr starts at offset 0. */
#define BK_ATTR_SIZE(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

static inline uint64_t bk__ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/*
 * An opts struct is usable when it is NULL, or its sz is at least a size_t
 * and any bytes beyond what this library knows (known) are zero: a caller
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
		if (((const uint8_t *)opts)[i])
			return bk__err(-EINVAL);
	return 0;
}

/* Field of an opts struct of type TYPE, or DEF when opts is NULL or too
 * old to have the field. */
#define BK_OPT(TYPE, opts, field, def)                                                             \
	((opts) && (opts)->sz >= offsetof(TYPE, field) + sizeof((opts)->field) ? (opts)->field : (def))

#endif /* BK_SYS_INT_H */
