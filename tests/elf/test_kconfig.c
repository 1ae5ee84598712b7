// SPDX-License-Identifier: MIT
/*
 * .kconfig values with libbpf's typing rules: y/n/m into tristates, bools
 * and chars; strings into char arrays (cut, NUL-terminated); numbers into
 * integers that hold them; LINUX_KERNEL_VERSION from uname; missing names
 * said as -ENOENT; the running kernel's config read from /proc/config.gz.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../../src/elf/kconfig.h"
#include "../lib/bk_test.h"

static const char cfg[] = "# comment\nCONFIG_A=y\nCONFIG_B=m\nCONFIG_C=n\n"
			  "CONFIG_STR=\"hello world\"\nCONFIG_NUM=300\nCONFIG_NEG=-5\n"
			  "CONFIG_HEX=0x10\nCONFIG_BAD=12x\n";

static struct bk__kconfig *load(void)
{
	struct bk__kconfig *kc = NULL;
	struct bk_diag d = { 0 };

	cr_assert_eq(bk__kconfig_load(cfg, &kc, &d), 0, "%s", d.msg);
	return kc;
}

Test(kconfig, tristates_bools_and_chars)
{
	struct bk__kconfig *kc = load();
	uint32_t tri = 9;
	uint8_t b = 9, c = 0;

	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_A", BK__KCFG_TRISTATE, 4, false, &tri, NULL), 0);
	cr_assert_eq(tri, 1);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_B", BK__KCFG_TRISTATE, 4, false, &tri, NULL), 0);
	cr_assert_eq(tri, 2, "libbpf_tristate: TRI_MODULE is 2");
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_C", BK__KCFG_BOOL, 1, false, &b, NULL), 0);
	cr_assert_eq(b, 0);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_B", BK__KCFG_BOOL, 1, false, &b, NULL), -EINVAL,
		     "'m' is not a bool");
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_A", BK__KCFG_INT, 1, false, &c, NULL), 0);
	cr_assert_eq(c, 'y', "a char gets the letter");
	bk__kconfig_free(kc);
}

Test(kconfig, strings_and_numbers)
{
	struct bk__kconfig *kc = load();
	char s[6];
	uint8_t u8;
	int32_t i32;
	uint64_t u64;
	struct bk_diag d = { 0 };

	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_STR", BK__KCFG_CHAR_ARR, sizeof(s), false, s, NULL), 0);
	cr_assert_str_eq(s, "hello", "cut to fit, NUL-terminated");
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_NUM", BK__KCFG_INT, 8, false, &u64, NULL), 0);
	cr_assert_eq(u64, 300);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_HEX", BK__KCFG_INT, 4, true, &i32, NULL), 0);
	cr_assert_eq(i32, 16);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_NUM", BK__KCFG_INT, 1, false, &u8, &d), -ERANGE);
	cr_assert(strstr(d.msg, "does not fit 1 bytes"), "%s", d.msg);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_BAD", BK__KCFG_INT, 4, true, &i32, &d), -EINVAL);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_STR", BK__KCFG_INT, 4, true, &i32, NULL), -EINVAL);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_NONE", BK__KCFG_INT, 4, true, &i32, NULL), -ENOENT);
	cr_assert_eq(bk__kconfig_fill(kc, "NOT_CONFIG", BK__KCFG_INT, 4, true, &i32, NULL), -EINVAL);
	bk__kconfig_free(kc);
}

Test(kconfig, kernel_version_and_the_running_config)
{
	struct bk__kconfig *kc = NULL;
	struct bk_diag d = { 0 };
	struct utsname u;
	unsigned a, b, c;
	uint32_t v = 0;
	uint8_t yes = 0;

	uname(&u);
	cr_assert_eq(sscanf(u.release, "%u.%u.%u", &a, &b, &c), 3);
	cr_assert_eq(bk__kconfig_fill(NULL, "LINUX_KERNEL_VERSION", BK__KCFG_INT, 4, false, &v, NULL), 0);
	cr_assert_eq(v, (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	if (access("/proc/config.gz", R_OK))
		BK_SKIP_FEATURE("/proc/config.gz (CONFIG_IKCONFIG_PROC)");
	cr_assert_eq(bk__kconfig_load(NULL, &kc, &d), 0, "%s", d.msg);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_BPF_SYSCALL", BK__KCFG_BOOL, 1, false, &yes, NULL), 0);
	cr_assert_eq(yes, 1);
	bk__kconfig_free(kc);
}
