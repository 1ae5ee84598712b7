/* SPDX-License-Identifier: MIT */
/* <bpf/usdt.bpf.h> for libbpf-style programs: bpfkit's <bpfkit/bpf/usdt.h>. */
#ifndef __USDT_BPF_H__
#define __USDT_BPF_H__
#include "bpf_helpers.h"
#include "bpf_tracing.h"
#include "../../bpf/usdt.h"
#endif
