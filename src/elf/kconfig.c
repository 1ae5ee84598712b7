// SPDX-License-Identifier: MIT
/*
 * Kernel config for .kconfig externs, read and applied as libbpf does
 * (libbpf.c's kconfig reading and set_kcfg_value_* rules), with our gunzip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/common_int.h"
#include "inflate.h"
#include "kconfig.h"
#include "kconfig_int.h"

#define MAX_CONFIG ((size_t)64 << 20)
#define MAX_PATHS 4

struct kc_ent {
	const char *name, *value;
	uint32_t line;
};

struct kc_src {
	char *text; /* owned; lines split in place */
	struct kc_ent *ents;
	size_t n;
	char origin[64]; /* "kconfig override" or the file, for diagnostics */
};

struct bk__kconfig {
	struct kc_src over, sys;
	bool has_over, sys_tried;
	struct bk_diag sys_diag; /* why the system config could not be read */
	char paths[MAX_PATHS][128];
	size_t npaths;
};

/* A diag naming a line of a config source. */
static int line_diag(struct bk_diag *d, int err, const struct kc_src *src, uint32_t line,
		     const char *what)
{
	if (d) {
		snprintf(d->file, sizeof(d->file), "%s", src->origin);
		d->line = line;
		d->col = 1;
	}
	return bk__diag(d, err, "%s", what);
}

/* Split text into lines and index its "CONFIG_X=value" ones. */
static int parse_lines(struct kc_src *src, size_t len, struct bk_diag *diag)
{
	size_t cap = 0;
	uint32_t line = 0;

	for (char *p = src->text, *end = src->text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;

		if (nl)
			*nl = '\0';
		line++;
		if (strncmp(p, "CONFIG_", 7) == 0) {
			eq = strchr(p, '=');
			if (!eq)
				return line_diag(diag, -EINVAL, src, line, "no '=' separator");
			if (!eq[1])
				return line_diag(diag, -EINVAL, src, line, "no value after '='");
			*eq = '\0';
			if (src->n == cap) {
				struct kc_ent *e;

				cap = cap ? 2 * cap : 256;
				e = realloc(src->ents, cap * sizeof(*e));
				if (!e)
					return bk__diag(diag, -ENOMEM, "out of memory");
				src->ents = e;
			}
			src->ents[src->n++] = (struct kc_ent){ p, eq + 1, line };
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int read_all(const char *path, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	char *b = NULL;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got;

		if (!b || n == cap) {
			char *nb;

			if (b)
				cap *= 2;
			if (cap > MAX_CONFIG) {
				err = -EFBIG;
				break;
			}
			nb = realloc(b, cap + 1);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? -errno : 0;
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Text of a config file, gunzipped when it is gzip (as gzopen reads both). */
static int load_file(struct kc_src *src, const char *path, struct bk_diag *diag)
{
	size_t len = 0;
	char *raw = NULL;
	int err = read_all(path, &raw, &len);

	if (err)
		return err;
	snprintf(src->origin, sizeof(src->origin), "%s", path);
	if (len >= 2 && (uint8_t)raw[0] == 0x1f && (uint8_t)raw[1] == 0x8b) {
		void *text;

		err = bk__gunzip(raw, len, &text, &len, MAX_CONFIG);
		free(raw);
		if (err)
			return bk__diag(diag, err, "%s: %s", path,
					err == -EINVAL ? "corrupt gzip data" : strerror(-err));
		raw = text;
	}
	src->text = raw;
	return parse_lines(src, len, diag);
}

/* The first of the paths that opens; the others are not read. */
static int load_system(struct bk__kconfig *kc, struct bk_diag *diag)
{
	int err = -ENOENT;

	kc->sys_tried = true;
	for (size_t i = 0; i < kc->npaths && err == -ENOENT; i++) {
		err = load_file(&kc->sys, kc->paths[i], diag);
		if (err == -ENOENT || err == -EACCES || err == -EPERM) {
			err = -ENOENT; /* libbpf tries the next when gzopen fails */
			continue;
		}
	}
	if (err == -ENOENT)
		return bk__diag(diag, -ENOENT, "no kernel config: %s%s%s cannot be read",
				kc->npaths ? kc->paths[0] : "", kc->npaths > 1 ? " and " : "",
				kc->npaths > 1 ? kc->paths[1] : "");
	return err;
}

int bk__kconfig_load_from(const char *override_text, const char *const *paths, size_t npaths,
			  struct bk__kconfig **out, struct bk_diag *diag)
{
	struct bk__kconfig *kc = calloc(1, sizeof(*kc));
	int err = 0;

	*out = NULL;
	if (!kc)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < npaths && i < MAX_PATHS; i++, kc->npaths++)
		snprintf(kc->paths[i], sizeof(kc->paths[i]), "%s", paths[i]);
	if (override_text) {
		kc->has_over = true;
		snprintf(kc->over.origin, sizeof(kc->over.origin), "kconfig override");
		kc->over.text = strdup(override_text);
		err = kc->over.text ? parse_lines(&kc->over, strlen(override_text), diag)
				    : bk__diag(diag, -ENOMEM, "out of memory");
	} else {
		err = load_system(kc, diag);
	}
	if (err) {
		bk__kconfig_free(kc);
		return bk__err(err);
	}
	*out = kc;
	return 0;
}

int bk__kconfig_load(const char *override_text, struct bk__kconfig **out, struct bk_diag *diag)
{
	char boot[128];
	const char *paths[2] = { boot, "/proc/config.gz" };

	bk__boot_config_path(boot, sizeof(boot));
	return bk__kconfig_load_from(override_text, paths, 2, out, diag);
}

static void src_free(struct kc_src *src)
{
	free(src->text);
	free(src->ents);
}

void bk__kconfig_free(struct bk__kconfig *kc)
{
	if (!kc)
		return;
	src_free(&kc->over);
	src_free(&kc->sys);
	free(kc);
}

static const struct kc_ent *find(const struct kc_src *src, const char *name)
{
	for (size_t i = 0; i < src->n; i++)
		if (strcmp(src->ents[i].name, name) == 0)
			return &src->ents[i]; /* the first line wins, as in libbpf */
	return NULL;
}

/* The line for name: the override first, then the system config, read now if
 * it was not yet (kc is only ever heap memory we own, so caching is ours). */
static int lookup(const struct bk__kconfig *ckc, const char *name, const struct kc_ent **ent,
		  struct bk_diag *diag)
{
	struct bk__kconfig *kc = (struct bk__kconfig *)ckc;

	*ent = kc->has_over ? find(&kc->over, name) : NULL;
	if (*ent)
		return 0;
	if (!kc->sys_tried) {
		int err = load_system(kc, &kc->sys_diag);

		if (err)
			kc->sys_diag.err = err;
	}
	if (kc->sys_diag.err) {
		if (diag)
			*diag = kc->sys_diag;
		return bk__diag(diag, -EINVAL, "%s: %s", name, kc->sys_diag.msg);
	}
	*ent = find(&kc->sys, name);
	return *ent ? 0 : bk__diag(diag, -ENOENT, "%s is not set in the kernel config", name);
}

int bk__kconfig_fill(const struct bk__kconfig *kc, const char *name, enum bk__kcfg_kind kind,
		     uint32_t size, bool is_signed, void *dst, struct bk_diag *diag)
{
	const struct kc_ent *ent;
	struct bk__kcfg_dst d = { name, kind, size, is_signed, dst };
	int err;

	if (strncmp(name, "LINUX_", 6) == 0)
		return bk__kcfg_fill_virtual(&d, diag);
	if (strncmp(name, "CONFIG_", 7) != 0)
		return bk__diag(diag, -EINVAL, "extern (kcfg) '%s': unrecognized virtual extern",
				name);
	if (!kc)
		return bk__diag(diag, -EINVAL, "%s: no kernel config loaded", name);
	err = lookup(kc, name, &ent, diag);
	if (err || !ent)
		return err ? err : bk__err(-ENOENT);
	return bk__kcfg_set_text(&d, ent->value, diag);
}
