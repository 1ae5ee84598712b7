/* SPDX-License-Identifier: MIT */
/*
 * A minimal reader of raw BTF (the kernel's BPF Type Format), as found in
 * /sys/kernel/btf/vmlinux, in a .BTF ELF section or returned by
 * BPF_BTF_GET_INFO_BY_FD. It parses a buffer, checks every bound once at
 * parse time, and then answers lookups: a type by id, a type id by name and
 * kind, and the enumerators of an enum (what feature probing needs: the
 * kernel's own `enum bpf_func_id`, `bpf_prog_type`, `bpf_map_type`...).
 *
 * Only standalone BTF in the host's byte order is read; split BTF (kernel
 * modules, whose ids continue vmlinux's) is not supported yet.
 */
#ifndef BPFKIT_BTF_H
#define BPFKIT_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* BTF kinds (the `kind` bits of btf_type.info). Values are the kernel ABI. */
enum bk_btf_kind {
	BK_BTF_KIND_UNKN = 0,
	BK_BTF_KIND_INT = 1,
	BK_BTF_KIND_PTR = 2,
	BK_BTF_KIND_ARRAY = 3,
	BK_BTF_KIND_STRUCT = 4,
	BK_BTF_KIND_UNION = 5,
	BK_BTF_KIND_ENUM = 6,
	BK_BTF_KIND_FWD = 7,
	BK_BTF_KIND_TYPEDEF = 8,
	BK_BTF_KIND_VOLATILE = 9,
	BK_BTF_KIND_CONST = 10,
	BK_BTF_KIND_RESTRICT = 11,
	BK_BTF_KIND_FUNC = 12,	    /* Linux 5.0 */
	BK_BTF_KIND_FUNC_PROTO = 13, /* Linux 5.0 */
	BK_BTF_KIND_VAR = 14,	    /* Linux 5.2 */
	BK_BTF_KIND_DATASEC = 15,   /* Linux 5.2 */
	BK_BTF_KIND_FLOAT = 16,	    /* Linux 5.13 */
	BK_BTF_KIND_DECL_TAG = 17,  /* Linux 5.16 */
	BK_BTF_KIND_TYPE_TAG = 18,  /* Linux 5.17 */
	BK_BTF_KIND_ENUM64 = 19,    /* Linux 6.0 */
	BK_BTF_KIND_MAX = BK_BTF_KIND_ENUM64,
};

/* Pass as `kind` to bk_btf_find() to match a name whatever its kind. */
#define BK_BTF_KIND_ANY (-1)

/* Parsed BTF: opaque, immutable after parsing, safe to share between threads. */
struct bk_btf;

/* One type, as plain values. Strings point into the bk_btf and live as long as it. */
struct bk_btf_type {
	uint32_t id;		/* 1..bk_btf_type_count(); 0 is void */
	enum bk_btf_kind kind;
	const char *name;	/* "" for anonymous types */
	uint32_t vlen;		/* members, enumerators, params... */
	bool kind_flag;		/* bitfield members, signed enums, union tags */
	uint32_t size_or_type;	/* byte size (int, struct, enum...) or referenced type id */
};

/* One enumerator of an ENUM or ENUM64 type. */
struct bk_btf_enumerator {
	const char *name;
	int64_t value;		/* sign-extended for signed enums, else zero-extended */
};

/* One member of a STRUCT or UNION. */
struct bk_btf_member {
	const char *name;
	uint32_t type;
	uint32_t bit_offset;	/* from the start of the struct */
	uint32_t bitfield_size;	/* 0 unless a bitfield */
};

/* The element type and count of an ARRAY. */
struct bk_btf_array {
	uint32_t type, index_type, nelems;
};

/* The encoding of an INT. */
#define BK_BTF_INT_SIGNED (1u << 0)
#define BK_BTF_INT_CHAR (1u << 1)
#define BK_BTF_INT_BOOL (1u << 2)
struct bk_btf_int {
	uint32_t encoding;	/* BK_BTF_INT_* bits */
	uint32_t bit_offset;
	uint32_t bits;
};

/**
 * bk_btf_parse() - parse raw BTF from a buffer.
 * The bytes are copied, so data may be freed afterwards. Every offset and
 * length in the header, every type record and every string reference is
 * checked here, so later lookups never read out of bounds. On failure returns
 * NULL with errno set (EINVAL for malformed input, EOPNOTSUPP for the other
 * byte order, ENOMEM) and, when diag is not NULL, diag->index is the byte
 * offset of the problem and diag->msg says what it is. Free with bk_btf_free().
 */
BK_API struct bk_btf *bk_btf_parse(const void *data, size_t size, struct bk_diag *diag);

/**
 * bk_btf_load_file() - read a whole raw BTF file and parse it.
 * Typical use: bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL). Errors are
 * those of open/read (errno) and of bk_btf_parse(); diag->file is the path.
 */
BK_API struct bk_btf *bk_btf_load_file(const char *path, struct bk_diag *diag);

/**
 * bk_btf_free() - release a parsed BTF. NULL is accepted and ignored.
 */
BK_API void bk_btf_free(struct bk_btf *btf);

/**
 * bk_btf_type_count() - the largest valid type id (the number of types,
 * not counting void). Ids run from 1 to this value inclusive.
 */
BK_API uint32_t bk_btf_type_count(const struct bk_btf *btf);

/**
 * bk_btf_type_by_id() - describe type id into *out.
 * Id 0 describes void (kind UNKN, empty name). Returns 0, or -ENOENT when id
 * is beyond bk_btf_type_count().
 */
BK_API int bk_btf_type_by_id(const struct bk_btf *btf, uint32_t id, struct bk_btf_type *out);

/**
 * bk_btf_find() - the id of the first type named name with the given kind
 * (an enum bk_btf_kind, or BK_BTF_KIND_ANY). Returns the id (> 0), or -ENOENT
 * when no such type exists, -EINVAL for a NULL or empty name.
 */
BK_API int bk_btf_find(const struct bk_btf *btf, const char *name, int kind);

/**
 * bk_btf_enumerator() - the idx-th enumerator of the ENUM or ENUM64 type id.
 * Returns 0, -EINVAL when id is not an enum, -ENOENT when idx >= its vlen.
 */
BK_API int bk_btf_enumerator(const struct bk_btf *btf, uint32_t id, uint32_t idx,
			     struct bk_btf_enumerator *out);

/**
 * bk_btf_member() - the idx-th member of the STRUCT or UNION type id.
 * Returns 0, -EINVAL when id is not a struct or union, -ENOENT past its vlen.
 */
BK_API int bk_btf_member(const struct bk_btf *btf, uint32_t id, uint32_t idx,
			 struct bk_btf_member *out);

/**
 * bk_btf_array_info() - element type and count of the ARRAY type id.
 * Returns 0 or -EINVAL when id is not an array.
 */
BK_API int bk_btf_array_info(const struct bk_btf *btf, uint32_t id, struct bk_btf_array *out);

/**
 * bk_btf_int_info() - encoding, bit offset and width of the INT type id.
 * Returns 0 or -EINVAL when id is not an int.
 */
BK_API int bk_btf_int_info(const struct bk_btf *btf, uint32_t id, struct bk_btf_int *out);

/**
 * bk_btf_resolve() - follow TYPEDEF, CONST, VOLATILE, RESTRICT and TYPE_TAG
 * from id to the type they name (at most 32 steps, so loops end). Returns the
 * resolved id (0 is void), or -EINVAL when the chain is too long or broken.
 */
BK_API int bk_btf_resolve(const struct bk_btf *btf, uint32_t id);

/**
 * bk_btf_enum_value() - the value of enumerator name in enum enum_name.
 * Looks the enum up among ENUM and ENUM64 types (the first of that name that
 * has the enumerator wins, since a C program cannot declare one enumerator
 * twice). Returns 0 with *value set, or -ENOENT.
 */
BK_API int bk_btf_enum_value(const struct bk_btf *btf, const char *enum_name, const char *name,
			     int64_t *value);

/**
 * bk_btf_kind_name() - "INT", "STRUCT", "ENUM64"... as bpftool prints kinds;
 * "UNKN" for values outside the enum.
 */
BK_API const char *bk_btf_kind_name(int kind);


/* One parameter of a FUNC_PROTO. */
struct bk_btf_param {
	const char *name; /* "" when unnamed */
	uint32_t type;	  /* 0 for the trailing "..." of a variadic prototype */
};

/* One variable (or function) placed in a DATASEC. */
struct bk_btf_var_secinfo {
	uint32_t type;	 /* a VAR or FUNC id */
	uint32_t offset; /* byte offset in the section */
	uint32_t size;
};

/* Linkage of a VAR (and, in the vlen bits, of a FUNC). Values are the kernel ABI. */
#define BK_BTF_VAR_STATIC 0
#define BK_BTF_VAR_GLOBAL_ALLOCATED 1
#define BK_BTF_VAR_GLOBAL_EXTERN 2
#define BK_BTF_FUNC_STATIC 0
#define BK_BTF_FUNC_GLOBAL 1
#define BK_BTF_FUNC_EXTERN 2

/*
 * The on-disk records, as the kernel's UAPI lays them out (all fields in the
 * BTF's byte order). The header opens every BTF blob; type and string
 * sections follow at hdr_len + type_off and hdr_len + str_off. After a
 * struct btf_type, a FUNC_PROTO has vlen bk_btf_raw_param records, a VAR one
 * bk_btf_raw_var, a DECL_TAG one bk_btf_raw_decl_tag, and a DATASEC vlen
 * struct bk_btf_var_secinfo (whose layout above is the on-disk one).
 */
#define BK_BTF_MAGIC 0xeB9F
#define BK_BTF_VERSION 1
struct bk_btf_header {
	uint16_t magic;	  /* BK_BTF_MAGIC */
	uint8_t version;  /* BK_BTF_VERSION */
	uint8_t flags;
	uint32_t hdr_len; /* sizeof(struct bk_btf_header) for version 1 */
	uint32_t type_off, type_len; /* from the end of the header */
	uint32_t str_off, str_len;
};
struct bk_btf_raw_param {
	uint32_t name_off;
	uint32_t type;
};
struct bk_btf_raw_var {
	uint32_t linkage; /* BK_BTF_VAR_* */
};
struct bk_btf_raw_decl_tag {
	int32_t component_idx; /* -1: the tag is on the type itself, else member or param index */
};

/**
 * bk_btf_str() - the string at offset off of the string section, or NULL
 * when off is beyond it. Offset 0 is the empty string. Used for names that
 * other sections (.BTF.ext line info, CO-RE access strings) refer to by offset.
 */
BK_API const char *bk_btf_str(const struct bk_btf *btf, uint32_t off);

/**
 * bk_btf_param() - the idx-th parameter of the FUNC_PROTO type id.
 * Returns 0, -EINVAL when id is not a FUNC_PROTO, -ENOENT past its vlen.
 */
BK_API int bk_btf_param(const struct bk_btf *btf, uint32_t id, uint32_t idx,
			struct bk_btf_param *out);

/**
 * bk_btf_var_linkage() - the linkage (BK_BTF_VAR_*) of the VAR type id.
 * Returns it (>= 0), or -EINVAL when id is not a VAR.
 */
BK_API int bk_btf_var_linkage(const struct bk_btf *btf, uint32_t id);

/**
 * bk_btf_datasec_var() - the idx-th entry of the DATASEC type id.
 * Returns 0, -EINVAL when id is not a DATASEC, -ENOENT past its vlen.
 */
BK_API int bk_btf_datasec_var(const struct bk_btf *btf, uint32_t id, uint32_t idx,
			      struct bk_btf_var_secinfo *out);

/**
 * bk_btf_raw() - the raw BTF bytes as parsed (header, types, strings), and
 * their size in *size. They live as long as btf.
 */
BK_API const void *bk_btf_raw(const struct bk_btf *btf, size_t *size);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_BTF_H */
