/* SPDX-License-Identifier: MIT */
/* <bpf/bpf_tracing.h> for libbpf-style programs: bpfkit's <bpfkit/bpf/tracing.h>. */
#ifndef __BPF_TRACING_H__
#define __BPF_TRACING_H__
#include "bpf_helpers.h"
#include "../../bpf/tracing.h"
#endif
