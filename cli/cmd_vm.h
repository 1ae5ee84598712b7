/* SPDX-License-Identifier: MIT */
/* The CLI's userspace-VM modes: `run --vm` and `conformance --vm`. */
#ifndef BK_CLI_CMD_VM_H
#define BK_CLI_CMD_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* True when "--vm" is among argv[1..argc-1]. */
bool bk_cli_want_vm(int argc, char **argv);

/* `run --vm FILE [--type T] [--data F] [--repeat N] [--pcap F] [-d DIALECT]`. */
int bk_cmd_run_vm(struct bk_cli *cli, int argc, char **argv);

/* `conformance --vm FILE|DIR...`. */
int bk_cmd_conformance_vm(struct bk_cli *cli, int argc, char **argv);

/* Called once per packet of a capture; nonzero stops. */
typedef int (*bk_pcap_fn)(void *ctx, const uint8_t *pkt, size_t len);

/*
 * Hand every packet of an in-memory pcap or pcapng file to fn. Returns the
 * number of packets, or -1 with err holding why the file is unreadable.
 */
int bk_pcap_each(const uint8_t *buf, size_t len, bk_pcap_fn fn, void *ctx, char *err,
		 size_t errlen);

#endif /* BK_CLI_CMD_VM_H */
