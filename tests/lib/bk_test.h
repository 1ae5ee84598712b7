/* SPDX-License-Identifier: MIT */
/*
 * Test fixtures shared by every test file: kernel availability (skip, or fail
 * under BK_REQUIRE_KERNEL=1), private worlds (network namespace with a veth
 * pair, private bpffs mount, temporary cgroup) and fd-leak checks.
 *
 * Criterion runs every test in its own forked process, so a namespace a test
 * unshares dies with that process: nothing leaks into the machine even when
 * the test fails or crashes. The cgroup is the exception (a directory), and
 * its fixture removes it in the test's fini and at the next start.
 */
#ifndef BK_TEST_H
#define BK_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <criterion/criterion.h>

/* Why kernel tests cannot run here (NULL when they can): not root/CAP_BPF... */
const char *bk_test_kernel_unavailable(void);

/* True when BK_REQUIRE_KERNEL=1: a missing capability fails instead of skipping. */
bool bk_test_kernel_required(void);

/* Skip (or fail, under BK_REQUIRE_KERNEL=1) with a reason. */
#define BK_SKIP_OR_FAIL(...)                                                                       \
	do {                                                                                       \
		if (bk_test_kernel_required())                                                     \
			cr_assert_fail(__VA_ARGS__);                                                  \
		else                                                                               \
			cr_skip_test(__VA_ARGS__);                                                 \
	} while (0)

/*
 * Skip because the running kernel lacks a feature: the one skip that stays a
 * skip under BK_REQUIRE_KERNEL=1. Probe the feature first and name it
 * ("kernel lacks BPF_F_TEST_XDP_LIVE_FRAMES"). Every other skip (missing
 * privileges, tools or test data) goes through BK_SKIP_OR_FAIL; the run's
 * summary lists every skip with its reason, and under BK_REQUIRE_KERNEL=1
 * counts any skip not made here as a failure.
 */
#define BK_SKIP_FEATURE_PREFIX "kernel lacks "
#define BK_SKIP_FEATURE(fmt, ...) cr_skip_test(BK_SKIP_FEATURE_PREFIX fmt, ##__VA_ARGS__)

/* Start of every test that talks to the kernel. */
#define BK_REQUIRE_KERNEL()                                                                        \
	do {                                                                                       \
		const char *why_ = bk_test_kernel_unavailable();                                   \
		if (why_)                                                                          \
			BK_SKIP_OR_FAIL("kernel tests need bpf(): %s", why_);                      \
	} while (0)

/* Skip (or fail) unless an external tool is on PATH. */
#define BK_REQUIRE_TOOL(tool)                                                                      \
	do {                                                                                       \
		if (!bk_test_have_tool(tool))                                                      \
			BK_SKIP_OR_FAIL("%s is not installed (scripts/install-deps test)", tool);  \
	} while (0)

bool bk_test_have_tool(const char *tool);

/*
 * Move this test process into a new network namespace with loopback up, and,
 * when veth0/veth1 are not NULL, create a veth pair with those names, both up.
 * Returns 0 or a negative errno. The namespace dies with the test process.
 */
int bk_test_netns(const char *veth0, const char *veth1);

/* Interface index of a name in the current namespace, or 0. */
unsigned bk_test_ifindex(const char *name);

/*
 * Mount a private bpffs: unshare the mount namespace, make it private, mount
 * a fresh bpf filesystem over /sys/fs/bpf (in this namespace only) and write
 * that path to dir.
 */
int bk_test_bpffs(char *dir, size_t size);

/*
 * Mount tracefs at /sys/kernel/tracing in a private mount namespace (unshared
 * and made private, as for bk_test_bpffs), for tracepoint tests on machines
 * that do not mount it. Returns 0 or a negative errno.
 */
int bk_test_tracefs(void);

/*
 * Create a temporary cgroup v2 directory (under the machine's cgroup2 mount,
 * never changing existing cgroups), path written to dir; and remove it.
 * Remove moves any process left inside back to the parent first.
 */
int bk_test_cgroup_create(char *dir, size_t size);
int bk_test_cgroup_remove(const char *dir);

/* Number of open fds of this process; tests compare before and after. */
int bk_test_fd_count(void);

/* Fixtures for TestSuite(.init/.fini): record fds, then assert none leaked. */
void bk_test_fd_snapshot(void);
void bk_test_fd_check(void);

/* Run a shell command, capture its stdout (NUL-terminated, malloc'd). Returns
 * the exit status or -1. */
int bk_test_run(const char *cmd, char **out);

/* The whole file at path, malloc'd and NUL-terminated; *size (when size is
 * not NULL) gets its length without the NUL. The test fails when the file
 * cannot be read whole. */
char *bk_test_read_file(const char *path, size_t *size);

/* Path of the built CLI binary (exported by the Makefile as BK_CLI). */
const char *bk_test_cli(void);

/* Path of the source tree (BK_SRCDIR), for data files. */
const char *bk_test_srcdir(void);

/*
 * The bpf_conformance suite's directory of .data files: $BK_CONFORMANCE_DIR,
 * else ../shared/conformance/tests beside the source tree. When it cannot be
 * read, the test skips (or fails under BK_REQUIRE_KERNEL=1): missing data.
 */
const char *bk_test_conformance_dir(void);

#endif /* BK_TEST_H */
