/* SPDX-License-Identifier: MIT */
/* Private to kconfig*.c: where one extern's value goes, and the value rules. */
#ifndef BK_ELF_KCONFIG_INT_H
#define BK_ELF_KCONFIG_INT_H

#include "kconfig.h"

struct bk__kcfg_dst {
	const char *name;
	enum bk__kcfg_kind kind;
	uint32_t size;
	bool is_signed;
	void *dst;
};

/* A config line's value text ("y", "\"str\"", "0x10"...) into d. */
int bk__kcfg_set_text(const struct bk__kcfg_dst *d, const char *value, struct bk_diag *diag);

/* A LINUX_* virtual extern; -ENOENT for LINUX_ names libbpf does not know. */
int bk__kcfg_fill_virtual(const struct bk__kcfg_dst *d, struct bk_diag *diag);

/* "/boot/config-$(uname -r)" into buf. */
void bk__boot_config_path(char *buf, size_t size);

#endif /* BK_ELF_KCONFIG_INT_H */
