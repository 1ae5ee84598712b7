/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ELF loader's test corpus. Each *.bpf.c states what a test run
 * must give in lines a test can read:
 *   // expect: run PROG retval N                      test-run PROG (empty 64-byte packet
 *                                                     or no ctx for syscall programs)
 *   // expect: map MAP key HEX value HEX              after the run(s)
 *   // expect: load fails PROG line N                 the verifier refuses PROG at line N
 *   // expect: libbpf fails                           libbpf 1.1 cannot load the object here
 * HEX is the bytes in memory order (little-endian host).
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
