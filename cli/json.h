/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer for the CLI: it tracks nesting and commas, so
 * commands only say what they emit. Output shape follows bpftool's -j.
 */
#ifndef BK_CLI_JSON_H
#define BK_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BK_JSON_MAX_DEPTH 32

struct bk_json {
	FILE *out;
	bool pretty;
	int depth;
	bool first[BK_JSON_MAX_DEPTH]; /* no element written yet at this depth */
	bool after_key;		       /* a key was written, its value comes next */
};

void bk_json_init(struct bk_json *j, FILE *out, bool pretty);
void bk_json_object_begin(struct bk_json *j);
void bk_json_object_end(struct bk_json *j);
void bk_json_array_begin(struct bk_json *j);
void bk_json_array_end(struct bk_json *j);
void bk_json_key(struct bk_json *j, const char *key);
void bk_json_string(struct bk_json *j, const char *s);
void bk_json_uint(struct bk_json *j, uint64_t v);
void bk_json_int(struct bk_json *j, int64_t v);
void bk_json_bool(struct bk_json *j, bool v);
void bk_json_null(struct bk_json *j);
/* A value already in JSON form (a number, a quoted string without escapes). */
void bk_json_raw(struct bk_json *j, const char *literal, size_t len);
/* Finish the document with a newline. */
void bk_json_end(struct bk_json *j);

/* key + value shorthands */
void bk_json_kv_string(struct bk_json *j, const char *key, const char *s);
void bk_json_kv_uint(struct bk_json *j, const char *key, uint64_t v);
void bk_json_kv_int(struct bk_json *j, const char *key, int64_t v);
void bk_json_kv_bool(struct bk_json *j, const char *key, bool v);

#endif /* BK_CLI_JSON_H */
