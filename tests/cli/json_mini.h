/* SPDX-License-Identifier: MIT */
/*
 * A tiny JSON reader and comparator for the CLI tests (test-only, header
 * only): parse bpftool's and bpfkit's output and compare the values, so
 * spacing and key order never matter but every key and value does.
 */
#ifndef BK_TEST_JSON_MINI_H
#define BK_TEST_JSON_MINI_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUM, JM_STR, JM_ARR, JM_OBJ };

struct jm {
	enum jm_type type;
	bool b;
	double num;
	char *str;	  /* JM_STR */
	int n;		  /* children of JM_ARR / JM_OBJ */
	char **keys;	  /* JM_OBJ */
	struct jm **kids; /* JM_ARR / JM_OBJ */
};

static inline void jm_free(struct jm *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->n; i++) {
		jm_free(v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
	free(v);
}

static inline void jm_ws(const char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

static inline struct jm *jm_value(const char **p);

static inline char *jm_string(const char **p)
{
	size_t cap = 16, n = 0;
	char *s;

	if (**p != '"')
		return NULL;
	(*p)++;
	s = malloc(cap);
	while (**p && **p != '"') {
		char c = *(*p)++;

		if (c == '\\') {
			c = *(*p)++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		s[n++] = c;
	}
	if (**p != '"') {
		free(s);
		return NULL;
	}
	(*p)++;
	s[n] = '\0';
	return s;
}

static inline bool jm_add(struct jm *v, char *key, struct jm *kid)
{
	if (!kid) {
		free(key);
		return false;
	}
	v->kids = realloc(v->kids, sizeof(*v->kids) * (v->n + 1));
	if (v->type == JM_OBJ) {
		v->keys = realloc(v->keys, sizeof(*v->keys) * (v->n + 1));
		v->keys[v->n] = key;
	}
	v->kids[v->n++] = kid;
	return true;
}

static inline struct jm *jm_container(const char **p, char close)
{
	struct jm *v = calloc(1, sizeof(*v));

	v->type = close == '}' ? JM_OBJ : JM_ARR;
	(*p)++;
	jm_ws(p);
	if (**p == close) {
		(*p)++;
		return v;
	}
	for (;;) {
		char *key = NULL;

		jm_ws(p);
		if (v->type == JM_OBJ) {
			key = jm_string(p);
			jm_ws(p);
			if (!key || **p != ':') {
				free(key);
				break;
			}
			(*p)++;
		}
		if (!jm_add(v, key, jm_value(p)))
			break;
		jm_ws(p);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p == close) {
			(*p)++;
			return v;
		}
		break;
	}
	jm_free(v);
	return NULL;
}

static inline struct jm *jm_value(const char **p)
{
	struct jm *v;
	char *end;

	jm_ws(p);
	if (**p == '{' || **p == '[')
		return jm_container(p, **p == '{' ? '}' : ']');
	v = calloc(1, sizeof(*v));
	if (**p == '"') {
		v->type = JM_STR;
		v->str = jm_string(p);
		if (!v->str) {
			free(v);
			return NULL;
		}
	} else if (!strncmp(*p, "true", 4) || !strncmp(*p, "false", 5)) {
		v->type = JM_BOOL;
		v->b = **p == 't';
		*p += v->b ? 4 : 5;
	} else if (!strncmp(*p, "null", 4)) {
		*p += 4;
	} else {
		v->type = JM_NUM;
		v->num = strtod(*p, &end);
		if (end == *p) {
			free(v);
			return NULL;
		}
		*p = end;
	}
	return v;
}

/* Parse a whole document; NULL when it is not exactly one JSON value. */
static inline struct jm *jm_parse(const char *text)
{
	const char *p = text;
	struct jm *v = jm_value(&p);

	jm_ws(&p);
	if (v && *p) {
		jm_free(v);
		return NULL;
	}
	return v;
}

static inline const struct jm *jm_get(const struct jm *o, const char *key)
{
	for (int i = 0; o && o->type == JM_OBJ && i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->kids[i];
	return NULL;
}

/* The element of array a whose "id" is id. */
static inline const struct jm *jm_find_id(const struct jm *a, double id)
{
	for (int i = 0; a && a->type == JM_ARR && i < a->n; i++) {
		const struct jm *v = jm_get(a->kids[i], "id");

		if (v && v->type == JM_NUM && v->num == id)
			return a->kids[i];
	}
	return NULL;
}

/* Deep equality; where is filled with the path of the first difference. */
static inline bool jm_equal(const struct jm *a, const struct jm *b, char *where, size_t size)
{
	if (!a || !b || a->type != b->type || a->n != b->n) {
		snprintf(where, size, "type/size differs");
		return false;
	}
	switch (a->type) {
	case JM_NULL:
		return true;
	case JM_BOOL:
		return a->b == b->b || (snprintf(where, size, "bool"), false);
	case JM_NUM:
		return a->num == b->num || (snprintf(where, size, "%g != %g", a->num, b->num), false);
	case JM_STR:
		return !strcmp(a->str, b->str) ||
		       (snprintf(where, size, "\"%s\" != \"%s\"", a->str, b->str), false);
	case JM_ARR:
		for (int i = 0; i < a->n; i++)
			if (!jm_equal(a->kids[i], b->kids[i], where, size))
				return false;
		return true;
	case JM_OBJ:
		for (int i = 0; i < a->n; i++) {
			const struct jm *bv = jm_get(b, a->keys[i]);
			char inner[200];

			if (!bv || !jm_equal(a->kids[i], bv, inner, sizeof(inner))) {
				snprintf(where, size, "key \"%s\": %s", a->keys[i],
					 bv ? inner : "missing");
				return false;
			}
		}
		return true;
	}
	return false;
}

#endif /* BK_TEST_JSON_MINI_H */
