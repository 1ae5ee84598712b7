// SPDX-License-Identifier: MIT
/* The corpus itself: every tests/elf/progs/NAME.bpf.c is built, and under libbpf
 * (libbpf_ref --check) does what its "// expect:" lines say, so the loader's
 * tests build on expectations that are right. Pinned maps go to a private
 * bpffs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"

static bool has(const char *src, const char *what)
{
	return strstr(src, what) != NULL;
}

Test(corpus, every_object_meets_its_expectations_under_libbpf)
{
	const char *ref = getenv("BK_LIBBPF_REF"), *objs = getenv("BK_ELF_CORPUS");
	char progs[512], pin[256], path[1024], obj[1024], kconfig[1024], cmd[4096];
	int n = 0, loaded = 0;
	struct dirent *e;
	DIR *d;

	BK_REQUIRE_KERNEL();
	cr_assert_not_null(ref, "BK_LIBBPF_REF is set by the Makefile");
	cr_assert_not_null(objs, "BK_ELF_CORPUS is set by the Makefile");
	cr_assert_eq(bk_test_bpffs(pin, sizeof(pin)), 0);
	snprintf(progs, sizeof(progs), "%s/tests/elf/progs", bk_test_srcdir());
	d = opendir(progs);
	cr_assert_not_null(d, "%s", progs);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		bool fails, conditional;
		char *src, *out = NULL;
		int rc;

		if (len < 6 || strcmp(e->d_name + len - 6, ".bpf.c") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", progs, e->d_name);
		snprintf(obj, sizeof(obj), "%s/%.*s.o", objs, (int)(len - 2), e->d_name);
		cr_assert_eq(access(obj, R_OK), 0, "%s was not built", obj);
		src = bk_test_read_file(path, NULL);
		conditional = has(src, "// expect: load fails") && has(src, " when ");
		fails = has(src, "// expect: libbpf fails") || has(src, "// expect: open fails") ||
			(has(src, "// expect: load fails") && !conditional);
		snprintf(kconfig, sizeof(kconfig), "%.*s.config", (int)(strlen(path) - 6), path);
		snprintf(cmd, sizeof(cmd), "%s --pin-root %s %s%s%s --check '%s' '%s' 2>&1", ref, pin,
			 access(kconfig, R_OK) ? "" : "--kconfig '", access(kconfig, R_OK) ? "" : kconfig,
			 access(kconfig, R_OK) ? "" : "'", path, obj);
		rc = bk_test_run(cmd, &out);
		if (fails)
			cr_assert_neq(rc, 0, "%s: libbpf loaded it:\n%s", e->d_name, out);
		else if (!conditional || rc == 0)
			cr_assert(rc == 0 && strstr(out, "all passed"), "%s:\n%s", e->d_name, out);
		loaded += rc == 0;
		n++;
		free(out);
		free(src);
	}
	closedir(d);
	cr_assert_geq(n, 18, "only %d corpus objects", n);
	cr_assert_geq(loaded, 11, "libbpf loaded only %d", loaded);
}
