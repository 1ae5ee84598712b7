// SPDX-License-Identifier: MIT
/*
 * Differential test: random programs the verifier accepts, run on the VM and
 * through BPF_PROG_TEST_RUN on the kernel's JIT, must leave the same r0, the
 * same registers and the same stack. Each program:
 *   - sets r0-r9 to random 64-bit constants and fills 64 bytes of stack;
 *   - runs a random body: ALU and ALU32 (every operation, sdiv/smod, movsx,
 *     byte swaps), forward JMP/JMP32 branches, stack loads (also
 *     sign-extending) and stores of every size, atomics on the stack, and
 *     calls of a subprogram doing ALU on its arguments;
 *   - stores r0-r9 and the 64 stack bytes into a map value, returns r0.
 * BK_VM_DIFF_COUNT=N runs N programs (the fuzz mode; default 5000), and
 * BK_VM_DIFF_SEED picks the generator's seed, BK_VM_DIFF_SHOW how many
 * differences are printed (3).
 *
 * A difference is a bug on one side. Long runs of 400,000 programs with the
 * seeds 0xabcdef and 0x7777 found 5 and 10, all the kernel's (Linux 6.18,
 * x86-64), of two kinds, each checked against the verifier's log (level 2)
 * and by forcing the registers in question into a store:
 *   - unsound pruning (0xabcdef: programs 42542, 150023; 0x7777: 1675, 247225,
 *     247523, 265562, 295048): the VM executes instructions the verifier never
 *     visited. Typically a branch on a value fetched by atomic64_xchg from a
 *     stack slot: the verifier tracks it as the slot's spilled constant,
 *     prunes a path on which the slot holds something else, and hard-wires
 *     the branch it believes dead, so the JIT'd code branches against its own
 *     registers.
 *   - a 32-bit cmpxchg that succeeds (0xabcdef: 298289, 375942, 382314;
 *     0x7777: 103605, 164459, 197045, 203285, 265126): the verifier's state
 *     has r0 zero-extended (as RFC 9669 and the kernel's own conformance runs
 *     say), the JIT'd code leaves r0's upper half as it was (x86's cmpxchg
 *     does not write eax on success): no zero-extension was emitted, and
 *     reading r0 right after the cmpxchg (which changes the verifier's
 *     analysis) makes it appear.
 * In every case the VM's result is the one the ISA defines.
  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/sys.h>

#include "../lib/bk_test.h"
#include "vm_test.h"

#define MAX_INSNS 512
#define BODY 48
#define OUT_SIZE (80 + 64) /* r0-r9, then the stack bytes */

struct gen {
	uint64_t s;
	struct bk_insn p[MAX_INSNS];
	size_t n;
	size_t map_at[4]; /* slots holding the map's ld_imm64 */
	size_t nmap;
};

static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

/* Interesting constants: small, edges, or anything. */
static int32_t imm(struct gen *g)
{
	static const int32_t edges[] = { 0, 1, -1, 2, 31, 32, 63, 64, INT32_MIN, INT32_MAX, 0xff,
					 0xffff, -2, 7 };

	return pick(g, 3) ? (int32_t)edges[pick(g, sizeof(edges) / sizeof(edges[0]))]
			  : (int32_t)rnd(g);
}

static void emit(struct gen *g, struct bk_insn in)
{
	g->p[g->n++] = in;
}

static void ld64(struct gen *g, unsigned dst, uint64_t v)
{
	bk_insn_ld_imm64(&g->p[g->n], dst, 0, v);
	g->n += 2;
}

static uint64_t value(struct gen *g)
{
	switch (pick(g, 4)) {
	case 0:
		return (uint64_t)(int64_t)imm(g);
	case 1:
		return 1ull << pick(g, 64);
	default:
		return rnd(g);
	}
}

static void alu(struct gen *g, unsigned regs)
{
	static const uint8_t ops[] = { BK_ADD, BK_SUB, BK_MUL, BK_DIV, BK_OR,  BK_AND, BK_LSH,
				       BK_RSH, BK_NEG, BK_MOD, BK_XOR, BK_MOV, BK_ARSH, BK_END };
	uint8_t op = ops[pick(g, sizeof(ops))];
	bool is64 = pick(g, 2), reg = pick(g, 2);
	uint8_t cls = is64 ? BK_ALU64 : BK_ALU;
	unsigned dst = pick(g, regs), src = pick(g, regs), width = is64 ? 64 : 32;
	int16_t off = 0;
	int32_t k = imm(g);

	if (op == BK_NEG) {
		emit(g, bk_insn_make(cls | BK_NEG, dst, 0, 0, 0));
		return;
	}
	if (op == BK_END) {
		static const int32_t widths[] = { 16, 32, 64 };
		/* ALU: to-le/to-be; ALU64: bswap (to-le bit only) */
		uint8_t dir = is64 ? BK_TO_LE : (pick(g, 2) ? BK_TO_BE : BK_TO_LE);

		emit(g, bk_insn_make(cls | BK_END | dir, dst, 0, 0, widths[pick(g, 3)]));
		return;
	}
	if ((op == BK_DIV || op == BK_MOD) && pick(g, 2))
		off = 1; /* sdiv / smod */
	if (op == BK_MOV && reg && pick(g, 3) == 0) {
		static const int16_t sx[] = { 8, 16, 32 };

		off = sx[pick(g, is64 ? 3 : 2)];
	}
	if (reg) {
		emit(g, bk_insn_make(cls | op | BK_X, dst, src, off, 0));
		return;
	}
	if (op == BK_LSH || op == BK_RSH || op == BK_ARSH)
		k = (int32_t)pick(g, width);
	if ((op == BK_DIV || op == BK_MOD) && k == 0)
		k = 3;
	emit(g, bk_insn_make(cls | op | BK_K, dst, 0, off, k));
}

static const uint8_t sizes[] = { BK_B, BK_H, BK_W, BK_DW };
static const int sizes_bytes[] = { 1, 2, 4, 8 };

static int16_t stack_off(struct gen *g, int bytes)
{
	return (int16_t)(-8 * (int)(1 + pick(g, 8)) + (int)pick(g, 8 / bytes) * bytes);
}

static void mem(struct gen *g, unsigned regs)
{
	unsigned s = pick(g, 4), dst = pick(g, regs), src = pick(g, regs);
	int16_t off = stack_off(g, sizes_bytes[s]);

	switch (pick(g, 4)) {
	case 0:
		emit(g, bk_insn_stx(sizes[s], BK_R10, off, src));
		break;
	case 1:
		emit(g, bk_insn_st(sizes[s], BK_R10, off, imm(g)));
		break;
	case 2:
		emit(g, bk_insn_ldx(sizes[s], dst, BK_R10, off));
		break;
	default: /* sign-extending load (no DW form) */
		s = pick(g, 3);
		off = stack_off(g, sizes_bytes[s]);
		emit(g, bk_insn_make(BK_LDX | sizes[s] | BK_MEMSX, dst, BK_R10, off, 0));
	}
}

static void atomic(struct gen *g, unsigned regs)
{
	static const int32_t ops[] = { BK_ADD, BK_ADD | BK_FETCH, BK_OR, BK_OR | BK_FETCH,
				       BK_AND, BK_AND | BK_FETCH, BK_XOR, BK_XOR | BK_FETCH,
				       BK_XCHG, BK_CMPXCHG };
	bool dw = pick(g, 2);

	emit(g, bk_insn_make(BK_STX | BK_ATOMIC | (dw ? BK_DW : BK_W), BK_R10, pick(g, regs),
			     stack_off(g, dw ? 8 : 4), ops[pick(g, 10)]));
}

static void branch(struct gen *g, size_t left, unsigned regs)
{
	static const uint8_t ops[] = { BK_JEQ, BK_JGT, BK_JGE, BK_JSET, BK_JNE, BK_JSGT,
				       BK_JSGE, BK_JLT, BK_JLE, BK_JSLT, BK_JSLE };
	uint8_t cls = pick(g, 2) ? BK_JMP : BK_JMP32, op = ops[pick(g, sizeof(ops))];
	int16_t off = (int16_t)pick(g, (unsigned)(left < 6 ? left + 1 : 6));

	if (pick(g, 2))
		emit(g, bk_insn_make(cls | op | BK_X, pick(g, regs), pick(g, regs), off, 0));
	else
		emit(g, bk_insn_make(cls | op | BK_K, pick(g, regs), 0, off, imm(g)));
}

/* The body: forward branches never leave it, so its end is always reached. */
static void body(struct gen *g, size_t count, unsigned regs, bool calls, size_t *call_sites,
		 size_t *ncalls)
{
	size_t end = g->n + count;

	while (g->n < end) {
		unsigned k = pick(g, 100);

		if (k < 45 || !calls)
			alu(g, regs);
		else if (k < 60)
			branch(g, end - g->n - 1, regs);
		else if (k < 85)
			mem(g, regs);
		else if (k < 95)
			atomic(g, regs);
		else if (end - g->n >= 6) { /* call, then r1-r5 are clobbered: set them */
			call_sites[(*ncalls)++] = g->n;
			emit(g, bk_insn_make(BK_JMP | BK_CALL, 0, BK_PSEUDO_CALL, 0, 0));
			for (unsigned r = 1; r <= 5; r++)
				emit(g, bk_insn_mov64_imm(r, imm(g)));
		} else {
			alu(g, regs);
		}
	}
}

/* The whole program (at most ~150 slots: MAX_INSNS is ample). */
static void generate(struct gen *g, int map_ref)
{
	size_t call_sites[BODY], ncalls = 0, sub;

	g->n = g->nmap = 0;
	for (unsigned r = 0; r <= 9; r++)
		ld64(g, r, value(g));
	for (int i = 1; i <= 8; i++)
		emit(g, bk_insn_stx(BK_DW, BK_R10, (int16_t)(-8 * i), (unsigned)(i % 10)));
	body(g, BODY, 10, true, call_sites, &ncalls);
	/* save r0-r9 below the 64 bytes, then copy everything into the map value */
	for (unsigned r = 0; r <= 9; r++)
		emit(g, bk_insn_stx(BK_DW, BK_R10, (int16_t)(-144 + 8 * (int)r), r));
	emit(g, bk_insn_st(BK_W, BK_R10, -152, 0));
	emit(g, bk_insn_mov64_reg(BK_R2, BK_R10));
	emit(g, bk_insn_alu64_imm(BK_ADD, BK_R2, -152));
	g->map_at[g->nmap++] = g->n;
	bk_insn_ld_imm64(&g->p[g->n], BK_R1, BK_PSEUDO_MAP_FD, (uint32_t)map_ref);
	g->n += 2;
	emit(g, bk_insn_call(BK_FN_map_lookup_elem));
	emit(g, bk_insn_jmp_imm(BK_JEQ, BK_R0, 0, 2 * 18 + 1));
	for (int i = 0; i < 18; i++) {
		emit(g, bk_insn_ldx(BK_DW, BK_R1, BK_R10, (int16_t)(-144 + 8 * i)));
		emit(g, bk_insn_stx(BK_DW, BK_R0, (int16_t)(8 * i), BK_R1));
	}
	emit(g, bk_insn_ldx(BK_DW, BK_R0, BK_R10, -144));
	emit(g, bk_insn_exit());
	if (!ncalls)
		return; /* an uncalled subprogram is unreachable code to the verifier */
	/* the subprogram: r0 from its arguments, some ALU on r0-r5, exit */
	sub = g->n;
	emit(g, bk_insn_mov64_reg(BK_R0, BK_R1));
	body(g, 8, 6, false, NULL, NULL);
	emit(g, bk_insn_exit());
	for (size_t i = 0; i < ncalls; i++)
		g->p[call_sites[i]].imm = (int32_t)(sub - call_sites[i] - 1);
}

static void set_map(struct gen *g, int ref)
{
	for (size_t i = 0; i < g->nmap; i++)
		g->p[g->map_at[i]].imm = ref;
}

static unsigned long env_count(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void dump(const struct gen *g)
{
	for (size_t i = 0; i < g->n; i++)
		fprintf(stderr, "%3zu: %02x %u %u %d %d\n", i, g->p[i].code, g->p[i].dst_reg,
			g->p[i].src_reg, g->p[i].off, g->p[i].imm);
}

/* Print the program and the differing words of the first few mismatches. */
static void report_mismatch(const struct gen *g, unsigned long i, const uint64_t *vm,
			    const uint8_t *kernel, unsigned long nth)
{
	uint64_t k[OUT_SIZE / 8];

	if (nth > env_count("BK_VM_DIFF_SHOW", 3))
		return;
	memcpy(k, kernel, sizeof(k));
	fprintf(stderr, "program %lu differs:\n", i);
	dump(g);
	for (int w = 0; w < OUT_SIZE / 8; w++)
		if (vm[w] != k[w])
			fprintf(stderr, "word %d (%s%d): vm 0x%llx kernel 0x%llx\n", w,
				w < 10 ? "r" : "stack ", w < 10 ? w : w - 10,
				(unsigned long long)vm[w], (unsigned long long)k[w]);
}

Test(vm_diff, random_programs_match_the_kernel, .timeout = 7200)
{
	unsigned long count = env_count("BK_VM_DIFF_COUNT", 5000), accepted = 0, mismatches = 0;
	struct gen *g = calloc(1, sizeof(*g));
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_map *vmap = bk_vm_map_create(vm, BK_VM_MAP_ARRAY, "out", 4, OUT_SIZE, 1);
	int vref = bk_vm_map_ref(vm, "out"), kfd;
	uint8_t pkt[64] = { 0 };
	char rejected_msg[256] = "";

	BK_REQUIRE_KERNEL();
	g->s = env_count("BK_VM_DIFF_SEED", 0x5eed) | 1;
	kfd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					.key_size = 4, .value_size = OUT_SIZE, .max_entries = 1,
					.map_name = "vm_diff"));
	cr_assert_geq(kfd, 0, "map_create: %d", kfd);
	for (unsigned long i = 0; i < count; i++) {
		uint8_t kout[OUT_SIZE] = { 0 }, zero[OUT_SIZE] = { 0 };
		uint32_t key = 0;
		struct bk_vm_result res;
		struct bk_vm_prog *vp;
		struct bk_diag d;
		struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = pkt,
						.data_size_in = sizeof(pkt) };
		struct bk_vlog log = { .level = BK_VLOG_LEVEL1 };
		int pfd;

		generate(g, kfd);
		cr_assert_eq(bk_sys_map_update_elem(kfd, &key, zero, 0), 0);
		pfd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts,
					       .prog_type = BK_PROG_TYPE_SOCKET_FILTER,
					       .insns = g->p, .insn_cnt = g->n, .vlog = &log));
		if (pfd < 0) {
			/* the generator aims at verifier-safe code; remember why not */
			if (log.text)
				snprintf(rejected_msg, sizeof(rejected_msg), "%.200s",
					 log.len > 200 ? log.text + log.len - 200 : log.text);
			bk_vlog_free(&log);
			continue;
		}
		bk_vlog_free(&log);
		accepted++;
		cr_assert_eq(bk_sys_prog_test_run(pfd, &run), 0);
		close(pfd);
		cr_assert_eq(bk_sys_map_lookup_elem(kfd, &key, kout, 0), 0);
		set_map(g, vref);
		vp = bk_vm_load(vm, g->p, g->n, BK_OPTS(bk_vm_load_opts, .type = BK_VM_SOCKET_FILTER),
				&d);
		if (!vp)
			dump(g);
		cr_assert_not_null(vp, "program %lu: the kernel accepted it, the VM: insn %u: %s",
				   i, d.index, d.msg);
		memset(bk_vm_map_lookup(vmap, &key), 0, OUT_SIZE);
		cr_assert_eq(bk_vm_run(vp, BK_OPTS(bk_vm_run_opts, .data = pkt,
						   .data_len = sizeof(pkt)), &res, &d), 0,
			     "program %lu: insn %u: %s", i, d.index, d.msg);
		bk_vm_prog_free(vp);
		if ((uint32_t)res.r0 != run.retval ||
		    memcmp(bk_vm_map_lookup(vmap, &key), kout, OUT_SIZE))
			report_mismatch(g, i, bk_vm_map_lookup(vmap, &key), kout, ++mismatches);
	}
	close(kfd);
	cr_assert_eq(mismatches, 0, "%lu of %lu programs differ (the first ones are above)",
		     mismatches, accepted);
	cr_assert_geq(accepted * 10, count * 9, "the verifier refused %lu of %lu; last: %s",
		      count - accepted, count, rejected_msg);
	cr_log_info("vm_diff: %lu of %lu programs accepted and identical", accepted, count);
	bk_vm_free(vm);
	free(g);
}

/* Packet programs on random packets: the context rewriting, packet bounds,
 * legacy loads (in and out of the packet) and packet writes must match. */
static const char xdp_text[] =
	"r2 = *(u32 *)(r1 + 0)\n"
	"r3 = *(u32 *)(r1 + 4)\n"
	"r9 = *(u32 *)(r1 + 12)\n"
	"r0 = r3\n"
	"r0 -= r2\n"
	"r0 <<= 8\n"
	"r0 += r9\n"
	"r4 = r2\n"
	"r4 += 34\n"
	"if r4 > r3 goto out\n"
	"r5 = *(u16 *)(r2 + 12)\n"
	"r5 = be16 r5\n"
	"r0 ^= r5\n"
	"r6 = *(u32 *)(r2 + 26)\n"
	"r7 = *(u32 *)(r2 + 30)\n"
	"*(u32 *)(r2 + 26) = r7\n"
	"*(u32 *)(r2 + 30) = r6\n"
	"r6 <<= 3\n"
	"r0 += r6\n"
	"r0 &= 3\n"
	"out:\n"
	"exit\n";

static const char skb_text[] =
	"r6 = r1\n"
	"r8 = *(u32 *)(r6 + 0)\n"
	"r9 = *(u32 *)(r6 + 16)\n"
	"r7 = *(u32 *)(r6 + 40)\n"
	"r2 = *(u32 *)(r6 + 4)\n"
	"r2 <<= 20\n"
	"r7 += r2\n"
	"r0 = *(u8 *)skb[9]\n"
	"r8 += r0\n"
	"r0 = *(u16 *)skb[2]\n"
	"r8 ^= r0\n"
	"r1 = r8\n"
	"r1 &= 0x3f\n"
	"r0 = *(u32 *)skb[r1 + 0]\n"
	"r0 += r8\n"
	"r0 ^= r9\n"
	"r0 += r7\n"
	"exit\n";

static void packet_diff(const char *text, enum bk_vm_prog_type type, uint32_t kernel_type,
			uint64_t seed)
{
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *vp = vt_load(vm, text, type);
	size_t n;
	struct bk_insn *insns = vt_asm(vm, text, &n);
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = kernel_type,
					  .insns = insns, .insn_cnt = n));
	struct gen g = { .s = seed };

	cr_assert_geq(fd, 0, "the kernel refused the packet program: %d", fd);
	for (int i = 0; i < 500; i++) {
		uint8_t pkt[256], vm_pkt[256], out[256];
		size_t len = 14 + pick(&g, 120);
		struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = pkt,
						.data_size_in = (uint32_t)len, .data_out = out,
						.data_size_out = sizeof(out) };
		struct bk_vm_result res;
		struct bk_diag d;

		for (size_t k = 0; k < len; k++)
			pkt[k] = (uint8_t)rnd(&g);
		if (pick(&g, 2) && len >= 34) { /* IPv4 often (test-run wants its header whole) */
			pkt[12] = 8;
			pkt[13] = 0;
		} else if (pkt[12] == 8 && pkt[13] == 0) {
			pkt[13] = 6;
		}
		if (pick(&g, 4) == 0) /* broadcast, multicast, ours, or another host's */
			memset(pkt, pick(&g, 2) ? 0xff : 0, 6);
		if (pick(&g, 4) == 0) /* 802.3 lengths, raw or 802.2 */
			pkt[12] = 0, pkt[14] = pkt[15] = pick(&g, 2) ? 0xff : 0;
		memcpy(vm_pkt, pkt, len);
		int err = bk_sys_prog_test_run(fd, &run);

		cr_assert_eq(err, 0, "test-run of %zu bytes: %d", len, err);
		cr_assert_eq(bk_vm_run(vp, BK_OPTS(bk_vm_run_opts, .data = vm_pkt, .data_len = len,
						   .ifindex = 1), &res, &d), 0, "%s", d.msg);
		cr_assert_eq((uint32_t)res.r0, run.retval, "packet %d of %zu bytes: vm %u kernel %u",
			     i, len, (uint32_t)res.r0, run.retval);
		if (type == BK_VM_XDP) {
			cr_assert_eq(run.data_size_out, len);
			cr_assert_eq(memcmp(out, vm_pkt, len), 0, "packet %d: written bytes differ", i);
		}
	}
	close(fd);
	free(insns);
	bk_vm_prog_free(vp);
	bk_vm_free(vm);
}

Test(vm_diff, packet_programs_match_the_kernel)
{
	BK_REQUIRE_KERNEL();
	packet_diff(xdp_text, BK_VM_XDP, BK_PROG_TYPE_XDP, 77);
	packet_diff(skb_text, BK_VM_SOCKET_FILTER, BK_PROG_TYPE_SOCKET_FILTER, 78);
}
