/* SPDX-License-Identifier: MIT */
/*
 * A reader of ELF64 relocatable objects, little and big endian, with no
 * libelf: what clang -target bpf writes. Every header, section, symbol and
 * relocation is bounds-checked once in bk__elf_parse(); afterwards lookups
 * return plain values in host byte order and never read out of bounds.
 */
#ifndef BK_ELF_H
#define BK_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/common.h>

/* Section types and flags we act on (ELF ABI values). */
#define BK__SHT_PROGBITS 1
#define BK__SHT_SYMTAB 2
#define BK__SHT_STRTAB 3
#define BK__SHT_NOBITS 8
#define BK__SHT_REL 9
#define BK__SHF_WRITE 0x1
#define BK__SHF_ALLOC 0x2
#define BK__SHF_EXECINSTR 0x4
#define BK__SHN_UNDEF 0
#define BK__SHN_ABS 0xfff1
#define BK__SHN_COMMON 0xfff2
#define BK__STT_NOTYPE 0
#define BK__STT_OBJECT 1
#define BK__STT_FUNC 2
#define BK__STT_SECTION 3
#define BK__STB_LOCAL 0
#define BK__STB_GLOBAL 1
#define BK__STB_WEAK 2
#define BK__EM_BPF 247

/* BPF relocation types (LLVM's BPF ELF ABI). */
#define BK__R_BPF_NONE 0
#define BK__R_BPF_64_64 1
#define BK__R_BPF_64_ABS64 2
#define BK__R_BPF_64_ABS32 3
#define BK__R_BPF_64_NODYLD32 4
#define BK__R_BPF_64_32 10

struct bk__elf_sec {
	const char *name;
	uint32_t type;
	uint64_t flags;
	uint64_t size;	    /* for NOBITS the size in memory; data is NULL */
	const uint8_t *data; /* inside the image, size bytes (NULL for NOBITS) */
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct bk__elf_sym {
	const char *name;
	uint64_t value, size;
	uint16_t shndx;
	uint8_t type, bind, visibility;
};

struct bk__elf_rel {
	uint64_t offset;
	uint32_t sym;
	uint32_t type;
};

struct bk__elf {
	const uint8_t *img; /* the whole file, owned */
	size_t size;
	bool swap;	    /* the object's byte order is not the host's */
	struct bk__elf_sec *secs;
	size_t nsecs;
	struct bk__elf_sym *syms;
	size_t nsyms;
	size_t symtab;	    /* index of the SHT_SYMTAB section, 0 if none */
};

/*
 * Parse an ELF64 relocatable BPF object from data (copied). Returns 0, or
 * -ENOEXEC (not an ELF64 BPF object) / -EINVAL (malformed) / -ENOMEM with
 * diag saying which section or symbol and why.
 */
int bk__elf_parse(struct bk__elf *elf, const void *data, size_t size, struct bk_diag *diag);

/* bk__elf_parse() of a malloc'd buffer the reader takes over (freed by
 * bk__elf_free(), or at once when parsing fails): a file read for opening
 * is not copied a second time. */
int bk__elf_adopt(struct bk__elf *elf, uint8_t *buf, size_t size, struct bk_diag *diag);
void bk__elf_free(struct bk__elf *elf);

/* The symbol named name defined in section sec, or NULL. */
const struct bk__elf_sym *bk__elf_sym_in(const struct bk__elf *elf, size_t sec, const char *name);

/* The index of the section named name, or 0. */
size_t bk__elf_sec_by_name(const struct bk__elf *elf, const char *name);

/*
 * The i-th relocation of SHT_REL section sec (checked: symbol index in the
 * symbol table). Returns 0 or -EINVAL.
 */
int bk__elf_rel(const struct bk__elf *elf, size_t sec, size_t i, struct bk__elf_rel *out);

/* Number of relocations in SHT_REL section sec. */
size_t bk__elf_nrels(const struct bk__elf *elf, size_t sec);

/* Byte-order helpers for section contents (.maps initialisers, .BTF...). */
uint32_t bk__elf_u32(const struct bk__elf *elf, const uint8_t *p);
uint64_t bk__elf_u64(const struct bk__elf *elf, const uint8_t *p);

#endif /* BK_ELF_H */
