// SPDX-License-Identifier: MIT
/* A program the verifier refuses, for diagnostics at the C source line: the
 * packet length, a scalar, used as a pointer. The verifier says
 * "R? invalid mem access 'scalar'" at the load of line 15. */
// expect: load fails bad_deref line 15
#include "corpus.h"

SEC("socket")
int bad_deref(struct __sk_buff *skb)
{
	__u64 len = skb->len;

	if (len < 4)
		return 0;
	return *(volatile int *)len;
}

char LICENSE[] SEC("license") = "GPL";
