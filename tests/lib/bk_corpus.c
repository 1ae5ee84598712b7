// SPDX-License-Identifier: MIT
/* The ELF loader tests' corpus helpers (see bk_corpus.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "bk_test.h"
#include "bk_corpus.h"

const char *bk_corpus_obj(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("BK_ELF_CORPUS");

	if (!dir)
		BK_SKIP_OR_FAIL("BK_ELF_CORPUS is not set: run through make (make check builds the corpus)");
	snprintf(buf, size, "%s/%s.bpf.o", dir, name);
	if (access(buf, R_OK) != 0)
		BK_SKIP_OR_FAIL("%s is missing: the corpus is built by make check (clang-19)", buf);
	return buf;
}

const char *bk_corpus_src(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/tests/elf/progs/%s.bpf.c", bk_test_srcdir(), name);
	return buf;
}

/* Calls fn for each "// expect: " line of NAME's source (the text after it). */
static int each_expect(const char *name, int (*fn)(void *, const char *), void *ctx)
{
	char path[512], line[512];
	FILE *f = fopen(bk_corpus_src(name, path, sizeof(path)), "re");
	int n = 0;

	cr_assert_not_null(f, "%s: cannot read", path);
	while (fgets(line, sizeof(line), f)) {
		char *e = strstr(line, "// expect: ");

		if (!e)
			continue;
		e += strlen("// expect: ");
		e[strcspn(e, "\n")] = '\0';
		n += fn(ctx, e);
	}
	fclose(f);
	return n;
}

struct find {
	const char *what;
	bool found;
};

static int find_one(void *ctx, const char *line)
{
	struct find *f = ctx;

	if (!strcmp(line, f->what))
		f->found = true;
	return 0;
}

bool bk_corpus_expects(const char *name, const char *what)
{
	struct find f = { what, false };

	each_expect(name, find_one, &f);
	return f.found;
}

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h) / 2;

	cr_assert_leq(n, cap);
	for (size_t i = 0; i < n; i++) {
		unsigned b;

		cr_assert_eq(sscanf(h + 2 * i, "%2x", &b), 1, "bad hex '%s'", h);
		out[i] = (uint8_t)b;
	}
	return n;
}

static int check_run(struct bk_object *obj, const char *prog, long want)
{
	struct bk_object_prog *p = bk_object_prog_by_name(obj, prog);
	uint8_t pkt[64] = { 0 };
	struct bk_test_run_opts o = { .sz = sizeof(o) };

	cr_assert_not_null(p, "no program '%s'", prog);
	cr_assert_not_null(bk_object_prog_prog(p), "program '%s' was not loaded", prog);
	if (bk_object_prog_type(p) != BK_PROG_TYPE_SYSCALL) {
		o.data_in = pkt;
		o.data_size_in = sizeof(pkt);
	}
	cr_assert_eq(bk_prog_test_run(bk_object_prog_prog(p), &o), 0, "test run of '%s': %s", prog,
		     strerror(errno));
	cr_assert_eq((int32_t)o.retval, (int32_t)want, "'%s' returned %d, expected %ld", prog,
		     (int32_t)o.retval, want);
	return 1;
}

static int check_map(struct bk_object *obj, const char *map, const char *key_hex,
		     const char *value_hex)
{
	struct bk_object_map *m = bk_object_map_by_name(obj, map);
	uint8_t key[64], want[256], got[256];
	size_t klen, vlen;

	cr_assert_not_null(m, "no map '%s'", map);
	klen = unhex(key_hex, key, sizeof(key));
	vlen = unhex(value_hex, want, sizeof(want));
	cr_assert_eq(bk_map_lookup(bk_object_map_map(m), key, klen, got, vlen, 0), 0,
		     "map '%s' key %s: %s", map, key_hex, strerror(errno));
	cr_assert_arr_eq(got, want, vlen, "map '%s' key %s: value differs from %s", map, key_hex,
			 value_hex);
	return 1;
}

static int check_one(void *ctx, const char *line)
{
	char a[64], b[128], c[600];
	long n;

	if (sscanf(line, "run %63s retval %ld", a, &n) == 2)
		return check_run(ctx, a, n);
	if (sscanf(line, "map %63s key %127s value %599s", a, b, c) == 3)
		return check_map(ctx, a, b, c);
	return 0;
}

int bk_corpus_check(const char *name, struct bk_object *obj)
{
	return each_expect(name, check_one, obj);
}

struct bk_object *bk_corpus_open(const char *name)
{
	char path[512];
	static struct bk_diag d; /* the object keeps writing to it: it must outlive it */
	struct bk_object *obj = bk_object_open_file(bk_corpus_obj(name, path, sizeof(path)),
						    BK_OPTS(bk_object_opts, .diag = &d));

	cr_assert_not_null(obj, "%s: %s", name, d.msg);
	return obj;
}

struct bk_object *bk_corpus_load(const char *name, struct bk_diag *d, const char *pin_root)
{
	char path[512];
	struct bk_object *obj;

	BK_REQUIRE_KERNEL();
	obj = bk_object_open_file(bk_corpus_obj(name, path, sizeof(path)),
				  BK_OPTS(bk_object_opts, .diag = d, .pin_root_path = pin_root));
	cr_assert_not_null(obj, "%s: open: %s", name, d->msg);
	return obj;
}

void bk_corpus_load_and_check(const char *name, int min_checks)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_corpus_load(name, &d, NULL);
	int n;

	cr_assert_eq(bk_object_load(obj), 0, "%s: load: %s:%u: %s", name, d.file, d.line, d.msg);
	n = bk_corpus_check(name, obj);
	cr_assert_geq(n, min_checks, "%s: only %d expectations checked", name, n);
	bk_object_close(obj);
}

/* ---- the same object through libbpf ---- */

char *bk_corpus_run_json(const char *cmd_fmt, const char *a, const char *b)
{
	char cmd[1200];
	char *out = NULL;
	int rc;

	snprintf(cmd, sizeof(cmd), cmd_fmt, a, b);
	rc = bk_test_run(cmd, &out);
	cr_assert_eq(rc, 0, "'%s' exited %d", cmd, rc);
	return out;
}

void bk_corpus_same_as_libbpf(const char *name)
{
	const char *ref = getenv("BK_LIBBPF_REF");
	char path[512];
	char *ours, *theirs;

	BK_REQUIRE_KERNEL();
	if (!ref || access(ref, X_OK) != 0)
		BK_SKIP_OR_FAIL("libbpf_ref is not built (make check builds it; libbpf-dev from scripts/install-deps test)");
	bk_corpus_obj(name, path, sizeof(path));
	cr_assert_not(bk_corpus_expects(name, "libbpf fails"));
	ours = bk_corpus_run_json("%s object load %s --json 2>&1", bk_test_cli(), path);
	theirs = bk_corpus_run_json("%s %s 2>/dev/null", ref, path);
	cr_assert_str_eq(ours, theirs, "%s:\n bpfkit %s\n libbpf %s", name, ours, theirs);
	free(ours);
	free(theirs);
}
