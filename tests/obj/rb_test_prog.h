/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ring buffer, user ring buffer and perf buffer tests (and the
 * ring buffer benchmark): a tiny label-aware program builder over the ISA
 * builders, and the kernel calls the tests need (maps, load, test run).
 */
#ifndef BK_RB_TEST_PROG_H
#define BK_RB_TEST_PROG_H

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <bpfkit/isa.h>
#include <bpfkit/sys.h>

#define PB_MAX_INSNS 512
#define PB_MAX_LABELS 32
#define PB_MAX_FIXUPS 64

/* A program under construction: jumps name labels, resolved by pb_finish(). */
struct pb {
	struct bk_insn insn[PB_MAX_INSNS];
	int n;
	int label_at[PB_MAX_LABELS];
	struct {
		int at, label;
		int imm; /* fix the ld_imm64 (BK_PSEUDO_FUNC) imm instead of off */
	} fix[PB_MAX_FIXUPS];
	int nfix;
	int overflow;
};

static inline void pb_init(struct pb *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < PB_MAX_LABELS; i++)
		p->label_at[i] = -1;
}

static inline void pb_emit(struct pb *p, struct bk_insn i)
{
	if (p->n >= PB_MAX_INSNS) {
		p->overflow = 1;
		return;
	}
	p->insn[p->n++] = i;
}

/* A conditional or unconditional jump to label. */
static inline void pb_jmp(struct pb *p, struct bk_insn i, int label)
{
	if (p->nfix < PB_MAX_FIXUPS) {
		p->fix[p->nfix].at = p->n;
		p->fix[p->nfix].label = label;
		p->fix[p->nfix].imm = 0;
		p->nfix++;
	} else {
		p->overflow = 1;
	}
	pb_emit(p, i);
}

static inline void pb_label(struct pb *p, int label)
{
	p->label_at[label] = p->n;
}

static inline void pb_ld_imm64(struct pb *p, unsigned dst, unsigned pseudo, uint64_t imm)
{
	struct bk_insn two[2];

	bk_insn_ld_imm64(two, dst, pseudo, imm);
	pb_emit(p, two[0]);
	pb_emit(p, two[1]);
}

static inline void pb_ld_map(struct pb *p, unsigned dst, int map_fd)
{
	pb_ld_imm64(p, dst, BK_PSEUDO_MAP_FD, (uint32_t)map_fd);
}

/* dst = address of the subprogram at label (a callback for a helper). */
static inline void pb_ld_func(struct pb *p, unsigned dst, int label)
{
	if (p->nfix < PB_MAX_FIXUPS) {
		p->fix[p->nfix].at = p->n;
		p->fix[p->nfix].label = label;
		p->fix[p->nfix].imm = 1;
		p->nfix++;
	}
	pb_ld_imm64(p, dst, BK_PSEUDO_FUNC, 0);
}

/* Resolve jumps; returns 0, or -1 on an unknown label or overflow. */
static inline int pb_finish(struct pb *p)
{
	for (int i = 0; i < p->nfix; i++) {
		int to = p->label_at[p->fix[i].label];

		if (to < 0)
			return -1;
		if (p->fix[i].imm)
			p->insn[p->fix[i].at].imm = to - (p->fix[i].at + 1);
		else
			p->insn[p->fix[i].at].off = (int16_t)(to - (p->fix[i].at + 1));
	}
	return p->overflow ? -1 : 0;
}

/* Load p as an XDP program (run through test runs); fd or -errno. */
static inline int pb_load(struct pb *p, char *log, uint32_t log_size)
{
	if (pb_finish(p))
		return -22;
	return bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					.insns = p->insn, .insn_cnt = (size_t)p->n,
					.log_buf = log, .log_size = log ? log_size : 0,
					.log_level = log ? 1 : 0));
}

/*
 * Callbacks (bpf_loop, bpf_user_ringbuf_drain...) need BTF func_info for
 * every function. A minimal BTF blob, built by hand:
 *   [1] INT long (8 bytes, signed)  [2] PTR -> void
 *   [3] FUNC_PROTO long (void *ctx)              [4] FUNC main, global
 *   [5] FUNC_PROTO long (void *dynptr, void *ctx) [6] FUNC cb, static
 */
static inline int pb_btf_two_funcs(void)
{
	static const char strs[] = "\0long\0ctx\0main\0dynptr\0cb";
	enum { S_LONG = 1, S_CTX = 6, S_MAIN = 10, S_DYNPTR = 15, S_CB = 22 };
#define PB_INFO(kind, vlen) (((uint32_t)(kind) << 24) | (uint32_t)(vlen))
	const uint32_t types[] = {
		S_LONG, PB_INFO(1, 0), 8, (1U << 24) | 64,	  /* [1] INT */
		0, PB_INFO(2, 0), 0,				  /* [2] PTR void */
		0, PB_INFO(13, 1), 1, S_CTX, 2,			  /* [3] FUNC_PROTO */
		S_MAIN, PB_INFO(12, 1), 3,			  /* [4] FUNC global */
		0, PB_INFO(13, 2), 1, S_DYNPTR, 2, S_CTX, 2,	  /* [5] FUNC_PROTO */
		S_CB, PB_INFO(12, 0), 5,			  /* [6] FUNC static */
	};
#undef PB_INFO
	uint8_t blob[24 + sizeof(types) + sizeof(strs)];
	uint32_t hdr[6] = { 0xeB9F | (1U << 16), 24, 0, sizeof(types), sizeof(types),
			    sizeof(strs) };

	memcpy(blob, hdr, sizeof(hdr));
	memcpy(blob + 24, types, sizeof(types));
	memcpy(blob + 24 + sizeof(types), strs, sizeof(strs));
	return bk_sys_btf_load(blob, sizeof(blob), NULL);
}

/* Load p (XDP) whose callback subprogram starts at label cb. */
static inline int pb_load_with_cb(struct pb *p, int cb, char *log, uint32_t log_size)
{
	uint32_t finfo[4];
	int btf_fd, fd;

	if (pb_finish(p) || p->label_at[cb] < 0)
		return -22;
	btf_fd = pb_btf_two_funcs();
	if (btf_fd < 0)
		return btf_fd;
	finfo[0] = 0;
	finfo[1] = 4;
	finfo[2] = (uint32_t)p->label_at[cb];
	finfo[3] = 6;
	fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
				      .insns = p->insn, .insn_cnt = (size_t)p->n,
				      .prog_btf_fd = btf_fd, .func_info = finfo,
				      .func_info_rec_size = 8, .func_info_cnt = 2,
				      .log_buf = log, .log_size = log ? log_size : 0,
				      .log_level = log ? 1 : 0));
	close(btf_fd);
	return fd;
}

/* Run an XDP program repeat times over a 64-byte zero frame. Returns 0 or -errno;
 * *retval gets r0 of the last run when not NULL. */
static inline int pb_run(int prog_fd, uint32_t repeat, uint32_t *retval)
{
	uint8_t frame[64] = { 0 };
	struct bk_test_run_opts o = { .sz = sizeof(o), .data_in = frame,
				      .data_size_in = sizeof(frame), .repeat = repeat };
	int err = bk_sys_prog_test_run(prog_fd, &o);

	if (!err && retval)
		*retval = o.retval;
	return err;
}

static inline int rb_map_create(uint32_t type, uint32_t size)
{
	return bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = type,
					 .max_entries = size));
}

/* An array of one element of value_size bytes. */
static inline int rb_array_create(uint32_t value_size)
{
	return bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					 .key_size = 4, .value_size = value_size,
					 .max_entries = 1));
}

/* Read the 64-bit word idx of element 0 of an array made by rb_array_create. */
static inline uint64_t rb_array_word(int fd, unsigned idx)
{
	uint64_t v[16] = { 0 };
	uint32_t key = 0;

	if (idx >= 16 || bk_sys_map_lookup_elem(fd, &key, v, 0))
		return UINT64_MAX;
	return v[idx];
}

/*
 * Emit: r7 = &array[0] of map_fd (exits with XDP_PASS when the lookup fails:
 * it cannot for an array of one element). Uses the stack word at fp-4.
 */
static inline void pb_state_ptr(struct pb *p, int map_fd, int exit_label)
{
	pb_emit(p, (struct bk_insn)BK_ST_MEM(BK_W, BK_FP, -4, 0));
	pb_ld_map(p, BK_R1, map_fd);
	pb_emit(p, (struct bk_insn)BK_MOV64_REG(BK_R2, BK_FP));
	pb_emit(p, (struct bk_insn)BK_ALU64_IMM(BK_ADD, BK_R2, -4));
	pb_emit(p, bk_insn_call(BK_FN_map_lookup_elem));
	pb_jmp(p, (struct bk_insn)BK_JMP_IMM(BK_JEQ, BK_R0, 0, 0), exit_label);
	pb_emit(p, (struct bk_insn)BK_MOV64_REG(BK_R7, BK_R0));
}

/* Emit: return XDP_PASS. */
static inline void pb_exit_pass(struct pb *p)
{
	pb_emit(p, (struct bk_insn)BK_MOV64_IMM(BK_R0, 2));
	pb_emit(p, (struct bk_insn)BK_EXIT());
}

#endif /* BK_RB_TEST_PROG_H */
