// SPDX-License-Identifier: MIT
/*
 * include/bpfkit/bpf/core.h: CO-RE programs built with clang-19 against a
 * vmlinux.h of the running kernel. Each macro must make clang write the
 * relocation records a loader needs (kind, type, access path naming the
 * right members, read from the kernel's BTF), read through the right helper,
 * and produce the same code and records as libbpf's bpf_core_read.h.
 */
#include "bpf_build.h"
#include <bpfkit/abi.h>

#define PRELUDE "#include VMLINUX_H\n#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/core.h>\n"

/* Relocation kinds of .BTF.ext (enum bpf_core_relo_kind). */
enum {
	FIELD_BYTE_OFFSET = 0,
	FIELD_BYTE_SIZE = 1,
	FIELD_EXISTS = 2,
	FIELD_SIGNED = 3,
	FIELD_LSHIFT_U64 = 4,
	FIELD_RSHIFT_U64 = 5,
	TYPE_ID_LOCAL = 6,
	TYPE_ID_TARGET = 7,
	TYPE_EXISTS = 8,
	TYPE_SIZE = 9,
	ENUMVAL_EXISTS = 10,
	ENUMVAL_VALUE = 11,
	TYPE_MATCHES = 12,
};

static char *flags_ours(void)
{
	static char f[1400];

	snprintf(f, sizeof(f), "%s %s", bb_inc(), bb_vmlinux_flag());
	return f;
}

/* Assert that relos has a record "KIND STRUCT:type ACCESS" (any section, any offset). */
static void expect_relo(const char *relos, int kind, const char *type, const char *access)
{
	char want[256];

	snprintf(want, sizeof(want), " %d %s %s\n", kind, type, access);
	cr_assert(strstr(relos, want), "no record \"%s\" in:\n%s", want, relos);
}

/* "0:I:J" for a chain of one member per struct: the access path of s->m. */
static void access_of(const struct bk_btf *k, const char *type, const char *member, char *out,
		      size_t size)
{
	int i = bb_member_index(k, type, member);

	cr_assert_geq(i, 0, "no %s in struct %s", member, type);
	snprintf(out, size, "0:%d", i);
}

Test(bpf_core, chained_reads_relocate_every_step)
{
	static const char src[] = PRELUDE
		"int out;\n"
		"SEC(\"raw_tp/sys_enter\") int chain(void *ctx)\n{\n"
		"\tstruct task_struct *t = (void *)bpf_get_current_task();\n"
		"\tout = BPF_CORE_READ(t, real_parent, real_parent, tgid);\n"
		"\treturn 0;\n}\n";
	struct bk_btf *k = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bb_obj o;
	char *relos, a[32];
	int ids[8];

	cr_assert_not_null(k);
	bb_open(&o, bb_compile("chain", src, flags_ours()));
	/* three reads: two pointers, then the value */
	cr_assert_eq(bb_helper_calls(&o, "raw_tp/sys_enter", ids, 8), 4);
	cr_assert_eq(ids[0], BK_FN_get_current_task);
	for (int i = 1; i < 4; i++)
		cr_assert_eq(ids[i], BK_FN_probe_read_kernel);
	/* clang may share one relocated offset between the two real_parent steps */
	cr_assert_geq(bb_core_relos(&o, &relos), 2, "%s", relos);
	access_of(k, "task_struct", "real_parent", a, sizeof(a));
	expect_relo(relos, FIELD_BYTE_OFFSET, "STRUCT:task_struct", a);
	access_of(k, "task_struct", "tgid", a, sizeof(a));
	expect_relo(relos, FIELD_BYTE_OFFSET, "STRUCT:task_struct", a);
	free(relos);
	bb_close(&o);
	bk_btf_free(k);
}

Test(bpf_core, into_str_user_and_probe_variants_pick_their_helpers)
{
	static const char src[] = PRELUDE
		"char comm[16]; long v;\n"
		"SEC(\"raw_tp/a\") int str(void *ctx)\n{\n"
		"\tstruct task_struct *t = (void *)bpf_get_current_task();\n"
		"\treturn BPF_CORE_READ_STR_INTO(&comm, t, group_leader, comm);\n}\n"
		"SEC(\"raw_tp/b\") int user(void *ctx)\n{\n"
		"\tstruct task_struct *t = (void *)bpf_get_current_task();\n"
		"\tv = (long)BPF_CORE_READ_USER(t, mm);\n"
		"\treturn BPF_CORE_READ_USER_STR_INTO(&comm, t, group_leader, comm);\n}\n"
		"SEC(\"raw_tp/c\") int probe(void *ctx)\n{\n"
		"\tstruct task_struct *t = (void *)bpf_get_current_task();\n"
		"\tv = BPF_PROBE_READ(t, group_leader, pid);\n"
		"\treturn bpf_core_read(&v, sizeof(v), &t->mm);\n}\n";
	struct bb_obj o;
	int ids[8];

	bb_open(&o, bb_compile("variants", src, flags_ours()));
	cr_assert_eq(bb_helper_calls(&o, "raw_tp/a", ids, 8), 3);
	cr_assert_eq(ids[1], BK_FN_probe_read_kernel);
	cr_assert_eq(ids[2], BK_FN_probe_read_kernel_str);
	cr_assert_eq(bb_helper_calls(&o, "raw_tp/b", ids, 8), 4);
	cr_assert_eq(ids[1], BK_FN_probe_read_user);
	cr_assert_eq(ids[2], BK_FN_probe_read_user);
	cr_assert_eq(ids[3], BK_FN_probe_read_user_str);
	cr_assert_eq(bb_helper_calls(&o, "raw_tp/c", ids, 8), 4);
	cr_assert_eq(ids[1], BK_FN_probe_read_kernel);
	cr_assert_eq(ids[2], BK_FN_probe_read_kernel);
	cr_assert_eq(ids[3], BK_FN_probe_read_kernel);
	bb_close(&o);
}

Test(bpf_core, queries_emit_their_relocation_kinds)
{
	static const char src[] = PRELUDE
		"long out[16];\n"
		"SEC(\"tp_btf/sched_switch\") int q(unsigned long long *ctx)\n{\n"
		"\tstruct task_struct *t = (void *)ctx[1];\n"
		"\tstruct sk_buff *s = (void *)ctx[2];\n"
		"\tout[0] = bpf_core_field_exists(t->pid);\n"
		"\tout[1] = bpf_core_field_exists(struct task_struct, tgid);\n"
		"\tout[2] = bpf_core_field_size(t->comm);\n"
		"\tout[3] = bpf_core_field_offset(struct task_struct, comm);\n"
		"\tout[4] = bpf_core_type_exists(struct task_struct);\n"
		"\tout[5] = bpf_core_type_size(struct task_struct);\n"
		"\tout[6] = bpf_core_type_matches(struct task_struct);\n"
		"\tout[7] = bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ringbuf_output);\n"
		"\tout[8] = bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output);\n"
		"\tout[9] = bpf_core_type_id_local(struct task_struct);\n"
		"\tout[10] = bpf_core_type_id_kernel(struct task_struct);\n"
		"\tout[11] = BPF_CORE_READ_BITFIELD_PROBED(s, pkt_type);\n"
		"\tout[12] = BPF_CORE_READ_BITFIELD(s, pkt_type);\n"
		"\treturn 0;\n}\n";
	struct bk_btf *k = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bb_obj o;
	char *relos, a[32];
	struct bk_btf_type t;
	int64_t v;

	cr_assert_not_null(k);
	bb_open(&o, bb_compile("queries", src, flags_ours()));
	bb_core_relos(&o, &relos);
	access_of(k, "task_struct", "pid", a, sizeof(a));
	expect_relo(relos, FIELD_EXISTS, "STRUCT:task_struct", a);
	access_of(k, "task_struct", "tgid", a, sizeof(a));
	expect_relo(relos, FIELD_EXISTS, "STRUCT:task_struct", a);
	access_of(k, "task_struct", "comm", a, sizeof(a));
	expect_relo(relos, FIELD_BYTE_SIZE, "STRUCT:task_struct", a);
	expect_relo(relos, FIELD_BYTE_OFFSET, "STRUCT:task_struct", a);
	expect_relo(relos, TYPE_EXISTS, "STRUCT:task_struct", "0");
	expect_relo(relos, TYPE_SIZE, "STRUCT:task_struct", "0");
	expect_relo(relos, TYPE_MATCHES, "STRUCT:task_struct", "0");
	expect_relo(relos, TYPE_ID_LOCAL, "STRUCT:task_struct", "0");
	expect_relo(relos, TYPE_ID_TARGET, "STRUCT:task_struct", "0");
	/* The enumerator's index in the kernel's enum is its value (ids count from 0). */
	cr_assert_eq(bk_btf_enum_value(k, "bpf_func_id", "BPF_FUNC_ringbuf_output", &v), 0);
	snprintf(a, sizeof(a), "%lld", (long long)v);
	expect_relo(relos, ENUMVAL_EXISTS, "ENUM:bpf_func_id", a);
	expect_relo(relos, ENUMVAL_VALUE, "ENUM:bpf_func_id", a);
	/* The bitfield: offset, size, signedness and both shifts, on sk_buff. */
	for (int kind = FIELD_BYTE_OFFSET; kind <= FIELD_RSHIFT_U64; kind++) {
		char want[64];

		if (kind == FIELD_EXISTS)
			continue;
		snprintf(want, sizeof(want), " %d STRUCT:sk_buff 0:", kind);
		cr_assert(strstr(relos, want), "no %s in\n%s", want, relos);
	}
	/* The local answers clang compiled in are the kernel's (same BTF). */
	cr_assert_eq(bk_btf_type_by_id(k, (uint32_t)bk_btf_find(k, "task_struct", BK_BTF_KIND_STRUCT),
				       &t),
		     0);
	cr_assert_geq(bb_count_insn(&o, "tp_btf/sched_switch", BK_ALU64 | BK_MOV | BK_K,
				    (int32_t)t.size_or_type),
		      1, "sizeof(struct task_struct) = %u not compiled in", t.size_or_type);
	free(relos);
	bb_close(&o);
	bk_btf_free(k);
}

/* The same source built against our headers and against libbpf's. */
static const char same_src[] =
	"#include VMLINUX_H\n"
	"#ifdef LIBBPF\n#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_core_read.h>\n"
	"#else\n#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/core.h>\n#endif\n"
	"long out[8]; char name[16];\n"
	"SEC(\"tp_btf/sched_switch\") int same(unsigned long long *ctx)\n{\n"
	"\tstruct task_struct *t = (void *)ctx[1];\n"
	"\tstruct sk_buff *s = (void *)ctx[2];\n"
	"\tout[0] = BPF_CORE_READ(t, real_parent, mm, mmap_base);\n"
	"\tBPF_CORE_READ_STR_INTO(&name, t, real_parent, comm);\n"
	"\tBPF_CORE_READ_INTO(&out[1], t, nsproxy, uts_ns, ns.inum);\n"
	"\tout[2] = (long)BPF_CORE_READ_USER(t, mm);\n"
	"\tout[3] = bpf_core_field_exists(t->pid) + bpf_core_field_size(struct task_struct, comm);\n"
	"\tout[4] = bpf_core_type_exists(struct task_struct) + bpf_core_type_size(struct mm_struct);\n"
	"\tout[5] = bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output)\n"
	"\t\t+ bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop);\n"
	"\tout[6] = BPF_CORE_READ_BITFIELD_PROBED(s, pkt_type) + BPF_CORE_READ_BITFIELD(s, pkt_type);\n"
	"\tout[7] = bpf_core_type_id_kernel(struct task_struct) + bpf_core_field_offset(t->mm);\n"
	"\tout[0] += BPF_CORE_READ(s, sk, __sk_common.skc_family);\n"
	"\treturn 0;\n}\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

Test(bpf_core, same_code_and_relocations_as_libbpfs_bpf_core_read_h)
{
	struct bb_obj ours, theirs;
	char flags[1400], *r1, *r2;
	const void *t1, *t2;
	size_t s1, s2;

	if (access("/usr/include/bpf/bpf_core_read.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf's headers are not installed (scripts/install-deps test)");
	bb_open(&ours, bb_compile("same_ours", same_src, flags_ours()));
	snprintf(flags, sizeof(flags), "-DLIBBPF %s", bb_vmlinux_flag());
	bb_open(&theirs, bb_compile("same_libbpf", same_src, flags));
	t1 = bb_section(&ours, "tp_btf/sched_switch", &s1);
	t2 = bb_section(&theirs, "tp_btf/sched_switch", &s2);
	cr_assert_not_null(t1);
	cr_assert_not_null(t2);
	cr_assert_eq(s1, s2, "code size %zu, libbpf's %zu", s1, s2);
	cr_assert_eq(memcmp(t1, t2, s1), 0, "the instructions differ from libbpf's build");
	cr_assert_gt(bb_core_relos(&ours, &r1), 20);
	bb_core_relos(&theirs, &r2);
	cr_assert_str_eq(r1, r2);
	free(r1);
	free(r2);
	bb_close(&ours);
	bb_close(&theirs);
}
