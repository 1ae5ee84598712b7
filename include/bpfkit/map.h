/* SPDX-License-Identifier: MIT */
/*
 * Maps as objects: an opaque struct bk_map over a map fd that remembers the
 * map's shape (type, key and value sizes, max_entries, flags, name, id), so
 * every element call checks the caller's buffer sizes against the map before
 * the kernel copies anything: a caller cannot make the kernel overrun a
 * buffer by passing a key or value of the wrong size.
 *
 * Value buffers as user space sees them:
 *
 *   ordinary map      value_size bytes
 *   per-CPU map       ncpus slots of round_up(value_size, 8) bytes each, where
 *   (percpu_hash,     ncpus is the number of *possible* CPUs
 *    percpu_array,    (/sys/devices/system/cpu/possible), in CPU order:
 *    lru_percpu_hash,
 *    percpu_cgroup_   +---------------+---------------+-----+----------------+
 *    storage)         | cpu 0 | pad   | cpu 1 | pad   | ... | cpu n-1 | pad  |
 *                     +---------------+---------------+-----+----------------+
 *   prog array,       a 32-bit fd on update, a 32-bit id on lookup
 *   map-in-map
 *
 * bk_map_value_buf_size() gives that size. A struct bk_map may be used by
 * several threads at once for element, batch and iterator calls; pin, unpin,
 * mmap, munmap and close must not race with other calls on the same map.
 */
#ifndef BPFKIT_MAP_H
#define BPFKIT_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpfkit/abi.h>
#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque map: one fd plus the map's shape. */
struct bk_map;

/* Options of bk_map_create(): everything beyond type, name and sizes. */
struct bk_map_opts {
	size_t sz;
	uint32_t map_flags;	  /* BK_F_NO_PREALLOC, BK_F_MMAPABLE, BK_F_RDONLY_PROG... */
	uint32_t numa_node;	  /* used with BK_F_NUMA_NODE */
	int inner_map_fd;	  /* map-in-map: a map of the inner maps' shape, 0 if none */
	uint32_t map_ifindex;	  /* offload device, 0 if none */
	uint64_t map_extra;	  /* bloom filter: number of hashes (low 4 bits) */
	int btf_fd;		  /* 0 if none */
	uint32_t btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
};
#define bk_map_opts__last_field btf_vmlinux_value_type_id

/**
 * bk_map_create() - create a map of type with the given shape.
 * name is up to 15 characters (longer names are cut; NULL for none). Queue,
 * stack and bloom filter maps take key_size 0. Returns a new map, or NULL
 * with errno set (EINVAL for a shape the kernel refuses, EPERM without
 * CAP_BPF, ENOMEM...).
 */
BK_API struct bk_map *bk_map_create(enum bk_map_type type, const char *name, uint32_t key_size,
				    uint32_t value_size, uint32_t max_entries,
				    const struct bk_map_opts *opts);

/**
 * bk_map_from_fd() - a map object for an existing map fd.
 * The fd is duplicated (close-on-exec), so the caller keeps ownership of fd.
 * The shape is read from the kernel. NULL with errno set on failure (EINVAL
 * when fd is not a map).
 */
BK_API struct bk_map *bk_map_from_fd(int fd);

/**
 * bk_map_from_id() - a map object for the loaded map with this id.
 * NULL with errno set (ENOENT when no map has that id).
 */
BK_API struct bk_map *bk_map_from_id(uint32_t id);

/**
 * bk_map_open_pinned() - open the map pinned at path on a bpffs.
 * NULL with errno set (ENOENT: nothing pinned there; EINVAL: not a map).
 */
BK_API struct bk_map *bk_map_open_pinned(const char *path);

/**
 * bk_map_pin() - pin the map at path on a bpffs, so it outlives the process.
 * The path is remembered for bk_map_unpin(map, NULL). Returns 0 or -errno
 * (-EEXIST when path exists, -EPERM when it is not on a bpffs).
 */
BK_API int bk_map_pin(struct bk_map *map, const char *path);

/**
 * bk_map_unpin() - remove the pin at path, or where bk_map_pin() pinned the
 * map when path is NULL. The map lives on while fds reference it.
 * Returns 0 or -errno (-ENOENT: no such pin; -EINVAL: path NULL, never pinned).
 */
BK_API int bk_map_unpin(struct bk_map *map, const char *path);

/**
 * bk_map_close() - unmap, close the fd and free the object. NULL is a no-op.
 * Pins are left in place.
 */
BK_API void bk_map_close(struct bk_map *map);

/* ---- getters (never fail on a valid map) ---- */

/** bk_map_fd() - the map's fd, owned by the object. */
BK_API int bk_map_fd(const struct bk_map *map);
/** bk_map_type() - the map's type. */
BK_API enum bk_map_type bk_map_type(const struct bk_map *map);
/** bk_map_key_size() - key size in bytes (0 for queue, stack, bloom filter). */
BK_API uint32_t bk_map_key_size(const struct bk_map *map);
/** bk_map_value_size() - the map's value size (of one CPU's value for per-CPU maps). */
BK_API uint32_t bk_map_value_size(const struct bk_map *map);
/** bk_map_max_entries() - the map's capacity. */
BK_API uint32_t bk_map_max_entries(const struct bk_map *map);
/** bk_map_flags() - the map's creation flags (BK_F_*). */
BK_API uint32_t bk_map_flags(const struct bk_map *map);
/** bk_map_map_extra() - map_extra as given at creation (bloom filter hashes...). */
BK_API uint64_t bk_map_map_extra(const struct bk_map *map);
/** bk_map_name() - the map's name as the kernel keeps it (may be ""). */
BK_API const char *bk_map_name(const struct bk_map *map);
/** bk_map_id() - the map's kernel id. */
BK_API uint32_t bk_map_id(const struct bk_map *map);
/** bk_map_is_percpu() - whether values are per CPU (see the layout above). */
BK_API bool bk_map_is_percpu(const struct bk_map *map);

/**
 * bk_map_value_buf_size() - bytes a value buffer must have for lookup,
 * update and batch calls: value_size, or round_up(value_size, 8) times the
 * number of possible CPUs for per-CPU maps.
 */
BK_API size_t bk_map_value_buf_size(const struct bk_map *map);

/* ---- elements ----
 * key_size and value_size are the sizes of the caller's buffers; they must
 * equal bk_map_key_size() and bk_map_value_buf_size(), or the call fails with
 * -EINVAL before reaching the kernel. Keyless maps (queue, stack, bloom
 * filter) take key NULL and key_size 0. */

/**
 * bk_map_lookup() - copy the value of key into value.
 * flags: 0 or BK_F_LOCK (maps whose value holds a bpf_spin_lock).
 * Returns 0, -ENOENT when key is absent, -EINVAL on a size mismatch.
 */
BK_API int bk_map_lookup(const struct bk_map *map, const void *key, size_t key_size, void *value,
			 size_t value_size, uint64_t flags);

/**
 * bk_map_update() - set key's value.
 * flags: BK_ANY, BK_NOEXIST (-EEXIST if present), BK_EXIST (-ENOENT if
 * absent), optionally | BK_F_LOCK. -E2BIG when the map is full, -EPERM on a
 * frozen map.
 */
BK_API int bk_map_update(const struct bk_map *map, const void *key, size_t key_size,
			 const void *value, size_t value_size, uint64_t flags);

/** bk_map_delete() - delete key. Returns 0, -ENOENT when absent, -EINVAL for arrays. */
BK_API int bk_map_delete(const struct bk_map *map, const void *key, size_t key_size);

/**
 * bk_map_lookup_and_delete() - copy key's value into value and delete it, in
 * one step (hash types, Linux 5.14; queue/stack pop). Returns 0 or -errno.
 */
BK_API int bk_map_lookup_and_delete(const struct bk_map *map, const void *key, size_t key_size,
				    void *value, size_t value_size, uint64_t flags);

/**
 * bk_map_get_next_key() - the key after key (the first one when key is NULL)
 * into next_key; both buffers have key_size bytes. Returns 0, or -ENOENT
 * after the last key. Note that for hash maps, a key that is no longer in
 * the map makes the kernel restart from the first key: bk_map_iter_new()
 * walks a changing map correctly.
 */
BK_API int bk_map_get_next_key(const struct bk_map *map, const void *key, void *next_key,
			       size_t key_size);

/**
 * bk_map_freeze() - make the map read-only for user space (Linux 5.2);
 * programs can still write it unless created with BK_F_RDONLY_PROG. Later
 * updates and deletes from user space fail with -EPERM.
 */
BK_API int bk_map_freeze(const struct bk_map *map);

/*
 * Typed helpers for the common fixed-size shapes: the sizes are part of the
 * name, so they are checked against the map like any other call.
 */
#define BK_MAP_TYPED_(KN, KT, VN, VT)                                                              \
	static inline int bk_map_lookup_##KN##_##VN(const struct bk_map *map, KT key, VT *value)  \
	{                                                                                          \
		return bk_map_lookup(map, &key, sizeof(key), value, sizeof(*value), 0);            \
	}                                                                                          \
	static inline int bk_map_update_##KN##_##VN(const struct bk_map *map, KT key, VT value,   \
						    uint64_t flags)                                \
	{                                                                                          \
		return bk_map_update(map, &key, sizeof(key), &value, sizeof(value), flags);        \
	}
BK_MAP_TYPED_(u32, uint32_t, u32, uint32_t)
BK_MAP_TYPED_(u32, uint32_t, u64, uint64_t)
BK_MAP_TYPED_(u64, uint64_t, u64, uint64_t)
#undef BK_MAP_TYPED_

/** bk_map_delete_u32() - delete a 32-bit key. */
static inline int bk_map_delete_u32(const struct bk_map *map, uint32_t key)
{
	return bk_map_delete(map, &key, sizeof(key));
}

/* Any key and value lvalues (a struct, an array...): their sizes are taken
 * with sizeof, so they must be objects, not pointers to them. */
#define BK_MAP_LOOKUP(map, key, value)                                                             \
	bk_map_lookup((map), &(key), sizeof(key), &(value), sizeof(value), 0)
#define BK_MAP_UPDATE(map, key, value, flags)                                                      \
	bk_map_update((map), &(key), sizeof(key), &(value), sizeof(value), (flags))
#define BK_MAP_DELETE(map, key) bk_map_delete((map), &(key), sizeof(key))

/* ---- fd-valued maps: prog array, array/hash of maps ---- */

/**
 * bk_map_update_fd() - store an fd (a program in a prog array, an inner map
 * in a map-in-map) at key. The kernel keeps a reference to the object, not
 * the fd. Returns 0 or -errno.
 */
BK_API int bk_map_update_fd(const struct bk_map *map, const void *key, size_t key_size, int fd,
			    uint64_t flags);

/**
 * bk_map_lookup_id() - the id of the object stored at key (a program's id for
 * a prog array, the inner map's id for a map-in-map). Returns 0 or -errno.
 */
BK_API int bk_map_lookup_id(const struct bk_map *map, const void *key, size_t key_size,
			    uint32_t *id);

/** bk_map_set_prog() - put program prog_fd in slot index of a prog array (for tail calls). */
static inline int bk_map_set_prog(const struct bk_map *map, uint32_t index, int prog_fd)
{
	return bk_map_update_fd(map, &index, sizeof(index), prog_fd, BK_ANY);
}

/* ---- queue, stack, bloom filter (keyless) ---- */

/**
 * bk_map_push() - push value on a queue or stack, or add it to a bloom filter.
 * flags: BK_ANY (-E2BIG when full) or BK_EXIST (a full queue/stack drops its
 * oldest element to make room). Returns 0 or -errno.
 */
BK_API int bk_map_push(const struct bk_map *map, const void *value, size_t value_size,
		       uint64_t flags);

/** bk_map_pop() - take the next element of a queue (oldest) or stack (newest); -ENOENT when empty. */
BK_API int bk_map_pop(const struct bk_map *map, void *value, size_t value_size);

/**
 * bk_map_peek() - for a queue or stack: copy the next element without taking
 * it (-ENOENT when empty). For a bloom filter: 0 when value may be in the
 * set, -ENOENT when it is certainly not; value is input then.
 */
BK_API int bk_map_peek(const struct bk_map *map, void *value, size_t value_size);

/* ---- LPM trie keys ---- */

/*
 * An LPM trie key is a 32-bit prefix length in host order followed by the
 * data in network order (most significant byte first):
 *   +----------------+-----------------------------+
 *   | prefixlen: u32 | data[key_size - 4]           |
 *   +----------------+-----------------------------+
 * Tries require BK_F_NO_PREALLOC. The fixed forms below suit IPv4 and IPv6.
 */
struct bk_lpm_key_v4 {
	uint32_t prefixlen;
	uint8_t addr[4];
};
struct bk_lpm_key_v6 {
	uint32_t prefixlen;
	uint8_t addr[16];
};

/**
 * bk_lpm_key_init() - write an LPM key of key_size bytes into key:
 * prefixlen, then data_len bytes of data, where data_len = key_size - 4 and
 * prefixlen <= 8 * data_len. Returns 0 or -EINVAL.
 */
BK_API int bk_lpm_key_init(void *key, size_t key_size, uint32_t prefixlen, const void *data,
			   size_t data_len);

/* ---- per-CPU values ---- */

/**
 * bk_num_possible_cpus() - the number of possible CPUs, the count of per-CPU
 * value slots. Read once from /sys/devices/system/cpu/possible and cached
 * (safe from several threads). Returns the count or -errno.
 */
BK_API int bk_num_possible_cpus(void);

/**
 * bk_cpulist_count() - the number of CPUs a kernel CPU list names, such as
 * "0-1", "0,2-5" or "3" (a trailing newline is allowed). Returns the count
 * or -EINVAL for text that is not a CPU list.
 */
BK_API int bk_cpulist_count(const char *list);

/** bk_map_percpu_stride() - bytes of one CPU's slot in a per-CPU value: round_up(value_size, 8). */
BK_API size_t bk_map_percpu_stride(const struct bk_map *map);

/**
 * bk_map_percpu_slot() - the slot of cpu in a per-CPU value buffer buf (of
 * bk_map_value_buf_size() bytes), or NULL when cpu is out of range or the map
 * is not per-CPU.
 */
BK_API void *bk_map_percpu_slot(const struct bk_map *map, void *buf, unsigned int cpu);

/**
 * bk_map_lookup_percpu_sum() - the sum over all CPUs of key's per-CPU value,
 * read as an unsigned integer of the map's value size (4 or 8 bytes; other
 * sizes: -EINVAL). A u32 sum is computed in 64 bits, so it never wraps.
 */
BK_API int bk_map_lookup_percpu_sum(const struct bk_map *map, const void *key, size_t key_size,
				    uint64_t *sum);

/**
 * bk_map_update_percpu_all() - set key's value to the same value_size bytes
 * (one CPU's value) on every CPU. Returns 0 or -errno.
 */
BK_API int bk_map_update_percpu_all(const struct bk_map *map, const void *key, size_t key_size,
				    const void *value, size_t value_size, uint64_t flags);

/* ---- batches ---- */

/*
 * Where a batch read resumes: the kernel's opaque token (a bucket index for
 * hash maps, a key for arrays). Start from BK_MAP_BATCH_CURSOR_INIT; done
 * becomes true once the kernel has no more entries.
 */
struct bk_map_batch_cursor {
	bool started;
	bool done;
	uint64_t token[8];
};
#define BK_MAP_BATCH_CURSOR_INIT { 0 }

/* Options of the batch calls. */
struct bk_map_batch_opts {
	size_t sz;
	uint64_t elem_flags; /* 0 or BK_F_LOCK (the kernel takes no BK_NOEXIST/BK_EXIST here) */
	uint64_t flags;	     /* reserved by the kernel, 0 */
	uint32_t chunk;	     /* entries per bpf() call, 0: 65536 */
	uint32_t reserved_;  /* must be 0 */
};
#define bk_map_batch_opts__last_field reserved_

/**
 * bk_map_lookup_batch() - read up to *count entries, starting where cur
 * stands, into keys (*count * key_size bytes) and values (*count *
 * bk_map_value_buf_size() bytes); *count becomes the number read. Issues as
 * many bpf() calls as needed, opts->chunk entries at most each. When the map
 * has no more entries cur->done is set and the call still returns 0.
 * Returns 0, or -ENOSPC when *count is too small for one hash bucket (retry
 * with more room), or -errno (-524, the kernel's ENOTSUPP: the type has no batch
 * commands).
 * On a hash map changing meanwhile, every entry present throughout is read
 * exactly once.
 */
BK_API int bk_map_lookup_batch(const struct bk_map *map, struct bk_map_batch_cursor *cur,
			       void *keys, void *values, uint32_t *count,
			       const struct bk_map_batch_opts *opts);

/** bk_map_lookup_and_delete_batch() - as bk_map_lookup_batch(), deleting what it reads (hash types). */
BK_API int bk_map_lookup_and_delete_batch(const struct bk_map *map,
					  struct bk_map_batch_cursor *cur, void *keys,
					  void *values, uint32_t *count,
					  const struct bk_map_batch_opts *opts);

/**
 * bk_map_update_batch() - set *count entries from keys and values, in chunks.
 * *count becomes the number of entries updated, also on failure, so a
 * caller knows exactly which entry failed. Returns 0 or -errno.
 */
BK_API int bk_map_update_batch(const struct bk_map *map, const void *keys, const void *values,
			       uint32_t *count, const struct bk_map_batch_opts *opts);

/** bk_map_delete_batch() - delete *count keys, in chunks; *count becomes the number deleted. */
BK_API int bk_map_delete_batch(const struct bk_map *map, const void *keys, uint32_t *count,
			       const struct bk_map_batch_opts *opts);

/* ---- iteration ---- */

/* An opaque walk over a map's entries. */
struct bk_map_iter;

/* Options of bk_map_iter_new(). */
struct bk_map_iter_opts {
	size_t sz;
	uint32_t batch;	  /* entries fetched per bpf() call, 0: 4096 */
	uint32_t flags;	  /* BK_MAP_ITER_* */
};
#define bk_map_iter_opts__last_field flags

/* Walk with get_next_key + lookup even where batch reads exist. */
#define BK_MAP_ITER_NO_BATCH (1U << 0)
/* Do not read values (bk_map_iter_next() hands out NULL values). */
#define BK_MAP_ITER_KEYS_ONLY (1U << 1)

/**
 * bk_map_iter_new() - start a walk over map's entries.
 * It reads batches where the map type has them (hash, array and their
 * per-CPU and LRU forms) and falls back to get_next_key + lookup elsewhere.
 * Entries may be added or deleted, by this process or others, during the
 * walk: every entry present from start to end is handed out exactly once,
 * deleted ones at most once, new ones at most once. The map must stay open
 * during the walk. NULL with errno on failure.
 */
BK_API struct bk_map_iter *bk_map_iter_new(const struct bk_map *map,
					   const struct bk_map_iter_opts *opts);

/**
 * bk_map_iter_next() - the next entry. *key and *value point into the
 * iterator and stay valid until the next call. Returns 1 with an entry, 0
 * at the end, or -errno.
 */
BK_API int bk_map_iter_next(struct bk_map_iter *it, const void **key, const void **value);

/** bk_map_iter_free() - release the iterator. NULL is a no-op. */
BK_API void bk_map_iter_free(struct bk_map_iter *it);

/* ---- memory-mapped arrays ---- */

/**
 * bk_map_mmap() - map the values of a BK_F_MMAPABLE array (Linux 5.5) into
 * memory, read-write (read-only for a frozen or BK_F_RDONLY map). Element i
 * is at base + i * round_up(value_size, 8); writes are seen by lookups and by
 * programs at once, and the other way round. Calling it again returns the
 * same mapping. NULL with errno (EINVAL: not an mmapable array).
 */
BK_API void *bk_map_mmap(struct bk_map *map);

/** bk_map_mmap_size() - bytes of the mapping bk_map_mmap() makes (page-rounded), 0 if unmapped. */
BK_API size_t bk_map_mmap_size(const struct bk_map *map);

/** bk_map_munmap() - undo bk_map_mmap(); bk_map_close() does it too. Returns 0 or -errno. */
BK_API int bk_map_munmap(struct bk_map *map);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_MAP_H */
