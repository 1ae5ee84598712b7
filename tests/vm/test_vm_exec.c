// SPDX-License-Identifier: MIT
/* The interpreter: every class of instruction, the undefined cases the way
 * the kernel's JIT defines them, calls and frames, the budget and the count. */
#include <stdint.h>
#include <stdlib.h>

#include "vm_test.h"

Test(vm_exec, alu64_and_alu32)
{
	cr_assert_eq(vt_r0("r0 = 7\nr1 = 5\nr0 += r1\nr0 *= 3\nr0 -= 1\nexit\n", NULL, 0), 35);
	/* 32-bit operations zero-extend */
	cr_assert_eq(vt_r0("r0 = -1\nw0 += 1\nexit\n", NULL, 0), 0);
	cr_assert_eq(vt_r0("r0 = -1\nw0 = w0\nexit\n", NULL, 0), 0xffffffffu);
	cr_assert_eq(vt_r0("r0 = -2\nw0 = -w0\nexit\n", NULL, 0), 2);
	cr_assert_eq(vt_r0("r0 = 0x0f\nr0 |= 0xf0\nr0 &= 0x3c\nr0 ^= 0xff\nexit\n", NULL, 0), 0xc3);
	/* 64-bit immediates are sign-extended, 32-bit ones are not */
	cr_assert_eq(vt_r0("r0 = 0\nr0 += -1\nexit\n", NULL, 0), UINT64_MAX);
	cr_assert_eq(vt_r0("r0 = 0\nw0 += -1\nexit\n", NULL, 0), 0xffffffffu);
	cr_assert_eq(vt_r0("r0 = 0x1122334455667788 ll\nexit\n", NULL, 0), 0x1122334455667788ull);
}

Test(vm_exec, shifts_mask_their_amount_like_the_jit)
{
	cr_assert_eq(vt_r0("r0 = 1\nr1 = 68\nr0 <<= r1\nexit\n", NULL, 0), 0x10);
	cr_assert_eq(vt_r0("r0 = 1\nr1 = -60\nr0 <<= r1\nexit\n", NULL, 0), 0x10);
	cr_assert_eq(vt_r0("r0 = 1\nw1 = 36\nw0 <<= w1\nexit\n", NULL, 0), 0x10);
	cr_assert_eq(vt_r0("r0 = -1\nw0 >>= 8\nexit\n", NULL, 0), 0x00ffffff);
	cr_assert_eq(vt_r0("r0 = -16\nr0 s>>= 2\nexit\n", NULL, 0), (uint64_t)-4);
	cr_assert_eq(vt_r0("r0 = -16\nw0 s>>= 2\nexit\n", NULL, 0), 0xfffffffcu);
}

Test(vm_exec, division_by_zero_and_overflow_like_the_jit)
{
	cr_assert_eq(vt_r0("r0 = 9\nr1 = 0\nr0 /= r1\nexit\n", NULL, 0), 0);
	cr_assert_eq(vt_r0("r0 = 9\nr1 = 0\nr0 %= r1\nexit\n", NULL, 0), 9);
	cr_assert_eq(vt_r0("r0 = -1\nw1 = 0\nw0 %= w1\nexit\n", NULL, 0), 0xffffffffu);
	cr_assert_eq(vt_r0("r0 = -7\nr1 = 0\nr0 s/= r1\nexit\n", NULL, 0), 0);
	cr_assert_eq(vt_r0("r0 = -7\nr1 = 0\nr0 s%= r1\nexit\n", NULL, 0), (uint64_t)-7);
	cr_assert_eq(vt_r0("r0 = 1\nr0 <<= 63\nr1 = -1\nr0 s/= r1\nexit\n", NULL, 0),
		     0x8000000000000000ull);
	cr_assert_eq(vt_r0("r0 = 1\nr0 <<= 63\nr1 = -1\nr0 s%= r1\nexit\n", NULL, 0), 0);
	cr_assert_eq(vt_r0("w0 = 0x80000000\nw0 s/= -1\nexit\n", NULL, 0), 0x80000000u);
	cr_assert_eq(vt_r0("r0 = -7\nr0 s/= 2\nexit\n", NULL, 0), (uint64_t)-3);
	cr_assert_eq(vt_r0("r0 = -7\nr0 s%= 2\nexit\n", NULL, 0), (uint64_t)-1);
	cr_assert_eq(vt_r0("r0 = -7\nr0 /= 2\nexit\n", NULL, 0), 0x7ffffffffffffffcull);
}

Test(vm_exec, movsx_bswap_and_endianness)
{
	cr_assert_eq(vt_r0("r1 = 0x80\nr0 = (s8)r1\nexit\n", NULL, 0), (uint64_t)-128);
	cr_assert_eq(vt_r0("r1 = 0x8000\nw0 = (s16)w1\nexit\n", NULL, 0), 0xffff8000u);
	cr_assert_eq(vt_r0("r1 = 0x80000000 ll\nr0 = (s32)r1\nexit\n", NULL, 0),
		     0xffffffff80000000ull);
	cr_assert_eq(vt_r0("r0 = 0x11223344\nr0 = bswap16 r0\nexit\n", NULL, 0), 0x4433);
	cr_assert_eq(vt_r0("r0 = 0x11223344\nr0 = be32 r0\nexit\n", NULL, 0), 0x44332211);
	cr_assert_eq(vt_r0("r0 = 0x1122334455667788 ll\nr0 = le32 r0\nexit\n", NULL, 0),
		     0x55667788);
	cr_assert_eq(vt_r0("r0 = 0x1122334455667788 ll\nr0 = bswap64 r0\nexit\n", NULL, 0),
		     0x8877665544332211ull);
}

Test(vm_exec, jumps_signed_unsigned_and_32_bit)
{
	cr_assert_eq(vt_r0("r0 = 0\nr1 = -1\nif r1 s< 0 goto +1\nexit\nr0 = 1\nexit\n", NULL, 0), 1);
	cr_assert_eq(vt_r0("r0 = 0\nr1 = -1\nif r1 < 0 goto +1\nexit\nr0 = 1\nexit\n", NULL, 0), 0);
	/* JMP32 looks only at the low halves */
	cr_assert_eq(vt_r0("r0 = 0\nr1 = 0x100000000 ll\nif w1 == 0 goto +1\nexit\nr0 = 1\nexit\n",
			   NULL, 0), 1);
	cr_assert_eq(vt_r0("r0 = 0\nr1 = 6\nif r1 & 4 goto +1\nexit\nr0 = 1\nexit\n", NULL, 0), 1);
	cr_assert_eq(vt_r0("r0 = 0\ngotol +1\nr0 = 5\nexit\n", NULL, 0), 0);
}

Test(vm_exec, stack_and_memory)
{
	uint8_t mem[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 0xff };

	cr_assert_eq(vt_r0("r0 = *(u64 *)(r1 + 0)\nexit\n", mem, sizeof(mem)), 0x0807060504030201ull);
	cr_assert_eq(vt_r0("r0 = *(s8 *)(r1 + 8)\nexit\n", mem, sizeof(mem)), (uint64_t)-1);
	cr_assert_eq(vt_r0("r0 = *(u8 *)(r1 + 8)\nexit\n", mem, sizeof(mem)), 0xff);
	cr_assert_eq(vt_r0("*(u32 *)(r10 - 4) = -1\nr0 = *(s32 *)(r10 - 4)\nexit\n", NULL, 0),
		     (uint64_t)-1);
	cr_assert_eq(vt_r0("r2 = r10\nr2 += -16\n*(u64 *)(r2 + 8) = 77\nr0 = *(u64 *)(r10 - 8)\n"
			   "exit\n", NULL, 0), 77);
	/* the stack starts zeroed in every run */
	cr_assert_eq(vt_r0("r0 = *(u64 *)(r10 - 512)\nexit\n", NULL, 0), 0);
	cr_assert_eq(vt_r0("*(u16 *)(r1 + 10) = 0x1234\nr0 = *(u16 *)(r1 + 10)\nexit\n", mem,
			   sizeof(mem)), 0x1234);
	cr_assert_eq(mem[10], 0x34);
}

Test(vm_exec, atomics)
{
	uint64_t m[2] = { 10, 0xffffffff00000005ull };

	cr_assert_eq(vt_r0("r2 = 5\nlock *(u64 *)(r1 + 0) += r2\nr0 = *(u64 *)(r1 + 0)\nexit\n", m,
			   sizeof(m)), 15);
	cr_assert_eq(vt_r0("r2 = 1\nr2 = atomic_fetch_add((u64 *)(r1 + 0), r2)\nr0 = r2\nexit\n",
			   m, sizeof(m)), 15);
	cr_assert_eq(m[0], 16);
	/* 32-bit fetch zero-extends the old value into src */
	cr_assert_eq(vt_r0("r2 = -1\nw2 = atomic_fetch_or((u32 *)(r1 + 8), w2)\nr0 = r2\nexit\n", m,
			   sizeof(m)), 5);
	cr_assert_eq(vt_r0("r0 = 16\nr2 = 99\nr0 = cmpxchg_64(r1 + 0, r0, r2)\nexit\n", m,
			   sizeof(m)), 16);
	cr_assert_eq(m[0], 99);
	cr_assert_eq(vt_r0("r0 = 1\nr2 = 7\nr0 = cmpxchg_64(r1 + 0, r0, r2)\nexit\n", m, sizeof(m)),
		     99, "a failed cmpxchg loads the current value");
	cr_assert_eq(m[0], 99);
	cr_assert_eq(vt_r0("r2 = 3\nr2 = xchg_64(r1 + 0, r2)\nr0 = r2\nexit\n", m, sizeof(m)), 99);
	cr_assert_eq(vt_r0("r2 = 9\nstore_release((u64 *)(r1 + 0), r2)\n"
			   "r0 = load_acquire((u64 *)(r1 + 0))\nexit\n", m, sizeof(m)), 9);
}

Test(vm_exec, local_calls_keep_r6_to_r9_and_have_their_own_frame)
{
	const char *text = "r6 = 1\n*(u64 *)(r10 - 8) = 5\nr1 = 2\ncall f\n"
			   "r0 += r6\nr1 = *(u64 *)(r10 - 8)\nr0 += r1\nexit\n"
			   "f:\nr6 = 100\n*(u64 *)(r10 - 8) = 50\nr0 = r1\nr0 *= 10\nexit\n";

	cr_assert_eq(vt_r0(text, NULL, 0), 20 + 1 + 5);
}

Test(vm_exec, recursion_past_eight_frames_is_a_clean_error)
{
	vt_fails("call f\nexit\nf:\ncall f\nexit\n", NULL, 0, -E2BIG, 2,
		 "call nests deeper than 8 frames");
	/* seven nested calls (eight frames) fit */
	cr_assert_eq(vt_r0("r1 = 6\ncall f\nexit\nf:\nr0 = 0\nif r1 == 0 goto +3\nr1 += -1\n"
			   "call f\nr0 += 1\nexit\n", NULL, 0), 6);
}

Test(vm_exec, budget_stops_endless_loops)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "r0 = 0\nl:\nr0 += 1\ngoto l\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .budget = 1000), &res, &d), -ETIME);
	cr_assert_str_eq(d.msg, "the budget of 1000 instructions ran out");
	cr_assert_eq(d.index, 1);
	cr_assert_geq(res.insns, 1000);
	cr_assert_lt(res.insns, 1004);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_exec, may_goto_leaves_after_the_kernel_loop_count)
{
	cr_assert_eq(vt_r0("r0 = 0\nl:\nmay_goto +2\nr0 += 1\ngoto l\nexit\n", NULL, 0),
		     8u * 1024 * 1024);
}

Test(vm_exec, instruction_count_is_exact)
{
	struct bk_vm *vm = bk_vm_new();
	/* 2 + 4 * (3 iterations) - 1 not-taken ... counted by hand below */
	struct bk_vm_prog *p = vt_load(vm, "r0 = 0\nr1 = 3\nl:\nr0 += r1\nr1 += -1\n"
				       "if r1 != 0 goto l\nr2 = 1 ll\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;

	cr_assert_eq(bk_vm_run(p, NULL, &res, NULL), 0);
	cr_assert_eq(res.r0, 6);
	/* 2 moves, 3 x 3 loop slots, ld_imm64 (2 slots), exit */
	cr_assert_eq(res.insns, 2 + 9 + 2 + 1);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_exec, conformance_raw_pair_in_r1_r2)
{
	uint8_t mem[5] = { 0 };

	cr_assert_eq(vt_r0("r0 = r2\nexit\n", mem, sizeof(mem)), 5);
	cr_assert_eq(vt_r0("r0 = r1\nexit\n", NULL, 0), 0);
}
