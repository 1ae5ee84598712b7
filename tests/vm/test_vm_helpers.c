// SPDX-License-Identifier: MIT
/* The helper registry, embedder helpers touching guest memory only through
 * bk_vm_env_mem, callx, and the built-ins that do not involve maps. */
#include <stdio.h>
#include <stdlib.h>

#include "vm_test.h"

/* sum(r1: buffer, r2: length) of bytes, through the checked accessor */
static uint64_t h_sum(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	const uint8_t *p = bk_vm_env_mem(env, a[0], a[1], false);
	uint64_t s = 0;

	*(int *)user += 1;
	if (!p)
		return 0;
	for (uint64_t i = 0; i < a[1]; i++)
		s += p[i];
	return s;
}

static uint64_t h_fail(struct bk_vm_env *env, const uint64_t a[5], void *user)
{
	(void)a, (void)user;
	bk_vm_env_fail(env, -EPERM, "not today (%d)", 3);
	return 0;
}

Test(vm_helpers, registry)
{
	struct bk_vm *vm = bk_vm_new();
	int calls = 0;

	cr_assert_eq(bk_vm_helper_by_name(vm, "bpf_map_lookup_elem"), 1);
	cr_assert_eq(bk_vm_helper_by_name(vm, "ringbuf_output"), 130);
	cr_assert_eq(bk_vm_helper_by_name(vm, "sum"), -ENOENT);
	cr_assert_eq(bk_vm_helper_register(vm, 1000, "sum", h_sum, &calls), 0);
	cr_assert_eq(bk_vm_helper_by_name(vm, "sum"), 1000);
	cr_assert_eq(bk_vm_helper_register(vm, 1001, "sum", h_sum, NULL), -EEXIST);
	cr_assert_eq(bk_vm_helper_register(vm, -1, "x", h_sum, NULL), -EINVAL);
	cr_assert_eq(bk_vm_helper_register(vm, 70000, "x", h_sum, NULL), -EINVAL);
	cr_assert_eq(bk_vm_helper_register(vm, 5, "x", NULL, NULL), -EINVAL);
	/* replacing an id keeps it sorted and findable */
	cr_assert_eq(bk_vm_helper_register(vm, 5, "my_clock", h_sum, &calls), 0);
	cr_assert_eq(bk_vm_helper_by_name(vm, "my_clock"), 5);
	cr_assert_eq(bk_vm_helper_by_name(vm, "ktime_get_ns"), -ENOENT);
	bk_vm_free(vm);
}

Test(vm_helpers, embedder_helper_reads_guest_memory_safely)
{
	struct bk_vm *vm = bk_vm_new();
	int calls = 0;
	struct bk_vm_prog *ok, *bad;
	uint8_t mem[4] = { 1, 2, 3, 4 };
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_helper_register(vm, 1000, "sum", h_sum, &calls), 0);
	ok = vt_load(vm, "call 1000\nexit\n", BK_VM_RAW);
	bad = vt_load(vm, "r2 = 5\ncall 1000\nexit\n", BK_VM_RAW);
	cr_assert_eq(bk_vm_run(ok, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = 4), &res, &d),
		     0);
	cr_assert_eq(res.r0, 10);
	cr_assert_eq(bk_vm_run(bad, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = 4), &res, &d),
		     -EFAULT);
	cr_assert_eq(d.index, 1);
	cr_assert(strstr(d.msg, "helper read of 5 bytes at"), "%s", d.msg);
	cr_assert_eq(calls, 2);
	bk_vm_prog_free(ok);
	bk_vm_prog_free(bad);
	bk_vm_free(vm);
}

Test(vm_helpers, helper_failure_stops_the_run)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p;
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_helper_register(vm, 2000, "refuse", h_fail, NULL), 0);
	p = vt_load(vm, "r0 = 1\ncall 2000\nr0 = 2\nexit\n", BK_VM_RAW);
	cr_assert_eq(bk_vm_run(p, NULL, &res, &d), -EPERM);
	cr_assert_str_eq(d.msg, "helper refuse: not today (3)");
	cr_assert_eq(d.index, 1);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_helpers, callx_calls_a_helper_by_id_in_a_register)
{
	struct bk_vm *vm = bk_vm_new();
	int calls = 0;
	struct bk_vm_prog *p;
	uint8_t mem[3] = { 5, 5, 5 };
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_helper_register(vm, 1000, "sum", h_sum, &calls), 0);
	p = vt_load(vm, "r5 = 1000\ncallx r5\nexit\n", BK_VM_RAW);
	cr_assert_eq(bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = mem, .data_len = 3), &res, &d), 0);
	cr_assert_eq(res.r0, 15);
	bk_vm_prog_free(p);
	p = vt_load(vm, "r5 = 77777\ncallx r5\nexit\n", BK_VM_RAW);
	cr_assert_eq(bk_vm_run(p, NULL, &res, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "callx r5: 0x12fd1 is not a helper id");
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

static char logged[256];

static void log_fn(enum bk_log_level level, void *ctx, const char *msg)
{
	(void)ctx;
	if (level == BK_LOG_INFO)
		snprintf(logged, sizeof(logged), "%s", msg);
}

Test(vm_helpers, trace_printk_goes_to_the_log)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm,
				       "r1 = 0x0a7525203a782520 ll\n" /* " %x: %u\n" */
				       "*(u64 *)(r10 - 16) = r1\n"
				       "r1 = 0x2064252074 ll\n"	/* "t %d " */
				       "*(u64 *)(r10 - 8) = r1\n"
				       "r1 = r10\n"
				       "r1 += -16\n"
				       "r2 = 16\n"
				       "r3 = 255\n"
				       "r4 = -1\n"
				       "call bpf_trace_printk\n"
				       "exit\n",
				       BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	bk_set_log(log_fn, NULL);
	cr_assert_eq(bk_vm_run(p, NULL, &res, &d), 0, "%s", d.msg);
	bk_set_log(NULL, NULL);
	cr_assert_str_eq(logged, " ff: 4294967295\nt 0 ");
	cr_assert_eq(res.r0, strlen(logged));
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_helpers, prandom_is_reproducible_by_seed)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "call bpf_get_prandom_u32\nexit\n", BK_VM_RAW);
	struct bk_vm_result a, b, c;

	bk_vm_seed(vm, 42);
	cr_assert_eq(bk_vm_run(p, NULL, &a, NULL), 0);
	cr_assert_eq(bk_vm_run(p, NULL, &c, NULL), 0);
	bk_vm_seed(vm, 42);
	cr_assert_eq(bk_vm_run(p, NULL, &b, NULL), 0);
	cr_assert_eq(a.r0, b.r0);
	cr_assert_neq(a.r0, c.r0);
	cr_assert_leq(a.r0, UINT32_MAX);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_helpers, ktime_is_monotonic)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = vt_load(vm, "call bpf_ktime_get_ns\nr6 = r0\ncall bpf_ktime_get_ns\n"
				       "r0 -= r6\nexit\n", BK_VM_RAW);
	struct bk_vm_result res;

	cr_assert_eq(bk_vm_run(p, NULL, &res, NULL), 0);
	cr_assert_lt(res.r0, 1000000000ull, "a small non-negative difference");
	bk_vm_prog_free(p);
	bk_vm_free(vm);
}

Test(vm_helpers, trace_printk_refuses_bad_formats)
{
	struct bk_vm *vm = bk_vm_new();
	/* "%z" and then "%d%d%d%d" (four conversions, three arguments at most) */
	struct bk_vm_prog *bad = vt_load(vm, "*(u32 *)(r10 - 8) = 0x7a25\nr1 = r10\nr1 += -8\n"
					 "r2 = 3\ncall bpf_trace_printk\nexit\n", BK_VM_RAW);
	struct bk_vm_prog *many = vt_load(vm, "r1 = 0x6425642564256425 ll\n*(u64 *)(r10 - 8) = r1\n"
					  "r1 = r10\nr1 += -8\nr2 = 8\ncall bpf_trace_printk\n"
					  "exit\n", BK_VM_RAW);
	struct bk_vm_prog *wild = vt_load(vm, "r1 = 16\nr2 = 8\ncall bpf_trace_printk\nexit\n",
					  BK_VM_RAW);
	struct bk_vm_result res;
	struct bk_diag d;

	cr_assert_eq(bk_vm_run(bad, NULL, &res, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "helper trace_printk: bad or too many conversions in the format");
	cr_assert_eq(d.index, 4);
	cr_assert_eq(bk_vm_run(many, NULL, &res, &d), -EINVAL);
	cr_assert_str_eq(d.msg, "helper trace_printk: bad or too many conversions in the format");
	cr_assert_eq(bk_vm_run(wild, NULL, &res, &d), -EFAULT);
	cr_assert_str_eq(d.msg, "helper read of 8 bytes at 0x10 is outside every region the "
				"program may touch");
	bk_vm_prog_free(bad);
	bk_vm_prog_free(many);
	bk_vm_prog_free(wild);
	bk_vm_free(vm);
}
