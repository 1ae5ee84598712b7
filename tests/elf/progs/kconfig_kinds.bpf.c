// SPDX-License-Identifier: MIT
/* .kconfig externs of every kind libbpf accepts, for the kconfig tests: load
 * it with kconfig_kinds.config as the kconfig override (libbpf_ref --kconfig)
 * and compare the .kconfig map libbpf fills with bpfkit's values. Every extern
 * is read so clang keeps it. */
#include "corpus.h"

extern enum libbpf_tristate CONFIG_BK_TRI_Y __kconfig;
extern enum libbpf_tristate CONFIG_BK_TRI_M __kconfig;
extern enum libbpf_tristate CONFIG_BK_TRI_N __kconfig;
extern _Bool CONFIG_BK_BOOL_Y __kconfig;
extern _Bool CONFIG_BK_BOOL_N __kconfig;
extern char CONFIG_BK_CHAR __kconfig;
extern char CONFIG_BK_CHAR_NUM __kconfig;
extern signed char CONFIG_BK_S8 __kconfig;
extern int CONFIG_BK_INT __kconfig;
extern unsigned short CONFIG_BK_U16 __kconfig;
extern unsigned long long CONFIG_BK_U64 __kconfig;
extern long long CONFIG_BK_NEG64 __kconfig;
extern int CONFIG_BK_HEX __kconfig;
extern int CONFIG_BK_OCT __kconfig;
extern int CONFIG_BK_DUP __kconfig;
extern char CONFIG_BK_STR[8] __kconfig;
extern char CONFIG_BK_LONGSTR[4] __kconfig;
extern int CONFIG_BK_MISSING __kconfig __weak;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig __weak;
extern int LINUX_HAS_SYSCALL_WRAPPER __kconfig __weak;
extern int LINUX_BK_UNKNOWN __kconfig __weak;

__u64 sum;

SEC("xdp")
int kcfg_all(struct xdp_md *ctx)
{
	sum = CONFIG_BK_TRI_Y + CONFIG_BK_TRI_M + CONFIG_BK_TRI_N + CONFIG_BK_BOOL_Y +
	      CONFIG_BK_BOOL_N + CONFIG_BK_CHAR + CONFIG_BK_CHAR_NUM + CONFIG_BK_S8 +
	      CONFIG_BK_INT + CONFIG_BK_U16 + CONFIG_BK_U64 + CONFIG_BK_NEG64 + CONFIG_BK_HEX +
	      CONFIG_BK_OCT + CONFIG_BK_DUP + CONFIG_BK_STR[0] + CONFIG_BK_STR[7] +
	      CONFIG_BK_LONGSTR[0] + CONFIG_BK_LONGSTR[3] + CONFIG_BK_MISSING +
	      LINUX_KERNEL_VERSION + LINUX_HAS_BPF_COOKIE + LINUX_HAS_SYSCALL_WRAPPER +
	      LINUX_BK_UNKNOWN;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
