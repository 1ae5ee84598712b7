// SPDX-License-Identifier: MIT
/*
 * VM-side maps. Every value lives in one block allocated at creation (as the
 * kernel's preallocated maps do), which makes the block one memory region
 * for the interpreter's checks and keeps value pointers valid for the map's
 * lifetime. Hash maps chain preallocated slots from a free list; ring buffers
 * use the kernel's record format (an 8-byte header with busy/discard bits)
 * over a power-of-two data area.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_int.h"

#define NONE UINT32_MAX

static uint32_t stride(const struct bk_vm_map *m)
{
	return (m->value_size + 7) & ~7u; /* values 8-aligned, as the kernel's arrays */
}

static int check_shape(enum bk_vm_map_type type, uint32_t ks, uint32_t vs, uint32_t max)
{
	switch (type) {
	case BK_VM_MAP_ARRAY:
		return ks == 4 && vs && vs <= (1u << 20) && max && max <= (1u << 24) ? 0 : -EINVAL;
	case BK_VM_MAP_HASH:
		return ks && ks <= 512 && vs && vs <= (1u << 20) && max && max <= (1u << 24)
			       ? 0
			       : -EINVAL;
	case BK_VM_MAP_PROG_ARRAY:
		return ks == 4 && vs == 4 && max && max <= (1u << 20) ? 0 : -EINVAL;
	case BK_VM_MAP_RINGBUF:
		return !ks && !vs && max >= 4096 && max <= (1u << 30) && !(max & (max - 1))
			       ? 0
			       : -EINVAL;
	default:
		return -EINVAL;
	}
}

static int alloc_storage(struct bk_vm_map *m)
{
	size_t n = m->max_entries;

	if (m->type == BK_VM_MAP_PROG_ARRAY) {
		m->progs = calloc(n, sizeof(*m->progs));
		return m->progs ? 0 : -ENOMEM;
	}
	m->values_len = m->type == BK_VM_MAP_RINGBUF ? n : n * stride(m);
	m->values = calloc(1, m->values_len);
	if (!m->values)
		return -ENOMEM;
	if (m->type != BK_VM_MAP_HASH)
		return 0;
	m->nbuckets = 1;
	while (m->nbuckets < n)
		m->nbuckets <<= 1;
	m->keys = calloc(n, m->key_size);
	m->next = malloc(n * sizeof(*m->next));
	m->buckets = malloc(m->nbuckets * sizeof(*m->buckets));
	if (!m->keys || !m->next || !m->buckets)
		return -ENOMEM;
	for (uint32_t i = 0; i < m->nbuckets; i++)
		m->buckets[i] = NONE;
	for (uint32_t i = 0; i < n; i++)
		m->next[i] = i + 1 < n ? i + 1 : NONE;
	m->free_head = 0;
	return 0;
}

void bk__vm_map_free(struct bk_vm_map *m)
{
	if (!m)
		return;
	free(m->values);
	free(m->keys);
	free(m->next);
	free(m->buckets);
	free(m->progs);
	free(m);
}

struct bk_vm_map *bk_vm_map_create(struct bk_vm *vm, enum bk_vm_map_type type, const char *name,
				   uint32_t key_size, uint32_t value_size, uint32_t max_entries)
{
	struct bk_vm_map *m, **grown;
	int err;

	if (!vm || !name || !*name || strlen(name) >= sizeof(m->name) ||
	    check_shape(type, key_size, value_size, max_entries))
		return bk__err_ptr(-EINVAL);
	if (bk_vm_map_by_name(vm, name))
		return bk__err_ptr(-EEXIST);
	m = calloc(1, sizeof(*m));
	if (!m)
		return bk__err_ptr(-ENOMEM);
	m->vm = vm;
	m->type = type;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->key_size = key_size;
	m->value_size = value_size;
	m->max_entries = max_entries;
	err = alloc_storage(m);
	grown = err ? NULL : realloc(vm->maps, (vm->nmaps + 1) * sizeof(*grown));
	if (!grown) {
		bk__vm_map_free(m);
		return bk__err_ptr(err ? err : -ENOMEM);
	}
	vm->maps = grown;
	vm->maps[vm->nmaps++] = m;
	return m;
}

struct bk_vm_map *bk_vm_map_by_name(const struct bk_vm *vm, const char *name)
{
	for (size_t i = 0; vm && name && i < vm->nmaps; i++)
		if (!strcmp(vm->maps[i]->name, name))
			return vm->maps[i];
	return bk__err_ptr(-ENOENT);
}

/* A map reference is its index + 1: small, positive, like an fd. */
int bk_vm_map_ref(void *vm, const char *name)
{
	const struct bk_vm *v = vm;

	for (size_t i = 0; v && name && i < v->nmaps; i++)
		if (!strcmp(v->maps[i]->name, name))
			return (int)i + 1;
	return bk__err(-ENOENT);
}

struct bk_vm_map *bk__vm_map_by_ref(const struct bk_vm *vm, uint64_t ref)
{
	return ref >= 1 && ref <= vm->nmaps ? vm->maps[ref - 1] : NULL;
}

/* The map a guest register names (its host address), or NULL: the value is
 * compared, never dereferenced, so a forged pointer is just "not a map". */
struct bk_vm_map *bk__vm_map_check(const struct bk_vm *vm, uint64_t handle)
{
	for (size_t i = 0; i < vm->nmaps; i++)
		if ((uint64_t)(uintptr_t)vm->maps[i] == handle)
			return vm->maps[i];
	return NULL;
}

static uint32_t hash_key(const struct bk_vm_map *m, const void *key)
{
	const uint8_t *p = key;
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < m->key_size; i++)
		h = (h ^ p[i]) * 16777619u;
	return h & (m->nbuckets - 1);
}

static uint32_t hash_find(const struct bk_vm_map *m, const void *key, uint32_t **link)
{
	uint32_t *at = &m->buckets[hash_key(m, key)];

	while (*at != NONE) {
		if (!memcmp(m->keys + (size_t)*at * m->key_size, key, m->key_size))
			break;
		at = &m->next[*at];
	}
	if (link)
		*link = at;
	return *at;
}

void *bk_vm_map_lookup(struct bk_vm_map *m, const void *key)
{
	uint32_t slot = NONE;

	if (!m || !key)
		return bk__err_ptr(-EINVAL);
	if (m->type == BK_VM_MAP_ARRAY) {
		uint32_t idx;

		memcpy(&idx, key, sizeof(idx));
		slot = idx < m->max_entries ? idx : NONE;
	} else if (m->type == BK_VM_MAP_HASH) {
		slot = hash_find(m, key, NULL);
	}
	if (slot == NONE)
		return bk__err_ptr(-ENOENT);
	return m->values + (size_t)slot * stride(m);
}

static int hash_update(struct bk_vm_map *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t *link, slot = hash_find(m, key, &link);

	if (slot != NONE && flags == BK_VM_NOEXIST)
		return bk__err(-EEXIST);
	if (slot == NONE) {
		if (flags == BK_VM_EXIST)
			return bk__err(-ENOENT);
		if (m->free_head == NONE)
			return bk__err(-E2BIG);
		slot = m->free_head;
		m->free_head = m->next[slot];
		m->next[slot] = NONE;
		*link = slot;
		memcpy(m->keys + (size_t)slot * m->key_size, key, m->key_size);
		m->count++;
	}
	memcpy(m->values + (size_t)slot * stride(m), value, m->value_size);
	return 0;
}

int bk_vm_map_update(struct bk_vm_map *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t idx;

	if (!m || !key || !value || flags > BK_VM_EXIST)
		return bk__err(-EINVAL);
	if (m->type == BK_VM_MAP_HASH)
		return hash_update(m, key, value, flags);
	if (m->type != BK_VM_MAP_ARRAY)
		return bk__err(-EINVAL);
	memcpy(&idx, key, sizeof(idx));
	if (idx >= m->max_entries)
		return bk__err(-E2BIG);
	if (flags == BK_VM_NOEXIST)
		return bk__err(-EEXIST);
	memcpy(m->values + (size_t)idx * stride(m), value, m->value_size);
	return 0;
}

int bk_vm_map_delete(struct bk_vm_map *m, const void *key)
{
	uint32_t *link, slot;

	if (!m || !key || m->type != BK_VM_MAP_HASH)
		return bk__err(-EINVAL);
	slot = hash_find(m, key, &link);
	if (slot == NONE)
		return bk__err(-ENOENT);
	*link = m->next[slot];
	m->next[slot] = m->free_head;
	m->free_head = slot;
	m->count--;
	return 0;
}

int bk_vm_prog_array_set(struct bk_vm_map *m, uint32_t index, struct bk_vm_prog *prog)
{
	if (!m || m->type != BK_VM_MAP_PROG_ARRAY || (prog && prog->vm != m->vm))
		return bk__err(-EINVAL);
	if (index >= m->max_entries)
		return bk__err(-E2BIG);
	m->progs[index] = prog;
	return 0;
}

struct bk_vm_prog *bk__vm_tail_target(struct bk_vm_env *env, uint64_t map, uint64_t index)
{
	struct bk_vm_map *m = bk__vm_map_check(env->vm, map);
	struct bk_vm_prog *p;

	if (!m || m->type != BK_VM_MAP_PROG_ARRAY || index >= m->max_entries ||
	    env->tail_calls >= BK_VM_MAX_TAIL_CALLS)
		return NULL;
	p = m->progs[index];
	if (!p || p->type != env->prog->type)
		return NULL;
	env->tail_calls++;
	return p;
}

/* ---- ring buffer ---------------------------------------------------------- */

static uint32_t rec_total(uint32_t len)
{
	return (len + BK_RINGBUF_HDR_SZ + 7) & ~7u;
}

static void put_hdr(struct bk_vm_map *m, uint64_t pos, uint32_t word)
{
	memcpy(m->values + (pos & (m->max_entries - 1)), &word, sizeof(word));
}

void *bk__vm_ring_reserve(struct bk_vm_map *m, uint64_t size)
{
	uint64_t mask = m->max_entries - 1, tail;
	uint32_t total;

	if (size == 0 || size > m->max_entries / 2)
		return NULL;
	total = rec_total((uint32_t)size);
	tail = m->max_entries - (m->prod & mask);
	if (tail < total) { /* records never wrap: pad the tail with a discarded one */
		if (m->prod - m->cons + tail + total > m->max_entries)
			return NULL;
		put_hdr(m, m->prod, (uint32_t)(tail - BK_RINGBUF_HDR_SZ) | BK_RINGBUF_DISCARD_BIT);
		m->prod += tail;
	}
	if (m->prod - m->cons + total > m->max_entries)
		return NULL;
	put_hdr(m, m->prod, (uint32_t)size | BK_RINGBUF_BUSY_BIT);
	m->prod += total;
	return m->values + ((m->prod - total) & mask) + BK_RINGBUF_HDR_SZ;
}

int bk__vm_ring_commit(struct bk_vm_map *m, void *data, bool discard)
{
	uint8_t *p = data;
	uint32_t hdr;

	if (p < m->values + BK_RINGBUF_HDR_SZ || p >= m->values + m->values_len ||
	    ((uintptr_t)(p - m->values) & 7))
		return -EINVAL;
	memcpy(&hdr, p - BK_RINGBUF_HDR_SZ, sizeof(hdr));
	if (!(hdr & BK_RINGBUF_BUSY_BIT))
		return -EINVAL;
	hdr &= ~BK_RINGBUF_BUSY_BIT;
	if (discard)
		hdr |= BK_RINGBUF_DISCARD_BIT;
	memcpy(p - BK_RINGBUF_HDR_SZ, &hdr, sizeof(hdr));
	return 0;
}

int bk_vm_ring_consume(struct bk_vm_map *m, bk_vm_ring_fn fn, void *ctx)
{
	int count = 0;

	if (!m || m->type != BK_VM_MAP_RINGBUF || !fn)
		return bk__err(-EINVAL);
	while (m->cons < m->prod) {
		uint64_t off = m->cons & (m->max_entries - 1);
		uint32_t hdr, len, total;

		memcpy(&hdr, m->values + off, sizeof(hdr));
		if (hdr & BK_RINGBUF_BUSY_BIT)
			break;
		len = hdr & ~(BK_RINGBUF_BUSY_BIT | BK_RINGBUF_DISCARD_BIT);
		total = rec_total(len);
		/* a program may have scribbled over a header: never trust it past the ring */
		if (total > m->prod - m->cons || off + total > m->max_entries) {
			m->cons = m->prod;
			return bk__err(-EBADMSG);
		}
		m->cons += total;
		if (hdr & BK_RINGBUF_DISCARD_BIT)
			continue;
		count++;
		if (fn(ctx, m->values + off + BK_RINGBUF_HDR_SZ, len))
			break;
	}
	return count;
}
