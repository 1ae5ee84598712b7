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

/* The opts check is the library-wide one (common_int.h). */
static inline int bk__obj_opts_check(const void *opts, size_t known)
{
	return bk__opts_check(opts, known);
}

/* Bytes of TYPE up to and including its bk_TYPE_opts__last_field. */
#define BK_OPTS_KNOWN(TYPE, LAST) (offsetof(struct TYPE, LAST) + sizeof(((struct TYPE *)0)->LAST))

/* BK_OPT() for a struct tag: field of opts, or def when too old or NULL. */
#define BK_OBJ_OPT(TYPE, opts, field, def) BK_OPT(struct TYPE, opts, field, def)

#endif /* BK_OBJ_INT_H */
