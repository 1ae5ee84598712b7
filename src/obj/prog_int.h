/* SPDX-License-Identifier: MIT */
/* Private to src/obj: struct bk_prog and what its modules share. */
#ifndef BK_PROG_INT_H
#define BK_PROG_INT_H

#include <bpfkit/prog.h>

#include "obj_int.h"

struct bk_prog {
	int fd;
	uint32_t type;
	uint32_t id;
	uint32_t expected_attach_type;
	char name[16];
	uint8_t tag[8];
};

/* Take ownership of fd (closed on failure), read what the program is. */
struct bk_prog *bk__prog_from_owned_fd(int fd, uint32_t expected_attach_type);

/*
 * Fill diag with why a load failed: the verifier's complaint and the index
 * of the instruction it is about when the log has one, else the errno's
 * meaning for BPF_PROG_LOAD.
 */
void bk__prog_diag(struct bk_diag *diag, int err, const char *log, size_t len);

#endif /* BK_PROG_INT_H */
