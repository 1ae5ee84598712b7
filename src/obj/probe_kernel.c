// SPDX-License-Identifier: MIT
/* The probes' kernel calls (placeholder until include/bpfkit/sys.h lands). */
#include <errno.h>

#include "../common/common_int.h"
#include "probe_int.h"

int bk__probe_load(const struct bk__probe_prog *p, bool call, uint32_t helper, int *stop)
{
	(void)p, (void)call, (void)helper;
	if (stop)
		*stop = -1;
	return bk__err(-ENOSYS);
}

int bk__probe_map_create(uint32_t map_type)
{
	(void)map_type;
	return bk__err(-ENOSYS);
}
