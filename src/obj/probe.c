// SPDX-License-Identifier: MIT
/*
 * Feature probes (see probe.h for the method). Answers are cached in atomic
 * bytes: 0 = not probed yet, else 1 + enum bk_probe_answer.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/probe.h>

#include "../common/common_int.h"
#include "probe_int.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* ---- the kernel's BTF, parsed once ---------------------------------------- */

static _Atomic(struct bk_btf *) kernel_btf;

const struct bk_btf *bk_probe_kernel_btf(void)
{
	struct bk_btf *b = atomic_load_explicit(&kernel_btf, memory_order_acquire);
	struct bk_btf *expected = NULL;

	if (b)
		return b;
	b = bk_btf_load_file(VMLINUX_BTF, NULL);
	if (!b)
		return NULL; /* errno from the loader; retried next time */
	/* Publish ours unless another thread won the race; then use theirs. */
	if (!atomic_compare_exchange_strong_explicit(&kernel_btf, &expected, b,
						     memory_order_acq_rel, memory_order_acquire)) {
		bk_btf_free(b);
		return expected;
	}
	return b;
}

static const struct {
	const char *enum_name;
	const char *max_name;
} enum_max[] = {
	{ "bpf_prog_type", "__MAX_BPF_PROG_TYPE" },
	{ "bpf_map_type", "__MAX_BPF_MAP_TYPE" },
	{ "bpf_attach_type", "__MAX_BPF_ATTACH_TYPE" },
	{ "bpf_link_type", "__MAX_BPF_LINK_TYPE" },
	{ "bpf_func_id", "__BPF_FUNC_MAX_ID" },
};

int bk_probe_kernel_enum_count(const char *enum_name)
{
	const struct bk_btf *btf = bk_probe_kernel_btf();
	int64_t v;

	if (!btf)
		return bk__err(-errno);
	for (size_t i = 0; enum_name && i < sizeof(enum_max) / sizeof(enum_max[0]); i++) {
		if (strcmp(enum_name, enum_max[i].enum_name) != 0)
			continue;
		if (bk_btf_enum_value(btf, enum_name, enum_max[i].max_name, &v) || v < 0 ||
		    v > INT32_MAX)
			return bk__err(-ENOENT);
		return (int)v;
	}
	return bk__err(-ENOENT);
}

const char *bk_probe_kernel_enum_name(const char *enum_name, int64_t value)
{
	const struct bk_btf *btf = bk_probe_kernel_btf();
	struct bk_btf_enumerator e;
	const char *found = NULL;
	int id;

	if (!btf || !enum_name)
		return bk__err_ptr(btf ? -EINVAL : -errno);
	id = bk_btf_find(btf, enum_name, BK_BTF_KIND_ENUM);

	/* Some values have two names (CGROUP_STORAGE_DEPRECATED and its alias
	 * CGROUP_STORAGE): prefer the one that is not marked deprecated. */
	for (uint32_t i = 0; id > 0 && bk_btf_enumerator(btf, (uint32_t)id, i, &e) == 0; i++) {
		if (e.value != value || !strncmp(e.name, "__", 2))
			continue;
		if (!found || strstr(found, "_DEPRECATED"))
			found = e.name;
	}
	return found ? found : bk__err_ptr(-ENOENT);
}

/* Is value a real (non-sentinel) enumerator of the kernel's enum? */
static int kernel_names(const char *enum_name, uint32_t value)
{
	if (!bk_probe_kernel_btf())
		return bk__err(-errno);
	return bk_probe_kernel_enum_name(enum_name, value) != NULL;
}

/* ---- the cache ------------------------------------------------------------ */

#define CACHE_PROG 64
#define CACHE_MAP 64
#define CACHE_ATTACH 128
#define CACHE_HELPER 512

static _Atomic uint8_t cache_prog[CACHE_PROG];
static _Atomic uint8_t cache_map[CACHE_MAP];
static _Atomic uint8_t cache_attach[CACHE_ATTACH];
static _Atomic uint8_t cache_helper[CACHE_PROG][CACHE_HELPER];

typedef int (*probe_fn)(uint32_t a, uint32_t b);

/* Look the answer up, or compute and remember it; errors are not kept. */
static int cached(_Atomic uint8_t *slot, probe_fn fn, uint32_t a, uint32_t b)
{
	uint8_t v = slot ? atomic_load_explicit(slot, memory_order_relaxed) : 0;
	int r;

	if (v)
		return v - 1;
	r = fn(a, b);
	if (r >= 0 && slot)
		atomic_store_explicit(slot, (uint8_t)(r + 1), memory_order_relaxed);
	return r;
}

/* ---- program types -------------------------------------------------------- */

/*
 * Load `r0 = 0; exit` as set up. EINVAL before the verifier ran any
 * instruction means the kernel refused the type (or the type/attach pair)
 * itself: absent. EINVAL after it ran some means the type was accepted and
 * only our tiny program was not (e.g. recvmsg hooks must return 1): present.
 */
static int judge_plain_load(const struct bk__probe_prog *setup)
{
	int stop = -1, r = bk__probe_load(setup, false, 0, &stop);

	if (r == 0 || (r == -EINVAL && stop >= 0))
		return BK_PROBE_PRESENT;
	return r == -EINVAL ? BK_PROBE_ABSENT : bk__err(r);
}

static int probe_prog(uint32_t type, uint32_t unused)
{
	struct bk__probe_prog setup;
	int r;

	(void)unused;
	r = kernel_names("bpf_prog_type", type);
	if (r <= 0)
		return r;
	r = bk__probe_prog_setup(type, &setup);
	if (r <= 0)
		return r == 0 ? BK_PROBE_LISTED : r;
	return judge_plain_load(&setup);
}

int bk_probe_prog_type(uint32_t prog_type)
{
	return cached(prog_type < CACHE_PROG ? &cache_prog[prog_type] : NULL, probe_prog,
		      prog_type, 0);
}

/* ---- helpers -------------------------------------------------------------- */

static int probe_helper(uint32_t type, uint32_t helper)
{
	struct bk__probe_prog setup;
	int r, max, stop = -1;

	r = bk_probe_prog_type(type);
	if (r != BK_PROBE_PRESENT)
		return r == BK_PROBE_LISTED ? BK_PROBE_LISTED : r;
	max = bk_probe_kernel_enum_count("bpf_func_id");
	if (max < 0)
		return max;
	if (helper == 0 || helper >= (uint32_t)max)
		return BK_PROBE_ABSENT; /* the kernel has no such helper at all */
	r = bk__probe_prog_setup(type, &setup);
	if (r <= 0)
		return r == 0 ? BK_PROBE_LISTED : r;
	r = bk__probe_load(&setup, true, helper, &stop);
	if (r == 0 || r == -EACCES)
		return BK_PROBE_PRESENT; /* prototype found: loaded, or its arguments refused */
	if (r == -EINVAL && stop == 0)
		return BK_PROBE_ABSENT; /* refused at the call itself */
	if (r == -EINVAL && stop > 0)
		return BK_PROBE_PRESENT; /* the call passed; something after it failed */
	return bk__err(r);
}

int bk_probe_helper(uint32_t prog_type, uint32_t helper_id)
{
	_Atomic uint8_t *slot = NULL;

	if (prog_type < CACHE_PROG && helper_id < CACHE_HELPER)
		slot = &cache_helper[prog_type][helper_id];
	return cached(slot, probe_helper, prog_type, helper_id);
}

/* ---- map types ------------------------------------------------------------ */

static int probe_map(uint32_t type, uint32_t unused)
{
	int r;

	(void)unused;
	r = kernel_names("bpf_map_type", type);
	if (r <= 0)
		return r;
	r = bk__probe_map_create(type);
	if (r == -ENOENT)
		return BK_PROBE_LISTED; /* no recipe for this type */
	if (r == 0)
		return BK_PROBE_PRESENT;
	return r == -EINVAL || r == -524 /* ENOTSUPP */ ? BK_PROBE_ABSENT : bk__err(r);
}

int bk_probe_map_type(uint32_t map_type)
{
	return cached(map_type < CACHE_MAP ? &cache_map[map_type] : NULL, probe_map, map_type, 0);
}

/* ---- attach types --------------------------------------------------------- */

static int probe_attach(uint32_t attach, uint32_t unused)
{
	struct bk__probe_prog setup;
	int r;
	bool checked;

	(void)unused;
	r = kernel_names("bpf_attach_type", attach);
	if (r <= 0)
		return r;
	r = bk__probe_attach_setup(attach, &setup, &checked);
	if (r <= 0)
		return r == 0 ? BK_PROBE_LISTED : r;
	r = bk_probe_prog_type(setup.prog_type);
	if (r != BK_PROBE_PRESENT)
		return r;
	if (!checked)
		return BK_PROBE_PRESENT; /* named by the kernel, its program type loads */
	return judge_plain_load(&setup);
}

int bk_probe_attach_type(uint32_t attach_type)
{
	return cached(attach_type < CACHE_ATTACH ? &cache_attach[attach_type] : NULL,
		      probe_attach, attach_type, 0);
}
