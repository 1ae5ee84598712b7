// SPDX-License-Identifier: MIT
/*
 * Test-only differential tool (links libbpf; bpfkit never does): open OBJ
 * with TARGET as libbpf's custom CO-RE target BTF, skip the programs named
 * after it, load (which CO-RE-relocates every program, whether or not the
 * kernel then takes it), and print each program's instructions:
 *   prog SECTION N
 *   CODE DST SRC OFF IMM     (N lines)
 * with libbpf's warnings as "warn: ..." lines.
 * Built and run by tests/elf/test_core_spec.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

/* libbpf's warnings, one "warn: ..." line each; debug chatter dropped. */
static int warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	fputs("warn: ", stdout);
	return vprintf(fmt, ap);
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj;
	struct bpf_program *prog;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OBJ TARGET [SKIP...]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(warnings);
	opts.btf_custom_path = argv[2];
	obj = bpf_object__open_file(argv[1], &opts);
	if (!obj) {
		fprintf(stderr, "libbpf cannot open %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
		for (int i = 3; i < argc; i++)
			if (strcmp(bpf_program__section_name(prog), argv[i]) == 0)
				bpf_program__set_autoload(prog, false);
	(void)bpf_object__load(obj); /* relocation happens before any program load */
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *in = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);

		if (!bpf_program__autoload(prog))
			continue;
		printf("prog %s %zu\n", bpf_program__section_name(prog), n);
		for (size_t i = 0; i < n; i++)
			printf("%u %u %u %d %d\n", in[i].code, in[i].dst_reg, in[i].src_reg, in[i].off,
			       in[i].imm);
	}
	bpf_object__close(obj);
	return 0;
}
