/* SPDX-License-Identifier: MIT */
/*
 * What the tests of the BPF-side headers (include/bpfkit/bpf/, compat/) share:
 * compile a BPF C program with clang-19 into a private directory, read the
 * object's sections, list the helper calls of its code and the CO-RE
 * relocation records clang wrote to .BTF.ext, resolved to names so that two
 * builds (ours and one against libbpf's headers) compare record for record.
 *
 * Static functions in a header because each test file is built alone too
 * (make test T=...) and links only tests/lib/.
 */
#ifndef BK_TEST_BPF_BUILD_H
#define BK_TEST_BPF_BUILD_H

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/btf.h>
#include <bpfkit/isa.h>

#include "../lib/bk_test.h"

#define BPF_CLANG "clang-19"
#define LIBBPF_HELPER_DEFS "/usr/include/bpf/bpf_helper_defs.h"

static char bb_dir_path[64];

/* Remove the scratch directory when the test process ends (set BK_KEEP_BPF=1 to keep it). */
static inline void bb_dir_remove(void)
{
	char cmd[128];
	char *out = NULL;

	if (!bb_dir_path[0] || getenv("BK_KEEP_BPF"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bb_dir_path);
	bk_test_run(cmd, &out);
	free(out);
}

/* A scratch directory for this test process. */
static inline const char *bb_dir(void)
{
	if (!bb_dir_path[0]) {
		snprintf(bb_dir_path, sizeof(bb_dir_path), "/tmp/bk-bpf-XXXXXX");
		cr_assert_not_null(mkdtemp(bb_dir_path), "mkdtemp: %s", strerror(errno));
		atexit(bb_dir_remove);
	}
	return bb_dir_path;
}

static inline void bb_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

static inline void *bb_read(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rbe");
	void *buf;
	long n;

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "%s: short read", path);
	((char *)buf)[n] = '\0';
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/*
 * A vmlinux.h of the running kernel (bpftool's C dump), made once and kept
 * in the build directory (next to the CLI binary; `make clean` removes it).
 */
static inline const char *bb_vmlinux_h(void)
{
	static char path[600];
	struct stat st;
	char cmd[1400], tmp[640], dir[512];
	char *out = NULL, *slash;

	if (path[0])
		return path;
	BK_REQUIRE_TOOL("bpftool");
	if (stat("/sys/kernel/btf/vmlinux", &st))
		BK_SKIP_FEATURE("BTF (/sys/kernel/btf/vmlinux)");
	snprintf(dir, sizeof(dir), "%s", bk_test_cli());
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(path, sizeof(path), "%s/bpf-vmlinux-%lld.h", dir, (long long)st.st_size);
	if (access(path, R_OK) == 0)
		return path;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	snprintf(cmd, sizeof(cmd), "bpftool btf dump file /sys/kernel/btf/vmlinux format c > '%s'",
		 tmp);
	cr_assert_eq(bk_test_run(cmd, &out), 0, "%s failed", cmd);
	free(out);
	cr_assert_eq(rename(tmp, path), 0, "rename %s: %s", tmp, strerror(errno));
	return path;
}

/* -DVMLINUX_H="path": test programs say #include VMLINUX_H. */
static inline const char *bb_vmlinux_flag(void)
{
	static char flag[700];

	snprintf(flag, sizeof(flag), "'-DVMLINUX_H=\"%s\"'", bb_vmlinux_h());
	return flag;
}

/*
 * Compile src (written to DIR/name.c) into DIR/name.o with
 * clang-19 -O2 -g -target bpf and the given flags (includes, defines, the
 * shell quotes them). Fails the test with clang's messages.
 */
static inline const char *bb_compile(const char *name, const char *src, const char *flags)
{
	static char obj[256];
	char c[256], cmd[2048];
	char *out = NULL;
	int rc;

	BK_REQUIRE_TOOL(BPF_CLANG);
	snprintf(c, sizeof(c), "%s/%s.c", bb_dir(), name);
	snprintf(obj, sizeof(obj), "%s/%s.o", bb_dir(), name);
	bb_write(c, src);
	cr_assert_lt((size_t)snprintf(cmd, sizeof(cmd),
				      "%s -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu %s -c %s "
				      "-o %s 2>&1",
				      BPF_CLANG, flags, c, obj),
		     sizeof(cmd), "the compile command is too long");
	rc = bk_test_run(cmd, &out);
	cr_assert_eq(rc, 0, "%s\n%s", cmd, out ? out : "");
	free(out);
	return obj;
}

/* -I for our headers (the source tree's include/) and for compat/. */
static inline const char *bb_inc(void)
{
	static char flags[600];

	snprintf(flags, sizeof(flags), "-I%s/include", bk_test_srcdir());
	return flags;
}

static inline const char *bb_compat_inc(void)
{
	static char flags[600];

	snprintf(flags, sizeof(flags), "-I%s/include/bpfkit/compat", bk_test_srcdir());
	return flags;
}

/* ---- the object ------------------------------------------------------------ */

struct bb_obj {
	unsigned char *data;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *shstr;
};

static inline void bb_open(struct bb_obj *o, const char *path)
{
	o->data = bb_read(path, &o->size);
	cr_assert_geq(o->size, sizeof(Elf64_Ehdr));
	o->eh = (const Elf64_Ehdr *)o->data;
	cr_assert_eq(memcmp(o->eh->e_ident, ELFMAG, SELFMAG), 0, "%s: not ELF", path);
	cr_assert_eq(o->eh->e_machine, EM_BPF);
	cr_assert_leq(o->eh->e_shoff + (size_t)o->eh->e_shnum * sizeof(Elf64_Shdr), o->size);
	o->sh = (const Elf64_Shdr *)(o->data + o->eh->e_shoff);
	o->shstr = (const char *)o->data + o->sh[o->eh->e_shstrndx].sh_offset;
}

static inline void bb_close(struct bb_obj *o)
{
	free(o->data);
	memset(o, 0, sizeof(*o));
}

static inline const char *bb_sec_name(const struct bb_obj *o, unsigned i)
{
	return o->shstr + o->sh[i].sh_name;
}

/* The section named name (its bytes and size), or NULL. */
static inline const void *bb_section(const struct bb_obj *o, const char *name, size_t *size)
{
	for (unsigned i = 0; i < o->eh->e_shnum; i++) {
		if (strcmp(bb_sec_name(o, i), name) == 0) {
			cr_assert_leq(o->sh[i].sh_offset + o->sh[i].sh_size, o->size);
			*size = o->sh[i].sh_size;
			return o->data + o->sh[i].sh_offset;
		}
	}
	return NULL;
}

/* Helper ids called by the code of section name, in order; returns the count. */
static inline size_t bb_helper_calls(const struct bb_obj *o, const char *name, int *ids, size_t max)
{
	size_t size, n = 0;
	const struct bk_insn *insn = bb_section(o, name, &size);

	cr_assert_not_null(insn, "no section %s", name);
	for (size_t i = 0; i < size / sizeof(*insn); i++) {
		if (insn[i].code == (BK_JMP | BK_CALL) && insn[i].src_reg == BK_PSEUDO_HELPER_CALL) {
			cr_assert_lt(n, max);
			ids[n++] = insn[i].imm;
		}
	}
	return n;
}

/* Count of instructions with this opcode in section name whose imm is imm. */
static inline size_t bb_count_insn(const struct bb_obj *o, const char *name, uint8_t code, int32_t imm)
{
	size_t size, n = 0;
	const struct bk_insn *insn = bb_section(o, name, &size);

	cr_assert_not_null(insn, "no section %s", name);
	for (size_t i = 0; i < size / sizeof(*insn); i++)
		n += insn[i].code == code && insn[i].imm == imm;
	return n;
}

/*
 * A description of the object a loader sees, one line per item, malloc'd:
 * every section but the debug and BTF ones (name, type, flags, size and, for
 * code and data, a checksum of the bytes), every relocation (section, offset,
 * type, symbol name) and every named symbol (name, section, value, size, bind).
 */
static inline char *bb_layout(const struct bb_obj *o)
{
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);
	const Elf64_Sym *sym = NULL;
	const char *symstr = NULL;
	size_t nsym = 0;

	cr_assert_not_null(out);
	out[0] = '\0';
#define BB_ADD(...)                                                                                \
	do {                                                                                       \
		int w_ = snprintf(out + len, cap - len, __VA_ARGS__);                              \
		cr_assert_lt((size_t)w_, cap - len, "layout too long");                            \
		len += (size_t)w_;                                                                 \
	} while (0)
	for (unsigned i = 0; i < o->eh->e_shnum; i++) {
		if (o->sh[i].sh_type == SHT_SYMTAB) {
			sym = (const Elf64_Sym *)(o->data + o->sh[i].sh_offset);
			nsym = o->sh[i].sh_size / sizeof(*sym);
			symstr = (const char *)o->data + o->sh[o->sh[i].sh_link].sh_offset;
		}
	}
	cr_assert_not_null(sym, "no symbol table");
	for (unsigned i = 1; i < o->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &o->sh[i];
		const char *name = bb_sec_name(o, i);
		unsigned long sum = 5381;

		if (strncmp(name, ".debug", 6) == 0 || strncmp(name, ".BTF", 4) == 0 ||
		    strncmp(name, ".rel.debug", 10) == 0 || strncmp(name, ".rel.BTF", 8) == 0 ||
		    s->sh_type == SHT_SYMTAB || s->sh_type == SHT_STRTAB ||
		    strcmp(name, ".llvm_addrsig") == 0)
			continue;
		if (s->sh_type == SHT_PROGBITS)
			for (size_t b = 0; b < s->sh_size; b++)
				sum = sum * 33 + o->data[s->sh_offset + b];
		BB_ADD("section %s type %u flags %#lx size %lu sum %lx\n", name, s->sh_type,
		       (unsigned long)s->sh_flags, (unsigned long)s->sh_size, sum);
		if (s->sh_type != SHT_REL)
			continue;
		const Elf64_Rel *r = (const Elf64_Rel *)(o->data + s->sh_offset);

		for (size_t k = 0; k < s->sh_size / sizeof(*r); k++) {
			const Elf64_Sym *y = &sym[ELF64_R_SYM(r[k].r_info)];
			const char *yn = y->st_name ? symstr + y->st_name :
				(y->st_shndx < o->eh->e_shnum ? bb_sec_name(o, y->st_shndx) : "?");

			cr_assert_lt(ELF64_R_SYM(r[k].r_info), nsym);
			BB_ADD("  rel +%lu type %lu %s\n", (unsigned long)r[k].r_offset,
			       (unsigned long)ELF64_R_TYPE(r[k].r_info), yn);
		}
	}
	for (size_t k = 1; k < nsym; k++) {
		const char *sec;

		if (!sym[k].st_name || ELF64_ST_TYPE(sym[k].st_info) == STT_FILE)
			continue;
		sec = sym[k].st_shndx && sym[k].st_shndx < o->eh->e_shnum ?
			      bb_sec_name(o, sym[k].st_shndx) : "UND";
		BB_ADD("symbol %s in %s value %lu size %lu bind %u\n", symstr + sym[k].st_name, sec,
		       (unsigned long)sym[k].st_value, (unsigned long)sym[k].st_size,
		       ELF64_ST_BIND(sym[k].st_info));
	}
#undef BB_ADD
	return out;
}

/* The object's BTF, parsed. */
static inline struct bk_btf *bb_btf(const struct bb_obj *o)
{
	size_t size;
	const void *raw = bb_section(o, ".BTF", &size);
	struct bk_diag d = { 0 };
	struct bk_btf *btf;

	cr_assert_not_null(raw, "the object has no .BTF (built without -g?)");
	btf = bk_btf_parse(raw, size, &d);
	cr_assert_not_null(btf, "parse .BTF: %s", d.msg);
	return btf;
}

/*
 * The CO-RE relocation records of .BTF.ext, one line each:
 * "SECTION +INSN_OFF KIND TYPE_KIND:TYPE_NAME ACCESS", in file order, joined
 * with '\n' into a malloc'd string. Returns the number of records.
 */
static inline size_t bb_core_relos(const struct bb_obj *o, char **text)
{
	size_t size, n = 0, len = 0, cap = 4096;
	const unsigned char *ext = bb_section(o, ".BTF.ext", &size);
	struct bk_btf *btf = bb_btf(o);
	uint32_t hdr_len, off, sec_len, rec_size;
	char *out = calloc(1, cap);

	cr_assert_not_null(out);
	cr_assert_not_null(ext, "the object has no .BTF.ext");
	cr_assert_geq(size, 32);
	memcpy(&hdr_len, ext + 4, 4);
	cr_assert_geq(hdr_len, 32, ".BTF.ext header without CO-RE relocations");
	memcpy(&off, ext + 24, 4);
	memcpy(&sec_len, ext + 28, 4);
	cr_assert_leq((size_t)hdr_len + off + sec_len, size);
	if (sec_len == 0) {
		*text = out;
		bk_btf_free(btf);
		return 0;
	}
	const unsigned char *p = ext + hdr_len + off, *end = p + sec_len;

	memcpy(&rec_size, p, 4);
	cr_assert_geq(rec_size, 16);
	p += 4;
	while (p < end) {
		uint32_t sec_off, num;

		cr_assert_leq(p + 8, end);
		memcpy(&sec_off, p, 4);
		memcpy(&num, p + 4, 4);
		p += 8;
		cr_assert_leq(p + (size_t)num * rec_size, end);
		for (uint32_t i = 0; i < num; i++, p += rec_size) {
			uint32_t r[4];
			struct bk_btf_type t;
			char line[512];
			int w;

			memcpy(r, p, sizeof(r));
			cr_assert_eq(bk_btf_type_by_id(btf, r[1], &t), 0, "relocation type %u", r[1]);
			w = snprintf(line, sizeof(line), "%s +%u %u %s:%s %s\n",
				     bk_btf_str(btf, sec_off), r[0], r[3], bk_btf_kind_name(t.kind),
				     t.name, bk_btf_str(btf, r[2]));
			cr_assert_lt((size_t)w, sizeof(line));
			while (len + (size_t)w + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				cr_assert_not_null(out);
			}
			memcpy(out + len, line, (size_t)w + 1);
			len += (size_t)w;
			n++;
		}
	}
	bk_btf_free(btf);
	*text = out;
	return n;
}

/* The index of member name in struct/union name of the BTF, or -1. */
static inline int bb_member_index(const struct bk_btf *btf, const char *type, const char *member)
{
	int id = bk_btf_find(btf, type, BK_BTF_KIND_STRUCT);
	struct bk_btf_type t;

	if (id < 0)
		id = bk_btf_find(btf, type, BK_BTF_KIND_UNION);
	cr_assert_gt(id, 0, "no struct %s", type);
	cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &t), 0);
	for (uint32_t i = 0; i < t.vlen; i++) {
		struct bk_btf_member m;

		cr_assert_eq(bk_btf_member(btf, (uint32_t)id, i, &m), 0);
		if (strcmp(m.name, member) == 0)
			return (int)i;
	}
	return -1;
}

/* The byte offset of member name in struct name of the BTF. */
static inline uint32_t bb_member_offset(const struct bk_btf *btf, const char *type, const char *member)
{
	int id = bk_btf_find(btf, type, BK_BTF_KIND_STRUCT);
	int i = bb_member_index(btf, type, member);
	struct bk_btf_member m;

	cr_assert_geq(i, 0, "no member %s in %s", member, type);
	cr_assert_eq(bk_btf_member(btf, (uint32_t)id, (uint32_t)i, &m), 0);
	return m.bit_offset / 8;
}

#endif /* BK_TEST_BPF_BUILD_H */
