// SPDX-License-Identifier: MIT
/*
 * ELF64 reader: the file header, the section header table, section names,
 * the symbol table and SHT_REL relocations. Everything that an offset or a
 * count could push outside the image is checked here, once.
 *
 * ELF64 layout used (offsets in bytes):
 *   Ehdr: ident[16] type@16 machine@18 version@20 entry@24 phoff@32 shoff@40
 *         flags@48 ehsize@52 phentsize@54 phnum@56 shentsize@58 shnum@60 shstrndx@62
 *   Shdr (64 bytes): name@0 type@4 flags@8 addr@16 offset@24 size@32 link@40
 *         info@44 addralign@48 entsize@56
 *   Sym (24 bytes): name@0 info@4 other@5 shndx@6 value@8 size@16
 *   Rel (16 bytes): offset@0 info@8 (sym = info >> 32, type = info & 0xffffffff)
 */
#include <stdlib.h>
#include <string.h>

#include "../common/common_int.h"
#include "elf.h"

#define EHDR_SIZE 64u
#define SHDR_SIZE 64u
#define SYM_SIZE 24u
#define REL_SIZE 16u
#define ET_REL 1

static bool host_is_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

static uint16_t get16(bool swap, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? (uint16_t)((v >> 8) | (v << 8)) : v;
}

static uint32_t get32(bool swap, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

static uint64_t get64(bool swap, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap64(v) : v;
}

uint32_t bk__elf_u32(const struct bk__elf *elf, const uint8_t *p)
{
	return get32(elf->swap, p);
}

uint64_t bk__elf_u64(const struct bk__elf *elf, const uint8_t *p)
{
	return get64(elf->swap, p);
}

/* Is [off, off+len) inside an image of size bytes? */
static bool in_image(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/* A NUL-terminated string at off of the string table section strtab. */
static const char *str_at(const struct bk__elf *elf, size_t strtab, uint64_t off)
{
	const struct bk__elf_sec *s = &elf->secs[strtab];

	if (!s->data || off >= s->size || !memchr(s->data + off, '\0', s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

static int check_ehdr(struct bk__elf *elf, struct bk_diag *d, uint64_t *shoff, uint16_t *shnum,
		      uint16_t *shstrndx)
{
	const uint8_t *e = elf->img;

	if (elf->size < EHDR_SIZE || memcmp(e, "\177ELF", 4) != 0)
		return bk__diag(d, -ENOEXEC, "not an ELF file");
	if (e[4] != 2)
		return bk__diag(d, -ENOEXEC, "not a 64-bit ELF object (EI_CLASS %u)", e[4]);
	if (e[5] != 1 && e[5] != 2)
		return bk__diag(d, -ENOEXEC, "unknown ELF byte order (EI_DATA %u)", e[5]);
	elf->swap = (e[5] == 1) != host_is_le();
	if (get16(elf->swap, e + 16) != ET_REL)
		return bk__diag(d, -ENOEXEC, "not a relocatable object (e_type %u)",
				get16(elf->swap, e + 16));
	if (get16(elf->swap, e + 18) != BK__EM_BPF)
		return bk__diag(d, -ENOEXEC, "not a BPF object (e_machine %u)",
				get16(elf->swap, e + 18));
	*shoff = get64(elf->swap, e + 40);
	*shnum = get16(elf->swap, e + 60);
	*shstrndx = get16(elf->swap, e + 62);
	if (get16(elf->swap, e + 58) != SHDR_SIZE)
		return bk__diag(d, -EINVAL, "ELF header: section header size %u, expected 64",
				get16(elf->swap, e + 58));
	if (*shnum == 0 || !in_image(*shoff, (uint64_t)*shnum * SHDR_SIZE, elf->size))
		return bk__diag(d, -EINVAL, "ELF header: section header table outside the file");
	if (*shstrndx >= *shnum)
		return bk__diag(d, -EINVAL, "ELF header: section name table index %u out of range",
				*shstrndx);
	return 0;
}

static int read_shdr(struct bk__elf *elf, size_t i, const uint8_t *sh, struct bk_diag *d)
{
	struct bk__elf_sec *s = &elf->secs[i];
	uint64_t off = get64(elf->swap, sh + 24);

	s->type = get32(elf->swap, sh + 4);
	s->flags = get64(elf->swap, sh + 8);
	s->size = get64(elf->swap, sh + 32);
	s->link = get32(elf->swap, sh + 40);
	s->info = get32(elf->swap, sh + 44);
	s->addralign = get64(elf->swap, sh + 48);
	s->entsize = get64(elf->swap, sh + 56);
	if (s->type == BK__SHT_NOBITS || i == 0)
		return 0;
	if (!in_image(off, s->size, elf->size))
		return bk__diag(d, -EINVAL, "section %zu: contents [%llu, +%llu) outside the file", i,
				(unsigned long long)off, (unsigned long long)s->size);
	s->data = elf->img + off;
	return 0;
}

static int name_sections(struct bk__elf *elf, const uint8_t *shdrs, uint16_t shstrndx,
			 struct bk_diag *d)
{
	if (elf->secs[shstrndx].type != BK__SHT_STRTAB)
		return bk__diag(d, -EINVAL, "section %u: the section name table is not a string table",
				shstrndx);
	for (size_t i = 0; i < elf->nsecs; i++) {
		elf->secs[i].name = str_at(elf, shstrndx, get32(elf->swap, shdrs + i * SHDR_SIZE));
		if (!elf->secs[i].name)
			return bk__diag(d, -EINVAL, "section %zu: name offset outside the name table", i);
	}
	return 0;
}

static int read_symbols(struct bk__elf *elf, struct bk_diag *d)
{
	const struct bk__elf_sec *st = &elf->secs[elf->symtab];
	size_t n;

	if (st->entsize != SYM_SIZE || st->size % SYM_SIZE)
		return bk__diag(d, -EINVAL, "section '%s': symbol size %llu, expected 24", st->name,
				(unsigned long long)st->entsize);
	if (st->link >= elf->nsecs || elf->secs[st->link].type != BK__SHT_STRTAB)
		return bk__diag(d, -EINVAL, "section '%s': its string table (%u) is not one",
				st->name, st->link);
	n = st->size / SYM_SIZE;
	elf->syms = calloc(n ? n : 1, sizeof(*elf->syms));
	if (!elf->syms)
		return bk__diag(d, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = st->data + i * SYM_SIZE;
		struct bk__elf_sym *s = &elf->syms[i];

		s->name = str_at(elf, st->link, get32(elf->swap, p));
		if (!s->name)
			return bk__diag(d, -EINVAL, "symbol %zu: name offset outside the string table",
					i);
		s->type = p[4] & 0xf;
		s->bind = p[4] >> 4;
		s->visibility = p[5] & 0x3;
		s->shndx = get16(elf->swap, p + 6);
		s->value = get64(elf->swap, p + 8);
		s->size = get64(elf->swap, p + 16);
		if (s->shndx >= elf->nsecs && s->shndx < 0xff00)
			return bk__diag(d, -EINVAL, "symbol '%s': section index %u out of range",
					s->name, s->shndx);
	}
	elf->nsyms = n;
	return 0;
}

static int check_rel_sections(const struct bk__elf *elf, struct bk_diag *d)
{
	for (size_t i = 1; i < elf->nsecs; i++) {
		const struct bk__elf_sec *s = &elf->secs[i];

		if (s->type != BK__SHT_REL)
			continue;
		if (s->entsize != REL_SIZE || s->size % REL_SIZE)
			return bk__diag(d, -EINVAL, "section '%s': relocation size %llu, expected 16",
					s->name, (unsigned long long)s->entsize);
		if (s->info == 0 || s->info >= elf->nsecs)
			return bk__diag(d, -EINVAL, "section '%s': target section %u out of range",
					s->name, s->info);
		if (s->link != elf->symtab)
			return bk__diag(d, -EINVAL, "section '%s': not relative to the symbol table",
					s->name);
	}
	return 0;
}

static int parse_tables(struct bk__elf *elf, struct bk_diag *d)
{
	uint64_t shoff = 0;
	uint16_t shnum = 0, shstrndx = 0;
	const uint8_t *shdrs;
	int err;

	err = check_ehdr(elf, d, &shoff, &shnum, &shstrndx);
	if (err)
		return err;
	shdrs = elf->img + shoff;
	elf->nsecs = shnum;
	elf->secs = calloc(shnum ? shnum : 1, sizeof(*elf->secs));
	if (!elf->secs)
		return bk__diag(d, -ENOMEM, "out of memory");
	for (size_t i = 0; i < shnum; i++) {
		err = read_shdr(elf, i, shdrs + i * SHDR_SIZE, d);
		if (err)
			return err;
		if (elf->secs[i].type == BK__SHT_SYMTAB) {
			if (elf->symtab)
				return bk__diag(d, -EINVAL, "section %zu: a second symbol table", i);
			elf->symtab = i;
		}
	}
	err = name_sections(elf, shdrs, shstrndx, d);
	if (err)
		return err;
	if (!elf->symtab)
		return bk__diag(d, -ENOEXEC, "no symbol table (stripped object?)");
	err = read_symbols(elf, d);
	return err ? err : check_rel_sections(elf, d);
}

int bk__elf_adopt(struct bk__elf *elf, uint8_t *buf, size_t size, struct bk_diag *diag)
{
	int err;

	memset(elf, 0, sizeof(*elf));
	if (!buf)
		return bk__diag(diag, -EINVAL, "no object data");
	elf->img = buf;
	elf->size = size;
	err = parse_tables(elf, diag);
	if (err)
		bk__elf_free(elf);
	return err;
}

int bk__elf_parse(struct bk__elf *elf, const void *data, size_t size, struct bk_diag *diag)
{
	uint8_t *copy;

	memset(elf, 0, sizeof(*elf));
	if (!data)
		return bk__diag(diag, -EINVAL, "no object data");
	copy = malloc(size ? size : 1);
	if (!copy)
		return bk__diag(diag, -ENOMEM, "out of memory");
	memcpy(copy, data, size);
	return bk__elf_adopt(elf, copy, size, diag);
}

void bk__elf_free(struct bk__elf *elf)
{
	free((void *)elf->img);
	free(elf->secs);
	free(elf->syms);
	memset(elf, 0, sizeof(*elf));
}

size_t bk__elf_sec_by_name(const struct bk__elf *elf, const char *name)
{
	for (size_t i = 1; i < elf->nsecs; i++)
		if (strcmp(elf->secs[i].name, name) == 0)
			return i;
	return 0;
}

const struct bk__elf_sym *bk__elf_sym_in(const struct bk__elf *elf, size_t sec, const char *name)
{
	for (size_t i = 0; i < elf->nsyms; i++)
		if (elf->syms[i].shndx == sec && strcmp(elf->syms[i].name, name) == 0)
			return &elf->syms[i];
	return NULL;
}

size_t bk__elf_nrels(const struct bk__elf *elf, size_t sec)
{
	return elf->secs[sec].type == BK__SHT_REL ? elf->secs[sec].size / REL_SIZE : 0;
}

int bk__elf_rel(const struct bk__elf *elf, size_t sec, size_t i, struct bk__elf_rel *out)
{
	const uint8_t *p;
	uint64_t info;

	if (i >= bk__elf_nrels(elf, sec))
		return -EINVAL;
	p = elf->secs[sec].data + i * REL_SIZE;
	info = get64(elf->swap, p + 8);
	out->offset = get64(elf->swap, p);
	out->sym = (uint32_t)(info >> 32);
	out->type = (uint32_t)info;
	return out->sym < elf->nsyms ? 0 : -EINVAL;
}
