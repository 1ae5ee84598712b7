// SPDX-License-Identifier: MIT
/* The loader: the shared validator's verdicts, the VM's own rules, and
 * every row of the instruction table decoded (each runs or is refused). */
#include <stdlib.h>

#include <bpfkit/insn.h>

#include "vm_test.h"

Test(vm_load, validator_verdicts_are_shared)
{
	struct bk_vm *vm = bk_vm_new();
	const struct bk_insn bad[] = { BK_MOV64_IMM(BK_R0, 0), BK_RAW_INSN(0xff, 0, 0, 0, 0),
				       BK_EXIT() };
	const struct bk_insn fall[] = { BK_MOV64_IMM(BK_R0, 0) };
	const struct bk_insn wild[] = { BK_JA(5), BK_EXIT() };
	struct bk_diag d, v;

	cr_assert_null(bk_vm_load(vm, bad, 3, NULL, &d));
	cr_assert_eq(bk_insn_validate(bad, 3, &v), -EINVAL);
	cr_assert_str_eq(d.msg, v.msg);
	cr_assert_eq(d.index, 1);
	cr_assert_null(bk_vm_load(vm, fall, 1, NULL, &d));
	cr_assert_str_eq(d.msg, "the last instruction is MOV64_IMM; it must be exit or an "
				"unconditional jump");
	cr_assert_null(bk_vm_load(vm, wild, 2, NULL, &d));
	cr_assert_eq(bk_insn_validate(wild, 2, &v), -EINVAL);
	cr_assert_str_eq(d.msg, v.msg);
	cr_assert_null(bk_vm_load(vm, NULL, 0, NULL, &d));
	cr_assert_str_eq(d.msg, "the program is empty");
	bk_vm_free(vm);
}

Test(vm_load, vm_rules)
{
	struct bk_vm *vm = bk_vm_new();

	vt_refused(vm, "r0 = 0\nr10 = 1\nexit\n", BK_VM_RAW, 1,
		   "MOV64_IMM writes r10, the read-only frame pointer");
	vt_refused(vm, "r0 = 0\nr10 = atomic_fetch_add((u64 *)(r1 + 0), r10)\nexit\n", BK_VM_RAW, 1,
		   "ATOMIC64_FETCH_ADD writes r10, the read-only frame pointer");
	vt_refused(vm, "call 9999\nexit\n", BK_VM_RAW, 0,
		   "call of helper 9999: the VM has no such helper");
	vt_refused(vm, "r0 = *(u64 *)(r10 + 0)\nexit\n", BK_VM_RAW, 0,
		   "stack access of 8 bytes at r10+0 is outside the 512-byte frame");
	vt_refused(vm, "*(u32 *)(r10 - 516) = 1\nexit\n", BK_VM_RAW, 0,
		   "stack access of 4 bytes at r10-516 is outside the 512-byte frame");
	vt_refused(vm, "*(u64 *)(r10 - 12) = r1\nexit\n", BK_VM_RAW, 0,
		   "stack access of 8 bytes at r10-12 is misaligned");
	vt_refused(vm, "r0 = *(u8 *)skb[0]\nexit\n", BK_VM_XDP, 0,
		   "LD_ABS_B is not allowed in XDP programs");
	bk_vm_free(vm);
}

Test(vm_load, kernel_object_references)
{
	struct bk_vm *vm = bk_vm_new();
	const struct bk_insn kfunc[] = { BK_RAW_INSN(BK_JMP | BK_CALL, 0, 2, 0, 42), BK_EXIT() };
	const struct bk_insn btf[] = { BK_LD_BTF_ID(BK_R0, 7), BK_EXIT() };
	const struct bk_insn fd[] = { BK_LD_MAP_FD(BK_R1, 3), BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	const struct bk_insn val[] = { BK_LD_MAP_VALUE(BK_R1, 1, 8), BK_MOV64_IMM(BK_R0, 0),
				       BK_EXIT() };
	struct bk_diag d;

	cr_assert_null(bk_vm_load(vm, kfunc, 2, NULL, &d));
	cr_assert_str_eq(d.msg, "kfunc calls are not supported by the VM");
	cr_assert_null(bk_vm_load(vm, btf, 3, NULL, &d));
	cr_assert_str_eq(d.msg, "LD_BTF_ID is not supported by the VM (no kernel objects)");
	cr_assert_null(bk_vm_load(vm, fd, 4, NULL, &d));
	cr_assert_str_eq(d.msg, "LD_MAP_FD: 3 is not a map of this VM (see bk_vm_map_ref)");
	cr_assert_not_null(bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "a", 4, 8, 2));
	cr_assert_null(bk_vm_load(vm, val, 4, NULL, &d));
	cr_assert_str_eq(d.msg, "LD_MAP_VALUE: map a is not an array or offset 8 is past its "
				"value size");
	bk_vm_free(vm);
}

Test(vm_load, map_value_address_is_direct)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *m = bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "cfg", 4, 16, 1);
	const struct bk_insn code[] = { BK_LD_MAP_VALUE(BK_R1, bk_vm_map_ref(vm, "cfg"), 8),
					BK_LDX_MEM(BK_DW, BK_R0, BK_R1, 0), BK_EXIT() };
	struct bk_vm_prog *p = bk_vm_load(vm, code, 4, NULL, NULL);
	uint32_t k = 0;
	uint64_t v[2] = { 1, 42 };
	struct bk_vm_result res;

	cr_assert_not_null(p);
	cr_assert_eq(bk_vm_map_update(m, &k, v, BK_VM_ANY), 0);
	cr_assert_eq(bk_vm_run(p, NULL, &res, NULL), 0);
	cr_assert_eq(res.r0, 42);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

/* Every row of the table loads (or is refused with a reason) and, when it
 * loads, runs to a clean end: the decoder knows every instruction. */
Test(vm_load, every_row_of_the_table)
{
	struct bk_vm *vm = bk_vm_new();
	size_t rows;
	const struct bk_insn_info *t = bk_insn_table(&rows);
	uint64_t mem[8] = { 0 };

	for (size_t i = 0; i < rows; i++) {
		struct bk_insn p[8] = { 0 };
		struct bk_decoded d = { .info = &t[i], .dst = 1, .src = 2, .off = 0, .imm = 0 };
		struct bk_diag diag;
		struct bk_vm_prog *prog;
		struct bk_vm_result res;
		size_t n = 0;
		int w;

		if (t[i].shape == BK_SHAPE_END)
			d.imm = t[i].dval;
		if (t[i].shape == BK_SHAPE_MOVSX)
			d.off = (int16_t)t[i].dval;
		/* r1 = mem, r2 = 3: every operand shape stays in bounds */
		p[n++] = bk_insn_mov64_imm(BK_R2, 3);
		w = bk_insn_encode(&t[i], &d, &p[n]);
		cr_assert_gt(w, 0, "%s", t[i].name);
		n += (size_t)w;
		p[n++] = bk_insn_exit();
		prog = bk_vm_load(vm, p, n, NULL, &diag);
		if (!prog) {
			cr_assert(diag.msg[0], "%s refused without a reason", t[i].name);
			continue;
		}
		cr_assert_geq(bk_vm_run(prog, BK_OPTS(bk_vm_run_opts, .data = mem,
						      .data_len = sizeof(mem)), &res, &diag) == 0 ||
			      diag.msg[0], 1, "%s", t[i].name);
		bk_vm_prog_free(prog);
	}
	bk_vm_free(vm);
}
