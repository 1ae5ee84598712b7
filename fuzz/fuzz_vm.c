// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the VM on arbitrary bytecode must never crash, read or
 * write outside what it owns, hang or leak; it either refuses the program or
 * runs it to an exit or a clean error. Input layout:
 *   byte 0       program type (mod 3: raw, XDP, socket filter)
 *   byte 1       length L of the memory / packet (mod 64)
 *   L bytes      the memory
 *   the rest     instruction slots (an exit is appended)
 * The VM has an array, a hash, a ring buffer and a prog array holding the
 * program itself (maps 1 to 4 for ld_imm64), and helper 1000 reading memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/vm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t h_sum(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	const uint8_t *p = bk_vm_env_mem(env, a[0], a[1] & 0xff, false);
	uint64_t s = 0;

	(void)user;
	for (uint64_t i = 0; p && i < (a[1] & 0xff); i++)
		s += p[i];
	return s;
}

static struct bk_vm *vm_once(void)
{
	static struct bk_vm *vm;

	if (vm)
		return vm;
	vm = bk_vm_new();
	if (!vm || !bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "a", 4, 16, 4) ||
	    !bk_vm_map_create(vm, BK_VM_MAP_HASH, "h", 4, 8, 8) ||
	    !bk_vm_map_create(vm, BK_VM_MAP_RINGBUF, "r", 0, 0, 4096) ||
	    !bk_vm_map_create(vm, BK_VM_MAP_PROG_ARRAY, "p", 4, 4, 2) ||
	    bk_vm_helper_register(vm, 1000, "sum", h_sum, NULL))
		abort();
	return vm;
}

static int drop(void *ctx, const void *rec, size_t len)
{
	(void)ctx, (void)rec, (void)len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_vm *vm = vm_once();
	struct bk_vm_map *progs = bk_vm_map_by_name(vm, "p");
	static const enum bk_vm_prog_type types[] = { BK_VM_RAW, BK_VM_XDP, BK_VM_SOCKET_FILTER };
	uint8_t mem[64];
	size_t len, n;
	struct bk_insn *insns;
	struct bk_vm_prog *p;
	struct bk_vm_result res;
	struct bk_diag d;

	if (size < 2)
		return 0;
	len = data[1] % 64;
	if (size < 2 + len)
		return 0;
	memcpy(mem, data + 2, len);
	n = (size - 2 - len) / 8;
	insns = malloc((n + 1) * sizeof(*insns));
	if (!insns)
		return 0;
	memcpy(insns, data + 2 + len, n * sizeof(*insns));
	insns[n] = (struct bk_insn)BK_EXIT();
	p = bk_vm_load(vm, insns, n + 1, BK_OPTS(bk_vm_load_opts, .type = types[data[0] % 3]), &d);
	free(insns);
	if (!p)
		return 0;
	bk_vm_prog_array_set(progs, 0, p);
	bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = len, .budget = 100000), &res,
		  &d);
	bk_vm_prog_array_set(progs, 0, NULL);
	bk_vm_ring_consume(bk_vm_map_by_name(vm, "r"), drop, NULL);
	bk_vm_prog_free(p);
	return 0;
}
