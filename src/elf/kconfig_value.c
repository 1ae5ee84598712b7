// SPDX-License-Identifier: MIT
/*
 * What a kconfig value may fill an extern with, by the extern's BTF type, and
 * the virtual LINUX_* externs: libbpf's rules, kept to the letter because
 * programs test these values (a different answer is a different program).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include <bpfkit/abi.h>
#include <bpfkit/probe.h>

#include "../common/common_int.h"
#include "kconfig_int.h"

#define TRI_NO 0
#define TRI_YES 1
#define TRI_MODULE 2
#define FUNC_GET_ATTACH_COOKIE 174 /* BPF_FUNC_get_attach_cookie */

static bool in_range(const struct bk__kcfg_dst *d, uint64_t v)
{
	unsigned bits = d->size * 8;

	if (d->size >= 8)
		return true;
	if (d->is_signed) /* -2^(b-1) <= v <= 2^(b-1) - 1, v two's complement */
		return v + (1ull << (bits - 1)) < (1ull << bits);
	return (v >> bits) == 0;
}

static int set_num(const struct bk__kcfg_dst *d, uint64_t v, struct bk_diag *diag)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	if (d->kind != BK__KCFG_INT && d->kind != BK__KCFG_CHAR && d->kind != BK__KCFG_BOOL)
		return bk__diag(diag, -EINVAL,
				"extern (kcfg) '%s': value '%llu' implies integer, char, or boolean "
				"type",
				d->name, (unsigned long long)v);
	if (d->kind == BK__KCFG_BOOL && v > 1)
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': value '%llu' isn't boolean "
				"compatible", d->name, (unsigned long long)v);
	if (!in_range(d, v))
		return bk__diag(diag, -ERANGE, "extern (kcfg) '%s': value '%llu' doesn't fit in "
				"%u bytes", d->name, (unsigned long long)v, d->size);
	switch (d->size) {
	case 1:
		memcpy(d->dst, &u8, 1);
		break;
	case 2:
		memcpy(d->dst, &u16, 2);
		break;
	case 4:
		memcpy(d->dst, &u32, 4);
		break;
	case 8:
		memcpy(d->dst, &v, 8);
		break;
	default:
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': %u-byte integers are not "
				"supported", d->name, d->size);
	}
	return 0;
}

static int set_tri(const struct bk__kcfg_dst *d, char c, struct bk_diag *diag)
{
	int32_t tri = c == 'y' ? TRI_YES : c == 'm' ? TRI_MODULE : TRI_NO;
	uint8_t b = c == 'y';

	switch (d->kind) {
	case BK__KCFG_BOOL:
		if (c == 'm')
			return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': value 'm' implies "
					"tristate or char type", d->name);
		memcpy(d->dst, &b, 1);
		return 0;
	case BK__KCFG_TRISTATE:
		if (d->size < sizeof(tri))
			break;
		memcpy(d->dst, &tri, sizeof(tri));
		return 0;
	case BK__KCFG_CHAR:
		memcpy(d->dst, &c, 1);
		return 0;
	default:
		break;
	}
	return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': value '%c' implies bool, tristate, "
			"or char type", d->name, c);
}

static int set_str(const struct bk__kcfg_dst *d, const char *value, struct bk_diag *diag)
{
	size_t len = strlen(value);

	if (d->kind != BK__KCFG_CHAR_ARR || !d->size)
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': value '%s' implies char array "
				"type", d->name, value);
	if (len < 2 || value[len - 1] != '"')
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': invalid string config '%s'",
				d->name, value);
	len -= 2; /* the quotes */
	if (len >= d->size) {
		bk__warn("extern (kcfg) '%s': long string '%s' of %zu bytes truncated to %u bytes",
			 d->name, value, len, d->size - 1);
		len = d->size - 1;
	}
	memcpy(d->dst, value + 1, len);
	((char *)d->dst)[len] = '\0';
	return 0;
}

int bk__kcfg_set_text(const struct bk__kcfg_dst *d, const char *value, struct bk_diag *diag)
{
	unsigned long long v;
	char *end;

	switch (value[0]) {
	case 'y':
	case 'n':
	case 'm':
		return set_tri(d, value[0], diag);
	case '"':
		return set_str(d, value, diag);
	default:
		break;
	}
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno || *end)
		return bk__diag(diag, errno ? -errno : -EINVAL,
				"extern (kcfg) '%s': value '%s' isn't a valid integer", d->name,
				value);
	if (d->kind != BK__KCFG_INT && d->kind != BK__KCFG_CHAR)
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': value '%s' implies integer type",
				d->name, value);
	return set_num(d, v, diag);
}

static uint32_t kernel_version_of(unsigned a, unsigned b, unsigned c)
{
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

uint32_t bk__kernel_version(void)
{
	unsigned a, b, c;
	struct utsname u;
	const char *deb;
	FILE *f = fopen("/proc/version_signature", "re");

	if (f) { /* Ubuntu: "Ubuntu 5.4.0-12.15-generic 5.4.8" */
		int n = fscanf(f, "%*s %*s %u.%u.%u\n", &a, &b, &c);

		fclose(f);
		if (n == 3)
			return kernel_version_of(a, b, c);
	}
	if (uname(&u))
		return 0;
	deb = strstr(u.version, "Debian ");
	if (deb && sscanf(deb, "Debian %u.%u.%u", &a, &b, &c) == 3)
		return kernel_version_of(a, b, c);
	if (sscanf(u.release, "%u.%u.%u", &a, &b, &c) != 3)
		return 0;
	return kernel_version_of(a, b, c);
}

void bk__boot_config_path(char *buf, size_t size)
{
	struct utsname u;

	if (uname(&u))
		u.release[0] = '\0';
	snprintf(buf, size, "/boot/config-%s", u.release);
}

/* The prefix of syscall entry points on this architecture (libbpf's table). */
static const char *syscall_prefix(void)
{
#if defined(__x86_64__)
	return "x64";
#elif defined(__i386__)
	return "ia32";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__s390__)
	return "s390";
#elif defined(__riscv)
	return "riscv";
#elif defined(__powerpc64__)
	return "powerpc64";
#elif defined(__powerpc__)
	return "powerpc";
#elif defined(__loongarch__)
	return "loongarch";
#elif defined(__mips__)
	return "mips";
#else
	return NULL;
#endif
}

/*
 * libbpf's answer: can a kprobe be opened on the wrapped bpf() entry point
 * ("__x64_sys_bpf")? Asked the same way, through the kprobe PMU; a kernel
 * without one (like this machine's) says no before anything is created.
 */
static int has_syscall_wrapper(void)
{
	struct perf_event_attr attr;
	char name[64], type[16];
	const char *pfx = syscall_prefix();
	int fd, n;

	if (!pfx)
		return 0;
	fd = open("/sys/bus/event_source/devices/kprobe/type", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = (int)read(fd, type, sizeof(type) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	type[n] = '\0';
	snprintf(name, sizeof(name), "__%s_sys_bpf", pfx);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)atoi(type);
	attr.config1 = (uint64_t)(uintptr_t)name;
	fd = (int)syscall(SYS_perf_event_open, &attr, getpid(), -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int bk__kcfg_fill_virtual(const struct bk__kcfg_dst *d, struct bk_diag *diag)
{
	uint64_t v;

	if (strcmp(d->name, "LINUX_KERNEL_VERSION") == 0) {
		v = bk__kernel_version();
		if (!v)
			return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': failed to get kernel "
					"version", d->name);
	} else if (strcmp(d->name, "LINUX_HAS_BPF_COOKIE") == 0) {
		/* libbpf: may a tracepoint program call bpf_get_attach_cookie? */
		v = bk_probe_helper(BK_PROG_TYPE_TRACEPOINT, FUNC_GET_ATTACH_COOKIE) ==
		    BK_PROBE_PRESENT;
	} else if (strcmp(d->name, "LINUX_HAS_SYSCALL_WRAPPER") == 0) {
		v = (uint64_t)has_syscall_wrapper();
	} else {
		return bk__diag(diag, -ENOENT, "extern (kcfg) '%s': unrecognized virtual extern",
				d->name);
	}
	return set_num(d, v, diag);
}

int bk__kcfg_kind_of(const struct bk_btf *btf, uint32_t type_id, enum bk__kcfg_kind *kind,
		     uint32_t *size, bool *is_signed)
{
	struct bk_btf_type t;
	struct bk_btf_int ti;
	struct bk_btf_array ta;
	int id = bk_btf_resolve(btf, type_id);
	enum bk__kcfg_kind ek = BK__KCFG_INT;
	uint32_t esz = 0;
	bool es = false;

	if (id <= 0 || bk_btf_type_by_id(btf, (uint32_t)id, &t))
		return bk__err(-EINVAL);
	switch (t.kind) {
	case BK_BTF_KIND_INT:
		if (bk_btf_int_info(btf, (uint32_t)id, &ti))
			return bk__err(-EINVAL);
		if (ti.encoding & BK_BTF_INT_BOOL) {
			if (t.size_or_type != 1)
				return bk__err(-EINVAL);
			*kind = BK__KCFG_BOOL;
			*is_signed = false;
		} else if (t.size_or_type == 1) {
			*kind = BK__KCFG_CHAR;
			*is_signed = ti.encoding & BK_BTF_INT_SIGNED;
		} else if (t.size_or_type == 2 || t.size_or_type == 4 || t.size_or_type == 8) {
			*kind = BK__KCFG_INT;
			*is_signed = ti.encoding & BK_BTF_INT_SIGNED;
		} else {
			return bk__err(-EINVAL);
		}
		*size = t.size_or_type;
		return 0;
	case BK_BTF_KIND_ENUM:
	case BK_BTF_KIND_ENUM64:
		if (strcmp(t.name, "libbpf_tristate") != 0 ||
		    (t.kind == BK_BTF_KIND_ENUM && t.size_or_type != 4))
			return bk__err(-EINVAL);
		*kind = BK__KCFG_TRISTATE;
		*size = t.size_or_type;
		*is_signed = false;
		return 0;
	case BK_BTF_KIND_ARRAY:
		if (bk_btf_array_info(btf, (uint32_t)id, &ta) || !ta.nelems ||
		    bk__kcfg_kind_of(btf, ta.type, &ek, &esz, &es) || ek != BK__KCFG_CHAR)
			return bk__err(-EINVAL);
		*kind = BK__KCFG_CHAR_ARR;
		*size = ta.nelems;
		*is_signed = false;
		return 0;
	default:
		return bk__err(-EINVAL);
	}
}
