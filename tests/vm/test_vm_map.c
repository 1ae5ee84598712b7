// SPDX-License-Identifier: MIT
/* VM-side maps through the API and from programs: array, hash, prog array
 * (tail calls) and ring buffers. */
#include <stdlib.h>

#include "vm_test.h"

Test(vm_map, create_rules)
{
	struct bk_vm *vm = bk_vm_new();

	cr_assert_not_null(bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "a", 4, 8, 4));
	errno = 0;
	cr_assert_null(bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "a", 4, 8, 4));
	cr_assert_eq(errno, EEXIST);
	cr_assert_null(bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "b", 8, 8, 4));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_vm_map_create(vm, BK_VM_MAP_RINGBUF, "r", 0, 0, 5000));
	cr_assert_eq(errno, EINVAL, "ring sizes are powers of two");
	cr_assert_null(bk_vm_map_create(vm, BK_VM_MAP_HASH, "h", 4, 0, 4));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_vm_map_by_name(vm, "nope"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_vm_map_ref(vm, "a"), 1);
	cr_assert_eq(bk_vm_map_ref(vm, "nope"), -ENOENT);
	bk_vm_free(vm);
}

Test(vm_map, array_api)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *m = bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "a", 4, 4, 3);
	uint32_t k = 2, v = 77, out_of_range = 3;
	uint32_t *p;

	p = bk_vm_map_lookup(m, &k);
	cr_assert_not_null(p);
	cr_assert_eq(*p, 0, "arrays start zeroed");
	cr_assert_eq(bk_vm_map_update(m, &k, &v, BK_VM_ANY), 0);
	cr_assert_eq(*p, 77);
	cr_assert_eq(bk_vm_map_update(m, &k, &v, BK_VM_NOEXIST), -EEXIST);
	cr_assert_eq(bk_vm_map_update(m, &out_of_range, &v, BK_VM_ANY), -E2BIG);
	cr_assert_null(bk_vm_map_lookup(m, &out_of_range));
	cr_assert_eq(bk_vm_map_delete(m, &k), -EINVAL);
	cr_assert_eq(bk_vm_map_update(m, &k, &v, 7), -EINVAL);
	bk_vm_free(vm);
}

Test(vm_map, hash_api_fills_reuses_and_chains)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *m = bk_vm_map_create(vm, BK_VM_MAP_HASH, "h", 8, 8, 64);

	for (uint64_t k = 0; k < 64; k++) {
		uint64_t v = k * 3;

		cr_assert_eq(bk_vm_map_update(m, &k, &v, BK_VM_NOEXIST), 0);
	}
	{
		uint64_t k = 1000, v = 0;

		cr_assert_eq(bk_vm_map_update(m, &k, &v, BK_VM_ANY), -E2BIG);
		cr_assert_eq(bk_vm_map_update(m, &k, &v, BK_VM_EXIST), -ENOENT);
	}
	for (uint64_t k = 0; k < 64; k++) {
		uint64_t *v = bk_vm_map_lookup(m, &k);

		cr_assert_not_null(v);
		cr_assert_eq(*v, k * 3);
	}
	for (uint64_t k = 0; k < 64; k += 2)
		cr_assert_eq(bk_vm_map_delete(m, &k), 0);
	for (uint64_t k = 0; k < 64; k++)
		cr_assert_eq(bk_vm_map_lookup(m, &k) != NULL, k % 2 == 1);
	{
		uint64_t k = 0;

		cr_assert_eq(bk_vm_map_delete(m, &k), -ENOENT);
		k = 5000;
		cr_assert_eq(bk_vm_map_update(m, &k, &k, BK_VM_ANY), 0, "deleted slots are reused");
	}
	bk_vm_free(vm);
}

/* A counter per key, the usual program shape: lookup, else insert. */
Test(vm_map, programs_use_maps_by_name)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *m = bk_vm_map_create(vm, BK_VM_MAP_HASH, "counts", 4, 8, 16);
	struct bk_vm_prog *p = vt_load(vm,
				       "*(u32 *)(r10 - 4) = 7\n"
				       "r2 = r10\n"
				       "r2 += -4\n"
				       "r1 = map[counts] ll\n"
				       "call bpf_map_lookup_elem\n"
				       "if r0 == 0 goto insert\n"
				       "r1 = 1\n"
				       "lock *(u64 *)(r0 + 0) += r1\n"
				       "r0 = 1\n"
				       "exit\n"
				       "insert:\n"
				       "*(u64 *)(r10 - 16) = 1\n"
				       "r1 = map[counts] ll\n"
				       "r2 = r10\n"
				       "r2 += -4\n"
				       "r3 = r10\n"
				       "r3 += -16\n"
				       "r4 = 0\n"
				       "call bpf_map_update_elem\n"
				       "exit\n",
				       BK_VM_RAW);
	struct bk_vm_result res;
	uint32_t k = 7;
	uint64_t *v;

	for (int i = 0; i < 5; i++)
		cr_assert_eq(bk_vm_run(p, NULL, &res, NULL), 0);
	v = bk_vm_map_lookup(m, &k);
	cr_assert_not_null(v);
	cr_assert_eq(*v, 5);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_map, forged_map_pointer_is_refused)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "r1 = 0x1234 ll\nr2 = r10\nr2 += -8\n"
				       "call bpf_map_lookup_elem\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(p, NULL, &res, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "helper map_lookup_elem: r1 = 0x1234 is not a map");
	cr_assert_eq(d.index, 4);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

static int collect(void *ctx, const void *data, size_t len)
{
	uint64_t *sum = ctx;
	uint64_t v;

	cr_assert_eq(len, 8);
	memcpy(&v, data, 8);
	*sum += v;
	return 0;
}

Test(vm_map, ring_buffer_reserve_submit_discard_output)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *rb = bk_vm_map_create(vm, BK_VM_MAP_RINGBUF, "events", 0, 0, 4096);
	struct bk_vm_prog *p = vt_load(vm,
				       "r6 = r1\n"
				       "r1 = map[events] ll\n"
				       "r2 = 8\n"
				       "r3 = 0\n"
				       "call bpf_ringbuf_reserve\n"
				       "if r0 == 0 goto out\n"
				       "*(u64 *)(r0 + 0) = 40\n"
				       "r1 = r0\n"
				       "r2 = 0\n"
				       "call bpf_ringbuf_submit\n"
				       "r1 = map[events] ll\n"
				       "r2 = 8\n"
				       "r3 = 0\n"
				       "call bpf_ringbuf_reserve\n"
				       "if r0 == 0 goto out\n"
				       "*(u64 *)(r0 + 0) = 1000\n"
				       "r1 = r0\n"
				       "r2 = 0\n"
				       "call bpf_ringbuf_discard\n"
				       "*(u64 *)(r10 - 8) = 2\n"
				       "r1 = map[events] ll\n"
				       "r2 = r10\n"
				       "r2 += -8\n"
				       "r3 = 8\n"
				       "r4 = 0\n"
				       "call bpf_ringbuf_output\n"
				       "out:\n"
				       "exit\n",
				       BK_VM_RAW);
	struct bk_vm_result res;
	uint64_t sum = 0;
	int got = 0;

	/* 3 records of 16 bytes per run: 300 runs wrap the 4 KiB ring many times */
	for (int i = 0; i < 300; i++) {
		cr_assert_eq(bk_vm_run(p, NULL, &res, NULL), 0);
		cr_assert_eq(res.r0, 0);
		got += bk_vm_ring_consume(rb, collect, &sum);
	}
	cr_assert_eq(got, 600, "discarded records are skipped");
	cr_assert_eq(sum, 300 * 42);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_map, ring_buffer_full_and_bad_submit)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *rb = bk_vm_map_create(vm, BK_VM_MAP_RINGBUF, "rb", 0, 0, 4096);
	struct bk_vm_prog *fill = vt_load(vm, "r1 = map[rb] ll\nr2 = 1000\nr3 = 0\n"
					  "call bpf_ringbuf_reserve\nexit\n", BK_VM_RAW);
	struct bk_vm_prog *bad = vt_load(vm, "r1 = r10\nr1 += -8\nr2 = 0\n"
					 "call bpf_ringbuf_submit\nr0 = 0\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;
	int reserved = 0;

	for (int i = 0; i < 10; i++) {
		cr_assert_eq(bk_vm_run(fill, NULL, &res, NULL), 0);
		reserved += res.r0 != 0;
	}
	cr_assert_eq(reserved, 4, "4 x 1008 bytes fit in 4096");
	cr_assert_eq(bk_vm_ring_consume(rb, collect, NULL), 0, "reserved records block");
	cr_assert_eq(bk_vm_run(bad, NULL, &res, &d), -EINVAL);
	cr_assert(strstr(d.msg, "is not a reserved ring buffer record"), "%s", d.msg);
	bk_vm_prog_free(fill);
	bk_vm_prog_free(bad);
	bk_vm_free(vm);
}

Test(vm_map, tail_calls_chain_and_are_bounded)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *jt = bk_vm_map_create(vm, BK_VM_MAP_PROG_ARRAY, "jt", 4, 4, 4);
	struct bk_vm_prog *entry = vt_load(vm, "r2 = map[jt] ll\nr3 = 1\ncall bpf_tail_call\n"
				           "r0 = 99\nexit\n", BK_VM_RAW);
	struct bk_vm_prog *target = vt_load(vm, "r0 = 7\nexit\n", BK_VM_RAW);
	struct bk_vm_prog *self = vt_load(vm, "r6 += 1\nr0 = r6\nr2 = map[jt] ll\nr3 = 2\n"
					  "call bpf_tail_call\nr0 = r6\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;

	cr_assert_eq(bk_vm_run(entry, NULL, &res, NULL), 0);
	cr_assert_eq(res.r0, 99, "an empty slot falls through");
	cr_assert_eq(bk_vm_prog_array_set(jt, 1, target), 0);
	cr_assert_eq(bk_vm_run(entry, NULL, &res, NULL), 0);
	cr_assert_eq(res.r0, 7);
	cr_assert_eq(bk_vm_prog_array_set(jt, 9, target), -E2BIG);
	/* a program tail-calling itself stops after the kernel's 33 */
	cr_assert_eq(bk_vm_prog_array_set(jt, 2, self), 0);
	cr_assert_eq(bk_vm_run(self, NULL, &res, NULL), 0);
	cr_assert_eq(res.r0, 34);
	bk_vm_prog_free(entry);
	bk_vm_prog_free(target);
	bk_vm_prog_free(self);
	bk_vm_free(vm);
}
