/* SPDX-License-Identifier: MIT */
/* The demo's parts. */
#ifndef BK_DEMO_H
#define BK_DEMO_H

/* Say what failed and why; returns 1 (the demo's exit status). */
int demo_fail(const char *what, int err);

/* XDP on a veth pair in a private namespace: counts and ring events. */
int demo_live(void);

#endif /* BK_DEMO_H */
