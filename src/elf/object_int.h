/* SPDX-License-Identifier: MIT */
/* Private to src/elf: the object model shared by open, relocation and load. */
#ifndef BK_OBJECT_INT_H
#define BK_OBJECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/btf.h>
#include <bpfkit/object.h>

#include "../common/common_int.h"
#include "elf.h"

struct bk__btf_ext;
struct bk__sec_def;

/* What a data map holds. */
/* What a map holds; kinds from BK__MAP_DATA on are global data (an image, key 0). */
enum bk__map_kind { BK__MAP_USER, BK__MAP_LEGACY, BK__MAP_STRUCT_OPS, BK__MAP_DATA,
		    BK__MAP_RODATA, BK__MAP_BSS, BK__MAP_KCONFIG };

struct bk_object_map {
	struct bk_object *obj;
	char *name;		/* variable or section name */
	char kname[16];		/* the kernel's name */
	enum bk__map_kind kind;
	size_t sec;		/* ELF section it is defined in (0 for .kconfig) */
	uint64_t sec_off;	/* offset of its definition (user maps) */
	uint64_t sec_size;	/* bytes of its definition / data */
	struct bk_object_map_def def;
	struct bk_object_map_def inner; /* map-in-map: the inner map's shape */
	bool has_inner;
	uint32_t values_off;	/* byte offset of the `values` member in the definition */
	uint32_t local_type;	/* struct_ops: the struct in the object's BTF */
	uint32_t kern_value_type; /* struct_ops: bpf_struct_ops_<struct> in the kernel's BTF */
	uint8_t *image;		/* data maps: the initial value (value_size bytes) */
	char *pin_path;
	int reuse_fd;		/* > 0: use this map instead of creating one */
	struct bk_map *map;	/* after load */
	void *mmaped;		/* after load, data maps */
};

/* A function in an executable section: an entry program or a subprogram. */
struct bk_object_prog {
	struct bk_object *obj;
	char *name;
	size_t sec;		/* ELF section */
	size_t off, len;	/* instruction range within the section */
	bool subprog;		/* a function of .text, called, never loaded alone */
	bool btf_static;	/* global but hidden: its BTF FUNC is made static (libbpf) */
	const struct bk__sec_def *def;
	enum bk_prog_type type;
	uint32_t expected_attach_type;
	uint32_t flags;
	bool autoload;
	int attach_target_fd;
	char *attach_target;
	uint32_t struct_ops_btf_id; /* struct_ops: the kernel struct a map binds it into */
	/* layout of the loaded program: entry function then its subprograms */
	struct bk_insn *insns;
	size_t ninsns;
	size_t sub_off;		/* while laying out a program: where this subprogram was placed */
	bool placed;
	struct bk_prog *prog;
	struct bk_link *link;
};

/* An executable section's instructions, relocated in place before layout. */
struct bk__code_sec {
	size_t sec;
	struct bk_insn *insns;
	size_t n;
	int64_t *target;	/* per instruction: the .text index a call or ld_imm64 of a function goes to, or -1 */
	char **poison;		/* per instruction: why CO-RE poisoned it, or NULL */
};

/* An extern the object declares (.kconfig, .ksyms, kfunc). */
struct bk__ext {
	const char *name;
	int kind;		/* 0 kconfig, 1 ksym var, 2 kfunc */
	bool weak;
	uint32_t btf_id;	/* its VAR or FUNC in the object's BTF */
	uint32_t type_id;	/* the VAR's type / the FUNC's prototype */
	uint32_t kcfg_off;	/* kconfig: offset in the .kconfig map */
	uint32_t kcfg_size;
	bool resolved;
	uint32_t kern_btf_id;	/* ksym/kfunc: id in the kernel's BTF */
	int kern_btf_fd;	/* 0: vmlinux */
	uint64_t addr;		/* untyped ksym: kallsyms address */
};

struct bk_object {
	char name[64];
	char license[128];
	uint32_t kern_version;
	struct bk__elf elf;
	struct bk_object_opts opts;	/* copy; strings point to the caller's */
	struct bk_diag *diag;
	struct bk_btf *btf;		/* parsed .BTF, NULL if none */
	struct bk__btf_ext *ext;	/* parsed .BTF.ext, NULL if none */
	size_t text_sec;		/* .text, 0 if none */
	size_t maps_sec, legacy_maps_sec;
	struct bk__code_sec *code;
	size_t ncode;
	struct bk_object_prog *progs;	/* entry programs first (nprogs), then subprograms */
	size_t nprogs, nfuncs;
	struct bk_object_map *maps;
	size_t nmaps;
	struct bk__ext *exts;
	size_t nexts;
	bool loaded;
	int btf_fd;
	struct bk_btf *vmlinux;		/* the kernel's BTF, parsed when first needed */
	uint8_t *btf_raw;		/* the .BTF as fixed up for the kernel */
	size_t btf_raw_size;
};

/* Fill obj->diag and return err (negative errno). */
#define bk__odiag(obj, err, ...) bk__diag((obj)->diag, (err), __VA_ARGS__)

/* open: sections, programs (object.c), maps (object_maps.c), externs (object_ext.c). */
int bk__obj_collect_maps(struct bk_object *obj);
int bk__obj_collect_struct_ops(struct bk_object *obj);
int bk__obj_prepare_struct_ops(struct bk_object *obj);
struct bk_object_map *bk__obj_add_map(struct bk_object *obj, const char *name,
				      enum bk__map_kind kind);
int bk__obj_collect_externs(struct bk_object *obj);
struct bk__code_sec *bk__obj_code(struct bk_object *obj, size_t sec);
struct bk_object_map *bk__obj_map_at_sec(struct bk_object *obj, size_t sec, uint64_t off);
struct bk_object_map *bk__obj_add_data_map(struct bk_object *obj, const char *real,
					   enum bk__map_kind kind, size_t sec, uint64_t size);
const struct bk__ext *bk__obj_ext_by_name(const struct bk_object *obj, const char *name);

/* load: relocations (object_reloc.c), layout (object_layout.c), BTF (object_btf.c). */
int bk__obj_relocate_sections(struct bk_object *obj);
int bk__obj_layout(struct bk_object *obj, struct bk_object_prog *p);
/* The section instruction that instruction idx of p's layout came from. */
bool bk__obj_origin(const struct bk_object_prog *p, size_t idx, struct bk__code_sec **c,
		    size_t *sec_idx);
int bk__obj_btf_prepare(struct bk_object *obj);
int bk__obj_resolve_externs(struct bk_object *obj);
int bk__obj_prog_load(struct bk_object *obj, struct bk_object_prog *p);
int bk__obj_maps_create(struct bk_object *obj);

#endif /* BK_OBJECT_INT_H */
