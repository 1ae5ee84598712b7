/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ELF loader's test corpus. Each *.bpf.c states what must happen
 * in lines a test can read:
 *   // expect: run PROG retval N                  test-run PROG (a 64-byte packet of
 *                                                 zeros but for an IPv4 ethertype, or
 *                                                 no context for syscall programs)
 *   // expect: map MAP key HEX value HEX          MAP's value after the runs above
 *                                                 (HEX: bytes in memory order)
 *   // expect: load fails PROG line N             the verifier refuses PROG at line N
 *   // expect: load fails PROG errno E when ...   the kernel refuses PROG with E where
 *                                                 the condition holds (this machine)
 *   // expect: open fails WORD...                 refused before any load; the message
 *                                                 names each WORD
 *   // expect: libbpf fails                       the installed libbpf (1.1) cannot load
 *                                                 it; bpfkit must
 * NAME.config beside NAME.bpf.c is the kconfig override to load NAME with.
 * tests/elf/test_corpus.c holds every object to these under libbpf.
 */
#ifndef CORPUS_H
#define CORPUS_H

/* CO-RE and ksym programs define CORPUS_VMLINUX for the kernel's own types
 * (vmlinux.h, dumped from the running kernel's BTF at build time). */
#ifdef CORPUS_VMLINUX
#include "vmlinux.h"
#else
#include <linux/bpf.h>
#endif
#include <bpf/bpf_helpers.h>

#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

#endif
