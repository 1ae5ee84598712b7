/* SPDX-License-Identifier: MIT */
/*
 * A minimal reader of raw BTF (the kernel's BPF Type Format), as found in
 * /sys/kernel/btf/vmlinux, in a .BTF ELF section or returned by
 * BPF_BTF_GET_INFO_BY_FD. It parses a buffer, checks every bound once at
 * parse time, and then answers lookups: a type by id, a type id by name and
 * kind, and the enumerators of an enum (what feature probing needs: the
 * kernel's own `enum bpf_func_id`, `bpf_prog_type`, `bpf_map_type`...).
 *
 * BTF in the host's byte order is read, standalone or split (a kernel
 * module's, whose ids and string offsets continue vmlinux's).
 *
 * A builder (struct bk_btf_builder) writes BTF: every kind, strings
 * deduplicated, starting empty or from a parsed BTF whose types it can then
 * replace or extend; it encodes to the raw format and loads into the kernel.
 */
#ifndef BPFKIT_BTF_H
#define BPFKIT_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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


/* ---- split BTF ------------------------------------------------------------ */

/**
 * bk_btf_parse_split() - parse split BTF (a kernel module's) on top of base.
 * Its first type id is bk_btf_type_count(base) + 1 and its string offsets
 * continue base's, so every accessor answers for base's ids and strings too
 * and bk_btf_type_count() counts both. base must outlive the result (it is
 * not copied). base NULL is bk_btf_parse(). Errors as bk_btf_parse().
 */
BK_API struct bk_btf *bk_btf_parse_split(const void *data, size_t size, const struct bk_btf *base,
					 struct bk_diag *diag);

/**
 * bk_btf_load_file_split() - bk_btf_load_file() of split BTF on top of base,
 * e.g. "/sys/kernel/btf/<module>" over vmlinux's.
 */
BK_API struct bk_btf *bk_btf_load_file_split(const char *path, const struct bk_btf *base,
					     struct bk_diag *diag);

/**
 * bk_btf_base() - the base a split BTF was parsed on, NULL for standalone.
 */
BK_API const struct bk_btf *bk_btf_base(const struct bk_btf *btf);

/**
 * bk_btf_first_id() - the first id btf itself defines: 1 for standalone BTF,
 * bk_btf_type_count(base) + 1 for split BTF.
 */
BK_API uint32_t bk_btf_first_id(const struct bk_btf *btf);

/* ---- writer --------------------------------------------------------------- */

/* A BTF under construction: opaque, not thread-safe. */
struct bk_btf_builder;

/**
 * bk_btf_builder_new() - an empty builder; its first type gets id 1.
 * NULL with errno ENOMEM on failure. Free with bk_btf_builder_free().
 */
BK_API struct bk_btf_builder *bk_btf_builder_new(void);

/**
 * bk_btf_builder_new_split() - an empty builder of split BTF on top of base:
 * its first type gets id bk_btf_type_count(base) + 1, types may refer to
 * base's ids, and its strings follow base's (offset 0 stays base's ""). base
 * must outlive the builder.
 */
BK_API struct bk_btf_builder *bk_btf_builder_new_split(const struct bk_btf *base);

/**
 * bk_btf_builder_from() - a builder holding a copy of every type btf itself
 * defines (for split BTF, on top of the same base), with the same ids and the
 * string section kept byte for byte, so string offsets other data refer to
 * (.BTF.ext line info, CO-RE access strings) stay valid; new strings are
 * appended. Types can then be replaced (bk_btf_builder_redefine()), patched
 * (bk_btf_builder_set_*()) or added, and the result encoded: what an ELF
 * loader needs to adapt an object's .BTF to the running kernel.
 */
BK_API struct bk_btf_builder *bk_btf_builder_from(const struct bk_btf *btf);

/** bk_btf_builder_free() - release a builder. NULL is ignored. */
BK_API void bk_btf_builder_free(struct bk_btf_builder *b);

/** bk_btf_builder_count() - the largest type id defined so far (0 when none). */
BK_API uint32_t bk_btf_builder_count(const struct bk_btf_builder *b);

/**
 * bk_btf_builder_str() - the offset of string s, added once (deduplicated)
 * to the string section. Returns it (>= 0), or -EINVAL / -ENOMEM.
 */
BK_API int bk_btf_builder_str(struct bk_btf_builder *b, const char *s);

/*
 * Adding types. Each bk_btf_add_*() returns the new type's id (> 0), or a
 * negative errno: -EINVAL for a bad argument (named below), -E2BIG past the
 * format's limits (65535 members, 2^31 types), -ENOMEM. A NULL or "" name is
 * anonymous. Referenced type ids may be forward references: they are
 * checked when encoding. Members, enumerators, parameters and section
 * entries go to the type added last, which must be of the right kind.
 */

/** bk_btf_add_int() - INT of size bytes (1, 2, 4, 8, 16), BK_BTF_INT_* encoding. */
BK_API int bk_btf_add_int(struct bk_btf_builder *b, const char *name, uint32_t size,
			  uint32_t encoding);
/** bk_btf_add_float() - FLOAT of size bytes (2, 4, 8, 12, 16). */
BK_API int bk_btf_add_float(struct bk_btf_builder *b, const char *name, uint32_t size);
/** bk_btf_add_ptr() - PTR to type. */
BK_API int bk_btf_add_ptr(struct bk_btf_builder *b, uint32_t type);
/**
 * bk_btf_add_modifier() - a modifier of type: kind is BK_BTF_KIND_CONST,
 * VOLATILE or RESTRICT (other kinds are -EINVAL).
 */
BK_API int bk_btf_add_modifier(struct bk_btf_builder *b, int kind, uint32_t type);
/** bk_btf_add_typedef() - TYPEDEF name (required) of type. */
BK_API int bk_btf_add_typedef(struct bk_btf_builder *b, const char *name, uint32_t type);
/** bk_btf_add_type_tag() - TYPE_TAG value (required) on type. */
BK_API int bk_btf_add_type_tag(struct bk_btf_builder *b, const char *value, uint32_t type);
/** bk_btf_add_array() - ARRAY of nelems elem, indexed by index_type (an INT). */
BK_API int bk_btf_add_array(struct bk_btf_builder *b, uint32_t elem, uint32_t index_type,
			    uint32_t nelems);
/** bk_btf_add_struct() - STRUCT of size bytes; add members with bk_btf_add_member(). */
BK_API int bk_btf_add_struct(struct bk_btf_builder *b, const char *name, uint32_t size);
/** bk_btf_add_union() - UNION of size bytes; add members with bk_btf_add_member(). */
BK_API int bk_btf_add_union(struct bk_btf_builder *b, const char *name, uint32_t size);
/**
 * bk_btf_add_member() - a member of the last STRUCT or UNION, at bit_offset
 * from its start; bitfield_size 0 for a plain member, else 1..255 (the type
 * then switches to the kind_flag encoding, bit_offset must fit 24 bits).
 * Returns 0 or a negative errno.
 */
BK_API int bk_btf_add_member(struct bk_btf_builder *b, const char *name, uint32_t type,
			     uint32_t bit_offset, uint32_t bitfield_size);
/** bk_btf_add_enum() - ENUM of size bytes (1, 2, 4, 8), signed values when is_signed. */
BK_API int bk_btf_add_enum(struct bk_btf_builder *b, const char *name, uint32_t size,
			   bool is_signed);
/** bk_btf_add_enum64() - ENUM64 of size bytes (1, 2, 4, 8). */
BK_API int bk_btf_add_enum64(struct bk_btf_builder *b, const char *name, uint32_t size,
			     bool is_signed);
/**
 * bk_btf_add_enumerator() - an enumerator (name required) of the last ENUM
 * or ENUM64. An ENUM's value must fit 32 bits as its signedness reads them.
 * Returns 0 or a negative errno.
 */
BK_API int bk_btf_add_enumerator(struct bk_btf_builder *b, const char *name, int64_t value);
/** bk_btf_add_fwd() - FWD declaration (name required) of a struct, or union when is_union. */
BK_API int bk_btf_add_fwd(struct bk_btf_builder *b, const char *name, bool is_union);
/** bk_btf_add_func_proto() - FUNC_PROTO returning ret (0: void); add parameters next. */
BK_API int bk_btf_add_func_proto(struct bk_btf_builder *b, uint32_t ret);
/**
 * bk_btf_add_param() - a parameter of the last FUNC_PROTO; type 0 with no
 * name is the "..." of a variadic function. Returns 0 or a negative errno.
 */
BK_API int bk_btf_add_param(struct bk_btf_builder *b, const char *name, uint32_t type);
/** bk_btf_add_func() - FUNC name (required) of prototype proto, BK_BTF_FUNC_* linkage. */
BK_API int bk_btf_add_func(struct bk_btf_builder *b, const char *name, uint32_t linkage,
			   uint32_t proto);
/** bk_btf_add_var() - VAR name (required) of type, BK_BTF_VAR_* linkage. */
BK_API int bk_btf_add_var(struct bk_btf_builder *b, const char *name, uint32_t type,
			  uint32_t linkage);
/** bk_btf_add_datasec() - DATASEC name (required, ".data"...) of size bytes. */
BK_API int bk_btf_add_datasec(struct bk_btf_builder *b, const char *name, uint32_t size);
/**
 * bk_btf_add_datasec_var() - an entry of the last DATASEC: the VAR (or FUNC)
 * type at offset, size bytes. Returns 0 or a negative errno.
 */
BK_API int bk_btf_add_datasec_var(struct bk_btf_builder *b, uint32_t type, uint32_t offset,
				  uint32_t size);
/**
 * bk_btf_add_decl_tag() - DECL_TAG value (required) on type (a struct, union,
 * var, func or typedef); component_idx -1 tags the type itself, else its
 * member or parameter of that index.
 */
BK_API int bk_btf_add_decl_tag(struct bk_btf_builder *b, const char *value, uint32_t type,
			       int32_t component_idx);

/*
 * Changing types already there (copied by bk_btf_builder_from() or added).
 * Each returns 0, -ENOENT for an id the builder does not define, -EINVAL when
 * the change does not apply to that type's kind.
 */

/**
 * bk_btf_builder_redefine() - the next bk_btf_add_*() defines type id anew
 * (any kind) instead of adding a type; its members, enumerators... follow as
 * usual. Other types keep referring to id. E.g. a DATASEC the kernel cannot
 * take becomes a STRUCT with one member per variable.
 */
BK_API int bk_btf_builder_redefine(struct bk_btf_builder *b, uint32_t id);
/** bk_btf_builder_set_name() - rename type id (NULL or "" makes it anonymous). */
BK_API int bk_btf_builder_set_name(struct bk_btf_builder *b, uint32_t id, const char *name);
/**
 * bk_btf_builder_set_size_or_type() - the third word of type id: the byte
 * size of an INT, STRUCT, UNION, ENUM, ENUM64, FLOAT or DATASEC, the type a
 * PTR, TYPEDEF, modifier, FUNC, VAR, tag or FUNC_PROTO (return) refers to.
 */
BK_API int bk_btf_builder_set_size_or_type(struct bk_btf_builder *b, uint32_t id,
					   uint32_t value);
/** bk_btf_builder_set_linkage() - the linkage of the FUNC or VAR id. */
BK_API int bk_btf_builder_set_linkage(struct bk_btf_builder *b, uint32_t id, uint32_t linkage);
/** bk_btf_builder_set_datasec_var() - the offset and size of entry idx of DATASEC id. */
BK_API int bk_btf_builder_set_datasec_var(struct bk_btf_builder *b, uint32_t id, uint32_t idx,
					  uint32_t offset, uint32_t size);

/**
 * bk_btf_builder_encode() - the raw BTF (header, types, strings) in a
 * malloc'd buffer (free() it), its size in *size. Every referenced type id is
 * checked first: NULL with errno EINVAL and diag saying which type refers to
 * what when one is beyond the types defined, ENOMEM on allocation failure.
 */
BK_API void *bk_btf_builder_encode(const struct bk_btf_builder *b, size_t *size,
				   struct bk_diag *diag);

/**
 * bk_btf_builder_parse() - encode, then parse the result (on the builder's
 * base for split BTF): the finished BTF as a struct bk_btf. NULL with errno
 * set on failure (diag as bk_btf_builder_encode() and bk_btf_parse()).
 */
BK_API struct bk_btf *bk_btf_builder_parse(const struct bk_btf_builder *b, struct bk_diag *diag);

/* Options of bk_btf_load_kernel() and bk_btf_builder_load(). */
struct bk_btf_kload_opts {
	size_t sz;
	char *log_buf;	    /* the kernel's log (optional); on failure without one, */
	uint32_t log_size;  /* a private buffer catches the log for diag */
	uint32_t log_level; /* 0: log only failures */
	int token_fd;	    /* BPF token, 0 if none */
	struct bk_diag *diag; /* out (optional): the kernel's complaint on failure */
};
#define bk_btf_kload_opts__last_field diag

/**
 * bk_btf_load_kernel() - load raw BTF into the kernel (BPF_BTF_LOAD).
 * Returns the BTF object's fd (O_CLOEXEC), or a negative errno; on failure the
 * kernel's log is read (into opts->log_buf, else a private buffer), its last
 * line goes to opts->diag and to the library log at warning level.
 */
BK_API int bk_btf_load_kernel(const void *raw, size_t size, const struct bk_btf_kload_opts *opts);

/**
 * bk_btf_builder_load() - encode the builder and bk_btf_load_kernel() it.
 * Split builders cannot be loaded (-EOPNOTSUPP): the kernel takes split BTF
 * only from modules.
 */
BK_API int bk_btf_builder_load(const struct bk_btf_builder *b,
			       const struct bk_btf_kload_opts *opts);


/* ---- dumps ---------------------------------------------------------------- */

/**
 * bk_btf_decl_tag() - the component index of the DECL_TAG type id into
 * *component_idx (-1: the tagged type itself, else its member or parameter
 * of that index). Returns 0 or -EINVAL when id is not a DECL_TAG.
 */
BK_API int bk_btf_decl_tag(const struct bk_btf *btf, uint32_t id, int32_t *component_idx);

/**
 * bk_btf_dump_raw() - write type id (0: every type btf itself defines, i.e.
 * a split BTF's own) to out in the text format of `bpftool btf dump file`,
 * line for line the same: "[1] INT 'int' size=4 bits_offset=0 nr_bits=32
 * encoding=SIGNED", members and the like on tab-indented lines. Returns 0,
 * -ENOENT for an unknown id, -EIO when out reports a write error.
 */
BK_API int bk_btf_dump_raw(const struct bk_btf *btf, FILE *out, uint32_t id);



/* Options of bk_btf_dump_c(). */
struct bk_btf_dump_c_opts {
	size_t sz;
	uint32_t root_id; /* 0: every type; else this type and what it needs */
	bool no_header;	  /* leave out the include guard and preserve_access_index region */
};
#define bk_btf_dump_c_opts__last_field no_header

/**
 * bk_btf_dump_c() - write btf as C declarations to out: a vmlinux.h. Every
 * named struct, union, enum and typedef is defined, in an order that
 * compiles, with forward declarations where types refer to each other
 * through pointers, anonymous types inline, bitfields, explicit padding
 * and packed attributes reproducing BTF's layout, enums of unusual size
 * sized with a mode attribute, and two types of one name kept apart as
 * "name___2" (as bpftool names them). Unless opts->no_header, the text is
 * wrapped in an include guard and bpftool's preserve_access_index region
 * (CO-RE relocations for every struct access; define
 * BPF_NO_PRESERVE_ACCESS_INDEX to turn it off). For split BTF the base's
 * types are written too. With opts->root_id only that type and its
 * dependencies are written. Returns 0, -ENOENT for an unknown root, -EINVAL
 * or -ELOOP for malformed BTF (out-of-range ids, reference loops no C can
 * express, nesting past 512 levels), -E2BIG when anonymous types nest into
 * more than 64 times the BTF's size of C, or into walks of 16 steps per type
 * (real BTF is far from both; the output then stops short),
 * -EIO when out fails, -ENOMEM.
 */
BK_API int bk_btf_dump_c(const struct bk_btf *btf, FILE *out, const struct bk_btf_dump_c_opts *opts);

/* ---- the running kernel's BTF ------------------------------------------- */

/**
 * bk_btf_load_fd() - parse the BTF of the BTF object behind fd (read through
 * BPF_OBJ_GET_INFO_BY_FD), as split BTF on base when base is not NULL (a
 * module's BTF needs vmlinux's). NULL with errno set on failure.
 */
BK_API struct bk_btf *bk_btf_load_fd(int fd, const struct bk_btf *base, struct bk_diag *diag);

/**
 * bk_btf_load_id() - bk_btf_load_fd() of the BTF object with this id
 * (BPF_BTF_GET_FD_BY_ID); errno ENOENT when there is none.
 */
BK_API struct bk_btf *bk_btf_load_id(uint32_t id, const struct bk_btf *base, struct bk_diag *diag);

/* The running kernel's BTF: vmlinux's, plus every module's once a lookup
 * needs them. Opaque; not thread-safe. */
struct bk_btf_kernel;

/* A type found in the kernel's BTF. */
struct bk_btf_kernel_type {
	uint32_t type_id;	 /* in the BTF object that defines it */
	enum bk_btf_kind kind;
	uint32_t proto_id;	 /* a FUNC's FUNC_PROTO, else 0 */
	int btf_fd;		 /* that object's fd (owned by the handle), 0 for vmlinux */
	uint32_t btf_obj_id;	 /* that object's id */
	const struct bk_btf *btf; /* its parsed BTF (a module's is split on vmlinux's) */
	const char *module;	 /* module name, NULL for vmlinux */
};

/**
 * bk_btf_kernel_open() - parse /sys/kernel/btf/vmlinux. Module BTF is read
 * from the kernel (by BTF object id) by the first lookup that misses in
 * vmlinux. NULL with errno set (and diag filled) on failure.
 */
BK_API struct bk_btf_kernel *bk_btf_kernel_open(struct bk_diag *diag);

/** bk_btf_kernel_close() - release the handle and its module fds. NULL is ignored. */
BK_API void bk_btf_kernel_close(struct bk_btf_kernel *k);

/** bk_btf_kernel_vmlinux() - vmlinux's parsed BTF, owned by the handle. */
BK_API const struct bk_btf *bk_btf_kernel_vmlinux(const struct bk_btf_kernel *k);

/** bk_btf_kernel_module_count() - how many modules with BTF the kernel has loaded. */
BK_API size_t bk_btf_kernel_module_count(struct bk_btf_kernel *k);

/**
 * bk_btf_kernel_find() - the first type named name of kind (or
 * BK_BTF_KIND_ANY) in vmlinux, else in the modules in BTF id order: the
 * type, and the BTF object (fd, id) a program load or link must name with
 * it. A FUNC comes with its prototype. Returns 0, -ENOENT, or the error that
 * kept module BTF from being read.
 */
BK_API int bk_btf_kernel_find(struct bk_btf_kernel *k, const char *name, int kind,
			      struct bk_btf_kernel_type *out);

/**
 * bk_btf_kernel_find_kfunc() - as bk_btf_kernel_find() for a FUNC that is a
 * kfunc: tagged "bpf_kfunc" (a DECL_TAG the kernel's BTF carries for every
 * kfunc it exports). -ENOENT for a plain kernel function of that name.
 */
BK_API int bk_btf_kernel_find_kfunc(struct bk_btf_kernel *k, const char *name,
				    struct bk_btf_kernel_type *out);

#ifdef __cplusplus
}
#endif
#endif /* BPFKIT_BTF_H */
