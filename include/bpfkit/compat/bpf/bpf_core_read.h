/* SPDX-License-Identifier: MIT */
/* <bpf/bpf_core_read.h> for libbpf-style programs: bpfkit's <bpfkit/bpf/core.h>. */
#ifndef __BPF_CORE_READ_H__
#define __BPF_CORE_READ_H__
#include "../../bpf/core.h"
#endif
