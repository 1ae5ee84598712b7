// SPDX-License-Identifier: MIT
/* `bpfkit helpers [--json]`: the kernel's helper functions by id. */
#include <stdio.h>

#include <bpfkit/names.h>

#include "cli.h"
#include "json.h"

int bk_cmd_helpers(struct bk_cli *cli, int argc, char **argv)
{
	int max = bk_helper_max();
	struct bk_json j;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, "helpers [--json]");
	if (argc != 1)
		return bk_cli_usage(cli, "helpers [--json]");
	if (cli->json) {
		bk_json_init(&j, cli->out, cli->pretty);
		bk_json_array_begin(&j);
	}
	for (int id = 1; id < max; id++) {
		const char *name = bk_helper_name(id);

		if (!name)
			continue;
		if (cli->json) {
			bk_json_object_begin(&j);
			bk_json_kv_int(&j, "id", id);
			bk_json_kv_string(&j, "name", name);
			bk_json_object_end(&j);
		} else {
			fprintf(cli->out, "%4d  bpf_%s\n", id, name);
		}
	}
	if (cli->json) {
		bk_json_array_end(&j);
		bk_json_end(&j);
	}
	return 0;
}
