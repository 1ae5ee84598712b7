/* SPDX-License-Identifier: MIT */
/*
 * Shared by the object commands (prog, map, link, btf): bpftool's ways of
 * naming an object (`id N`, `pinned PATH`, `name NAME`, `tag HEX`), byte
 * arguments (`0x01 2 0x03` or `hex 01 02 03`), type names from the kernel's
 * BTF, and hex output.
 */
#ifndef BK_CLI_OBJREF_H
#define BK_CLI_OBJREF_H

#include <stddef.h>
#include <stdint.h>

#include <bpfkit/info.h>

#include "cli.h"
#include "json.h"

/* The fds an object handle resolves to (a name can match several). */
#define BK_CLI_MAX_MATCH 256
struct bk_cli_objs {
	int n;
	int fds[BK_CLI_MAX_MATCH];
};

/* Is argv[0] the start of an object handle (id/pinned/name/tag)? */
bool bk_cli_is_handle(int argc, char **argv);

/*
 * Resolve the handle at argv[0..1] into fds (closed by bk_cli_objs_close).
 * Returns 0, or an exit status after printing why (1: not found, 2: usage).
 * *used is the number of arguments consumed (2).
 */
int bk_cli_objs_open(struct bk_cli *cli, enum bk_obj_kind kind, int argc, char **argv,
		     struct bk_cli_objs *objs, int *used);

/* Same, but exactly one object must match; *fd is it. */
int bk_cli_obj_open1(struct bk_cli *cli, enum bk_obj_kind kind, int argc, char **argv, int *fd,
		     int *used);

void bk_cli_objs_close(struct bk_cli_objs *objs);

/*
 * Parse n bytes after a keyword: `0x01 2 0x3 ...` (each token a number of
 * base 0 below 256) or `hex 01 02 03` (tokens of hex digit pairs, which may be
 * run together). Returns the number of arguments consumed, or -1 after
 * printing why.
 */
int bk_cli_parse_bytes(struct bk_cli *cli, int argc, char **argv, uint8_t *out, size_t n,
		       const char *what);

/* Is s one of the map verbs' keywords (key, value, any, noexist, exist, hex)? */
bool bk_cli_is_keyword(const char *s);

/* "xdp" for ("bpf_prog_type", "BPF_PROG_TYPE_", 6); the number when unknown. */
const char *bk_cli_type_name(const char *enum_name, const char *prefix, uint32_t v, char *buf,
			     size_t size);

const char *bk_cli_prog_type(uint32_t v, char *buf, size_t size);
const char *bk_cli_map_type(uint32_t v, char *buf, size_t size);
const char *bk_cli_link_type(uint32_t v, char *buf, size_t size);
const char *bk_cli_attach_type(uint32_t v, char *buf, size_t size);

/* A JSON array of "0x%02x" strings, bpftool's form of raw bytes. */
void bk_cli_json_hex(struct bk_json *j, const uint8_t *p, size_t n);

/* "01 02 03" to out, bpftool's plain form of raw bytes (16 a line). */
void bk_cli_text_hex(FILE *out, const uint8_t *p, size_t n);

#endif /* BK_CLI_OBJREF_H */
