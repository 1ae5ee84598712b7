// SPDX-License-Identifier: MIT
/*
 * include/bpfkit/bpf/tracing.h: the registers each wrapper reads, checked in
 * the compiled code against the layouts they come from (the kernel's
 * struct pt_regs from its BTF, the UAPI one from this host's <asm/ptrace.h>,
 * arm64's user_pt_regs), BPF_PROG's context slots, BPF_KSYSCALL's two
 * paths, and the same code and relocations as libbpf's bpf_tracing.h.
 */
#include "bpf_build.h"
#include <bpfkit/abi.h>
#if defined(__x86_64__)
#include <asm/ptrace.h>
#endif

#define LDX_DW (BK_LDX | BK_MEM | BK_DW)

/* The offsets of the 64-bit loads from r1 (the context) in section name, as a bit set / 8. */
static int loads_ctx_at(const struct bb_obj *o, const char *name, int16_t off)
{
	size_t size;
	const struct bk_insn *insn = bb_section(o, name, &size);

	cr_assert_not_null(insn, "no section %s", name);
	for (size_t i = 0; i < size / sizeof(*insn); i++)
		if (insn[i].code == LDX_DW && insn[i].src_reg == BK_R1 && insn[i].off == off)
			return 1;
	return 0;
}

static const char *flags(const char *arch, int vmlinux)
{
	static char f[1400];

	snprintf(f, sizeof(f), "%s -D__TARGET_ARCH_%s %s", bb_inc(), arch,
		 vmlinux ? bb_vmlinux_flag() : "");
	return f;
}

#define KPROBE_SRC(INCLUDES)                                                                       \
	INCLUDES "#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/tracing.h>\n"              \
		 "long out;\n"                                                                     \
		 "SEC(\"kprobe/f\") int BPF_KPROBE(kp, long a, long b, long c, long d, long e, "  \
		 "long f)\n{ out = a ^ b ^ c ^ d ^ e ^ f; return 0; }\n"                           \
		 "SEC(\"kretprobe/f\") int BPF_KRETPROBE(kr, long ret)\n{ out = ret; return 0; }\n" \
		 "SEC(\"kprobe/g\") int ip(struct pt_regs *ctx)\n"                                 \
		 "{ out = PT_REGS_IP(ctx) ^ PT_REGS_SP(ctx) ^ PT_REGS_FP(ctx); return 0; }\n"

Test(bpf_tracing, x86_64_with_vmlinux_reads_the_kernels_pt_regs)
{
	static const char *const regs[] = { "di", "si", "dx", "cx", "r8", "r9" };
	struct bk_btf *k = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bb_obj o;

	if (!k)
		BK_SKIP_FEATURE("BTF (/sys/kernel/btf/vmlinux)");
	if (bk_btf_find(k, "pt_regs", BK_BTF_KIND_STRUCT) < 0 ||
	    bb_member_index(k, "pt_regs", "di") < 0)
		BK_SKIP_FEATURE("x86-64's struct pt_regs (another architecture)");
	bb_open(&o, bb_compile("kp_x86", KPROBE_SRC("#include VMLINUX_H\n"), flags("x86", 1)));
	for (int i = 0; i < 6; i++)
		cr_assert(loads_ctx_at(&o, "kprobe/f", (int16_t)bb_member_offset(k, "pt_regs", regs[i])),
			  "argument %d is not read from pt_regs.%s", i + 1, regs[i]);
	cr_assert(loads_ctx_at(&o, "kretprobe/f", (int16_t)bb_member_offset(k, "pt_regs", "ax")));
	cr_assert(loads_ctx_at(&o, "kprobe/g", (int16_t)bb_member_offset(k, "pt_regs", "ip")));
	cr_assert(loads_ctx_at(&o, "kprobe/g", (int16_t)bb_member_offset(k, "pt_regs", "sp")));
	cr_assert(loads_ctx_at(&o, "kprobe/g", (int16_t)bb_member_offset(k, "pt_regs", "bp")));
	bb_close(&o);
	bk_btf_free(k);
}

Test(bpf_tracing, x86_64_without_vmlinux_reads_the_uapi_pt_regs)
{
#if defined(__x86_64__)
	struct bb_obj o;
	const int16_t args[] = { offsetof(struct pt_regs, rdi), offsetof(struct pt_regs, rsi),
				 offsetof(struct pt_regs, rdx), offsetof(struct pt_regs, rcx),
				 offsetof(struct pt_regs, r8),	offsetof(struct pt_regs, r9) };

	bb_open(&o, bb_compile("kp_uapi",
			       KPROBE_SRC("#include <linux/types.h>\n#include <asm/ptrace.h>\n"),
			       flags("x86", 0)));
	for (int i = 0; i < 6; i++)
		cr_assert(loads_ctx_at(&o, "kprobe/f", args[i]), "argument %d", i + 1);
	cr_assert(loads_ctx_at(&o, "kretprobe/f", offsetof(struct pt_regs, rax)));
	cr_assert(loads_ctx_at(&o, "kprobe/g", offsetof(struct pt_regs, rip)));
	cr_assert(loads_ctx_at(&o, "kprobe/g", offsetof(struct pt_regs, rsp)));
	cr_assert(loads_ctx_at(&o, "kprobe/g", offsetof(struct pt_regs, rbp)));
	bb_close(&o);
#else
	BK_SKIP_FEATURE("x86-64's <asm/ptrace.h> (another architecture)");
#endif
}

Test(bpf_tracing, arm64_reads_user_pt_regs)
{
	/* arm64's UAPI layout, as its <asm/ptrace.h> declares it. */
#define ARM64_REGS                                                                                 \
	"#include <linux/types.h>\n"                                                                \
	"struct user_pt_regs { __u64 regs[31]; __u64 sp; __u64 pc; __u64 pstate; };\n"               \
	"struct pt_regs;\n"
	struct bb_obj o;
	char *relos;

	bb_open(&o, bb_compile("kp_arm64", KPROBE_SRC(ARM64_REGS), flags("arm64", 0)));
	for (int i = 0; i < 6; i++)
		cr_assert(loads_ctx_at(&o, "kprobe/f", (int16_t)(8 * i)), "argument %d in x%d", i + 1,
			  i);
	cr_assert(loads_ctx_at(&o, "kretprobe/f", 0), "the return value is x0");
	cr_assert(loads_ctx_at(&o, "kprobe/g", 32 * 8), "pc follows regs[31] and sp");
	cr_assert(loads_ctx_at(&o, "kprobe/g", 31 * 8), "sp");
	cr_assert(loads_ctx_at(&o, "kprobe/g", 29 * 8), "the frame pointer is x29");
	bb_close(&o);

	/* A syscall's first argument is orig_x0, read through a CO-RE flavor of pt_regs. */
	static const char sys[] = "#include <linux/types.h>\n"
				  "struct user_pt_regs { __u64 regs[31]; __u64 sp; __u64 pc; __u64 pstate; };\n"
				  "#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/tracing.h>\n"
				  "long out;\n"
				  "SEC(\"ksyscall/kill\") int BPF_KSYSCALL(k, int pid, int sig)\n"
				  "{ out = pid ^ sig; return 0; }\n";
	bb_open(&o, bb_compile("ks_arm64", sys, flags("arm64", 0)));
	bb_core_relos(&o, &relos);
	cr_assert(strstr(relos, " 0 STRUCT:pt_regs___bk_arm64 0:0\n"), "%s", relos);
	free(relos);
	bb_close(&o);
}

Test(bpf_tracing, bpf_prog_takes_arguments_from_the_context_slots)
{
	static const char src[] =
		"#include <linux/types.h>\n#include <bpfkit/bpf/helpers.h>\n"
		"#include <bpfkit/bpf/tracing.h>\n"
		"long out;\n"
		"SEC(\"tp_btf/x\") int BPF_PROG(p, long a, long b, long c, long d, long e, long f, long g)\n"
		"{ out = a ^ b ^ c ^ d ^ e ^ f ^ g; return 0; }\n"
		"SEC(\"tp_btf/y\") int BPF_PROG(none) { return 7; }\n";
	struct bb_obj o;
	size_t size;
	const struct bk_insn *none;

	bb_open(&o, bb_compile("prog", src, flags("x86", 0)));
	for (int i = 0; i < 7; i++)
		cr_assert(loads_ctx_at(&o, "tp_btf/x", (int16_t)(8 * i)), "argument %d", i + 1);
	none = bb_section(&o, "tp_btf/y", &size);
	cr_assert_eq(size, 2 * sizeof(*none), "BPF_PROG with no arguments is the body alone");
	cr_assert_eq(none[0].imm, 7);
	bb_close(&o);
}

Test(bpf_tracing, ksyscall_reads_the_wrapped_regs_or_the_context)
{
	static const char src[] =
		"#include VMLINUX_H\n#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/tracing.h>\n"
		"long out;\n"
		"SEC(\"ksyscall/tgkill\") int BPF_KSYSCALL(k, int tgid, int tid, int sig, long x)\n"
		"{ out = tgid ^ tid ^ sig ^ x; return 0; }\n";
	struct bk_btf *k = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	struct bb_obj o;
	struct bk_btf *btf;
	char *relos, a[32];
	int ids[16];

	if (!k || bb_member_index(k, "pt_regs", "r10") < 0)
		BK_SKIP_FEATURE("x86-64's struct pt_regs (another architecture)");
	bb_open(&o, bb_compile("ksys", src, flags("x86", 1)));
	/* with a wrapper: four CO-RE reads from the inner pt_regs */
	cr_assert_eq(bb_helper_calls(&o, "ksyscall/tgkill", ids, 16), 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(ids[i], BK_FN_probe_read_kernel);
	bb_core_relos(&o, &relos);
	/* the syscall ABI's fourth argument is r10, not cx */
	snprintf(a, sizeof(a), "0:%d\n", bb_member_index(k, "pt_regs", "r10"));
	cr_assert(strstr(relos, a), "no read of pt_regs.r10 in\n%s", relos);
	/* without: direct loads from the context, r10 among them */
	cr_assert(loads_ctx_at(&o, "ksyscall/tgkill", (int16_t)bb_member_offset(k, "pt_regs", "r10")));
	cr_assert(loads_ctx_at(&o, "ksyscall/tgkill", (int16_t)bb_member_offset(k, "pt_regs", "di")));
	/* which one is the loader's answer to the Kconfig extern */
	btf = bb_btf(&o);
	cr_assert_gt(bk_btf_find(btf, "LINUX_HAS_SYSCALL_WRAPPER", BK_BTF_KIND_VAR), 0);
	bk_btf_free(btf);
	free(relos);
	bb_close(&o);
	bk_btf_free(k);
}

Test(bpf_tracing, no_target_arch_is_a_compile_error_that_says_so)
{
	char cmd[1024], c[256], *out = NULL;

	BK_REQUIRE_TOOL(BPF_CLANG);
	snprintf(c, sizeof(c), "%s/noarch.c", bb_dir());
	bb_write(c, "#include <linux/types.h>\n#include <bpfkit/bpf/tracing.h>\n"
		    "int f(struct pt_regs *ctx) { return PT_REGS_PARM1(ctx); }\n");
	snprintf(cmd, sizeof(cmd), "%s -O2 -target bpf -I/usr/include/x86_64-linux-gnu %s -c %s -o %s/na.o 2>&1",
		 BPF_CLANG, bb_inc(), c, bb_dir());
	cr_assert_neq(bk_test_run(cmd, &out), 0);
	cr_assert(strstr(out, "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"), "%s", out);
	free(out);
}

/* The same tracing source against our headers and libbpf's. */
static const char same_src[] =
	"#include VMLINUX_H\n"
	"#ifdef LIBBPF\n#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_tracing.h>\n"
	"#include <bpf/bpf_core_read.h>\n"
	"#else\n#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/tracing.h>\n#endif\n"
	"long out;\n"
	"SEC(\"kprobe/do_unlinkat\") int BPF_KPROBE(kp, int dfd, struct filename *name)\n"
	"{ out = dfd + BPF_CORE_READ(name, name)[0]; return 0; }\n"
	"SEC(\"kretprobe/do_unlinkat\") int BPF_KRETPROBE(kr, long ret) { out = ret; return 0; }\n"
	"SEC(\"fentry/do_unlinkat\") int BPF_PROG(fe, int dfd, struct filename *name)\n"
	"{ out = dfd + name->name[0]; return 0; }\n"
	"SEC(\"ksyscall/kill\") int BPF_KSYSCALL(ks, pid_t pid, int sig) { out = pid * sig; return 0; }\n"
	"SEC(\"kprobe/x\") int regs(struct pt_regs *ctx)\n"
	"{ out = PT_REGS_IP(ctx) + PT_REGS_SP(ctx) + PT_REGS_PARM3_CORE(ctx) + PT_REGS_RC(ctx); return 0; }\n"
	"struct big { long a, b; };\n"
	"SEC(\"fentry/f\") int BPF_PROG2(f2, int, x, struct big, s, char, c)\n"
	"{ out = x + s.a + s.b + c; return 0; }\n"
	"SEC(\"kprobe/h\") int h(struct pt_regs *ctx)\n{\n"
	"\tunsigned long ip = 0, ip2 = 0;\n"
	"\tBPF_KPROBE_READ_RET_IP(ip, ctx);\n\tBPF_KRETPROBE_READ_RET_IP(ip2, ctx);\n"
	"\tout = ip + ip2 + (long)PT_REGS_SYSCALL_REGS(ctx);\n\treturn 0;\n}\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

Test(bpf_tracing, same_code_and_relocations_as_libbpfs_bpf_tracing_h)
{
	static const char *const secs[] = { "kprobe/do_unlinkat", "kretprobe/do_unlinkat",
					    "fentry/do_unlinkat", "ksyscall/kill", "kprobe/x",
					    "fentry/f", "kprobe/h" };
	struct bb_obj ours, theirs;
	char f[1400], *r1, *r2;

	if (access("/usr/include/bpf/bpf_tracing.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf's headers are not installed (scripts/install-deps test)");
	bb_open(&ours, bb_compile("tr_ours", same_src, flags("x86", 1)));
	snprintf(f, sizeof(f), "-DLIBBPF -D__TARGET_ARCH_x86 %s", bb_vmlinux_flag());
	bb_open(&theirs, bb_compile("tr_libbpf", same_src, f));
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		size_t s1, s2;
		const void *t1 = bb_section(&ours, secs[i], &s1);
		const void *t2 = bb_section(&theirs, secs[i], &s2);

		cr_assert_not_null(t1, "%s", secs[i]);
		cr_assert_not_null(t2, "%s", secs[i]);
		cr_assert_eq(s1, s2, "%s: %zu bytes, libbpf's %zu", secs[i], s1, s2);
		cr_assert_eq(memcmp(t1, t2, s1), 0, "%s: instructions differ", secs[i]);
	}
	bb_core_relos(&ours, &r1);
	bb_core_relos(&theirs, &r2);
	cr_assert_str_eq(r1, r2);
	free(r1);
	free(r2);
	bb_close(&ours);
	bb_close(&theirs);
}
