// SPDX-License-Identifier: MIT
/*
 * include/bpfkit/bpf/endian.h: constants fold (static assertions and case
 * labels compile), anything else is exactly one BPF byte-swap instruction of
 * the right width, and the code is the same as with libbpf's bpf_endian.h.
 */
#include "bpf_build.h"

#define BE(bits) (BK_ALU | BK_END | BK_TO_BE) /* imm = bits */

static const char src[] =
	"#include <linux/types.h>\n#ifdef LIBBPF\n#include <bpf/bpf_endian.h>\n#else\n#include <bpfkit/bpf/endian.h>\n#endif\n"
	"_Static_assert(bpf_htons(0x1234) == 0x3412, \"htons\");\n"
	"_Static_assert(bpf_ntohs(0x3412) == 0x1234, \"ntohs\");\n"
	"_Static_assert(bpf_htonl(0x12345678) == 0x78563412, \"htonl\");\n"
	"_Static_assert(bpf_ntohl(0x78563412) == 0x12345678, \"ntohl\");\n"
	"_Static_assert(bpf_cpu_to_be64(0x0102030405060708ULL) == 0x0807060504030201ULL, \"64\");\n"
	"_Static_assert(bpf_be64_to_cpu(0x0807060504030201ULL) == 0x0102030405060708ULL, \"64\");\n"
	"static const unsigned short port = bpf_htons(8080);\n"
	"__attribute__((section(\"e16\"), used)) unsigned short s16(unsigned short x) { return bpf_htons(x); }\n"
	"__attribute__((section(\"e32\"), used)) unsigned int s32(unsigned int x) { return bpf_ntohl(x); }\n"
	"__attribute__((section(\"e64\"), used)) unsigned long long s64(unsigned long long x)\n"
	"{ return bpf_be64_to_cpu(x); }\n"
	"__attribute__((section(\"ek\"), used)) unsigned int k(unsigned int x)\n"
	"{ switch (x) { case bpf_htonl(0x0a000001): return port; } return bpf_htons(0x0800); }\n";

Test(bpf_endian, constants_fold_and_variables_take_one_swap)
{
	struct bb_obj o;
	size_t size;

	bb_open(&o, bb_compile("endian", src, bb_inc()));
	cr_assert_eq(bb_count_insn(&o, "e16", BE(16), 16), 1);
	cr_assert_eq(bb_section(&o, "e16", &size) != NULL && size <= 3 * 8, 1, "%zu bytes", size);
	cr_assert_eq(bb_count_insn(&o, "e32", BE(32), 32), 1);
	cr_assert_eq(bb_count_insn(&o, "e64", BE(64), 64), 1);
	/* constants: no swap at run time, the swapped values are in the code */
	cr_assert_eq(bb_count_insn(&o, "ek", BE(16), 16) + bb_count_insn(&o, "ek", BE(32), 32), 0);
	cr_assert_geq(bb_count_insn(&o, "ek", BK_ALU64 | BK_MOV | BK_K, 0x0008), 1, "htons(0x0800)");
	cr_assert_geq(bb_count_insn(&o, "ek", BK_ALU64 | BK_MOV | BK_K, 0x901f), 1, "htons(8080)");
	bb_close(&o);
}

Test(bpf_endian, same_code_as_libbpfs_bpf_endian_h)
{
	static const char *const secs[] = { "e16", "e32", "e64", "ek" };
	struct bb_obj ours, theirs;

	if (access("/usr/include/bpf/bpf_endian.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf's headers are not installed (scripts/install-deps test)");
	bb_open(&ours, bb_compile("endian_ours", src, bb_inc()));
	bb_open(&theirs, bb_compile("endian_libbpf", src, "-DLIBBPF"));
	for (size_t i = 0; i < 4; i++) {
		size_t s1 = 0, s2 = 0;
		const void *a = bb_section(&ours, secs[i], &s1), *b = bb_section(&theirs, secs[i], &s2);

		cr_assert(a && b && s1 == s2 && memcmp(a, b, s1) == 0, "%s differs", secs[i]);
	}
	bb_close(&ours);
	bb_close(&theirs);
}
