/* SPDX-License-Identifier: MIT */
/*
 * Private to the objects layer (src/obj): helpers every object module shares.
 * Module-private state lives in each module's own header (map_int.h...).
 */
#ifndef BK_OBJ_INT_H
#define BK_OBJ_INT_H

#include <stddef.h>
#include <stdint.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"

/*
 * An opts struct is usable when it is NULL, or its sz is at least a size_t
 * and every byte past what this library knows (known) is zero: a caller
 * built against a newer bpfkit must not have fields silently ignored.
 */
static inline int bk__obj_opts_check(const void *opts, size_t known)
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

/* Bytes of TYPE up to and including its bk_TYPE_opts__last_field. */
#define BK_OPTS_KNOWN(TYPE, LAST) (offsetof(struct TYPE, LAST) + sizeof(((struct TYPE *)0)->LAST))

/* Field of an opts struct, or def when opts is NULL or too old to have it. */
#define BK_OBJ_OPT(TYPE, opts, field, def)                                                         \
	((opts) && (opts)->sz >= offsetof(struct TYPE, field) + sizeof((opts)->field)             \
		 ? (opts)->field                                                                   \
		 : (def))

#endif /* BK_OBJ_INT_H */
