// SPDX-License-Identifier: MIT
/*
 * Load-time work on maps and externs: externs resolved (kernel config,
 * kernel BTF, kallsyms), maps created as libbpf creates them (inner map
 * templates, BTF key/value types where the map type takes them, pinning by
 * name with reuse), data maps filled, .rodata/.kconfig frozen and mmap'd,
 * and the initial contents of prog arrays and map-in-maps that .rel.maps
 * gives, once the programs are loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/sys.h>

#include "kconfig.h"
#include "object_int.h"
#include "sec_def.h"


static struct bk_btf_kernel *kernel(struct bk_object *obj)
{
	struct bk_diag d = { 0 };

	if (!obj->kernel) {
		obj->kernel = bk_btf_kernel_open(&d);
		if (!obj->kernel)
			bk__odiag(obj, -errno, "the kernel's BTF: %s", d.msg);
	}
	return obj->kernel;
}

struct bk_btf *bk__obj_vmlinux(struct bk_object *obj)
{
	struct bk_btf_kernel *k = kernel(obj);

	return k ? (struct bk_btf *)bk_btf_kernel_vmlinux(k) : NULL;
}

int bk__obj_kernel_find(struct bk_object *obj, const char *name, int kind,
			struct bk_btf_kernel_type *out)
{
	struct bk_btf_kernel *k = kernel(obj);

	return k ? bk_btf_kernel_find(k, name, kind, out) : -errno;
}

int bk__obj_fd_array_index(struct bk_object *obj, int btf_fd)
{
	int *grown;

	for (uint32_t i = 1; i < obj->fd_array_cnt; i++)
		if (obj->fd_array[i] == btf_fd)
			return (int)i;
	if (obj->fd_array_cnt >= INT16_MAX)
		return bk__odiag(obj, -E2BIG, "kfuncs from more modules than a call can name");
	grown = realloc(obj->fd_array, (obj->fd_array_cnt ? obj->fd_array_cnt + 1 : 2) * sizeof(int));
	if (!grown)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	obj->fd_array = grown;
	if (!obj->fd_array_cnt)
		obj->fd_array[obj->fd_array_cnt++] = 0; /* index 0 is vmlinux */
	obj->fd_array[obj->fd_array_cnt] = btf_fd;
	return (int)obj->fd_array_cnt++;
}

static int kallsyms_addr(const char *name, uint64_t *addr)
{
	char line[512], sym[256], type;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && !strcmp(sym, name)) {
			fclose(f);
			*addr = a;
			return 0;
		}
	fclose(f);
	return -ENOENT;
}

static int resolve_kconfig(struct bk_object *obj, struct bk__ext *e, struct bk__kconfig **kc)
{
	struct bk_object_map *m = bk_object_map_by_name(obj, ".kconfig");
	struct bk_diag d = { 0 };
	enum bk__kcfg_kind kind;
	uint32_t size;
	bool sgn;
	int err;

	if (!*kc) {
		err = bk__kconfig_load(obj->opts.kconfig, kc, &d);
		if (err && strncmp(e->name, "CONFIG_", 7) == 0)
			return bk__odiag(obj, err, "extern '%s': kernel config: %s", e->name, d.msg);
	}
	bk__kcfg_kind_of(obj->btf, e->type_id, &kind, &size, &sgn);
	err = bk__kconfig_fill(*kc, e->name, kind, size, sgn, m->image + e->kcfg_off, &d);
	if (err == -ENOENT && e->weak)
		return 0;
	if (err == -ENOENT)
		return bk__odiag(obj, err, "extern '%s': not in the kernel config (declare it __weak to default to 0)",
				 e->name);
	if (err)
		return bk__odiag(obj, err, "extern '%s': %s", e->name, d.msg);
	e->resolved = true;
	return 0;
}

static int resolve_ksym(struct bk_object *obj, struct bk__ext *e)
{
	struct bk_btf_kernel_type kt = { 0 };
	int err, idx;

	if (e->kind == 1 && !e->type_id) {
		err = kallsyms_addr(e->name, &e->addr);

		if (err && !e->weak)
			return bk__odiag(obj, err, "extern '%s': not in /proc/kallsyms", e->name);
		e->resolved = !err;
		return 0;
	}
	err = bk__obj_kernel_find(obj, e->name, e->kind == 2 ? BK_BTF_KIND_FUNC : BK_BTF_KIND_VAR,
				  &kt);
	if (err == -ENOENT) {
		if (e->weak)
			return 0;
		return bk__odiag(obj, -ESRCH, "extern '%s': no %s of that name in the kernel's BTF (vmlinux or modules)",
				 e->name, e->kind == 2 ? "kfunc" : "variable");
	}
	if (err)
		return err;
	e->kern_btf_id = kt.type_id;
	e->kern_btf_fd = kt.btf_fd;
	if (e->kind == 2 && kt.btf_fd > 0) { /* a module's kfunc: named by its fd_array slot */
		idx = bk__obj_fd_array_index(obj, kt.btf_fd);
		if (idx < 0)
			return idx;
		e->fd_index = (int16_t)idx;
	}
	e->resolved = true;
	return 0;
}

int bk__obj_externs_resolve(struct bk_object *obj)
{
	struct bk__kconfig *kc = NULL;
	int err = 0;

	for (size_t i = 0; i < obj->nexts && !err; i++)
		err = obj->exts[i].kind == 0 ? resolve_kconfig(obj, &obj->exts[i], &kc) :
					       resolve_ksym(obj, &obj->exts[i]);
	bk__kconfig_free(kc);
	return err;
}

/* Map types the kernel creates without BTF key/value types (as libbpf drops them). */
static bool takes_btf(uint32_t type)
{
	static const uint32_t no[] = { BK_MAP_TYPE_PERF_EVENT_ARRAY, BK_MAP_TYPE_CGROUP_ARRAY,
				       BK_MAP_TYPE_STACK_TRACE, BK_MAP_TYPE_ARRAY_OF_MAPS,
				       BK_MAP_TYPE_HASH_OF_MAPS, BK_MAP_TYPE_DEVMAP,
				       BK_MAP_TYPE_DEVMAP_HASH, BK_MAP_TYPE_CPUMAP,
				       BK_MAP_TYPE_XSKMAP, BK_MAP_TYPE_SOCKMAP, BK_MAP_TYPE_SOCKHASH,
				       BK_MAP_TYPE_QUEUE, BK_MAP_TYPE_STACK, BK_MAP_TYPE_ARENA };

	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (no[i] == type)
			return false;
	return true;
}

static struct bk_map *create(struct bk_object *obj, const char *name,
			     const struct bk_object_map_def *def, int inner_fd, uint32_t vmlinux_value)
{
	uint32_t max = def->max_entries;
	bool btf = obj->btf_fd > 0 && takes_btf(def->type) &&
		   (def->btf_key_type_id || def->btf_value_type_id);
	struct bk_map *m;

	if (def->type == BK_MAP_TYPE_PERF_EVENT_ARRAY && !max) {
		long n = sysconf(_SC_NPROCESSORS_CONF);

		max = n > 0 ? (uint32_t)n : 1;
	}
	m = bk_map_create((enum bk_map_type)def->type, name, def->key_size, def->value_size, max,
			  BK_OPTS(bk_map_opts, .map_flags = def->map_flags,
				  .numa_node = def->numa_node, .inner_map_fd = inner_fd,
				  .map_extra = def->map_extra,
				  /* a struct_ops map names its kernel type, but the kernel wants the object's BTF too */
				  .btf_fd = btf || vmlinux_value ? obj->btf_fd : 0,
				  .btf_key_type_id = btf ? def->btf_key_type_id : 0,
				  .btf_value_type_id = btf ? def->btf_value_type_id : 0,
				  .btf_vmlinux_value_type_id = vmlinux_value));
	if (!m && btf) /* as libbpf: try once more without BTF */
		m = create(obj, name, &(struct bk_object_map_def){ .type = def->type,
			.key_size = def->key_size, .value_size = def->value_size,
			.max_entries = def->max_entries, .map_flags = def->map_flags,
			.numa_node = def->numa_node, .map_extra = def->map_extra }, inner_fd,
			vmlinux_value);
	return m;
}

static int create_one(struct bk_object *obj, struct bk_object_map *om)
{
	struct bk_map *inner = NULL;
	char inner_name[16];
	int err;

	if (om->reuse_fd > 0) {
		om->map = bk_map_from_fd(om->reuse_fd);
		return om->map ? 0 : bk__odiag(obj, -errno, "map '%s': cannot reuse fd %d", om->name,
					       om->reuse_fd);
	}
	if (om->pin_path && access(om->pin_path, F_OK) == 0) {
		om->map = bk_map_open_pinned(om->pin_path);
		if (om->map && bk_map_type(om->map) == om->def.type &&
		    bk_map_key_size(om->map) == om->def.key_size &&
		    bk_map_value_size(om->map) == om->def.value_size)
			return 0;
		bk_map_close(om->map);
		om->map = NULL;
		return bk__odiag(obj, -EINVAL, "map '%s': the map pinned at %s does not match its definition",
				 om->name, om->pin_path);
	}
	if (om->has_inner) {
		snprintf(inner_name, sizeof(inner_name), "%s.inner", om->name);
		for (char *c = inner_name; *c; c++)
			*c = (*c == '-') ? '_' : *c;
		inner = create(obj, inner_name, &om->inner, 0, 0);
		if (!inner)
			return bk__odiag(obj, -errno, "map '%s': inner map template: %s", om->name,
					 strerror(errno));
	}
	om->map = create(obj, om->kname, &om->def, inner ? bk_map_fd(inner) : 0,
			 om->kind == BK__MAP_STRUCT_OPS ? om->kern_value_type : 0);
	err = om->map ? 0 : -errno;
	bk_map_close(inner);
	if (err)
		return bk__odiag(obj, err, "map '%s': create: %s", om->name,
				 bk_strerror(BK_CMD_MAP_CREATE, err));
	if (om->pin_path && bk_map_pin(om->map, om->pin_path))
		return bk__odiag(obj, -errno, "map '%s': pin at %s: %s", om->name, om->pin_path,
				 strerror(errno));
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The section image as the map's value. A new array map is all zeros
 * already, so a zero image (a .bss nobody wrote to) needs no update. The
 * mmap of .data/.bss waits for bk_object_map_data(): a loader that never
 * reads its globals does not pay for mapping and unmapping them. */
static int fill_data(struct bk_object *obj, struct bk_object_map *om)
{
	const uint32_t key = 0;

	if (!all_zero(om->image, om->def.value_size) &&
	    bk_map_update(om->map, &key, sizeof(key), om->image, om->def.value_size, 0))
		return bk__odiag(obj, -errno, "map '%s': initial value: %s", om->name, strerror(errno));
	if ((om->def.map_flags & BK_F_RDONLY_PROG) && bk_map_freeze(om->map))
		return bk__odiag(obj, -errno, "map '%s': freeze: %s", om->name, strerror(errno));
	return 0;
}

int bk__obj_maps_create(struct bk_object *obj)
{
	int err = 0;

	for (size_t i = 0; i < obj->nmaps && !err; i++) {
		struct bk_object_map *om = &obj->maps[i];

		err = create_one(obj, om);
		if (!err && om->kind >= BK__MAP_DATA && om->reuse_fd <= 0)
			err = fill_data(obj, om);
	}
	return err;
}
