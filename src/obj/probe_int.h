/* SPDX-License-Identifier: MIT */
/*
 * Private to the probes: what a minimal program needs to load for a given
 * program or attach type (probe_recipes.c), and the kernel calls that try it
 * (probe_kernel.c).
 */
#ifndef BK_PROBE_INT_H
#define BK_PROBE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/isa.h>

/* Everything a `r0 = 0; exit` program needs to load as this type. */
struct bk__probe_prog {
	uint32_t prog_type;
	uint32_t expected_attach_type;
	uint32_t attach_btf_id; /* in the kernel's BTF, 0 when not needed */
	uint32_t flags;		/* prog_flags, e.g. sleepable */
};

/* Fill the setup of a program type: 1, 0 when bpfkit has no recipe for the
 * type, or a negative errno (e.g. its attach target is not in the BTF). */
int bk__probe_prog_setup(uint32_t prog_type, struct bk__probe_prog *out);

/* The setup of a program using attach type attach; *checked says whether the
 * kernel validates that pairing at load time (so a load confirms it). */
int bk__probe_attach_setup(uint32_t attach, struct bk__probe_prog *out, bool *checked);

/* Load `r0 = 0; exit`, or with call, `call helper; r0 = 0; exit`. Returns 0
 * or a negative errno; *stop (when not NULL) is the instruction index where
 * the verifier stopped, -1 when its log names none. */
int bk__probe_load(const struct bk__probe_prog *p, bool call, uint32_t helper, int *stop);

/* The index of the instruction a level-1 verifier log stopped at, -1 if none. */
int bk__probe_stop_index(const char *log);

/* Load insns as a GPL program of this type, close it: 0 or a negative errno. */
int bk__probe_load_insns(uint32_t prog_type, const struct bk_insn *insns, size_t n);

/* What a minimal map of a type needs besides its sizes. */
enum bk__map_need {
	BK__MAP_PLAIN,	       /* nothing */
	BK__MAP_INNER,	       /* an inner map (map-in-map) */
	BK__MAP_BTF_INT,       /* BTF with a 4-byte int as key and value type (storage maps) */
	BK__MAP_VMLINUX_VALUE, /* a vmlinux value type id (struct_ops): see probe_kernel.c */
};

struct bk__map_recipe {
	uint32_t key_size, value_size, max_entries, flags;
	enum bk__map_need need;
};

/* The recipe of a map type: 1, or 0 when bpfkit has none. */
int bk__probe_map_recipe(uint32_t map_type, struct bk__map_recipe *out);

/* Create and close a minimal map of the type: 0, -ENOENT when bpfkit has no
 * recipe for it, or the kernel's negative errno. */
int bk__probe_map_create(uint32_t map_type);

#endif /* BK_PROBE_INT_H */
