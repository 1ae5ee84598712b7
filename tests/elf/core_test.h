/* SPDX-License-Identifier: MIT */
/*
 * Shared by the CO-RE tests: compile a BPF C file of tests/elf/core_progs
 * with clang-19 (once per source change, cached in a private temp directory),
 * read its sections with a minimal ELF64 reader (test-only: the library's
 * ELF reader is another module), parse its .BTF and .BTF.ext, and relocate
 * one section's instructions.
 */
#ifndef BK_TEST_CORE_TEST_H
#define BK_TEST_CORE_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/btf.h>
#include <bpfkit/isa.h>

#include "../../src/elf/btf_ext.h"
#include "../../src/elf/core.h"
#include "../lib/bk_test.h"

#define CT_UNUSED __attribute__((unused))

struct ct_obj {
	uint8_t *elf;
	size_t size;
	struct bk_btf *btf;
	struct bk__btf_ext *ext;
	char path[512];
};

static CT_UNUSED bool ct_newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* Compile core_progs/<name>.bpf.c into a cached object; its path into out. */
static CT_UNUSED void ct_compile(const char *name, char *out, size_t size)
{
	char src[512], dir[256], tmp[600], cmd[2048], *log = NULL;
	struct stat ss, os, hs;
	uint32_t h = 2166136261u;
	int st;

	BK_REQUIRE_TOOL("clang-19");
	snprintf(src, sizeof(src), "%s/tests/elf/core_progs/%s.bpf.c", bk_test_srcdir(), name);
	/* One cache per source tree: worktrees must not share objects. */
	for (const char *s = bk_test_srcdir(); *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	snprintf(dir, sizeof(dir), "%s/bk-core-progs-%u-%08x",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (unsigned)getuid(), h);
	mkdir(dir, 0700);
	snprintf(out, size, "%s/%s.o", dir, name);
	cr_assert_eq(stat(src, &ss), 0, "no source %s", src);
	snprintf(tmp, sizeof(tmp), "%s/tests/elf/core_progs/core_target.h", bk_test_srcdir());
	if (stat(tmp, &hs) == 0 && ct_newer(&hs.st_mtim, &ss.st_mtim))
		ss.st_mtim = hs.st_mtim; /* the shared header counts as source */
	if (stat(out, &os) == 0 && ct_newer(&os.st_mtim, &ss.st_mtim))
		return;
	/* Parallel test processes: build under a unique name, rename atomically. */
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", out, (int)getpid());
	snprintf(cmd, sizeof(cmd),
		 "clang-19 -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c '%s' -o '%s' 2>&1",
		 src, tmp);
	st = bk_test_run(cmd, &log);
	cr_assert_eq(st, 0, "clang-19 failed on %s: %s", src, log ? log : "");
	free(log);
	cr_assert_eq(rename(tmp, out), 0);
}

/* Section name of ELF64 little-endian e, found by a linear walk. */
static CT_UNUSED const uint8_t *ct_section(const struct ct_obj *o, const char *name, size_t *size)
{
	const uint8_t *e = o->elf;
	uint64_t shoff;
	uint16_t shentsize, shnum, shstrndx;
	const uint8_t *strsh;
	uint64_t stroff;

	cr_assert(o->size > 64 && memcmp(e, "\177ELF", 4) == 0 && e[4] == 2 && e[5] == 1);
	memcpy(&shoff, e + 0x28, 8);
	memcpy(&shentsize, e + 0x3a, 2);
	memcpy(&shnum, e + 0x3c, 2);
	memcpy(&shstrndx, e + 0x3e, 2);
	cr_assert(shoff + (uint64_t)shnum * shentsize <= o->size && shstrndx < shnum);
	strsh = e + shoff + (uint64_t)shstrndx * shentsize;
	memcpy(&stroff, strsh + 0x18, 8);
	for (uint16_t i = 0; i < shnum; i++) {
		const uint8_t *sh = e + shoff + (uint64_t)i * shentsize;
		uint32_t nameoff;
		uint64_t off, sz;

		memcpy(&nameoff, sh, 4);
		memcpy(&off, sh + 0x18, 8);
		memcpy(&sz, sh + 0x20, 8);
		if (strcmp((const char *)e + stroff + nameoff, name) == 0) {
			cr_assert(off + sz <= o->size);
			*size = sz;
			return e + off;
		}
	}
	return NULL;
}

/* Compile and open core_progs/<name>.bpf.c: ELF bytes, .BTF, .BTF.ext. */
static CT_UNUSED struct ct_obj *ct_open(const char *name)
{
	struct ct_obj *o = calloc(1, sizeof(*o));
	struct bk_diag d = { 0 };
	const uint8_t *btf, *ext;
	size_t bsz = 0, esz = 0;

	cr_assert(o);
	ct_compile(name, o->path, sizeof(o->path));
	o->elf = (uint8_t *)bk_test_read_file(o->path, &o->size);
	btf = ct_section(o, ".BTF", &bsz);
	cr_assert(btf, "%s has no .BTF", o->path);
	o->btf = bk_btf_parse(btf, bsz, &d);
	cr_assert(o->btf, "%s: .BTF: %s", o->path, d.msg);
	ext = ct_section(o, ".BTF.ext", &esz);
	if (ext)
		cr_assert_eq(bk__btf_ext_parse(ext, esz, o->btf, &o->ext, &d), 0, "%s: %s", o->path,
			     d.msg);
	return o;
}

static CT_UNUSED void ct_close(struct ct_obj *o)
{
	if (!o)
		return;
	bk__btf_ext_free(o->ext);
	bk_btf_free(o->btf);
	free(o->elf);
	free(o);
}

/* The test file's local object (core_local) and target (core_target). A
 * suite that reads both opens them around each test:
 * TestSuite(name, .init = ct_open_both, .fini = ct_close_both). */
static CT_UNUSED struct ct_obj *lo, *tg;

static CT_UNUSED void ct_open_both(void)
{
	lo = ct_open("core_local");
	tg = ct_open("core_target");
}

static CT_UNUSED void ct_close_both(void)
{
	ct_close(lo);
	ct_close(tg);
	lo = tg = NULL;
}

/* A copy of section sec's instructions. */
static CT_UNUSED struct bk_insn *ct_insns(const struct ct_obj *o, const char *sec, size_t *n)
{
	size_t sz = 0;
	const uint8_t *p = ct_section(o, sec, &sz);
	struct bk_insn *insns;

	cr_assert(p, "no section %s", sec);
	cr_assert(sz % 8 == 0 && sz > 0);
	insns = malloc(sz);
	cr_assert(insns);
	memcpy(insns, p, sz);
	*n = sz / 8;
	return insns;
}

/* What the poison callback saw. */
struct ct_poison {
	int calls;
	size_t insn;
	char what[256];
};

static CT_UNUSED void ct_poison_cb(void *ctx, size_t insn, const char *what)
{
	struct ct_poison *p = ctx;

	p->calls++;
	p->insn = insn;
	snprintf(p->what, sizeof(p->what), "%s", what);
}

/* Relocate section sec of o against target BTF targ: 0 or -errno; the
 * relocated instructions in *out (n of them), diag and poison filled. */
static CT_UNUSED int ct_relocate(const struct ct_obj *o, const char *sec, const struct bk_btf *targ,
				 struct bk_insn **out, size_t *n, struct ct_poison *p,
				 struct bk_diag *d)
{
	struct bk__core_target t = { targ, 0 };
	const struct bk__ext_info *relos = bk__btf_ext_find(o->ext, BK__EXT_CORE, sec);
	struct bk__core_cands *c;
	int err;

	cr_assert(relos, "section %s has no CO-RE records", sec);
	*out = ct_insns(o, sec, n);
	c = bk__core_cands_new(&t, 1);
	cr_assert(c);
	err = bk__core_relocate_sec(o->btf, relos, *out, *n, c, ct_poison_cb, p, d);
	bk__core_cands_free(c);
	return err;
}

/* The record of section sec: exactly one, whose instruction index is returned. */
static CT_UNUSED size_t ct_only_relo_insn(const struct ct_obj *o, const char *sec)
{
	const struct bk__ext_info *relos = bk__btf_ext_find(o->ext, BK__EXT_CORE, sec);
	struct bk__core_relo_rec r;

	cr_assert(relos && relos->nrec == 1, "section %s: expected one CO-RE record", sec);
	memcpy(&r, relos->recs, sizeof(r));
	return r.insn_off / 8;
}

#endif /* BK_TEST_CORE_TEST_H */
