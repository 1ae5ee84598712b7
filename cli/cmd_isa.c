// SPDX-License-Identifier: MIT
/* `bpfkit isa [--json]`: the instruction table. */
#include <stdio.h>

#include <bpfkit/insn.h>

#include "cli.h"
#include "json.h"

static void print_json(struct bk_cli *cli, const struct bk_insn_info *rows, size_t n)
{
	struct bk_json j;

	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *r = &rows[i];

		bk_json_object_begin(&j);
		bk_json_kv_string(&j, "mnemonic", r->conf);
		bk_json_kv_string(&j, "llvm", r->llvm);
		bk_json_kv_string(&j, "name", r->name);
		bk_json_kv_uint(&j, "opcode", r->opcode);
		if (r->disc != BK_DISC_NONE) {
			static const char *const field[] = { "", "off", "imm", "src" };

			bk_json_kv_string(&j, "discriminator", field[r->disc]);
			bk_json_kv_int(&j, "value", r->dval);
		}
		bk_json_kv_string(&j, "shape", bk_insn_shape_name(r->shape));
		bk_json_kv_uint(&j, "version", r->version);
		bk_json_kv_string(&j, "group", bk_insn_group_name(r->group));
		bk_json_kv_uint(&j, "width", r->width);
		bk_json_object_end(&j);
	}
	bk_json_array_end(&j);
	bk_json_end(&j);
}

static void print_text(struct bk_cli *cli, const struct bk_insn_info *rows, size_t n)
{
	fprintf(cli->out, "%-20s %-6s %-4s %-9s %-32s %s\n", "NAME", "OPCODE", "VER", "GROUP",
		"CONFORMANCE", "LLVM");
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *r = &rows[i];

		fprintf(cli->out, "%-20s 0x%02x   v%-3u %-9s %-32s %s\n", r->name, r->opcode,
			r->version, bk_insn_group_name(r->group), r->conf, r->llvm);
	}
}

int bk_cmd_isa(struct bk_cli *cli, int argc, char **argv)
{
	size_t n;
	const struct bk_insn_info *rows = bk_insn_table(&n);

	(void)argv;
	if (argc != 1)
		return bk_cli_usage(cli, "isa [--json]");
	if (cli->json)
		print_json(cli, rows, n);
	else
		print_text(cli, rows, n);
	return 0;
}
