// SPDX-License-Identifier: MIT
/*
 * Finding tracefs for tracepoint links: through the mount table wherever it
 * is mounted, and a clear ENOENT (with a debug message saying why) when it
 * is mounted nowhere. Each test works in its own private mount namespace,
 * taking away every tracefs and debugfs mount it inherited.
 */
#include <mntent.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sched.h>

#include "test_link.h"

TestSuite(obj_link_tracefs, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

/* A private mount namespace with no tracefs (nor debugfs, which holds one). */
static void without_tracefs(void)
{
	char dirs[16][256];
	int n = 0;
	struct mntent *e;
	FILE *f;

	cr_assert_eq(unshare(CLONE_NEWNS), 0, "%s", strerror(errno));
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	f = setmntent("/proc/self/mounts", "re");
	cr_assert_not_null(f);
	while ((e = getmntent(f)) && n < 16)
		if (!strcmp(e->mnt_type, "tracefs") || !strcmp(e->mnt_type, "debugfs"))
			snprintf(dirs[n++], sizeof(dirs[0]), "%s", e->mnt_dir);
	endmntent(f);
	/* Innermost first: a tracefs inside debugfs goes before debugfs. */
	while (n-- > 0)
		cr_assert_eq(umount2(dirs[n], MNT_DETACH), 0, "%s: %s", dirs[n], strerror(errno));
}

struct logged {
	int n;
	char last[256];
};

static void on_log(enum bk_log_level level, void *ctx, const char *msg)
{
	struct logged *l = ctx;

	(void)level;
	l->n++;
	snprintf(l->last, sizeof(l->last), "%s", msg);
}

Test(obj_link_tracefs, no_tracefs_is_enoent_and_says_why)
{
	struct logged l = { 0 };
	struct bk_prog *tp;

	BK_REQUIRE_KERNEL();
	without_tracefs();
	tp = tl_load(BK_PROG_TYPE_TRACEPOINT, 0, NULL, "r0 = 0\nexit\n");
	bk_set_log(on_log, &l);
	cr_assert_null(bk_link_tracepoint(tp, "syscalls", "sys_enter_getpid", NULL));
	cr_assert_eq(errno, ENOENT);
	bk_set_log(NULL, NULL);
	cr_assert_geq(l.n, 1);
	cr_assert(strstr(l.last, "tracefs is not mounted"), "%s", l.last);
	bk_prog_close(tp);
}

Test(obj_link_tracefs, found_through_the_mount_table_anywhere)
{
	char dir[] = "/tmp/bk-tracefs-XXXXXX";
	struct bk_map *counts;
	struct bk_prog *tp;
	struct bk_link *link;

	BK_REQUIRE_KERNEL();
	without_tracefs();
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(mount("nodev", dir, "tracefs", 0, NULL), 0, "%s", strerror(errno));
	/* Nothing is left at the usual paths: only /proc/self/mounts knows. */
	counts = tl_counts();
	tp = tl_load(BK_PROG_TYPE_TRACEPOINT, 0, counts, TL_COUNT "r0 = 0\nexit\n", 0);
	link = bk_link_tracepoint(tp, "syscalls", "sys_enter_getppid", NULL);
	cr_assert_not_null(link, "%s", strerror(errno));
	getppid();
	cr_assert_geq(tl_count(counts, 0), 1);
	bk_link_close(link);
	bk_prog_close(tp);
	bk_map_close(counts);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}
