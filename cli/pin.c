// SPDX-License-Identifier: MIT
/* Pinning objects and the link verbs that work on any link: pin, detach. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpfkit/info.h>
#include <bpfkit/sys.h>

#include "kern.h"
#include "objref.h"
#include "ops.h"

#define BPF_FS_MAGIC 0xcafe4a11

void bk_cli_json_null(struct bk_cli *cli)
{
	if (cli->json)
		fputs("null\n", cli->out);
}

int bk_cli_pin_explain(struct bk_cli *cli, int fd, const char *path)
{
	char dir[PATH_MAX];
	struct statfs fs;
	int err = bk_cli_pin(fd, path);

	if (!err)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	if (statfs(dirname(dir), &fs) != 0)
		return bk_cli_fail(cli, "pin %s: directory %s: %s", path, dir, strerror(errno));
	if ((unsigned long)fs.f_type != BPF_FS_MAGIC)
		return bk_cli_fail(cli,
				   "pin %s: %s is not on a BPF filesystem (bpffs); objects are "
				   "pinned in one, e.g. after 'mount -t bpf bpf /sys/fs/bpf'",
				   path, dir);
	return bk_cli_fail(cli, "pin %s: %s", path, strerror(-err));
}

int bk_cli_link_pin(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	int fd, used, st;

	st = bk_cli_obj_open1(cli, BK_OBJ_LINK, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used + 1 != argc) {
		close(fd);
		return bk_cli_usage_why(cli, usage, "link pin needs LINK and PATH");
	}
	st = bk_cli_pin_explain(cli, fd, argv[used]);
	close(fd);
	if (!st)
		bk_cli_json_null(cli);
	return st;
}

int bk_cli_link_detach(struct bk_cli *cli, int argc, char **argv, const char *usage)
{
	int fd, used, st, err;

	st = bk_cli_obj_open1(cli, BK_OBJ_LINK, argc, argv, &fd, &used);
	if (st)
		return st;
	if (used != argc) {
		close(fd);
		return bk_cli_usage_why(cli, usage, "unexpected argument '%s'", argv[used]);
	}
	err = bk_sys_link_detach(fd);
	close(fd);
	if (err)
		return bk_cli_fail(cli, "link detach: %s", strerror(-err));
	bk_cli_json_null(cli);
	return 0;
}
