// SPDX-License-Identifier: MIT
/* libFuzzer target: the capture reader of `run --vm --pcap` (pcap, pcapng)
 * never reads outside the file, whatever the lengths in it claim; every
 * packet it hands over lies inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "../cli/vm_pcap.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const uint8_t *lo, *hi;
};

static int inside(void *ctx, const uint8_t *pkt, size_t len)
{
	const struct span *s = ctx;

	if (pkt < s->lo || pkt > s->hi || len > (size_t)(s->hi - pkt))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = { data, data + size };
	char err[256];

	bk_pcap_each(data, size, inside, &s, err, sizeof(err));
	return 0;
}
