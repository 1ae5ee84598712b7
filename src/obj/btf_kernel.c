// SPDX-License-Identifier: MIT
/*
 * The running kernel's BTF: BTF objects by id or fd (module BTF parsed on
 * vmlinux's), and lookups by name across vmlinux and every module, which
 * return the type id together with the BTF object's fd a program load or a
 * link needs (attach_btf_obj_fd; 0 for vmlinux).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/btf.h>
#include <bpfkit/info.h>

#include "../common/common_int.h"
#include "btf_int.h"

#define VMLINUX_PATH "/sys/kernel/btf/vmlinux"

struct bk_btf *bk_btf_load_fd(int fd, const struct bk_btf *base, struct bk_diag *diag)
{
	uint32_t len = 0;
	uint8_t *raw;
	struct bk_btf *btf;
	int err = bk_info_btf_data(fd, NULL, 0, &len);

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (err)
		return bk__err_ptr(bk__diag(diag, err, "cannot read the BTF of fd %d", fd));
	raw = malloc(len ? len : 1);
	if (!raw)
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	err = bk_info_btf_data(fd, raw, len, &len);
	if (err) {
		free(raw);
		return bk__err_ptr(bk__diag(diag, err, "cannot read the BTF of fd %d", fd));
	}
	btf = bk_btf_parse_split(raw, len, base, diag);
	err = errno;
	free(raw);
	errno = err;
	return btf;
}

struct bk_btf *bk_btf_load_id(uint32_t id, const struct bk_btf *base, struct bk_diag *diag)
{
	int fd = bk_info_fd_by_id(BK_OBJ_BTF, id);
	struct bk_btf *btf;
	int err;

	if (fd < 0)
		return bk__err_ptr(bk__diag(diag, fd, "no BTF object with id %u", id));
	btf = bk_btf_load_fd(fd, base, diag);
	err = errno;
	close(fd);
	errno = err;
	return btf;
}

/* ---- vmlinux and modules ------------------------------------------------ */

struct kmod {
	char name[64];
	uint32_t obj_id;
	int fd;
	struct bk_btf *btf;
};

struct bk_btf_kernel {
	struct bk_btf *vmlinux;
	uint32_t vmlinux_id;
	struct kmod *mods;
	size_t nmods;
	bool scanned;
};

/* The id of vmlinux's BTF object (the first kernel one, in practice id 1),
 * 0 when it cannot be seen (no CAP_SYS_ADMIN: lookups still work). */
static uint32_t vmlinux_obj_id(void)
{
	struct bk_info_btf info;
	uint32_t id = 0;

	while (bk_info_next_id(BK_OBJ_BTF, id, &id) == 0) {
		int fd = bk_info_fd_by_id(BK_OBJ_BTF, id);
		bool found;

		if (fd < 0)
			continue;
		found = bk_info_btf(fd, &info) == 0 && info.kernel && !strcmp(info.name, "vmlinux");
		close(fd);
		if (found)
			return id;
	}
	return 0;
}

struct bk_btf_kernel *bk_btf_kernel_open(struct bk_diag *diag)
{
	struct bk_btf_kernel *k = calloc(1, sizeof(*k));

	if (!k)
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	k->vmlinux = bk_btf_load_file(VMLINUX_PATH, diag);
	if (!k->vmlinux) {
		int err = errno;

		free(k);
		return bk__err_ptr(err);
	}
	k->vmlinux_id = vmlinux_obj_id();
	return k;
}

void bk_btf_kernel_close(struct bk_btf_kernel *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nmods; i++) {
		bk_btf_free(k->mods[i].btf);
		close(k->mods[i].fd);
	}
	free(k->mods);
	bk_btf_free(k->vmlinux);
	free(k);
}

const struct bk_btf *bk_btf_kernel_vmlinux(const struct bk_btf_kernel *k)
{
	return k ? k->vmlinux : NULL;
}

static int add_module(struct bk_btf_kernel *k, uint32_t id, int fd, const struct bk_info_btf *info)
{
	struct kmod *m = realloc(k->mods, (k->nmods + 1) * sizeof(*m));
	int dup;

	if (!m)
		return -ENOMEM;
	k->mods = m;
	m += k->nmods;
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", info->name);
	m->obj_id = id;
	m->btf = bk_btf_load_fd(fd, k->vmlinux, NULL);
	if (!m->btf)
		return -errno;
	dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dup < 0) {
		int err = -errno;

		bk_btf_free(m->btf);
		return err;
	}
	m->fd = dup;
	k->nmods++;
	return 0;
}

static int visit_btf(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	struct bk_btf_kernel *k = ctx;
	struct bk_info_btf info;
	int err;

	(void)kind;
	if (bk_info_btf(fd, &info) || !info.kernel)
		return 0;
	if (strcmp(info.name, "vmlinux") == 0) {
		k->vmlinux_id = id;
		return 0;
	}
	err = add_module(k, id, fd, &info);
	if (err)
		bk__warn("module BTF %s (id %u) skipped: %s", info.name, id, strerror(-err));
	return 0;
}

/* Load every module's BTF once, the first time a lookup needs them. */
static int scan_modules(struct bk_btf_kernel *k)
{
	int err;

	if (k->scanned)
		return 0;
	err = bk_info_foreach(BK_OBJ_BTF, visit_btf, k);
	if (err < 0)
		return err;
	k->scanned = true;
	return 0;
}

size_t bk_btf_kernel_module_count(struct bk_btf_kernel *k)
{
	if (!k || scan_modules(k))
		return 0;
	return k->nmods;
}

static bool is_kfunc(const struct bk_btf *btf, uint32_t func)
{
	for (uint32_t id = bk_btf_first_id(btf); id <= btf->nr_types; id++) {
		const uint8_t *r = bk__btf_rec(btf, id);

		if (bk__btf_kind(r) == BK_BTF_KIND_DECL_TAG && bk__rd32(r + 8) == func &&
		    (int32_t)bk__rd32(r + 12) == -1 && strcmp(bk__btf_rname(btf, r), "bpf_kfunc") == 0)
			return true;
	}
	return false;
}

/* name of kind in btf's own types (not its base's), kfuncs only when asked. */
static int find_own(const struct bk_btf *btf, const char *name, int kind, bool kfunc)
{
	for (uint32_t id = bk_btf_first_id(btf); id <= btf->nr_types; id++) {
		const uint8_t *r = bk__btf_rec(btf, id);

		if ((kind == BK_BTF_KIND_ANY || (uint32_t)kind == bk__btf_kind(r)) &&
		    strcmp(bk__btf_rname(btf, r), name) == 0 && (!kfunc || is_kfunc(btf, id)))
			return (int)id;
	}
	return -ENOENT;
}

static void fill(struct bk_btf_kernel_type *out, const struct bk_btf *btf, int id, int fd,
		 uint32_t obj_id, const char *module)
{
	const uint8_t *r = bk__btf_rec(btf, (uint32_t)id);

	out->type_id = (uint32_t)id;
	out->kind = (enum bk_btf_kind)bk__btf_kind(r);
	out->proto_id = out->kind == BK_BTF_KIND_FUNC ? bk__rd32(r + 8) : 0;
	out->btf_fd = fd;
	out->btf_obj_id = obj_id;
	out->btf = btf;
	out->module = module;
}

static int kfind(struct bk_btf_kernel *k, const char *name, int kind, bool kfunc,
		 struct bk_btf_kernel_type *out)
{
	int id, err;

	if (!k || !name || !name[0] || !out)
		return bk__err(-EINVAL);
	memset(out, 0, sizeof(*out));
	id = find_own(k->vmlinux, name, kind, kfunc);
	if (id > 0) {
		fill(out, k->vmlinux, id, 0, k->vmlinux_id, NULL);
		return 0;
	}
	err = scan_modules(k);
	if (err)
		return bk__err(err);
	for (size_t i = 0; i < k->nmods; i++) {
		id = find_own(k->mods[i].btf, name, kind, kfunc);
		if (id > 0) {
			fill(out, k->mods[i].btf, id, k->mods[i].fd, k->mods[i].obj_id, k->mods[i].name);
			return 0;
		}
	}
	return bk__err(-ENOENT);
}

int bk_btf_kernel_find(struct bk_btf_kernel *k, const char *name, int kind,
		       struct bk_btf_kernel_type *out)
{
	return kfind(k, name, kind, false, out);
}

int bk_btf_kernel_find_kfunc(struct bk_btf_kernel *k, const char *name,
			     struct bk_btf_kernel_type *out)
{
	return kfind(k, name, BK_BTF_KIND_FUNC, true, out);
}
