// SPDX-License-Identifier: MIT
/* Streaming JSON writer; see json.h. */
#include <inttypes.h>

#include "json.h"

void bk_json_init(struct bk_json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

static void indent(struct bk_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("    ", j->out);
}

/* Separator before a value or key at the current depth. */
static void before_value(struct bk_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	if (j->depth > 0)
		indent(j);
}

static void open(struct bk_json *j, char c)
{
	before_value(j);
	fputc(c, j->out);
	if (j->depth + 1 < BK_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close(struct bk_json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->out);
}

void bk_json_object_begin(struct bk_json *j) { open(j, '{'); }
void bk_json_object_end(struct bk_json *j) { close(j, '}'); }
void bk_json_array_begin(struct bk_json *j) { open(j, '['); }
void bk_json_array_end(struct bk_json *j) { close(j, ']'); }

static void raw_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void bk_json_key(struct bk_json *j, const char *key)
{
	before_value(j);
	raw_string(j->out, key);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void bk_json_string(struct bk_json *j, const char *s)
{
	before_value(j);
	raw_string(j->out, s ? s : "");
}

void bk_json_uint(struct bk_json *j, uint64_t v)
{
	before_value(j);
	fprintf(j->out, "%" PRIu64, v);
}

void bk_json_int(struct bk_json *j, int64_t v)
{
	before_value(j);
	fprintf(j->out, "%" PRId64, v);
}

void bk_json_raw(struct bk_json *j, const char *literal, size_t len)
{
	before_value(j);
	fwrite(literal, 1, len, j->out);
}

void bk_json_bool(struct bk_json *j, bool v)
{
	before_value(j);
	fputs(v ? "true" : "false", j->out);
}

void bk_json_null(struct bk_json *j)
{
	before_value(j);
	fputs("null", j->out);
}

void bk_json_end(struct bk_json *j)
{
	fputc('\n', j->out);
}

void bk_json_kv_string(struct bk_json *j, const char *key, const char *s)
{
	bk_json_key(j, key);
	bk_json_string(j, s);
}

void bk_json_kv_uint(struct bk_json *j, const char *key, uint64_t v)
{
	bk_json_key(j, key);
	bk_json_uint(j, v);
}

void bk_json_kv_int(struct bk_json *j, const char *key, int64_t v)
{
	bk_json_key(j, key);
	bk_json_int(j, v);
}

void bk_json_kv_bool(struct bk_json *j, const char *key, bool v)
{
	bk_json_key(j, key);
	bk_json_bool(j, v);
}
