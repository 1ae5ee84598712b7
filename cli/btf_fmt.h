/* SPDX-License-Identifier: MIT */
/* BTF-typed printing of map keys and values (bpftool's "formatted"). */
#ifndef BK_CLI_BTF_FMT_H
#define BK_CLI_BTF_FMT_H

#include <stdbool.h>
#include <stdint.h>

#include <bpfkit/btf.h>

#include "json.h"

/* Can a value of type id be printed as bpftool prints it? (depth: pass 0) */
bool bk_cli_btf_printable(const struct bk_btf *btf, uint32_t id, int depth);

/* Print the value of type id at p (which holds the type's whole size). */
void bk_cli_btf_emit(struct bk_json *j, const struct bk_btf *btf, uint32_t id, const uint8_t *p);

struct bk_cli;

/* `btf dump ...` (cmd_btf.c): argv starts after "dump". */
int bk_cli_btf_dump(struct bk_cli *cli, int argc, char **argv);

#endif /* BK_CLI_BTF_FMT_H */
