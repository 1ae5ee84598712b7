// SPDX-License-Identifier: MIT
/*
 * Opening an object: the ELF sections sorted into what they are (license,
 * BTF, maps, data, code), and the functions of the code sections into entry
 * programs and subprograms, as libbpf 1.x sorts them. Nothing here talks to
 * the kernel.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf_ext.h"
#include "../obj/obj_int.h"
#include "object_int.h"
#include "sec_def.h"

#define INSN_SZ 8u
/* An object bigger than this is not a BPF program anyone wrote. */
#define MAX_OBJECT_SIZE (1u << 30)

static int set_name(struct bk_object *obj, const char *path)
{
	const char *base, *dot;
	size_t len;

	if (obj->opts.name) {
		len = strlen(obj->opts.name);
		if (len == 0 || len >= sizeof(obj->name))
			return bk__odiag(obj, -EINVAL, "object name '%s': 1 to %zu characters",
					 obj->opts.name, sizeof(obj->name) - 1);
		memcpy(obj->name, obj->opts.name, len + 1);
		return 0;
	}
	/* libbpf: the file's base name up to its first dot ("minimal.bpf.o" -> "minimal") */
	base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : (path ? path : "");
	dot = strchr(base, '.');
	len = dot ? (size_t)(dot - base) : strlen(base);
	if (len >= sizeof(obj->name))
		len = sizeof(obj->name) - 1;
	memcpy(obj->name, base, len);
	obj->name[len] = '\0';
	if (!path)
		snprintf(obj->name, sizeof(obj->name), "%p", (void *)obj->elf.img);
	return 0;
}

static bool is_code_sec(const struct bk__elf_sec *s)
{
	return s->type == BK__SHT_PROGBITS && (s->flags & BK__SHF_EXECINSTR);
}

static int add_code_sec(struct bk_object *obj, size_t sec)
{
	const struct bk__elf_sec *s = &obj->elf.secs[sec];
	struct bk__code_sec *c;

	if (s->size % INSN_SZ)
		return bk__odiag(obj, -EINVAL, "section '%s': size %llu is not a whole number of instructions",
				 s->name, (unsigned long long)s->size);
	c = realloc(obj->code, (obj->ncode + 1) * sizeof(*c));
	if (!c)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	obj->code = c;
	c += obj->ncode++;
	memset(c, 0, sizeof(*c));
	c->sec = sec;
	c->n = s->size / INSN_SZ;
	c->insns = malloc(s->size ? s->size : 1);
	if (!c->insns)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	memcpy(c->insns, s->data, s->size);
	return 0;
}

struct bk__code_sec *bk__obj_code(struct bk_object *obj, size_t sec)
{
	for (size_t i = 0; i < obj->ncode; i++)
		if (obj->code[i].sec == sec)
			return &obj->code[i];
	return NULL;
}

static int read_license(struct bk_object *obj, const struct bk__elf_sec *s)
{
	size_t n = s->size < sizeof(obj->license) - 1 ? s->size : sizeof(obj->license) - 1;

	if (!s->data)
		return 0;
	memcpy(obj->license, s->data, n);
	obj->license[n] = '\0';
	return 0;
}

static int read_btf(struct bk_object *obj, size_t btf_sec, size_t ext_sec)
{
	struct bk_diag d = { 0 };
	const struct bk__elf_sec *s;
	int err;

	if (!btf_sec)
		return 0;
	s = &obj->elf.secs[btf_sec];
	obj->btf = bk_btf_parse(s->data, s->size, &d);
	if (!obj->btf)
		return bk__odiag(obj, -errno, "section '.BTF': %s", d.msg);
	if (!ext_sec)
		return 0;
	s = &obj->elf.secs[ext_sec];
	err = bk__btf_ext_parse(s->data, s->size, obj->btf, &obj->ext, &d);
	if (err)
		return bk__odiag(obj, err, "section '.BTF.ext': %s", d.msg);
	return 0;
}

/* Sort the sections; libbpf's rules (section names are the ABI). */
static int sort_sections(struct bk_object *obj)
{
	size_t btf_sec = 0, ext_sec = 0;
	int err;

	for (size_t i = 1; i < obj->elf.nsecs; i++) {
		const struct bk__elf_sec *s = &obj->elf.secs[i];

		if (strcmp(s->name, "license") == 0)
			err = read_license(obj, s);
		else if (strcmp(s->name, "version") == 0 && s->size == 4)
			obj->kern_version = bk__elf_u32(&obj->elf, s->data), err = 0;
		else if (strcmp(s->name, ".BTF") == 0)
			btf_sec = i, err = 0;
		else if (strcmp(s->name, ".BTF.ext") == 0)
			ext_sec = i, err = 0;
		else if (strcmp(s->name, ".maps") == 0)
			obj->maps_sec = i, err = 0;
		else if (strcmp(s->name, "maps") == 0)
			obj->legacy_maps_sec = i, err = 0;
		else if (is_code_sec(s) && s->size > 0)
			err = add_code_sec(obj, i);
		else
			err = 0;
		if (strcmp(s->name, ".text") == 0)
			obj->text_sec = i;
		if (err)
			return err;
	}
	return read_btf(obj, btf_sec, ext_sec);
}

static int add_func(struct bk_object *obj, const struct bk__elf_sym *sym, size_t sec)
{
	const struct bk__elf_sec *s = &obj->elf.secs[sec];
	struct bk_object_prog *p, *grown;

	/* value + size could wrap: compare each against the section instead */
	if (sym->value % INSN_SZ || sym->size % INSN_SZ || sym->value > s->size ||
	    sym->size > s->size - sym->value || sym->size == 0)
		return bk__odiag(obj, -EINVAL, "section '%s': function '%s' at %llu+%llu is not whole instructions inside it",
				 s->name, sym->name, (unsigned long long)sym->value,
				 (unsigned long long)sym->size);
	if (sec != obj->text_sec && sym->bind == BK__STB_LOCAL)
		return bk__odiag(obj, -EOPNOTSUPP, "section '%s': program '%s' is static; programs must be global functions",
				 s->name, sym->name);
	grown = realloc(obj->progs, (obj->nfuncs + 1) * sizeof(*grown));
	if (!grown)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	obj->progs = grown;
	p = &obj->progs[obj->nfuncs++];
	memset(p, 0, sizeof(*p));
	p->obj = obj;
	p->name = strdup(sym->name);
	if (!p->name)
		return bk__odiag(obj, -ENOMEM, "out of memory");
	p->sec = sec;
	p->off = sym->value / INSN_SZ;
	p->len = sym->size / INSN_SZ;
	p->subprog = sec == obj->text_sec;
	/* A global function of hidden or internal visibility (__hidden) is verified
	 * with its caller's context, as a static one: libbpf marks its BTF static. */
	p->btf_static = sym->bind != BK__STB_LOCAL && (sym->visibility == 1 || sym->visibility == 2);
	p->autoload = !p->subprog && s->name[0] != '?';
	return 0;
}

static void apply_sec_def(struct bk_object_prog *p)
{
	const char *sec = p->obj->elf.secs[p->sec].name;

	p->def = bk__sec_def_find(sec[0] == '?' ? sec + 1 : sec);
	if (!p->def)
		return;
	p->type = p->def->type;
	p->expected_attach_type = p->def->expected_attach_type;
	p->flags = 0;
	if (p->def->flags & BK__SEC_SLEEPABLE)
		p->flags |= BK_F_SLEEPABLE;
	if (p->def->flags & BK__SEC_XDP_FRAGS)
		p->flags |= BK_F_XDP_HAS_FRAGS;
}

static int cmp_prog(const void *a, const void *b)
{
	const struct bk_object_prog *x = a, *y = b;

	if (x->subprog != y->subprog)
		return x->subprog ? 1 : -1;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int collect_funcs(struct bk_object *obj)
{
	int err;

	for (size_t i = 0; i < obj->elf.nsyms; i++) {
		const struct bk__elf_sym *sym = &obj->elf.syms[i];

		if (sym->type != BK__STT_FUNC || sym->shndx == BK__SHN_UNDEF ||
		    sym->shndx >= obj->elf.nsecs || !bk__obj_code(obj, sym->shndx))
			continue;
		err = add_func(obj, sym, sym->shndx);
		if (err)
			return err;
	}
	if (obj->nfuncs > 1)
		qsort(obj->progs, obj->nfuncs, sizeof(*obj->progs), cmp_prog);
	for (size_t i = 0; i < obj->nfuncs; i++) {
		obj->progs[i].obj = obj;
		if (!obj->progs[i].subprog) {
			obj->nprogs++;
			apply_sec_def(&obj->progs[i]);
		}
	}
	return 0;
}

/* Open from data, copied, or from own, a malloc'd image taken over (and freed on failure). */
static struct bk_object *open_elf(const void *data, uint8_t *own, size_t size, const char *path,
				  const struct bk_object_opts *opts)
{
	struct bk_diag *diag = BK_OPT(struct bk_object_opts, opts, diag, NULL);
	struct bk_object *obj;
	int err = bk__opts_check(opts, BK_OPTS_KNOWN(bk_object_opts, bk_object_opts__last_field));

	if (err) {
		free(own);
		return bk__err_ptr(bk__diag(diag, err, "object options: unknown fields or bad size"));
	}
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		free(own);
		return bk__err_ptr(bk__diag(diag, -ENOMEM, "out of memory"));
	}
	if (opts)
		memcpy(&obj->opts, opts, opts->sz < sizeof(obj->opts) ? opts->sz : sizeof(obj->opts));
	obj->opts.sz = sizeof(obj->opts);
	obj->diag = diag;
	obj->btf_fd = -1;
	if (own)
		err = bk__elf_adopt(&obj->elf, own, size, diag);
	else
		err = bk__elf_parse(&obj->elf, data, size, diag);
	if (!err && obj->elf.swap)
		err = bk__odiag(obj, -EOPNOTSUPP, "the object's byte order is not this machine's");
	if (!err)
		err = set_name(obj, path);
	if (!err)
		err = sort_sections(obj);
	if (!err)
		err = collect_funcs(obj);
	if (!err)
		err = bk__obj_collect_maps(obj);
	if (!err)
		err = bk__obj_collect_externs(obj);
	if (!err)
		err = bk__obj_collect_struct_ops(obj);
	if (err) {
		bk_object_close(obj);
		return bk__err_ptr(err);
	}
	return obj;
}

struct bk_object *bk_object_open_mem(const void *data, size_t size,
				     const struct bk_object_opts *opts)
{
	return open_elf(data, NULL, size, NULL, opts);
}

/* The first read takes any object up to this size; only a bigger file
 * costs an fstat() (a regular file of at most 1 GiB, or an error). */
#define FIRST_READ (64u << 10)

static int not_a_file(const char *path, int err, struct bk_diag *diag)
{
	return bk__diag(diag, err, "%s: not a regular file of at most 1 GiB", path);
}

/* Room for more than cap bytes: the file's size (re-read, it may grow), doubled at least. */
static int grow_buf(int fd, const char *path, uint8_t **buf, size_t *cap, struct bk_diag *diag)
{
	struct stat st;
	size_t want;
	uint8_t *grown;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return not_a_file(path, -EINVAL, diag);
	want = (uint64_t)st.st_size + 1 > *cap * 2 ? (size_t)st.st_size + 1 : *cap * 2;
	if (st.st_size > MAX_OBJECT_SIZE || *cap > MAX_OBJECT_SIZE)
		return not_a_file(path, -EFBIG, diag);
	grown = realloc(*buf, want);
	if (!grown)
		return bk__diag(diag, -ENOMEM, "out of memory");
	*buf = grown;
	*cap = want;
	return 0;
}

/* The whole file in a malloc'd buffer, read until EOF: no fstat() for a
 * small object (a cold process pays microseconds for each first call). */
static int read_file(const char *path, uint8_t **out, size_t *size, struct bk_diag *diag)
{
	size_t got = 0, cap = FIRST_READ;
	uint8_t *buf, *fit;
	int err = 0, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bk__diag(diag, -errno, "%s: %s", path, strerror(errno));
	buf = malloc(cap);
	if (!buf)
		err = bk__diag(diag, -ENOMEM, "out of memory");
	while (!err) {
		ssize_t n = got == cap ? 0 : read(fd, buf + got, cap - got);

		if (got == cap)
			err = grow_buf(fd, path, &buf, &cap, diag);
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && errno == EISDIR)
			err = not_a_file(path, -EINVAL, diag);
		else if (n < 0)
			err = bk__diag(diag, -errno, "%s: read: %s", path, strerror(errno));
		else if (n == 0)
			break;
		else
			got += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	fit = realloc(buf, got + 1); /* give the unread part of the first read back */
	*out = fit ? fit : buf;
	*size = got;
	return 0;
}

struct bk_object *bk_object_open_file(const char *path, const struct bk_object_opts *opts)
{
	struct bk_diag *diag = BK_OPT(struct bk_object_opts, opts, diag, NULL);
	struct bk_object *obj;
	uint8_t *buf = NULL;
	size_t size = 0;
	int err;

	if (!path)
		return bk__err_ptr(bk__diag(diag, -EINVAL, "no path"));
	err = read_file(path, &buf, &size, diag);
	if (err)
		return bk__err_ptr(err);
	obj = open_elf(NULL, buf, size, path, opts); /* buf is the object's now */
	err = errno;
	if (!obj && diag && !diag->file[0])
		snprintf(diag->file, sizeof(diag->file), "%s", path);
	errno = err;
	return obj;
}
