// SPDX-License-Identifier: MIT
/*
 * CO-RE candidates: flavors, the main target before module targets, the
 * per-type candidate cache narrowed as libbpf narrows it, and the index over
 * the running kernel's vmlinux BTF, checked against bpftool's dump of it.
 */
#include <linux/bpf.h>
#include <stddef.h>

#include <criterion/criterion.h>

#include "core_test.h"
#include "core_progs/core_target.h"
#include "../../src/elf/core_int.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

TestSuite(core_cands, .init = ct_open_both, .fini = ct_close_both);

/* Relocate section sec of o with the given candidate index; the relocated
 * instruction of its one record. */
static struct bk_insn reloc_with(const struct ct_obj *o, const char *sec, struct bk__core_cands *c,
				 struct ct_poison *p)
{
	const struct bk__ext_info *relos = bk__btf_ext_find(o->ext, BK__EXT_CORE, sec);
	struct bk_diag d = { 0 };
	struct bk_insn *insns, r;
	size_t n, at = ct_only_relo_insn(o, sec);

	insns = ct_insns(o, sec, &n);
	cr_assert_eq(bk__core_relocate_sec(o->btf, relos, insns, n, c, ct_poison_cb, p, &d), 0,
		     "%s: %s", sec, d.msg);
	r = insns[at];
	free(insns);
	return r;
}

Test(core_cands, new_rejects_bad_targets)
{
	struct bk__core_target t = { NULL, 0 };

	cr_assert_null(bk__core_cands_new(&t, 1));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk__core_cands_new(NULL, 0));
	bk__core_cands_free(NULL);
}

Test(core_cands, module_targets_only_when_main_has_none)
{
	struct bk_btf *vm = bk_btf_load_file(VMLINUX, NULL);
	struct ct_poison p = { 0 };

	if (!vm)
		cr_skip_test("no %s", VMLINUX);
	{
		/* vmlinux has no core_a: the "module" (the target object) answers. */
		struct bk__core_target t[2] = { { vm, 0 }, { tg->btf, 5 } };
		struct bk__core_cands *c = bk__core_cands_new(t, 2);

		cr_assert(c);
		cr_expect_eq(reloc_with(lo, "s_ldx_x", c, &p).off, offsetof(struct core_a, x));
		bk__core_cands_free(c);
	}
	{
		/* The main target has core_a: another layout in a module is ignored. */
		struct bk__core_target t[2] = { { tg->btf, 0 }, { lo->btf, 5 } };
		struct bk__core_cands *c = bk__core_cands_new(t, 2);

		cr_assert(c);
		cr_expect_eq(reloc_with(lo, "s_ldx_x", c, &p).off, offsetof(struct core_a, x));
		bk__core_cands_free(c);
	}
	cr_expect_eq(p.calls, 0);
	bk_btf_free(vm);
}

Test(core_cands, cache_is_narrowed_like_libbpf)
{
	struct bk__core_target t = { tg->btf, 0 };
	struct bk__core_cands *c = bk__core_cands_new(&t, 1);
	struct ct_poison p = { 0 };

	cr_assert(c);
	/* a: both flavors match. b: only core_n___a. c then has no candidate left. */
	cr_expect_eq(reloc_with(lo, "s_narrow_a", c, &p).off, 0);
	cr_expect_eq(reloc_with(lo, "s_narrow_b", c, &p).off, offsetof(struct core_n___a, b));
	cr_expect_eq(reloc_with(lo, "s_narrow_c", c, &p).imm, 0);
	bk__core_cands_free(c);
	/* A fresh index still has core_n___b, which has c. */
	c = bk__core_cands_new(&t, 1);
	cr_expect_eq(reloc_with(lo, "s_narrow_c", c, &p).imm, 1);
	bk__core_cands_free(c);
}

/* Kinds left out of the index (functions, variables...) are still found. */
Test(core_cands, variable_as_relocation_root)
{
	const struct bk__ext_info *relos = bk__btf_ext_find(lo->ext, BK__EXT_CORE, "s_type_exists_a");
	int var = bk_btf_find(lo->btf, "g_var_root", BK_BTF_KIND_VAR);
	int local_a = bk_btf_find(lo->btf, "core_a", BK_BTF_KIND_STRUCT);
	struct bk__core_target t = { tg->btf, 0 };
	struct bk__core_cands *c = bk__core_cands_new(&t, 1);
	struct bk__core_relo_rec r;
	struct bk__ext_info info;
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn insn[2] = { { .code = 0xb7 }, { .code = 0x95 } };

	cr_assert(relos && var > 0 && local_a > 0 && c);
	memcpy(&r, relos->recs, sizeof(r)); /* access string "0" */
	r.insn_off = 0;
	r.type_id = (uint32_t)var;
	r.kind = 1; /* byte_sz of the whole variable */
	insn[0].imm = (int32_t)bk__core_resolve_size(lo->btf, (uint32_t)local_a);
	info = *relos;
	info.recs = (const uint8_t *)&r;
	info.nrec = 1;
	cr_assert_eq(bk__core_relocate_sec(lo->btf, &info, insn, 2, c, ct_poison_cb, &p, &d), 0,
		     "%s", d.msg);
	cr_expect_eq(p.calls, 0, "%s", p.what);
	cr_expect_eq(insn[0].imm, sizeof(struct core_a));
	bk__core_cands_free(c);
}

/* ---- vmlinux ------------------------------------------------------------- */

/* bits_offset of member of struct sname in bpftool's raw dump, or -1. */
static long bpftool_member(const char *sname, const char *member)
{
	char cmd[512], want[96], *out = NULL, *p;
	long bits = -1;

	snprintf(cmd, sizeof(cmd),
		 "bpftool btf dump file " VMLINUX " format raw | "
		 "awk '/^\\[[0-9]+\\] STRUCT .%s. /{p=1;next} /^\\[/{p=0} p'",
		 sname);
	cr_assert_eq(bk_test_run(cmd, &out), 0);
	snprintf(want, sizeof(want), "'%s' type_id=", member);
	p = strstr(out, want);
	if (p && (p = strstr(p, "bits_offset=")))
		bits = strtol(p + strlen("bits_offset="), NULL, 10);
	free(out);
	return bits;
}

Test(core_cands, vmlinux_against_bpftool)
{
	struct bk_btf *vm = bk_btf_load_file(VMLINUX, NULL);
	struct bk__core_target t = { vm, 0 };
	struct bk__core_cands *c;
	struct ct_poison p = { 0 };
	struct ct_obj *o;
	struct bk_insn i;
	long bits;

	if (!vm)
		cr_skip_test("no %s", VMLINUX);
	BK_REQUIRE_TOOL("bpftool");
	o = ct_open("core_vmlinux");
	c = bk__core_cands_new(&t, 1);
	cr_assert(c);
	bits = bpftool_member("task_struct", "pid");
	cr_assert_gt(bits, 0);
	cr_expect_eq(reloc_with(o, "v_pid", c, &p).off, bits / 8);
	bits = bpftool_member("task_struct", "tgid");
	cr_expect_eq(reloc_with(o, "v_tgid", c, &p).off, bits / 8);
	bits = bpftool_member("task_struct", "comm");
	cr_expect_eq(reloc_with(o, "v_comm3", c, &p).off, bits / 8 + 3);
	bits = bpftool_member("task_struct", "real_parent");
	cr_expect_eq(reloc_with(o, "v_parent", c, &p).off, bits / 8);
	bits = bpftool_member("task_struct", "tasks");
	cr_expect_eq(reloc_with(o, "v_tasks_prev", c, &p).off, bits / 8 + 8);
	cr_expect_eq(reloc_with(o, "v_old_state", c, &p).imm, 0, "task_struct has __state now");
	i = reloc_with(o, "v_xdp_value", c, &p);
	cr_expect_eq(i.imm, BPF_PROG_TYPE_XDP, "uapi value, from the host's linux/bpf.h");
	cr_expect_eq(reloc_with(o, "v_bogus_exists", c, &p).imm, 0);
	cr_expect_eq(reloc_with(o, "v_list_head_size", c, &p).imm, 16);
	cr_expect_eq(reloc_with(o, "v_list_head_matches", c, &p).imm, 1);
	cr_expect_eq(p.calls, 0, "%s", p.what);
	bk__core_cands_free(c);
	ct_close(o);
	bk_btf_free(vm);
}
