// SPDX-License-Identifier: MIT
/*
 * bk_object_load(): externs resolved, BTF loaded, maps created and filled,
 * code relocated, then each program laid out and loaded with its func_info
 * and line_info; a verifier rejection is located at the C source line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/sys.h>

#include "btf_ext.h"
#include "kconfig.h"
#include "object_int.h"


/* The kernel refused the object's BTF: ask once more with a log, to say why.
 * Out of load_btf() so that a load that succeeds does not clear 4 KiB of stack. */
__attribute__((cold, noinline)) static void btf_refused(const struct bk_object *obj, int err)
{
	char log[4096];
	size_t len;

	log[0] = '\0';
	bk_sys_btf_load(obj->btf_raw, (uint32_t)obj->btf_raw_size,
			BK_OPTS(bk_btf_load_opts, .log_buf = log, .log_size = sizeof(log),
				.log_level = 1));
	log[sizeof(log) - 1] = '\0';
	for (char *nl = strchr(log, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ' ';
	len = strlen(log);
	bk__warn("object '%s': the kernel refused its BTF (%s), loading without it: %s", obj->name,
		 bk_strerror(BK_CMD_BTF_LOAD, err), log + (len > 300 ? len - 300 : 0));
}

static int load_btf(struct bk_object *obj)
{
	int err = bk__obj_btf_prepare(obj), fd;

	if (err || !obj->btf_raw)
		return err;
	fd = bk_sys_btf_load(obj->btf_raw, (uint32_t)obj->btf_raw_size, NULL);
	if (fd < 0) {
		/* libbpf, too, goes on without BTF when the kernel refuses it */
		btf_refused(obj, fd);
		return 0;
	}
	obj->btf_fd = fd;
	return 0;
}

/* "file:line:col" of the line_info record that covers instruction idx. */
static void locate(struct bk_object_prog *p, const uint8_t *li, uint32_t cnt, uint32_t rec_size,
		   struct bk_diag *d)
{
	const uint8_t *best = NULL;
	const char *file, *base;
	uint32_t lc, off, name_off;

	for (uint32_t i = 0; i < cnt; i++) {
		memcpy(&off, li + (size_t)i * rec_size, sizeof(off));
		if (off <= d->index)
			best = li + (size_t)i * rec_size;
	}
	if (!best)
		return;
	memcpy(&name_off, best + 4, sizeof(name_off));
	memcpy(&lc, best + 12, sizeof(lc));
	file = bk_btf_str(p->obj->btf, name_off);
	if (!file)
		return;
	base = strlen(file) < sizeof(d->file) ? file : (strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
	snprintf(d->file, sizeof(d->file), "%s", base);
	d->line = lc >> 10;
	d->col = lc & 0x3ff;
}

/* A complaint about an instruction CO-RE poisoned names the relocation, as libbpf's log does. */
static void name_poisoned(struct bk_object_prog *p, struct bk_diag *d)
{
	struct bk__code_sec *c;
	size_t at;

	if (d->index >= p->ninsns || !bk__obj_origin(p, d->index, &c, &at) || !c->poison ||
	    !c->poison[at])
		return;
	snprintf(d->msg, sizeof(d->msg), "verifier: invalid CO-RE relocation: %.150s", c->poison[at]);
}

static int attach_btf_id(struct bk_object *obj, struct bk_object_prog *p, uint32_t *id)
{
	return bk__obj_attach_btf_id(obj, p, id);
}

static int load_prog(struct bk_object *obj, struct bk_object_prog *p)
{
	struct bk_diag own = { 0 }, *d = obj->diag ? obj->diag : &own;
	uint8_t *fi = NULL, *li = NULL;
	uint32_t nfi = 0, nli = 0, fisz = 0, lisz = 0, btf_id = 0;
	int err = bk__obj_layout(obj, p);

	if (!err)
		err = bk__obj_gather_ext(p, 0, &fi, &nfi, &fisz);
	if (!err)
		err = bk__obj_gather_ext(p, 1, &li, &nli, &lisz);
	if (!err)
		err = attach_btf_id(obj, p, &btf_id);
	if (!err && obj->btf_fd < 0)
		nfi = nli = 0;
	if (!err) {
		p->prog = bk_prog_load(p->type, p->insns, p->ninsns,
			BK_OPTS(bk_prog_opts, .name = p->name,
				.license = obj->license[0] ? obj->license : NULL,
				.expected_attach_type = p->expected_attach_type,
				.prog_flags = p->flags, .attach_btf_id = btf_id,
				.attach_btf_obj_fd = p->attach_target_fd > 0 ? p->attach_target_fd : 0,
				.log = obj->opts.log, .diag = d,
				.prog_btf_fd = obj->btf_fd > 0 ? obj->btf_fd : 0,
				.func_info = nfi ? fi : NULL, .func_info_rec_size = nfi ? fisz : 0,
				.func_info_cnt = nfi, .line_info = nli ? li : NULL,
				.line_info_rec_size = nli ? lisz : 0, .line_info_cnt = nli,
				/* as libbpf: the array kfunc calls index, without a count
				 * (with one, 6.14+ binds every fd and refuses slot 0) */
				.fd_array = obj->fd_array_cnt ? obj->fd_array : NULL,
				.kern_version = obj->kern_version));
		if (!p->prog) {
			err = -errno;
			name_poisoned(p, d);
			if (nli && d->msg[0])
				locate(p, li, nli, lisz, d);
			if (!d->file[0]) {
				char msg[sizeof(d->msg)];
				int n = snprintf(msg, sizeof(msg), "program '%.40s': ", p->name);

				if (n > 0 && (size_t)n < sizeof(msg)) {
					memcpy(msg + n, d->msg, sizeof(msg) - (size_t)n - 1);
					msg[sizeof(msg) - 1] = '\0';
					memcpy(d->msg, msg, sizeof(msg));
				}
			}
		}
	}
	free(fi);
	free(li);
	return bk__err(err);
}

static size_t autoloaded(const struct bk_object *obj)
{
	size_t n = 0;

	for (size_t i = 0; i < obj->nprogs; i++)
		n += obj->progs[i].autoload;
	return n;
}

int bk_object_load(struct bk_object *obj)
{
	int err;

	if (!obj)
		return bk__err(-EINVAL);
	if (obj->loaded)
		return bk__odiag(obj, -EBUSY, "object '%s' is already loaded", obj->name);
	obj->loaded = true;
	err = bk__obj_externs_resolve(obj);
	if (!err)
		err = bk__obj_prepare_struct_ops(obj);
	if (!err)
		err = load_btf(obj);
	if (!err)
		err = bk__obj_maps_create(obj);
	if (!err)
		err = bk__obj_relocate_sections(obj);
	for (size_t i = 0, done = 0, total = autoloaded(obj); i < obj->nprogs && !err; i++) {
		if (!obj->progs[i].autoload)
			continue;
		err = load_prog(obj, &obj->progs[i]);
		if (!err && obj->opts.progress)
			obj->opts.progress(obj->opts.progress_ctx, ++done, total);
	}
	if (!err)
		err = bk__obj_maps_finish(obj);
	return err ? bk__err(err) : 0;
}
