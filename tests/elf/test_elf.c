// SPDX-License-Identifier: MIT
/*
 * The ELF64 reader, through bk_object_open_mem(): a clang-built object is
 * read; every kind of malformed header, section, symbol and relocation is
 * refused with -ENOEXEC or -EINVAL and a diagnostic naming what is wrong,
 * and every truncation of a real object fails cleanly (never a crash).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/object.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"

static uint8_t *minimal(size_t *size)
{
	char path[512];

	return (uint8_t *)bk_test_read_file(bk_corpus_obj("minimal", path, sizeof(path)), size);
}

static void refused(const uint8_t *img, size_t size, int err, const char *needle)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_object_open_mem(img, size, BK_OPTS(bk_object_opts, .diag = &d));

	cr_assert_null(obj, "accepted a malformed object (expected '%s')", needle);
	cr_assert_eq(errno, -err, "errno %d (%s), expected %d; diag: %s", errno, strerror(errno),
		     -err, d.msg);
	cr_assert_eq(d.err, err);
	cr_assert(strstr(d.msg, needle), "diag '%s' does not say '%s'", d.msg, needle);
}

static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Section header i of the image. */
static uint8_t *shdr(uint8_t *img, unsigned i) { return img + rd64(img + 40) + 64u * i; }

static unsigned sec_of_type(uint8_t *img, uint32_t type)
{
	uint16_t n;

	memcpy(&n, img + 60, 2);
	for (unsigned i = 1; i < n; i++) {
		uint32_t t;

		memcpy(&t, shdr(img, i) + 4, 4);
		if (t == type)
			return i;
	}
	cr_assert_fail("no section of type %u", type);
	return 0;
}

Test(elf, reads_a_clang_object)
{
	size_t size;
	uint8_t *img = minimal(&size);
	struct bk_object *obj = bk_object_open_mem(img, size, NULL);

	cr_assert_not_null(obj, "%s", strerror(errno));
	cr_assert_eq(bk_object_prog_count(obj), 1);
	cr_assert_str_eq(bk_object_license(obj), "GPL");
	bk_object_close(obj);
	free(img);
}

Test(elf, refuses_what_is_not_a_bpf_elf64_relocatable)
{
	size_t size;
	uint8_t *img = minimal(&size), *c = malloc(size);

	refused((const uint8_t *)"hello", 5, -ENOEXEC, "not an ELF file");
	memcpy(c, img, size); c[4] = 1;
	refused(c, size, -ENOEXEC, "not a 64-bit ELF");
	memcpy(c, img, size); c[5] = 7;
	refused(c, size, -ENOEXEC, "byte order");
	memcpy(c, img, size); wr16(c + 16, 2);
	refused(c, size, -ENOEXEC, "not a relocatable object");
	memcpy(c, img, size); wr16(c + 18, 62);
	refused(c, size, -ENOEXEC, "not a BPF object (e_machine 62)");
	memcpy(c, img, size); c[5] = 2; /* big endian: header fields now read swapped */
	refused(c, size, -ENOEXEC, "not a relocatable object");
	free(c);
	free(img);
}

Test(elf, refuses_bad_header_tables)
{
	size_t size;
	uint8_t *img = minimal(&size), *c = malloc(size);

	memcpy(c, img, size); wr16(c + 58, 40);
	refused(c, size, -EINVAL, "section header size 40");
	memcpy(c, img, size); wr64(c + 40, size - 10);
	refused(c, size, -EINVAL, "section header table outside the file");
	memcpy(c, img, size); wr16(c + 60, 0xffff);
	refused(c, size, -EINVAL, "section header table outside the file");
	memcpy(c, img, size); wr16(c + 62, 0xfff0);
	refused(c, size, -EINVAL, "section name table index");
	free(c);
	free(img);
}

/* The program's symbol placed 104 bytes before the section with a size
 * reaching past its start: value + size wraps around to inside it (a
 * fuzzer's find: the instructions were then read from before the buffer). */
static void func_sym_wraps(uint8_t *img, unsigned symtab)
{
	uint8_t *sym = img + rd64(shdr(img, symtab) + 24);
	uint64_t n = rd64(shdr(img, symtab) + 32) / 24;

	for (uint64_t i = 0; i < n; i++, sym += 24)
		if ((sym[4] & 0xf) == 2) { /* STT_FUNC */
			wr64(sym + 16, rd64(sym + 16) + 104);
			wr64(sym + 8, (uint64_t)0 - 104);
			return;
		}
	cr_assert_fail("no function symbol");
}

Test(elf, refuses_bad_sections_symbols_and_relocations)
{
	size_t size;
	uint8_t *img = minimal(&size), *c = malloc(size);
	unsigned symtab, rel;

	memcpy(c, img, size);
	symtab = sec_of_type(c, 2);
	rel = sec_of_type(c, 9);
	wr64(shdr(c, symtab) + 24, size - 8); /* contents past the end */
	refused(c, size, -EINVAL, "outside the file");
	memcpy(c, img, size);
	wr32(shdr(c, 1), 0xfffffff0u); /* name offset */
	refused(c, size, -EINVAL, "name offset outside the name table");
	memcpy(c, img, size);
	wr64(shdr(c, symtab) + 56, 16); /* entsize */
	refused(c, size, -EINVAL, "symbol size 16, expected 24");
	memcpy(c, img, size);
	wr32(c + rd64(shdr(c, symtab) + 24) + 24 + 0, 0xfffffff0u); /* symbol 1's name */
	refused(c, size, -EINVAL, "name offset outside the string table");
	memcpy(c, img, size);
	wr16(c + rd64(shdr(c, symtab) + 24) + 24 + 6, 0x7000); /* symbol 1's section */
	refused(c, size, -EINVAL, "section index 28672 out of range");
	memcpy(c, img, size);
	func_sym_wraps(c, symtab);
	refused(c, size, -EINVAL, "is not whole instructions inside it");
	memcpy(c, img, size);
	wr32(shdr(c, rel) + 44, 0xffff); /* target section */
	refused(c, size, -EINVAL, "target section 65535 out of range");
	memcpy(c, img, size);
	wr64(shdr(c, rel) + 56, 24);
	refused(c, size, -EINVAL, "relocation size 24, expected 16");
	free(c);
	free(img);
}

Test(elf, every_truncation_fails_cleanly)
{
	size_t size;
	uint8_t *img = minimal(&size);

	for (size_t n = 0; n < size; n += (n < 128 ? 1 : 7)) {
		struct bk_diag d = { 0 };
		struct bk_object *obj = bk_object_open_mem(img, n, BK_OPTS(bk_object_opts, .diag = &d));

		if (obj) { /* a cut that only loses trailing padding may still parse */
			bk_object_close(obj);
			continue;
		}
		cr_assert(errno == ENOEXEC || errno == EINVAL, "cut at %zu: errno %d", n, errno);
		cr_assert(d.msg[0], "cut at %zu: no diagnostic", n);
	}
	free(img);
}

Test(elf, a_big_endian_object_is_refused_by_name)
{
	char src[600], obj[600], cmd[1400];

	BK_REQUIRE_TOOL("clang-19");
	bk_corpus_src("minimal", src, sizeof(src));
	snprintf(obj, sizeof(obj), "/tmp/bk-be-%d.o", (int)getpid());
	snprintf(cmd, sizeof(cmd),
		 "clang-19 -O2 -g -target bpfeb -I/usr/include/x86_64-linux-gnu -I%s/tests/elf/progs -c %s -o %s",
		 bk_test_srcdir(), src, obj);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	{
		struct bk_diag d = { 0 };
		struct bk_object *o = bk_object_open_file(obj, BK_OPTS(bk_object_opts, .diag = &d));

		remove(obj);
		cr_assert_null(o);
		cr_assert_eq(errno, EOPNOTSUPP);
		cr_assert(strstr(d.msg, "byte order"), "%s", d.msg);
	}
}
