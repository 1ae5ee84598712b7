/* SPDX-License-Identifier: MIT */
/* The demo's parts. */
#ifndef BK_DEMO_H
#define BK_DEMO_H

/* Say what failed and why; returns 1 (the demo's exit status). */
int demo_fail(const char *what, int err);

/* XDP on a veth pair in a private namespace: counts and ring events, from
 * assembler text and, when object_path is given, from a clang-built object. */
int demo_live(const char *object_path);

#endif /* BK_DEMO_H */
