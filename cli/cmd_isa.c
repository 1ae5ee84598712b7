// SPDX-License-Identifier: MIT
/* `bpfkit isa [--json]`: the instruction table. */
#include <stdio.h>
#include <string.h>

#include <bpfkit/insn.h>

#include "cli.h"
#include "json.h"

/* The mnemonic: the conformance template's words before the first operand
 * ("lock fetch add32 [%D%O], %S" -> "lock fetch add32"). */
static const char *mnemonic(const char *tpl, char *buf, size_t size)
{
	size_t n = strcspn(tpl, "%[");

	while (n > 0 && tpl[n - 1] == ' ')
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, tpl, n);
	buf[n] = '\0';
	return buf;
}

static void print_json(struct bk_cli *cli, const struct bk_insn_info *rows, size_t n)
{
	struct bk_json j;

	bk_json_init(&j, cli->out, cli->pretty);
	bk_json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *r = &rows[i];
		char m[48];

		bk_json_object_begin(&j);
		bk_json_kv_string(&j, "mnemonic", mnemonic(r->conf, m, sizeof(m)));
		bk_json_kv_string(&j, "conformance", r->conf);
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
	fprintf(cli->out, "%-18s %-6s %-4s %-9s %-20s %-32s %s\n", "MNEMONIC", "OPCODE", "VER",
		"GROUP", "NAME", "CONFORMANCE", "LLVM");
	for (size_t i = 0; i < n; i++) {
		const struct bk_insn_info *r = &rows[i];
		char m[48];

		fprintf(cli->out, "%-18s 0x%02x   v%-3u %-9s %-20s %-32s %s\n",
			mnemonic(r->conf, m, sizeof(m)), r->opcode, r->version,
			bk_insn_group_name(r->group), r->name, r->conf, r->llvm);
	}
}

int bk_cmd_isa(struct bk_cli *cli, int argc, char **argv)
{
	size_t n;
	const struct bk_insn_info *rows = bk_insn_table(&n);

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, "isa [--json]");
	if (argc != 1)
		return bk_cli_usage(cli, "isa [--json]");
	if (cli->json)
		print_json(cli, rows, n);
	else
		print_text(cli, rows, n);
	return 0;
}
