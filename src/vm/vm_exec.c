// SPDX-License-Identifier: MIT
/*
 * The interpreter: a loop over decoded slots (vm_load.c), one handler per
 * operation. With GCC or clang each handler jumps straight to the next one's
 * label (threaded dispatch: one indirect branch per instruction, predicted
 * per site); other compilers get the same handlers in a switch.
 *
 * Semantics where RFC 9669 leaves results undefined follow the kernel's
 * x86-64 JIT: x / 0 = 0, x % 0 = x, INT_MIN / -1 = INT_MIN, x % -1 = 0,
 * shift amounts masked to 63 (64-bit) or 31 (32-bit), and every 32-bit
 * operation zero-extends into the 64-bit register.
 *
 * Executed slots are counted exactly but cheaply: only a taken branch adds
 * the length of the straight run that led to it, and the budget is checked
 * there (a program without taken branches is bounded by its length).
 */
#include <string.h>

#include "vm_int.h"

#if defined(__GNUC__) && !defined(BK_VM_SWITCH)
#define VM_THREADED 1
#endif

#ifdef VM_THREADED
#define CASE(x) L_##x:
#define DISPATCH() goto *labels[pc->op]
#define LOOP_BEGIN DISPATCH();
#define LOOP_END
#else
#define CASE(x) case x:
#define DISPATCH() goto dispatch
#define LOOP_BEGIN                                                                                 \
	dispatch:                                                                                  \
	switch (pc->op) {
#define LOOP_END                                                                                   \
	default:                                                                                   \
		goto bad_op;                                                                       \
		}
#endif

#define NEXT()                                                                                     \
	do {                                                                                       \
		pc++;                                                                              \
		DISPATCH();                                                                        \
	} while (0)

#define DST regs[pc->dst]
#define SRC regs[pc->src]
#define IMM ((uint64_t)pc->imm)
#define D32 ((uint32_t)regs[pc->dst])
#define S32 ((uint32_t)regs[pc->src])
#define I32 ((uint32_t)pc->imm)

/* A taken branch: account the straight run that ends here, check the budget. */
#define TAKE(target)                                                                               \
	do {                                                                                       \
		done += (uint64_t)(pc - seg) + 1;                                                  \
		pc = (target);                                                                     \
		seg = pc;                                                                          \
		if (done > budget)                                                                 \
			goto out_of_budget;                                                        \
		DISPATCH();                                                                        \
	} while (0)
#define JUMP() TAKE(pc + 1 + pc->off)
#define BRANCH(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			JUMP();                                                                    \
		NEXT();                                                                            \
	} while (0)

/* dst op= src/imm, 64- and 32-bit, for the operations C does the same way. */
#define BINOP(NAME, OP)                                                                            \
	CASE(BK_OP_##NAME##64_IMM) DST = DST OP IMM; NEXT();                                       \
	CASE(BK_OP_##NAME##64_REG) DST = DST OP SRC; NEXT();                                       \
	CASE(BK_OP_##NAME##32_IMM) DST = (uint32_t)(D32 OP I32); NEXT();                           \
	CASE(BK_OP_##NAME##32_REG) DST = (uint32_t)(D32 OP S32); NEXT();

#define SHIFT(NAME, OP)                                                                            \
	CASE(BK_OP_##NAME##64_IMM) DST = DST OP (IMM & 63); NEXT();                                \
	CASE(BK_OP_##NAME##64_REG) DST = DST OP (SRC & 63); NEXT();                                \
	CASE(BK_OP_##NAME##32_IMM) DST = (uint32_t)(D32 OP (I32 & 31)); NEXT();                    \
	CASE(BK_OP_##NAME##32_REG) DST = (uint32_t)(D32 OP (S32 & 31)); NEXT();

/* Conditional jumps: unsigned compare as is, signed through the cast. */
#define JMP(NAME, OP, T64, T32)                                                                    \
	CASE(BK_OP_##NAME##64_IMM) BRANCH((T64)DST OP (T64)IMM);                                   \
	CASE(BK_OP_##NAME##64_REG) BRANCH((T64)DST OP (T64)SRC);                                   \
	CASE(BK_OP_##NAME##32_IMM) BRANCH((T32)D32 OP (T32)I32);                                   \
	CASE(BK_OP_##NAME##32_REG) BRANCH((T32)D32 OP (T32)S32);

/* Loads and stores through any register: the stack fast path inline, the
 * rest (packet, context, maps, embedder regions, errors) out of line. */
#define IN_STACK(a, size) ((a) - stack_lo <= fp - stack_lo - (size) && !((a) & ((size) - 1)))
#define LOAD(ID, T, EXT)                                                                           \
	CASE(ID)                                                                                   \
	{                                                                                          \
		uintptr_t a = (uintptr_t)(SRC + (uint64_t)(int64_t)pc->off);                       \
		T v;                                                                               \
		if (IN_STACK(a, sizeof(T))) {                                                      \
			memcpy(&v, (const void *)a, sizeof(T));                                    \
		} else {                                                                           \
			uint64_t w;                                                                \
			env->pc = pc;                                                              \
			if (bk__vm_load_slow(env, a, sizeof(T), &w))                               \
				goto fail;                                                         \
			/* bits past the size: a context pointer field, already whole */           \
			if (w >> (8 * sizeof(T) - 1) >> 1) {                                       \
				DST = w;                                                           \
				NEXT();                                                            \
			}                                                                          \
			v = (T)w;                                                                  \
		}                                                                                  \
		DST = (uint64_t)(EXT)v;                                                            \
		NEXT();                                                                            \
	}
#define STORE(ID, T, VAL)                                                                          \
	CASE(ID)                                                                                   \
	{                                                                                          \
		uintptr_t a = (uintptr_t)(DST + (uint64_t)(int64_t)pc->off);                       \
		T v = (T)(VAL);                                                                    \
		if (IN_STACK(a, sizeof(T))) {                                                      \
			memcpy((void *)a, &v, sizeof(T));                                          \
		} else {                                                                           \
			env->pc = pc;                                                              \
			if (bk__vm_store_slow(env, a, sizeof(T), (uint64_t)v))                     \
				goto fail;                                                         \
		}                                                                                  \
		NEXT();                                                                            \
	}
/* r10-relative accesses the loader proved in-frame and aligned. */
#define LOAD_FP(ID, T)                                                                             \
	CASE(ID)                                                                                   \
	{                                                                                          \
		T v;                                                                               \
		memcpy(&v, (const void *)(fp + (intptr_t)pc->off), sizeof(T));                     \
		DST = v;                                                                           \
		NEXT();                                                                            \
	}
#define STORE_FP(ID, T, VAL)                                                                       \
	CASE(ID)                                                                                   \
	{                                                                                          \
		T v = (T)(VAL);                                                                    \
		memcpy((void *)(fp + (intptr_t)pc->off), &v, sizeof(T));                           \
		NEXT();                                                                            \
	}

/* Atomics need a real, aligned, writable location: never the context. */
#define ATOMIC_PTR(T, write)                                                                       \
	T *p;                                                                                      \
	do {                                                                                       \
		uintptr_t a = (uintptr_t)(DST + (uint64_t)(int64_t)pc->off);                       \
		if (IN_STACK(a, sizeof(T))) {                                                      \
			p = (T *)a;                                                                \
		} else {                                                                           \
			env->pc = pc;                                                              \
			p = bk__vm_atomic_ptr(env, a, sizeof(T), write);                           \
			if (!p)                                                                    \
				goto fail;                                                         \
		}                                                                                  \
	} while (0)
#define AOP(ID, T, FN, FETCH)                                                                      \
	CASE(ID)                                                                                   \
	{                                                                                          \
		ATOMIC_PTR(T, true);                                                               \
		T old = FN(p, (T)SRC, __ATOMIC_SEQ_CST);                                           \
		if (FETCH)                                                                         \
			SRC = old;                                                                 \
		NEXT();                                                                            \
	}
#define ATOMICS(W, T)                                                                              \
	AOP(BK_OP_ATOMIC##W##_ADD, T, __atomic_fetch_add, 0)                                       \
	AOP(BK_OP_ATOMIC##W##_FETCH_ADD, T, __atomic_fetch_add, 1)                                 \
	AOP(BK_OP_ATOMIC##W##_OR, T, __atomic_fetch_or, 0)                                         \
	AOP(BK_OP_ATOMIC##W##_FETCH_OR, T, __atomic_fetch_or, 1)                                   \
	AOP(BK_OP_ATOMIC##W##_AND, T, __atomic_fetch_and, 0)                                       \
	AOP(BK_OP_ATOMIC##W##_FETCH_AND, T, __atomic_fetch_and, 1)                                 \
	AOP(BK_OP_ATOMIC##W##_XOR, T, __atomic_fetch_xor, 0)                                       \
	AOP(BK_OP_ATOMIC##W##_FETCH_XOR, T, __atomic_fetch_xor, 1)                                 \
	AOP(BK_OP_ATOMIC##W##_XCHG, T, __atomic_exchange_n, 1)                                     \
	CASE(BK_OP_ATOMIC##W##_CMPXCHG)                                                            \
	{                                                                                          \
		ATOMIC_PTR(T, true);                                                               \
		T expected = (T)regs[0];                                                           \
		__atomic_compare_exchange_n(p, &expected, (T)SRC, false, __ATOMIC_SEQ_CST,         \
					    __ATOMIC_SEQ_CST);                                     \
		regs[0] = expected;                                                                \
		NEXT();                                                                            \
	}
#define ACQ_REL(SUFFIX, T)                                                                         \
	CASE(BK_OP_LOAD_ACQ_##SUFFIX)                                                              \
	{                                                                                          \
		uintptr_t a = (uintptr_t)(SRC + (uint64_t)(int64_t)pc->off);                       \
		T *p;                                                                              \
		env->pc = pc;                                                                      \
		p = IN_STACK(a, sizeof(T)) ? (T *)a : bk__vm_atomic_ptr(env, a, sizeof(T), false); \
		if (!p)                                                                            \
			goto fail;                                                                 \
		DST = __atomic_load_n(p, __ATOMIC_ACQUIRE);                                        \
		NEXT();                                                                            \
	}                                                                                          \
	CASE(BK_OP_STORE_REL_##SUFFIX)                                                             \
	{                                                                                          \
		ATOMIC_PTR(T, true);                                                               \
		__atomic_store_n(p, (T)SRC, __ATOMIC_RELEASE);                                     \
		NEXT();                                                                            \
	}

static uint16_t swap16(uint16_t v)
{
	return (uint16_t)((v >> 8) | (v << 8));
}

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TO_LE16(v) swap16(v)
#define TO_LE32(v) __builtin_bswap32(v)
#define TO_LE64(v) __builtin_bswap64(v)
#define TO_BE16(v) (v)
#define TO_BE32(v) (v)
#define TO_BE64(v) (v)
#else
#define TO_LE16(v) (v)
#define TO_LE32(v) (v)
#define TO_LE64(v) (v)
#define TO_BE16(v) swap16(v)
#define TO_BE32(v) __builtin_bswap32(v)
#define TO_BE64(v) __builtin_bswap64(v)
#endif

/* Signed division and modulo the way the kernel rewrites and JITs them. */
static uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static uint64_t smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return -a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static uint32_t smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Legacy packet load: r0 = big-endian value at packet offset, or end the
 * program with r0 = 0 when it is out of the packet (the kernel's rule). */
static int ld_pkt(const struct bk_vm_env *env, int64_t off, unsigned size, uint64_t *r0)
{
	const uint8_t *p = (const uint8_t *)env->data;
	uint64_t v = 0;

	if (off < 0 || (uint64_t)off + size > env->data_end - env->data)
		return -1;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[off + i];
	*r0 = v;
	return 0;
}

struct frame {
	const struct vm_insn *ret;
	uint64_t saved[4]; /* r6-r9 */
};

int bk__vm_exec(struct bk_vm_env *env, uint64_t r1, uint64_t r2, uint64_t budget,
		struct bk_vm_result *res)
{
#ifdef VM_THREADED
	static const void *const labels[VM_OP__COUNT] = {
		[BK_OP_INVALID] = &&L_BK_OP_INVALID,
#define BK_INSN(ID, OPC, DISC, DVAL, SHAPE, VER, GROUP, CONF, LLVM) [BK_OP_##ID] = &&L_BK_OP_##ID,
#include <bpfkit/insn_table.def>
#undef BK_INSN
		[VM_LDXB_FP] = &&L_VM_LDXB_FP,	 [VM_LDXH_FP] = &&L_VM_LDXH_FP,
		[VM_LDXW_FP] = &&L_VM_LDXW_FP,	 [VM_LDXDW_FP] = &&L_VM_LDXDW_FP,
		[VM_STXB_FP] = &&L_VM_STXB_FP,	 [VM_STXH_FP] = &&L_VM_STXH_FP,
		[VM_STXW_FP] = &&L_VM_STXW_FP,	 [VM_STXDW_FP] = &&L_VM_STXDW_FP,
		[VM_STB_FP] = &&L_VM_STB_FP,	 [VM_STH_FP] = &&L_VM_STH_FP,
		[VM_STW_FP] = &&L_VM_STW_FP,	 [VM_STDW_FP] = &&L_VM_STDW_FP,
		[VM_TAIL_CALL] = &&L_VM_TAIL_CALL,
	};
#endif
	uint64_t regs[BK_MAX_REG] = { 0 };
	struct frame frames[BK_VM_MAX_FRAMES];
	unsigned depth = 0;
	uint32_t may_goto = VM_MAY_GOTO_LOOPS;
	const uintptr_t stack_lo = env->stack_lo;
	uintptr_t fp = stack_lo + BK_VM_STACK_SIZE;
	const struct vm_insn *pc = env->prog->code, *seg = pc;
	uint64_t done = 0;

	regs[1] = r1;
	regs[2] = r2;
	regs[10] = fp;

	LOOP_BEGIN

	BINOP(ADD, +)
	BINOP(SUB, -)
	BINOP(MUL, *)
	BINOP(OR, |)
	BINOP(AND, &)
	BINOP(XOR, ^)
	SHIFT(LSH, <<)
	SHIFT(RSH, >>)

	CASE(BK_OP_ARSH64_IMM) DST = (uint64_t)((int64_t)DST >> (IMM & 63)); NEXT();
	CASE(BK_OP_ARSH64_REG) DST = (uint64_t)((int64_t)DST >> (SRC & 63)); NEXT();
	CASE(BK_OP_ARSH32_IMM) DST = (uint32_t)((int32_t)D32 >> (I32 & 31)); NEXT();
	CASE(BK_OP_ARSH32_REG) DST = (uint32_t)((int32_t)D32 >> (S32 & 31)); NEXT();

	CASE(BK_OP_DIV64_IMM) DST = IMM ? DST / IMM : 0; NEXT();
	CASE(BK_OP_DIV64_REG) DST = SRC ? DST / SRC : 0; NEXT();
	CASE(BK_OP_DIV32_IMM) DST = I32 ? D32 / I32 : 0; NEXT();
	CASE(BK_OP_DIV32_REG) DST = S32 ? D32 / S32 : 0; NEXT();
	CASE(BK_OP_MOD64_IMM) DST = IMM ? DST % IMM : DST; NEXT();
	CASE(BK_OP_MOD64_REG) DST = SRC ? DST % SRC : DST; NEXT();
	CASE(BK_OP_MOD32_IMM) DST = I32 ? D32 % I32 : D32; NEXT();
	CASE(BK_OP_MOD32_REG) DST = S32 ? D32 % S32 : D32; NEXT();
	CASE(BK_OP_SDIV64_IMM) DST = sdiv64(DST, IMM); NEXT();
	CASE(BK_OP_SDIV64_REG) DST = sdiv64(DST, SRC); NEXT();
	CASE(BK_OP_SDIV32_IMM) DST = sdiv32(D32, I32); NEXT();
	CASE(BK_OP_SDIV32_REG) DST = sdiv32(D32, S32); NEXT();
	CASE(BK_OP_SMOD64_IMM) DST = smod64(DST, IMM); NEXT();
	CASE(BK_OP_SMOD64_REG) DST = smod64(DST, SRC); NEXT();
	CASE(BK_OP_SMOD32_IMM) DST = smod32(D32, I32); NEXT();
	CASE(BK_OP_SMOD32_REG) DST = smod32(D32, S32); NEXT();

	CASE(BK_OP_NEG64) DST = -DST; NEXT();
	CASE(BK_OP_NEG32) DST = (uint32_t)-D32; NEXT();
	CASE(BK_OP_MOV64_IMM) DST = IMM; NEXT();
	CASE(BK_OP_MOV64_REG) DST = SRC; NEXT();
	CASE(BK_OP_MOV32_IMM) DST = I32; NEXT();
	CASE(BK_OP_MOV32_REG) DST = S32; NEXT();
	CASE(BK_OP_MOVSX32_8) DST = (uint32_t)(int32_t)(int8_t)SRC; NEXT();
	CASE(BK_OP_MOVSX32_16) DST = (uint32_t)(int32_t)(int16_t)SRC; NEXT();
	CASE(BK_OP_MOVSX64_8) DST = (uint64_t)(int64_t)(int8_t)SRC; NEXT();
	CASE(BK_OP_MOVSX64_16) DST = (uint64_t)(int64_t)(int16_t)SRC; NEXT();
	CASE(BK_OP_MOVSX64_32) DST = (uint64_t)(int64_t)(int32_t)SRC; NEXT();

	CASE(BK_OP_LE16) DST = TO_LE16((uint16_t)DST); NEXT();
	CASE(BK_OP_LE32) DST = TO_LE32((uint32_t)DST); NEXT();
	CASE(BK_OP_LE64) DST = TO_LE64(DST); NEXT();
	CASE(BK_OP_BE16) DST = TO_BE16((uint16_t)DST); NEXT();
	CASE(BK_OP_BE32) DST = TO_BE32((uint32_t)DST); NEXT();
	CASE(BK_OP_BE64) DST = TO_BE64(DST); NEXT();
	CASE(BK_OP_BSWAP16) DST = swap16((uint16_t)DST); NEXT();
	CASE(BK_OP_BSWAP32) DST = __builtin_bswap32((uint32_t)DST); NEXT();
	CASE(BK_OP_BSWAP64) DST = __builtin_bswap64(DST); NEXT();

	CASE(BK_OP_LD_IMM64) DST = IMM; pc += 2; DISPATCH();

	JMP(JEQ, ==, uint64_t, uint32_t)
	JMP(JNE, !=, uint64_t, uint32_t)
	JMP(JGT, >, uint64_t, uint32_t)
	JMP(JGE, >=, uint64_t, uint32_t)
	JMP(JLT, <, uint64_t, uint32_t)
	JMP(JLE, <=, uint64_t, uint32_t)
	JMP(JSGT, >, int64_t, int32_t)
	JMP(JSGE, >=, int64_t, int32_t)
	JMP(JSLT, <, int64_t, int32_t)
	JMP(JSLE, <=, int64_t, int32_t)
	CASE(BK_OP_JSET64_IMM) BRANCH(DST & IMM);
	CASE(BK_OP_JSET64_REG) BRANCH(DST & SRC);
	CASE(BK_OP_JSET32_IMM) BRANCH(D32 & I32);
	CASE(BK_OP_JSET32_REG) BRANCH(D32 & S32);
	CASE(BK_OP_JA) JUMP();
	CASE(BK_OP_GOTOL) JUMP();
	CASE(BK_OP_MAY_GOTO)
	{
		if (may_goto == 0)
			JUMP();
		may_goto--;
		NEXT();
	}

	LOAD(BK_OP_LDXB, uint8_t, uint8_t)
	LOAD(BK_OP_LDXH, uint16_t, uint16_t)
	LOAD(BK_OP_LDXW, uint32_t, uint32_t)
	LOAD(BK_OP_LDXDW, uint64_t, uint64_t)
	LOAD(BK_OP_LDXSB, int8_t, int64_t)
	LOAD(BK_OP_LDXSH, int16_t, int64_t)
	LOAD(BK_OP_LDXSW, int32_t, int64_t)
	STORE(BK_OP_STXB, uint8_t, SRC)
	STORE(BK_OP_STXH, uint16_t, SRC)
	STORE(BK_OP_STXW, uint32_t, SRC)
	STORE(BK_OP_STXDW, uint64_t, SRC)
	STORE(BK_OP_STB, uint8_t, IMM)
	STORE(BK_OP_STH, uint16_t, IMM)
	STORE(BK_OP_STW, uint32_t, IMM)
	STORE(BK_OP_STDW, uint64_t, IMM)
	LOAD_FP(VM_LDXB_FP, uint8_t)
	LOAD_FP(VM_LDXH_FP, uint16_t)
	LOAD_FP(VM_LDXW_FP, uint32_t)
	LOAD_FP(VM_LDXDW_FP, uint64_t)
	STORE_FP(VM_STXB_FP, uint8_t, SRC)
	STORE_FP(VM_STXH_FP, uint16_t, SRC)
	STORE_FP(VM_STXW_FP, uint32_t, SRC)
	STORE_FP(VM_STXDW_FP, uint64_t, SRC)
	STORE_FP(VM_STB_FP, uint8_t, IMM)
	STORE_FP(VM_STH_FP, uint16_t, IMM)
	STORE_FP(VM_STW_FP, uint32_t, IMM)
	STORE_FP(VM_STDW_FP, uint64_t, IMM)

	ATOMICS(32, uint32_t)
	ATOMICS(64, uint64_t)
	ACQ_REL(B, uint8_t)
	ACQ_REL(H, uint16_t)
	ACQ_REL(W, uint32_t)
	ACQ_REL(DW, uint64_t)

	CASE(BK_OP_LD_ABS_B) if (ld_pkt(env, pc->imm, 1, &regs[0])) goto pkt_miss; NEXT();
	CASE(BK_OP_LD_ABS_H) if (ld_pkt(env, pc->imm, 2, &regs[0])) goto pkt_miss; NEXT();
	CASE(BK_OP_LD_ABS_W) if (ld_pkt(env, pc->imm, 4, &regs[0])) goto pkt_miss; NEXT();
	CASE(BK_OP_LD_IND_B)
	if (ld_pkt(env, (int32_t)(uint32_t)(SRC + IMM), 1, &regs[0]))
		goto pkt_miss;
	NEXT();
	CASE(BK_OP_LD_IND_H)
	if (ld_pkt(env, (int32_t)(uint32_t)(SRC + IMM), 2, &regs[0]))
		goto pkt_miss;
	NEXT();
	CASE(BK_OP_LD_IND_W)
	if (ld_pkt(env, (int32_t)(uint32_t)(SRC + IMM), 4, &regs[0]))
		goto pkt_miss;
	NEXT();

	CASE(BK_OP_CALL_HELPER)
	{
		const struct vm_helper *h = &env->prog->helpers[pc->imm];

		env->pc = pc;
		env->helper = h;
		regs[0] = h->fn(env, &regs[1], h->user);
		if (env->err)
			goto fail;
		NEXT();
	}
	CASE(BK_OP_CALLX)
	{
		const struct vm_helper *h = bk__vm_helper_find(env->vm, (int64_t)DST);

		env->pc = pc;
		if (!h) {
			bk__vm_fail(env, -EINVAL, "callx r%u: 0x%llx is not a helper id", pc->dst,
				    (unsigned long long)DST);
			goto fail;
		}
		env->helper = h;
		regs[0] = h->fn(env, &regs[1], h->user);
		if (env->err)
			goto fail;
		NEXT();
	}
	CASE(VM_TAIL_CALL)
	{
		struct bk_vm_prog *next;

		env->pc = pc;
		if (depth) {
			regs[0] = (uint64_t)-EINVAL; /* only the main program may tail-call */
			NEXT();
		}
		next = bk__vm_tail_target(env, regs[2], regs[3]);
		if (!next) {
			regs[0] = (uint64_t)-ENOENT;
			NEXT();
		}
		env->prog = next;
		TAKE(next->code);
	}
	CASE(BK_OP_CALL_LOCAL)
	{
		if (depth + 1 >= BK_VM_MAX_FRAMES) {
			env->pc = pc;
			bk__vm_fail(env, -E2BIG, "call nests deeper than %d frames",
				    BK_VM_MAX_FRAMES);
			goto fail;
		}
		frames[depth].ret = pc + 1;
		memcpy(frames[depth].saved, &regs[6], sizeof(frames[depth].saved));
		depth++;
		memset((void *)fp, 0, BK_VM_STACK_SIZE); /* no data of an earlier call leaks */
		fp += BK_VM_STACK_SIZE;
		regs[10] = fp;
		env->fp = fp;
		JUMP();
	}
	CASE(BK_OP_EXIT)
	{
		if (depth == 0)
			goto out;
		depth--;
		fp -= BK_VM_STACK_SIZE;
		regs[10] = fp;
		env->fp = fp;
		memcpy(&regs[6], frames[depth].saved, sizeof(frames[depth].saved));
		TAKE(frames[depth].ret);
	}

	/* Rejected by the loader; here so that every row has a handler. */
	CASE(BK_OP_INVALID)
	CASE(BK_OP_LD_MAP_FD)
	CASE(BK_OP_LD_MAP_VALUE)
	CASE(BK_OP_LD_BTF_ID)
	CASE(BK_OP_LD_FUNC)
	CASE(BK_OP_LD_MAP_IDX)
	CASE(BK_OP_LD_MAP_IDX_VALUE)
	CASE(BK_OP_CALL_KFUNC)
	CASE(BK_OP_ADDR_SPACE_CAST)
	goto bad_op;

	LOOP_END

bad_op:
	env->pc = pc;
	bk__vm_fail(env, -EINVAL, "operation %u cannot run (the loader should have refused it)",
		    pc->op);
	goto fail;
pkt_miss: /* the whole program ends, whatever the depth */
	regs[0] = 0;
out:
	res->r0 = regs[0];
	res->insns = done + (uint64_t)(pc - seg) + 1;
	return 0;
out_of_budget:
	env->pc = pc;
	bk__vm_fail(env, -ETIME, "the budget of %llu instructions ran out",
		    (unsigned long long)budget);
fail:
	res->r0 = regs[0];
	res->insns = done;
	return env->err;
}
