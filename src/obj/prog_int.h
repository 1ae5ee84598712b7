/* SPDX-License-Identifier: MIT */
/* Private to src/obj: struct bk_prog and what its modules share. */
#ifndef BK_PROG_INT_H
#define BK_PROG_INT_H

#include <bpfkit/btf.h>
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

/* Where a program attaches: the BTF id and the BTF object (0: vmlinux). */
struct bk__attach_to {
	uint32_t btf_id;
	int obj_fd;
	struct bk_btf_kernel *kernel; /* owns obj_fd when the name was resolved */
};

/*
 * The attach target of opts: attach_btf_id/attach_btf_obj_fd as given, or
 * opts->attach_target resolved by name in the kernel's BTF (close
 * to->kernel once loaded). 0, or -EINVAL/-ENOENT... with opts->diag set.
 */
int bk__prog_attach_to(const struct bk_prog_opts *opts, struct bk__attach_to *to);

/* One func_info record as BPF_PROG_LOAD takes it. */
struct bk__func_info {
	uint32_t insn_off; /* instruction index where the function starts */
	uint32_t type_id;  /* its FUNC */
};

/* Does the program take a function's address (a callback), so the kernel
 * wants func_info? */
bool bk__prog_needs_func_info(const struct bk_insn *insns, size_t n);

/*
 * BTF naming each function of the program (static "int fN(void)"), loaded:
 * *btf_fd (close it) and the func_info records (*out, *cnt; free() them).
 * 0 or -errno.
 */
int bk__prog_auto_func_info(const struct bk_insn *insns, size_t n, int *btf_fd,
			    struct bk__func_info **out, uint32_t *cnt);

#endif /* BK_PROG_INT_H */
