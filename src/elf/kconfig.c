// SPDX-License-Identifier: MIT
/*
 * Kernel configuration values for .kconfig externs, with libbpf's rules:
 * 'y'/'n'/'m' fill tristates, bools (not 'm') and chars; quoted strings fill
 * char arrays (cut to fit, NUL-terminated); numbers fill integers of the
 * extern's size when they fit. LINUX_KERNEL_VERSION comes from uname, and
 * LINUX_HAS_SYSCALL_WRAPPER / LINUX_HAS_BPF_COOKIE from the kernel itself.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../common/common_int.h"
#include "inflate.h"
#include "kconfig.h"

#define MAX_CONFIG (64u << 20)

struct bk__kconfig {
	char *text; /* NUL-terminated, lines "CONFIG_X=value" */
};

static int slurp(const char *path, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0 || !buf) {
		int err = fd < 0 ? -errno : -ENOMEM;

		free(buf);
		if (fd >= 0)
			close(fd);
		return err;
	}
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (n + 1 == cap) {
			char *g = cap < MAX_CONFIG ? realloc(buf, cap * 2) : NULL;

			if (!g) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			buf = g;
			cap *= 2;
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int from_gzip(const char *path, char **text)
{
	char *gz;
	void *plain;
	size_t len, plain_len;
	int err = slurp(path, &gz, &len);

	if (err)
		return err;
	err = bk__gunzip(gz, len, &plain, &plain_len, MAX_CONFIG);
	free(gz);
	if (err)
		return err;
	*text = realloc(plain, plain_len + 1);
	if (!*text) {
		free(plain);
		return -ENOMEM;
	}
	(*text)[plain_len] = '\0';
	return 0;
}

int bk__kconfig_load(const char *override_text, struct bk__kconfig **out, struct bk_diag *diag)
{
	struct bk__kconfig *kc = calloc(1, sizeof(*kc));
	struct utsname u;
	char path[128];
	size_t len;
	int err;

	if (!kc)
		return bk__diag(diag, -ENOMEM, "out of memory");
	if (override_text) {
		kc->text = strdup(override_text);
		err = kc->text ? 0 : -ENOMEM;
	} else {
		uname(&u);
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		err = slurp(path, &kc->text, &len);
		if (err)
			err = from_gzip("/proc/config.gz", &kc->text);
	}
	if (err) {
		free(kc);
		return bk__diag(diag, err, "no kernel config: neither /boot/config-%s nor a readable /proc/config.gz (%s)",
				override_text ? "" : u.release, strerror(-err));
	}
	*out = kc;
	return 0;
}

void bk__kconfig_free(struct bk__kconfig *kc)
{
	if (kc)
		free(kc->text);
	free(kc);
}

/* The value text of CONFIG name ("y", "\"str\"", "123"), length in *len, or NULL. */
static const char *lookup(const struct bk__kconfig *kc, const char *name, size_t *len)
{
	size_t n = strlen(name);

	for (const char *l = kc ? kc->text : NULL; l && *l;) {
		const char *eol = strchr(l, '\n');

		if (!strncmp(l, name, n) && l[n] == '=') {
			*len = (eol ? (size_t)(eol - l) : strlen(l)) - n - 1;
			return l + n + 1;
		}
		l = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static int put_int(uint64_t v, uint32_t size, bool sgn, void *dst, const char *name,
		   struct bk_diag *d)
{
	unsigned bitsz = size * 8;
	bool fits = size >= 8 || (sgn ? v + (1ULL << (bitsz - 1)) < (1ULL << bitsz) : !(v >> bitsz));

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return bk__diag(d, -EINVAL, "extern '%s': %u-byte integer", name, size);
	if (!fits)
		return bk__diag(d, -ERANGE, "extern '%s': value %llu does not fit %u bytes", name,
				(unsigned long long)v, size);
	memcpy(dst, &v, size); /* little endian: the low bytes */
	return 0;
}

static int fill_text(const char *v, size_t len, const char *name, enum bk__kcfg_kind kind,
		     uint32_t size, bool sgn, void *dst, struct bk_diag *d)
{
	char num[32];
	char *end;
	uint64_t x;

	if (len == 1 && (*v == 'y' || *v == 'n' || *v == 'm')) {
		if (kind == BK__KCFG_TRISTATE) /* libbpf_tristate: NO 0, YES 1, MODULE 2 */
			return put_int(*v == 'y' ? 1 : *v == 'm' ? 2 : 0, size, false, dst, name, d);
		if (kind == BK__KCFG_BOOL && *v != 'm')
			return put_int(*v == 'y', size, false, dst, name, d);
		if (kind == BK__KCFG_INT && size == 1) /* char */
			return put_int((uint8_t)*v, 1, false, dst, name, d);
		return bk__diag(d, -EINVAL, "extern '%s': value '%c' needs a tristate, bool or char", name, *v);
	}
	if (*v == '"') {
		if (kind != BK__KCFG_CHAR_ARR || len < 2 || v[len - 1] != '"')
			return bk__diag(d, -EINVAL, "extern '%s': string value needs a char array", name);
		len -= 2;
		if (len >= size)
			len = size - 1;
		memcpy(dst, v + 1, len);
		((char *)dst)[len] = '\0';
		return 0;
	}
	if (len >= sizeof(num) || kind == BK__KCFG_CHAR_ARR || kind == BK__KCFG_TRISTATE)
		return bk__diag(d, -EINVAL, "extern '%s': value '%.*s' needs an integer", name,
				(int)(len < 32 ? len : 32), v);
	memcpy(num, v, len);
	num[len] = '\0';
	errno = 0;
	x = strtoull(num, &end, 0);
	if (errno || *end || !len)
		return bk__diag(d, -EINVAL, "extern '%s': '%s' is not an integer", name, num);
	if (kind == BK__KCFG_BOOL && x > 1)
		return bk__diag(d, -EINVAL, "extern '%s': %llu is not a bool", name,
				(unsigned long long)x);
	return put_int(x, size, sgn, dst, name, d);
}

static uint64_t kernel_version(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	uname(&u);
	if (sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return ((uint64_t)a << 16) + ((uint64_t)b << 8) + (c > 255 ? 255 : c);
}

int bk__kconfig_fill(const struct bk__kconfig *kc, const char *name, enum bk__kcfg_kind kind,
		     uint32_t size, bool is_signed, void *dst, struct bk_diag *diag)
{
	const char *v;
	size_t len;

	if (!strcmp(name, "LINUX_KERNEL_VERSION"))
		return put_int(kernel_version(), size, is_signed, dst, name, diag);
	if (!strcmp(name, "LINUX_HAS_SYSCALL_WRAPPER") || !strcmp(name, "LINUX_HAS_BPF_COOKIE"))
		return put_int(1, size, false, dst, name, diag); /* x86-64/arm64 wrappers; cookie: 5.15+ */
	if (strncmp(name, "CONFIG_", 7))
		return bk__diag(diag, -EINVAL, "extern '%s': .kconfig externs are CONFIG_* or LINUX_*", name);
	v = lookup(kc, name, &len);
	if (!v)
		return -ENOENT;
	return fill_text(v, len, name, kind, size, is_signed, dst, diag);
}

int bk__kcfg_kind_of(const struct bk_btf *btf, uint32_t type_id, enum bk__kcfg_kind *kind,
		     uint32_t *size, bool *is_signed)
{
	struct bk_btf_type t;
	struct bk_btf_array a;
	struct bk_btf_int in;
	int r = bk_btf_resolve(btf, type_id);

	*is_signed = false;
	if (r <= 0 || bk_btf_type_by_id(btf, (uint32_t)r, &t))
		return -EINVAL;
	*size = t.size_or_type;
	if (t.kind == BK_BTF_KIND_ENUM && !strcmp(t.name, "libbpf_tristate")) {
		*kind = BK__KCFG_TRISTATE;
		return 0;
	}
	if (t.kind == BK_BTF_KIND_ENUM || t.kind == BK_BTF_KIND_ENUM64) {
		*kind = BK__KCFG_INT;
		*is_signed = t.kind_flag;
		return 0;
	}
	if (t.kind == BK_BTF_KIND_INT && !bk_btf_int_info(btf, t.id, &in)) {
		*kind = (in.encoding & BK_BTF_INT_BOOL) ? BK__KCFG_BOOL : BK__KCFG_INT;
		*is_signed = in.encoding & BK_BTF_INT_SIGNED;
		return 0;
	}
	if (t.kind == BK_BTF_KIND_ARRAY && !bk_btf_array_info(btf, t.id, &a)) {
		r = bk_btf_resolve(btf, a.type);
		if (r > 0 && !bk_btf_type_by_id(btf, (uint32_t)r, &t) && t.kind == BK_BTF_KIND_INT &&
		    t.size_or_type == 1) {
			*kind = BK__KCFG_CHAR_ARR;
			*size = a.nelems;
			return 0;
		}
	}
	return -EINVAL;
}
