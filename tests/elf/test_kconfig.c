// SPDX-License-Identifier: MIT
/* .kconfig externs: libbpf's typing of extern BTF types, its value rules
 * (known answers and every refusal), where the config comes from, and the
 * bytes libbpf itself puts in the .kconfig map for the same object and
 * override (tests/elf/progs/kconfig_kinds.bpf.c through libbpf_ref). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>

#include "../../src/elf/kconfig.h"
#include "../lib/bk_test.h"

/* The override kconfig_kinds.bpf.o is loaded with (libbpf_ref --kconfig). */
static const char *override_path(void)
{
	static char p[512];
	const char *src = getenv("BK_SRCDIR");

	cr_assert_not_null(src, "BK_SRCDIR is set by the Makefile");
	snprintf(p, sizeof(p), "%s/tests/elf/progs/kconfig_kinds.config", src);
	return p;
}

static char override[4096];

static void read_override(void)
{
	FILE *f = fopen(override_path(), "r");
	size_t n;

	cr_assert_not_null(f, "%s", override_path());
	n = fread(override, 1, sizeof(override) - 1, f);
	fclose(f);
	override[n] = '\0';
}

TestSuite(kconfig, .init = read_override);

/* Every extern of kconfig_kinds.bpf.c: libbpf's kind, size, alignment,
 * signedness, and the bytes the override gives it (NULL: computed, weak 0). */
static const struct ext {
	const char *name;
	enum bk__kcfg_kind kind;
	uint32_t size, align;
	bool is_signed;
	const char *hex; /* expected bytes; "" for weak-missing zero; NULL: not fixed */
} exts[] = {
	{ "CONFIG_BK_TRI_Y", BK__KCFG_TRISTATE, 4, 4, false, "01000000" },
	{ "CONFIG_BK_TRI_M", BK__KCFG_TRISTATE, 4, 4, false, "02000000" },
	{ "CONFIG_BK_TRI_N", BK__KCFG_TRISTATE, 4, 4, false, "00000000" },
	{ "CONFIG_BK_BOOL_Y", BK__KCFG_BOOL, 1, 1, false, "01" },
	{ "CONFIG_BK_BOOL_N", BK__KCFG_BOOL, 1, 1, false, "00" },
	{ "CONFIG_BK_CHAR", BK__KCFG_CHAR, 1, 1, true, "79" },
	{ "CONFIG_BK_CHAR_NUM", BK__KCFG_CHAR, 1, 1, true, "41" },
	{ "CONFIG_BK_S8", BK__KCFG_CHAR, 1, 1, true, "80" },
	{ "CONFIG_BK_INT", BK__KCFG_INT, 4, 4, true, "fbffffff" },
	{ "CONFIG_BK_U16", BK__KCFG_INT, 2, 2, false, "ffff" },
	{ "CONFIG_BK_U64", BK__KCFG_INT, 8, 8, false, "f0debc9a78563412" },
	{ "CONFIG_BK_NEG64", BK__KCFG_INT, 8, 8, true, "feffffffffffffff" },
	{ "CONFIG_BK_HEX", BK__KCFG_INT, 4, 4, true, "10000000" },
	{ "CONFIG_BK_OCT", BK__KCFG_INT, 4, 4, true, "08000000" },
	{ "CONFIG_BK_DUP", BK__KCFG_INT, 4, 4, true, "01000000" },
	{ "CONFIG_BK_STR", BK__KCFG_CHAR_ARR, 8, 1, false, "68656c6c6f000000" },
	{ "CONFIG_BK_LONGSTR", BK__KCFG_CHAR_ARR, 4, 1, false, "74727500" },
	{ "CONFIG_BK_MISSING", BK__KCFG_INT, 4, 4, true, "" },
	{ "LINUX_KERNEL_VERSION", BK__KCFG_INT, 4, 4, false, NULL },
	{ "LINUX_HAS_BPF_COOKIE", BK__KCFG_BOOL, 1, 1, false, NULL },
	{ "LINUX_HAS_SYSCALL_WRAPPER", BK__KCFG_INT, 4, 4, true, NULL },
	{ "LINUX_BK_UNKNOWN", BK__KCFG_INT, 4, 4, true, "" },
};
#define NEXT (sizeof(exts) / sizeof(exts[0]))

static void hex_of(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* bk__kconfig_fill for one extern, weak ones zero on -ENOENT as callers do. */
static int fill(const struct bk__kconfig *kc, const struct ext *e, uint8_t *dst)
{
	struct bk_diag d = { 0 };
	int err;

	memset(dst, 0, e->size);
	err = bk__kconfig_fill(kc, e->name, e->kind, e->size, e->is_signed, dst, &d);
	if (err == -ENOENT && e->hex && !e->hex[0])
		return 0;
	if (err)
		cr_log_error("%s: %s", e->name, d.msg);
	return err;
}

static char *objpath(const char *name)
{
	static char p[512];
	const char *dir = getenv("BK_ELF_CORPUS");

	cr_assert_not_null(dir, "BK_ELF_CORPUS is set by the Makefile");
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	cr_assert_eq(access(p, R_OK), 0, "%s: make elf-corpus builds it", p);
	return p;
}

static struct bk_btf *object_btf(const char *obj)
{
	char cmd[1200], tmp[64];
	struct bk_btf *btf;

	snprintf(tmp, sizeof(tmp), "/tmp/bk_kconfig_btf_%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "llvm-objcopy-19 --dump-section .BTF=%s '%s' /dev/null", tmp,
		 obj);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	btf = bk_btf_load_file(tmp, NULL);
	unlink(tmp);
	cr_assert_not_null(btf);
	return btf;
}

Test(kconfig, kinds_of_extern_types_as_libbpf_types_them)
{
	struct bk_btf *btf = object_btf(objpath("kconfig_kinds.bpf.o"));

	for (size_t i = 0; i < NEXT; i++) {
		struct bk_btf_type var;
		enum bk__kcfg_kind kind;
		uint32_t size;
		bool is_signed;
		int id = bk_btf_find(btf, exts[i].name, BK_BTF_KIND_VAR);

		cr_assert_gt(id, 0, "%s: no VAR", exts[i].name);
		cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &var), 0);
		cr_assert_eq(bk__kcfg_kind_of(btf, var.size_or_type, &kind, &size, &is_signed), 0,
			     "%s", exts[i].name);
		cr_assert_eq(kind, exts[i].kind, "%s: kind %d", exts[i].name, kind);
		cr_assert_eq(size, exts[i].size, "%s: size %u", exts[i].name, size);
		cr_assert_eq(is_signed, exts[i].is_signed, "%s", exts[i].name);
	}
	/* what libbpf refuses: the .bss __u64, a struct, a pointer */
	{
		int id = bk_btf_find(btf, "sum", BK_BTF_KIND_VAR), sid;
		struct bk_btf_type var;
		enum bk__kcfg_kind kind;
		uint32_t size;
		bool s;

		cr_assert_gt(id, 0);
		bk_btf_type_by_id(btf, (uint32_t)id, &var);
		cr_assert_eq(bk__kcfg_kind_of(btf, var.size_or_type, &kind, &size, &s), 0);
		cr_assert_eq(kind, BK__KCFG_INT);
		sid = bk_btf_find(btf, "xdp_md", BK_BTF_KIND_STRUCT);
		cr_assert_gt(sid, 0);
		cr_assert_eq(bk__kcfg_kind_of(btf, (uint32_t)sid, &kind, &size, &s), -EINVAL);
		cr_assert_eq(bk__kcfg_kind_of(btf, 0, &kind, &size, &s), -EINVAL, "void");
	}
	bk_btf_free(btf);
}

Test(kconfig, override_values_are_libbpfs)
{
	struct bk__kconfig *kc;
	uint8_t buf[16];
	char hex[40];

	cr_assert_eq(bk__kconfig_load(override, &kc, NULL), 0);
	for (size_t i = 0; i < NEXT; i++) {
		if (!exts[i].hex)
			continue;
		cr_assert_eq(fill(kc, &exts[i], buf), 0, "%s", exts[i].name);
		hex_of(buf, exts[i].size, hex);
		if (exts[i].hex[0])
			cr_assert_str_eq(hex, exts[i].hex, "%s", exts[i].name);
		else
			cr_assert_eq(buf[0], 0);
	}
	bk__kconfig_free(kc);
}

static int cmp_layout(const void *a, const void *b)
{
	const struct ext *x = *(const struct ext *const *)a, *y = *(const struct ext *const *)b;

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* libbpf's .kconfig map for the same object and override, byte for byte: its
 * layout is externs by alignment (descending), size, then name. */
Test(kconfig, same_bytes_as_libbpf)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	const struct ext *order[NEXT];
	char cmd[1200], line[8192], want[2048], got[2048] = "";
	uint8_t map[256] = { 0 };
	struct bk__kconfig *kc;
	size_t off = 0;
	char *p, *end;
	FILE *f;

	cr_assert_not_null(ref, "BK_LIBBPF_REF is set by the Makefile");
	snprintf(cmd, sizeof(cmd), "%s --kconfig %s '%s' 2>/dev/null", ref, override_path(),
		 objpath("kconfig_kinds.bpf.o"));
	f = popen(cmd, "r");
	cr_assert_not_null(fgets(line, sizeof(line), f), "%s printed nothing", cmd);
	pclose(f);
	p = strstr(line, "\"name\":\"kconfig.kconfig\"");
	cr_assert_not_null(p, "%s", line);
	p = strstr(p, "\"data\":\"");
	cr_assert_not_null(p);
	p += 8;
	end = strchr(p, '"');
	snprintf(want, sizeof(want), "%.*s", (int)(end - p), p);

	for (size_t i = 0; i < NEXT; i++)
		order[i] = &exts[i];
	qsort(order, NEXT, sizeof(order[0]), cmp_layout);
	cr_assert_eq(bk__kconfig_load(override, &kc, NULL), 0);
	for (size_t i = 0; i < NEXT; i++) {
		off = (off + order[i]->align - 1) / order[i]->align * order[i]->align;
		cr_assert_eq(fill(kc, order[i], map + off), 0, "%s", order[i]->name);
		off += order[i]->size;
	}
	bk__kconfig_free(kc);
	hex_of(map, off, got);
	cr_assert_str_eq(got, want, "bpfkit %s\nlibbpf %s", got, want);
}

static int fill_one(const char *text, const char *name, enum bk__kcfg_kind kind, uint32_t size,
		    bool is_signed, void *dst, struct bk_diag *d)
{
	struct bk__kconfig *kc;
	int err = bk__kconfig_load(text, &kc, NULL);

	cr_assert_eq(err, 0);
	err = bk__kconfig_fill(kc, name, kind, size, is_signed, dst, d);
	bk__kconfig_free(kc);
	return err;
}

Test(kconfig, values_that_do_not_fit_are_refused)
{
	static const struct {
		const char *text;
		enum bk__kcfg_kind kind;
		uint32_t size;
		bool is_signed;
		int err;
		const char *says;
	} cases[] = {
		{ "CONFIG_X=m\n", BK__KCFG_BOOL, 1, false, -EINVAL, "implies tristate or char" },
		{ "CONFIG_X=y\n", BK__KCFG_INT, 4, true, -EINVAL, "implies bool, tristate" },
		{ "CONFIG_X=y\n", BK__KCFG_CHAR_ARR, 4, false, -EINVAL, "implies bool" },
		{ "CONFIG_X=\"s\"\n", BK__KCFG_INT, 4, true, -EINVAL, "implies char array" },
		{ "CONFIG_X=\"open\n", BK__KCFG_CHAR_ARR, 8, false, -EINVAL, "invalid string" },
		{ "CONFIG_X=\"\n", BK__KCFG_CHAR_ARR, 8, false, -EINVAL, "invalid string" },
		{ "CONFIG_X=5\n", BK__KCFG_TRISTATE, 4, false, -EINVAL, "implies integer type" },
		{ "CONFIG_X=1\n", BK__KCFG_BOOL, 1, false, -EINVAL, "implies integer type" },
		{ "CONFIG_X=12abc\n", BK__KCFG_INT, 4, true, -EINVAL, "isn't a valid integer" },
		{ "CONFIG_X=99999999999999999999\n", BK__KCFG_INT, 8, false, -ERANGE,
		  "isn't a valid integer" },
		{ "CONFIG_X=300\n", BK__KCFG_CHAR, 1, false, -ERANGE, "doesn't fit in 1 bytes" },
		{ "CONFIG_X=-129\n", BK__KCFG_CHAR, 1, true, -ERANGE, "doesn't fit" },
		{ "CONFIG_X=128\n", BK__KCFG_CHAR, 1, true, -ERANGE, "doesn't fit" },
		{ "CONFIG_X=0x10000\n", BK__KCFG_INT, 2, false, -ERANGE, "doesn't fit in 2" },
		{ "CONFIG_X=-1\n", BK__KCFG_INT, 4, false, -ERANGE, "doesn't fit in 4" },
		{ "CONFIG_X=0x80000000\n", BK__KCFG_INT, 4, true, -ERANGE, "doesn't fit" },
	};
	uint8_t dst[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bk_diag d = { 0 };
		int err = fill_one(cases[i].text, "CONFIG_X", cases[i].kind, cases[i].size,
				   cases[i].is_signed, dst, &d);

		cr_assert_eq(err, cases[i].err, "case %zu (%s): %d %s", i, cases[i].text, err,
			     d.msg);
		cr_assert_not_null(strstr(d.msg, cases[i].says), "case %zu: '%s'", i, d.msg);
		cr_assert_not_null(strstr(d.msg, "CONFIG_X"), "names the extern: '%s'", d.msg);
	}
}

Test(kconfig, edges_that_fit)
{
	uint8_t dst[8];
	struct bk_diag d = { 0 };

	cr_assert_eq(fill_one("CONFIG_X=-1\n", "CONFIG_X", BK__KCFG_INT, 4, true, dst, &d), 0);
	cr_assert_eq(memcmp(dst, "\xff\xff\xff\xff", 4), 0);
	cr_assert_eq(fill_one("CONFIG_X=255\n", "CONFIG_X", BK__KCFG_CHAR, 1, false, dst, &d), 0);
	cr_assert_eq(dst[0], 255);
	cr_assert_eq(fill_one("CONFIG_X=-1\n", "CONFIG_X", BK__KCFG_INT, 8, false, dst, &d), 0,
		     "8-byte integers take any value, as in libbpf");
	cr_assert_eq(fill_one("CONFIG_X=yes\n", "CONFIG_X", BK__KCFG_BOOL, 1, false, dst, &d), 0,
			"only the first letter counts");
	cr_assert_eq(dst[0], 1);
	cr_assert_eq(fill_one("CONFIG_X=\"\"\n", "CONFIG_X", BK__KCFG_CHAR_ARR, 2, false, dst, &d),
		     0);
	cr_assert_eq(dst[0], 0);
	cr_assert_eq(fill_one("CONFIG_X=\"ab\"\n", "CONFIG_X", BK__KCFG_CHAR_ARR, 1, false, dst,
			      &d), 0);
	cr_assert_eq(dst[0], 0, "cut to size - 1 = nothing");
}

Test(kconfig, malformed_lines_name_the_line)
{
	struct bk__kconfig *kc = (void *)1;
	struct bk_diag d = { 0 };

	cr_assert_eq(bk__kconfig_load("CONFIG_A=y\n\nCONFIG_B\n", &kc, &d), -EINVAL);
	cr_assert_null(kc);
	cr_assert_eq(d.line, 3);
	cr_assert_str_eq(d.file, "kconfig override");
	cr_assert_not_null(strstr(d.msg, "no '='"), "%s", d.msg);
	cr_assert_eq(bk__kconfig_load("CONFIG_A=\n", &kc, &d), -EINVAL);
	cr_assert_eq(d.line, 1);
	cr_assert_not_null(strstr(d.msg, "no value"));
	/* lines not starting with CONFIG_ are not looked at */
	cr_assert_eq(bk__kconfig_load("garbage\n  CONFIG_X\n# CONFIG_Y is not set\n", &kc, &d), 0);
	bk__kconfig_free(kc);
}

Test(kconfig, names_and_weak_misses)
{
	struct bk__kconfig *kc;
	struct bk_diag d = { 0 };
	uint8_t dst[4];
	const char *none[] = { "/nonexistent/bk-config" };

	cr_assert_eq(bk__kconfig_load_from("CONFIG_A=1\n", none, 1, &kc, NULL), 0);
	cr_assert_eq(bk__kconfig_fill(kc, "FOO", BK__KCFG_INT, 4, true, dst, &d), -EINVAL);
	cr_assert_not_null(strstr(d.msg, "unrecognized virtual extern"));
	cr_assert_eq(bk__kconfig_fill(kc, "LINUX_BK_NOPE", BK__KCFG_INT, 4, true, dst, &d),
		     -ENOENT);
	/* a name the override lacks needs the system config, which is missing here */
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_B", BK__KCFG_INT, 4, true, dst, &d), -EINVAL);
	cr_assert_not_null(strstr(d.msg, "no kernel config"), "%s", d.msg);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_A", BK__KCFG_INT, 4, true, dst, &d), 0);
	bk__kconfig_free(kc);
	kc = (void *)1;
	cr_assert_eq(bk__kconfig_load_from(NULL, none, 1, &kc, &d), -ENOENT);
	cr_assert_null(kc);
	cr_assert_not_null(strstr(d.msg, "/nonexistent/bk-config"), "%s", d.msg);
}

Test(kconfig, system_config_plain_or_gzip_first_path_wins)
{
	char plain[64], gz[64], cmd[256];
	const char *paths[2];
	struct bk__kconfig *kc;
	uint8_t v[4];
	FILE *f;

	snprintf(plain, sizeof(plain), "/tmp/bk_kconfig_plain_%d", (int)getpid());
	snprintf(gz, sizeof(gz), "/tmp/bk_kconfig_gz_%d", (int)getpid());
	f = fopen(plain, "w");
	fputs("CONFIG_N=7\nCONFIG_ONLY_SYS=y\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "printf 'CONFIG_N=9\\n' | gzip -c > %s", gz);
	cr_assert_eq(system(cmd), 0);

	paths[0] = gz;
	paths[1] = plain;
	cr_assert_eq(bk__kconfig_load_from(NULL, paths, 2, &kc, NULL), 0);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_N", BK__KCFG_INT, 4, true, v, NULL), 0);
	cr_assert_eq(*(int32_t *)v, 9, "the first path that opens is the config");
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_ONLY_SYS", BK__KCFG_BOOL, 1, false, v, NULL),
		     -ENOENT, "the second is not read");
	bk__kconfig_free(kc);

	paths[0] = "/nonexistent/bk-config";
	cr_assert_eq(bk__kconfig_load_from("CONFIG_N=1\n", paths, 2, &kc, NULL), 0);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_N", BK__KCFG_INT, 4, true, v, NULL), 0);
	cr_assert_eq(*(int32_t *)v, 1, "the override wins");
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_ONLY_SYS", BK__KCFG_BOOL, 1, false, v, NULL),
		     0, "names the override lacks come from the system config");
	cr_assert_eq(v[0], 1);
	bk__kconfig_free(kc);
	unlink(plain);
	unlink(gz);
}

/* The running kernel's own config, through /proc/config.gz here. */
Test(kconfig, running_kernel_config)
{
	struct bk__kconfig *kc;
	struct bk_diag d = { 0 };
	char line[256] = "";
	uint8_t v[8];
	FILE *f;
	int hz = 0;

	if (access("/proc/config.gz", R_OK) != 0)
		BK_SKIP_FEATURE("/proc/config.gz (CONFIG_IKCONFIG_PROC)");
	f = popen("gzip -dc /proc/config.gz | grep '^CONFIG_HZ='", "r");
	cr_assert_not_null(fgets(line, sizeof(line), f));
	pclose(f);
	cr_assert_eq(sscanf(line, "CONFIG_HZ=%d", &hz), 1);
	cr_assert_eq(bk__kconfig_load(NULL, &kc, &d), 0, "%s", d.msg);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_HZ", BK__KCFG_INT, 4, true, v, &d), 0);
	cr_assert_eq(*(int32_t *)v, hz);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_BPF", BK__KCFG_BOOL, 1, false, v, &d), 0);
	cr_assert_eq(v[0], 1);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_BPF_SYSCALL", BK__KCFG_TRISTATE, 4, false, v,
				      &d), 0);
	cr_assert_eq(*(int32_t *)v, 1);
	cr_assert_eq(bk__kconfig_fill(kc, "CONFIG_BK_NO_SUCH", BK__KCFG_BOOL, 1, false, v, &d),
		     -ENOENT);
	bk__kconfig_free(kc);
}

/* LINUX_KERNEL_VERSION from uname's release, unless the machine is one whose
 * release does not say it (Ubuntu, Debian: libbpf reads elsewhere there). */
Test(kconfig, kernel_version_from_uname)
{
	struct utsname u;
	unsigned a, b, c;
	uint32_t v = 0;

	cr_assert_eq(uname(&u), 0);
	cr_assert_eq(bk__kconfig_fill(NULL, "LINUX_KERNEL_VERSION", BK__KCFG_INT, 4, false, &v,
				      NULL), 0, "no config needed for virtual externs");
	cr_assert_eq(v, bk__kernel_version());
	if (access("/proc/version_signature", F_OK) == 0 || strstr(u.version, "Debian "))
		return; /* same_bytes_as_libbpf compares libbpf's own value */
	cr_assert_eq(sscanf(u.release, "%u.%u.%u", &a, &b, &c), 3);
	cr_assert_eq(v, (a << 16) + (b << 8) + (c > 255 ? 255 : c));
}
