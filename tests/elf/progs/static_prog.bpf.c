// SPDX-License-Identifier: MIT
/* A static function in a program section: libbpf refuses the object at open
 * ("sec 'socket': program 'hidden' is static and not supported", -ENOTSUP);
 * bpfkit must too. */
// expect: open fails hidden
#include "corpus.h"

SEC("socket")
static int hidden(struct __sk_buff *skb)
{
	return 0;
}

SEC("socket")
int visible(struct __sk_buff *skb)
{
	return 1;
}

/* keep hidden referenced without calling it */
void *keep_hidden SEC(".data.keep") = (void *)&hidden;

char LICENSE[] SEC("license") = "GPL";
