// SPDX-License-Identifier: MIT
/* bk_strerror(): errno meanings per command, from two tables. */
#include <errno.h>
#include <stddef.h>

#include "sys_int.h"

/* The kernel's internal "not supported" errno, which bpf() can leak. */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

struct cmd_err {
	int cmd;
	int err;
	const char *msg;
};

static const struct cmd_err by_cmd[] = {
#define BK_CMD_ERR(CMD, ERR, MSG) { BK_CMD_##CMD, ERR, MSG },
#include "errors.def"
#undef BK_CMD_ERR
};

struct gen_err {
	int err;
	const char *name;
	const char *msg;
};

static const struct gen_err generic[] = {
#define BK_ERR(ERR, MSG) { ERR, #ERR, MSG },
#include "errors_generic.def"
#undef BK_ERR
};

static const struct gen_err *find_generic(int err)
{
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (generic[i].err == err)
			return &generic[i];
	return NULL;
}

const char *bk_strerror(int cmd, int err)
{
	const struct gen_err *g;

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(by_cmd) / sizeof(by_cmd[0]); i++)
		if (by_cmd[i].cmd == cmd && by_cmd[i].err == err)
			return by_cmd[i].msg;
	g = find_generic(err);
	return g ? g->msg : "unknown error";
}

const char *bk_errname(int err)
{
	const struct gen_err *g = find_generic(err < 0 ? -err : err);

	return g ? g->name : "E?";
}
