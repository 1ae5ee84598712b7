/* SPDX-License-Identifier: MIT */
/*
 * Byte order for programs compiled to BPF: bpf_htons(), bpf_ntohl(),
 * bpf_cpu_to_be64()... A constant argument folds to a constant (usable in
 * case labels and static initializers); any other becomes one BPF byte-swap
 * instruction, or nothing on a big-endian target.
 */
#ifndef BPFKIT_BPF_ENDIAN_H
#define BPFKIT_BPF_ENDIAN_H

/* Byte swaps written out, so the compiler folds them for constants. */
#define ___bk_swab16(x) ((unsigned short)((((x) & 0xffU) << 8) | (((x) >> 8) & 0xffU)))
#define ___bk_swab32(x)                                                                            \
	((unsigned int)((((x) & 0xffU) << 24) | (((x) & 0xff00U) << 8) |                          \
			(((x) >> 8) & 0xff00U) | (((x) >> 24) & 0xffU)))
#define ___bk_swab64(x)                                                                            \
	((unsigned long long)((((unsigned long long)(x) & 0xffULL) << 56) |                        \
			      (((unsigned long long)(x) & 0xff00ULL) << 40) |                      \
			      (((unsigned long long)(x) & 0xff0000ULL) << 24) |                    \
			      (((unsigned long long)(x) & 0xff000000ULL) << 8) |                   \
			      (((unsigned long long)(x) >> 8) & 0xff000000ULL) |                   \
			      (((unsigned long long)(x) >> 24) & 0xff0000ULL) |                    \
			      (((unsigned long long)(x) >> 40) & 0xff00ULL) |                      \
			      (((unsigned long long)(x) >> 56) & 0xffULL)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ___bk_be16(x) ___bk_swab16(x)
#define ___bk_be32(x) ___bk_swab32(x)
#define ___bk_be64(x) ___bk_swab64(x)
#define ___bk_be16v(x) __builtin_bswap16(x)
#define ___bk_be32v(x) __builtin_bswap32(x)
#define ___bk_be64v(x) __builtin_bswap64(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ___bk_be16(x) ((unsigned short)(x))
#define ___bk_be32(x) ((unsigned int)(x))
#define ___bk_be64(x) ((unsigned long long)(x))
#define ___bk_be16v(x) ((unsigned short)(x))
#define ___bk_be32v(x) ((unsigned int)(x))
#define ___bk_be64v(x) ((unsigned long long)(x))
#else
#error "bpfkit/bpf/endian.h: unknown byte order (__BYTE_ORDER__)"
#endif

/* The _constant forms take only constants and are constant expressions. */
#define bpf_htons_constant(x) ___bk_be16(x)
#define bpf_ntohs_constant(x) ___bk_be16(x)
#define bpf_htonl_constant(x) ___bk_be32(x)
#define bpf_ntohl_constant(x) ___bk_be32(x)
#define bpf_cpu_to_be64_constant(x) ___bk_be64(x)
#define bpf_be64_to_cpu_constant(x) ___bk_be64(x)

#define bpf_htons(x) (__builtin_constant_p(x) ? ___bk_be16(x) : ___bk_be16v(x))
#define bpf_ntohs(x) (__builtin_constant_p(x) ? ___bk_be16(x) : ___bk_be16v(x))
#define bpf_htonl(x) (__builtin_constant_p(x) ? ___bk_be32(x) : ___bk_be32v(x))
#define bpf_ntohl(x) (__builtin_constant_p(x) ? ___bk_be32(x) : ___bk_be32v(x))
#define bpf_cpu_to_be64(x) (__builtin_constant_p(x) ? ___bk_be64(x) : ___bk_be64v(x))
#define bpf_be64_to_cpu(x) (__builtin_constant_p(x) ? ___bk_be64(x) : ___bk_be64v(x))

#endif /* BPFKIT_BPF_ENDIAN_H */
