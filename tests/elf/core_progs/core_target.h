/* SPDX-License-Identifier: MIT */
/*
 * The "target kernel" of the CO-RE tests: the same type names as
 * core_local.bpf.c with another layout (fields moved, resized, renamed,
 * removed; enumerators renumbered; flavors). Compiled twice: into
 * core_target.bpf.c, whose .BTF is the target BTF, and into the host test,
 * whose offsetof()/sizeof() give the expected values independently.
 */
#ifndef CORE_TARGET_H
#define CORE_TARGET_H

struct core_a {
	long pad0;
	long y;
	int pad1;
	int x;
	unsigned int bf0 : 7, bf1 : 3, bf2 : 5;
	int sbf : 9;
	int arr[8];
	union {
		int in0;
		struct {
			int in1;
			int in2;
		};
	};
	char *p;
	unsigned int u16f; /* unsigned short locally: load widened */
	int s16f;	   /* short locally: signed, cannot widen */
	int sg;		   /* unsigned locally */
	int small[2];	   /* [8] locally */
};

/* Two flavors with the same layout: both candidates, no ambiguity. */
struct core_f___one {
	int pad;
	int a;
};
struct core_f___two {
	int pad;
	int a;
};

/* Two flavors that disagree on where a is: ambiguous. */
struct core_amb___one {
	int a;
	int b;
};
struct core_amb___two {
	int b;
	int a;
};

/* Two flavors that agree on where a is, not on its size. */
struct core_amb2___one {
	int a;
};
struct core_amb2___two {
	long a;
};

struct core_gone {
	int other; /* "gone" locally */
};

struct core_m {
	int a;
	long b;
	struct core_a *pa;
};

struct core_nm {
	int a; /* long locally: does not match */
};

/* Narrowing: a read of b keeps only core_n___a, so a later c sees none. */
struct core_n___a {
	int a;
	int b;
};
struct core_n___b {
	int a;
	int c;
};

/* A field too far for a 16-bit instruction offset. */
struct core_big {
	char pad[40000];
	int far;
};

/* A flexible array member: indexes past its (zero) bound are fine. */
struct core_flex {
	long pad;
	int n;
	int data[];
};

/* TYPE_MATCHES and TYPE_EXISTS relations (core_compat.c). */
struct core_fwd_s {
	int x;
};
union core_fwd_u {
	int y;
};
union core_fwd_s2 {
	int z;
};
struct core_tm_ptr {
	struct core_fwd_s *s;
	union core_fwd_u *u;
	int extra;
};
struct core_tm_ptr2 {
	union core_fwd_s2 *s; /* a struct forward locally */
};
enum core_tm_e4 { TM_A = 0x100000000LL, TM_B }; /* 8 bytes: ENUM64 */
enum core_tm_e { TME_B, TME_C, TME_A };
enum core_tm_emiss { TMM_A };
struct core_tm_sign {
	int v;
};
struct core_tm_arr {
	int v[5];
};
struct core_tm_fn {
	int (*fn)(int, long);
};
struct core_tm_fn2 {
	int (*fn)(int);
};
union core_tm_union {
	int a;
};
typedef int (*core_fnp)(int);
typedef int (*core_fnp_same)(int, long);

enum core_e { E_TWO = 20, E_ONE = 10, E_NEG = -5 };

#endif
