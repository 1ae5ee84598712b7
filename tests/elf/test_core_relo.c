// SPDX-License-Identifier: MIT
/*
 * CO-RE driver: poisoning (what the instruction becomes, what the callback
 * is told), ambiguity, and every malformed record or instruction giving a
 * clean error that names the relocation and the instruction. Records are
 * the compiler's own (core_local.bpf.c), mutated one field at a time.
 */
#include <criterion/criterion.h>

#include <stddef.h>

#include "core_test.h"
#include "core_progs/core_target.h"

TestSuite(core_relo, .init = ct_open_both, .fini = ct_close_both);

static void assert_poisoned(const struct bk_insn *i)
{
	cr_assert_eq(i->code, 0x85, "poison is a call, got 0x%x", i->code);
	cr_assert_eq(i->imm, 195896080);
	cr_assert_eq(i->dst_reg, 0);
	cr_assert_eq(i->src_reg, 0);
	cr_assert_eq(i->off, 0);
}

/* Relocate sec, expect success with one poisoned instruction. */
static void expect_poison(const char *sec, const char *what_has)
{
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn *insns;
	size_t n, at = ct_only_relo_insn(lo, sec);

	cr_assert_eq(ct_relocate(lo, sec, tg->btf, &insns, &n, &p, &d), 0, "%s: %s", sec, d.msg);
	cr_assert_eq(p.calls, 1, "%s: poison callback calls", sec);
	cr_assert_eq(p.insn, at);
	cr_assert(strstr(p.what, "relo #0: "), "%s: %s", sec, p.what);
	cr_assert(strstr(p.what, what_has), "%s: \"%s\" lacks \"%s\"", sec, p.what, what_has);
	assert_poisoned(&insns[at]);
	if (at + 1 < n && strstr(sec, "enum_value"))
		assert_poisoned(&insns[at + 1]); /* the ld_imm64's second slot too */
	free(insns);
}

Test(core_relo, missing_fields_poison)
{
	expect_poison("s_off_missing", "byte_off struct core_a.missing: no matching field");
	expect_poison("s_ldx_missing", "struct core_a.missing");
	expect_poison("s_off_small5", "core_a.small[5]");
	expect_poison("s_gone", "struct core_gone.gone");
}

Test(core_relo, signed_field_resized_in_target_poisons)
{
	expect_poison("s_ldx_s16", "size changed");
}

Test(core_relo, missing_enumerator_poisons_both_ldimm64_slots)
{
	expect_poison("s_enum_value_gone", "enumval_value enum core_e.E_GONE");
}

Test(core_relo, ambiguous_flavors_are_an_error)
{
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn *insns;
	size_t n;
	int err = ct_relocate(lo, "s_ambiguous", tg->btf, &insns, &n, &p, &d);

	cr_assert_eq(err, -EINVAL);
	cr_assert(strstr(d.msg, "ambiguous"), "%s", d.msg);
	cr_assert(strstr(d.msg, "core_amb.a"), "%s", d.msg);
	cr_assert_eq(d.index, ct_only_relo_insn(lo, "s_ambiguous"));
	cr_assert(strstr(d.msg, "s_ambiguous: CO-RE relo #0"), "%s", d.msg);
	free(insns);
	err = ct_relocate(lo, "s_ambiguous_size", tg->btf, &insns, &n, &p, &d);
	cr_assert_eq(err, -EINVAL);
	cr_assert(strstr(d.msg, "give 4 and 8"), "%s", d.msg);
	free(insns);
}

Test(core_relo, offset_too_far_for_an_instruction)
{
	struct ct_poison p = { 0 };
	struct bk_diag d = { 0 };
	struct bk_insn *insns;
	size_t n;

	cr_assert_eq(ct_relocate(lo, "s_big", tg->btf, &insns, &n, &p, &d), -ERANGE);
	cr_assert(strstr(d.msg, "40000"), "%s", d.msg);
	free(insns);
}

/* ---- hand-mutated records and instructions ------------------------------ */

struct case_ {
	struct bk__core_relo_rec rec;
	struct bk__ext_info info;
	struct bk_insn insns[4];
	size_t n;
};

/* The one record and the instructions of sec, ready to be mutated. */
static void load_case(const char *sec, struct case_ *c)
{
	const struct bk__ext_info *relos = bk__btf_ext_find(lo->ext, BK__EXT_CORE, sec);
	struct bk_insn *insns;
	size_t n;

	cr_assert(relos && relos->nrec == 1);
	memcpy(&c->rec, relos->recs, sizeof(c->rec));
	insns = ct_insns(lo, sec, &n);
	cr_assert(n <= 4);
	memcpy(c->insns, insns, n * sizeof(*insns));
	free(insns);
	c->n = n;
	c->info.sec = sec;
	c->info.rec_size = sizeof(c->rec);
	c->info.nrec = 1;
	c->info.recs = (const uint8_t *)&c->rec;
}

static int run_case(struct case_ *c, struct bk_diag *d)
{
	struct bk__core_target t = { tg->btf, 0 };
	struct bk__core_cands *cands = bk__core_cands_new(&t, 1);
	int err;

	cr_assert(cands);
	err = bk__core_relocate_sec(lo->btf, &c->info, c->insns, c->n, cands, NULL, NULL, d);
	bk__core_cands_free(cands);
	return err;
}

static void expect_error(struct case_ *c, int want, const char *msg_has)
{
	struct bk_diag d = { 0 };
	int err = run_case(c, &d);

	cr_assert_eq(err, want, "got %d (%s), want %d", err, d.msg, want);
	cr_assert_eq(d.err, want);
	cr_assert(strstr(d.msg, msg_has), "\"%s\" lacks \"%s\"", d.msg, msg_has);
}

Test(core_relo, insn_offset_past_section)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.rec.insn_off = (uint32_t)c.n * 8;
	expect_error(&c, -EINVAL, "past the section");
}

Test(core_relo, insn_offset_misaligned)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.rec.insn_off = 4;
	expect_error(&c, -EINVAL, "multiple of 8");
}

Test(core_relo, access_string_out_of_range)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.rec.access_str_off = 0x7fffffff;
	expect_error(&c, -EINVAL, "outside the BTF strings");
}

Test(core_relo, access_string_not_fitting_kind)
{
	struct case_ c;

	load_case("s_off_x", &c); /* "0:0" */
	c.rec.kind = 8;		  /* type_exists wants "0" */
	expect_error(&c, -EINVAL, "access string");
}

Test(core_relo, unknown_kind)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.rec.kind = 99;
	expect_error(&c, -EINVAL, "access string");
}

Test(core_relo, bad_type_ids)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.rec.type_id = 0;
	expect_error(&c, -EINVAL, "type id 0");
	load_case("s_off_x", &c);
	c.rec.type_id = 1000000;
	expect_error(&c, -EINVAL, "type id 1000000");
}

Test(core_relo, anonymous_local_type)
{
	struct case_ c;
	uint32_t anon = 0;

	for (uint32_t id = 1; id <= bk_btf_type_count(lo->btf) && !anon; id++) {
		struct bk_btf_type t;

		if (bk_btf_type_by_id(lo->btf, id, &t) == 0 && t.kind == BK_BTF_KIND_STRUCT &&
		    !t.name[0])
			anon = id;
	}
	cr_assert(anon, "core_a has an anonymous struct member");
	load_case("s_off_x", &c);
	c.rec.type_id = anon;
	expect_error(&c, -EINVAL, "anonymous");
}

Test(core_relo, instruction_of_wrong_class)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.insns[0].code = 0x95; /* exit */
	expect_error(&c, -EINVAL, "cannot be relocated");
	load_case("s_off_x", &c);
	c.insns[0].code = 0xbf; /* mov r, r: no immediate */
	expect_error(&c, -EINVAL, "no immediate");
}

Test(core_relo, instruction_not_holding_local_value)
{
	struct case_ c;

	load_case("s_off_y", &c);
	c.insns[0].imm += 1;
	expect_error(&c, -EINVAL, "expected");
	load_case("s_ldx_y", &c);
	c.insns[0].off += 8;
	expect_error(&c, -EINVAL, "expected");
	load_case("s_enum_value_one", &c);
	c.insns[1].imm = 1;
	expect_error(&c, -EINVAL, "expected");
}

Test(core_relo, malformed_ldimm64)
{
	struct case_ c;

	load_case("s_enum_value_one", &c);
	c.insns[1].code = 0x07;
	expect_error(&c, -EINVAL, "ld_imm64");
	load_case("s_enum_value_one", &c);
	c.n = 1; /* second slot cut off */
	expect_error(&c, -EINVAL, "ld_imm64");
	load_case("s_enum_value_gone", &c);
	c.n = 1; /* even when poisoning */
	expect_error(&c, -EINVAL, "ld_imm64");
}

Test(core_relo, load_size_mismatch)
{
	struct case_ c;

	load_case("s_ldx_u16", &c);
	c.insns[0].code = 0x71; /* a byte load of a u16 field that grows */
	expect_error(&c, -EINVAL, "accesses 1 bytes");
}

Test(core_relo, store_immediate_is_relocated)
{
	struct case_ c;
	struct bk_diag d = { 0 };

	load_case("s_stx_x", &c);
	c.insns[0].code = 0x62; /* *(u32 *)(r1 + off) = imm */
	c.insns[0].imm = 9;
	cr_assert_eq(run_case(&c, &d), 0, "%s", d.msg);
	cr_assert_eq(c.insns[0].off, offsetof(struct core_a, x));
	cr_assert_eq(c.insns[0].imm, 9);
}

Test(core_relo, type_id_local_not_validated)
{
	struct case_ c;
	struct bk_diag d = { 0 };

	load_case("s_type_id_local", &c);
	c.insns[0].imm = 12345; /* linking may have renumbered it */
	cr_assert_eq(run_case(&c, &d), 0, "%s", d.msg);
	cr_assert_eq(c.insns[0].imm, (int32_t)c.rec.type_id);
}

Test(core_relo, short_record_size)
{
	struct case_ c;

	load_case("s_off_x", &c);
	c.info.rec_size = 12;
	expect_error(&c, -EINVAL, "malformed");
}

Test(core_relo, null_poison_callback_still_poisons)
{
	struct case_ c;
	struct bk_diag d = { 0 };

	load_case("s_off_missing", &c);
	cr_assert_eq(run_case(&c, &d), 0, "%s", d.msg);
	assert_poisoned(&c.insns[0]);
}

/* ---- differential: the same objects relocated by libbpf ------------------ */

/* Build core_progs/libbpf_dump.c (test-only, links libbpf) next to the
 * cached objects; its path into out. */
static void build_dump_tool(char *out, size_t size)
{
	char obj[512], cmd[4096], *log = NULL;

	BK_REQUIRE_TOOL("cc");
	ct_compile("core_target", obj, sizeof(obj)); /* makes the cache directory */
	snprintf(out, size, "%.*s/libbpf_dump", (int)(strrchr(obj, '/') - obj), obj);
	snprintf(cmd, sizeof(cmd),
		 "cc -O1 -o '%s.%d' '%s/tests/elf/core_progs/libbpf_dump.c' -lbpf 2>&1 && "
		 "mv '%s.%d' '%s'",
		 out, (int)getpid(), bk_test_srcdir(), out, (int)getpid(), out);
	if (bk_test_run(cmd, &log) != 0)
		cr_skip_test("libbpf-dev is not usable here: %s", log ? log : "");
	free(log);
}

/* Relocate every CO-RE section of o (in .BTF.ext order, one candidate cache,
 * as libbpf does) except skip[], and compare with libbpf's instructions. */
static void differential(const struct ct_obj *o, const char *target_path,
			 const struct bk_btf *target, const char *const *skip, size_t nskip)
{
	char tool[600], cmd[4096], *out = NULL, *line;
	struct bk__core_target t = { target, 0 };
	struct bk__core_cands *c = bk__core_cands_new(&t, 1);
	size_t compared = 0, nsec = 0;
	size_t n = 0;

	BK_REQUIRE_KERNEL(); /* libbpf's load probes the kernel before relocating */
	build_dump_tool(tool, sizeof(tool));
	n = (size_t)snprintf(cmd, sizeof(cmd), "'%s' '%s' '%s'", tool, o->path, target_path);
	for (size_t i = 0; i < nskip; i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " '%s'", skip[i]);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s", cmd);
	cr_assert(c);
	for (size_t s = 0; s < o->ext->ncore; s++) {
		const struct bk__ext_info *relos = &o->ext->core[s];
		struct ct_poison p = { 0 };
		struct bk_diag d = { 0 };
		struct bk_insn *insns;
		char want[128];
		size_t ni, lbn;
		bool skipped = false;

		for (size_t i = 0; i < nskip; i++)
			skipped |= strcmp(skip[i], relos->sec) == 0;
		if (skipped)
			continue;
		nsec++;
		insns = ct_insns(o, relos->sec, &ni);
		cr_assert_eq(bk__core_relocate_sec(o->btf, relos, insns, ni, c, ct_poison_cb, &p, &d),
			     0, "%s: %s", relos->sec, d.msg);
		snprintf(want, sizeof(want), "prog %s ", relos->sec);
		line = strstr(out, want);
		cr_assert(line, "libbpf printed no program for %s", relos->sec);
		line += strlen(want);
		lbn = strtoul(line, &line, 10);
		cr_assert_eq(lbn, ni, "%s: libbpf has %zu insns, we %zu", relos->sec, lbn, ni);
		for (size_t i = 0; i < ni; i++) {
			long v[5];

			for (int k = 0; k < 5; k++)
				v[k] = strtol(line, &line, 10);
			cr_expect(v[0] == insns[i].code && v[1] == insns[i].dst_reg &&
					  v[2] == insns[i].src_reg && v[3] == insns[i].off &&
					  v[4] == insns[i].imm,
				  "%s insn %zu: libbpf %ld %ld %ld %ld %ld, bpfkit %u %u %u %d %d",
				  relos->sec, i, v[0], v[1], v[2], v[3], v[4], insns[i].code,
				  insns[i].dst_reg, insns[i].src_reg, insns[i].off, insns[i].imm);
			compared++;
		}
		free(insns);
	}
	cr_assert_eq(nsec, o->ext->ncore - nskip, "a skipped section is missing");
	cr_assert_gt(compared, nsec);
	cr_log_info("compared %zu instructions of %zu sections with libbpf", compared, nsec);
	bk__core_cands_free(c);
	free(out);
}

Test(core_relo, same_instructions_as_libbpf_for_the_target_object)
{
	static const char *const skip[] = { "s_ambiguous", "s_ambiguous_size", "s_big" };

	differential(lo, tg->path, tg->btf, skip, 3); /* libbpf fails the load on those */
}

Test(core_relo, same_instructions_as_libbpf_for_vmlinux)
{
	struct bk_btf *vm = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct ct_obj *o;

	if (!vm)
		cr_skip_test("no vmlinux BTF");
	o = ct_open("core_vmlinux");
	differential(o, "/sys/kernel/btf/vmlinux", vm, NULL, 0);
	ct_close(o);
	bk_btf_free(vm);
}

/* The relocations bpfkit refuses, libbpf refuses too (its warning says why). */
Test(core_relo, same_refusals_as_libbpf)
{
	static const struct {
		const char *sec, *libbpf_says;
	} cases[] = {
		{ "s_ambiguous", "field offset ambiguity" },
		{ "s_ambiguous_size", "relocation decision ambiguity" },
		{ "s_big", "value too big" },
	};
	const struct bk__ext_info *core = lo->ext->core;
	char tool[600], cmd[8192], *out = NULL;

	BK_REQUIRE_KERNEL();
	build_dump_tool(tool, sizeof(tool));
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n = (size_t)snprintf(cmd, sizeof(cmd), "'%s' '%s' '%s'", tool, lo->path,
					    tg->path);

		for (size_t s = 0; s < lo->ext->ncore; s++) /* load only the case's section */
			if (strcmp(core[s].sec, cases[c].sec) != 0)
				n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " %s", core[s].sec);
		cr_assert_lt(n, sizeof(cmd));
		cr_assert_eq(bk_test_run(cmd, &out), 0);
		cr_expect(strstr(out, cases[c].libbpf_says), "%s: libbpf said: %s", cases[c].sec,
			  out);
		free(out);
	}
}
