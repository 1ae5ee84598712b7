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

#endif /* BK_SYS_INT_H */
