/* SPDX-License-Identifier: MIT */
/* <bpf/bpf_endian.h> for libbpf-style programs: bpfkit's <bpfkit/bpf/endian.h>. */
#ifndef __BPF_ENDIAN__
#define __BPF_ENDIAN__
#include "../../bpf/endian.h"
#endif
