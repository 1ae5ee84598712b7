/* SPDX-License-Identifier: MIT */
/* <bpf/bpf_endian.h> for libbpf-style programs: bpfkit's <bpfkit/bpf/endian.h>. */
#ifndef __BPF_ENDIAN__
#define __BPF_ENDIAN__
#include "../../bpf/endian.h"

/* The spellings of the always-swap and constant-only forms libbpf also offers. */
#define __bpf_ntohs(x) ___bk_be16v(x)
#define __bpf_htons(x) ___bk_be16v(x)
#define __bpf_ntohl(x) ___bk_be32v(x)
#define __bpf_htonl(x) ___bk_be32v(x)
#define __bpf_be64_to_cpu(x) ___bk_be64v(x)
#define __bpf_cpu_to_be64(x) ___bk_be64v(x)
#define __bpf_constant_ntohs(x) ___bk_be16(x)
#define __bpf_constant_htons(x) ___bk_be16(x)
#define __bpf_constant_ntohl(x) ___bk_be32(x)
#define __bpf_constant_htonl(x) ___bk_be32(x)
#define __bpf_constant_be64_to_cpu(x) ___bk_be64(x)
#define __bpf_constant_cpu_to_be64(x) ___bk_be64(x)
#endif
