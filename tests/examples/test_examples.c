// SPDX-License-Identifier: MIT
/* The README's examples (the files in examples/, shown verbatim there, built by make
 * check) run against the real kernel and say what the README says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"

/* Run an example binary with args; its exit status, output in *out. */
static int example(const char *name, const char *args, char **out)
{
	const char *dir = getenv("BK_EXAMPLES");
	char path[512], cmd[1024];

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "build/examples", name);
	cr_assert_eq(access(path, X_OK), 0, "%s is not built (make check builds the examples)",
		     path);
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", path, args);
	return bk_test_run(cmd, out);
}

Test(examples, count_loads_text_attaches_xdp_and_counts)
{
	char *out = NULL;
	unsigned action = 0;
	unsigned long long hits = 0;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkex0", "bkex1"), 0);
	cr_assert_eq(example("count", "bkex0", &out), 0, "%s", out);
	cr_assert_eq(sscanf(out, "XDP action %u, hits %llu", &action, &hits), 2, "%s", out);
	cr_assert_eq(action, 2, "XDP_PASS expected: %s", out);
	/* The test run counts once; packets the fresh veth pair sends itself
	 * (IPv6 neighbour discovery) may have arrived on bkex0 and count too. */
	cr_assert_geq(hits, 1, "%s", out);
	free(out);
}

Test(examples, count_names_the_interface_it_cannot_attach_to)
{
	char *out = NULL;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns(NULL, NULL), 0);
	cr_assert_eq(example("count", "bk-no-such-if", &out), 1, "%s", out);
	cr_assert_not_null(strstr(out, "bk-no-such-if: "), "%s", out);
	free(out);
	cr_assert_eq(example("count", "", &out), 2, "%s", out);
	cr_assert_not_null(strstr(out, "usage: count IFNAME"), "%s", out);
	free(out);
}

Test(examples, raw_loads_runs_and_keeps_the_log_of_a_success)
{
	char *out = NULL;
	int fd = 0, ret = 0;
	size_t log_len = 0;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(example("raw", "", &out), 0, "%s", out);
	cr_assert_eq(sscanf(out, "fd %d: returned %d; the verifier's log has %zu bytes", &fd, &ret,
			    &log_len),
		     3, "%s", out);
	cr_assert_gt(fd, 2, "%s", out);
	cr_assert_eq(ret, 2, "XDP_PASS expected: %s", out);
	cr_assert_gt(log_len, 0, "a level-1 log of a success is kept: %s", out);
	free(out);
}

/* The README's promise "no dependency beyond libc", and the shared library
 * built as distributions build libbpf: full RELRO, symbols bound at load. */
Test(examples, the_shared_library_needs_only_libc_and_binds_at_load)
{
	const char *dir = getenv("BK_EXAMPLES");
	char cmd[1024], *out = NULL;
	int needed = 0;

	snprintf(cmd, sizeof(cmd), "readelf -d %s/../libbpfkit.so 2>&1",
		 dir && *dir ? dir : "build/examples");
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s", out);
	for (const char *p = strstr(out, "(NEEDED)"); p; p = strstr(p + 1, "(NEEDED)"))
		needed++;
	/* make check SAN=1 links the sanitizers' runtimes too */
	needed -= strstr(out, "[libasan.so") != NULL;
	needed -= strstr(out, "[libubsan.so") != NULL;
	cr_assert_eq(needed, 1, "one library needed: %s", out);
	cr_assert(strstr(out, "Shared library: [libc.so.6]"), "%s", out);
	cr_assert(strstr(out, "BIND_NOW"), "%s", out);
	free(out);
}
