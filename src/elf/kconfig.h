/* SPDX-License-Identifier: MIT */
/*
 * The running kernel's configuration, for .kconfig externs: read from an
 * override text, /proc/config.gz or /boot/config-$(uname -r), and values
 * written into extern slots with libbpf's typing rules.
 */
#ifndef BK_ELF_KCONFIG_H
#define BK_ELF_KCONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <bpfkit/btf.h>
#include <bpfkit/common.h>

struct bk__kconfig;

/* The config: override_text when not NULL ("CONFIG_X=y\n..." lines), else
 * /proc/config.gz, else /boot/config-$(uname -r). 0 or -errno with diag. */
int bk__kconfig_load(const char *override_text, struct bk__kconfig **out, struct bk_diag *diag);
void bk__kconfig_free(struct bk__kconfig *kc);

/* How an extern in .kconfig is typed (libbpf's rules). */
enum bk__kcfg_kind { BK__KCFG_TRISTATE, BK__KCFG_BOOL, BK__KCFG_CHAR_ARR, BK__KCFG_INT };

/* Fill dst (size bytes) for extern name, including LINUX_KERNEL_VERSION and
 * the LINUX_HAS_* values libbpf computes. 0, -ENOENT when the config does
 * not name it (the caller applies __weak), -ERANGE/-EINVAL with diag. */
int bk__kconfig_fill(const struct bk__kconfig *kc, const char *name, enum bk__kcfg_kind kind,
		     uint32_t size, bool is_signed, void *dst, struct bk_diag *diag);

/* Classify an extern's type like libbpf does; -EINVAL when unsupported. */
int bk__kcfg_kind_of(const struct bk_btf *btf, uint32_t type_id, enum bk__kcfg_kind *kind,
		     uint32_t *size, bool *is_signed);

#endif /* BK_ELF_KCONFIG_H */
