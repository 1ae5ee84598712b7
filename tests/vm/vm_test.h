/* SPDX-License-Identifier: MIT */
/* Shared by the VM's tests: assemble LLVM-syntax text, load it, run it. */
#ifndef BK_VM_TEST_H
#define BK_VM_TEST_H

#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/asm.h>
#include <bpfkit/vm.h>

/* Assemble text for vm (maps by name resolve to the VM's); *n gets the count. */
static inline struct bk_insn *vt_asm(struct bk_vm *vm, const char *text, size_t *n)
{
	struct bk_insn *insns = NULL;
	struct bk_diag d;

	cr_assert_eq(bk_asm(text, strlen(text),
			    BK_OPTS(bk_asm_opts, .dialect = BK_DIALECT_LLVM, .map_fd = bk_vm_map_ref,
				    .map_ctx = vm),
			    &insns, n, &d),
		     0, "asm: %s", d.msg);
	return insns;
}

/* Load text as a program of type into vm, asserting success. */
static inline struct bk_vm_prog *vt_load(struct bk_vm *vm, const char *text,
					 enum bk_vm_prog_type type)
{
	size_t n;
	struct bk_insn *insns = vt_asm(vm, text, &n);
	struct bk_diag d;
	struct bk_vm_prog *p = bk_vm_load(vm, insns, n, BK_OPTS(bk_vm_load_opts, .type = type), &d);

	cr_assert_not_null(p, "load: insn %u: %s", d.index, d.msg);
	free(insns);
	return p;
}

/* Load text and expect the loader to refuse it at index with msg. */
static inline void vt_refused(struct bk_vm *vm, const char *text, enum bk_vm_prog_type type,
			      unsigned index, const char *msg)
{
	size_t n;
	struct bk_insn *insns = vt_asm(vm, text, &n);
	struct bk_diag d;

	errno = 0;
	cr_assert_null(bk_vm_load(vm, insns, n, BK_OPTS(bk_vm_load_opts, .type = type), &d),
		       "'%s' was accepted", text);
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(d.msg, msg);
	cr_assert_eq(d.index, index, "index %u for %s", d.index, d.msg);
	free(insns);
}

/* Run raw text with mem in r1/r2; returns r0, asserting the run succeeded. */
static inline uint64_t vt_r0(const char *text, void *mem, size_t len)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, text, BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = len), &res, &d),
		     0, "run: insn %u: %s", d.index, d.msg);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
	return res.r0;
}

/* Run raw text and expect it to fail with err at index, msg starting with prefix. */
static inline void vt_fails(const char *text, void *mem, size_t len, int err, unsigned index,
			    const char *prefix)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, text, BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	errno = 0;
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = len), &res, &d),
		     err, "expected %d for '%s' (%s)", err, text, d.msg);
	cr_assert_eq(errno, -err);
	cr_assert_eq(d.err, err);
	cr_assert_eq(d.index, index, "index %u: %s", d.index, d.msg);
	cr_assert_eq(strncmp(d.msg, prefix, strlen(prefix)), 0, "'%s' does not start with '%s'",
		     d.msg, prefix);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

#endif /* BK_VM_TEST_H */
