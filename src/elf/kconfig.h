/* SPDX-License-Identifier: MIT */
/*
 * .kconfig externs with libbpf's semantics: the running kernel's config (or
 * the object's override text), the virtual LINUX_* values libbpf computes, and
 * how each extern's BTF type decides what a config value may fill it with.
 */
#ifndef BK_ELF_KCONFIG_H
#define BK_ELF_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/btf.h>
#include <bpfkit/common.h>

struct bk__kconfig;

/*
 * The config externs are filled from, as libbpf reads it: override_text (the
 * object opts' kconfig override, "CONFIG_X=y\n..." lines) when not NULL, and
 * for names it lacks the system config, /boot/config-$(uname -r) or else
 * /proc/config.gz (gzip or plain text either way). The system config is read
 * here when there is no override, else on the first name the override lacks.
 * A line "CONFIG_..." without '=' or value fails, naming file and line, as in
 * libbpf; other lines ("# CONFIG_X is not set", blanks) are skipped. Call it
 * only for objects with CONFIG_ externs (libbpf reads no config otherwise).
 * Returns 0, or -ENOENT (no system config), -EINVAL, -EFBIG, -ENOMEM with diag.
 */
int bk__kconfig_load(const char *override_text, struct bk__kconfig **out, struct bk_diag *diag);

/* Like bk__kconfig_load with the system config searched in paths[0..n-1]
 * (libbpf's are /boot/config-$(uname -r), /proc/config.gz): for tests. */
int bk__kconfig_load_from(const char *override_text, const char *const *paths, size_t npaths,
			  struct bk__kconfig **out, struct bk_diag *diag);

void bk__kconfig_free(struct bk__kconfig *kc);

/* How an extern in .kconfig is typed (libbpf's rules: enum libbpf_tristate,
 * bool, char[N], 1/2/4/8-byte integers, and 1-byte ones which are chars).
 * BK__KCFG_CHAR was added to the interface first drafted: libbpf treats char
 * externs apart (they take y/n/m as the letter). */
enum bk__kcfg_kind { BK__KCFG_TRISTATE, BK__KCFG_BOOL, BK__KCFG_CHAR_ARR, BK__KCFG_INT, BK__KCFG_CHAR };

/*
 * Fill dst (size bytes: the extern's BTF size) for extern name with libbpf's
 * exact semantics. CONFIG_ names take the first line naming them: "y"/"n"/"m"
 * fill tristates (TRI_YES 1, TRI_NO 0, TRI_MODULE 2), bools ('m' refused) and
 * chars (the letter); a quoted string fills char arrays (cut to size - 1 and
 * NUL-terminated, with a warning in the log, as libbpf does); anything else is
 * an integer (strtoull base 0, so 0x.. and -1 too) for ints and chars that must
 * fit size bytes of that signedness. The virtual LINUX_KERNEL_VERSION,
 * LINUX_HAS_BPF_COOKIE and LINUX_HAS_SYSCALL_WRAPPER get the values libbpf
 * computes (kc may be NULL for these). Returns 0; -ENOENT when the config does
 * not name it or it is an unknown LINUX_ name (the caller applies __weak:
 * zero, or fails a strong extern); -ERANGE/-EINVAL with diag when the value
 * does not fit the type, the name is neither CONFIG_ nor LINUX_, or the system
 * config cannot be read.
 */
int bk__kconfig_fill(const struct bk__kconfig *kc, const char *name, enum bk__kcfg_kind kind,
		     uint32_t size, bool is_signed, void *dst, struct bk_diag *diag);

/* Classify an extern's BTF type (the VAR's type) like libbpf's find_kcfg_type,
 * with its size (char arrays: element count) and signedness. -EINVAL with no
 * output if the type is none of the kinds. */
int bk__kcfg_kind_of(const struct bk_btf *btf, uint32_t type_id, enum bk__kcfg_kind *kind,
		     uint32_t *size, bool *is_signed);

/* LINUX_KERNEL_VERSION as libbpf computes it: Ubuntu's /proc/version_signature,
 * else Debian's "Debian X.Y.Z" in uname's version, else uname's release;
 * KERNEL_VERSION(a, b, c) with c capped at 255. 0 when none parses. */
uint32_t bk__kernel_version(void);

#endif /* BK_ELF_KCONFIG_H */
