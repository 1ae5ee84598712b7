/* SPDX-License-Identifier: MIT */
/*
 * <bpf/bpf_helpers.h> for programs written against libbpf's headers: build
 * them with -I$(pkg-config --variable=bpfincludedir bpfkit) and bpfkit's
 * <bpfkit/bpf/helpers.h> serves them, unchanged. The few names that only the
 * libbpf spelling has are defined here.
 */
#ifndef __BPF_HELPERS__
#define __BPF_HELPERS__

#include "../../bpf/helpers.h"

/* Map pinning (the `pinning` field of a BTF-defined map). */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE = BK_PIN_NONE,
	LIBBPF_PIN_BY_NAME = BK_PIN_BY_NAME,
};

/* The value of a tristate Kconfig extern (CONFIG_X=y/n/m). */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/* The storage of bpf_printk's format (empty under BPF_NO_GLOBAL_DATA). */
#define BPF_PRINTK_FMT_MOD ___bk_fmt_mod

/* The older name of a referenced kernel pointer's tag (kernels before 6.1). */
#define __kptr_ref __attribute__((btf_type_tag("kptr_ref")))

/* Whether a weak __ksym extern was found in the running kernel. */
#define bpf_ksym_exists(sym) (!!(sym))

#endif /* __BPF_HELPERS__ */
