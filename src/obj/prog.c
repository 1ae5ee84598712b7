// SPDX-License-Identifier: MIT
/*
 * struct bk_prog: loading from instructions (with the verifier's complaint
 * located), opening by fd, id or pin, pinning, and the getters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_int.h"

_Static_assert(sizeof(struct bk_prog_opts) ==
		       BK_OPTS_KNOWN(bk_prog_opts, bk_prog_opts__last_field),
	       "bk_prog_opts has padding");

struct bk_prog *bk__prog_from_owned_fd(int fd, uint32_t expected_attach_type)
{
	struct bk_prog_info info;
	uint32_t len = sizeof(info);
	struct bk_prog *prog;
	int err;

	memset(&info, 0, sizeof(info));
	err = bk_sys_obj_get_info_by_fd(fd, &info, &len);
	if (err < 0)
		goto fail;
	prog = calloc(1, sizeof(*prog));
	if (!prog) {
		err = -ENOMEM;
		goto fail;
	}
	prog->fd = fd;
	prog->type = info.type;
	prog->id = info.id;
	prog->expected_attach_type = expected_attach_type;
	memcpy(prog->name, info.name, sizeof(prog->name));
	prog->name[sizeof(prog->name) - 1] = '\0';
	memcpy(prog->tag, info.tag, sizeof(prog->tag));
	return prog;
fail:
	close(fd);
	return bk__err_ptr(err);
}

/* The complaint's lines joined by "; " into the diagnostic's sentence. */
static void join_lines(char *dst, size_t size, const char *msg, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (msg[i] == '\n') {
			if (o + 3 >= size)
				break;
			dst[o++] = ';';
			dst[o++] = ' ';
			continue;
		}
		dst[o++] = msg[i] == '\t' ? ' ' : msg[i];
	}
	dst[o] = '\0';
}

void bk__prog_diag(struct bk_diag *diag, int err, const char *log, size_t len)
{
	struct bk_vlog_verdict v;
	char sentence[sizeof(diag->msg)];

	if (!diag)
		return;
	if (log && bk_vlog_verdict(log, len, &v) == 0) {
		join_lines(sentence, sizeof(sentence), v.msg, v.msg_len);
		bk__diag(diag, err, "verifier: %s", sentence);
		diag->index = v.insn >= 0 ? (uint32_t)v.insn : 0;
		return;
	}
	bk__diag(diag, err, "%s", bk_strerror(BK_CMD_PROG_LOAD, err));
}

/* One BPF_PROG_LOAD with the caller's options and a log of level. */
static int load_once(uint32_t type, const struct bk_insn *insns, size_t n,
		     const struct bk_prog_opts *o, const struct bk__attach_to *to,
		     struct bk_vlog *log, uint32_t level)
{
	if (log)
		log->level = level;
	return bk_sys_prog_load(BK_OPTS(
		bk_prog_load_opts, .prog_type = type, .insns = insns, .insn_cnt = n,
		.license = BK_OBJ_OPT(bk_prog_opts, o, license, NULL),
		.prog_name = BK_OBJ_OPT(bk_prog_opts, o, name, NULL),
		.expected_attach_type = BK_OBJ_OPT(bk_prog_opts, o, expected_attach_type, 0),
		.prog_flags = BK_OBJ_OPT(bk_prog_opts, o, prog_flags, 0),
		.prog_ifindex = BK_OBJ_OPT(bk_prog_opts, o, ifindex, 0),
		.attach_btf_id = to->btf_id,
		.attach_prog_fd = to->obj_fd,
		.prog_token_fd = BK_OBJ_OPT(bk_prog_opts, o, token_fd, 0),
		.prog_btf_fd = BK_OBJ_OPT(bk_prog_opts, o, prog_btf_fd, 0),
		.func_info = BK_OBJ_OPT(bk_prog_opts, o, func_info, NULL),
		.func_info_rec_size = BK_OBJ_OPT(bk_prog_opts, o, func_info_rec_size, 0),
		.func_info_cnt = BK_OBJ_OPT(bk_prog_opts, o, func_info_cnt, 0),
		.line_info = BK_OBJ_OPT(bk_prog_opts, o, line_info, NULL),
		.line_info_rec_size = BK_OBJ_OPT(bk_prog_opts, o, line_info_rec_size, 0),
		.line_info_cnt = BK_OBJ_OPT(bk_prog_opts, o, line_info_cnt, 0),
		.fd_array = BK_OBJ_OPT(bk_prog_opts, o, fd_array, NULL),
		.fd_array_cnt = BK_OBJ_OPT(bk_prog_opts, o, fd_array_cnt, 0),
		.kern_version = BK_OBJ_OPT(bk_prog_opts, o, kern_version, 0),
		.vlog = level ? log : NULL));
}

/* Errors the verifier has nothing to say about: no point in a second load. */
static bool verifier_silent(int err)
{
	return err == -EPERM || err == -ENOMEM || err == -E2BIG || err == -EFAULT ||
	       err == -EBADF;
}

/*
 * Load quietly first (a log costs the kernel time on big programs), then,
 * only when the load failed and someone wants to know why, once more with a
 * level 1 log: the verifier is deterministic, so the second answer explains
 * the first.
 */
static int load_with_log(uint32_t type, const struct bk_insn *insns, size_t n,
			 const struct bk_prog_opts *o, const struct bk__attach_to *to)
{
	struct bk_vlog own = { 0 };
	struct bk_vlog *log = BK_OBJ_OPT(bk_prog_opts, o, log, NULL);
	struct bk_diag *diag = BK_OBJ_OPT(bk_prog_opts, o, diag, NULL);
	uint32_t level = BK_OBJ_OPT(bk_prog_opts, o, log_level, 0);
	int fd, retry;

	if (!log)
		log = &own;
	fd = load_once(type, insns, n, o, to, log, level);
	if (fd >= 0 || (!diag && log == &own))
		goto out;
	if (!level && !verifier_silent(fd)) {
		retry = load_once(type, insns, n, o, to, log, 1);
		if (retry >= 0) { /* the kernel changed its mind: keep the program */
			fd = retry;
			goto out;
		}
		fd = retry;
	}
	bk__prog_diag(diag, fd, log->text, log->len);
out:
	bk_vlog_free(&own);
	if (fd < 0)
		return bk__err(fd);
	return fd;
}

/* A program with callbacks and no func_info of its caller's gets ours. */
static int load_functions(uint32_t type, const struct bk_insn *insns, size_t n,
			  const struct bk_prog_opts *opts, const struct bk__attach_to *to)
{
	struct bk_prog_opts own = { 0 };
	struct bk__func_info *fi = NULL;
	uint32_t cnt = 0;
	int btf_fd = -1, fd;

	if (BK_OBJ_OPT(bk_prog_opts, opts, func_info, NULL) || !bk__prog_needs_func_info(insns, n))
		return load_with_log(type, insns, n, opts, to);
	if (opts)
		memcpy(&own, opts, opts->sz < sizeof(own) ? opts->sz : sizeof(own));
	own.sz = sizeof(own);
	fd = bk__prog_auto_func_info(insns, n, &btf_fd, &fi, &cnt);
	if (fd < 0)
		return bk__diag(own.diag, fd, "BTF func_info for the program's functions: %s",
				strerror(-fd));
	own.prog_btf_fd = btf_fd;
	own.func_info = fi;
	own.func_info_rec_size = sizeof(*fi);
	own.func_info_cnt = cnt;
	fd = load_with_log(type, insns, n, &own, to);
	close(btf_fd);
	free(fi);
	return fd;
}

struct bk_prog *bk_prog_load(enum bk_prog_type type, const struct bk_insn *insns, size_t n,
			     const struct bk_prog_opts *opts)
{
	struct bk__attach_to to;
	struct bk_diag *diag;
	int err, fd;

	err = bk__obj_opts_check(opts, BK_OPTS_KNOWN(bk_prog_opts, bk_prog_opts__last_field));
	if (err)
		return bk__err_ptr(err);
	diag = BK_OBJ_OPT(bk_prog_opts, opts, diag, NULL);
	if (!insns || n == 0)
		return bk__err_ptr(bk__diag(diag, -EINVAL, "a program needs instructions"));
	err = bk_insn_validate(insns, n, diag);
	if (err)
		return bk__err_ptr(err);
	err = bk__prog_attach_to(opts, &to);
	if (err)
		return bk__err_ptr(err);
	fd = load_functions((uint32_t)type, insns, n, opts, &to);
	bk_btf_kernel_close(to.kernel); /* the loaded program holds what it needs */
	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__prog_from_owned_fd(fd, BK_OBJ_OPT(bk_prog_opts, opts, expected_attach_type, 0));
}

struct bk_prog *bk_prog_from_fd(int fd)
{
	int dup_fd = bk__fd_dup_kind(fd, BK__FD_PROG);

	if (dup_fd < 0)
		return bk__err_ptr(dup_fd);
	return bk__prog_from_owned_fd(dup_fd, 0);
}

struct bk_prog *bk_prog_from_id(uint32_t id)
{
	int fd = bk_sys_prog_get_fd_by_id(id);

	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__prog_from_owned_fd(fd, 0);
}

struct bk_prog *bk_prog_open_pinned(const char *path)
{
	int fd = bk__fd_get_pinned_kind(path, BK__FD_PROG);

	if (fd < 0)
		return bk__err_ptr(fd);
	return bk__prog_from_owned_fd(fd, 0);
}

int bk_prog_pin(const struct bk_prog *prog, const char *path)
{
	if (!prog || !path)
		return bk__err(-EINVAL);
	return bk_sys_obj_pin(prog->fd, path, NULL);
}

void bk_prog_close(struct bk_prog *prog)
{
	if (!prog)
		return;
	close(prog->fd);
	free(prog);
}

int bk_prog_fd(const struct bk_prog *prog)
{
	return prog->fd;
}

enum bk_prog_type bk_prog_type(const struct bk_prog *prog)
{
	return (enum bk_prog_type)prog->type;
}

uint32_t bk_prog_id(const struct bk_prog *prog)
{
	return prog->id;
}

const char *bk_prog_name(const struct bk_prog *prog)
{
	return prog->name;
}

const uint8_t *bk_prog_tag(const struct bk_prog *prog)
{
	return prog->tag;
}

uint32_t bk_prog_expected_attach_type(const struct bk_prog *prog)
{
	return prog->expected_attach_type;
}
