// SPDX-License-Identifier: MIT
/* Memory safety on hostile bytecode, and the contexts of XDP and socket
 * filters read the way the kernel's verifier rewrites them. */
#include <stdio.h>
#include <stdlib.h>

#include "vm_test.h"

Test(vm_mem, out_of_bounds_load_names_pc_and_address)
{
	uint8_t mem[8] = { 0 };
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "r0 = 0\nr0 = *(u64 *)(r1 + 4)\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;
	char want[160];

	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = 8), &res, &d),
		     -EFAULT);
	snprintf(want, sizeof(want),
		 "load of 8 bytes at 0x%llx is outside every region the program may touch",
		 (unsigned long long)(uintptr_t)(mem + 4));
	cr_assert_str_eq(d.msg, want);
	cr_assert_eq(d.index, 1);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_mem, wild_pointers_and_null)
{
	vt_fails("r1 = 0x4141414141414141 ll\nr0 = *(u8 *)(r1 + 0)\nexit\n", NULL, 0, -EFAULT, 2,
		 "load of 1 bytes at 0x4141414141414141 is outside every region");
	vt_fails("r1 = 0\n*(u32 *)(r1 + 0) = 1\nexit\n", NULL, 0, -EFAULT, 1,
		 "store of 4 bytes at 0x0 is outside every region");
	vt_fails("r1 = -8\nr0 = *(u64 *)(r1 + 4)\nexit\n", NULL, 0, -EFAULT, 1,
		 "load of 8 bytes at 0xfffffffffffffffc is outside every region");
	vt_fails("r2 = 1\nlock *(u64 *)(r1 + 0) += r2\nexit\n", NULL, 0, -EFAULT, 1,
		 "atomic access of 8 bytes at 0x0 is outside every region");
}

Test(vm_mem, stack_beyond_the_frame_and_misaligned)
{
	/* through a copy of r10 the loader cannot prove anything: the run checks */
	vt_fails("r2 = r10\nr0 = *(u64 *)(r2 + 0)\nexit\n", NULL, 0, -EFAULT, 1,
		 "load of 8 bytes at");
	vt_fails("r2 = r10\nr2 += -4100\nr0 = *(u8 *)(r2 + 0)\nexit\n", NULL, 0, -EFAULT, 2,
		 "load of 1 bytes at");
	vt_fails("r2 = r10\n*(u64 *)(r2 - 12) = 1\nexit\n", NULL, 0, -EFAULT, 1,
		 "store of 8 bytes at");
	vt_fails("r2 = r10\nr0 = *(u32 *)(r2 - 6)\nexit\n", NULL, 0, -EFAULT, 1, "load of 4 bytes");
}

Test(vm_mem, oversized_access_at_the_end_of_memory)
{
	uint8_t mem[12] = { 0 };

	cr_assert_eq(vt_r0("r0 = *(u32 *)(r1 + 8)\nexit\n", mem, sizeof(mem)), 0);
	vt_fails("r0 = *(u64 *)(r1 + 8)\nexit\n", mem, sizeof(mem), -EFAULT, 0, "load of 8 bytes");
	/* unaligned but inside: allowed outside the stack, as on x86 */
	cr_assert_eq(vt_r0("r0 = *(u32 *)(r1 + 1)\nexit\n", mem, sizeof(mem)), 0);
	/* atomics must be aligned everywhere */
	vt_fails("w2 = 1\nlock *(u32 *)(r1 + 2) += w2\nexit\n", mem, sizeof(mem), -EFAULT, 1,
		 "atomic access of 4 bytes");
}

Test(vm_mem, embedder_regions_and_read_only)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "r0 = *(u64 *)(r3 + 0)\n*(u64 *)(r3 + 0) = 1\nexit\n",
				       BK_VM_RAW);
	struct bk_vm_prog *q = vt_load(vm, "r1 = 0x1000 ll\nr0 = 0\nexit\n", BK_VM_RAW);
	uint64_t ro = 5;
	struct bk_vm_region r = { &ro, sizeof(ro), false };
	struct bk_vm_result res;
	struct bk_diag d;

	/* r3 is 0: the region is allowed but not addressed */
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .regions = &r, .nregions = 1), &res, &d),
		     -EFAULT);
	cr_assert_eq(bk_vm_run(q, BK_OPTS(bk_vm_run_opts, .regions = &r, .nregions = 1), &res, &d),
		     0);
	bk_vm_prog_free(p);
	bk_vm_prog_free(q);
	bk_vm_free(vm);
}

static uint64_t h_addr(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	(void)env, (void)a;
	return (uint64_t)(uintptr_t)user;
}

Test(vm_mem, read_only_region_refuses_stores)
{
	struct bk_vm *vm = bk_vm_new();
	uint64_t ro = 5;
	struct bk_vm_region r = { &ro, sizeof(ro), false };
	struct bk_vm_prog *p;
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_helper_register(vm, 1000, "addr", h_addr, &ro), 0);
	p = vt_load(vm, "call 1000\nr1 = *(u64 *)(r0 + 0)\n*(u64 *)(r0 + 0) = r1\nexit\n",
		    BK_VM_RAW);
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .regions = &r, .nregions = 1), &res, &d),
		     -EFAULT);
	cr_assert_eq(d.index, 2);
	cr_assert(strstr(d.msg, "is in read-only memory"), "%s", d.msg);
	r.writable = true;
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .regions = &r, .nregions = 1), &res, &d),
		     0, "%s", d.msg);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

static const char xdp_prog[] =
	"r2 = *(u32 *)(r1 + 0)\n"     /* data */
	"r3 = *(u32 *)(r1 + 4)\n"     /* data_end */
	"r0 = 1\n"		      /* XDP_DROP */
	"r4 = r2\n"
	"r4 += 14\n"
	"if r4 > r3 goto out\n"
	"r5 = *(u8 *)(r2 + 12)\n"
	"if r5 != 8 goto out\n"
	"r0 = 2\n"		      /* XDP_PASS for IPv4 */
	"out:\n"
	"exit\n";

Test(vm_mem, xdp_context_is_rewritten)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, xdp_prog, BK_VM_XDP);
	uint8_t ip[60] = { [12] = 8, [13] = 0 }, arp[60] = { [12] = 8, [13] = 6 }, tiny[10] = { 0 };
	struct bk_vm_result res;

	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = ip, .data_len = 60), &res, NULL),
		     0);
	cr_assert_eq(res.r0, 2);
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = arp, .data_len = 60), &res, NULL),
		     0);
	cr_assert_eq(res.r0, 2, "ethertype high byte 8 passes");
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = tiny, .data_len = 10), &res,
			       NULL), 0);
	cr_assert_eq(res.r0, 1);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_mem, xdp_context_misuse)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *wide = vt_load(vm, "r0 = *(u64 *)(r1 + 0)\nexit\n", BK_VM_XDP);
	struct bk_vm_prog *wr = vt_load(vm, "*(u32 *)(r1 + 12) = 1\nr0 = 0\nexit\n", BK_VM_XDP);
	struct bk_vm_prog *ifx = vt_load(vm, "r0 = *(u32 *)(r1 + 12)\nexit\n", BK_VM_XDP);
	uint8_t pkt[20] = { 0 };
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(wide, BK_OPTS(bk_vm_run_opts, .data = pkt, .data_len = 20), &res,
			       &d), -EFAULT);
	cr_assert(strstr(d.msg, "reads a packet pointer of the context with the wrong size"), "%s",
		  d.msg);
	cr_assert_eq(bk_vm_run(wr, BK_OPTS(bk_vm_run_opts, .data = pkt, .data_len = 20), &res, &d),
		     -EFAULT);
	cr_assert(strstr(d.msg, "writes a read-only field of the context"), "%s", d.msg);
	cr_assert_eq(bk_vm_run(ifx, BK_OPTS(bk_vm_run_opts, .data = pkt, .data_len = 20,
					    .ifindex = 7), &res, &d), 0);
	cr_assert_eq(res.r0, 7);
	bk_vm_prog_free(wide);
	bk_vm_prog_free(wr);
	bk_vm_prog_free(ifx);
	bk_vm_free(vm);
}

Test(vm_mem, socket_filter_context_and_legacy_loads)
{
	struct bk_vm *vm = bk_vm_new();
	/* len + protocol (be16 as stored) + cb round trip + ld_abs of the IP version */
	struct bk_vm_prog *p = vt_load(vm,
				       "r6 = r1\n"
				       "r2 = *(u32 *)(r6 + 0)\n"
				       "r3 = *(u32 *)(r6 + 16)\n"
				       "*(u32 *)(r6 + 48) = 9\n"
				       "r4 = *(u32 *)(r6 + 48)\n"
				       "r0 = *(u8 *)skb[0]\n"
				       "r0 += r2\n"
				       "r0 += r4\n"
				       "if r3 != 0x8 goto +1\n"
				       "r0 += 1000\n"
				       "exit\n",
				       BK_VM_SOCKET_FILTER);
	struct bk_vm_prog *miss = vt_load(vm, "r6 = r1\nr0 = *(u32 *)skb[100]\nr0 = 5\nexit\n",
					  BK_VM_SOCKET_FILTER);
	uint8_t pkt[34] = { [12] = 8, [13] = 0, [14] = 0x45 };
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = pkt, .data_len = 34), &res, &d), 0,
		     "%s", d.msg);
	cr_assert_eq(res.r0, 0x45 + 20 + 9 + 1000, "skb data starts after the Ethernet header");
	/* out of the packet: the program ends with r0 = 0, as in the kernel */
	cr_assert_eq(bk_vm_run(miss, BK_OPTS(bk_vm_run_opts, .data = pkt, .data_len = 34), &res,
			       &d), 0);
	cr_assert_eq(res.r0, 0);
	bk_vm_prog_free(p);
	bk_vm_prog_free(miss);
	bk_vm_free(vm);
}
