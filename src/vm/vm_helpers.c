// SPDX-License-Identifier: MIT
/*
 * The VM object, its helper registry (sorted by id, so the loader and callx
 * find a helper by binary search) and the built-in helpers. Built-ins read
 * and write guest memory only through bk_vm_env_mem(), like any embedder's
 * helper must.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vm_int.h"

/* ---- registry ---------------------------------------------------------- */

const struct vm_helper *bk__vm_helper_find(const struct bk_vm *vm, int64_t id)
{
	size_t lo = 0, hi = vm->nhelpers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vm->helpers[mid].id == id)
			return &vm->helpers[mid];
		if (vm->helpers[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int bk_vm_helper_register(struct bk_vm *vm, int32_t id, const char *name, bk_vm_helper_fn fn,
			  void *user)
{
	struct vm_helper *h, *grown;
	size_t at = 0;
	int other;

	if (!vm || id < 0 || id > 65535 || !fn || !name || !*name ||
	    strlen(name) >= sizeof(h->name))
		return bk__err(-EINVAL);
	other = bk_vm_helper_by_name(vm, name);
	if (other >= 0 && other != id)
		return bk__err(-EEXIST);
	h = (struct vm_helper *)bk__vm_helper_find(vm, id);
	if (!h) {
		grown = realloc(vm->helpers, (vm->nhelpers + 1) * sizeof(*grown));
		if (!grown)
			return bk__err(-ENOMEM);
		vm->helpers = grown;
		while (at < vm->nhelpers && vm->helpers[at].id < id)
			at++;
		memmove(&vm->helpers[at + 1], &vm->helpers[at],
			(vm->nhelpers - at) * sizeof(*grown));
		vm->nhelpers++;
		h = &vm->helpers[at];
	}
	h->id = id;
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->fn = fn;
	h->user = user;
	return 0;
}

int bk_vm_helper_by_name(const struct bk_vm *vm, const char *name)
{
	if (vm && name && !strncmp(name, "bpf_", 4))
		name += 4;
	for (size_t i = 0; vm && name && i < vm->nhelpers; i++)
		if (!strcmp(vm->helpers[i].name, name))
			return vm->helpers[i].id;
	return bk__err(-ENOENT);
}

/* ---- built-ins ------------------------------------------------------------ */

static struct bk_vm_map *map_arg(struct bk_vm_env *env, uint64_t handle)
{
	struct bk_vm_map *m = bk__vm_map_check(env->vm, handle);

	if (!m)
		bk_vm_env_fail(env, -EINVAL, "r1 = 0x%llx is not a map",
			       (unsigned long long)handle);
	return m;
}

static uint64_t h_lookup(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct bk_vm_map *m = map_arg(env, a[0]);
	const void *key = m ? bk_vm_env_mem(env, a[1], m->key_size, false) : NULL;

	(void)user;
	if (!key || (m->type != BK_VM_MAP_ARRAY && m->type != BK_VM_MAP_HASH))
		return 0;
	return (uint64_t)(uintptr_t)bk_vm_map_lookup(m, key);
}

static uint64_t h_update(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct bk_vm_map *m = map_arg(env, a[0]);
	const void *key = m ? bk_vm_env_mem(env, a[1], m->key_size, false) : NULL;
	const void *val = key ? bk_vm_env_mem(env, a[2], m->value_size, false) : NULL;

	(void)user;
	if (!val)
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)bk_vm_map_update(m, key, val, a[3]);
}

static uint64_t h_delete(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct bk_vm_map *m = map_arg(env, a[0]);
	const void *key = m ? bk_vm_env_mem(env, a[1], m->key_size, false) : NULL;

	(void)user;
	if (!key)
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)bk_vm_map_delete(m, key);
}

static uint64_t h_ktime(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct timespec ts;

	(void)env, (void)a, (void)user;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t h_prandom(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	uint64_t x = env->vm->rng; /* xorshift64* */

	(void)a, (void)user;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	env->vm->rng = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

/* A string argument of %s: bytes up to NUL, each checked, at most max. */
static void guest_str(struct bk_vm_env *env, uint64_t addr, char *out, size_t max)
{
	size_t i = 0;

	for (; i + 1 < max; i++) {
		const char *c = bk_vm_env_mem(env, addr + i, 1, false);

		if (!c || !*c)
			break;
		out[i] = *c;
	}
	out[i] = '\0';
}

/* One conversion of trace_printk's format: the kernel's subset. */
static size_t convert(struct bk_vm_env *env, const char *spec, size_t slen, uint64_t arg,
		      char *out, size_t room)
{
	char conv = spec[slen - 1], str[128];
	unsigned longs = 0;

	for (size_t i = 1; i < slen - 1; i++)
		longs += spec[i] == 'l';
	if (conv == 's') {
		guest_str(env, arg, str, sizeof(str));
		return (size_t)snprintf(out, room, "%s", str);
	}
	if (conv == 'c')
		return (size_t)snprintf(out, room, "%c", (char)arg);
	if (conv == 'p')
		return (size_t)snprintf(out, room, "0x%llx", (unsigned long long)arg);
	if (!longs)
		arg = conv == 'd' || conv == 'i' ? (uint64_t)(int64_t)(int32_t)arg
						 : (uint32_t)arg;
	if (conv == 'd' || conv == 'i')
		return (size_t)snprintf(out, room, "%lld", (long long)arg);
	if (conv == 'u')
		return (size_t)snprintf(out, room, "%llu", (unsigned long long)arg);
	return (size_t)snprintf(out, room, conv == 'X' ? "%llX" : "%llx",
				(unsigned long long)arg);
}

static uint64_t h_printk(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	const char *fmt = a[1] ? bk_vm_env_mem(env, a[0], a[1], false) : NULL;
	char out[512];
	size_t o = 0, nargs = 0;

	(void)user;
	if (!fmt)
		return (uint64_t)-EINVAL;
	for (size_t i = 0; i < a[1] && fmt[i] && o + 1 < sizeof(out); i++) {
		size_t j = i + 1;

		if (fmt[i] != '%') {
			out[o++] = fmt[i];
			continue;
		}
		if (j < a[1] && fmt[j] == '%') {
			out[o++] = '%';
			i = j;
			continue;
		}
		while (j < a[1] && fmt[j] && strchr("0123456789-l", fmt[j]))
			j++;
		if (j >= a[1] || !fmt[j] || !strchr("diuxXpcs", fmt[j]) || nargs == 3) {
			bk_vm_env_fail(env, -EINVAL, "bad or too many conversions in the format");
			return (uint64_t)-EINVAL;
		}
		o += convert(env, fmt + i, j - i + 1, a[2 + nargs++], out + o, sizeof(out) - o);
		if (o >= sizeof(out))
			o = sizeof(out) - 1;
		i = j;
	}
	out[o] = '\0';
	if (o && out[o - 1] == '\n')
		out[--o] = '\0';
	if (env->err)
		return (uint64_t)-EFAULT;
	bk__info("%s", out);
	return o;
}

static struct bk_vm_map *ring_arg(struct bk_vm_env *env, uint64_t handle)
{
	struct bk_vm_map *m = map_arg(env, handle);

	if (m && m->type != BK_VM_MAP_RINGBUF) {
		bk_vm_env_fail(env, -EINVAL, "map %s is not a ring buffer", m->name);
		return NULL;
	}
	return m;
}

static uint64_t h_ring_output(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct bk_vm_map *m = ring_arg(env, a[0]);
	const void *src = m ? bk_vm_env_mem(env, a[1], a[2], false) : NULL;
	void *rec;

	(void)user;
	if (!src || !a[2])
		return (uint64_t)-EINVAL;
	rec = bk__vm_ring_reserve(m, a[2]);
	if (!rec)
		return (uint64_t)-EAGAIN;
	memcpy(rec, src, a[2]);
	bk__vm_ring_commit(m, rec, false);
	return 0;
}

static uint64_t h_ring_reserve(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	struct bk_vm_map *m = ring_arg(env, a[0]);

	(void)user;
	return m ? (uint64_t)(uintptr_t)bk__vm_ring_reserve(m, a[1]) : 0;
}

static uint64_t commit(struct bk_vm_env *env, uint64_t rec, bool discard)
{
	for (size_t i = 0; i < env->vm->nmaps; i++) {
		struct bk_vm_map *m = env->vm->maps[i];

		if (m->type == BK_VM_MAP_RINGBUF && !bk__vm_ring_commit(m, (void *)(uintptr_t)rec,
									 discard))
			return 0;
	}
	bk_vm_env_fail(env, -EINVAL, "0x%llx is not a reserved ring buffer record",
		       (unsigned long long)rec);
	return 0;
}

static uint64_t h_ring_submit(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	(void)user;
	return commit(env, a[0], false);
}

static uint64_t h_ring_discard(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	(void)user;
	return commit(env, a[0], true);
}

/* tail_call is run by the interpreter itself; this entry gives it a name. */
static uint64_t h_tail_call(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	(void)env, (void)a, (void)user;
	return (uint64_t)-EINVAL;
}

static const struct {
	int32_t id;
	const char *name;
	bk_vm_helper_fn fn;
} builtins[] = {
	{ BK_FN_map_lookup_elem, "map_lookup_elem", h_lookup },
	{ BK_FN_map_update_elem, "map_update_elem", h_update },
	{ BK_FN_map_delete_elem, "map_delete_elem", h_delete },
	{ BK_FN_ktime_get_ns, "ktime_get_ns", h_ktime },
	{ BK_FN_trace_printk, "trace_printk", h_printk },
	{ BK_FN_get_prandom_u32, "get_prandom_u32", h_prandom },
	{ BK_FN_tail_call, "tail_call", h_tail_call },
	{ BK_FN_ringbuf_output, "ringbuf_output", h_ring_output },
	{ BK_FN_ringbuf_reserve, "ringbuf_reserve", h_ring_reserve },
	{ BK_FN_ringbuf_submit, "ringbuf_submit", h_ring_submit },
	{ BK_FN_ringbuf_discard, "ringbuf_discard", h_ring_discard },
};

struct bk_vm *bk_vm_new(void)
{
	struct bk_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return bk__err_ptr(-ENOMEM);
	vm->rng = 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (bk_vm_helper_register(vm, builtins[i].id, builtins[i].name, builtins[i].fn,
					  NULL)) {
			bk_vm_free(vm);
			return bk__err_ptr(-ENOMEM);
		}
	return vm;
}

void bk_vm_free(struct bk_vm *vm)
{
	if (!vm)
		return;
	for (size_t i = 0; i < vm->nmaps; i++)
		bk__vm_map_free(vm->maps[i]);
	free(vm->maps);
	free(vm->helpers);
	free(vm);
}

void bk_vm_seed(struct bk_vm *vm, uint64_t seed)
{
	if (vm)
		vm->rng = seed ? seed : 0x9E3779B97F4A7C15ULL;
}
