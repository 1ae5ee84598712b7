/* SPDX-License-Identifier: MIT */
/*
 * bpftool's operational verbs shared between the nouns' dispatchers: pinning
 * with an explanation when no bpffs is there, link pin/detach, and the map,
 * program, net and cgroup verbs that live in their own files.
 */
#ifndef BK_CLI_OPS_H
#define BK_CLI_OPS_H

#include "cli.h"

/* Pin fd at path; on failure print why (and how to mount a bpffs when the
 * directory is not on one). Returns 0 or 1. */
int bk_cli_pin_explain(struct bk_cli *cli, int fd, const char *path);

/* `link pin LINK PATH`, `link detach LINK`. */
int bk_cli_link_pin(struct bk_cli *cli, int argc, char **argv, const char *usage);
int bk_cli_link_detach(struct bk_cli *cli, int argc, char **argv, const char *usage);

/* map create/freeze/peek/push/pop/enqueue/dequeue/event (cmd_map_ops.c, cmd_map_event.c). */
int bk_cli_map_create(struct bk_cli *cli, int argc, char **argv, const char *usage);
int bk_cli_map_freeze(struct bk_cli *cli, int argc, char **argv, const char *usage);
int bk_cli_map_keyless(struct bk_cli *cli, const char *verb, int argc, char **argv,
		       const char *usage);
int bk_cli_map_event(struct bk_cli *cli, int argc, char **argv, const char *usage);

/* prog load/pin/run/tracelog (cmd_prog_ops.c). */
int bk_cli_prog_load(struct bk_cli *cli, bool all, int argc, char **argv, const char *usage);
int bk_cli_prog_pin(struct bk_cli *cli, int argc, char **argv, const char *usage);
int bk_cli_prog_run(struct bk_cli *cli, int argc, char **argv, const char *usage);
int bk_cli_prog_tracelog(struct bk_cli *cli, int argc, char **argv, const char *usage);

/* attach/detach (cmd_attach.c) and the net and cgroup listings (cmd_net.c). */
int bk_cli_prog_attach(struct bk_cli *cli, bool attach, int argc, char **argv,
		       const char *usage);
int bk_cli_net_attach(struct bk_cli *cli, bool attach, int argc, char **argv, const char *usage);
int bk_cli_cgroup_attach(struct bk_cli *cli, bool attach, int argc, char **argv,
			 const char *usage);

/* Open a cgroup2 directory; -1 after saying why (not there, not cgroup v2). */
int bk_cli_open_cgroup(struct bk_cli *cli, const char *path);

/* Print bpftool's JSON answer to a verb with no output ("null") when -j. */
void bk_cli_json_null(struct bk_cli *cli);

#endif /* BK_CLI_OPS_H */
