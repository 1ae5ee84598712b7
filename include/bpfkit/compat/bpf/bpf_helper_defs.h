/* SPDX-License-Identifier: MIT */
/* <bpf/bpf_helper_defs.h> for libbpf-style programs: bpfkit's helper declarations. */
#include "../../bpf/helper_defs.h"
